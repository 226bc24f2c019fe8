package dataset

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// ---- test helpers: tables built directly in Go (no loader) ----

// testCol is one column of a hand-built table. A factor column gives
// Levels and its values as labels in Str; a numeric column gives Num.
// Missing values are NaN in Num or "" in Str.
type testCol struct {
	Name   string
	Type   string // number, integer, string
	Role   string
	Levels []string
	Num    []float64
	Str    []string
}

// makeTable builds a Table from columns, with file lines 2, 3, ...
func makeTable(t testing.TB, source string, cols ...testCol) *Table {
	t.Helper()
	tab := &Table{Source: source, Schema: &Schema{Name: source}}
	n := -1
	for _, c := range cols {
		f := &Field{Name: c.Name, Type: c.Type, Role: c.Role}
		if f.Type == "" {
			f.Type = TypeNumber
			if c.Levels != nil || c.Str != nil {
				f.Type = TypeString
			}
		}
		for _, l := range c.Levels {
			f.Categories = append(f.Categories, Category{Value: l})
		}
		tab.Schema.Fields = append(tab.Schema.Fields, f)
		col := &Column{Field: f}
		switch {
		case c.Levels != nil:
			col.Num = make([]float64, len(c.Str))
			col.Missing = make([]bool, len(c.Str))
			for i, s := range c.Str {
				if s == "" {
					col.Num[i], col.Missing[i] = math.NaN(), true
					continue
				}
				k, ok := f.CategoryIndex(s)
				if !ok {
					t.Fatalf("column %s: %q is not a level", c.Name, s)
				}
				col.Num[i] = float64(k)
			}
		case c.Str != nil:
			col.Str = c.Str
			col.Missing = make([]bool, len(c.Str))
			for i, s := range c.Str {
				col.Missing[i] = s == ""
			}
		default:
			col.Num = c.Num
			col.Missing = make([]bool, len(c.Num))
			for i, x := range c.Num {
				col.Missing[i] = math.IsNaN(x)
			}
		}
		if n >= 0 && len(col.Missing) != n {
			t.Fatalf("column %s has %d rows, want %d", c.Name, len(col.Missing), n)
		}
		n = len(col.Missing)
		tab.Columns = append(tab.Columns, col)
	}
	tab.Lines = make([]int, n)
	for i := range tab.Lines {
		tab.Lines[i] = i + 2
	}
	return tab
}

// ---- R reference ----

type refColumn struct {
	Name   string     `json:"name"`
	Type   string     `json:"type"`
	Levels []string   `json:"levels"`
	Values []*jsonAny `json:"values"`
}

// jsonAny holds a number or a string (null is a nil pointer).
type jsonAny struct {
	num   float64
	str   string
	isStr bool
}

func (a *jsonAny) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		a.isStr = true
		return json.Unmarshal(b, &a.str)
	}
	return json.Unmarshal(b, &a.num)
}

type refCase struct {
	Data       string            `json:"data"`
	Formula    string            `json:"formula"`
	Ref        map[string]string `json:"ref"`
	TermLabels []string          `json:"term_labels"`
	Order      []int             `json:"order"`
	Intercept  int               `json:"intercept"`
	Variables  []string          `json:"variables"`
	Colnames   []string          `json:"colnames"`
	Assign     []int             `json:"assign"`
	Rows       []int             `json:"rows"`
	Matrix     [][]float64       `json:"matrix"`
	Aliased    []string          `json:"aliased"`
}

type refFile struct {
	Datasets map[string]struct {
		N       int         `json:"n"`
		Columns []refColumn `json:"columns"`
	} `json:"datasets"`
	Terms []struct {
		Formula    string   `json:"formula"`
		TermLabels []string `json:"term_labels"`
		Order      []int    `json:"order"`
		Intercept  int      `json:"intercept"`
		Response   int      `json:"response"`
		Variables  []string `json:"variables"`
	} `json:"terms"`
	Cases      []refCase `json:"cases"`
	Indicators []struct {
		Data     string      `json:"data"`
		Vars     []string    `json:"vars"`
		Colnames []string    `json:"colnames"`
		Rows     []int       `json:"rows"`
		Matrix   [][]float64 `json:"matrix"`
	} `json:"indicators"`
}

func loadDesignReference(t testing.TB) *refFile {
	t.Helper()
	const path = "testdata/reference/design/design_reference.json"
	var r refFile
	if err := json.Unmarshal(fixSingletons(reftest.Read(t, path)), &r); err != nil {
		t.Fatalf("decoding reference %s: %v", path, err)
	}
	return &r
}

// fixSingletons undoes jsonlite's auto_unbox of length-1 vectors for the
// fields that are always lists.
func fixSingletons(b []byte) []byte {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return b
	}
	for _, c := range raw["cases"].([]any) {
		m := c.(map[string]any)
		for _, k := range []string{"term_labels", "order", "variables", "colnames", "assign", "aliased", "rows"} {
			if v, ok := m[k]; ok {
				if _, isList := v.([]any); !isList {
					m[k] = []any{v}
				}
			}
		}
		if mat, ok := m["matrix"].([]any); ok {
			for i, row := range mat {
				if _, isList := row.([]any); !isList {
					mat[i] = []any{row}
				}
			}
		}
	}
	if terms, ok := raw["terms"].([]any); ok {
		for _, c := range terms {
			m := c.(map[string]any)
			for _, k := range []string{"term_labels", "order", "variables"} {
				switch v := m[k].(type) {
				case []any:
				case map[string]any: // jsonlite writes an empty list as {}
					m[k] = []any{}
				default:
					m[k] = []any{v}
				}
			}
		}
	}
	out, _ := json.Marshal(raw)
	return out
}

func refTable(t testing.TB, r *refFile, name string) *Table {
	t.Helper()
	d, ok := r.Datasets[name]
	if !ok {
		t.Fatalf("no dataset %s in the reference", name)
	}
	var cols []testCol
	for _, c := range d.Columns {
		tc := testCol{Name: c.Name}
		if c.Type == "factor" {
			tc.Levels = c.Levels
			for _, v := range c.Values {
				if v == nil {
					tc.Str = append(tc.Str, "")
				} else {
					tc.Str = append(tc.Str, v.str)
				}
			}
		} else {
			for _, v := range c.Values {
				if v == nil {
					tc.Num = append(tc.Num, math.NaN())
				} else {
					tc.Num = append(tc.Num, v.num)
				}
			}
		}
		cols = append(cols, tc)
	}
	return makeTable(t, name+".csv", cols...)
}

var bracketLevel = regexp.MustCompile(`^(.*)\[(.*)\]$`)

// rColumnName maps a ccstudy column name to R's by rule: in each ":"
// part, var[level] becomes var followed by level (R pastes the factor
// name and the level); other parts are unchanged.
func rColumnName(name string) string {
	parts := strings.Split(name, ":")
	for i, p := range parts {
		if m := bracketLevel.FindStringSubmatch(p); m != nil {
			parts[i] = m[1] + m[2]
		}
	}
	return strings.Join(parts, ":")
}

func TestDesignMatchesR(t *testing.T) {
	ref := loadDesignReference(t)
	if len(ref.Cases) < 20 {
		t.Fatalf("reference has %d cases, expected the full set", len(ref.Cases))
	}
	for _, rc := range ref.Cases {
		t.Run(rc.Formula, func(t *testing.T) {
			tab := refTable(t, ref, rc.Data)
			f, err := ParseFormula(rc.Formula)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Labels(); !slices.Equal(got, rc.TermLabels) {
				t.Errorf("term labels %q, R %q", got, rc.TermLabels)
			}
			for j, term := range f.Terms {
				if j < len(rc.Order) && term.Order() != rc.Order[j] {
					t.Errorf("term %s order %d, R %d", term.Label(), term.Order(), rc.Order[j])
				}
			}
			if f.Intercept != (rc.Intercept == 1) {
				t.Errorf("intercept %v, R %d", f.Intercept, rc.Intercept)
			}
			vars := []string{f.Response}
			for _, v := range f.Vars {
				vars = append(vars, v.String())
			}
			if !slices.Equal(vars, rc.Variables) {
				t.Errorf("variables %q, R %q", vars, rc.Variables)
			}

			dm, err := Design(tab, f, DesignOptions{Ref: rc.Ref})
			var aerr *AliasError
			switch {
			case len(rc.Aliased) == 0 && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case len(rc.Aliased) > 0:
				if !errors.As(err, &aerr) {
					t.Fatalf("R reports %q aliased; got error %v", rc.Aliased, err)
				}
				var got []string
				for _, c := range aerr.Columns {
					got = append(got, rColumnName(c.Name))
				}
				if !slices.Equal(got, rc.Aliased) {
					t.Errorf("aliased %q, R %q", got, rc.Aliased)
				}
				if !strings.Contains(err.Error(), "R would report NA") {
					t.Errorf("alias message %q", err)
				}
			}
			if dm == nil {
				t.Fatal("no design matrix")
			}
			var rnames []string
			for _, n := range dm.Names {
				rnames = append(rnames, rColumnName(n))
			}
			if !slices.Equal(rnames, rc.Colnames) {
				t.Fatalf("columns %q (R style %q), R %q", dm.Names, rnames, rc.Colnames)
			}
			if !slices.Equal(dm.Assign, rc.Assign) {
				t.Errorf("assign %v, R %v", dm.Assign, rc.Assign)
			}
			if want := append([]string{"(Intercept)"}, rc.TermLabels...); !slices.Equal(dm.Groups, want) {
				t.Errorf("groups %q, want %q", dm.Groups, want)
			}
			if !slices.Equal(dm.Rows, rc.Rows) {
				t.Errorf("rows used %v, R %v", dm.Rows, rc.Rows)
			}
			n, p := dm.X.Dims()
			if n != len(rc.Matrix) || p != len(rc.Colnames) {
				t.Fatalf("X is %d×%d, R %d×%d", n, p, len(rc.Matrix), len(rc.Colnames))
			}
			if !reftest.CloseMatrix(t, "X", dm.X, rc.Matrix, 1e-12, 1e-12) {
				t.FailNow()
			}
			if len(dm.Y) != n {
				t.Fatalf("Y has %d rows, X %d", len(dm.Y), n)
			}
			ycol, _ := tab.Col(f.Response)
			for k, i := range dm.Rows {
				if dm.Y[k] != ycol.Num[i] {
					t.Fatalf("Y[%d] = %v, table %v", k, dm.Y[k], ycol.Num[i])
				}
			}
		})
	}
}

func TestDesignExclusions(t *testing.T) {
	ref := loadDesignReference(t)
	tab := refTable(t, ref, "birthwt_na")
	f, err := ParseFormula("low ~ smoke + age + race")
	if err != nil {
		t.Fatal(err)
	}
	dm, err := Design(tab, f, DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Every row not used is excluded once, with the missing variables in
	// schema order, and the line is the table's line.
	used := map[int]bool{}
	for _, i := range dm.Rows {
		used[i] = true
	}
	if len(dm.Rows)+len(dm.Excluded) != tab.NRows() {
		t.Fatalf("%d used + %d excluded != %d rows", len(dm.Rows), len(dm.Excluded), tab.NRows())
	}
	k := 0
	for i := 0; i < tab.NRows(); i++ {
		if used[i] {
			continue
		}
		var miss []string
		for _, c := range tab.Columns {
			if c.Missing[i] {
				miss = append(miss, c.Field.Name)
			}
		}
		want := Exclusion{Row: tab.Lines[i], Reason: "missing " + strings.Join(miss, ", ")}
		if dm.Excluded[k] != want {
			t.Errorf("exclusion %d = %+v, want %+v", k, dm.Excluded[k], want)
		}
		k++
	}
	// Row 10 (0-based 9) misses age and race: both are named.
	found := false
	for _, e := range dm.Excluded {
		if e.Row == 11 {
			found = e.Reason == "missing age, race"
		}
	}
	if !found {
		t.Errorf("line 11 should be excluded for missing age, race: %+v", dm.Excluded)
	}
	var names []string
	for _, vc := range dm.MissingByVar {
		names = append(names, vc.Variable)
		c, _ := tab.Col(vc.Variable)
		if vc.Missing != c.CountMissing() {
			t.Errorf("%s missing %d, table has %d", vc.Variable, vc.Missing, c.CountMissing())
		}
	}
	if !slices.Equal(names, []string{"low", "age", "race", "smoke"}) {
		t.Errorf("MissingByVar variables %q, want schema order", names)
	}
	if dm.Outcome != "low" {
		t.Errorf("outcome %q", dm.Outcome)
	}
}

// small builds a tiny table with every kind of field.
func small(t testing.TB) *Table {
	return makeTable(t, "companies.csv",
		testCol{Name: "company_id", Role: RoleID, Str: []string{"a", "b", "c", "d", "e", "f"}},
		testCol{Name: "case", Type: TypeInteger, Role: RoleOutcome, Num: []float64{0, 1, 0, 1, 0, 1}},
		testCol{Name: "novelty", Role: RoleCovariate, Levels: []string{"me_too", "fast_follow", "first_in_class"},
			Str: []string{"me_too", "first_in_class", "me_too", "first_in_class", "first_in_class", "me_too"}},
		testCol{Name: "dev_years", Type: TypeInteger, Role: RoleCovariate, Num: []float64{1, 2, 3, 4, 5, 7}},
		testCol{Name: "rd_expenditure", Role: RoleCovariate, Num: []float64{10, 20, 0, 40, 50, 60}},
		testCol{Name: "note", Role: RoleDescription, Str: []string{"x", "y", "z", "", "v", "w"}},
		testCol{Name: "group", Role: RoleDescription, Levels: []string{"g1", "g2"}, Str: []string{"g1", "g2", "g1", "g2", "g2", "g1"}},
		testCol{Name: "score", Num: []float64{1, 2, 3, 4, 5, 6}},
	)
}

func TestDesignErrors(t *testing.T) {
	tab := small(t)
	cases := []struct {
		formula string
		opts    DesignOptions
		want    []string
	}{
		{"case ~ novelt", DesignOptions{}, []string{`unknown variable "novelt" in formula`, "valid: case, novelty, dev_years", "did you mean novelty?"}},
		{"case ~ company_id", DesignOptions{}, []string{"company_id is the id field"}},
		{"case ~ note", DesignOptions{}, []string{"variable note is text without categories and cannot be used"}},
		{"case ~ log(rd_expenditure)", DesignOptions{}, []string{"companies.csv:4:rd_expenditure: log() of 0 (expected a positive number)"}},
		{"case ~ log(novelty)", DesignOptions{}, []string{"novelty is categorical"}},
		{"score ~ dev_years", DesignOptions{}, []string{"companies.csv:3:score: outcome is 2 (expected 0 or 1)"}},
		{"novelty ~ dev_years", DesignOptions{}, []string{"outcome novelty has 3 categories"}},
		{"case ~ novelty", DesignOptions{Ref: map[string]string{"novelty": "fast"}}, []string{`reference level "fast" is not a level of novelty (valid: me_too, fast_follow, first_in_class)`}},
		{"case ~ dev_years", DesignOptions{Ref: map[string]string{"dev_years": "1"}}, []string{"not categorical"}},
		{"case ~ dev_years", DesignOptions{Ref: map[string]string{"nope": "1"}}, []string{`unknown variable "nope"`}},
	}
	for _, c := range cases {
		f, err := ParseFormula(c.formula)
		if err != nil {
			t.Fatalf("%s: %v", c.formula, err)
		}
		_, err = Design(tab, f, c.opts)
		if err == nil {
			t.Errorf("%s: no error", c.formula)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.formula, err, w)
			}
		}
	}
}

func TestDesignZeroLevelAndConstantOutcome(t *testing.T) {
	tab := small(t)
	f, _ := ParseFormula("case ~ novelty + dev_years")
	dm, err := Design(tab, f, DesignOptions{})
	var aerr *AliasError
	if !errors.As(err, &aerr) {
		t.Fatalf("want an AliasError, got %v", err)
	}
	if len(aerr.Columns) != 1 || aerr.Columns[0].Name != "novelty[fast_follow]" {
		t.Fatalf("aliased %+v", aerr.Columns)
	}
	if want := "no rows with novelty = fast_follow among the rows used"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	// The empty level is named for callers that drop it (as glm's NA).
	if e := aerr.Columns[0].Empty; len(e) != 1 || e[0] != (VarLevel{Variable: "novelty", Level: "fast_follow"}) || !aerr.EmptyLevelsOnly() {
		t.Errorf("empty levels %+v, EmptyLevelsOnly %v", e, aerr.EmptyLevelsOnly())
	}
	if dm == nil || dm.X == nil {
		t.Fatal("matrix not returned with the AliasError")
	}

	// With the zero level as the reference the design is full rank.
	if _, err := Design(tab, f, DesignOptions{Ref: map[string]string{"novelty": "fast_follow"}}); !errors.As(err, &aerr) || aerr.EmptyLevelsOnly() {
		t.Fatalf("reference level with no rows should leave intercept and indicators collinear (not an empty column): %v", err)
	}

	// Interaction cell with no rows.
	f2, _ := ParseFormula("case ~ novelty:group - 1")
	_, err = Design(tab, f2, DesignOptions{})
	if err == nil || !strings.Contains(err.Error(), "no rows with novelty = fast_follow and group = g1") {
		t.Errorf("interaction zero cell: %v", err)
	}
	if errors.As(err, &aerr) && !aerr.EmptyLevelsOnly() {
		t.Errorf("an interaction cell without rows is an empty combination of levels: %+v", aerr.Columns)
	}

	// A level whose label contains ":" is still named correctly.
	colon := makeTable(t, "c.csv",
		testCol{Name: "case", Num: []float64{0, 1, 0, 1}},
		testCol{Name: "grp", Levels: []string{"g:1", "g:2", "g:3"}, Str: []string{"g:1", "g:2", "g:1", "g:2"}},
		testCol{Name: "x", Num: []float64{1, 2, 4, 3}})
	f4, _ := ParseFormula("case ~ x:grp")
	_, err = Design(colon, f4, DesignOptions{})
	if err == nil || !strings.Contains(err.Error(), "x:grp[g:3]: no rows with grp = g:3 among the rows used") {
		t.Errorf("level with a colon: %v", err)
	}

	// Constant outcome among the rows used.
	const0 := makeTable(t, "c.csv",
		testCol{Name: "case", Num: []float64{0, 0, 1, 0}},
		testCol{Name: "x", Num: []float64{1, 2, math.NaN(), 3}})
	f3, _ := ParseFormula("case ~ x")
	_, err = Design(const0, f3, DesignOptions{})
	if err == nil || err.Error() != "outcome case has only one value (0) in the 3 rows used" {
		t.Errorf("constant outcome: %v", err)
	}

	// All rows excluded.
	allNA := makeTable(t, "c.csv",
		testCol{Name: "case", Num: []float64{0, 1}},
		testCol{Name: "x", Num: []float64{math.NaN(), math.NaN()}})
	_, err = Design(allNA, f3, DesignOptions{})
	if err == nil || !strings.Contains(err.Error(), "all 2 rows have a missing value") {
		t.Errorf("all excluded: %v", err)
	}

	// Constant covariate is aliased with the intercept.
	cst := makeTable(t, "c.csv",
		testCol{Name: "case", Num: []float64{0, 1, 0, 1}},
		testCol{Name: "x", Num: []float64{5, 5, 5, 5}})
	_, err = Design(cst, f3, DesignOptions{})
	if err == nil || !strings.Contains(err.Error(), "x is a linear combination of (Intercept)") {
		t.Errorf("constant covariate: %v", err)
	}
}

func TestDesignCategoricalOutcomeAndSchemaOutcome(t *testing.T) {
	tab := makeTable(t, "d.csv",
		testCol{Name: "status", Role: RoleOutcome, Levels: []string{"control", "case"}, Str: []string{"case", "control", "control", "case"}},
		testCol{Name: "x", Num: []float64{1, 2, 3, 5}})
	f, err := ParseFormula("~ x")
	if err != nil {
		t.Fatal(err)
	}
	dm, err := Design(tab, f, DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if dm.Outcome != "status" || !slices.Equal(dm.Y, []float64{1, 0, 0, 1}) {
		t.Errorf("outcome %s Y %v", dm.Outcome, dm.Y)
	}
}

func TestTermCodesNoInterceptNumericFirst(t *testing.T) {
	// R gives the first factor met (scanning terms, then variables) full
	// coding when there is no intercept, even after numeric terms.
	f, _ := ParseFormula("y ~ x + a + b - 1")
	isF := func(v Variable) bool { return v.Name != "x" }
	codes := termCodes(f, isF)
	if codes[0][0] != codeContrasts || codes[1][0] != codeFull || codes[2][0] != codeContrasts {
		t.Errorf("codes %v", codes)
	}
}

// ---- benchmark ----

// synthCompanies is a table of n rows with the study schema's covariates,
// drawn from a seeded PCG.
func synthCompanies(b testing.TB, n int, seed uint64) (*Table, *Formula) {
	rng := rand.New(rand.NewPCG(seed, 1))
	pick := func(levels ...string) testCol {
		c := testCol{Levels: levels, Str: make([]string, n)}
		for i := range c.Str {
			c.Str[i] = levels[rng.IntN(len(levels))]
		}
		return c
	}
	num := func(f func() float64) testCol {
		c := testCol{Num: make([]float64, n)}
		for i := range c.Num {
			c.Num[i] = f()
		}
		return c
	}
	named := func(name string, c testCol) testCol { c.Name = name; return c }
	bin := func(p float64) func() float64 {
		return func() float64 {
			if rng.Float64() < p {
				return 1
			}
			return 0
		}
	}
	tab := makeTable(b, "sim.csv",
		named("case", num(bin(0.5))),
		named("company_type", pick("biotech", "traditional")),
		named("founder_background", pick("returnee_scientist", "domestic_scientist", "business")),
		named("rd_leader_background", pick("domestic", "overseas_academic", "overseas_mnc")),
		named("dev_years", num(func() float64 { return float64(rng.IntN(31)) })),
		named("rd_expenditure", num(func() float64 { return math.Exp(4 + rng.NormFloat64()) })),
		named("listed", num(bin(0.4))),
		named("product_source", pick("licensed_in", "co_development", "in_house")),
		named("novelty", pick("me_too", "fast_follow", "first_in_class")),
		named("orphan_drug", num(bin(0.2))),
	)
	for _, c := range tab.Columns[1:] {
		c.Field.Role = RoleCovariate
	}
	tab.Columns[0].Field.Role = RoleOutcome
	tab.Columns[5].Field.Transform = "log"
	s, err := DefaultFormula(tab.Schema)
	if err != nil {
		b.Fatal(err)
	}
	f, err := ParseFormula(s)
	if err != nil {
		b.Fatal(err)
	}
	return tab, f
}

func TestSynthStudyDesign(t *testing.T) {
	tab, f := synthCompanies(t, 500, 7)
	dm, err := Design(tab, f, DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Treatment coding: the intercept, one column per numeric covariate
	// and one per non-reference level of each categorical one.
	want := 1
	for _, c := range tab.Columns[1:] {
		if k := len(c.Field.Categories); k > 0 {
			want += k - 1
		} else {
			want++
		}
	}
	if _, p := dm.X.Dims(); p != want {
		t.Errorf("study design has %d columns, want %d: %q", p, want, dm.Names)
	}
}

func BenchmarkDesign(b *testing.B) {
	tab, f := synthCompanies(b, 20000, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Design(tab, f, DesignOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDesignAliasMessages(t *testing.T) {
	tab := makeTable(t, "a.csv",
		testCol{Name: "case", Num: []float64{0, 1, 0, 1, 1, 0}},
		testCol{Name: "x1", Num: []float64{1, 2, 3, 4, 5, 7}},
		testCol{Name: "x2", Num: []float64{2, 4, 6, 8, 10, 14}},
		testCol{Name: "x3", Num: []float64{1, 0, 2, 5, 3, 1}},
	)
	f, _ := ParseFormula("case ~ x1 + x2 + x3")
	_, err := Design(tab, f, DesignOptions{})
	want := "aliased terms: x2 is a linear combination of x1 (R would report NA)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}

	// Fewer rows than columns (2 rows, 3 columns): the column past the
	// rank is aliased and named.
	few := tab.Subset([]int{0, 1})
	f2, _ := ParseFormula("case ~ x1 + x3")
	dm, err := Design(few, f2, DesignOptions{})
	var aerr *AliasError
	if !errors.As(err, &aerr) || len(aerr.Columns) != 1 || aerr.Columns[0].Name != "x3" {
		t.Fatalf("2 rows, 3 columns: %v", err)
	}
	if !slices.Equal(aerr.Columns[0].Of, []string{"(Intercept)", "x1"}) {
		t.Errorf("x3 aliased with %q", aerr.Columns[0].Of)
	}
	if n, p := dm.X.Dims(); n != 2 || p != 3 {
		t.Errorf("X is %d×%d", n, p)
	}
}
