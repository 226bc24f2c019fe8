package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/render"
)

// globalPRef is testdata/reference/logitcmd/global_p.json (car::Anova
// type II LR tests).
type globalPRef struct {
	Name    string `json:"name"`
	Formula string `json:"formula"`
	N       int    `json:"n"`
	Tests   []struct {
		Term      string  `json:"term"`
		DF        int     `json:"df"`
		Statistic float64 `json:"statistic"`
		PValue    float64 `json:"p_value"`
	} `json:"tests"`
}

func readGlobalP(t *testing.T) (companies, pbc []globalPRef) {
	var ref struct {
		Companies []globalPRef `json:"companies"`
		PBC       []globalPRef `json:"pbc"`
	}
	readReference(t, "logitcmd/global_p.json", &ref)
	return ref.Companies, ref.PBC
}

// refP is R's global p of term in the model named name.
func refP(t *testing.T, models []globalPRef, name, term string) float64 {
	t.Helper()
	for _, m := range models {
		if m.Name != name {
			continue
		}
		for _, g := range m.Tests {
			if g.Term == term {
				return g.PValue
			}
		}
	}
	t.Fatalf("no R global test of %s in %s", term, name)
	return 0
}

// table2Of runs logit on the embedded study and returns its Table 2.
func table2Of(t *testing.T, mod func(*analysis.LogitOptions)) render.Table {
	t.Helper()
	st, err := (&GlobalOptions{}).LoadStudy()
	if err != nil {
		t.Fatal(err)
	}
	o := analysis.DefaultLogitOptions()
	o.Univariable = true
	if mod != nil {
		mod(&o)
	}
	res, err := analysis.Logit(st.Companies, o)
	if err != nil {
		t.Fatal(err)
	}
	tb := logitTables(res, o.Level, o.CI, false)[0]
	if tb.Name != "table2" || len(tb.Kinds) != len(tb.Rows) {
		t.Fatalf("first table %s, %d kinds for %d rows", tb.Name, len(tb.Kinds), len(tb.Rows))
	}
	return tb
}

// rowOf finds the row whose first cell is label with the given kind.
func rowOf(t *testing.T, tb render.Table, label string, kind render.RowKind) (int, []string) {
	t.Helper()
	for i, r := range tb.Rows {
		if r[0] == label && tb.Kinds[i] == kind {
			return i, r
		}
	}
	t.Fatalf("Table 2 has no %d row %q:\n%v", kind, label, tb.Rows)
	return -1, nil
}

// TestTable2JournalLayout: the default model's Table 2 has a header row
// per variable; a factor's levels beneath it with the reference level
// "1 (reference)" and "—"; a 0/1 and a numeric variable on one row; the
// global p of each multi-level factor (adjusted and crude) on its header
// row as R's car::Anova gives it, in the journal style; words for the
// column headers; N per model in the notes.
func TestTable2JournalLayout(t *testing.T) {
	companies, _ := readGlobalP(t)
	tb := table2Of(t, nil)
	if want := []string{"Characteristic", "Crude OR (95% CI)", "p-value", "Adjusted OR (95% CI)", "p-value"}; !slices.Equal(tb.Columns, want) {
		t.Errorf("columns %q, want %q", tb.Columns, want)
	}
	// Rows are found by the schema's titles, R's p-values by the codes.
	for v, title := range map[string]string{"founder_background": "Founder background", "rd_leader_background": "R&D head background",
		"product_source": "Source of lead product", "novelty": "Novelty of lead product"} {
		i, head := rowOf(t, tb, title, render.RowHeader)
		if want := render.FormatP(refP(t, companies, "multivariable", v)); head[4] != want {
			t.Errorf("%s adjusted global p %q, R %q", v, head[4], want)
		}
		if want := render.FormatP(refP(t, companies, "univariable:"+v, v)); head[2] != want {
			t.Errorf("%s crude global p %q, R %q", v, head[2], want)
		}
		if head[1] != "" || head[3] != "" {
			t.Errorf("%s header row has ORs: %q", v, head)
		}
		ref := tb.Rows[i+1]
		if tb.Kinds[i+1] != render.RowLevel || !slices.Equal(ref[1:], []string{"1 (reference)", "—", "1 (reference)", "—"}) {
			t.Errorf("%s: the row after the header is %q (kind %d), want the reference level", v, ref, tb.Kinds[i+1])
		}
		if tb.Kinds[i+2] != render.RowLevel || tb.Kinds[i+3] != render.RowLevel {
			t.Errorf("%s: its two other levels are not level rows", v)
		}
	}
	// company_type has two levels: its header has no global test.
	if _, head := rowOf(t, tb, "Company type", render.RowHeader); head[2] != "" || head[4] != "" {
		t.Errorf("company_type header %q: a one-column factor gets no global p", head)
	}
	for _, v := range []string{"Listed", "Orphan-drug status", "Years of innovative-drug R&D", "log(R&D expenditure (CNY million))"} {
		i, row := rowOf(t, tb, v, render.RowHeader)
		if !regexp.MustCompile(`^\d+\.\d+ \(\d+\.\d+, \d+\.\d+\)$`).MatchString(row[3]) || row[4] == "" {
			t.Errorf("%s: one row with its OR and p, got %q", v, row)
		}
		if i+1 < len(tb.Rows) && tb.Kinds[i+1] == render.RowLevel {
			t.Errorf("%s has level rows beneath it", v)
		}
	}
	for _, r := range tb.Rows {
		for _, c := range r {
			if strings.Contains(c, "p = ") || strings.Contains(c, "= <") {
				t.Errorf("cell %q is not in the journal style", c)
			}
		}
	}
	notes := strings.Join(tb.Notes, "\n")
	for _, want := range []string{"N = 180 (90 cases).", "Crude: each variable alone; N = 180 (90 cases) each.", "type II, as car::Anova"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

// TestTable2Interaction: an interaction block has its header ("A × B")
// with R's type II global p, and one row per level combination; a main
// effect in the interaction gets its type II test too.
func TestTable2Interaction(t *testing.T) {
	companies, _ := readGlobalP(t)
	tb := table2Of(t, func(o *analysis.LogitOptions) {
		o.Formula = "case ~ rd_leader_background + dev_years + novelty * company_type + log(rd_expenditure)"
	})
	i, head := rowOf(t, tb, "Novelty of lead product × Company type", render.RowHeader)
	if want := render.FormatP(refP(t, companies, "interaction", "novelty:company_type")); head[4] != want || head[2] != "" {
		t.Errorf("interaction header %q, R's global p %q (no crude)", head, want)
	}
	if _, head := rowOf(t, tb, "Novelty of lead product", render.RowHeader); head[4] != render.FormatP(refP(t, companies, "interaction", "novelty")) {
		t.Errorf("novelty (with its interaction) global p %q, R %q", head[4], render.FormatP(refP(t, companies, "interaction", "novelty")))
	}
	want := []string{"Fast-follow × Traditional pharma", "First-in-class × Traditional pharma"}
	for k, w := range want {
		r := tb.Rows[i+1+k]
		if r[0] != w || tb.Kinds[i+1+k] != render.RowLevel || r[1] != "" || r[3] == "" {
			t.Errorf("interaction row %d: %q (kind %d), want %q with an adjusted OR only", k, r, tb.Kinds[i+1+k], w)
		}
	}
}

// csvTables splits `--format csv` output into its "# name" sections and
// reads each with encoding/csv, comment lines skipped.
func csvTables(t *testing.T, out string) map[string][][]string {
	t.Helper()
	tables := map[string][][]string{}
	for _, sec := range strings.Split(out, "\n\n") {
		// A block's name is its last "# " line before the data; a
		// block of comment lines only (a notice, notes) holds no table.
		lines := strings.Split(strings.TrimSpace(sec), "\n")
		name, i := "", 0
		for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
			name = strings.TrimPrefix(lines[i], "# ")
		}
		if i == len(lines) || strings.TrimSpace(strings.Join(lines[i:], "")) == "" {
			continue
		}
		r := csv.NewReader(strings.NewReader(strings.Join(lines[i:], "\n")))
		r.Comment = '#'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("CSV section %s: %v", name, err)
		}
		tables[name] = rows
	}
	return tables
}

// TestLogitTidyCSV: every logit table's CSV is tidy: one observation per
// row, numbers in numeric columns (each cell parses as a float, or is
// empty or NA), no merged cells such as "180 (90)" — on the embedded
// study (with selection and --per), an interaction model, and pbc.
func TestLogitTidyCSV(t *testing.T) {
	pbc := testdataPath("foreign/pbc")
	numeric := map[string][]string{
		"table2":       table2Numeric,
		"global_tests": {"df", "statistic", "p_value"},
		"coefficients": {"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high", "odds_ratio", "or_conf_low", "or_conf_high", "vif", "lr_statistic", "lr_p_value"},
		"fit": {"n", "n_events", "null_deviance", "deviance", "log_likelihood", "aic", "bic", "lr_statistic", "lr_df", "lr_p_value",
			"mcfadden_r2", "nagelkerke_r2", "auc", "auc_conf_low", "auc_conf_high", "hl_statistic", "hl_df", "hl_p_value", "hl_groups", "events_per_variable", "iterations"},
		"selection": {"step", "df", "aic", "statistic", "p_value"},
	}
	merged := regexp.MustCompile(`^-?\d+(\.\d+)? \(`)
	for _, args := range [][]string{
		{"logit", "--select", "aic", "--per", "dev_years=5"},
		{"logit", "--formula", "case ~ rd_leader_background + dev_years + novelty * company_type + log(rd_expenditure)"},
		{"logit", "--data", filepath.Join(pbc, "pbc.csv"), "--schema", filepath.Join(pbc, "pbc.schema.json")},
	} {
		out, errOut, code := runCLI(t, "", append(args, "--format", "csv")...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		tables := csvTables(t, out)
		for _, name := range []string{"table2", "global_tests", "coefficients", "fit"} {
			if _, ok := tables[name]; !ok {
				t.Errorf("%v: no CSV table %s (have %v)", args, name, len(tables))
			}
		}
		for name, rows := range tables {
			cols, ok := numeric[name]
			if !ok {
				t.Errorf("%v: table %s has no declared numeric columns", args, name)
				continue
			}
			header := rows[0]
			for _, c := range cols {
				j := slices.Index(header, c)
				if j < 0 {
					if name == "coefficients" && strings.HasPrefix(c, "lr_") {
						continue // only Firth fits have the LR columns
					}
					t.Errorf("%v %s: no column %s in %v", args, name, c, header)
					continue
				}
				for _, r := range rows[1:] {
					if v := r[j]; v != "" && v != "NA" {
						if _, err := strconv.ParseFloat(v, 64); err != nil {
							t.Errorf("%v %s: %s = %q is not a number", args, name, c, v)
						}
					}
				}
			}
			for _, r := range rows[1:] {
				if len(r) != len(header) {
					t.Errorf("%v %s: row of %d cells under %d columns", args, name, len(r), len(header))
				}
				for _, v := range r {
					if merged.MatchString(v) {
						t.Errorf("%v %s: merged cell %q", args, name, v)
					}
				}
			}
		}
		if args[1] == "--select" {
			t2 := tables["table2"]
			pc, tc := slices.Index(t2[0], "per"), slices.Index(t2[0], "term")
			n := 0
			for _, r := range t2[1:] {
				if r[tc] == "dev_years" {
					n++
					if r[pc] != "5" {
						t.Errorf("dev_years per %q, want 5", r[pc])
					}
				}
			}
			if n != 2 {
				t.Errorf("%d dev_years rows (crude, adjusted), want 2", n)
			}
		}
	}
}

// TestLogitGlobalTestsJSON: `logit --format json` on survival::pbc gives
// models[].global_tests with R's car::Anova type II LR tests (edema,
// stage; adjusted and crude) at 1e-6.
func TestLogitGlobalTestsJSON(t *testing.T) {
	_, pbcRef := readGlobalP(t)
	pbc := testdataPath("foreign/pbc")
	var got struct {
		Models []struct {
			Name        string                `json:"name"`
			N           int                   `json:"n"`
			GlobalTests []analysis.GlobalTest `json:"global_tests"`
		} `json:"models"`
	}
	runJSON(t, &got, "logit", "--data", filepath.Join(pbc, "pbc.csv"), "--schema", filepath.Join(pbc, "pbc.schema.json"))
	checked := 0
	for _, want := range pbcRef {
		for _, m := range got.Models {
			if m.Name != want.Name {
				continue
			}
			if m.N != want.N {
				t.Errorf("%s: n %d, R %d", m.Name, m.N, want.N)
			}
			if len(m.GlobalTests) != len(want.Tests) {
				t.Fatalf("%s: global tests %+v, R %d", m.Name, m.GlobalTests, len(want.Tests))
			}
			for k, w := range want.Tests {
				g := m.GlobalTests[k]
				if g.Term != w.Term || g.DF != w.DF || g.Method != analysis.GlobalMethod || g.Label == "" || g.Statistic == nil || g.PValue == nil {
					t.Errorf("%s %s: %+v", m.Name, w.Term, g)
					continue
				}
				checkClose(t, m.Name+" "+w.Term+" statistic", *g.Statistic, w.Statistic, 1e-6)
				checkClose(t, m.Name+" "+w.Term+" p_value", *g.PValue, w.PValue, 1e-6)
				checked++
			}
		}
	}
	if checked != 4 {
		t.Errorf("%d pbc global tests compared, want 4 (edema and stage, adjusted and crude)", checked)
	}
}

// TestLogitPer: --per VAR=K and the schema's per/unit rescale a numeric
// variable's OR (R's glm with I(x / K), Wald at 1e-6), label its row
// "per K unit", keep the fitted coefficient per unit; bad --per values
// are usage errors (exit 2) naming the flag.
func TestLogitPer(t *testing.T) {
	var ref struct {
		Per           float64 `json:"per"`
		OddsRatioPer  float64 `json:"odds_ratio_per"`
		ORConfLowPer  float64 `json:"or_conf_low_per"`
		ORConfHighPer float64 `json:"or_conf_high_per"`
		EstimatePer   float64 `json:"estimate_per"`
	}
	readReference(t, "logitcmd/per.json", &ref)
	var got struct {
		Models []struct {
			Name  string             `json:"name"`
			Per   []analysis.PerTerm `json:"per"`
			Terms []struct {
				Term     string  `json:"term"`
				Estimate float64 `json:"estimate"`
			} `json:"terms"`
		} `json:"models"`
	}
	runJSON(t, &got, "logit", "--ci", "wald", "--per", "dev_years=5")
	adj := got.Models[0]
	if len(adj.Per) != 1 || adj.Per[0].Term != "dev_years" || adj.Per[0].Per != 5 {
		t.Fatalf("per %+v", adj.Per)
	}
	p := adj.Per[0]
	checkClose(t, "odds_ratio_per", p.OddsRatioPer, ref.OddsRatioPer, 1e-6)
	checkClose(t, "or_conf_low_per", p.ORConfLowPer, ref.ORConfLowPer, 1e-6)
	checkClose(t, "or_conf_high_per", p.ORConfHighPer, ref.ORConfHighPer, 1e-6)
	for _, tm := range adj.Terms {
		if tm.Term == "dev_years" {
			checkClose(t, "estimate (per unit)", tm.Estimate, ref.EstimatePer/5, 1e-6)
		}
	}
	text, _, _ := runCLI(t, "", "logit", "--ci", "wald", "--per", "dev_years=5")
	want := "│ Years of innovative-drug R&D (per 5 units) │ "
	if !lineWith(text, want, "│ "+render.FormatRatioCI(ref.OddsRatioPer, ref.ORConfLowPer, ref.ORConfHighPer)+" ") {
		t.Errorf("text lacks %q with R's OR per 5:\n%s", want, text)
	}

	// The schema's per and unit.
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "refstudy", "schemas", "companies.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `{"name": "dev_years", `, `{"name": "dev_years", "per": 5, "unit": "years", `, 1)
	if s == string(b) {
		t.Fatal("the companies schema no longer spells dev_years as the test expects")
	}
	sp := filepath.Join(t.TempDir(), "companies.schema.json")
	if err := writeFile(sp, s); err != nil {
		t.Fatal(err)
	}
	text, errOut, code := runCLI(t, "", "logit", "--ci", "wald", "--data", testdataPath("companies.csv"), "--schema", sp)
	if code != 0 || !lineWith(text, "│ Years of innovative-drug R&D (per 5 years) │ ", "│ "+render.FormatRatioCI(ref.OddsRatioPer, ref.ORConfLowPer, ref.ORConfHighPer)+" ") {
		t.Errorf("schema per: exit %d %s\n%s", code, errOut, text)
	}

	// A numeric variable entered as log(x) is not rescaled, and the
	// notes say so.
	text, _, _ = runCLI(t, "", "logit", "--per", "rd_expenditure=10")
	if !strings.Contains(text, "--per rd_expenditure not applied: the adjusted model has no linear term of rd_expenditure") || strings.Contains(text, "(per 10") {
		t.Errorf("--per on a log(x) variable:\n%s", text)
	}

	for _, c := range []struct{ arg, want string }{
		{"nope=10", `--per nope: no field "nope"`},
		{"novelty=10", "--per novelty: novelty is not a numeric field"},
		{"dev_years=0", "K must be a positive number"},
		{"dev_years=-1", "K must be a positive number"},
		{"dev_years=ten", "expected VAR=K"},
		{"dev_years", "expected VAR=K"},
	} {
		_, errOut, code := runCLI(t, "", "logit", "--per", c.arg)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("--per %s: exit %d %q, want 2 and %q", c.arg, code, errOut, c.want)
		}
	}
}

// lineWith reports whether one line of text contains every part.
func lineWith(text string, parts ...string) bool {
	for _, l := range strings.Split(text, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}

// TestTable2LangAndReasons: --lang zh gives Table 2 its Chinese words
// (aligned); a Firth fit's global test is marked "not computed (see
// notes)" on the header row with its reason in the notes, and the rest
// of the table prints.
func TestTable2LangAndReasons(t *testing.T) {
	zh, errOut, code := runCLI(t, "", "logit", "--lang", "zh")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	for _, want := range []string{"校正OR（95% CI）", "粗OR（95% CI）", "1（参照）", "N = 180（90 例病例）"} {
		if !strings.Contains(zh, want) {
			t.Errorf("--lang zh lacks %q", want)
		}
	}
	checkAligned(t, zh)
	text, errOut, code := runCLI(t, "", append([]string{"logit", "--method", "firth", "--covariates", "race,smoke,lwt"}, birthwtArgs()...)...)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	// A Firth fit's global p is the penalized likelihood ratio, said in
	// the notes.
	if lineWith(text, "│ race ", "│ not computed (see notes) │") {
		t.Errorf("the Firth fit's race header row has no global p:\n%s", text)
	}
	if !strings.Contains(text, "penalized likelihood ratio, with the larger model's penalty") {
		t.Errorf("no note on the penalized global test:\n%s", text)
	}
	// A model whose test cannot be made (--method mle under separation)
	// marks the row and says why in the notes.
	// lung is separated (an institution with deaths only).
	sep, errOut, code := runCLI(t, "", "logit", "--method", "mle", "--ci", "wald", "--univariable=false",
		"--data", testdataPath("foreign/lung/lung.csv"), "--schema", testdataPath("foreign/lung/lung.schema.json"))
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if !lineWith(sep, "│ institution code ", "│ not computed (see notes) │") {
		t.Errorf("the separated ML fit's inst header row is not marked:\n%s", sep)
	}
	if !strings.Contains(sep, "not computed: separation") {
		t.Errorf("no reason for the missing global p:\n%s", sep)
	}
	if !lineWith(text, "│ smoke ", "│ ") {
		t.Errorf("the rest of Table 2 is missing:\n%s", text)
	}
}
