package analysis

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
)

// The end-to-end fuzz target (issue 15 item 1): small studies built from
// fuzz bytes under one fixed schema, loaded, validated and analysed as
// `ccstudy validate` and `ccstudy logit --univariable` do, with Wald and
// profile intervals. Errors are fine; a panic, a hang or a result that
// cannot be written as JSON is not.

// fuzzAnalysesSchema: a binary outcome, a three-level factor and a number.
const fuzzAnalysesSchema = `{
  "name": "fuzz",
  "missingValues": ["", "NA"],
  "fields": [
    {"name": "id", "type": "string", "role": "id"},
    {"name": "y", "type": "integer", "role": "outcome", "constraints": {"enum": [0, 1]}},
    {"name": "grp", "type": "string", "role": "covariate", "categories": ["a", "b", "c"]},
    {"name": "x", "type": "number", "role": "covariate"}
  ]
}`

// fuzzMaxRows bounds a study: enough for separation, aliasing and sparse
// cells, small enough for thousands of executions a minute.
const fuzzMaxRows = 64

// fuzzSpecials are the numbers a researcher's column may hold beyond the
// ordinary: extremes, signed zero, repeats that alias, text.
var fuzzSpecials = []string{"", "NA", "0", "-0", "1e308", "-1e308", "1e-308", "5e-324", "1e15", "-1e15", "3", "3", "1.5", "x", " 2 ", "Inf"}

// fuzzStudy turns fuzz bytes into a CSV: byte 0 chooses the formula
// variant, then each 3 bytes are a row (outcome, factor, number). Most
// bytes give valid values, a few a missing or invalid cell, so most
// inputs reach the models.
func fuzzStudy(b []byte) (csv string, variant byte) {
	if len(b) == 0 {
		return "id,y,grp,x\n", 0
	}
	variant, b = b[0], b[1:]
	var sb strings.Builder
	sb.WriteString("id,y,grp,x\n")
	for r := 0; r+2 < len(b) && r/3 < fuzzMaxRows; r += 3 {
		yb, gb, xb := b[r], b[r+1], b[r+2]
		// Bytes 240 and above are the rare cells: missing, or invalid
		// (one invalid cell makes the load fail, as it should).
		y := "0"
		switch {
		case yb >= 248:
			y = "2"
		case yb >= 240:
			y = ""
		case yb >= 120:
			y = "1"
		}
		g := string(rune('a' + int(gb)/80))
		switch {
		case gb >= 252:
			g = "d"
		case gb >= 240:
			g = ""
		}
		var x string
		if xb < 240 {
			// A grid with ties, as rounded measurements have.
			x = fmt.Sprintf("%g", float64(int(xb)-120)/8)
		} else {
			x = fuzzSpecials[xb-240]
		}
		fmt.Fprintf(&sb, "r%d,%s,%s,%s\n", r/3+1, y, g, x)
	}
	return sb.String(), variant
}

var fuzzFormulas = []string{"", "y ~ grp + x", "y ~ grp * x", "y ~ x", "y ~ grp", "y ~ grp + log(x)", "y ~ 0 + grp + x", "y ~ grp:x"}

// FuzzAnalyses: validate and logit (adjusted and crude, Wald and
// profile) on any small study; never a panic or a hang, and every result
// writes as JSON.
func FuzzAnalyses(f *testing.F) {
	s, err := dataset.ParseSchema([]byte(fuzzAnalysesSchema), "fuzz.schema.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		timer := time.AfterFunc(60*time.Second, func() {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			panic(fmt.Sprintf("FuzzAnalyses: no result after 60 s (a hang):\n%s", buf[:n]))
		})
		defer timer.Stop()
		csv, variant := fuzzStudy(b)
		runFuzzStudy(t, s, csv, fuzzFormulas[int(variant)%len(fuzzFormulas)], variant >= 128)
	})
}

func runFuzzStudy(t *testing.T, s *dataset.Schema, csv, formula string, complete bool) {
	t.Helper()
	tab, err := dataset.Load(strings.NewReader(csv), "fuzz.csv", s, dataset.LoadOptions{})
	if err != nil {
		return
	}
	// validate
	sum := dataset.Summarize(tab)
	info := dataset.NewDataInfo(tab)
	if sum.Rows != tab.NRows() || info.RowsRead != tab.NRows() {
		t.Fatalf("validate: %d rows in the summary, %d read, %d loaded", sum.Rows, info.RowsRead, tab.NRows())
	}
	for _, ci := range []logit.CI{logit.CIWald, logit.CIProfile} {
		o := DefaultLogitOptions()
		o.Formula, o.CI, o.Univariable = formula, ci, true
		if complete {
			o.CrudeSample = CrudeComplete
		}
		res, err := Logit(tab, o)
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		if err := render.WriteJSON(&buf, res); err != nil {
			t.Fatalf("logit --ci %s: result not written as JSON: %v", ci, err)
		}
		for _, m := range res.Models() {
			if m.N > tab.NRows() || len(m.Rows)+len(m.Excluded) != tab.NRows() {
				t.Fatalf("%s: %d rows used and %d excluded of %d", m.Name, len(m.Rows), len(m.Excluded), tab.NRows())
			}
			for _, term := range m.Terms {
				if math.IsNaN(term.Estimate) {
					t.Fatalf("%s %s: NaN estimate without an error", m.Name, term.Term)
				}
			}
		}
	}
}

// TestFuzzAnalysesSeeds runs the committed corpus's kinds of study by
// name, so a regression says which: constant outcome, separation, an
// aliased factor, one row, extreme and repeated numbers.
func TestFuzzAnalysesSeeds(t *testing.T) {
	s, err := dataset.ParseSchema([]byte(fuzzAnalysesSchema), "fuzz.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range fuzzSeeds() {
		t.Run(name, func(t *testing.T) {
			csv, variant := fuzzStudy(b)
			if strings.Count(csv, "\n") < 2 && len(b) > 3 {
				t.Fatalf("no rows from %d bytes", len(b))
			}
			runFuzzStudy(t, s, csv, fuzzFormulas[int(variant)%len(fuzzFormulas)], variant >= 128)
		})
	}
}

// fuzzSeeds are the seed corpus (also committed under
// testdata/fuzz/FuzzAnalyses, written by TestWriteFuzzAnalysesCorpus).
func fuzzSeeds() map[string][]byte {
	rows := func(variant byte, n int, row func(i int) (y, g, x byte)) []byte {
		b := []byte{variant}
		for i := 0; i < n; i++ {
			y, g, x := row(i)
			b = append(b, y, g, x)
		}
		return b
	}
	return map[string][]byte{
		"ordinary": rows(1, 40, func(i int) (byte, byte, byte) {
			return byte(i * 97 % 240), byte(i * 53 % 240), byte(100 + i*13%40)
		}),
		"constant_outcome": rows(1, 20, func(i int) (byte, byte, byte) { return 200, byte(i * 80 % 240), byte(i * 5) }),
		"separated_by_x": rows(3, 30, func(i int) (byte, byte, byte) {
			y := byte(0)
			if i >= 15 {
				y = 200
			}
			return y, byte(i * 80 % 240), byte(i * 4)
		}),
		"quasi_separated_level": rows(1, 30, func(i int) (byte, byte, byte) {
			y := byte(i * 71 % 240)
			if i%3 == 2 {
				y = 200 // every row of level c is a case
			}
			return y, byte(i % 3 * 80), byte(i * 31 % 240)
		}),
		"empty_level": rows(4, 24, func(i int) (byte, byte, byte) { return byte(i * 89 % 240), byte(i%2) * 160, byte(i) }),
		"one_row":     rows(1, 1, func(int) (byte, byte, byte) { return 200, 0, 120 }),
		"extremes": rows(2, 30, func(i int) (byte, byte, byte) {
			return byte(i * 97 % 240), byte(i * 80 % 240), byte(240 + i%13)
		}),
		"constant_x":         rows(1, 30, func(i int) (byte, byte, byte) { return byte(i * 97 % 240), byte(i * 80 % 240), 130 }),
		"log_of_nonpositive": rows(5, 30, func(i int) (byte, byte, byte) { return byte(i * 97 % 240), byte(i * 53 % 240), byte(i * 8) }),
		"missing_cells": rows(134, 40, func(i int) (byte, byte, byte) {
			return byte(i * 97 % 248), byte(i * 61 % 252), byte(i * 37 % 250)
		}),
		"invalid_cell":       rows(1, 10, func(i int) (byte, byte, byte) { return byte(i * 97 % 240), 255, byte(i) }),
		"interaction_sparse": rows(2, 18, func(i int) (byte, byte, byte) { return byte(i * 13), byte(i % 3 * 80), byte(110 + i) }),
		"aliased_no_intercept": rows(6, 40, func(i int) (byte, byte, byte) {
			return byte(i * 97 % 240), byte(i * 53 % 240), byte(110 + i%20)
		}),
		"empty": {},
	}
}
