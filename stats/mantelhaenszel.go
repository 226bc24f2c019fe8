package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MHStratum is one stratum's 2×2 table with its odds ratio ad/(bc) and the
// Woolf (log-scale Wald) interval. Corrected is true when the table had a
// zero cell and 0.5 was added to all four cells for these numbers (the
// Haldane-Anscombe correction, applied only to such strata).
//
// Uninformative is true when the table has an empty margin (no exposed, no
// unexposed, no cases or no controls): it says nothing about the odds
// ratio, is left out of every pooled statistic, and its OddsRatio, SELogOR
// and interval are 0 (absent from JSON).
type MHStratum struct {
	Table         [2][2]float64 `json:"table"`
	N             float64       `json:"n"`
	Uninformative bool          `json:"uninformative"`
	OddsRatio     float64       `json:"odds_ratio,omitempty"`
	SELogOR       float64       `json:"se_log_or,omitempty"`
	ConfLow       float64       `json:"conf_low,omitempty"`
	ConfHigh      float64       `json:"conf_high,omitempty"`
	Corrected     bool          `json:"corrected"`
}

// MHResult is the Mantel-Haenszel analysis of K stratified 2×2 tables.
//
// OddsRatio is the MH pooled odds ratio; SELogOR the Robins-Breslow-Greenland
// standard error of its log, and ConfLow/ConfHigh its ConfLevel interval, as
// R's mantelhaen.test reports. ChiSquare/PValue is the MH test without
// continuity correction (mantelhaen.test(correct = FALSE)),
// ChiSquareCorrected/PValueCorrected with it (correct = TRUE); both have 1 df.
//
// Excluded lists the uninformative strata (0-based indices into the
// tables; see MHStratum.Uninformative) and Informative counts the others,
// over which everything pooled is computed. The homogeneity tests of the
// stratum odds ratios have HomogeneityDF = Informative − 1: BreslowDay (as
// metafor's rma.mh BD and epiR's OR.homog.brday), BreslowDayTarone (with
// Tarone's correction, rma.mh TA) and Woolf (the inverse-variance Q of the
// stratum log odds ratios, as metafor's rma(measure = "OR", add = 0.5,
// to = "only0", method = "FE")).
type MHResult struct {
	K                  int         `json:"k"`
	Informative        int         `json:"informative"`
	Excluded           []int       `json:"excluded"`
	Strata             []MHStratum `json:"strata"`
	OddsRatio          float64     `json:"odds_ratio"`
	SELogOR            float64     `json:"se_log_or"`
	ConfLevel          float64     `json:"conf_level"`
	ConfLow            float64     `json:"conf_low"`
	ConfHigh           float64     `json:"conf_high"`
	ChiSquare          float64     `json:"chi_square"`
	PValue             float64     `json:"p_value"`
	ChiSquareCorrected float64     `json:"chi_square_corrected"`
	PValueCorrected    float64     `json:"p_value_corrected"`
	HomogeneityDF      int         `json:"homogeneity_df"`
	BreslowDay         float64     `json:"breslow_day"`
	BreslowDayP        float64     `json:"breslow_day_p_value"`
	BreslowDayTarone   float64     `json:"breslow_day_tarone"`
	BreslowDayTaroneP  float64     `json:"breslow_day_tarone_p_value"`
	Woolf              float64     `json:"woolf"`
	WoolfP             float64     `json:"woolf_p_value"`
}

// Uninformative reports whether a 2×2 table [[a, b], [c, d]] has an empty
// margin: no exposed (a + b = 0), no unexposed (c + d = 0), no cases
// (a + c = 0) or no controls (b + d = 0). Such a table has no odds ratio:
// its MH terms ad/n and bc/n and its hypergeometric variance are 0, its
// Breslow-Day fitted table is fixed, and its Woolf log odds ratio would be
// made of the 0.5 correction alone. A table with fewer than 2 subjects is
// always uninformative.
func Uninformative(t [2][2]float64) bool {
	a, b, c, d := t[0][0], t[0][1], t[1][0], t[1][1]
	return a+b == 0 || c+d == 0 || a+c == 0 || b+d == 0
}

// MantelHaenszel analyses stratified 2×2 tables. Each table is
//
//	[[a, b], [c, d]] = [[exposed cases, exposed controls],
//	                    [unexposed cases, unexposed controls]]
//
// (rows = exposure, columns = outcome, as epiR's epi.2by2; the odds ratio
// ad/(bc) is the same if rows and columns are swapped).
//
// Uninformative strata (an empty margin, see Uninformative) are excluded
// from everything pooled below and listed in MHResult.Excluded; the sums
// run over the informative strata k, K' of them. With n_k the stratum
// total and R_k = a_k d_k/n_k, S_k = b_k c_k/n_k:
//
//	OR_MH = Σ R_k / Σ S_k
//	Var(log OR_MH) = Σ P_k R_k/(2(ΣR)²) + Σ(P_k S_k + Q_k R_k)/(2 ΣR ΣS) + Σ Q_k S_k/(2(ΣS)²)
//	  with P_k = (a_k + d_k)/n_k, Q_k = (b_k + c_k)/n_k   (Robins-Breslow-Greenland)
//	X²_MH = (|Σ a_k − Σ E(a_k)| − y)² / Σ Var(a_k),  E(a_k) = r1_k c1_k / n_k,
//	  Var(a_k) = r1_k r2_k c1_k c2_k / (n_k²(n_k − 1)),  y = 0 or 0.5 (if |·| ≥ 0.5)
//
// (R's mantelhaen.test on the informative strata; an uninformative stratum
// adds 0 to every MH sum, so excluding it changes no MH number, but R
// refuses a stratum of fewer than 2 subjects.)
//
// Breslow-Day: Σ (a_k − A_k)²/V_k on K' − 1 df, where A_k is the value of
// a_k that gives the stratum the odds ratio OR_MH with the same margins (the
// root of a quadratic in the feasible range) and V_k = 1/(1/A + 1/B + 1/C +
// 1/D) over the fitted cells; Tarone subtracts (Σ a_k − Σ A_k)² / Σ V_k.
// With every margin positive the feasible range is an interval, so V_k > 0.
//
// Woolf: Σ w_k (L_k − L̄)² on K' − 1 df, L_k the stratum log odds ratios,
// w_k = 1/Var(L_k) = 1/(1/a + 1/b + 1/c + 1/d) and L̄ their w-weighted mean.
// 0.5 is added to the four cells of a stratum only when it has a zero cell
// (Haldane-Anscombe), so L_k and w_k are exactly the stratum's reported
// odds ratio and SE (MHStratum); epiR instead adds 0.5 to every cell of
// every stratum, which changes the statistic when no cell is zero.
//
// The per-stratum odds ratios and Woolf intervals follow the same rule
// (MHStratum.Corrected). The MH estimate and tests need no correction.
//
// With a single informative stratum the MH estimate is that table's odds
// ratio (R's mantelhaen.test refuses it) and the homogeneity statistics are
// 0 on 0 df with p = 1.
//
// It fails, with the reason, when there are no strata, a cell is negative or
// not finite, no stratum is informative, the MH odds ratio is 0 or infinite
// (no stratum has a·d > 0, or none has b·c > 0), or level is not in (0, 1).
func MantelHaenszel(tables [][2][2]float64, level float64) (MHResult, error) {
	k := len(tables)
	if k == 0 {
		return MHResult{}, errors.New("stats: Mantel-Haenszel analysis needs at least one 2x2 table")
	}
	if !(level > 0 && level < 1) {
		return MHResult{}, fmt.Errorf("stats: confidence level %v is not in (0, 1)", level)
	}
	std := distuv.Normal{Mu: 0, Sigma: 1}
	z := std.Quantile((1 + level) / 2)
	res := MHResult{K: k, ConfLevel: level, Excluded: []int{}, Strata: make([]MHStratum, k)}

	var sR, sS, sPR, sPSQR, sQS float64 // RBG sums
	var sA, sE, sV float64              // MH test sums
	var used []int                      // the informative strata
	for i, t := range tables {
		a, b, c, d := t[0][0], t[0][1], t[1][0], t[1][1]
		for _, v := range []float64{a, b, c, d} {
			if !(v >= 0) || math.IsInf(v, 0) {
				return MHResult{}, fmt.Errorf("stats: stratum %d has cell %v; counts must be non-negative and finite", i, v)
			}
		}
		n := a + b + c + d
		if Uninformative(t) {
			res.Strata[i] = MHStratum{Table: t, N: n, Uninformative: true}
			res.Excluded = append(res.Excluded, i)
			continue
		}
		used = append(used, i)
		r := a * d / n
		s := b * c / n
		p := (a + d) / n
		q := (b + c) / n
		sR += r
		sS += s
		sPR += p * r
		sPSQR += p*s + q*r
		sQS += q * s
		r1, r2, c1, c2 := a+b, c+d, a+c, b+d
		sA += a
		sE += r1 * c1 / n
		sV += r1 * r2 * c1 * c2 / (n * n * (n - 1))
		res.Strata[i] = stratumOR(t, z)
	}
	res.Informative = len(used)
	if len(used) == 0 {
		return MHResult{}, fmt.Errorf("stats: no informative stratum: each of the %d has an empty margin (no exposed, no unexposed, no cases or no controls)", k)
	}
	if sR == 0 || sS == 0 {
		return MHResult{}, fmt.Errorf("stats: Mantel-Haenszel odds ratio is %v (Σ ad/n = %v, Σ bc/n = %v): not estimable", sR/sS, sR, sS)
	}
	// Informative strata have n ≥ 2 and positive margins, so sV > 0.
	or := sR / sS
	res.OddsRatio = or
	res.SELogOR = math.Sqrt(sPR/(2*sR*sR) + sPSQR/(2*sR*sS) + sQS/(2*sS*sS))
	res.ConfLow = or * math.Exp(-z*res.SELogOR)
	res.ConfHigh = or * math.Exp(z*res.SELogOR)

	chi1 := distuv.ChiSquared{K: 1}
	delta := math.Abs(sA - sE)
	res.ChiSquare = delta * delta / sV
	res.PValue = chi1.Survival(res.ChiSquare)
	yates := 0.0
	if delta >= 0.5 {
		yates = 0.5
	}
	res.ChiSquareCorrected = (delta - yates) * (delta - yates) / sV
	res.PValueCorrected = chi1.Survival(res.ChiSquareCorrected)

	res.HomogeneityDF = len(used) - 1
	if len(used) < 2 {
		// One stratum: nothing to compare; the statistics are 0 on 0 df.
		res.BreslowDayP, res.BreslowDayTaroneP, res.WoolfP = 1, 1, 1
		return res, nil
	}
	homog := distuv.ChiSquared{K: float64(res.HomogeneityDF)}
	var bd, sumA, sumFit, sumVar float64
	for _, i := range used {
		t := tables[i]
		fit, v := breslowDayFit(t, or)
		if v > 0 {
			dv := t[0][0] - fit
			bd += dv * dv / v
		}
		sumA += t[0][0]
		sumFit += fit
		sumVar += v
	}
	res.BreslowDay = bd
	res.BreslowDayP = homog.Survival(bd)
	res.BreslowDayTarone = bd
	if sumVar > 0 {
		res.BreslowDayTarone = bd - (sumA-sumFit)*(sumA-sumFit)/sumVar
	}
	res.BreslowDayTaroneP = homog.Survival(res.BreslowDayTarone)

	// Woolf's Q from the strata's own (possibly corrected) log ORs and SEs.
	var sw, swl float64
	for _, i := range used {
		st := res.Strata[i]
		w := 1 / (st.SELogOR * st.SELogOR)
		sw += w
		swl += w * math.Log(st.OddsRatio)
	}
	mean := swl / sw
	for _, i := range used {
		st := res.Strata[i]
		dl := math.Log(st.OddsRatio) - mean
		res.Woolf += dl * dl / (st.SELogOR * st.SELogOR)
	}
	res.WoolfP = homog.Survival(res.Woolf)
	return res, nil
}

// stratumOR is one informative stratum's odds ratio and Woolf interval,
// adding 0.5 to all cells only when a cell is zero.
func stratumOR(t [2][2]float64, z float64) MHStratum {
	a, b, c, d := t[0][0], t[0][1], t[1][0], t[1][1]
	st := MHStratum{Table: t, N: a + b + c + d}
	if a == 0 || b == 0 || c == 0 || d == 0 {
		a, b, c, d = a+0.5, b+0.5, c+0.5, d+0.5
		st.Corrected = true
	}
	lor := math.Log(a * d / (b * c))
	se := math.Sqrt(1/a + 1/b + 1/c + 1/d)
	st.OddsRatio = math.Exp(lor)
	st.SELogOR = se
	st.ConfLow = math.Exp(lor - z*se)
	st.ConfHigh = math.Exp(lor + z*se)
	return st
}

// breslowDayFit returns the fitted (1,1) cell A of a table with the same
// margins and odds ratio psi, and V = 1/(1/A + 1/B + 1/C + 1/D). A solves
//
//	A(n − r1 − c1 + A) = psi (r1 − A)(c1 − A),
//
// a quadratic with exactly one root in [max(0, r1 + c1 − n), min(r1, c1)].
// V is 0 when that range is a single point.
func breslowDayFit(t [2][2]float64, psi float64) (fit, v float64) {
	a, b, c, d := t[0][0], t[0][1], t[1][0], t[1][1]
	n := a + b + c + d
	r1, c1 := a+b, a+c
	lo, hi := math.Max(0, r1+c1-n), math.Min(r1, c1)
	if hi <= lo {
		return lo, 0
	}
	qa := 1 - psi
	qb := n - r1 - c1 + psi*(r1+c1)
	qc := -psi * r1 * c1
	if math.Abs(qa) < 1e-12*math.Abs(qb) {
		fit = -qc / qb
	} else {
		disc := math.Sqrt(math.Max(0, qb*qb-4*qa*qc))
		// Numerically stable pair of roots.
		qq := -0.5 * (qb + math.Copysign(disc, qb))
		x1, x2 := qq/qa, qc/qq
		fit = x1
		if !(x1 >= lo-1e-9*(1+hi) && x1 <= hi+1e-9*(1+hi)) {
			fit = x2
		}
	}
	fit = math.Min(hi, math.Max(lo, fit))
	fb, fc, fd := r1-fit, c1-fit, n-r1-c1+fit
	if fit <= 0 || fb <= 0 || fc <= 0 || fd <= 0 {
		return fit, 0
	}
	return fit, 1 / (1/fit + 1/fb + 1/fc + 1/fd)
}
