package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/choice"
	"github.com/ccstudy/ccstudy/internal/parallel"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/ccstudy/ccstudy/stats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// StreamPower seeds the power simulations: simulated study j of every
// design point uses rand.NewPCG(StreamSeed(seed, StreamPower), j). The id
// is far above the clustering streams so that list can grow.
const StreamPower Stream = 64

// Bounds of a power run, so that no flag combination runs for days.
const (
	MaxPowerSims   = 1_000_000
	MaxPowerPoints = 200
	MaxPowerUnits  = 1_000_000
	// MaxPowerRows bounds the rows simulated and fitted in one run
	// (Σ over designs of sims × (cases + controls)): about an hour of
	// fitting on one core.
	MaxPowerRows = 10_000_000_000
)

// PowerTest is the test each simulated study is judged by. It implements
// pflag.Value (the --test flag refuses another value while flags are
// parsed) and Choices for shell completion; the spelling is the JSON value.
type PowerTest string

// Power tests.
const (
	// TestWald is the two-sided Wald test of each coefficient of the ML
	// fit (summary.glm's p-value).
	TestWald PowerTest = "wald"
	// TestLR is the likelihood-ratio test of each term: the ML fit
	// without the term's columns against the full one, deviance
	// difference ~ χ²(columns) (anova(reduced, full, test = "LRT")).
	TestLR PowerTest = "lr"
	// TestFirthLR is Firth's penalized likelihood-ratio test of each
	// term's columns with the full model's penalty
	// (logit.FirthBlockTest; logistf's anova, method "nested"); it exists
	// under separation.
	TestFirthLR PowerTest = "firth-lr"
)

// PowerTests lists the tests a user chooses between.
func PowerTests() []PowerTest { return []PowerTest{TestWald, TestLR, TestFirthLR} }

func (t PowerTest) String() string      { return string(t) }
func (t *PowerTest) Set(s string) error { return choice.Set(t, s, PowerTests()) }

// Type is pflag's name for the value in help texts.
func (PowerTest) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (PowerTest) Choices() []string { return choice.Strings(PowerTests()) }

// PerTerm reports whether the test is of each term (all columns of a
// factor together) rather than of each coefficient.
func (t PowerTest) PerTerm() bool { return t == TestLR || t == TestFirthLR }

// PowerFailureRule says how simulated studies whose model cannot be
// fitted are counted (the Wald test).
const PowerFailureRule = "a simulated study fails when the logistic fit returns an error (e.g. an aliased column: a level absent from the sample), " +
	"does not converge, or has fitted probabilities numerically 0 or 1 (R's glm warning); " +
	"a failed study counts as not significant for every factor and stays in the denominator. " +
	"Separated counts the fitted studies whose data are (quasi-)completely separated (Konis's linear program, as detectseparation): " +
	"their MLE is infinite and they are counted as fitted, as R's glm fits them, often without a warning"

// PowerFailureRuleLR adds to PowerFailureRule what the likelihood-ratio
// test does with its reduced fits.
const PowerFailureRuleLR = "; each term's reduced fit (the model without the term's columns) fails by the same rule, " +
	"and then that term alone counts as not significant in that study (failed_reduced_fit)"

// PowerFailureRuleFirth says how studies are counted under --test firth-lr.
const PowerFailureRuleFirth = "a simulated study fails when its design has an aliased column (e.g. a level absent from the sample) " +
	"or Firth's penalized fit returns an error or does not converge; a failed study counts as not significant for every term and stays in the denominator. " +
	"A term whose constrained penalized fit (its columns fixed at 0) fails counts as not significant in that study (failed_reduced_fit). " +
	"Separated counts the fitted studies whose data are (quasi-)completely separated (Konis's linear program, as detectseparation): " +
	"their MLE is infinite, the penalized estimate and its test are not"

// PowerTerm is one coefficient (Wald test) or one term (likelihood-ratio
// tests) whose power is reported.
type PowerTerm struct {
	// Term is the coefficient's name, or the term label for a
	// likelihood-ratio test ("novelty", "company_type:novelty").
	Term string `json:"term"`
	// Label is Term in the schema's titles and category labels (in
	// PowerOptions.Lang), "Novelty: First in class"; Term itself when
	// there is no schema.
	Label string `json:"label"`
	// LogOR is the coefficient the studies are simulated with; absent for
	// a term of several columns (see Columns).
	LogOR *float64 `json:"true_log_or,omitempty"`
	// DF is the number of the term's columns, the test's degrees of
	// freedom (likelihood-ratio tests only).
	DF int `json:"df,omitempty"`
	// Columns are the term's coefficients with their true values
	// (likelihood-ratio tests only).
	Columns []PowerColumn `json:"columns,omitempty"`
	// cols are the term's design columns (likelihood-ratio tests).
	cols []int
}

// PowerColumn is one design column of a tested term.
type PowerColumn struct {
	Term  string  `json:"term"`
	LogOR float64 `json:"true_log_or"`
}

// coefTerm is the PowerTerm of one coefficient.
func coefTerm(name string, logOR float64) PowerTerm { return PowerTerm{Term: name, LogOR: &logOR} }

// PowerModel draws simulated case-control studies.
type PowerModel interface {
	// Draw returns the design of one study of cases and controls; its Y
	// is the case status. An error is systematic and stops the run.
	Draw(rng *rand.Rand, cases, controls int) (*logit.Design, error)
	// Terms are the coefficients whose power is reported by the Wald
	// test: every column of Draw's design but the intercept.
	Terms() []PowerTerm
	// TermGroups is the term structure of Draw's designs: the column
	// names (intercept first), and as logit.Design's Assign and Groups.
	TermGroups() (names []string, assign []int, groups []string)
	// Name is "exposure", "from" or "dgp"; Method describes the sampling
	// and the fit and test of each study.
	Name() string
	Method(test PowerTest) string
}

// closedForm is implemented by models with a closed-form power.
type closedForm interface {
	ClosedForm(cases, controls int, alpha float64) (float64, error)
	ClosedFormCases(target, ratio, alpha float64) (float64, error)
}

// ClosedFormSampleSize is the closed-form design reaching a target power
// at the first design's ratio of controls to cases (stats.CasesSSCC).
type ClosedFormSampleSize struct {
	Target float64 `json:"target_power"`
	Ratio  float64 `json:"ratio"`
	// CasesExact is the fractional solution; Cases and Controls round up
	// (nil when no finite design reaches the target: an OR of 1).
	CasesExact float64 `json:"cases_exact"`
	Cases      *int    `json:"cases"`
	Controls   *int    `json:"controls"`
}

// PowerOptions control SimulatePower.
type PowerOptions struct {
	// Cases and Controls are the design points (the same length; one
	// point for a single design, several for a curve, cases increasing).
	Cases, Controls []int
	Sims            int
	Alpha           float64
	Seed            uint64
	// TargetPower asks for the smallest design point of a curve reaching
	// it, and the closed-form design where there is one (0: neither).
	TargetPower float64
	// Test is the test of each study ("": TestWald).
	Test PowerTest
	// Workers is the number of goroutines (0: GOMAXPROCS); results do
	// not depend on it.
	Workers int
	// Progress, when set, is called after each simulated study with the
	// number done so far; it is called from several goroutines.
	Progress func(done int)
	// Schema and Lang label the terms (PowerTerm.Label): the schema of
	// the data the model was fitted on, or of the reference study; nil
	// labels each term with its code.
	Schema *dataset.Schema
	Lang   string
}

// FactorPower is one coefficient's (Wald) or term's (likelihood-ratio
// tests) simulated power at a design point.
type FactorPower struct {
	Term  string `json:"term"`
	Label string `json:"label"`
	// DF is the test's degrees of freedom (likelihood-ratio tests only).
	DF          int     `json:"df,omitempty"`
	Significant int     `json:"significant"`
	Power       float64 `json:"power"`
	MCSE        float64 `json:"mc_se"`
	// ReducedFailed counts the fitted studies whose reduced (or
	// constrained) fit of this term failed: the term counts as not
	// significant there (likelihood-ratio tests only).
	ReducedFailed *int `json:"failed_reduced_fit,omitempty"`
}

// PowerPoint is the result at one design point.
type PowerPoint struct {
	Cases    int `json:"cases"`
	Controls int `json:"controls"`
	Sims     int `json:"sims"`
	// Failed counts the studies that failed by PowerFailureRule; the
	// three counts after it split it by reason.
	Failed       int `json:"failed"`
	FitErrors    int `json:"failed_fit_error"`
	NotConverged int `json:"failed_not_converged"`
	Fitted01     int `json:"failed_fitted_0_1"`
	// Separated counts the studies whose data are completely or
	// quasi-completely separated by logit.DetectSeparation (Konis's linear
	// program, as detectseparation), failed or not: their MLE is
	// infinite, so the Wald test of an infinite coefficient (huge SE) is
	// not significant. R's glm often gives no warning there (a 2×2 table
	// with an empty cell); the count does not change how a study counts.
	Separated int           `json:"separated"`
	Factors   []FactorPower `json:"factors"`
	// ClosedFormPower is Schlesselman's power (single binary exposure only).
	ClosedFormPower *float64 `json:"closed_form_power,omitempty"`
}

// PowerTarget is the smallest design point at which a factor reaches the
// target power; Reached false says no point of the range does.
type PowerTarget struct {
	Term     string  `json:"term"`
	Label    string  `json:"label"`
	Target   float64 `json:"target_power"`
	Reached  bool    `json:"reached"`
	Cases    *int    `json:"cases"`
	Controls *int    `json:"controls"`
	// ClosedFormCases is the same by the closed form (single exposure).
	ClosedFormCases   *int  `json:"closed_form_cases,omitempty"`
	ClosedFormReached *bool `json:"closed_form_reached,omitempty"`
}

// PowerResult is the JSON contract of `ccstudy power`.
type PowerResult struct {
	// Data describes the table covariates were resampled from (--from);
	// for the simulated-only designs its path says no table was read.
	Data        *dataset.DataInfo `json:"data"`
	Model       string            `json:"model"`
	Method      string            `json:"method"`
	Test        string            `json:"test"`
	Alpha       float64           `json:"alpha"`
	Sims        int               `json:"sims"`
	Seed        uint64            `json:"seed"`
	FailureRule string            `json:"failure_rule"`
	Terms       []PowerTerm       `json:"terms"`
	// Power, MCSE and ClosedFormPower repeat the single point's numbers
	// for one binary exposure at one design, the interface's contract.
	Power           *float64      `json:"power,omitempty"`
	MCSE            *float64      `json:"mc_se,omitempty"`
	ClosedFormPower *float64      `json:"closed_form_power,omitempty"`
	Points          []PowerPoint  `json:"points"`
	Targets         []PowerTarget `json:"targets,omitempty"`
	// ClosedFormSampleSize is set for a single binary exposure.
	ClosedFormSampleSize *ClosedFormSampleSize `json:"closed_form_sample_size,omitempty"`
}

// SimulatePower estimates, at each design point, the share of simulated
// studies in which each factor's test has p < alpha, with the Monte-Carlo
// SE √(p(1−p)/sims) (stats.MonteCarloSE). The test is opts.Test: the
// two-sided Wald test of each coefficient (logit.Fit), or a
// likelihood-ratio test of each term, all its columns together (ML, or
// Firth's penalized likelihood: see PowerTest). Study j of every point
// draws from its own stream (StreamPower, j): the same j at two points
// share random numbers (common random numbers, so a curve is smooth), and
// the counts, summed as integers, do not depend on the number of workers
// or the order they finish in (parallel.Map).
func SimulatePower(m PowerModel, opts PowerOptions) (*PowerResult, error) {
	if opts.Test == "" {
		opts.Test = TestWald
	}
	if err := CheckPowerOptions(opts); err != nil {
		return nil, err
	}
	terms := m.Terms()
	if opts.Test.PerTerm() {
		var err error
		if terms, err = powerTermsOf(m); err != nil {
			return nil, err
		}
	}
	terms = slices.Clone(terms) // the model's own list is not labelled
	lab := labeler{opts.Schema, opts.Lang}
	for t := range terms {
		terms[t].Label = lab.term(terms[t].Term)
	}
	if opts.Test.PerTerm() {
		// Each study is fitted in full and once more per term: the
		// bound on the rows fitted counts the reduced fits too.
		rows := 0.0
		for k := range opts.Cases {
			rows += float64(opts.Sims) * float64(opts.Cases[k]+opts.Controls[k]) * float64(1+len(terms))
		}
		if rows > MaxPowerRows {
			return nil, fmt.Errorf("power: %d simulations of these designs with the %s test of %d terms would fit %.3g rows, a full and a reduced fit per term (expected at most %.0e: fewer --sims or smaller designs)",
				opts.Sims, opts.Test, len(terms), rows, float64(MaxPowerRows))
		}
	}
	points := len(opts.Cases)
	// Studies are run in blocks of consecutive j at one design point,
	// each block summing its own counts: memory stays bounded by the
	// number of blocks, whatever --sims, and the integer sums do not
	// depend on the blocking.
	block := max(16, (points*opts.Sims+maxPowerBlocks-1)/maxPowerBlocks)
	perPoint := (opts.Sims + block - 1) / block
	counts := make([]powerCounts, points*perPoint)
	seed := StreamSeed(opts.Seed, StreamPower)
	var done atomic.Int64
	err := parallel.Map(len(counts), opts.Workers, func(b int) error {
		k, first := b/perPoint, (b%perPoint)*block
		c := powerCounts{sig: make([]int, len(terms)), reduced: make([]int, len(terms))}
		for j := first; j < min(first+block, opts.Sims); j++ {
			rng := rand.New(rand.NewPCG(seed, uint64(j)))
			d, err := m.Draw(rng, opts.Cases[k], opts.Controls[k])
			if err != nil {
				return err
			}
			st := testStudy(d, terms, opts.Test, opts.Alpha)
			c.failed[st.outcome]++
			if st.sep {
				c.failed[separated]++
			}
			for t := range terms {
				if st.sig[t] {
					c.sig[t]++
				}
				if st.reducedFailed[t] {
					c.reduced[t]++
				}
			}
			if opts.Progress != nil {
				opts.Progress(int(done.Add(1)))
			}
		}
		counts[b] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	rule := PowerFailureRule
	switch opts.Test {
	case TestLR:
		rule += PowerFailureRuleLR
	case TestFirthLR:
		rule = PowerFailureRuleFirth
	}
	res := &PowerResult{Model: m.Name(), Method: m.Method(opts.Test), Test: string(opts.Test), Alpha: opts.Alpha, Sims: opts.Sims, Seed: opts.Seed,
		FailureRule: rule, Terms: terms, Points: make([]PowerPoint, points)}
	cf, hasCF := m.(closedForm)
	for k := range res.Points {
		pt := PowerPoint{Cases: opts.Cases[k], Controls: opts.Controls[k], Sims: opts.Sims, Factors: make([]FactorPower, len(terms))}
		blocks := counts[k*perPoint : (k+1)*perPoint]
		for _, c := range blocks {
			pt.FitErrors += c.failed[failFitError]
			pt.NotConverged += c.failed[failNotConverged]
			pt.Fitted01 += c.failed[failFitted01]
			pt.Separated += c.failed[separated]
		}
		pt.Failed = pt.FitErrors + pt.NotConverged + pt.Fitted01
		for t, term := range terms {
			n, red := 0, 0
			for _, c := range blocks {
				n += c.sig[t]
				red += c.reduced[t]
			}
			p := float64(n) / float64(opts.Sims)
			pt.Factors[t] = FactorPower{Term: term.Term, Label: term.Label, DF: term.DF, Significant: n, Power: p, MCSE: stats.MonteCarloSE(p, opts.Sims)}
			if opts.Test.PerTerm() {
				pt.Factors[t].ReducedFailed = &red
			}
		}
		if hasCF {
			v, err := cf.ClosedForm(pt.Cases, pt.Controls, opts.Alpha)
			if err != nil {
				return nil, err
			}
			pt.ClosedFormPower = &v
		}
		res.Points[k] = pt
	}
	if m.Name() == "exposure" && points == 1 {
		f := res.Points[0].Factors[0]
		res.Power, res.MCSE, res.ClosedFormPower = &f.Power, &f.MCSE, res.Points[0].ClosedFormPower
	}
	if opts.TargetPower > 0 && points > 1 {
		res.Targets = powerTargets(res, opts.TargetPower)
	}
	if hasCF && opts.TargetPower > 0 {
		r := float64(opts.Controls[0]) / float64(opts.Cases[0])
		n, err := cf.ClosedFormCases(opts.TargetPower, r, opts.Alpha)
		if err != nil {
			return nil, err
		}
		ss := &ClosedFormSampleSize{Target: opts.TargetPower, Ratio: r, CasesExact: n}
		if n <= MaxPowerUnits {
			c := int(math.Ceil(n))
			k := int(math.Ceil(r * float64(c)))
			ss.Cases, ss.Controls = &c, &k
		}
		res.ClosedFormSampleSize = ss
	}
	return res, nil
}

// maxPowerBlocks bounds the blocks of studies SimulatePower sums
// separately.
const maxPowerBlocks = 1 << 16

// powerCounts are one block's counts: per outcome (powerFailures), and per
// term the significant studies and the failed reduced fits.
type powerCounts struct {
	failed       powerFailures
	sig, reduced []int
}

// powerTermsOf lists the terms of m's design (every group but the
// intercept's), each with its columns and their true coefficients.
func powerTermsOf(m PowerModel) ([]PowerTerm, error) {
	names, assign, groups := m.TermGroups()
	if len(assign) != len(names) {
		return nil, fmt.Errorf("power: %d design columns and %d term assignments", len(names), len(assign))
	}
	truth := map[string]float64{}
	for _, t := range m.Terms() {
		truth[t.Term] = *t.LogOR
	}
	var out []PowerTerm
	for g := 1; g < len(groups); g++ {
		pt := PowerTerm{Term: groups[g]}
		for j, a := range assign {
			if a == g {
				pt.cols = append(pt.cols, j)
				pt.Columns = append(pt.Columns, PowerColumn{Term: names[j], LogOR: truth[names[j]]})
			}
		}
		if len(pt.cols) == 0 {
			continue
		}
		pt.DF = len(pt.cols)
		if pt.DF == 1 {
			v := pt.Columns[0].LogOR
			pt.LogOR = &v
		}
		out = append(out, pt)
	}
	if len(out) == 0 {
		return nil, errors.New("power: the model has no term to test")
	}
	return out, nil
}

// CheckPowerOptions returns what is wrong with o (nil when SimulatePower
// can run it), within the bounds MaxPowerSims, MaxPowerPoints,
// MaxPowerUnits and MaxPowerRows.
func CheckPowerOptions(o PowerOptions) error {
	switch {
	case len(o.Cases) == 0 || len(o.Cases) != len(o.Controls):
		return fmt.Errorf("power: %d case counts and %d control counts (expected the same number, at least one)", len(o.Cases), len(o.Controls))
	case len(o.Cases) > MaxPowerPoints:
		return fmt.Errorf("power: %d design points (expected at most %d)", len(o.Cases), MaxPowerPoints)
	case o.Sims < 1 || o.Sims > MaxPowerSims:
		return fmt.Errorf("power: %d simulations (expected 1 to %d)", o.Sims, MaxPowerSims)
	case !(o.Alpha > 0 && o.Alpha < 1):
		return fmt.Errorf("power: alpha %v (expected a value in (0, 1))", o.Alpha)
	case o.TargetPower < 0 || o.TargetPower >= 1 || math.IsNaN(o.TargetPower):
		return fmt.Errorf("power: target power %v (expected a value in (0, 1))", o.TargetPower)
	case o.Test != "":
		if err := choice.Check("power: test", o.Test, PowerTests()); err != nil {
			return err
		}
	}
	rows := 0.0
	for k := range o.Cases {
		if o.Cases[k] < 1 || o.Controls[k] < 1 || o.Cases[k] > MaxPowerUnits || o.Controls[k] > MaxPowerUnits {
			return fmt.Errorf("power: %d cases and %d controls (expected 1 to %d of each)", o.Cases[k], o.Controls[k], MaxPowerUnits)
		}
		rows += float64(o.Sims) * float64(o.Cases[k]+o.Controls[k])
	}
	if rows > MaxPowerRows {
		return fmt.Errorf("power: %d simulations of these designs would fit %.3g rows (expected at most %.0e: fewer --sims or smaller designs)", o.Sims, rows, float64(MaxPowerRows))
	}
	return nil
}

// Outcomes of one simulated study's fit (indexes of powerFailures).
const (
	fitOK = iota
	failFitError
	failNotConverged
	failFitted01
	separated // not an outcome: counted beside them
)

// powerFailures counts studies by fit outcome, and the separated ones.
type powerFailures [5]int

// studyResult is the verdict on one simulated study: per term its
// p-value (NaN when not computed), whether p < alpha and whether its
// reduced fit failed, the fit's outcome, and whether the data are
// separated.
type studyResult struct {
	p                  []float64
	sig, reducedFailed []bool
	outcome            int
	sep                bool
}

// testStudy fits one simulated study and tests each term by test. A
// failure by the test's rule (PowerFailureRule, PowerFailureRuleFirth)
// leaves nothing significant.
func testStudy(d *logit.Design, terms []PowerTerm, test PowerTest, alpha float64) studyResult {
	r := studyResult{p: make([]float64, len(terms)), sig: make([]bool, len(terms)), reducedFailed: make([]bool, len(terms))}
	for t := range r.p {
		r.p[t] = math.NaN()
	}
	defer func() {
		for t, p := range r.p {
			r.sig[t] = p < alpha
		}
	}()
	if test == TestFirthLR {
		firthLRStudy(d, terms, &r)
		return r
	}
	m, err := logit.Fit(d, logit.Options{CI: logit.CIWald})
	if err != nil {
		r.outcome = failFitError
		return r
	}
	r.sep = isSeparated(d)
	if r.outcome = mlOutcome(m); r.outcome != fitOK {
		return r
	}
	if test == TestWald {
		for t, term := range terms {
			for _, mt := range m.Terms {
				if mt.Term == term.Term {
					r.p[t] = mt.PValue
					break
				}
			}
		}
		return r
	}
	for t, term := range terms {
		dev, ok := reducedDeviance(d, term.cols)
		if !ok {
			r.reducedFailed[t] = true
			continue
		}
		r.p[t] = LRTestP(dev, m.Deviance, term.DF)
	}
	return r
}

// LRTestP is the likelihood-ratio test's p-value of a reduced model
// against the full one, P(χ²(df) > reducedDeviance − fullDeviance), as
// anova(reduced, full, test = "LRT"); a negative difference (rounding)
// counts as 0.
func LRTestP(reducedDeviance, fullDeviance float64, df int) float64 {
	return distuv.ChiSquared{K: float64(df)}.Survival(math.Max(0, reducedDeviance-fullDeviance))
}

// isSeparated reports Konis's linear program's verdict (false when it
// cannot run).
func isSeparated(d *logit.Design) bool {
	s, err := logit.DetectSeparation(d)
	return err == nil && s.Separated
}

// mlOutcome classifies a fitted ML model by PowerFailureRule.
func mlOutcome(m *logit.Model) int {
	switch {
	case !m.Converged:
		return failNotConverged
	case logit.HasWarning(m.Warnings, logit.WarnFitted01):
		return failFitted01
	}
	return fitOK
}

// reducedDeviance is the ML deviance of d without the columns cols, or
// false when that fit fails by PowerFailureRule. Without any column left
// it is the deviance of fitted probabilities ½ (glm's fit of y ~ 0).
func reducedDeviance(d *logit.Design, cols []int) (float64, bool) {
	drop := map[string]bool{}
	for _, j := range cols {
		drop[d.Names[j]] = true
	}
	rd := logit.DropColumns(d, drop)
	if len(rd.Names) == 0 {
		mu := make([]float64, len(d.Y))
		for i := range mu {
			mu[i] = 0.5
		}
		return logit.BinomialDeviance(d.Y, mu), true
	}
	m, err := logit.Fit(rd, logit.Options{CI: logit.CIWald})
	if err != nil || mlOutcome(m) != fitOK {
		return 0, false
	}
	return m.Deviance, true
}

// firthLRStudy is testStudy for TestFirthLR: the penalized estimate of
// the full design, then logit.FirthBlockTest of each term's columns.
func firthLRStudy(d *logit.Design, terms []PowerTerm, r *studyResult) {
	if len(logit.Aliased(d.X)) > 0 {
		r.outcome = failFitError
		return
	}
	r.sep = isSeparated(d)
	beta, converged, err := logit.FirthCoef(d, logit.Options{})
	switch {
	case err != nil:
		r.outcome = failFitError
		return
	case !converged:
		r.outcome = failNotConverged
		return
	}
	for t, term := range terms {
		bt, err := logit.FirthBlockTest(d, term.cols, beta, logit.Options{})
		if err != nil {
			r.reducedFailed[t] = true
			continue
		}
		r.p[t] = bt.PValue
	}
}

// powerTargets finds, per factor, the first design point (the points are
// in increasing size) whose simulated power reaches target.
func powerTargets(res *PowerResult, target float64) []PowerTarget {
	out := make([]PowerTarget, len(res.Terms))
	for t, term := range res.Terms {
		pt := PowerTarget{Term: term.Term, Label: term.Label, Target: target}
		for k := range res.Points {
			if res.Points[k].Factors[t].Power >= target {
				pt.Reached, pt.Cases, pt.Controls = true, &res.Points[k].Cases, &res.Points[k].Controls
				break
			}
		}
		if res.Points[0].ClosedFormPower != nil {
			reached := false
			for k := range res.Points {
				if *res.Points[k].ClosedFormPower >= target {
					reached, pt.ClosedFormCases = true, &res.Points[k].Cases
					break
				}
			}
			pt.ClosedFormReached = &reached
		}
		out[t] = pt
	}
	return out
}

// ExposureModel is one binary exposure: controls exposed with probability
// P0, cases with p1 = OR·P0/(1 + P0(OR − 1)); the model is
// case ~ exposure.
type ExposureModel struct {
	OR, P0 float64
}

// Name implements PowerModel.
func (e ExposureModel) Name() string { return "exposure" }

// Method implements PowerModel.
func (e ExposureModel) Method(test PowerTest) string {
	return fmt.Sprintf("each study: controls exposed ~ Bernoulli(%g), cases exposed ~ Bernoulli(%.6g) (OR %g); case ~ exposure ",
		e.P0, stats.ExposedCaseShare(e.OR, e.P0), e.OR) + testPhrase(test, false)
}

// testPhrase ends a Method: how each study is fitted and tested ("per
// coefficient" or "per term" when the model has several).
func testPhrase(test PowerTest, several bool) string {
	switch test {
	case TestLR:
		s := "fitted by maximum likelihood with and without each term's columns, likelihood-ratio test (deviance difference, chi-square with df = the term's columns)"
		if several {
			s += " per term"
		}
		return s
	case TestFirthLR:
		s := "fitted by Firth's penalized likelihood, penalized likelihood-ratio test of the term's columns with the full model's penalty (logistf's anova, method nested)"
		if several {
			s += " per term"
		}
		return s
	}
	s := "fitted by maximum likelihood, two-sided Wald test"
	if several {
		s += " per coefficient"
	}
	return s
}

// Terms implements PowerModel.
func (e ExposureModel) Terms() []PowerTerm { return []PowerTerm{coefTerm("exposure", math.Log(e.OR))} }

// TermGroups implements PowerModel.
func (e ExposureModel) TermGroups() ([]string, []int, []string) {
	return []string{"(Intercept)", "exposure"}, []int{0, 1}, []string{"(Intercept)", "exposure"}
}

// Draw implements PowerModel: the cases' rows first.
func (e ExposureModel) Draw(rng *rand.Rand, cases, controls int) (*logit.Design, error) {
	n := cases + controls
	x := make([]float64, 2*n)
	y := make([]float64, n)
	p1 := stats.ExposedCaseShare(e.OR, e.P0)
	for i := range n {
		p := e.P0
		if i < cases {
			p, y[i] = p1, 1
		}
		x[2*i] = 1
		if rng.Float64() < p {
			x[2*i+1] = 1
		}
	}
	return &logit.Design{X: mat.NewDense(n, 2, x), Y: y, Names: []string{"(Intercept)", "exposure"},
		Assign: []int{0, 1}, Groups: []string{"(Intercept)", "exposure"}}, nil
}

// ClosedFormCases is stats.CasesSSCC.
func (e ExposureModel) ClosedFormCases(target, ratio, alpha float64) (float64, error) {
	return stats.CasesSSCC(target, ratio, e.OR, e.P0, alpha)
}

// ClosedForm is stats.PowerSSCC.
func (e ExposureModel) ClosedForm(cases, controls int, alpha float64) (float64, error) {
	return stats.PowerSSCC(float64(cases), float64(controls), e.OR, e.P0, alpha)
}

// DGPModel is the synthetic reference study's data-generating process
// (refstudy.DrawCaseControl), fitted with its true model.
type DGPModel struct{}

// Name implements PowerModel.
func (DGPModel) Name() string { return "dgp" }

// Method implements PowerModel.
func (DGPModel) Method(test PowerTest) string {
	return "each study: units drawn from the synthetic reference study's DGP (an unbounded source population), each a case with the true model's probability, " +
		"kept until the study has its cases and controls (retrospective sampling by rejection); the true model (" + refstudy.TrueFormula +
		") " + testPhrase(test, true)
}

// Terms implements PowerModel.
func (DGPModel) Terms() []PowerTerm {
	var out []PowerTerm
	for _, t := range refstudy.TrueCoefficients() {
		out = append(out, coefTerm(t.Term, t.LogOR))
	}
	return out
}

// TermGroups implements PowerModel: the true model's terms
// (refstudy.TrueTermGroups).
func (DGPModel) TermGroups() ([]string, []int, []string) {
	names := []string{"(Intercept)"}
	for _, t := range refstudy.TrueCoefficients() {
		names = append(names, t.Term)
	}
	assign, groups := refstudy.TrueTermGroups()
	return names, assign, groups
}

// Draw implements PowerModel.
func (DGPModel) Draw(rng *rand.Rand, cases, controls int) (*logit.Design, error) {
	s, err := refstudy.DrawCaseControl(rng, cases, controls)
	if err != nil {
		return nil, err
	}
	assign, groups := refstudy.TrueTermGroups()
	return &logit.Design{X: mat.NewDense(len(s.Y), len(s.Names), s.X), Y: s.Y, Names: s.Names, Assign: assign, Groups: groups}, nil
}

// FittedModel simulates from a fitted model's coefficients: covariate
// rows resampled with replacement from the controls of the data (the
// source population's covariate distribution, as controls represent it),
// each a case with probability logistic(xᵀβ), kept until the study has
// its cases and controls (retrospective sampling by rejection). Because
// case-control sampling changes only the intercept, the slopes are those
// of the source population; the intercept only sets how many draws that
// takes.
type FittedModel struct {
	Formula string
	// X holds the controls' design rows (row-major, len(Names) columns)
	// and Eta their linear predictors.
	X     []float64
	Eta   []float64
	Names []string
	Coef  []float64
	// Assign and Groups are the design's term structure.
	Assign []int
	Groups []string
	// SetOR lists the odds ratios set instead of the fitted ones ("term = OR").
	SetOR []string
}

// MaxFittedDrawsPerUnit bounds the rejection sampling of FittedModel.
const MaxFittedDrawsPerUnit = 1000

// Name implements PowerModel.
func (f *FittedModel) Name() string { return "from" }

// Method implements PowerModel.
func (f *FittedModel) Method(test PowerTest) string {
	set := ""
	if len(f.SetOR) > 0 {
		set = " (odds ratios set instead of the fitted ones: " + strings.Join(f.SetOR, ", ") + ")"
	}
	return "each study: covariate rows resampled with replacement from the data's controls (as the source population), each a case with probability logistic(x'b) " +
		"at the fitted coefficients" + set + ", kept until the study has its cases and controls (retrospective sampling by rejection); " + f.Formula +
		" " + testPhrase(test, true)
}

// Terms implements PowerModel: every coefficient but the intercept.
func (f *FittedModel) Terms() []PowerTerm {
	var out []PowerTerm
	for j, n := range f.Names {
		if n != "(Intercept)" {
			out = append(out, coefTerm(n, f.Coef[j]))
		}
	}
	return out
}

// TermGroups implements PowerModel: the formula's terms.
func (f *FittedModel) TermGroups() ([]string, []int, []string) { return f.Names, f.Assign, f.Groups }

// Draw implements PowerModel.
func (f *FittedModel) Draw(rng *rand.Rand, cases, controls int) (*logit.Design, error) {
	p := len(f.Names)
	rows := len(f.Eta)
	n := cases + controls
	x := make([]float64, n*p)
	y := make([]float64, n)
	nCase, nCtrl := 0, 0
	for draws := 0; nCase < cases || nCtrl < controls; draws++ {
		if draws >= MaxFittedDrawsPerUnit*n {
			return nil, fmt.Errorf("power: %d rows drawn gave %d of %d cases and %d of %d controls (the fitted model makes one group too rare; limit %d draws per unit)",
				draws, nCase, cases, nCtrl, controls, MaxFittedDrawsPerUnit)
		}
		i := rng.IntN(rows)
		var row int
		if rng.Float64() < logit.Logistic(f.Eta[i]) {
			if nCase == cases {
				continue
			}
			row, y[nCase] = nCase, 1
			nCase++
		} else {
			if nCtrl == controls {
				continue
			}
			row = cases + nCtrl
			nCtrl++
		}
		copy(x[row*p:(row+1)*p], f.X[i*p:(i+1)*p])
	}
	return &logit.Design{X: mat.NewDense(n, p, x), Y: y, Names: f.Names, Assign: f.Assign, Groups: f.Groups}, nil
}

// fromJSON is the part of a `ccstudy logit --format json` output power reads.
type fromJSON struct {
	Models []struct {
		Name    string `json:"name"`
		Formula string `json:"formula"`
		Terms   []struct {
			Term     string   `json:"term"`
			Estimate *float64 `json:"estimate"`
		} `json:"terms"`
	} `json:"models"`
}

// NewFittedModel reads the adjusted (first) model of a logit JSON output,
// encodes t with its formula, and keeps the controls' design rows. Every
// design column must have a finite coefficient in the JSON and every
// coefficient a column, or it is an error naming them. setOR replaces the
// odds ratios of the named columns (an OR > 0 each) before simulating:
// the design to plan with ORs other than the fitted ones.
func NewFittedModel(t *dataset.Table, logitJSON []byte, name string, setOR map[string]float64) (*FittedModel, error) {
	var fj fromJSON
	if err := json.Unmarshal(logitJSON, &fj); err != nil {
		return nil, fmt.Errorf("%s: not a 'ccstudy logit --format json' output: %v", name, err)
	}
	if len(fj.Models) == 0 || fj.Models[0].Formula == "" {
		return nil, fmt.Errorf("%s: no model with a formula (expected the output of 'ccstudy logit --format json')", name)
	}
	mj := fj.Models[0]
	coef := map[string]float64{}
	for _, tm := range mj.Terms {
		if tm.Estimate == nil || math.IsNaN(*tm.Estimate) || math.IsInf(*tm.Estimate, 0) {
			return nil, fmt.Errorf("%s: model %q: term %q has no finite estimate", name, mj.Name, tm.Term)
		}
		coef[tm.Term] = *tm.Estimate
	}
	d, err := DesignFor(t, mj.Formula, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: model %q: %w", name, mj.Formula, err)
	}
	lg := d.Logit
	n, p := lg.X.Dims()
	var missing []string
	b := make([]float64, p)
	seen := map[string]bool{}
	for j, c := range lg.Names {
		v, ok := coef[c]
		if !ok {
			missing = append(missing, c)
		}
		b[j], seen[c] = v, true
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: model %q has no coefficient for the data's design columns %s (expected the logit output of this data and schema)",
			name, mj.Name, strings.Join(missing, ", "))
	}
	var extra []string
	for _, tm := range mj.Terms {
		if !seen[tm.Term] {
			extra = append(extra, tm.Term)
		}
	}
	if len(extra) > 0 {
		return nil, fmt.Errorf("%s: model %q has coefficients %s that the data's design does not (expected the logit output of this data and schema)",
			name, mj.Name, strings.Join(extra, ", "))
	}
	var set []string
	for _, term := range slices.Sorted(maps.Keys(setOR)) {
		or := setOR[term]
		set = append(set, fmt.Sprintf("%s = %g", term, or))
		if !(or > 0) || math.IsInf(or, 0) {
			return nil, fmt.Errorf("power: odds ratio %v for %s (expected a finite value above 0)", or, term)
		}
		j := -1
		for k, c := range lg.Names {
			if c == term && c != "(Intercept)" {
				j = k
			}
		}
		if j < 0 {
			return nil, fmt.Errorf("power: %q is not a coefficient of model %q (expected one of %s)", term, mj.Name, strings.Join(lg.Names[1:], ", "))
		}
		b[j] = math.Log(or)
	}
	f := &FittedModel{Formula: mj.Formula, Names: lg.Names, Coef: b, Assign: lg.Assign, Groups: lg.Groups, SetOR: set}
	for i := range n {
		if lg.Y[i] != 0 {
			continue
		}
		eta := 0.0
		for j := range p {
			v := lg.X.At(i, j)
			f.X = append(f.X, v)
			eta += v * b[j]
		}
		f.Eta = append(f.Eta, eta)
	}
	if len(f.Eta) == 0 {
		return nil, errors.New("power: the data has no controls to resample covariates from")
	}
	return f, nil
}
