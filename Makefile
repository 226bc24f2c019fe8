# ccstudy — the two commands a newcomer needs:
#   go run ./cmd/ccstudy report --out-dir results   (the main job)
#   make test                                       (vet + race-enabled tests)
GO ?= go

.PHONY: test bench build report reference fmt

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	# The committed example report must be current (full default analysis,
	# too slow under -race, so checked in a plain run).
	$(GO) test -count=1 -run 'TestExampleReportIsCurrent' ./cmd/ccstudy

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

build:
	$(GO) build -o bin/ccstudy ./cmd/ccstudy

# Regenerate the committed example report from the embedded data.
report:
	$(GO) run ./cmd/ccstudy report --out-dir examples/report --force

# Re-run the R reference scripts (needs R; see testdata/reference/README.md).
reference:
	bash testdata/reference/run_all.sh

fmt:
	gofmt -w $$(git ls-files '*.go')
