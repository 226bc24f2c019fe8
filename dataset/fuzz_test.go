package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets below run their committed seed corpora
// (testdata/fuzz/FuzzX) as ordinary tests under go test; `make fuzz`
// explores beyond them. Each checks that no input panics or hangs and that
// the messages stay bounded, plus a property that must hold for every
// accepted input.

// fuzzHang is how long one input may take before the watchdog calls it a
// hang: far above any input's real cost, even on a loaded machine.
const fuzzHang = 20 * time.Second

// watchdog turns a hang into a crash that names itself: go test -fuzz
// only says "hung or terminated unexpectedly", so after fuzzHang the
// process panics with every goroutine's stack, and the fuzzer saves the
// input. The caller defers the returned stop.
func watchdog(what string) (stop func() bool) {
	timer := time.AfterFunc(fuzzHang, func() {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		panic(fmt.Sprintf("%s: no result after %v (a hang):\n%s", what, fuzzHang, buf[:n]))
	})
	return timer.Stop
}

// maxFuzzLine bounds one line of any error message: a message quotes at
// most a few values, each elided, and a window of the formula.
const maxFuzzLine = 4000

func checkBoundedMessage(t *testing.T, err error, maxLines int) {
	t.Helper()
	lines := strings.Split(err.Error(), "\n")
	if len(lines) > maxLines {
		t.Fatalf("message has %d lines (bound %d)", len(lines), maxLines)
	}
	for _, l := range lines {
		if len(l) > maxFuzzLine {
			t.Fatalf("message line of %d bytes (bound %d): %.200q…", len(l), maxFuzzLine, l)
		}
	}
}

// FuzzParseSchema: any bytes give a schema or a *SchemaError of at most
// maxSchemaProblems+1 bounded lines; an accepted schema has named,
// typed, uniquely named fields and reparses from its own JSON.
func FuzzParseSchema(f *testing.F) {
	for _, name := range []string{"companies", "products"} {
		if b, err := BuiltinSchemaJSON(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog("ParseSchema")()
		s, err := ParseSchema(b, "fuzz.json")
		if err != nil {
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *SchemaError: %v", err, err)
			}
			checkBoundedMessage(t, err, maxSchemaProblems+1)
			return
		}
		seen := map[string]bool{}
		for _, fd := range s.Fields {
			if fd.Name == "" || fd.Type == "" {
				t.Fatalf("accepted a field without name or type: %+v", fd)
			}
			if seen[fd.Name] {
				t.Fatalf("accepted the name %q twice", fd.Name)
			}
			seen[fd.Name] = true
		}
	})
}

// FuzzParseFormula: any text gives a formula or a bounded *FormulaError;
// an accepted formula's canonical text parses to the same canonical text.
// The text is also read as a --covariates list (comma-separated, each
// written as CovariateTerms writes it) and as a field name, which
// quoteRName must quote so that it parses back to itself.
func FuzzParseFormula(f *testing.F) {
	s := fuzzSchema(f)
	f.Fuzz(func(t *testing.T, src string) {
		defer watchdog("ParseFormula")()
		checkFormula(t, src)
		if src != "" {
			terms := CovariateTerms(s, strings.Split(src, ","))
			checkFormula(t, "case ~ "+strings.Join(terms, " + "))
			name := src
			fm, err := ParseFormula(quoteRName(name) + " ~ 1")
			if err != nil {
				t.Fatalf("name %q quoted as %s does not parse: %v", name, quoteRName(name), err)
			}
			if fm.Response != name {
				t.Fatalf("name %q quoted as %s parses as %q", name, quoteRName(name), fm.Response)
			}
		}
	})
}

func checkFormula(t *testing.T, src string) {
	t.Helper()
	fm, err := ParseFormula(src)
	if err != nil {
		var fe *FormulaError
		if !errors.As(err, &fe) {
			t.Fatalf("error %T, want *FormulaError: %v", err, err)
		}
		checkBoundedMessage(t, err, 3)
		return
	}
	if len(fm.Terms) > maxFormulaTerms {
		t.Fatalf("%q: %d terms, above the bound %d", src, len(fm.Terms), maxFormulaTerms)
	}
	canon := fm.String()
	again, err := ParseFormula(canon)
	if err != nil {
		t.Fatalf("%q: canonical text %q does not parse: %v", src, canon, err)
	}
	// The same model, not necessarily the same text: as in R, the order
	// of the variables inside a label follows their first appearance,
	// which the canonical text can change ("a*A - a" is "A + a:A", which
	// R and ccstudy both read as "A + A:a").
	if termSetKey(again) != termSetKey(fm) || again.Intercept != fm.Intercept || again.Response != fm.Response {
		t.Fatalf("%q: canonical text %q reparses as %q, another model", src, canon, again.String())
	}
}

// termSetKey identifies a formula's terms as a set of sets of variables.
func termSetKey(f *Formula) string {
	keys := make([]string, len(f.Terms))
	for i, tm := range f.Terms {
		vs := make([]string, len(tm.Vars))
		for j, v := range tm.Vars {
			vs[j] = v.String()
		}
		slices.Sort(vs)
		keys[i] = strings.Join(vs, "\x00")
	}
	slices.Sort(keys)
	return strings.Join(keys, "\x01")
}

// fuzzSchemaJSON is a small schema with one field of each kind the loader
// reads, for FuzzLoad and the --covariates reading of FuzzParseFormula.
const fuzzSchemaJSON = `{
  "name": "fuzz",
  "fields": [
    {"name": "id", "type": "string", "role": "id", "constraints": {"required": true, "unique": true}},
    {"name": "case", "type": "integer", "role": "outcome"},
    {"name": "dose", "type": "number", "role": "covariate", "transform": "log", "constraints": {"minimum": 0}},
    {"name": "grp", "type": "string", "role": "covariate", "categories": ["a", "b", "c"]},
    {"name": "smoker", "type": "boolean", "role": "covariate", "trueValues": ["Yes"], "falseValues": ["No"]},
    {"name": "year", "type": "year"},
    {"name": "seen", "type": "date", "format": "%Y-%m-%d"},
    {"name": "cost", "type": "number", "decimalChar": ",", "groupChar": "."},
    {"name": "odd name:x", "type": "integer", "role": "covariate"}
  ]
}`

func fuzzSchema(tb testing.TB) *Schema {
	tb.Helper()
	s, err := ParseSchema([]byte(fuzzSchemaJSON), "fuzz-schema")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// FuzzLoad: any bytes loaded as a CSV with fuzzSchema give a table or an
// error, never a panic or a hang; an accepted table has one value per
// row in every column and its rows' line numbers increase.
func FuzzLoad(f *testing.F) {
	s := fuzzSchema(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog("Load")()
		tab, err := Load(bytes.NewReader(b), "fuzz.csv", s, LoadOptions{})
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.Valid(b) {
				t.Fatalf("message is not UTF-8 for UTF-8 input: %q", err.Error())
			}
			return
		}
		n := tab.NRows()
		for _, c := range tab.Columns {
			if len(c.Missing) != n || (len(c.Num) != n && len(c.Str) != n) {
				t.Fatalf("column %q: %d/%d/%d values for %d rows", c.Field.Name, len(c.Num), len(c.Str), len(c.Missing), n)
			}
		}
		for i := 1; i < n; i++ {
			if tab.Lines[i] <= tab.Lines[i-1] {
				t.Fatalf("line numbers %v not increasing", tab.Lines)
			}
		}
	})
}

// TestUnknownVariableMessageBounded: a 10 MB unknown variable in a
// formula gives a short message at once (the did-you-mean distance on it
// once cost len(name)·len(field) and the message quoted it whole).
func TestUnknownVariableMessageBounded(t *testing.T) {
	s := fuzzSchema(t)
	csv := "id,case,dose,grp,smoker,year,seen,cost,odd name:x\nc1,1,2.5,a,Yes,2001,2020-01-02,1,3\nc2,0,1,b,No,1999,2019-12-31,7,4\n"
	tab, err := Load(strings.NewReader(csv), "t.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("dose", 10<<18)
	f, err := ParseFormula("case ~ " + huge)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = Design(tab, f, DesignOptions{}); err == nil {
		t.Fatal("unknown variable accepted")
	}
	if len(err.Error()) > 1000 || !strings.Contains(err.Error(), "unknown variable") {
		t.Errorf("message of %d bytes: %.300q", len(err.Error()), err)
	}
	if _, err = Indicators(tab, []string{huge}); err == nil || len(err.Error()) > 1000 {
		t.Errorf("Indicators: %.300v", err)
	}
}
