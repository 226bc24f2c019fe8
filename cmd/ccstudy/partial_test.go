package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// partialSchema is a schema of id, a 0/1 outcome y and two numbers.
const partialSchema = `{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},
{"name":"a","type":"number","role":"covariate"},{"name":"b","type":"number","role":"covariate"}]}`

// partialData writes n rows of partialSchema (y from outcome(i), a and b
// standard normal from a fixed seed) and the schema; it returns their paths.
func partialData(t *testing.T, n int, outcome func(i int) int) (data, schema string) {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("id,y,a,b\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "r%d,%d,%.4f,%.4f\n", i, outcome(i), rng.NormFloat64(), rng.NormFloat64())
	}
	data, schema = filepath.Join(dir, "d.csv"), filepath.Join(dir, "s.json")
	if err := writeFile(data, b.String()); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(schema, partialSchema); err != nil {
		t.Fatal(err)
	}
	return data, schema
}

// TestClusterCaseTestNotComputed: a membership test that cannot be
// computed (every row is a case, so the table has an empty column) is
// marked with its reason; the clusters and profiles are still printed and
// the exit status is 0.
func TestClusterCaseTestNotComputed(t *testing.T) {
	data, schema := partialData(t, 30, func(int) int { return 1 })
	args := []string{"cluster", "--data", data, "--schema", schema, "--k", "2", "--k-range", "2:3", "--boot-b", "5"}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"Cluster membership vs y: not computed: ", "is empty", "Cluster profiles on the original scale", "Cluster centres"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	var res struct {
		Profiles struct {
			CaseTest struct {
				Status string   `json:"status"`
				Reason string   `json:"reason"`
				PValue *float64 `json:"p_value"`
				N      int      `json:"n"`
			} `json:"case_test"`
		} `json:"profiles"`
	}
	runJSON(t, &res, args...)
	ct := res.Profiles.CaseTest
	if ct.Status != "not computed" || !strings.Contains(ct.Reason, "empty") || ct.PValue != nil || ct.N != 30 {
		t.Errorf("case_test %+v", ct)
	}
}

// TestClusterStabilityNotComputed: on 3 rows a bootstrap resample holds
// one distinct row (fewer than k = 2) with probability 1/9, so among 200
// replicates one does for any seed (the chance that none does is below
// 1e-10): the stability cannot be computed; it is marked with its reason
// and everything else printed, exit 0.
func TestClusterStabilityNotComputed(t *testing.T) {
	dir := t.TempDir()
	data, schema := filepath.Join(dir, "d.csv"), filepath.Join(dir, "s.json")
	if err := writeFile(data, "id,y,a,b\nr0,0,0,0\nr1,1,5,5\nr2,0,10,0\n"); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(schema, partialSchema); err != nil {
		t.Fatal(err)
	}
	args := []string{"cluster", "--data", data, "--schema", schema, "--k", "2", "--k-range", "2:2", "--boot-b", "200"}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"Stability not computed: cluster: bootstrap replicate", "not available", "Cluster profiles"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	var res struct {
		StabilityReason string `json:"stability_reason"`
		Stability       []any  `json:"stability"`
	}
	runJSON(t, &res, args...)
	if !strings.Contains(res.StabilityReason, "bootstrap replicate") || len(res.Stability) != 0 {
		t.Errorf("stability_reason %q, stability %v", res.StabilityReason, res.Stability)
	}
}

// TestClusterForcedKSkipsGap: with --k the gap statistic, which only
// chooses k, is not computed; each row says so and the table notes the
// reason instead of showing empty gap columns.
func TestClusterForcedKSkipsGap(t *testing.T) {
	data, schema := partialData(t, 60, func(i int) int { return i % 2 })
	args := []string{"cluster", "--data", data, "--schema", schema, "--k", "3", "--k-range", "2:4", "--boot-b", "5"}
	var res struct {
		Selection []struct {
			K             int               `json:"k"`
			Gap           *float64          `json:"gap"`
			NotApplicable map[string]string `json:"not_applicable"`
		} `json:"selection"`
		K     int    `json:"k"`
		KRule string `json:"k_rule"`
	}
	runJSON(t, &res, args...)
	if res.K != 3 || res.KRule != "forced" || len(res.Selection) != 3 {
		t.Fatalf("k %d by %s, %d selection rows (expected k = 2..4, no k = 1 row)", res.K, res.KRule, len(res.Selection))
	}
	for _, r := range res.Selection {
		if r.Gap != nil || !strings.HasPrefix(r.NotApplicable["gap"], "not computed: k was set with --k") {
			t.Errorf("k = %d: gap %v, reason %q", r.K, r.Gap, r.NotApplicable["gap"])
		}
	}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "gap statistic (k = 2, 3, 4): not computed: k was set with --k") || strings.Contains(out, "gap_se") {
		t.Errorf("output does not explain the missing gap statistic:\n%s", out)
	}
}

// TestClusterLargeData: above cluster.SilhouetteMaxRows rows the
// silhouette is computed on a seeded subsample and the output says so
// (no n×n matrix); PAM, which needs one, is refused with the reason
// before anything is allocated.
func TestClusterLargeData(t *testing.T) {
	if testing.Short() {
		t.Skip("6000 rows")
	}
	data, schema := partialData(t, 6000, func(i int) int { return i % 2 })
	args := []string{"cluster", "--data", data, "--schema", schema, "--k", "2", "--k-range", "2:2", "--boot-b", "2", "--nstart", "2"}
	var res struct {
		SilhouetteAvg  *float64   `json:"silhouette_avg"`
		SilhouetteBy   []*float64 `json:"silhouette_cluster_avg"`
		SilhouetteNote string     `json:"silhouette_note"`
	}
	runJSON(t, &res, args...)
	if res.SilhouetteAvg == nil || len(res.SilhouetteBy) != 2 || res.SilhouetteBy[0] == nil || !strings.Contains(res.SilhouetteNote, "random subsample of 5000 of the 6000 rows") {
		t.Errorf("silhouette %v %v, note %q", res.SilhouetteAvg, res.SilhouetteBy, res.SilhouetteNote)
	}
	out, _, _ := runCLI(t, "", args...)
	if !strings.Contains(out, "silhouette computed on a random subsample of 5000 of the 6000 rows") {
		t.Errorf("table output does not state the subsample:\n%s", out)
	}
	_, errOut, code := runCLI(t, "", "cluster", "--data", data, "--schema", schema, "--algorithm", "pam", "--k", "2", "--k-range", "2:2")
	if code != 1 || !strings.Contains(errOut, "limited to 5000 rows") {
		t.Errorf("pam on 6000 rows: exit %d, %s", code, errOut)
	}
}

// TestDescribeNoOutcomeNamesBy: a schema without an outcome role is told
// how to name the grouping (usage, exit 2); with --by it runs.
func TestDescribeNoOutcomeNamesBy(t *testing.T) {
	data, _ := partialData(t, 20, func(i int) int { return i % 2 })
	schema := filepath.Join(t.TempDir(), "s.json")
	if err := writeFile(schema, strings.Replace(partialSchema, `"role":"outcome"`, `"role":"covariate"`, 1)); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "describe", "--data", data, "--schema", schema)
	if code != 2 || !strings.Contains(errOut, "name the grouping variable with --by") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	out, errOut, code := runCLI(t, "", "describe", "--data", data, "--schema", schema, "--by", "y")
	if code != 0 || !strings.Contains(out, "Table 1. y = 1 vs y = 0") {
		t.Errorf("--by y: exit %d: %s%s", code, errOut, out)
	}
}

// TestClusterIterationBoundWarns: k-means fits of the gap statistic that
// stop at --iter-max are counted in a warning; the run still exits 0.
func TestClusterIterationBoundWarns(t *testing.T) {
	d := testdataPath("reference/clustercmd") + "/"
	out, errOut, code := runCLI(t, "", "cluster", "--data", d+"USArrests.csv", "--schema", d+"USArrests.schema.json",
		"--iter-max", "1", "--gap-b", "5", "--boot-b", "5", "--nstart", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "k-means fits stopped at the iteration bound (--iter-max 1) before converging") {
		t.Errorf("no warning about the iteration bound:\n%s", out)
	}
}
