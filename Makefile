# ccstudy — the commands a newcomer needs:
#   go run ./cmd/ccstudy report --out-dir results   (the main job)
#   make check      go vet + go test -short: the quick loop while editing
#                   (well under a minute; tests that take seconds skip
#                   themselves under -short and say why)
#   make test       go vet + the full suite with -race + the example-report
#                   check and the foreign-data suite: what CI runs (.ci/run),
#                   several minutes
#   make fuzz       each fuzz target for FUZZTIME (default 30s) in turn
GO ?= go
# staticcheck runs as a Go module at a pinned version (no install step).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: check test lint bench build report reference fmt fuzz calibrate

check:
	$(GO) vet ./...
	$(GO) test -short ./...

test:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) test -race -count=1 -timeout 40m ./...
	# The committed example report must be current, and every command runs
	# with defaults on the foreign-data suite (testdata/foreign): full
	# default analyses, too slow under -race, so checked in a plain run.
	$(GO) test -count=1 -timeout 40m -run 'TestExampleReportIsCurrent|TestForeignData' ./cmd/ccstudy

# staticcheck with its default checks (also run by make test).
lint:
	$(GO) run $(STATICCHECK) ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

build:
	$(GO) build -o bin/ccstudy ./cmd/ccstudy

# Regenerate the committed example report from the embedded data.
report:
	$(GO) run ./cmd/ccstudy report --out-dir examples/report --force

# Re-run the R reference scripts (needs R; README.md, "Correctness and speed",
# lists the Debian packages).
reference:
	bash testdata/reference/run_all.sh
	bash testdata/foreign/run_all.sh

# Run each fuzz target for FUZZTIME in turn (go test -fuzz takes one
# target per run); findings land in the package's testdata/fuzz/ and then
# run as regression tests under go test.
FUZZTIME ?= 30s
FUZZ_TARGETS ?= ./dataset:FuzzParseSchema ./dataset:FuzzParseFormula ./dataset:FuzzLoad ./internal/analysis:FuzzParseSubgroupSpec ./internal/analysis:FuzzAnalyses
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -parallel 1 $$pkg; \
	done

fmt:
	gofmt -w $$(git ls-files '*.go')

# Calibration by simulation (issue 15 item 4): CALIBRATE_N studies of the
# reference design, coverage of the true slopes by Wald, profile and Firth
# intervals and the interaction test's type-I error, written to
# testdata/calibration.md (commit it). Uses every core; minutes.
CALIBRATE_N ?= 500
calibrate:
	$(GO) test -count=1 -timeout 3h -run '^TestCalibrationFull$$' ./internal/refstudy -args -calibrate.n=$(CALIBRATE_N) -calibrate.out=$(CURDIR)/testdata/calibration.md
