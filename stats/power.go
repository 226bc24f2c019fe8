package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ExposedCaseShare is the exposure prevalence among cases implied by an
// odds ratio and the prevalence among controls:
//
//	p1 = OR·p0 / (1 + p0·(OR − 1))
func ExposedCaseShare(or, p0 float64) float64 { return or * p0 / (1 + p0*(or-1)) }

// PowerSSCC is the closed-form power of an unmatched case-control study
// to detect an odds ratio or of one binary exposure with prevalence p0
// among controls, by the two-sided test of two proportions at level
// alpha (Schlesselman 1982, eq. 6.2; Fleiss' normal approximation without
// continuity correction):
//
//	r    = controls / cases,  p1 = ExposedCaseShare(or, p0)
//	p̄    = (p1 + r·p0) / (1 + r)
//	z    = (|p1 − p0|·√cases − z(1−α/2)·√((1 + 1/r)·p̄·(1 − p̄))) / √(p1(1 − p1) + p0(1 − p0)/r)
//	power = Φ(z)
//
// The far tail (significance in the wrong direction) is ignored, as in
// the formula. R: epiR::epi.sscc(method = "unmatched", n = cases + controls,
// power = NA, r = controls/cases) gives the same number at r = 1; for
// r ≠ 1 epi.sscc (2.0.57) weights r on p1 instead of p0 in p̄ and in the
// variance, so the two differ there.
func PowerSSCC(cases, controls, or, p0, alpha float64) (float64, error) {
	switch {
	case !(cases > 0) || !(controls > 0) || math.IsInf(cases, 0) || math.IsInf(controls, 0):
		return math.NaN(), fmt.Errorf("stats: power needs positive finite case and control counts, got %v and %v", cases, controls)
	case !(or > 0) || math.IsInf(or, 0):
		return math.NaN(), fmt.Errorf("stats: odds ratio %v (expected a finite value above 0)", or)
	case !(p0 > 0 && p0 < 1):
		return math.NaN(), fmt.Errorf("stats: exposure prevalence %v (expected a value in (0, 1))", p0)
	case !(alpha > 0 && alpha < 1):
		return math.NaN(), fmt.Errorf("stats: alpha %v (expected a value in (0, 1))", alpha)
	}
	r := controls / cases
	p1 := ExposedCaseShare(or, p0)
	pbar := (p1 + r*p0) / (1 + r)
	za := distuv.UnitNormal.Quantile(1 - alpha/2)
	z := (math.Abs(p1-p0)*math.Sqrt(cases) - za*math.Sqrt((1+1/r)*pbar*(1-pbar))) /
		math.Sqrt(p1*(1-p1)+p0*(1-p0)/r)
	return distuv.UnitNormal.CDF(z), nil
}

// MonteCarloSE is the standard error of a proportion p estimated from
// sims independent simulations, √(p(1 − p)/sims).
func MonteCarloSE(p float64, sims int) float64 {
	if sims < 1 {
		return math.NaN()
	}
	return math.Sqrt(p * (1 - p) / float64(sims))
}

// CasesSSCC is the closed-form number of cases (fractional; round up)
// that gives an unmatched case-control study with ratio controls per case
// the power pw to detect an odds ratio or of one binary exposure with
// prevalence p0 among controls, two-sided at level alpha (Schlesselman
// 1982, eq. 6.3; the inverse of PowerSSCC):
//
//	cases = (z(1−α/2)·√((1 + 1/r)·p̄(1 − p̄)) + z(pw)·√(p1(1 − p1) + p0(1 − p0)/r))² / (p1 − p0)²
//
// R: epiR::epi.sscc(method = "unmatched", power = pw, n = NA, r = 1,
// nfractional = TRUE)$n.case gives the same number at one control per
// case. An odds ratio of 1 has no finite answer (+Inf).
func CasesSSCC(pw, ratio, or, p0, alpha float64) (float64, error) {
	switch {
	case !(pw > 0 && pw < 1):
		return math.NaN(), fmt.Errorf("stats: power %v (expected a value in (0, 1))", pw)
	case !(ratio > 0) || math.IsInf(ratio, 0):
		return math.NaN(), fmt.Errorf("stats: %v controls per case (expected a finite value above 0)", ratio)
	case !(or > 0) || math.IsInf(or, 0):
		return math.NaN(), fmt.Errorf("stats: odds ratio %v (expected a finite value above 0)", or)
	case !(p0 > 0 && p0 < 1):
		return math.NaN(), fmt.Errorf("stats: exposure prevalence %v (expected a value in (0, 1))", p0)
	case !(alpha > 0 && alpha < 1):
		return math.NaN(), fmt.Errorf("stats: alpha %v (expected a value in (0, 1))", alpha)
	}
	r := ratio
	p1 := ExposedCaseShare(or, p0)
	if p1 == p0 {
		return math.Inf(1), nil
	}
	pbar := (p1 + r*p0) / (1 + r)
	za := distuv.UnitNormal.Quantile(1 - alpha/2)
	zb := distuv.UnitNormal.Quantile(pw)
	num := za*math.Sqrt((1+1/r)*pbar*(1-pbar)) + zb*math.Sqrt(p1*(1-p1)+p0*(1-p0)/r)
	return num * num / ((p1 - p0) * (p1 - p0)), nil
}
