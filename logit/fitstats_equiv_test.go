package logit

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/ccstudy/ccstudy/stats"
	"gonum.org/v1/gonum/mat"
)

// TestPlacementsMatchSort: the batched searches give the placements
// of the old code, from sort.SearchFloat64s's index and sort.Search's
// first a[i] > v, on sorted slices of every length around the batch
// size, with tie runs, NaN values (sorted first), infinities and −0, and
// NaN, ±0 and out-of-range searched values.
func TestPlacementsMatchSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	for trial := 0; trial < 400; trial++ {
		n := rng.IntN(4*placeBatch + 3)
		if trial%50 == 0 {
			n = 5000 + rng.IntN(5000)
		}
		distinct := 1 + rng.IntN(1+trial%40)
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(rng.IntN(distinct))
			switch rng.IntN(40) {
			case 0:
				if trial%3 == 0 {
					a[i] = math.NaN()
				}
			case 1:
				a[i] = math.Inf(1 - 2*rng.IntN(2))
			case 2:
				a[i] = math.Copysign(0, -1)
			}
		}
		sort.Float64s(a)
		q := []float64{math.NaN(), math.Inf(-1), math.Inf(1), -1, math.Copysign(0, -1), 0, 0.5, float64(distinct), float64(distinct) + 1}
		for k := rng.IntN(3 * placeBatch); k > 0; k-- {
			q = append(q, float64(rng.IntN(distinct+2)-1))
		}
		got := append([]float64(nil), q...)
		placements(a, got)
		for j, v := range q {
			below := sort.SearchFloat64s(a, v)
			upTo := sort.Search(n, func(i int) bool { return a[i] > v })
			want := float64(below) + 0.5*float64(upTo-below)
			if math.Float64bits(got[j]) != math.Float64bits(want) {
				t.Fatalf("trial %d n=%d v=%v: placement %v, sort's %v", trial, n, v, got[j], want)
			}
		}
	}
}

// aucInput is n outcomes and scores of the given kind: "ties" (few
// distinct values), "round" (rounded to 1e-6, as the benchmark), "nan"
// (some NaN scores), "inf" (±Inf and ±0 among ties), with the share of
// cases pCase.
func aucInput(rng *rand.Rand, n int, kind string, pCase float64) (y, s []float64) {
	y, s = make([]float64, n), make([]float64, n)
	distinct := 1 + rng.IntN(12)
	for i := range y {
		if rng.Float64() < pCase {
			y[i] = 1
		}
		switch kind {
		case "ties":
			s[i] = float64(rng.IntN(distinct)) / 8
		case "round":
			s[i] = math.Round(Logistic(rng.NormFloat64())*1e6) / 1e6
		case "nan":
			s[i] = rng.Float64()
			if rng.IntN(7) == 0 {
				s[i] = math.NaN()
			}
		case "inf":
			s[i] = float64(rng.IntN(3) - 1)
			switch rng.IntN(9) {
			case 0:
				s[i] = math.Inf(1 - 2*rng.IntN(2))
			case 1:
				s[i] = math.Copysign(0, -1)
			}
		default:
			s[i] = rng.Float64()
		}
	}
	return y, s
}

// fsBitsEqual reports whether a and b hold the same float64 bits.
func fsBitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// fsErrText is err's message, "" for nil.
func fsErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkAUCMatchesOld fails t unless aucDeLong and aucDeLongOld return
// the same bits (AUC, limits, both sorted groups) and the same error.
func checkAUCMatchesOld(t *testing.T, name string, y, s []float64) {
	t.Helper()
	levels := []float64{0.95, 0.5}
	if len(y) > 100_000 {
		levels = levels[:1] // the level only scales the half-width
	}
	for _, level := range levels {
		auc, lo, hi, sc, sn, err := aucDeLong(y, s, level)
		auc0, lo0, hi0, sc0, sn0, err0 := aucDeLongOld(y, s, level)
		if !fsBitsEqual([]float64{auc, lo, hi}, []float64{auc0, lo0, hi0}) || fsErrText(err) != fsErrText(err0) {
			t.Fatalf("%s level %v: %v %v %v %v, old %v %v %v %v", name, level, auc, lo, hi, err, auc0, lo0, hi0, err0)
		}
		if !fsBitsEqual(sc, sc0) || !fsBitsEqual(sn, sn0) || (sc == nil) != (sc0 == nil) || (sn == nil) != (sn0 == nil) {
			t.Fatalf("%s level %v: sorted groups differ from the old code's", name, level)
		}
	}
}

// TestAUCDeLongMatchesOld: the AUC, its DeLong limits and the sorted
// groups are the old code's bit for bit, on small and large inputs
// (sequential and two-goroutine paths), ties, NaN scores, infinities and
// ±0, one case, one control, no case, and all-tied scores.
func TestAUCDeLongMatchesOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 14))
	kinds := []string{"ties", "round", "nan", "inf", "uniform"}
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(300)
		if trial%25 == 0 {
			n = aucParallelRows + rng.IntN(3*aucParallelRows)
		}
		// (trial/25 shifts the kind, so the large inputs take every kind.)
		kind := kinds[(trial+trial/25)%len(kinds)]
		y, s := aucInput(rng, n, kind, []float64{0.5, 0.05, 0.95}[trial%3])
		checkAUCMatchesOld(t, fmt.Sprintf("trial %d n=%d %s", trial, n, kind), y, s)
	}
	// One case, one control, no case, two of each, all scores equal.
	for _, n := range []int{2, 3, 4, 100, aucParallelRows + 1} {
		for _, kind := range kinds {
			y, s := aucInput(rng, n, kind, 0.5)
			for _, ones := range []int{0, 1, n - 1, n, min(2, n)} {
				for i := range y {
					y[i] = 0
					if i < ones {
						y[i] = 1
					}
				}
				checkAUCMatchesOld(t, fmt.Sprintf("n=%d %s %d cases", n, kind, ones), y, s)
				same := make([]float64, n)
				checkAUCMatchesOld(t, fmt.Sprintf("n=%d %d cases, all tied", n, ones), y, same)
			}
		}
	}
	if testing.Short() {
		return
	}
	for _, kind := range []string{"ties", "nan"} {
		y, s := aucInput(rng, 1_000_000, kind, 0.3)
		checkAUCMatchesOld(t, "10^6 "+kind, y, s)
	}
	y, s := fitStatsInput()
	checkAUCMatchesOld(t, "benchmark input", y, s)
}

// fitStatsDesign is a design of n rows with an intercept (or without)
// and one covariate, enough for FitStatistics, which reads only the
// dimensions, the outcome and whether there is an intercept.
func fitStatsDesign(y []float64, intercept bool) *Design {
	n := len(y)
	x := mat.NewDense(n, 2, nil)
	names := []string{"(Intercept)", "x"}
	if !intercept {
		names = []string{"x", "z"}
	}
	for i := 0; i < n; i++ {
		x.Set(i, 0, 1)
		x.Set(i, 1, float64(i%7))
	}
	return &Design{X: x, Y: y, Names: names, Assign: []int{0, 1}, Groups: []string{"(Intercept)", "x"}}
}

// TestFitStatisticsMatchesOld: FitStatistics writes the same model (its
// JSON, whose numbers are printed at full precision, and every kept
// field) as the old code, with and without intercept, on fitted values
// with ties, NaN, exact 0 and 1, few distinct values (Hosmer–Lemeshow
// refused) and at 10^6 rows.
func TestFitStatisticsMatchesOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 14))
	kinds := []string{"ties", "round", "nan", "uniform", "edge"}
	check := func(name string, y, mu []float64, intercept bool) {
		t.Helper()
		d := fitStatsDesign(y, intercept)
		m := &Model{Coef: []float64{0.1, 0.2}, Fitted: mu}
		m0 := &Model{Coef: []float64{0.1, 0.2}, Fitted: mu}
		err := FitStatistics(d, m, Options{})
		err0 := fitStatisticsOld(d, m0, Options{})
		if fsErrText(err) != fsErrText(err0) {
			t.Fatalf("%s: error %v, old %v", name, err, err0)
		}
		if got, want := fitStatsBits(m), fitStatsBits(m0); got != want {
			t.Fatalf("%s:\nnew %s\nold %s", name, got, want)
		}
		// The JSON as the command prints it, where it can be printed
		// (Inf and NaN deviances cannot).
		j, jerr := json.Marshal(m)
		j0, _ := json.Marshal(m0)
		if jerr == nil && string(j) != string(j0) {
			t.Fatalf("%s:\nnew %s\nold %s", name, j, j0)
		}
	}
	for trial := 0; trial < 200; trial++ {
		n := 3 + rng.IntN(400)
		if trial%40 == 0 {
			n = aucParallelRows + rng.IntN(2*aucParallelRows)
		}
		kind := kinds[(trial+trial/40)%len(kinds)]
		y, mu := aucInput(rng, n, kind, []float64{0.5, 0.1, 0.9}[trial%3])
		if kind == "edge" {
			for i := range mu {
				mu[i] = []float64{0, 1, 0.25, 0.5, 1e-300, 1 - 1e-16}[rng.IntN(6)]
			}
		}
		y[0], y[1] = 0, 1
		check(fmt.Sprintf("trial %d n=%d %s", trial, n, kind), y, mu, trial%4 != 3)
	}
	if testing.Short() {
		return
	}
	y, mu := fitStatsInput()
	check("benchmark input", y, mu, true)
	check("benchmark input, no intercept", y, mu, false)
}

// fitStatsBits is every field FitStatistics sets, floats as their bits.
func fitStatsBits(m *Model) string {
	b := func(x float64) string { return fmt.Sprintf("%016x", math.Float64bits(x)) }
	p := func(x *float64) string {
		if x == nil {
			return "nil"
		}
		return b(*x)
	}
	s := fmt.Sprintf("n=%d events=%d dev0=%s dev=%s ll=%s aic=%s bic=%s lr=%s df=%d p=%s mcf=%s nag=%s auc=%s [%s %s] epv=%s",
		m.N, m.Events, b(m.NullDeviance), b(m.Deviance), b(m.LogLikelihood), b(m.AIC), b(m.BIC),
		b(m.LRStatistic), m.LRDF, b(m.LRPValue), p(m.McFaddenR2), p(m.NagelkerkeR2),
		p(m.AUC), p(m.AUCConfLow), p(m.AUCConfHigh), b(m.EventsPerVariable))
	if hl := m.HosmerLemeshow; hl != nil {
		s += fmt.Sprintf(" hl=%s df=%d p=%s groups=%d", b(hl.Statistic), hl.DF, b(hl.PValue), hl.Groups)
	}
	return s + fmt.Sprintf(" warnings=%q", m.Warnings)
}

// TestOrderStatsMatchMerge: the k-th value of two sorted groups is the
// merged slice's k-th value bit for bit (ties, −0 against 0, infinities;
// NaN dropped by finite), the quantiles are stats.Quantile7Sorted's of
// the merge, and firstAtLeast is sort.SearchFloat64s.
func TestOrderStatsMatchMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 14))
	for trial := 0; trial < 500; trial++ {
		a, b := make([]float64, rng.IntN(30)), make([]float64, rng.IntN(30))
		if trial%20 == 0 {
			a, b = make([]float64, rng.IntN(3000)), make([]float64, rng.IntN(3000))
		}
		for _, s := range [][]float64{a, b} {
			for i := range s {
				s[i] = float64(rng.IntN(1+trial%11)) / 4
				switch rng.IntN(12) {
				case 0:
					s[i] = math.NaN()
				case 1:
					s[i] = math.Inf(1 - 2*rng.IntN(2))
				case 2:
					s[i] = math.Copysign(0, -1)
				}
			}
			sort.Float64s(s)
		}
		merged := mergeSorted(a, b)
		fin := merged
		for len(fin) > 0 && math.IsNaN(fin[0]) {
			fin = fin[1:]
		}
		o := orderStats{a: a, b: b}.finite()
		if o.len() != len(fin) {
			t.Fatalf("trial %d: %d finite values, merge has %d", trial, o.len(), len(fin))
		}
		for k := range fin {
			if got := o.at(k); math.Float64bits(got) != math.Float64bits(fin[k]) {
				t.Fatalf("trial %d: value %d is %v, merge's %v (a=%v b=%v)", trial, k, got, fin[k], a, b)
			}
		}
		for _, p := range []float64{0, 0.1, 0.2, 0.25, 0.3, 0.5, 0.7, 0.9, 1, rng.Float64(), -0.1, math.NaN()} {
			got, want := o.quantile7(p), stats.Quantile7Sorted(fin, p)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("trial %d p=%v: quantile %v, stats' %v", trial, p, got, want)
			}
		}
		for _, v := range []float64{math.NaN(), math.Inf(-1), -1, 0, math.Copysign(0, -1), 0.3, 1, 2, math.Inf(1)} {
			if got, want := firstAtLeast(merged, v), sort.SearchFloat64s(merged, v); got != want {
				t.Fatalf("trial %d v=%v: firstAtLeast %d, sort %d", trial, v, got, want)
			}
		}
	}
}

// TestHosmerLemeshowMatchesOld: HosmerLemeshowTest gives the old code's
// statistic, p-value and groups bit for bit, or the same error.
func TestHosmerLemeshowMatchesOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 14))
	kinds := []string{"ties", "round", "nan", "inf", "uniform"}
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(500)
		if trial%50 == 0 {
			n = 100_000
		}
		y, mu := aucInput(rng, n, kinds[trial%len(kinds)], 0.4)
		for _, g := range []int{2, 3, 10, 12} {
			hl, err := HosmerLemeshowTest(y, mu, g)
			hl0, err0 := hosmerLemeshowSortedOld(y, mu, sortedCopy(mu), g)
			if fsErrText(err) != fsErrText(err0) || (hl == nil) != (hl0 == nil) {
				t.Fatalf("trial %d g=%d: %v %v, old %v %v", trial, g, hl, err, hl0, err0)
			}
			if hl != nil && (math.Float64bits(hl.Statistic) != math.Float64bits(hl0.Statistic) ||
				math.Float64bits(hl.PValue) != math.Float64bits(hl0.PValue) || hl.DF != hl0.DF || hl.Groups != hl0.Groups) {
				t.Fatalf("trial %d g=%d: %+v, old %+v", trial, g, *hl, *hl0)
			}
		}
	}
}

// TestAUCDeLongLengthMismatch: scores and outcomes of different lengths
// are an error, not a panic (the large-input path runs in a goroutine).
func TestAUCDeLongLengthMismatch(t *testing.T) {
	for _, n := range []int{10, aucParallelRows + 10} {
		y := make([]float64, n)
		y[0] = 1
		for _, k := range []int{n - 1, n + 1, 0} {
			if _, _, _, err := AUCDeLong(y, make([]float64, k), 0.95); err == nil {
				t.Errorf("%d outcomes, %d scores: no error", n, k)
			}
		}
	}
}
