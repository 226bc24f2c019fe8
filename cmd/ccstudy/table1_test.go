package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/stats"
)

// pbcArgs describe survival::pbc by histologic stage (four levels, six
// patients without one), with missing values and a 0/1 variable.
func pbcArgs(t *testing.T) []string {
	dir := reftest.Path(t, "testdata/foreign/pbc")
	return []string{"describe", "--data", filepath.Join(dir, "pbc.csv"), "--schema", filepath.Join(dir, "pbc.schema.json"),
		"--by", "stage", "--vars", "age,sex,edema,bili,chol,ascites,trt"}
}

func pbcDescribe(t *testing.T) *analysis.DescribeResult {
	t.Helper()
	dir := reftest.Path(t, "testdata/foreign/pbc")
	b, err := os.ReadFile(filepath.Join(dir, "pbc.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := dataset.ParseSchema(b, "pbc.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "pbc.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := dataset.Load(f, "pbc.csv", s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Describe(tb, analysis.DescribeOptions{By: "stage", Vars: strings.Split("age,sex,edema,bili,chol,ascites,trt", ",")})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestTable1JournalLayout: a header row per variable with its title,
// level rows beneath, the 0/1 variable on one row, Missing rows, the
// Overall column first and the groups with their N, words for headers,
// no statistic column, p-values in the journal style with a footnote
// letter naming the test, the exclusion counted in a note.
func TestTable1JournalLayout(t *testing.T) {
	tb := table1Table(pbcDescribe(t))
	wantCols := []string{"Characteristic", "Overall, N = 412", "1, N = 21", "2, N = 92", "3, N = 155", "4, N = 144", "p-value", "SMD"}
	if strings.Join(tb.Columns, "|") != strings.Join(wantCols, "|") {
		t.Errorf("columns %q, want %q", tb.Columns, wantCols)
	}
	if len(tb.Kinds) != len(tb.Rows) {
		t.Fatalf("%d kinds for %d rows", len(tb.Kinds), len(tb.Rows))
	}
	var got []string
	for i, r := range tb.Rows {
		if len(r) != len(tb.Columns) {
			t.Fatalf("row %d has %d cells for %d columns: %q", i, len(r), len(tb.Columns), r)
		}
		kind := map[render.RowKind]string{render.RowHeader: "H", render.RowLevel: "L", render.RowData: "D"}[tb.Kinds[i]]
		got = append(got, kind+" "+r[0])
	}
	want := []string{
		"H age, mean (SD)",
		"H sex, n (%)", "L f", "L m",
		"H edema, n (%)", "L 0", "L 0.5", "L 1",
		"H serum bilirubin, median [Q1, Q3]",
		"H serum cholesterol, median [Q1, Q3]", "L Missing",
		"H ascites, n (%)", "L Missing",
		"H randomized treatment, n (%)", "L 1", "L 2", "L Missing",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	row := func(label string) []string {
		for _, r := range tb.Rows {
			if r[0] == label {
				return r
			}
		}
		t.Fatalf("no row %q", label)
		return nil
	}
	// ascites is 0/1: its header row shows the "1" level's n (%), read
	// from the data: 24 of 312 with a value.
	if asc := row("ascites, n (%)"); asc[1] != "24 (7.7%)" || asc[6] != "<0.001ᵇ" {
		t.Errorf("ascites row %q", asc)
	}
	if age := row("age, mean (SD)"); age[6] != "<0.001ᵃ" || age[7] == "" {
		t.Errorf("age row %q", age)
	}
	// A categorical header row carries only the label, the p-value and the SMD.
	if sex := row("sex, n (%)"); strings.Join(sex[1:6], "") != "" || sex[6] != render.FormatP(0.776580693729366)+"ᵇ" {
		t.Errorf("sex row %q", sex)
	}
	notes := strings.Join(tb.Notes, "\n")
	for _, w := range []string{"ᵃ Welch's one-way ANOVA", "ᵇ Fisher's exact test", "ᶜ Kruskal–Wallis test", "ᵈ Pearson's chi-square test", stats.Table1KRule, "6 rows with a missing stage are excluded."} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
	for _, c := range tb.Columns {
		if strings.Contains(strings.ToLower(c), "statistic") || c == "p_value" || c == "smd" {
			t.Errorf("display column %q", c)
		}
	}
}

// TestTable1TidyCSV reads describe's CSV back with encoding/csv: one row
// per variable, level and group (overall included), the numeric columns
// parse as numbers, the codes and labels sit in their own columns.
func TestTable1TidyCSV(t *testing.T) {
	out, errOut, code := runCLI(t, "", append(pbcArgs(t), "--format", "csv")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := csv.NewReader(strings.NewReader(out))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not read back: %v\n%s", err, out)
	}
	if strings.Join(recs[0], ",") != strings.Join(table1RawColumns, ",") {
		t.Fatalf("header %q", recs[0])
	}
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	// age, bili, chol: 1 row each; sex 2; edema 3; ascites 2; trt 2 —
	// times 5 columns (overall and four stages).
	if n := len(recs) - 1; n != (3+2+3+2+2)*5 {
		t.Errorf("%d data rows, want %d", n, 12*5)
	}
	numeric := []string{"n", "pct", "mean", "sd", "median", "q1", "q3", "missing", "statistic", "df", "df2", "p_value", "smd"}
	for i, rec := range recs[1:] {
		for _, c := range numeric {
			v := rec[col[c]]
			if v == "" {
				continue
			}
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				t.Errorf("row %d column %s = %q is not a number", i+2, c, v)
			}
		}
		if strings.ContainsAny(rec[col["n"]]+rec[col["pct"]], "(%") {
			t.Errorf("row %d merges numbers: %q", i+2, rec)
		}
	}
	find := func(variable, level, group string) []string {
		for _, rec := range recs[1:] {
			if rec[col["variable"]] == variable && rec[col["level"]] == level && rec[col["group"]] == group {
				return rec
			}
		}
		t.Fatalf("no row %s/%s/%s", variable, level, group)
		return nil
	}
	if a := find("ascites", "1", "overall"); a[col["n"]] != "24" || a[col["missing"]] != "100" || a[col["test"]] != "fisher" {
		t.Errorf("ascites overall row %q", a)
	}
	if a := find("age", "", "4"); a[col["n"]] != "144" || a[col["test"]] != "welch_anova" || a[col["df2"]] == "" || a[col["group_label"]] != "4" {
		t.Errorf("age stage 4 row %q", a)
	}
	if a := find("sex", "f", "1"); a[col["variable_label"]] != "sex" || a[col["level_label"]] == "" {
		t.Errorf("sex row %q", a)
	}
	// A binary Table 1 has the same columns, cases and controls as groups.
	out, errOut, code = runCLI(t, "", "describe", "--vars", "dev_years", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The embedded study's CSV has the notice first and its products
	// tables after Table 1.
	blocks := readCSVBlocks(t, out)
	if len(blocks) == 0 || blocks[0].name != "table1" {
		t.Fatalf("first CSV block %+v, want table1", blocks)
	}
	recs = blocks[0].rows
	if len(recs) != 4 || recs[1][col["group"]] != "overall" || recs[2][col["group"]] != "cases" || recs[3][col["group"]] != "controls" {
		t.Errorf("binary CSV %q", recs)
	}
}

// TestDescribeByClusterCLI: describe --by cluster --members FILE shows
// one column per cluster, counts the rows the file leaves out in a note,
// and refuses a file naming ids the data lacks with its file:line.
func TestDescribeByClusterCLI(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "members.csv")
	var b strings.Builder
	b.WriteString("id,cluster\n")
	for i := 1; i <= 170; i++ {
		fmt.Fprintf(&b, "C%03d,%d\n", i, 1+i%2)
	}
	if err := writeFile(path, b.String()); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "describe", "--by", "cluster", "--members", path, "--vars", "company_type,dev_years", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"Table 1. By Cluster", "Overall, N = 170", "Cluster 1, N = 85", "Cluster 2, N = 85",
		"10 rows have no cluster in " + path, "Welch's one-way ANOVA"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	var res struct {
		Members string `json:"members"`
		Groups  []string
		GroupN  []int `json:"group_n"`
		Data    struct {
			RowsUsed int `json:"rows_used"`
			Excluded []struct {
				Reason string `json:"reason"`
			} `json:"excluded"`
		} `json:"data"`
		ExcludedNote string `json:"excluded_note"`
	}
	runJSON(t, &res, "describe", "--by", "cluster", "--members", path, "--vars", "dev_years")
	if res.Members != path || fmt.Sprint(res.Groups) != "[1 2]" || fmt.Sprint(res.GroupN) != "[85 85]" || res.Data.RowsUsed != 170 ||
		len(res.Data.Excluded) != 10 || !strings.Contains(res.Data.Excluded[0].Reason, "no cluster") || res.ExcludedNote == "" {
		t.Errorf("JSON %+v", res)
	}
	// -o over the membership file is refused: it is an input.
	if _, errOut, code := runCLI(t, "", "describe", "--by", "cluster", "--members", path, "-o", path); code != 2 || !strings.Contains(errOut, "never writes over its input") {
		t.Errorf("-o = --members: exit %d %q", code, errOut)
	}
	if err := writeFile(path, "id,cluster\nC001,1\nC002,2\nZ999,1\n"); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI(t, "", "describe", "--by", "cluster", "--members", path)
	if code != 1 || !strings.Contains(errOut, path+`:4:1: id "Z999" is not in the data`) {
		t.Errorf("unknown id: exit %d, %s", code, errOut)
	}
}

// TestDescribeByKJSON: with k groups, "groups", "group_labels" and
// "group_n" have k entries and each row a "groups" array in that order,
// with no cases_/controls_ columns.
func TestDescribeByKJSON(t *testing.T) {
	var res struct {
		Groups      []string `json:"groups"`
		GroupLabels []string `json:"group_labels"`
		GroupN      []int    `json:"group_n"`
		N           int      `json:"n"`
		Table1      []map[string]any
	}
	runJSON(t, &res, "describe", "--by", "novelty", "--vars", "company_type,dev_years")
	if len(res.Groups) != 3 || len(res.GroupLabels) != 3 || len(res.GroupN) != 3 || res.GroupN[0]+res.GroupN[1]+res.GroupN[2] != res.N || res.N != 180 {
		t.Fatalf("groups %v %v %v n %d", res.Groups, res.GroupLabels, res.GroupN, res.N)
	}
	for _, r := range res.Table1 {
		g, ok := r["groups"].([]any)
		if !ok || len(g) != 3 || g[0].(map[string]any)["group"] != res.Groups[0] {
			t.Errorf("row %v", r)
		}
		if _, ok := r["cases_n"]; ok {
			t.Errorf("row has cases_n: %v", r)
		}
	}
}

// TestTable1WordsTranslated: the k-group rule and the exclusion notes
// have Chinese words that keep their verbs.
func TestTable1WordsTranslated(t *testing.T) {
	if i18n.T("zh", stats.Table1KRule) == stats.Table1KRule {
		t.Error("Table1KRule is not translated")
	}
	for _, f := range []string{analysis.ExcludedMissingNote, analysis.ExcludedNoClusterNote} {
		zh := i18n.Tf("zh", f, 3, "x")
		if zh == fmt.Sprintf(f, 3, "x") || strings.Contains(zh, "%!") || !strings.Contains(zh, "3") {
			t.Errorf("%q → %q", f, zh)
		}
	}
}

// TestDescribeByKLabelsZh: the groups of a categorical --by show the
// schema's category labels in --lang, JSON keeps the codes beside them.
func TestDescribeByKLabelsZh(t *testing.T) {
	schema, data := zhBirthwtSchema(t)
	args := []string{"describe", "--data", data, "--schema", schema, "--lang", "zh", "--by", "race", "--vars", "age,smoke"}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"表1. 按种族分组", "合计, N = 189", "白人, N = 96", "黑人, N = 26", "其他, N = 67", "Welch 单因素方差分析"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	checkBoxesAligned(t, out)
	var res struct {
		Groups      []string `json:"groups"`
		GroupLabels []string `json:"group_labels"`
	}
	runJSON(t, &res, args...)
	if strings.Join(res.Groups, ",") != "white,black,other" || strings.Join(res.GroupLabels, ",") != "白人,黑人,其他" {
		t.Errorf("groups %v labels %v", res.Groups, res.GroupLabels)
	}
}
