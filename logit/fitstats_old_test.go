package logit

// The fit statistics as they were before issue 14's speed work (commit
// 764d56f), kept verbatim apart from the names so that the tests can
// compare the new code's results with the old code's bit for bit.

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/ccstudy/ccstudy/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// fitStatisticsOld is FitStatistics before issue 14.
func fitStatisticsOld(d *Design, m *Model, opts Options) error {
	if err := validateDesign(d); err != nil {
		return err
	}
	opts = withDefaults(opts)
	n, _ := d.X.Dims()
	if len(m.Fitted) != n {
		return fmt.Errorf("logit: %d fitted values for %d rows", len(m.Fitted), n)
	}
	p := len(m.Coef)
	m.N = n
	events := 0
	for _, y := range d.Y {
		if y == 1 {
			events++
		}
	}
	m.Events = events

	m.Deviance = BinomialDeviance(d.Y, m.Fitted)
	m.LogLikelihood = -m.Deviance / 2
	mu0 := 0.5
	nullDF := 0
	if d.Intercept() {
		mu0 = float64(events) / float64(n)
		nullDF = 1
	}
	var dev0 float64
	for _, y := range d.Y {
		dev0 += unitDeviance(y, mu0)
	}
	m.NullDeviance = dev0
	m.AIC = m.Deviance + 2*float64(p)
	m.BIC = m.Deviance + float64(p)*math.Log(float64(n))
	m.LRStatistic = dev0 - m.Deviance
	m.LRDF = p - nullDF
	// An intercept-only model is the null model: nothing to test, p = 1.
	m.LRPValue = 1
	if m.LRDF > 0 {
		m.LRPValue = distuv.ChiSquared{K: float64(m.LRDF)}.Survival(math.Max(m.LRStatistic, 0))
	}
	ll0 := -dev0 / 2
	m.McFaddenR2 = finitePtr(1 - m.LogLikelihood/ll0)
	fn := float64(n)
	m.NagelkerkeR2 = finitePtr((1 - math.Exp(2*(ll0-m.LogLikelihood)/fn)) / (1 - math.Exp(2*ll0/fn)))

	auc, lo, hi, sc, sn, err := aucDeLongOld(d.Y, m.Fitted, opts.Level)
	m.AUC, m.AUCConfLow, m.AUCConfHigh = finitePtr(auc), finitePtr(lo), finitePtr(hi)
	if err != nil {
		m.warn(WarnAUC, err.Error())
	}

	// The fitted values sorted, for Hosmer–Lemeshow: merged from the
	// AUC's sorted groups when it has them, which saves a sort of n
	// values per fit.
	var sorted []float64
	if sc != nil && sn != nil {
		sorted = mergeSorted(sc, sn)
	} else {
		sorted = sortedCopy(m.Fitted)
	}
	hl, err := hosmerLemeshowSortedOld(d.Y, m.Fitted, sorted, 10)
	if err != nil {
		m.HosmerLemeshow = nil
		m.warn(WarnHosmerLemeshow, err.Error())
	} else {
		m.HosmerLemeshow = hl
	}

	k := p - nullDF
	if k > 0 {
		minor := min(events, n-events)
		m.EventsPerVariable = float64(minor) / float64(k)
		if m.EventsPerVariable < lowEPV {
			m.warn(WarnLowEPV, fmt.Sprintf(
				"events per variable %.2f is below %d (%d in the smaller outcome class, %d variables)",
				m.EventsPerVariable, lowEPV, minor, k))
		}
	}
	return nil
}

// aucDeLongOld is aucDeLong before issue 14.
func aucDeLongOld(y, score []float64, level float64) (auc, lo, hi float64, sc, sn []float64, err error) {
	// The placements are taken in the order of the rows (which fixes the
	// order of the sums below) from sorted copies of the two groups, so
	// no unsorted copy is kept: at 10⁶ rows the group slices grown by
	// append were half of the fit statistics' allocations.
	m := 0
	for _, v := range y {
		if v == 1 {
			m++
		}
	}
	n := len(y) - m
	if m == 0 || n == 0 {
		return math.NaN(), math.NaN(), math.NaN(), nil, nil, errors.New("logit: AUC needs cases and controls")
	}
	sc, sn = make([]float64, 0, m), make([]float64, 0, n)
	for i, v := range y {
		if v == 1 {
			sc = append(sc, score[i])
		} else {
			sn = append(sn, score[i])
		}
	}
	sort.Float64s(sc)
	sort.Float64s(sn)
	// placement counts "below + ½ tied" found by binary search in
	// O(N log N): the first element ≥ v as sort.SearchFloat64s, then the
	// first > v, searched onwards from there (a tie run is short) when
	// the data hold no NaN (sorted first), else as sort.Search would.
	place := func(sorted []float64, v float64) float64 {
		below := lowerBound(sorted, v)
		var upTo int
		if len(sorted) > 0 && !math.IsNaN(sorted[0]) {
			upTo = upperBoundFrom(sorted, below, v)
		} else {
			upTo = sort.Search(len(sorted), func(i int) bool { return sorted[i] > v })
		}
		return float64(below) + 0.5*float64(upTo-below)
	}
	v := make([]float64, m+n)
	v10, v01 := v[:0:m], v[m:m]
	for i, yi := range y {
		if yi == 1 {
			v10 = append(v10, place(sn, score[i])/float64(n))
			auc += v10[len(v10)-1]
		}
	}
	auc /= float64(m)
	for i, yi := range y {
		if yi != 1 {
			// cases above the control + ½ tied = m − (below + ½ tied)
			v01 = append(v01, (float64(m)-place(sc, score[i]))/float64(m))
		}
	}
	if m < 2 || n < 2 {
		return auc, math.NaN(), math.NaN(), sc, sn, errors.New("logit: DeLong CI of the AUC needs at least two cases and two controls")
	}
	var sx, sy float64
	for _, v := range v10 {
		sx += (v - auc) * (v - auc)
	}
	for _, v := range v01 {
		sy += (v - auc) * (v - auc)
	}
	sx /= float64(m - 1)
	sy /= float64(n - 1)
	s := math.Sqrt(sx/float64(m) + sy/float64(n))
	q := distuv.UnitNormal.Quantile((1 + level) / 2)
	lo = math.Max(0, auc-q*s)
	hi = math.Min(1, auc+q*s)
	return auc, lo, hi, sc, sn, nil
}

// hosmerLemeshowSortedOld is hosmerLemeshowSorted before issue 14.
func hosmerLemeshowSortedOld(y, fitted, s []float64, g int) (*HosmerLemeshow, error) {
	if g < 3 {
		return nil, fmt.Errorf("logit: Hosmer-Lemeshow needs at least 3 groups, got %d", g)
	}
	// Quantile7 drops NaN (sorted first) and sorts; s is sorted already.
	fin := s
	for len(fin) > 0 && math.IsNaN(fin[0]) {
		fin = fin[1:]
	}
	var breaks []float64
	for k := 0; k <= g; k++ {
		b := stats.Quantile7Sorted(fin, float64(k)/float64(g))
		if len(breaks) == 0 || b != breaks[len(breaks)-1] {
			breaks = append(breaks, b)
		}
	}
	groups := len(breaks) - 1
	if groups < 3 {
		return nil, fmt.Errorf("logit: Hosmer-Lemeshow test not computed: fitted probabilities form only %d distinct groups", groups)
	}
	obs1 := make([]float64, groups)
	exp1 := make([]float64, groups)
	cnt := make([]float64, groups)
	for i, p := range fitted {
		// cut(..., include.lowest = TRUE): (b_{k}, b_{k+1}], first [b0, b1].
		k := lowerBound(breaks, p) - 1
		if k < 0 {
			k = 0
		}
		if k >= groups {
			k = groups - 1
		}
		obs1[k] += y[i]
		exp1[k] += p
		cnt[k]++
	}
	var c float64
	for k := 0; k < groups; k++ {
		if cnt[k] == 0 {
			return nil, fmt.Errorf("logit: Hosmer-Lemeshow group %d is empty", k+1)
		}
		o0, e0 := cnt[k]-obs1[k], cnt[k]-exp1[k]
		c += (obs1[k]-exp1[k])*(obs1[k]-exp1[k])/exp1[k] + (o0-e0)*(o0-e0)/e0
	}
	df := groups - 2
	return &HosmerLemeshow{
		Statistic: c,
		DF:        df,
		PValue:    distuv.ChiSquared{K: float64(df)}.Survival(c),
		Groups:    groups,
	}, nil
}

// mergeSorted merges a and b, each sorted as sort.Float64s sorts (NaN
// first), into one slice sorted the same way.
func mergeSorted(a, b []float64) []float64 {
	less := func(x, y float64) bool { return x < y || (math.IsNaN(x) && !math.IsNaN(y)) }
	out := make([]float64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if less(b[j], a[i]) {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// lowerBound is sort.SearchFloat64s(a, v), the smallest i with a[i] ≥ v,
// by the same bisection without the closure call per step.
func lowerBound(a []float64, v float64) int {
	i, j := 0, len(a)
	for i < j {
		h := int(uint(i+j) >> 1)
		if !(a[h] >= v) {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}
