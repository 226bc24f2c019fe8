package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/stats"
)

// rkGroup is one group's summary of a variable as byk.R writes it: n and
// percent are per level (categorical) or scalars (continuous).
type rkGroup struct {
	N       json.RawMessage `json:"n"`
	Percent []float64       `json:"percent"`
	Mean    *float64        `json:"mean"`
	SD      *float64        `json:"sd"`
	Median  *float64        `json:"median"`
	Q1      *float64        `json:"q1"`
	Q3      *float64        `json:"q3"`
	Missing int             `json:"missing"`
}

type rkVar struct {
	Variable  string    `json:"variable"`
	Kind      string    `json:"kind"`
	Levels    []any     `json:"levels"`
	Groups    []rkGroup `json:"groups"`
	Overall   rkGroup   `json:"overall"`
	Test      string    `json:"test"`
	Statistic *float64  `json:"statistic"`
	DF        *float64  `json:"df"`
	DF2       *float64  `json:"df2"`
	PValue    *float64  `json:"p_value"`
	SMD       *float64  `json:"smd"`
}

type rkTable struct {
	By       string   `json:"by"`
	Groups   []string `json:"groups"`
	N        []int    `json:"n"`
	Excluded int      `json:"excluded"`
	Vars     []string `json:"vars"`
	Table1   []rkVar  `json:"table1"`
}

func loadByK(t *testing.T) (companies, pbc rkTable) {
	var ref struct {
		Companies rkTable `json:"companies"`
		PBC       rkTable `json:"pbc"`
	}
	reftest.Load(t, "testdata/reference/describe/byk.json", &ref)
	return ref.Companies, ref.PBC
}

func relPtr(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s: got %v, R %v (presence differs)", name, got, want)
	default:
		reftest.Rel(t, name, *got, *want, 1e-6)
	}
}

// compareByK checks a Table 1 of k groups against byk.R's output: group
// codes and sizes, every group's and the overall summaries, the test,
// its statistic, degrees of freedom and p-value, and the SMD.
func compareByK(t *testing.T, res *DescribeResult, want rkTable) {
	t.Helper()
	if strings.Join(res.Groups, ",") != strings.Join(want.Groups, ",") {
		t.Fatalf("groups %v, R %v", res.Groups, want.Groups)
	}
	if fmt.Sprint(res.GroupN) != fmt.Sprint(want.N) {
		t.Errorf("group sizes %v, R %v", res.GroupN, want.N)
	}
	byVar := map[string][]stats.Table1Row{}
	var order []string
	for _, r := range res.Table1 {
		if byVar[r.Variable] == nil {
			order = append(order, r.Variable)
		}
		byVar[r.Variable] = append(byVar[r.Variable], r.Table1Row)
	}
	if len(order) != len(want.Table1) {
		t.Errorf("%d variables %v, R has %d", len(order), order, len(want.Table1))
	}
	for _, w := range want.Table1 {
		rows := byVar[w.Variable]
		name := w.Variable
		if len(rows) == 0 {
			t.Errorf("%s: missing", name)
			continue
		}
		head := rows[0]
		if head.Test != w.Test {
			t.Errorf("%s: test %q (note %q), R's rule gives %q", name, head.Test, head.Note, w.Test)
		}
		relPtr(t, name+" statistic", head.Statistic, w.Statistic)
		relPtr(t, name+" df", head.DF, w.DF)
		relPtr(t, name+" df2", head.DF2, w.DF2)
		relPtr(t, name+" p_value", head.PValue, w.PValue)
		relPtr(t, name+" smd", head.SMD, w.SMD)
		if w.Kind == "categorical" {
			if len(rows) != len(w.Levels) {
				t.Errorf("%s: %d levels, R %d", name, len(rows), len(w.Levels))
				continue
			}
			for j, r := range rows {
				cells := append(r.Cells(), r.OverallCell())
				refs := append(append([]rkGroup{}, w.Groups...), w.Overall)
				if len(cells) != len(refs) {
					t.Fatalf("%s: %d columns, R %d", name, len(cells), len(refs))
				}
				for g, c := range cells {
					var ns []float64
					if err := json.Unmarshal(refs[g].N, &ns); err != nil {
						t.Fatalf("%s: n: %v", name, err)
					}
					what := fmt.Sprintf("%s[%v] group %d", name, w.Levels[j], g)
					if float64(c.N) != ns[j] {
						t.Errorf("%s n = %d, R %v", what, c.N, ns[j])
					}
					if c.Percent == nil {
						if !(ns[j] == 0 && len(refs[g].Percent) == 0) {
							t.Errorf("%s percent missing", what)
						}
					} else {
						reftest.Rel(t, what+" percent", *c.Percent, refs[g].Percent[j], 1e-6)
					}
					if j == 0 && (c.Missing == nil || *c.Missing != refs[g].Missing) {
						t.Errorf("%s missing %v, R %d", what, c.Missing, refs[g].Missing)
					}
				}
			}
			continue
		}
		cells := append(head.Cells(), head.OverallCell())
		refs := append(append([]rkGroup{}, w.Groups...), w.Overall)
		for g, c := range cells {
			what := fmt.Sprintf("%s group %d", name, g)
			var n float64
			if err := json.Unmarshal(refs[g].N, &n); err != nil {
				t.Fatalf("%s n: %v", what, err)
			}
			if float64(c.N) != n || c.Missing == nil || *c.Missing != refs[g].Missing {
				t.Errorf("%s: n %d missing %v, R n %v missing %d", what, c.N, c.Missing, n, refs[g].Missing)
			}
			relPtr(t, what+" mean", c.Mean, refs[g].Mean)
			relPtr(t, what+" sd", c.SD, refs[g].SD)
			relPtr(t, what+" median", c.Median, refs[g].Median)
			relPtr(t, what+" q1", c.Q1, refs[g].Q1)
			relPtr(t, what+" q3", c.Q3, refs[g].Q3)
		}
	}
}

// TestDescribeByKMatchesR: Table 1 of the reference study by a
// three-level category (founder_background) against R.
func TestDescribeByKMatchesR(t *testing.T) {
	want, _ := loadByK(t)
	got, err := Describe(referenceStudy(t), DescribeOptions{By: want.By})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rule != stats.Table1KRule {
		t.Errorf("rule %q", got.Rule)
	}
	compareByK(t, got, want)
}

// TestDescribeByKForeignMatchesR: survival::pbc by histologic stage (four
// levels, six patients without a stage), with missing values, ties,
// sparse levels (Fisher r×k) and log-scale fields (Kruskal–Wallis).
func TestDescribeByKForeignMatchesR(t *testing.T) {
	_, want := loadByK(t)
	dir := reftest.Path(t, "testdata/foreign/pbc")
	tb := sgLoad(t, filepath.Join(dir, "pbc.csv"), filepath.Join(dir, "pbc.schema.json"))
	got, err := Describe(tb, DescribeOptions{By: want.By, Vars: want.Vars})
	if err != nil {
		t.Fatal(err)
	}
	compareByK(t, got, want)
	if len(got.Data.Excluded) != want.Excluded || got.Data.RowsUsed != tb.NRows()-want.Excluded {
		t.Errorf("excluded %d rows (used %d), R excludes %d", len(got.Data.Excluded), got.Data.RowsUsed, want.Excluded)
	}
	if !strings.Contains(got.ExcludedNote, fmt.Sprintf("%d rows with a missing stage", want.Excluded)) {
		t.Errorf("excluded note %q", got.ExcludedNote)
	}
}

// TestDescribeByClusterMembers: Table 1 by the clusters of a membership
// file; rows without a cluster are excluded with a note and counted, and
// a file naming ids the data lacks, or with a bad cluster, is refused
// with its file:line:column.
func TestDescribeByClusterMembers(t *testing.T) {
	tb := referenceStudy(t)
	idCol, _ := tb.Col(tb.Schema.FieldsWithRole("id")[0])
	var b strings.Builder
	b.WriteString("id,cluster\n")
	// Every row but the last ten, clusters by position (1, 2, 3).
	n := tb.NRows() - 10
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s,%d\n", idCol.Value(i), 1+i%3)
	}
	m, err := ReadMembers(strings.NewReader(b.String()), "members.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Describe(tb, DescribeOptions{By: ClusterBy, Members: m, Vars: []string{"company_type", "dev_years"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Groups, ",") != "1,2,3" || res.N != n || res.Data.RowsUsed != n || len(res.Data.Excluded) != 10 {
		t.Errorf("groups %v, n %d, used %d, excluded %d", res.Groups, res.N, res.Data.RowsUsed, len(res.Data.Excluded))
	}
	if !strings.Contains(res.ExcludedNote, "10 rows have no cluster in members.csv") {
		t.Errorf("excluded note %q", res.ExcludedNote)
	}
	// The cluster columns hold what the membership says: cluster 1 is
	// rows 0, 3, 6, ...
	want := 0
	for i := 0; i < n; i += 3 {
		want++
	}
	if res.GroupN[0] != want {
		t.Errorf("cluster 1 has %d rows, the file puts %d there", res.GroupN[0], want)
	}
	bad := []struct{ file, msg string }{
		{"id,cluster\n" + idCol.Value(0) + ",1\nNOPE,2\n", `members.csv:3:1: id "NOPE" is not in the data`},
		{"id,cluster\n" + idCol.Value(0) + ",x\n", `members.csv:2:2: cluster "x"`},
		{"id,cluster\n" + idCol.Value(0) + ",1\n" + idCol.Value(0) + ",2\n", "members.csv:3:1: id " + fmt.Sprintf("%q", idCol.Value(0)) + " is listed twice"},
		{"id,group\n1,1\n", "members.csv:1:1: header"},
		{"id,cluster\n1\n", "members.csv:2:"},
	}
	for _, c := range bad {
		m, err := ReadMembers(strings.NewReader(c.file), "members.csv")
		if err == nil {
			_, err = Describe(tb, DescribeOptions{By: ClusterBy, Members: m})
		}
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want %q", c.file, err, c.msg)
		}
		if IsOptionError(err) {
			t.Errorf("%q: a bad membership file is the data's error, not usage: %v", c.file, err)
		}
	}
	if _, err := Describe(tb, DescribeOptions{By: ClusterBy}); !IsOptionError(err) || !strings.Contains(err.Error(), "--members") {
		t.Errorf("--by cluster without --members: %v", err)
	}
	if _, err := Describe(tb, DescribeOptions{By: "novelty", Members: m}); !IsOptionError(err) {
		t.Errorf("--members with --by novelty: %v", err)
	}
}

// TestDescribeByKJSON: rows of a Table 1 of k groups carry "groups" and
// no cases_/controls_ columns; a binary Table 1's rows keep them.
func TestDescribeByKJSON(t *testing.T) {
	tb := referenceStudy(t)
	k, err := Describe(tb, DescribeOptions{By: "novelty", Vars: []string{"company_type"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(k.Table1[0])
	var row map[string]any
	if err := json.Unmarshal(b, &row); err != nil {
		t.Fatal(err)
	}
	if _, ok := row["cases_n"]; ok {
		t.Errorf("k-group row has cases_n: %s", b)
	}
	if g, ok := row["groups"].([]any); !ok || len(g) != 3 || row["variable_label"] == nil {
		t.Errorf("k-group row: %s", b)
	}
	bin, err := Describe(tb, DescribeOptions{Vars: []string{"company_type"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(bin.Table1[0])
	if !bytes.Contains(b, []byte(`"cases_n"`)) || bytes.Contains(b, []byte(`"groups"`)) {
		t.Errorf("binary row: %s", b)
	}
}
