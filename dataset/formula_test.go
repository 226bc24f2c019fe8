package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// TestFormulaCanonicalText: String() writes ccstudy's canonical text of a
// formula, and that text parses back to the same terms, for every formula
// of R's terms() reference (TestParseFormulaMatchesRTerms checks their
// labels, order and intercept against R).
func TestFormulaCanonicalText(t *testing.T) {
	canonical := map[string]string{
		"y ~ a":            "y ~ a",
		"y~a+b":            "y ~ a + b",
		"y ~ a*b":          "y ~ a + b + a:b",
		"y ~ a:b + b - 1":  "y ~ b + a:b - 1",
		"y ~ 0 + a":        "y ~ a - 1",
		"y ~ 1":            "y ~ 1",
		"y ~ a + a + a:a":  "y ~ a",
		"y ~ `my var` + b": "y ~ `my var` + b",
		"~ a":              "~ a",
	}
	ref := loadDesignReference(t)
	seen := 0
	for _, rc := range ref.Terms {
		f, err := ParseFormula(rc.Formula)
		if err != nil {
			t.Errorf("%s: %v", rc.Formula, err)
			continue
		}
		if want, ok := canonical[rc.Formula]; ok {
			seen++
			if f.String() != want {
				t.Errorf("%s: String() %q, want %q", rc.Formula, f.String(), want)
			}
		}
		// As in R, the variables inside a label may come out in another
		// order (b:a → a:b) when the canonical text meets them in another
		// order, so terms are compared by their sorted variables.
		g, err := ParseFormula(f.String())
		if err != nil {
			t.Errorf("%s: canonical %q does not parse: %v", rc.Formula, f.String(), err)
		} else if !slices.Equal(termKeys(g), termKeys(f)) || g.Intercept != f.Intercept || g.Response != f.Response {
			t.Errorf("%s: canonical %q parses to %q", rc.Formula, f.String(), g.Labels())
		}
	}
	if seen != len(canonical) {
		t.Errorf("%d of the %d canonical-text cases are not in R's terms() reference (add them to design_reference.R)", len(canonical)-seen, len(canonical))
	}
}

// termKeys identifies each term by its sorted variables.
func termKeys(f *Formula) []string {
	var out []string
	for _, t := range f.Terms {
		var vs []string
		for _, v := range t.Vars {
			vs = append(vs, v.String())
		}
		slices.Sort(vs)
		out = append(out, strings.Join(vs, ":"))
	}
	return out
}

func TestFormulaErrorCaret(t *testing.T) {
	_, err := ParseFormula("case ~ dev_years + log()")
	var fe *FormulaError
	if !errors.As(err, &fe) {
		t.Fatalf("want *FormulaError, got %v", err)
	}
	if fe.Pos != strings.Index(fe.Formula, ")") {
		t.Errorf("Pos %d, want the offset of \")\"", fe.Pos)
	}
	want := "formula: unexpected \")\" at column 24 (expected a variable name)\n" +
		"  case ~ dev_years + log()\n" +
		"                         ^"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[2][len(lines[2])-1] != '^' || lines[1][len(lines[2])-1] != ')' {
		t.Errorf("caret not under the offending character:\n%s", err)
	}
}

func TestParseFormulaErrors(t *testing.T) {
	cases := []struct {
		in   string
		at   string // the formula from the offending character on
		frag string
	}{
		{"case dev_years", "", `missing "~"`},
		{"case ~", "", "missing terms"},
		{"case ~ a +", "", "expected a variable name"},
		{"case ~ a + + b", "+ b", "unexpected \"+\""},
		{"case ~ (a + b", "", "expected \")\""},
		{"case ~ a + b)", ") ", ""},
		{"case ~ sqrt(a)", "sqrt(a)", "unknown function sqrt() at column 8 (expected log(), the one function formulas take)"},
		{"case ~ a + 2", "2", "only 0 or 1 may stand alone"},
		{"case ~ a:1", "1", "unexpected number 1"},
		{"case ~ a ~ b", "~ b", "one ~"},
		{"case + x ~ a", "+ x", "single outcome variable"},
		{"case ~ a $ b", "$ b", "unexpected \"$\""},
		{"case ~ case + a", "case + a", "outcome case used as a term"},
		{"case ~ log(a + b)", "+ b)", "expected \")\" after log(name"},
		{"case ~ (a+b)^0", "0)", ""},
		{"case ~ `a", "`a", "unterminated"},
	}
	for _, c := range cases {
		_, err := ParseFormula(c.in)
		var fe *FormulaError
		if !errors.As(err, &fe) {
			t.Errorf("%s: want *FormulaError, got %v", c.in, err)
			continue
		}
		wantPos := len(c.in)
		if c.at != "" {
			wantPos = strings.Index(c.in+" ", c.at)
		}
		if strings.HasSuffix(c.at, " ") {
			wantPos = strings.LastIndex(c.in, strings.TrimSpace(c.at))
		}
		if c.in == "case ~ (a+b)^0" {
			wantPos = strings.LastIndex(c.in, "0")
		}
		if fe.Pos != wantPos {
			t.Errorf("%s: Pos %d, want %d (%v)", c.in, fe.Pos, wantPos, err)
		}
		if !strings.Contains(err.Error(), c.frag) {
			t.Errorf("%s: %q lacks %q", c.in, err, c.frag)
		}
	}
}

func TestDefaultFormula(t *testing.T) {
	s, err := BuiltinSchema("companies")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DefaultFormula(s)
	if err != nil {
		t.Fatal(err)
	}
	// Built from the schema by the rule, independently of DefaultFormula.
	var rhs []string
	for _, f := range s.Fields {
		if f.Role == RoleCovariate {
			if f.Transform == "log" {
				rhs = append(rhs, "log("+f.Name+")")
			} else {
				rhs = append(rhs, f.Name)
			}
		}
	}
	if want := s.Outcome() + " ~ " + strings.Join(rhs, " + "); got != want {
		t.Errorf("DefaultFormula %q, want %q", got, want)
	}
	if !strings.Contains(got, "log(rd_expenditure)") || !strings.HasPrefix(got, "case ~ company_type + ") {
		t.Errorf("DefaultFormula %q", got)
	}
	f, err := ParseFormula(got)
	if err != nil {
		t.Fatal(err)
	}
	if f.String() != got {
		t.Errorf("canonical %q differs from %q", f.String(), got)
	}
	// Covariates against the schema document itself, decoded here without
	// ParseSchema: the fields whose role is "covariate", in file order.
	raw, err := BuiltinSchemaJSON("companies")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Fields []struct {
			Name string `json:"name"`
			Role string `json:"role"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var covs []string
	for _, f := range doc.Fields {
		if f.Role == "covariate" {
			covs = append(covs, f.Name)
		}
	}
	if got := Covariates(s); len(covs) == 0 || !slices.Equal(got, covs) {
		t.Errorf("Covariates %q, the schema's covariate fields %q", got, covs)
	}
	if _, err := DefaultFormula(&Schema{Name: "x", Fields: []*Field{{Name: "a", Role: RoleCovariate}}}); err == nil {
		t.Error("no outcome: want an error")
	}
	if _, err := DefaultFormula(&Schema{Name: "x", Fields: []*Field{{Name: "a", Role: RoleOutcome}}}); err == nil {
		t.Error("no covariates: want an error")
	}
}

func TestParseFormulaMatchesRTerms(t *testing.T) {
	ref := loadDesignReference(t)
	if len(ref.Terms) < 30 {
		t.Fatalf("reference has %d terms cases", len(ref.Terms))
	}
	for _, rc := range ref.Terms {
		f, err := ParseFormula(rc.Formula)
		if err != nil {
			t.Errorf("%s: %v", rc.Formula, err)
			continue
		}
		if got := f.Labels(); !slices.Equal(got, rc.TermLabels) {
			t.Errorf("%s: labels %q, R %q", rc.Formula, got, rc.TermLabels)
		}
		var order []int
		for _, term := range f.Terms {
			order = append(order, term.Order())
		}
		if !slices.Equal(order, rc.Order) {
			t.Errorf("%s: order %v, R %v", rc.Formula, order, rc.Order)
		}
		if f.Intercept != (rc.Intercept == 1) {
			t.Errorf("%s: intercept %v, R %d", rc.Formula, f.Intercept, rc.Intercept)
		}
		var vars []string
		if f.Response != "" {
			vars = append(vars, f.Response)
		}
		if (f.Response != "") != (rc.Response == 1) {
			t.Errorf("%s: response %q, R %d", rc.Formula, f.Response, rc.Response)
		}
		for _, v := range f.Vars {
			vars = append(vars, v.String())
		}
		if !slices.Equal(vars, rc.Variables) {
			t.Errorf("%s: variables %q, R %q", rc.Formula, vars, rc.Variables)
		}
	}
}

func BenchmarkParseFormula(b *testing.B) {
	const s = "case ~ company_type*novelty + founder_background + rd_leader_background + dev_years + " +
		"log(rd_expenditure) + listed + product_source + orphan_drug + (listed + orphan_drug)^2"
	for b.Loop() {
		if _, err := ParseFormula(s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFormulaLexerAdvancesOnUnicodeDigits: a digit other than 0-9 (an
// Arabic-Indic "١", a fullwidth "１") once matched the number rule with
// zero bytes and the lexer looped forever; it is now an error at the
// digit, in the formula and in a name's first place, and such a digit
// inside a name stays part of the name, as in R.
func TestFormulaLexerAdvancesOnUnicodeDigits(t *testing.T) {
	for _, in := range []string{"case ~ ١", "case ~ １", "case ~ a + ١b", "case ~ (a)^２", "١ ~ a"} {
		done := make(chan error, 1)
		go func() { _, err := ParseFormula(in); done <- err }()
		var err error
		select {
		case err = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%q: ParseFormula did not return within 5 s", in)
		}
		var fe *FormulaError
		if !errors.As(err, &fe) {
			t.Fatalf("%q: want *FormulaError, got %v", in, err)
		}
		r, _ := utf8.DecodeRuneInString(in[fe.Pos:])
		if !unicode.IsDigit(r) || r <= '9' {
			t.Errorf("%q: error at %q, want the non-ASCII digit: %v", in, in[fe.Pos:], err)
		}
		if !strings.Contains(err.Error(), "unexpected digit") {
			t.Errorf("%q: %v lacks \"unexpected digit\"", in, err)
		}
	}
	f, err := ParseFormula("case ~ x١")
	if err != nil || len(f.Vars) != 1 || f.Vars[0].Name != "x١" {
		t.Errorf(`"case ~ x١": got %v, %v; want the one variable "x١"`, f, err)
	}
}

// TestFormulaPowerStopsWhenStable: (…)^n for n beyond the number of
// variables gives the same terms as n equal to it, and does not cross n-1
// times (listed^1000000 took 3.6 s); an n above maxFormulaPower, or one
// that does not fit an int, is a clear error at the number.
func TestFormulaPowerStopsWhenStable(t *testing.T) {
	want, err := ParseFormula("y ~ (a + b + c)^3")
	if err != nil {
		t.Fatal(err)
	}
	big := fmt.Sprintf("y ~ (a + b + c)^%d", maxFormulaPower)
	var got *Formula
	// About 28 kB; crossing maxFormulaPower times would be many MB.
	if b := reftest.AllocatedBytes(func() { got, err = ParseFormula(big) }); b > 1<<20 {
		t.Errorf("%s allocated %d bytes (the term set is stable after 2 crossings)", big, b)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("%s = %s, want %s", big, got, want)
	}
	for _, in := range []string{
		fmt.Sprintf("case ~ listed^%d", maxFormulaPower+1),
		"case ~ listed^1000000",
		"case ~ a^99999999999999999999999",
	} {
		_, err := ParseFormula(in)
		var fe *FormulaError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "too large") {
			t.Errorf("%s: want a \"too large\" *FormulaError, got %v", in, err)
			continue
		}
		if want := strings.Index(in, "^") + 1; fe.Pos != want {
			t.Errorf("%s: error at %d, want %d (the power)", in, fe.Pos, want)
		}
	}
}

// TestFormulaExpansionBounded: a short formula whose expansion would have
// millions of terms, a very long sum and deep parentheses each end in a
// prompt *FormulaError, never in exhausted memory or stack.
func TestFormulaExpansionBounded(t *testing.T) {
	vars := make([]string, 20)
	for i := range vars {
		vars[i] = fmt.Sprintf("x%d", i)
	}
	long := make([]string, maxFormulaTerms+1)
	for i := range long {
		long[i] = fmt.Sprintf("v%d", i)
	}
	cases := map[string]string{
		"y ~ (" + strings.Join(vars, " + ") + ")^20": "too many terms",
		"y ~ " + strings.Join(vars, "*"):             "too many terms",
		"y ~ " + strings.Join(long, " + "):           "too many terms",
		"y ~ " + strings.Repeat("(", maxFormulaDepth+1) + "a" + strings.Repeat(")", maxFormulaDepth+1): "nested more than",
	}
	for in, frag := range cases {
		var err error
		// At most 77 MB today (the 20-variable power, stopped at the term
		// bound); the expansion itself would be gigabytes.
		alloc := reftest.AllocatedBytes(func() { _, err = ParseFormula(in) })
		var fe *FormulaError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), frag) {
			t.Errorf("%.60s…: want a %q *FormulaError, got %v", in, frag, err)
		}
		if alloc > 256<<20 {
			t.Errorf("%.60s…: allocated %d bytes", in, alloc)
		}
	}
	// Exactly at the depth bound parses.
	in := "y ~ " + strings.Repeat("(", maxFormulaDepth) + "a" + strings.Repeat(")", maxFormulaDepth)
	if _, err := ParseFormula(in); err != nil {
		t.Errorf("depth %d: %v", maxFormulaDepth, err)
	}
}

// TestFormulaErrorBounded: the error for a 1 MB formula shows a window
// around the offending column, with the caret under it, not the whole
// formula, and a 1 MB name is elided in the message; a newline or tab in
// the formula is shown as a space, so the message keeps its three lines
// and the caret its column.
func TestFormulaErrorBounded(t *testing.T) {
	pad := strings.Repeat("a + ", 250000)
	for _, in := range []string{"y ~ " + pad + "$ + " + pad + "b", "y ~ " + strings.Repeat("n", 1<<20) + "(a)", "y ~ a +\n\tb $", "\n"} {
		_, err := ParseFormula(in)
		var fe *FormulaError
		if !errors.As(err, &fe) {
			t.Fatalf("want *FormulaError, got %.200v", err)
		}
		msg := err.Error()
		if len(msg) > 1000 {
			t.Errorf("message of %d bytes: %.300q", len(msg), msg)
		}
		lines := strings.Split(msg, "\n")
		if len(lines) != 3 {
			t.Fatalf("want 3 lines, got %q", msg)
		}
		caret := utf8.RuneCountInString(lines[2]) - 1
		shown := []rune(lines[1])
		if fe.Pos == len(in) {
			// At the end of the formula the caret stands just past it.
			if !strings.HasSuffix(lines[1], "…") && caret != len(shown) {
				t.Errorf("caret at %d, want %d (the end):\n%s", caret, len(shown), msg)
			}
			continue
		}
		if caret >= len(shown) {
			t.Fatalf("caret at %d beyond %q", caret, lines[1])
		}
		at, _ := utf8.DecodeRuneInString(in[fe.Pos:])
		if shown[caret] != at {
			t.Errorf("caret under %q, want %q:\n%s", shown[caret], at, msg)
		}
	}
}

// TestQuotedNamesRoundTrip: every field name, including those that clash
// with formula syntax, is quoted by the formulas ccstudy writes so that it
// parses back to itself, and backtick-quoted names may contain ':', '(',
// spaces and escaped backticks and backslashes, as in R.
func TestQuotedNamesRoundTrip(t *testing.T) {
	for _, name := range []string{"a:b", "log(x)", "a`b", "`", "a\\b", "\\`", "x + y", "a*b", "1st", "名字", "١x", "a~b", "a b\tc", "`\xff", "a\xffb`"} {
		q := quoteRName(name)
		f, err := ParseFormula("y ~ " + q + " + log(" + q + ")")
		if err != nil {
			t.Errorf("%q quoted as %s: %v", name, q, err)
			continue
		}
		if len(f.Vars) != 2 || f.Vars[0].Name != name || f.Vars[1] != (Variable{Name: name, Log: true}) {
			t.Errorf("%q quoted as %s parses to %+v", name, q, f.Vars)
		}
		again, err := ParseFormula(f.String())
		if err != nil || again.String() != f.String() {
			t.Errorf("%q: canonical %s reparses as %v, %v", name, f, again, err)
		}
		v, err := ParseVariable(q)
		if err != nil || v.Name != name {
			t.Errorf("ParseVariable(%s) = %+v, %v; want %q", q, v, err, name)
		}
	}
}

// TestQuotedNamesMatchR: for formulas whose names clash with formula
// syntax (a backtick, ':', '(', '+', a leading digit), the variables and
// the term labels, backtick quoting and escaping included, are R's
// (testdata/reference/design/quoted_names.R).
func TestQuotedNamesMatchR(t *testing.T) {
	var ref []struct {
		Formula string   `json:"formula"`
		Vars    []string `json:"vars"`
		Labels  []string `json:"labels"`
	}
	const path = "testdata/reference/design/quoted_names.json"
	if err := json.Unmarshal(reftest.Read(t, path), &ref); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	if len(ref) == 0 {
		t.Fatal("no cases in " + path)
	}
	for _, c := range ref {
		f, err := ParseFormula(c.Formula)
		if err != nil {
			t.Errorf("%s: %v", c.Formula, err)
			continue
		}
		var vars []string
		for _, v := range f.Vars {
			vars = append(vars, v.Name)
		}
		if !slices.Equal(vars, c.Vars) {
			t.Errorf("%s: variables %q, R %q", c.Formula, vars, c.Vars)
		}
		if !slices.Equal(f.Labels(), c.Labels) {
			t.Errorf("%s: labels %q, R %q", c.Formula, f.Labels(), c.Labels)
		}
	}
}

// TestDefaultFormulaQuotesOddNames: the formula ccstudy builds from a
// schema whose field names clash with formula syntax parses back to those
// fields (it broke on a backtick, "a:b" and a field literally named
// "log(x)").
func TestDefaultFormulaQuotesOddNames(t *testing.T) {
	names := []string{"a:b", "log(x)", "a`b", "x + y", "1st", `back\slash`}
	fields := []string{`{"name": "y", "type": "integer", "role": "outcome"}`}
	for _, n := range names {
		b, _ := json.Marshal(n)
		fields = append(fields, fmt.Sprintf(`{"name": %s, "type": "number", "role": "covariate"}`, b))
	}
	s, err := ParseSchema([]byte(`{"fields": [`+strings.Join(fields, ",")+`]}`), "odd.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := DefaultFormula(s)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFormula(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var got []string
	for _, v := range f.Vars {
		if v.Log {
			t.Errorf("%s: %v read as a log term", src, v)
		}
		got = append(got, v.Name)
	}
	if f.Response != "y" || !slices.Equal(got, names) {
		t.Errorf("%s parses to %q ~ %q, want y ~ %q", src, f.Response, got, names)
	}
}
