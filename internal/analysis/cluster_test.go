package analysis

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/ccstudy/ccstudy/cluster"
	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
)

// clRCaseTest is R's test of cluster membership against case status.
type clRCaseTest struct {
	Test        string   `json:"test"`
	Statistic   *float64 `json:"statistic"`
	DF          *float64 `json:"df"`
	PValue      float64  `json:"p_value"`
	MinExpected float64  `json:"min_expected"`
}

// clRKMeans is R's best k-means partition for one k (kmeans, nstart = 100)
// with its criteria, relabelled in the command's cluster order.
type clRKMeans struct {
	K                int         `json:"k"`
	TotWithinss      float64     `json:"tot_withinss"`
	Cluster          []int       `json:"cluster"`
	Size             []int       `json:"size"`
	Cases            []int       `json:"cases"`
	SilhouetteAvg    float64     `json:"silhouette_avg"`
	CalinskiHarabasz float64     `json:"calinski_harabasz"`
	CaseTest         clRCaseTest `json:"case_test"`
}

type clRPAM struct {
	K                int         `json:"k"`
	Cluster          []int       `json:"cluster"`
	SilhouetteAvg    float64     `json:"silhouette_avg"`
	CalinskiHarabasz float64     `json:"calinski_harabasz"`
	Medoids          []string    `json:"medoids"`
	CaseTest         clRCaseTest `json:"case_test"`
}

type clRCompanies struct {
	Columns      []string    `json:"columns"`
	IDs          []string    `json:"ids"`
	Case         []int       `json:"case"`
	X            [][]float64 `json:"x"`
	Totss        float64     `json:"totss"`
	KMeans       []clRKMeans `json:"kmeans"`
	PAMGower     []clRPAM    `json:"pam_gower"`
	PAMEuclidean []clRPAM    `json:"pam_euclidean"`
}

func clReadRef(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reference", "clustercmd", name))
	if err != nil {
		t.Fatalf("%v (rerun Rscript testdata/reference/clustercmd/clustercmd.R from the repo root)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func clLoadCompanies(t testing.TB) *dataset.Table {
	t.Helper()
	s, err := refstudy.Schema("companies")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("..", "..", "testdata", "companies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := dataset.Load(f, "companies.csv", s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func clRelClose(got, want, rel float64) bool {
	if math.Abs(want) < 1e-10 {
		return math.Abs(got-want) <= 1e-12
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func clCheckRel(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if !clRelClose(got, want, rel) {
		t.Errorf("%s = %.15g, R says %.15g", what, got, want)
	}
}

// TestPrepareClusterMatchesR: the encoded, standardized matrix equals R's
// scale(model.matrix(...)) of the reference data.
func TestPrepareClusterMatchesR(t *testing.T) {
	var ref clRCompanies
	clReadRef(t, "companies.json", &ref)
	in, err := PrepareCluster(clLoadCompanies(t), DefaultClusterOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Settings.Columns, ref.Columns) {
		t.Fatalf("columns %v, R %v", in.Settings.Columns, ref.Columns)
	}
	n, p := in.X.Dims()
	if n != len(ref.X) || p != len(ref.X[0]) {
		t.Fatalf("matrix %d×%d, R %d×%d", n, p, len(ref.X), len(ref.X[0]))
	}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			if g, w := in.X.At(i, j), ref.X[i][j]; math.Abs(g-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Fatalf("x[%d, %s] = %.17g, R %.17g", i+1, ref.Columns[j], g, w)
			}
		}
	}
	if len(in.Data.Excluded) != 0 || in.Data.RowsUsed != 180 {
		t.Errorf("rows used %d, excluded %v", in.Data.RowsUsed, in.Data.Excluded)
	}
}

// TestClusterSelectionMatchesR compares, for every k, the k-means
// partition with R's best of 100 restarts: ours must not be worse, and
// where the partitions coincide (equal labels in the common numbering,
// i.e. adjusted Rand index 1) the silhouette, Calinski–Harabasz and case
// test must equal R's. Where they differ, R's partition is fed to the same
// criteria on our matrix, so each number is still checked against R.
// R keeps its best of 100 restarts and we take 500: the landscape has many
// local optima for k >= 5, where 25 (the default) or even 100 restarts can
// stop in a worse one than R's best of 100.
func TestClusterSelectionMatchesR(t *testing.T) {
	var ref clRCompanies
	clReadRef(t, "companies.json", &ref)
	tb := clLoadCompanies(t)
	opts := DefaultClusterOptions()
	opts.NStart, opts.Seed = 500, 1
	in, err := PrepareCluster(tb, opts)
	if err != nil {
		t.Fatal(err)
	}
	res := &ClusterResult{X: in.X, Rows: in.Rows, Settings: in.Settings}
	clCheckRel(t, "totss", cluster.TotalSS(in.X), ref.Totss, 1e-9)
	same := 0
	for _, r := range ref.KMeans {
		// The code that fills each row of the command's selection table.
		c, err := criteriaFor(in.X, nil, r.K, &opts)
		if err != nil {
			t.Fatal(err)
		}
		row, cl := c.row, c.partition
		if *row.TotWithinss > r.TotWithinss*(1+1e-9) {
			t.Errorf("k = %d: tot_withinss %.12g is worse than R's best %.12g", r.K, *row.TotWithinss, r.TotWithinss)
		}
		if slices.Equal(cl, r.Cluster) {
			same++
			clCheckRel(t, "silhouette k="+clItoa(r.K), *row.SilhouetteAvg, r.SilhouetteAvg, 1e-6)
			clCheckRel(t, "Calinski-Harabasz k="+clItoa(r.K), *row.CalinskiHarabasz, r.CalinskiHarabasz, 1e-6)
			clCheckRel(t, "tot_withinss k="+clItoa(r.K), *row.TotWithinss, r.TotWithinss, 1e-9)
		} else {
			t.Logf("k = %d: partition differs from R's (tot_withinss %.10g vs R %.10g); checking the criteria on R's partition", r.K, *row.TotWithinss, r.TotWithinss)
			sil, err := cluster.Silhouette(res.X, r.Cluster)
			if err != nil {
				t.Fatal(err)
			}
			clCheckRel(t, "silhouette of R's partition k="+clItoa(r.K), sil.AvgWidth, r.SilhouetteAvg, 1e-6)
			ch, err := cluster.CalinskiHarabasz(res.X, r.Cluster)
			if err != nil {
				t.Fatal(err)
			}
			clCheckRel(t, "CH of R's partition k="+clItoa(r.K), ch, r.CalinskiHarabasz, 1e-6)
		}
		// Profiles of R's partition: sizes, cases and the membership test.
		clCheckProfiles(t, tb, res, r.K, r.Cluster, r.Size, r.Cases, r.CaseTest)
	}
	t.Logf("%d of %d k-means partitions coincide with R's", same, len(ref.KMeans))
	if same == 0 {
		t.Errorf("no k-means partition coincides with R's best")
	}
}

func clCheckProfiles(t *testing.T, tb *dataset.Table, res *ClusterResult, k int, cl, size, cases []int, ct clRCaseTest) {
	t.Helper()
	a := make([]Assignment, len(cl))
	for i, c := range cl {
		a[i] = Assignment{Cluster: c}
	}
	pr, err := profiles(tb, res.Rows, res.Settings.Variables, a, k, res.Settings.Seed, "")
	if err != nil {
		t.Fatal(err)
	}
	for c, pc := range pr.Clusters {
		if pc.Size != size[c] || (cases != nil && *pc.Cases != cases[c]) {
			t.Errorf("k = %d cluster %d: size %d cases %d, R size %d cases %v", k, c+1, pc.Size, *pc.Cases, size[c], cases)
		}
	}
	if pr.CaseTest.Test != ct.Test {
		t.Fatalf("k = %d: test %s, R's rule %s (min expected %g)", k, pr.CaseTest.Test, ct.Test, ct.MinExpected)
	}
	clCheckRel(t, "case test p k="+clItoa(k), *pr.CaseTest.PValue, ct.PValue, 1e-6)
	clCheckRel(t, "min expected k="+clItoa(k), *pr.CaseTest.MinExpected, ct.MinExpected, 1e-9)
	if ct.Statistic != nil {
		clCheckRel(t, "chi-square k="+clItoa(k), *pr.CaseTest.Statistic, *ct.Statistic, 1e-6)
		if float64(*pr.CaseTest.DF) != *ct.DF {
			t.Errorf("k = %d: df %d, R %g", k, *pr.CaseTest.DF, *ct.DF)
		}
	}
}

func clItoa(k int) string { return strconv.Itoa(k) }

// TestClusterPAMMatchesR: PAM is deterministic, so its partitions for
// every k must be R's pam() partitions exactly, on Gower distances of the
// unencoded variables and on Euclidean distances of the standardized
// matrix; k is the one with the largest average silhouette.
func TestClusterPAMMatchesR(t *testing.T) {
	var ref clRCompanies
	clReadRef(t, "companies.json", &ref)
	tb := clLoadCompanies(t)
	for _, tc := range []struct {
		dist cluster.Distance
		ref  []clRPAM
	}{{cluster.GowerDist, ref.PAMGower}, {cluster.Euclidean, ref.PAMEuclidean}} {
		opts := DefaultClusterOptions()
		opts.Algorithm, opts.Distance, opts.BootB = cluster.PAMAlgorithm, tc.dist, 2
		res, err := Cluster(tb, opts)
		if err != nil {
			t.Fatal(err)
		}
		best := tc.ref[0]
		for _, r := range tc.ref {
			if r.SilhouetteAvg > best.SilhouetteAvg {
				best = r
			}
			if !slices.Equal(res.Partitions[r.K], r.Cluster) {
				t.Errorf("%s k = %d: partition differs from R's pam", tc.dist, r.K)
			}
			row := res.Selection[r.K-2]
			clCheckRel(t, string(tc.dist)+" silhouette k="+clItoa(r.K), *row.SilhouetteAvg, r.SilhouetteAvg, 1e-6)
			if tc.dist == cluster.GowerDist {
				if row.CalinskiHarabasz != nil || row.Gap != nil || row.TotWithinss != nil || row.NotApplicable["calinski_harabasz"] == "" {
					t.Errorf("gower k = %d: Euclidean criteria should be not applicable: %+v", r.K, row)
				}
			} else {
				clCheckRel(t, "euclidean CH k="+clItoa(r.K), *row.CalinskiHarabasz, r.CalinskiHarabasz, 1e-6)
			}
		}
		if res.K != best.K || res.KRule != RuleSilhouette {
			t.Errorf("%s: k = %d by %s, R's largest silhouette is at k = %d", tc.dist, res.K, res.KRule, best.K)
		}
		if tc.dist == cluster.GowerDist {
			want := slices.Clone(best.Medoids)
			got := slices.Clone(res.Medoids)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("gower medoids %v, R %v", res.Medoids, best.Medoids)
			}
			if res.Centers != nil || res.TotWithinss != nil {
				t.Errorf("gower result has Euclidean summaries")
			}
			clCheckProfiles(t, tb, res, best.K, best.Cluster, clSizesOf(best.Cluster, best.K), nil, best.CaseTest)
		}
	}
}

func clSizesOf(cl []int, k int) []int {
	s := make([]int, k)
	for _, c := range cl {
		s[c-1]++
	}
	return s
}

// TestClusterOptionsErrors: bad settings are errors, not panics.
func TestClusterOptionsErrors(t *testing.T) {
	tb := clLoadCompanies(t)
	for _, change := range []func(*ClusterOptions){
		func(o *ClusterOptions) { o.Algorithm = "ward" }, func(o *ClusterOptions) { o.Distance = cluster.GowerDist },
		func(o *ClusterOptions) { o.KMin, o.KMax = 3, 2 }, func(o *ClusterOptions) { o.KMin, o.KMax = 1, 4 },
		func(o *ClusterOptions) { o.K = 1 }, func(o *ClusterOptions) { o.Standardize = "robust" },
		func(o *ClusterOptions) { o.Init = "forgy" }, func(o *ClusterOptions) { o.Algorithm = "hw" },
		func(o *ClusterOptions) { o.NStart = 0 }, func(o *ClusterOptions) { o.Vars = []string{"company_id"} },
		func(o *ClusterOptions) { o.Vars = []string{"case"} }, func(o *ClusterOptions) { o.Vars = []string{"nosuch"} },
		func(o *ClusterOptions) { o.K, o.BootB, o.GapB = 200, 2, 2 },
	} {
		o := DefaultClusterOptions()
		change(&o)
		if _, err := Cluster(tb, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	// A zero field is an error, not a default stated a second time.
	if _, err := Cluster(tb, ClusterOptions{}); err == nil {
		t.Error("zero options accepted")
	}
}
