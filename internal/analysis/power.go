package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/ccstudy/ccstudy/stats"
	"gonum.org/v1/gonum/mat"
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

// PowerTest is the test of each simulated study.
const PowerTest = "wald"

// PowerFailureRule says how simulated studies whose model cannot be
// fitted are counted.
const PowerFailureRule = "a simulated study fails when the logistic fit returns an error (e.g. an aliased column: a level absent from the sample), " +
	"does not converge, or has fitted probabilities numerically 0 or 1 (R's glm warning); " +
	"a failed study counts as not significant for every factor and stays in the denominator. " +
	"Separated counts the fitted studies whose data are (quasi-)completely separated (Konis's linear program, as detectseparation): " +
	"their MLE is infinite and they are counted as fitted, as R's glm fits them, often without a warning"

// PowerTerm is one coefficient whose power is reported.
type PowerTerm struct {
	Term string `json:"term"`
	// LogOR is the coefficient the studies are simulated with.
	LogOR float64 `json:"true_log_or"`
}

// PowerModel draws simulated case-control studies.
type PowerModel interface {
	// Draw returns the design of one study of cases and controls; its Y
	// is the case status. An error is systematic and stops the run.
	Draw(rng *rand.Rand, cases, controls int) (*logit.Design, error)
	// Terms are the coefficients whose power is reported.
	Terms() []PowerTerm
	// Name is "exposure", "from" or "dgp"; Method describes the sampling.
	Name() string
	Method() string
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
	// Workers is the number of goroutines (0: GOMAXPROCS); results do
	// not depend on it.
	Workers int
	// Progress, when set, is called after each simulated study with the
	// number done so far; it is called from several goroutines.
	Progress func(done int)
}

// FactorPower is one coefficient's simulated power at a design point.
type FactorPower struct {
	Term        string  `json:"term"`
	Significant int     `json:"significant"`
	Power       float64 `json:"power"`
	MCSE        float64 `json:"mc_se"`
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
// studies in which each factor's Wald test (logit.Fit, two-sided) has
// p < alpha, with the Monte-Carlo SE √(p(1−p)/sims) (stats.MonteCarloSE).
// Study j of every point draws from its own stream (StreamPower, j):
// the same j at two points share random numbers (common random numbers,
// so a curve is smooth), and the counts, summed as integers, do not depend
// on the number of workers or the order they finish in.
func SimulatePower(m PowerModel, opts PowerOptions) (*PowerResult, error) {
	if err := CheckPowerOptions(opts); err != nil {
		return nil, err
	}
	terms := m.Terms()
	points := len(opts.Cases)
	total := points * opts.Sims
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, total)
	seed := StreamSeed(opts.Seed, StreamPower)
	sig := make([][]int, workers)
	failed := make([][]powerFailures, workers)
	var next, done atomic.Int64
	var mu sync.Mutex
	firstErr, errTask := error(nil), total
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		sig[w] = make([]int, points*len(terms))
		failed[w] = make([]powerFailures, points)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				task := int(next.Add(1) - 1)
				if task >= total {
					return
				}
				k, j := task/opts.Sims, task%opts.Sims
				rng := rand.New(rand.NewPCG(seed, uint64(j)))
				d, err := m.Draw(rng, opts.Cases[k], opts.Controls[k])
				if err != nil {
					mu.Lock()
					if task < errTask {
						firstErr, errTask = err, task
					}
					mu.Unlock()
					next.Store(int64(total)) // stop every worker
					return
				}
				s, why, sep := studySignificant(d, terms, opts.Alpha)
				failed[w][k][why]++
				if sep {
					failed[w][k][separated]++
				}
				for t, v := range s {
					if v {
						sig[w][k*len(terms)+t]++
					}
				}
				if opts.Progress != nil {
					opts.Progress(int(done.Add(1)))
				}
			}
		}(w)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	res := &PowerResult{Model: m.Name(), Method: m.Method(), Test: PowerTest, Alpha: opts.Alpha, Sims: opts.Sims, Seed: opts.Seed,
		FailureRule: PowerFailureRule, Terms: terms, Points: make([]PowerPoint, points)}
	cf, hasCF := m.(closedForm)
	for k := range res.Points {
		pt := PowerPoint{Cases: opts.Cases[k], Controls: opts.Controls[k], Sims: opts.Sims, Factors: make([]FactorPower, len(terms))}
		for w := range workers {
			f := failed[w][k]
			pt.FitErrors += f[failFitError]
			pt.NotConverged += f[failNotConverged]
			pt.Fitted01 += f[failFitted01]
			pt.Separated += f[separated]
		}
		pt.Failed = pt.FitErrors + pt.NotConverged + pt.Fitted01
		for t, term := range terms {
			n := 0
			for w := range workers {
				n += sig[w][k*len(terms)+t]
			}
			p := float64(n) / float64(opts.Sims)
			pt.Factors[t] = FactorPower{Term: term.Term, Significant: n, Power: p, MCSE: stats.MonteCarloSE(p, opts.Sims)}
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

// studySignificant fits one simulated study by maximum likelihood with
// Wald intervals and reports, per term, whether p < alpha, and the fit's
// outcome: a failure by PowerFailureRule leaves nothing significant. sep
// reports separation of a study that could be fitted.
func studySignificant(d *logit.Design, terms []PowerTerm, alpha float64) (sig []bool, outcome int, sep bool) {
	sig = make([]bool, len(terms))
	m, err := logit.Fit(d, logit.Options{CI: logit.CIWald})
	if err != nil {
		return sig, failFitError, false
	}
	if s, err := logit.DetectSeparation(d); err == nil && s.Separated {
		sep = true
	}
	switch {
	case !m.Converged:
		return sig, failNotConverged, sep
	case logit.HasWarning(m.Warnings, logit.WarnFitted01):
		return sig, failFitted01, sep
	}
	for t, term := range terms {
		for _, mt := range m.Terms {
			if mt.Term == term.Term {
				sig[t] = mt.PValue < alpha
				break
			}
		}
	}
	return sig, fitOK, sep
}

// powerTargets finds, per factor, the first design point (the points are
// in increasing size) whose simulated power reaches target.
func powerTargets(res *PowerResult, target float64) []PowerTarget {
	out := make([]PowerTarget, len(res.Terms))
	for t, term := range res.Terms {
		pt := PowerTarget{Term: term.Term, Target: target}
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
func (e ExposureModel) Method() string {
	return fmt.Sprintf("each study: controls exposed ~ Bernoulli(%g), cases exposed ~ Bernoulli(%.6g) (OR %g); case ~ exposure fitted by maximum likelihood, two-sided Wald test",
		e.P0, stats.ExposedCaseShare(e.OR, e.P0), e.OR)
}

// Terms implements PowerModel.
func (e ExposureModel) Terms() []PowerTerm { return []PowerTerm{{"exposure", math.Log(e.OR)}} }

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
func (DGPModel) Method() string {
	return "each study: units drawn from the synthetic reference study's DGP (an unbounded source population), each a case with the true model's probability, " +
		"kept until the study has its cases and controls (retrospective sampling by rejection); the true model (" + refstudy.TrueFormula +
		") fitted by maximum likelihood, two-sided Wald test per coefficient"
}

// Terms implements PowerModel.
func (DGPModel) Terms() []PowerTerm {
	var out []PowerTerm
	for _, t := range refstudy.TrueCoefficients() {
		out = append(out, PowerTerm{t.Term, t.LogOR})
	}
	return out
}

// Draw implements PowerModel.
func (DGPModel) Draw(rng *rand.Rand, cases, controls int) (*logit.Design, error) {
	s, err := refstudy.DrawCaseControl(rng, cases, controls)
	if err != nil {
		return nil, err
	}
	p := len(s.Names)
	assign := make([]int, p)
	for j := range assign {
		assign[j] = j
	}
	return &logit.Design{X: mat.NewDense(len(s.Y), p, s.X), Y: s.Y, Names: s.Names, Assign: assign, Groups: s.Names}, nil
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
func (f *FittedModel) Method() string {
	set := ""
	if len(f.SetOR) > 0 {
		set = " (odds ratios set instead of the fitted ones: " + strings.Join(f.SetOR, ", ") + ")"
	}
	return "each study: covariate rows resampled with replacement from the data's controls (as the source population), each a case with probability logistic(x'b) " +
		"at the fitted coefficients" + set + ", kept until the study has its cases and controls (retrospective sampling by rejection); " + f.Formula +
		" fitted by maximum likelihood, two-sided Wald test per coefficient"
}

// Terms implements PowerModel: every coefficient but the intercept.
func (f *FittedModel) Terms() []PowerTerm {
	var out []PowerTerm
	for j, n := range f.Names {
		if n != "(Intercept)" {
			out = append(out, PowerTerm{n, f.Coef[j]})
		}
	}
	return out
}

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
