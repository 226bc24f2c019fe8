package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MHStratum is one stratum's 2×2 table with its odds ratio ad/(bc) and the
// Woolf (log-scale Wald) interval. Corrected is true when the table had a
// zero cell and 0.5 was added to all four cells for these numbers.
type MHStratum struct {
	Table     [2][2]float64 `json:"table"`
	N         float64       `json:"n"`
	OddsRatio float64       `json:"odds_ratio"`
	SELogOR   float64       `json:"se_log_or"`
	ConfLow   float64       `json:"conf_low"`
	ConfHigh  float64       `json:"conf_high"`
	Corrected bool          `json:"corrected"`
}

// MHResult is the Mantel-Haenszel analysis of K stratified 2×2 tables.
//
// OddsRatio is the MH pooled odds ratio; SELogOR the Robins-Breslow-Greenland
// standard error of its log, and ConfLow/ConfHigh its ConfLevel interval, as
// R's mantelhaen.test reports. ChiSquare/PValue is the MH test without
// continuity correction (mantelhaen.test(correct = FALSE)),
// ChiSquareCorrected/PValueCorrected with it (correct = TRUE); both have 1 df.
//
// The homogeneity tests of the stratum odds ratios have HomogeneityDF = K−1:
// BreslowDay (as epiR's OR.homog.brday), BreslowDayTarone (with Tarone's
// correction) and Woolf (as epiR's OR.homog.woolf).
type MHResult struct {
	K                  int         `json:"k"`
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

// MantelHaenszel analyses stratified 2×2 tables. Each table is
//
//	[[a, b], [c, d]] = [[exposed cases, exposed controls],
//	                    [unexposed cases, unexposed controls]]
//
// (rows = exposure, columns = outcome, as epiR's epi.2by2; the odds ratio
// ad/(bc) is the same if rows and columns are swapped). With n_k the stratum
// total and R_k = a_k d_k/n_k, S_k = b_k c_k/n_k:
//
//	OR_MH = Σ R_k / Σ S_k
//	Var(log OR_MH) = Σ P_k R_k/(2(ΣR)²) + Σ(P_k S_k + Q_k R_k)/(2 ΣR ΣS) + Σ Q_k S_k/(2(ΣS)²)
//	  with P_k = (a_k + d_k)/n_k, Q_k = (b_k + c_k)/n_k   (Robins-Breslow-Greenland)
//	X²_MH = (|Σ a_k − Σ E(a_k)| − y)² / Σ Var(a_k),  E(a_k) = r1_k c1_k / n_k,
//	  Var(a_k) = r1_k r2_k c1_k c2_k / (n_k²(n_k − 1)),  y = 0 or 0.5 (if |·| ≥ 0.5)
//
// Breslow-Day: Σ (a_k − A_k)²/V_k, where A_k is the value of a_k that gives
// the stratum the odds ratio OR_MH with the same margins (the root of a
// quadratic in the feasible range) and V_k = 1/(1/A + 1/B + 1/C + 1/D) over
// the fitted cells; Tarone subtracts (Σ a_k − Σ A_k)² / Σ V_k. A stratum whose
// margins leave no freedom (V_k = 0) contributes nothing, as in epiR (whose
// sum drops the NaN terms); df stays K−1.
//
// Woolf: Σ w_k (L_k − L̄)², L_k the stratum log odds ratios, w_k = 1/Var(L_k)
// and L̄ their w-weighted mean, computed as epiR does: 0.5 is added to every
// cell of every stratum, which keeps it finite with zero cells.
//
// Zero cells elsewhere: the per-stratum odds ratios and Woolf intervals add
// 0.5 to all cells of a stratum that has a zero cell (Haldane-Anscombe; see
// MHStratum.Corrected). The MH estimate and tests need no correction.
//
// A single stratum is accepted (R's mantelhaen.test refuses it): the MH
// estimate is then that table's odds ratio, and the homogeneity statistics
// are 0 on 0 df with p = 1.
//
// It fails, with the reason, when there are no strata, a cell is negative or
// not finite, a stratum has fewer than 2 subjects (as R), the MH odds ratio
// is 0 or infinite (no stratum has both a·d > 0 or b·c > 0), the MH variance
// is zero, or level is not in (0, 1).
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
	res := MHResult{K: k, ConfLevel: level, HomogeneityDF: k - 1, Strata: make([]MHStratum, k)}

	var sR, sS, sPR, sPSQR, sQS float64 // RBG sums
	var sA, sE, sV float64              // MH test sums
	for i, t := range tables {
		a, b, c, d := t[0][0], t[0][1], t[1][0], t[1][1]
		for _, v := range []float64{a, b, c, d} {
			if !(v >= 0) || math.IsInf(v, 0) {
				return MHResult{}, fmt.Errorf("stats: stratum %d has cell %v; counts must be non-negative and finite", i, v)
			}
		}
		n := a + b + c + d
		if n < 2 {
			return MHResult{}, fmt.Errorf("stats: stratum %d has %v subjects; each stratum needs at least 2", i, n)
		}
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
	if sR == 0 || sS == 0 {
		return MHResult{}, fmt.Errorf("stats: Mantel-Haenszel odds ratio is %v (Σ ad/n = %v, Σ bc/n = %v): not estimable", sR/sS, sR, sS)
	}
	if sV == 0 {
		return MHResult{}, errors.New("stats: Mantel-Haenszel variance is zero (every stratum has an empty row or column)")
	}
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

	if k > 1 {
		homog := distuv.ChiSquared{K: float64(k - 1)}
		var bd, sumA, sumFit, sumVar float64
		for _, t := range tables {
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

		var sw, swl float64
		lors := make([]float64, k)
		ws := make([]float64, k)
		for i, t := range tables {
			a, b, c, d := t[0][0]+0.5, t[0][1]+0.5, t[1][0]+0.5, t[1][1]+0.5
			lors[i] = math.Log(a * d / (b * c))
			ws[i] = 1 / (1/a + 1/b + 1/c + 1/d)
			sw += ws[i]
			swl += ws[i] * lors[i]
		}
		mean := swl / sw
		for i := range k {
			res.Woolf += ws[i] * (lors[i] - mean) * (lors[i] - mean)
		}
		res.WoolfP = homog.Survival(res.Woolf)
	} else {
		// One stratum: nothing to compare; the statistics are 0 on 0 df.
		res.BreslowDayP, res.BreslowDayTaroneP, res.WoolfP = 1, 1, 1
	}
	return res, nil
}

// stratumOR is one stratum's odds ratio and Woolf interval, adding 0.5 to all
// cells when a cell is zero.
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
