package logit

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

// robustSepCase is one reproduction from separation_robust.R: public data
// on which the first DetectSeparation failed or ran for minutes.
type robustSepCase struct {
	Name                string      `json:"name"`
	Names               []string    `json:"names"`
	Assign              []int       `json:"assign"`
	Groups              []string    `json:"groups"`
	X                   [][]float64 `json:"x"`
	Y                   []float64   `json:"y"`
	Aliased             []string    `json:"aliased"`
	LPBeta              []float64   `json:"lp_beta"`
	LPBetaLow           []float64   `json:"lp_beta_low"`
	LPBetaHigh          []float64   `json:"lp_beta_high"`
	LPObjective         float64     `json:"lp_objective"`
	Separation          bool        `json:"separation"`
	Complete            bool        `json:"complete"`
	Directions          []int       `json:"directions"`
	DirectionDetermined []bool      `json:"direction_determined"`
	Infinite            []string    `json:"infinite"`
	GLMDivergent        []string    `json:"glm_divergent"`
	Fit                 *struct {
		Method      string    `json:"method"`
		Estimate    []float64 `json:"estimate"`
		StdError    []float64 `json:"std_error"`
		Level       float64   `json:"level"`
		ConfLow     []float64 `json:"conf_low"`
		ConfHigh    []float64 `json:"conf_high"`
		LRStatistic []float64 `json:"lr_statistic"`
	} `json:"fit"`
}

func (c *robustSepCase) design() *Design {
	x := mat.NewDense(len(c.X), len(c.Names), nil)
	for i, row := range c.X {
		x.SetRow(i, row)
	}
	return &Design{X: x, Y: c.Y, Names: c.Names, Assign: c.Assign, Groups: c.Groups}
}

func loadRobustSepCases(t testing.TB) []robustSepCase {
	var cs []robustSepCase
	reftest.Load(t, "testdata/reference/logit/firth/separation_robust.json", &cs)
	if len(cs) == 0 {
		t.Fatal("no reference cases")
	}
	return cs
}

// The reproductions are decided by the linear program itself, with R's
// answer: the aliased columns, separation and its kind, the optimum, a β
// on the optimal face and every direction the face determines.
func TestDetectSeparationPublicDataAgainstR(t *testing.T) {
	for _, c := range loadRobustSepCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			d := c.design()
			r, err := DetectSeparation(d)
			if err != nil {
				t.Fatal(err)
			}
			if r.DecidedBy != SeparationByLP || r.Note != "" {
				t.Errorf("decided by %q note %q, want the linear program without a note", r.DecidedBy, r.Note)
			}
			if !slices.Equal(r.Aliased, c.Aliased) {
				t.Errorf("aliased %q, R %q", r.Aliased, c.Aliased)
			}
			if r.Separated != c.Separation || r.Complete != c.Complete {
				t.Errorf("separated %v complete %v, R %v %v", r.Separated, r.Complete, c.Separation, c.Complete)
			}
			if math.Abs(r.LPObjective-c.LPObjective) > 1e-6*math.Max(1, math.Abs(c.LPObjective)) {
				t.Errorf("LP objective %.12g, R %.12g", r.LPObjective, c.LPObjective)
			}
			all := true
			for j := range c.Names {
				if r.LPBeta[j] < c.LPBetaLow[j]-1e-7 || r.LPBeta[j] > c.LPBetaHigh[j]+1e-7 {
					t.Errorf("LP beta[%s] = %.10g outside R's optimal face [%.10g, %.10g]", c.Names[j], r.LPBeta[j], c.LPBetaLow[j], c.LPBetaHigh[j])
				}
				if !c.DirectionDetermined[j] {
					all = false
					continue
				}
				if r.Directions[j] != c.Directions[j] {
					t.Errorf("direction of %s %d, R %d", c.Names[j], r.Directions[j], c.Directions[j])
				}
			}
			if all && !slices.Equal(r.Coefficients, c.Infinite) {
				t.Errorf("infinite %q, R %q", r.Coefficients, c.Infinite)
			}
			if r.LPPivots <= 0 && c.Separation {
				t.Errorf("%d pivots reported", r.LPPivots)
			}
		})
	}
}

// sepRef is a reference design with R's answer; infinite is the set of
// coefficients that diverge in R's glm, which the LP flags too under
// quasi-complete separation (both R scripts check this).
type sepRef struct {
	name                string
	d                   *Design
	separated, complete bool
	infinite            []string
}

func allSeparationDesigns(t *testing.T) []sepRef {
	var out []sepRef
	for _, c := range loadSeparationCases(t) {
		out = append(out, sepRef{c.Name, c.design(), c.Separation, c.Complete, c.Infinite})
	}
	for _, c := range loadRobustSepCases(t) {
		out = append(out, sepRef{c.Name, c.design(), c.Separation, c.Complete, c.GLMDivergent})
	}
	return out
}

// With the simplex held to one pivot, every reference design is decided
// by the divergence of the maximum-likelihood iteration, which must give
// R's answer: separation, its kind, and under quasi-complete separation
// the coefficients that grow in R's glm.
func TestDetectSeparationPivotBoundFallsBackToDivergence(t *testing.T) {
	for _, c := range allSeparationDesigns(t) {
		t.Run(c.name, func(t *testing.T) {
			r, err := detectSeparation(c.d, separationConfig{maxPivots: 1})
			if err != nil {
				t.Fatal(err)
			}
			if r.DecidedBy != SeparationByDivergence || !strings.Contains(r.Note, "simplex pivot bound reached (1 pivots)") {
				t.Fatalf("decided by %q note %q: the pivot bound must be hit and said", r.DecidedBy, r.Note)
			}
			if r.Separated != c.separated || r.Complete != c.complete {
				t.Errorf("separated %v complete %v, R %v %v", r.Separated, r.Complete, c.separated, c.complete)
			}
			if c.separated && !c.complete && !slices.Equal(r.Coefficients, c.infinite) {
				t.Errorf("infinite %q, R's glm %q", r.Coefficients, c.infinite)
			}
		})
	}
}

// When neither check can decide (here: one pivot, and one plus one IRLS
// iterations, which neither converge nor diverge) the error says why and
// wraps ErrSeparationUndecided; FitAuto then fits Firth, says so, and its
// estimates are brglm2's.
func TestSeparationUndecidedFitsFirth(t *testing.T) {
	// lpOnly: these designs are not separated, and their converged fits
	// prove it (mleExists), which would skip the crippled checks below.
	cfg := separationConfig{maxPivots: 1, divIter1: 1, divIter2: 1, lpOnly: true}
	for _, c := range loadFirthCases(t) {
		if c.Name != "infert" && c.Name != "birthwt" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			_, err := detectSeparation(c.design(), cfg)
			if !errors.Is(err, ErrSeparationUndecided) {
				t.Fatalf("error %v, want ErrSeparationUndecided", err)
			}
			if !strings.Contains(err.Error(), "pivot bound") || !strings.Contains(err.Error(), "neither converged nor diverged in 2 iterations") {
				t.Errorf("error %q does not say why", err)
			}
			m, err := fitAuto(c.design(), Options{CI: CIWald}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if m.Method != MethodFirth || len(m.Warnings) == 0 ||
				!strings.HasPrefix(m.Warnings[0].Message, "logit: separation check could not decide") ||
				!strings.Contains(m.Warnings[0].Message, "fitted Firth's penalized likelihood") {
				t.Fatalf("method %q warnings %q", m.Method, m.Warnings)
			}
			for j, tm := range m.Terms {
				reftest.Close(t, c.Names[j]+" Firth estimate", tm.Estimate, c.Brglm2.Estimate[j], 1e-6, 0)
				reftest.Close(t, c.Names[j]+" Firth se", tm.StdError, c.Brglm2.StdError[j], 1e-6, 0)
			}
			// With the fit's own proof allowed, the crippled program is
			// never asked: maximum likelihood, without a note.
			proof := cfg
			proof.lpOnly = false
			m, err = fitAuto(c.design(), Options{CI: CIWald}, proof)
			if err != nil || m.Method != MethodMLE || HasWarning(m.Warnings, WarnSeparationCheck) {
				t.Fatalf("with the proof: method %v warnings %q error %v, want mle without a separation-check note", m.Method, m.Warnings, err)
			}
		})
	}
}

// --method auto must succeed wherever mle or firth does, choose Firth
// exactly under separation, and give R's estimates (glm or brglm2).
func TestFitAutoSucceedsWhereMLEOrFirthDoes(t *testing.T) {
	for _, c := range loadRobustSepCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			opts := Options{CI: CIWald}
			_, mErr := Fit(c.design(), opts)
			_, fErr := FitFirth(c.design(), opts)
			m, err := FitAuto(c.design(), opts)
			if mErr != nil && fErr != nil {
				if len(c.Aliased) == 0 {
					t.Fatalf("neither fit works on a full-rank design: %v; %v", mErr, fErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("auto failed (%v) although mle (%v) or firth (%v) fits", err, mErr, fErr)
			}
			want := MethodMLE
			if c.Separation {
				want = MethodFirth
			}
			if m.Method != want {
				t.Fatalf("method %q, want %q (R separation %v)", m.Method, want, c.Separation)
			}
			if c.Fit == nil || Method(c.Fit.Method) != want {
				t.Fatalf("no R %s fit for %s", want, c.Name)
			}
			for j, tm := range m.Terms {
				reftest.Close(t, c.Names[j]+" estimate", tm.Estimate, c.Fit.Estimate[j], 1e-6, 0)
				reftest.Close(t, c.Names[j]+" se", tm.StdError, c.Fit.StdError[j], 1e-6, 0)
			}
		})
	}
}

// The 242-row stratum of the report (pbc, women) with the default profile
// limits: Firth's fit with logistf's penalized profile limits and LR
// tests, which need the predictor start and the bracketing past points
// where I(β) is numerically singular.
func TestFitAutoPublicStratumProfileAgainstR(t *testing.T) {
	var c robustSepCase
	for _, cc := range loadRobustSepCases(t) {
		if cc.Name == "pbc_female_death" {
			c = cc
		}
	}
	if c.Fit == nil || len(c.Fit.ConfLow) == 0 {
		t.Fatal("reference case pbc_female_death with profile limits missing")
	}
	m, err := FitAuto(c.design(), Options{Level: c.Fit.Level})
	if err != nil {
		t.Fatal(err)
	}
	if m.Method != MethodFirth {
		t.Fatalf("method %q", m.Method)
	}
	for _, w := range m.Warnings {
		if strings.Contains(w.Message, "not computed") {
			t.Errorf("warning %q: every limit and test has an R value", w)
		}
	}
	for j, tm := range m.Terms {
		reftest.Close(t, c.Names[j]+" estimate", tm.Estimate, c.Fit.Estimate[j], 1e-6, 0)
		reftest.Close(t, c.Names[j]+" conf_low", tm.ConfLow, c.Fit.ConfLow[j], 1e-6, 0)
		reftest.Close(t, c.Names[j]+" conf_high", tm.ConfHigh, c.Fit.ConfHigh[j], 1e-6, 0)
		if tm.LRStatistic == nil {
			t.Errorf("%s: no LR statistic", c.Names[j])
			continue
		}
		reftest.Close(t, c.Names[j]+" LR", *tm.LRStatistic, c.Fit.LRStatistic[j], 1e-6, 0)
	}
}

// Chvátal's example, on which Dantzig's rule with smallest-index ties
// cycles from the degenerate slack basis: the solver reaches lpSolve's
// optimum, and with a pivot bound below the pivots it needs it stops with
// errLPPivotBound instead of running on.
func TestStdLPDegenerateCycling(t *testing.T) {
	var ref struct {
		A         [][]float64 `json:"a"`
		B         []float64   `json:"b"`
		C         []float64   `json:"c"`
		Objective float64     `json:"objective"`
		Solution  []float64   `json:"solution"`
	}
	reftest.Load(t, "testdata/reference/logit/firth/lp_cycling.json", &ref)
	m, k := len(ref.A), len(ref.C)
	// min -cᵀx s.t. A x + s = b, (x, s) ≥ 0, from the slack basis.
	lp := newStdLP(ref.B, k+m)
	for j := 0; j < k+m; j++ {
		cost := 0.0
		if j < k {
			cost = -ref.C[j]
		}
		col := lp.addCol(cost)
		for i := 0; i < m; i++ {
			if j < k {
				col[i] = ref.A[i][j]
			} else if j-k == i {
				col[i] = 1
			}
		}
	}
	basis := []int{k, k + 1, k + 2}
	sol, err := lp.solve(basis, 100)
	if err != nil {
		t.Fatal(err)
	}
	reftest.Close(t, "objective", -sol.obj, ref.Objective, 1e-9, 0)
	for j, v := range ref.Solution {
		if math.Abs(sol.value(j)-v) > 1e-9 {
			t.Errorf("x%d = %g, lpSolve %g", j+1, sol.value(j), v)
		}
	}
	if sol.pivots < 2 {
		t.Fatalf("%d pivots: the example is not exercised", sol.pivots)
	}
	if _, err := lp.solve(basis, sol.pivots-1); !errors.Is(err, errLPPivotBound) {
		t.Errorf("bound %d: error %v, want errLPPivotBound", sol.pivots-1, err)
	}
}

// When only the margin program hits its bound, the infinite set stays the
// LP's and completeness is decided by the maximum-likelihood iteration,
// whose deviance tends to 0 only under complete separation.
func TestDetectSeparationMarginBound(t *testing.T) {
	n := 0
	for _, c := range allSeparationDesigns(t) {
		if !c.separated {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			full, err := DetectSeparation(c.d)
			if err != nil {
				t.Fatal(err)
			}
			r, err := detectSeparation(c.d, separationConfig{marginMaxPivots: 1})
			if err != nil {
				t.Fatal(err)
			}
			if r.DecidedBy != SeparationByLP || !strings.Contains(r.Note, "margin program: simplex pivot bound reached (1 pivots); completeness decided by the "+SeparationByDivergence) {
				t.Fatalf("decided by %q note %q", r.DecidedBy, r.Note)
			}
			if r.Complete != c.complete {
				t.Errorf("complete %v, R %v", r.Complete, c.complete)
			}
			if !slices.Equal(r.Coefficients, full.Coefficients) || !slices.Equal(r.LPBeta, full.LPBeta) {
				t.Errorf("infinite %q, without the bound %q", r.Coefficients, full.Coefficients)
			}
		})
	}
	if n == 0 {
		t.Fatal("no separated reference design")
	}
}

// A constrained fit of the MLE profile that stops at its iteration bound
// (pbc men: complete separation, the MLE does not exist) turns into Wald
// intervals with a warning that says so, never into a silent limit.
func TestProfileIterationBoundIsReported(t *testing.T) {
	for _, c := range loadRobustSepCases(t) {
		if c.Name != "pbc_male_death" {
			continue
		}
		m, err := Fit(c.design(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(m.Warnings, func(w Warning) bool {
			return strings.Contains(w.Message, "did not converge in 200 iterations; Wald intervals reported instead")
		}) {
			t.Errorf("warnings %q", m.Warnings)
		}
		return
	}
	t.Fatal("reference case pbc_male_death missing")
}

// BenchmarkDetectSeparationPublicData times the check on each
// reproduction (R: separation_bench.R).
func BenchmarkDetectSeparationPublicData(b *testing.B) {
	for _, c := range loadRobustSepCases(b) {
		d := c.design()
		b.Run(c.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := DetectSeparation(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// When the divergence check decided, FitAuto says so after the usual
// separation warning, and the Firth estimates are brglm2's.
func TestFitAutoSaysHowSeparationWasDecided(t *testing.T) {
	for _, c := range loadFirthCases(t) {
		if c.Name != "quasi" {
			continue
		}
		m, err := fitAuto(c.design(), Options{CI: CIWald}, separationConfig{maxPivots: 1})
		if err != nil {
			t.Fatal(err)
		}
		if m.Method != MethodFirth || len(m.Warnings) < 2 ||
			!strings.HasPrefix(m.Warnings[0].Message, "separation detected (terms g; quasi-complete separation)") ||
			!strings.HasPrefix(m.Warnings[1].Message, "separation check decided by the "+SeparationByDivergence+" (linear program: simplex pivot bound reached") {
			t.Fatalf("method %q warnings %q", m.Method, m.Warnings)
		}
		for j, tm := range m.Terms {
			reftest.Close(t, c.Names[j]+" Firth estimate", tm.Estimate, c.Brglm2.Estimate[j], 1e-6, 0)
		}
		return
	}
	t.Fatal("reference case quasi missing")
}
