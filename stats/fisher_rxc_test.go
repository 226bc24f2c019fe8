package stats

import (
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// fisherRxCRef is testdata/reference/stats/fisher_rxc.json, written by
// fisher_rxc.R.
type fisherRxCRef struct {
	Exact []struct {
		Name   string         `json:"name"`
		Table  reftest.Matrix `json:"table"`
		PValue float64        `json:"p_value"`
		Source string         `json:"source"`
	} `json:"exact"`
	MonteCarlo []struct {
		Name       string         `json:"name"`
		Table      reftest.Matrix `json:"table"`
		Replicates int            `json:"replicates"`
		SimPValue  float64        `json:"sim_p_value"`
		ExactP     *float64       `json:"exact_p_value"`
	} `json:"monte_carlo"`
	Patefield struct {
		Rows     []int       `json:"rows"`
		Cols     []int       `json:"cols"`
		Draws    int         `json:"draws"`
		Tables   [][]float64 `json:"tables"`
		Probs    []float64   `json:"probs"`
		Critical float64     `json:"critical"`
		DF       int         `json:"df"`
	} `json:"patefield"`
}

func loadFisherRxC(t testing.TB) fisherRxCRef {
	t.Helper()
	var ref fisherRxCRef
	reftest.Load(t, refDir+"fisher_rxc.json", &ref)
	if len(ref.Exact) == 0 || len(ref.MonteCarlo) == 0 || len(ref.Patefield.Probs) == 0 {
		t.Fatal("fisher_rxc.json has no cases")
	}
	return ref
}

func fisherRxCTable(t testing.TB, ref fisherRxCRef, name string) [][]float64 {
	t.Helper()
	for _, c := range ref.Exact {
		if c.Name == name {
			return c.Table.Rows()
		}
	}
	t.Fatalf("no exact case %s", name)
	return nil
}

// TestFisherRxCExactAgainstR checks the exact p-value of every reference
// table (2×8 cluster × case tables with n ≈ 300, sparse ones, r×2, 2×10,
// r×c) with the enumeration forced to be exact.
func TestFisherRxCExactAgainstR(t *testing.T) {
	ref := loadFisherRxC(t)
	for _, c := range ref.Exact {
		r, err := FisherExactOpts(c.Table.Rows(), FisherOptions{ExactOnly: true})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		if r.Method != FisherMethodExact {
			t.Errorf("%s: method %q", c.Name, r.Method)
		}
		reftest.Rel(t, c.Name+" p ("+c.Source+")", r.PValue, c.PValue, relTol)
	}
}

// TestFisherRxCDefaultIsExact checks that the default FisherExact gives the
// exact p-value (no simulation) on the 2×8 tables R needs workspace = 2e7
// for, and on those R cannot do at all.
func TestFisherRxCDefaultIsExact(t *testing.T) {
	ref := loadFisherRxC(t)
	n := 0
	for _, c := range ref.Exact {
		if !strings.HasPrefix(c.Name, "cluster_2x8") {
			continue
		}
		n++
		r, err := FisherExact(c.Table.Rows())
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if r.Method != FisherMethodExact {
			t.Errorf("%s: method %q (%s)", c.Name, r.Method, r.Note)
		}
		reftest.Rel(t, c.Name+" p", r.PValue, c.PValue, relTol)
	}
	if n < 8 {
		t.Fatalf("only %d 2x8 cases", n)
	}
}

// TestFisherRxCSymmetries permutes and transposes tables: the p-value must
// stay R's.
func TestFisherRxCSymmetries(t *testing.T) {
	ref := loadFisherRxC(t)
	for _, name := range []string{"cluster_2x8_random_3", "rxc_3x6", "sparse_9x2"} {
		tab := fisherRxCTable(t, ref, name)
		var want float64
		for _, c := range ref.Exact {
			if c.Name == name {
				want = c.PValue
			}
		}
		tt := make([][]float64, len(tab[0]))
		for j := range tt {
			for i := range tab {
				tt[j] = append(tt[j], tab[i][j])
			}
		}
		// Reverse the rows and rotate the columns by one.
		perm := make([][]float64, len(tab))
		for i := range tab {
			row := tab[len(tab)-1-i]
			perm[i] = append(append([]float64{}, row[1:]...), row[0])
		}
		for what, x := range map[string][][]float64{"transposed": tt, "permuted": perm} {
			r, err := FisherExactOpts(x, FisherOptions{ExactOnly: true})
			if err != nil {
				t.Fatalf("%s %s: %v", name, what, err)
			}
			reftest.Rel(t, name+" "+what, r.PValue, want, relTol)
		}
	}
}

// mcTolerance is four binomial standard errors of a simulated p-value with
// B replicates around p, plus the 1/(B+1) of R's "+1".
func mcTolerance(p float64, b int) float64 {
	return 4*math.Sqrt(p*(1-p)/float64(b)) + 1/float64(b+1)
}

// TestFisherMonteCarloAgainstR compares the simulated p-value with R's exact
// one within binomial error (B = 2000 and B = 20000), and with R's own
// simulated p-value within the error of the difference.
func TestFisherMonteCarloAgainstR(t *testing.T) {
	ref := loadFisherRxC(t)
	for _, c := range ref.MonteCarlo {
		r, err := FisherExactOpts(c.Table.Rows(), FisherOptions{MonteCarlo: true, Replicates: c.Replicates, Seed: 11})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if r.Method != FisherMethodMonteCarlo || r.Replicates != c.Replicates || r.Seed != 11 {
			t.Errorf("%s: method %q, B %d, seed %d", c.Name, r.Method, r.Replicates, r.Seed)
		}
		// p is (1 + hits)/(B + 1).
		if hits := r.PValue*float64(c.Replicates+1) - 1; math.Abs(hits-math.Round(hits)) > 1e-6 || hits < 0 {
			t.Errorf("%s: p = %v is not (1 + hits)/(B + 1)", c.Name, r.PValue)
		}
		pbar := (r.PValue + c.SimPValue) / 2
		if d := math.Abs(r.PValue - c.SimPValue); d > math.Sqrt2*mcTolerance(pbar, c.Replicates) {
			t.Errorf("%s: simulated p %v, R's simulated p %v", c.Name, r.PValue, c.SimPValue)
		}
		if c.ExactP == nil {
			continue
		}
		for _, b := range []int{c.Replicates, 20000} {
			r, err := FisherExactOpts(c.Table.Rows(), FisherOptions{MonteCarlo: true, Replicates: b, Seed: 12})
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(r.PValue - *c.ExactP); d > mcTolerance(*c.ExactP, b) {
				t.Errorf("%s B=%d: simulated p %v, R's exact p %v", c.Name, b, r.PValue, *c.ExactP)
			}
		}
	}
}

// TestFisherFallsBackToMonteCarlo uses tables beyond the exact limit (of
// both R's workspace = 2e7 and DefaultFisherMaxWork): the default must
// simulate and say so. ExactOnly must fail with ErrFisherTooLarge instead.
func TestFisherFallsBackToMonteCarlo(t *testing.T) {
	ref := loadFisherRxC(t)
	n := 0
	for _, c := range ref.MonteCarlo {
		// big_2x14_assoc and big_2x15_sparse are as large; each costs the
		// whole work bound (seconds), so they are left to the simulation
		// test and the cluster membership test.
		if c.Name != "big_4x4_n3400" && c.Name != "big_2x16_n800" {
			continue
		}
		n++
		r, err := FisherExact(c.Table.Rows())
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if r.Method != FisherMethodMonteCarlo || r.Replicates != DefaultFisherReplicates {
			t.Errorf("%s: method %q, B %d", c.Name, r.Method, r.Replicates)
		}
		if !strings.Contains(r.Note, "exceed") || !strings.Contains(r.Note, "simulate.p.value = TRUE") {
			t.Errorf("%s: note %q", c.Name, r.Note)
		}
		pbar := (r.PValue + c.SimPValue) / 2
		if d := math.Abs(r.PValue - c.SimPValue); d > math.Sqrt2*mcTolerance(pbar, c.Replicates) {
			t.Errorf("%s: simulated p %v, R's simulated p %v", c.Name, r.PValue, c.SimPValue)
		}
	}
	if n != 2 {
		t.Fatalf("%d of the 2 tables beyond the exact limit", n)
	}
	// A small work bound sends an ordinary table to the simulation too, or
	// to ErrFisherTooLarge.
	tab := fisherRxCTable(t, ref, "cluster_2x8_balanced")
	r, err := FisherExactOpts(tab, FisherOptions{MaxWork: 100, Seed: 3})
	if err != nil || r.Method != FisherMethodMonteCarlo || r.Seed != 3 {
		t.Fatalf("MaxWork 100: %+v, %v", r, err)
	}
	for _, name := range []string{"cluster_2x8_balanced", "rxc_3x6"} {
		_, err = FisherExactOpts(fisherRxCTable(t, ref, name), FisherOptions{MaxWork: 100, ExactOnly: true})
		if !errors.Is(err, ErrFisherTooLarge) {
			t.Errorf("%s, MaxWork 100, ExactOnly: got %v, want ErrFisherTooLarge", name, err)
		}
	}
}

// TestFisherMonteCarloDeterministic: a seed gives one p-value whatever
// GOMAXPROCS, and other seeds give other draws.
func TestFisherMonteCarloDeterministic(t *testing.T) {
	ref := loadFisherRxC(t)
	tab := fisherRxCTable(t, ref, "cluster_2x8_random_2")
	opts := FisherOptions{MonteCarlo: true, Seed: 42}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	r1, err := FisherExactOpts(tab, opts)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(4)
	r2, _ := FisherExactOpts(tab, opts)
	if r1.PValue != r2.PValue {
		t.Errorf("seed 42: p %v with GOMAXPROCS=1, %v with 4", r1.PValue, r2.PValue)
	}
	differ := false
	for seed := uint64(43); seed < 46; seed++ {
		r, _ := FisherExactOpts(tab, FisherOptions{MonteCarlo: true, Seed: seed})
		differ = differ || r.PValue != r1.PValue
	}
	if !differ {
		t.Error("seeds 42..45 all give the same simulated p-value")
	}
}

// TestPatefieldAgainstR draws tables with fixed margins and compares their
// frequencies with R's exact multiple-hypergeometric probabilities by a
// chi-square goodness-of-fit test at level 1e-4 (cells with expected count
// below 5 pooled, as R chose them).
func TestPatefieldAgainstR(t *testing.T) {
	ref := loadFisherRxC(t).Patefield
	n := 0
	for _, v := range ref.Rows {
		n += v
	}
	lf := logFactorials(n)
	g := newPatefield(ref.Rows, ref.Cols, lf)
	index := map[string]int{}
	for i, tab := range ref.Tables {
		index[tableKey(tab)] = i
	}
	counts := make([]float64, len(ref.Tables))
	y := make([]int, len(ref.Rows)*len(ref.Cols))
	rng := newFisherRand(7)
	for range ref.Draws {
		g.draw(rng, y)
		f := make([]float64, len(y))
		for i, v := range y {
			f[i] = float64(v)
		}
		i, ok := index[tableKey(f)]
		if !ok {
			t.Fatalf("drew %v, not a table with margins %v / %v", y, ref.Rows, ref.Cols)
		}
		counts[i]++
	}
	var stat, pooledObs, pooledExp float64
	cells := 0
	for i, p := range ref.Probs {
		e := p * float64(ref.Draws)
		if e < 5 {
			pooledObs += counts[i]
			pooledExp += e
			continue
		}
		stat += (counts[i] - e) * (counts[i] - e) / e
		cells++
	}
	if pooledExp > 0 {
		stat += (pooledObs - pooledExp) * (pooledObs - pooledExp) / pooledExp
		cells++
	}
	if cells-1 != ref.DF {
		t.Fatalf("%d cells, R's df %d", cells, ref.DF)
	}
	if stat > ref.Critical {
		t.Errorf("goodness of fit X² = %.2f on %d df, critical value %.2f", stat, ref.DF, ref.Critical)
	}
}

func tableKey(x []float64) string {
	b, _ := json.Marshal(x)
	return string(b)
}

func TestFisherResultMethodJSON(t *testing.T) {
	ref := loadFisherRxC(t)
	tab := fisherRxCTable(t, ref, "rxc_4x4")
	r, err := FisherExactOpts(tab, FisherOptions{MonteCarlo: true, Seed: 0})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	for _, want := range []string{`"method":"monte-carlo"`, `"replicates":2000`, `"seed":0`, `"note":"Monte-Carlo p-value requested`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	r, _ = FisherExactOpts(tab, FisherOptions{})
	b, _ = json.Marshal(r)
	if !strings.Contains(string(b), `"method":"exact"`) || strings.Contains(string(b), "replicates") || strings.Contains(string(b), "seed") {
		t.Errorf("exact JSON: %s", b)
	}
}

// BenchmarkFisherExact2x8 is the 2×8 cluster × case table (n = 276) that R
// does only with workspace = 2e7; fisher_rxc_bench.R times R on it.
func BenchmarkFisherExact2x8(b *testing.B) {
	tab := fisherRxCTable(b, loadFisherRxC(b), "cluster_2x8_balanced")
	for b.Loop() {
		if r, err := FisherExact(tab); err != nil || r.Method != FisherMethodExact {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkFisherExact2x8Random6 is a seeded 2×8 table (n = 283) that R
// needs workspace = 2e7 for.
func BenchmarkFisherExact2x8Random6(b *testing.B) {
	tab := fisherRxCTable(b, loadFisherRxC(b), "cluster_2x8_random_6")
	for b.Loop() {
		if r, err := FisherExact(tab); err != nil || r.Method != FisherMethodExact {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkFisherExact2x8Tail is a 2×8 table with p ≈ 1e-14, beyond R's
// FEXACT with workspace = 2e7.
func BenchmarkFisherExact2x8Tail(b *testing.B) {
	tab := fisherRxCTable(b, loadFisherRxC(b), "cluster_2x8_assoc")
	for b.Loop() {
		if r, err := FisherExact(tab); err != nil || r.Method != FisherMethodExact {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkFisherExact2x10 is the 2×10 table (n = 344) R takes seconds on.
func BenchmarkFisherExact2x10(b *testing.B) {
	tab := fisherRxCTable(b, loadFisherRxC(b), "cluster_2x10")
	for b.Loop() {
		if r, err := FisherExact(tab); err != nil || r.Method != FisherMethodExact {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkFisherExact3x6 is a general r×c table through the row network.
func BenchmarkFisherExact3x6(b *testing.B) {
	tab := fisherRxCTable(b, loadFisherRxC(b), "rxc_3x6")
	for b.Loop() {
		if r, err := FisherExact(tab); err != nil || r.Method != FisherMethodExact {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkFisherMonteCarlo2x14 is the simulated p-value (B = 2000) of a
// 2×14 table with n = 700, beyond the exact limit.
func BenchmarkFisherMonteCarlo2x14(b *testing.B) {
	var tab [][]float64
	for _, c := range loadFisherRxC(b).MonteCarlo {
		if c.Name == "wide_2x14_n700" {
			tab = c.Table.Rows()
		}
	}
	for b.Loop() {
		if _, err := FisherExactOpts(tab, FisherOptions{MonteCarlo: true}); err != nil {
			b.Fatal(err)
		}
	}
}
