package logit

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// lowEPV is the events-per-variable rule of thumb below which a warning is
// added.
const lowEPV = 10

// FitStatistics fills the fit statistics of m from its fitted
// probabilities m.Fitted and its number of coefficients len(m.Coef):
//
//	D = −2 Σ [y log μ + (1−y) log(1−μ)]   (deviance; log-likelihood ℓ = −D/2)
//	D₀: the same with μ = ȳ (intercept-only model), or μ = ½ without intercept
//	AIC = D + 2p, BIC = D + p log n
//	LR = D₀ − D on p − 1 df (p without intercept)
//	McFadden R² = 1 − ℓ/ℓ₀, Nagelkerke R² = (1 − e^{2(ℓ₀−ℓ)/n}) / (1 − e^{2ℓ₀/n})
//	AUC (ties ½) with DeLong's CI at opts.Level, Hosmer–Lemeshow test,
//	events per variable = min(events, non-events)/(number of non-intercept columns).
//
// It uses the ordinary binomial likelihood, so for a penalized (Firth) fit
// the deviance and AIC are those of the penalized estimates under the
// unpenalized likelihood. Warnings are appended to m.Warnings.
func FitStatistics(d *Design, m *Model, opts Options) error {
	if err := validateDesign(d); err != nil {
		return err
	}
	return fitStatistics(d, m, opts)
}

// fitStatistics is FitStatistics for a design validateDesign accepted,
// as Fit's is: at 10⁶ rows its scan of every cell was a tenth of the
// statistics' time.
func fitStatistics(d *Design, m *Model, opts Options) error {
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
	// Every y is 0 or 1 (validateDesign), so each row adds one of two
	// unit deviances, computed once here instead of a logarithm per row;
	// the sum still runs over the rows in order, so its bits are those
	// of Σ unitDeviance(yᵢ, μ₀). (−0 == 0 selects unitDeviance(0, μ₀),
	// which is unitDeviance(−0, μ₀).)
	unit0 := [2]float64{unitDeviance(0, mu0), unitDeviance(1, mu0)}
	var dev0 float64
	for _, y := range d.Y {
		dev0 += unit0[placeOne(y == 1)]
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

	auc, lo, hi, sc, sn, err := aucDeLong(d.Y, m.Fitted, opts.Level)
	m.AUC, m.AUCConfLow, m.AUCConfHigh = finitePtr(auc), finitePtr(lo), finitePtr(hi)
	if err != nil {
		m.warn(WarnAUC, err.Error())
	}

	// Hosmer–Lemeshow needs 11 order statistics of the fitted values:
	// taken from the AUC's sorted groups when it has them, which saves a
	// sort of n values per fit (and the merge of the two groups, which
	// was an n-sized slice).
	ord := orderStats{a: sc, b: sn}
	if sc == nil || sn == nil {
		ord = orderStats{a: sortedCopy(m.Fitted)}
	}
	hl, err := hosmerLemeshowSorted(d.Y, m.Fitted, ord, 10)
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

// AUCDeLong is the area under the ROC curve of score for 0/1 outcome y,
//
//	AUC = (1/(m·n)) Σᵢ Σⱼ ψ(Xᵢ, Yⱼ),  ψ = 1 if Xᵢ > Yⱼ, ½ if equal, 0 otherwise,
//
// over the m cases Xᵢ (y = 1) and n controls Yⱼ, with DeLong's (1988)
// confidence interval as pROC::ci.auc(method = "delong"): placements
// V₁₀ᵢ = mean_j ψ(Xᵢ, Yⱼ), V₀₁ⱼ = mean_i ψ(Xᵢ, Yⱼ),
// S = var(V₁₀)/m + var(V₀₁)/n, CI = AUC ± z_{(1+level)/2} √S clipped to
// [0, 1]. Higher scores are taken to indicate cases (pROC direction "<").
// With a single case or control the AUC is returned but the variance, and
// so the CI, is undefined (NaN) and err says why, as pROC returns NA.
func AUCDeLong(y, score []float64, level float64) (auc, lo, hi float64, err error) {
	auc, lo, hi, _, _, err = aucDeLong(y, score, level)
	return auc, lo, hi, err
}

// aucParallelRows is the number of rows from which aucDeLong works on
// the cases and the controls in two goroutines; below it a goroutine
// costs more than it saves.
const aucParallelRows = 1 << 15

// aucDeLong is AUCDeLong that also returns the scores of the cases and
// of the controls, each sorted ascending (nil when a group is empty).
func aucDeLong(y, score []float64, level float64) (auc, lo, hi float64, sc, sn []float64, err error) {
	if len(score) != len(y) {
		// A short score would panic in a goroutine below, where no
		// caller could recover.
		return math.NaN(), math.NaN(), math.NaN(), nil, nil, fmt.Errorf("logit: AUC of %d scores for %d outcomes", len(score), len(y))
	}
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
	// One spare slot after each group's placements: see splitScores.
	v := make([]float64, m+n+2)
	v10, v01 := v[:m+1], v[m+1:]
	// The cases' placements need only the sorted controls and the
	// controls' only the sorted cases, so the two halves share nothing
	// but their inputs; each keeps its own sums in row order, so the
	// results do not depend on the scheduling. Each half first copies
	// its scores in row order into its placements' slice, which
	// placements then overwrites with "below + ½ tied".
	cases := func() {
		sn = make([]float64, n+1)
		splitScores(y, score, v10, sn)
		v10, sn = v10[:m], sn[:n]
		sort.Float64s(sn)
		placements(sn, v10)
		for j := range v10 {
			v10[j] /= float64(n)
			auc += v10[j]
		}
		auc /= float64(m)
	}
	controls := func() {
		sc = make([]float64, m+1)
		splitScores(y, score, sc, v01)
		sc, v01 = sc[:m], v01[:n]
		sort.Float64s(sc)
		placements(sc, v01)
		for j := range v01 {
			// cases above the control + ½ tied = m − (below + ½ tied)
			v01[j] = (float64(m) - v01[j]) / float64(m)
		}
	}
	if len(y) >= aucParallelRows {
		var wg sync.WaitGroup
		wg.Go(controls)
		cases()
		wg.Wait()
	} else {
		cases()
		controls()
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

// splitScores copies the scores of the cases (y = 1) to cases and
// those of the other rows to controls, each in row order; each slice
// must have one slot more than its group has rows. The outcomes are in
// no order, so a branch on y would be mispredicted on about half the
// rows: instead every score is written to both slices and only its
// group's index advances (the other slot is overwritten by the next
// score, or is the spare one).
func splitScores(y, score, cases, controls []float64) {
	j, k := 0, 0
	for i, yi := range y {
		c := placeOne(yi == 1)
		cases[j] = score[i]
		controls[k] = score[i]
		j += c
		k += 1 - c
	}
}

// HosmerLemeshowTest is the Hosmer–Lemeshow goodness-of-fit test as
// ResourceSelection::hoslem.test: fitted probabilities are cut at the
// unique type-7 quantiles seq(0, 1, 1/g) (lowest interval closed, the
// others right-closed) and
//
//	C = Σ_groups Σ_{y∈{0,1}} (O − E)²/E
//
// on groups − 2 df, where groups is the number of intervals formed (R's
// hoslem.test uses g − 2 even when ties merge groups). Fewer than three
// groups, or an empty group, is an error.
func HosmerLemeshowTest(y, fitted []float64, g int) (*HosmerLemeshow, error) {
	if g < 3 {
		return nil, fmt.Errorf("logit: Hosmer-Lemeshow needs at least 3 groups, got %d", g)
	}
	return hosmerLemeshowSorted(y, fitted, orderStats{a: sortedCopy(fitted)}, g)
}

// hosmerLemeshowSorted is HosmerLemeshowTest given the order statistics
// of fitted.
func hosmerLemeshowSorted(y, fitted []float64, ord orderStats, g int) (*HosmerLemeshow, error) {
	if g < 3 {
		return nil, fmt.Errorf("logit: Hosmer-Lemeshow needs at least 3 groups, got %d", g)
	}
	// Quantile7 drops NaN (sorted first), as orderStats does.
	ord = ord.finite()
	var breaks []float64
	for k := 0; k <= g; k++ {
		b := ord.quantile7(float64(k) / float64(g))
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
		k := firstAtLeast(breaks, p) - 1
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

// finitePtr is x, or nil when x is not a finite number (JSON null).
func finitePtr(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
