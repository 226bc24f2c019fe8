package analysis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/reftest"
)

// wideTable is reftest.WideStudy loaded: n rows, f with k levels; cases
// limits the cases to the first rows (all rows alternate when negative).
func wideTable(t *testing.T, n, k, cases int) *dataset.Table {
	t.Helper()
	sb, csv := reftest.WideStudy(n, k, cases)
	s, err := dataset.ParseSchema(sb, "wide.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(bytes.NewReader(csv), "wide.csv", s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestDescribeLevelAndGroupCaps: Table 1 refuses a variable with more
// than Table1MaxLevels levels (exit 1: the data's), a --by with more than
// Table1MaxGroups groups (exit 2: the flag's), and data whose rows are all
// in one group (no cases), instead of printing an empty comparison.
func TestDescribeLevelAndGroupCaps(t *testing.T) {
	wide := wideTable(t, 3000, Table1MaxLevels+1, -1)
	_, err := Describe(wide, DescribeOptions{})
	if err == nil || IsOptionError(err) || !strings.HasPrefix(err.Error(), "f has 1001 levels: Table 1 lists at most 1000 levels") {
		t.Errorf("wide f: %v (option error %v)", err, IsOptionError(err))
	}
	if _, err := Describe(wide, DescribeOptions{Vars: []string{"x"}}); err != nil {
		t.Errorf("--vars x leaves f out: %v", err)
	}
	_, err = Describe(wide, DescribeOptions{By: "f", Vars: []string{"x"}})
	if !IsOptionError(err) || !strings.HasPrefix(err.Error(), "--by f has 1001 levels: Table 1 compares at most 50 groups") {
		t.Errorf("--by f: %v", err)
	}
	none := wideTable(t, 60, 3, 0)
	_, err = Describe(none, DescribeOptions{})
	if err == nil || IsOptionError(err) || err.Error() != "nothing to compare: all 60 rows are controls and none cases, so Table 1 has a single group (expected rows in at least two groups of case)" {
		t.Errorf("no cases: %v", err)
	}
	// Three groups, one of them empty, still compare two: no error.
	_, err = Describe(wideTable(t, 60, 3, -1), DescribeOptions{By: "f", Vars: []string{"x"}})
	if err != nil {
		t.Errorf("--by f with 3 levels: %v", err)
	}
}

// TestSubgroupStrataCap: a categorical SPEC with more than
// MaxSubgroupStrata levels is refused before any model is built (a usage
// error, as a SPEC on a continuous variable), with the way out.
func TestSubgroupStrataCap(t *testing.T) {
	tb := wideTable(t, 400, MaxSubgroupStrata+1, -1)
	opts := SubgroupOptions{LogitOptions: DefaultLogitOptions(), By: []string{"f"}}
	opts.Covariates = []string{"x"}
	_, err := Subgroup(tb, opts)
	want := `--by "f": f has 101 levels: subgroup splits into at most 100 strata (one model each) — collapse the levels, or split one level against the rest with --by f=LEVEL`
	if !IsOptionError(err) || err.Error() != want {
		t.Errorf("got %v (option error %v)\nwant %s", err, IsOptionError(err), want)
	}
}

// TestClusterWideFactorRefused: a categorical clustering variable above
// ClusterMaxLevels is refused before it is encoded (a 10^5-level factor
// used to allocate 80 GB, and 1000 levels ran for minutes); at the limit
// it is clustered.
func TestClusterWideFactorRefused(t *testing.T) {
	tb := wideTable(t, 20000, 20000, -1)
	_, err := Cluster(tb, DefaultClusterOptions())
	if err == nil || IsOptionError(err) || err.Error() != "f has 20000 levels: clustering gives each level a column of its own, and ccstudy clusters categorical variables of up to 50 levels — collapse the levels or leave f out of --vars" {
		t.Errorf("cluster: %v", err)
	}
	if _, err := PrepareCluster(wideTable(t, 200, ClusterMaxLevels, -1), DefaultClusterOptions()); err != nil {
		t.Errorf("%d levels: %v", ClusterMaxLevels, err)
	}
}
