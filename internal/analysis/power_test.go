package analysis

import (
	"github.com/ccstudy/ccstudy/internal/reftest"
	"math"
	"reflect"
	"testing"
)

// TestExposurePowerMatchesClosedForm checks the simulated Wald power of a
// single binary exposure against the closed form (stats.PowerSSCC, itself
// checked against R's epiR::epi.sscc): within 4 Monte-Carlo SEs.
func TestExposurePowerMatchesClosedForm(t *testing.T) {
	for _, c := range []struct {
		or, p0          float64
		cases, controls int
	}{{2, 0.3, 100, 100}, {1.8, 0.2, 150, 300}, {0.5, 0.4, 80, 80}} {
		res, err := SimulatePower(ExposureModel{OR: c.or, P0: c.p0}, PowerOptions{Cases: []int{c.cases}, Controls: []int{c.controls}, Sims: 1000, Alpha: 0.05, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		got, se, cf := *res.Power, *res.MCSE, *res.ClosedFormPower
		t.Logf("OR %v p0 %v %d:%d: simulated %.4f (SE %.4f), closed form %.4f, failed %d", c.or, c.p0, c.cases, c.controls, got, se, cf, res.Points[0].Failed)
		if math.Abs(got-cf) > 4*se {
			t.Errorf("OR %v p0 %v %d:%d: simulated power %.4f differs from the closed form %.4f by more than 4 SE (%.4f)", c.or, c.p0, c.cases, c.controls, got, cf, se)
		}
	}
}

// TestPowerIndependentOfWorkers: the counts are the same with one worker
// or several (each study has its own stream; counts are summed).
func TestPowerIndependentOfWorkers(t *testing.T) {
	opts := PowerOptions{Cases: []int{20, 40, 60}, Controls: []int{40, 80, 120}, Sims: 300, Alpha: 0.05, Seed: 9, TargetPower: 0.5}
	var first *PowerResult
	for _, w := range []int{1, 3, 8} {
		opts.Workers = w
		res, err := SimulatePower(ExposureModel{OR: 2.5, P0: 0.2}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !reflect.DeepEqual(first, res) {
			t.Fatalf("%d workers gave a different result", w)
		}
	}
	opts.Seed = 10
	other, err := SimulatePower(ExposureModel{OR: 2.5, P0: 0.2}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(first.Points, other.Points) {
		t.Error("seed 9 and seed 10 gave the same simulation")
	}
}

// TestPowerCountsFailures: tiny studies with a rare exposure often have
// an empty cell (separation); they are counted as failed and not
// significant.
func TestPowerCountsFailures(t *testing.T) {
	res, err := SimulatePower(ExposureModel{OR: 3, P0: 0.05}, PowerOptions{Cases: []int{5}, Controls: []int{5}, Sims: 200, Alpha: 0.05, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	pt := res.Points[0]
	// P(no exposed among 10) alone is about 0.95^5·0.86^5 ≈ 0.37.
	if pt.Failed < 60 || pt.Failed > 200 {
		t.Errorf("%d of 200 tiny studies failed", pt.Failed)
	}
	if pt.Factors[0].Significant > pt.Sims-pt.Failed {
		t.Errorf("%d significant with %d failed of %d", pt.Factors[0].Significant, pt.Failed, pt.Sims)
	}
}

func TestPowerTargets(t *testing.T) {
	res, err := SimulatePower(ExposureModel{OR: 2, P0: 0.3}, PowerOptions{Cases: []int{50, 100, 200, 400}, Controls: []int{50, 100, 200, 400}, Sims: 400, Alpha: 0.05, Seed: 3, TargetPower: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	tg := res.Targets[0]
	if !tg.Reached || *tg.Cases != 200 || tg.ClosedFormCases == nil || *tg.ClosedFormCases != 200 {
		t.Errorf("target: %+v (closed form at 100, 200: %v, %v)", tg, *res.Points[1].ClosedFormPower, *res.Points[2].ClosedFormPower)
	}
	if res.Power != nil {
		t.Error("a curve carries a single power")
	}
	res, err = SimulatePower(ExposureModel{OR: 1.2, P0: 0.3}, PowerOptions{Cases: []int{50, 100}, Controls: []int{50, 100}, Sims: 100, Alpha: 0.05, Seed: 3, TargetPower: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	if res.Targets[0].Reached || res.Targets[0].Cases != nil || *res.Targets[0].ClosedFormReached {
		t.Errorf("OR 1.2 reached 80%% power with 100 cases: %+v", res.Targets[0])
	}
}

func TestPowerOptionsRejected(t *testing.T) {
	good := PowerOptions{Cases: []int{10}, Controls: []int{10}, Sims: 10, Alpha: 0.05}
	for name, f := range map[string]func(o *PowerOptions){
		"no points":  func(o *PowerOptions) { o.Cases, o.Controls = nil, nil },
		"mismatch":   func(o *PowerOptions) { o.Controls = []int{10, 20} },
		"sims 0":     func(o *PowerOptions) { o.Sims = 0 },
		"sims huge":  func(o *PowerOptions) { o.Sims = MaxPowerSims + 1 },
		"alpha 1":    func(o *PowerOptions) { o.Alpha = 1 },
		"cases 0":    func(o *PowerOptions) { o.Cases = []int{0} },
		"target 1":   func(o *PowerOptions) { o.TargetPower = 1 },
		"target NaN": func(o *PowerOptions) { o.TargetPower = math.NaN() },
	} {
		o := good
		f(&o)
		if _, err := SimulatePower(ExposureModel{OR: 2, P0: 0.3}, o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestPowerCountsSeparation: a 2×2 table with an empty cell is separated
// (infinite MLE) but fitted, as glm does; it is counted as separated.
func TestPowerCountsSeparation(t *testing.T) {
	res, err := SimulatePower(ExposureModel{OR: 3, P0: 0.05}, PowerOptions{Cases: []int{5}, Controls: []int{5}, Sims: 200, Alpha: 0.05, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	pt := res.Points[0]
	// No exposed unit at all (about 37%) is an aliased column: a fit error.
	if pt.FitErrors < 50 || pt.FitErrors != pt.Failed {
		t.Errorf("fit errors %d, failed %d", pt.FitErrors, pt.Failed)
	}
	// Nearly every other tiny study has an empty cell.
	if pt.Separated < (pt.Sims-pt.Failed)/2 {
		t.Errorf("%d separated of %d fitted", pt.Separated, pt.Sims-pt.Failed)
	}
}

func TestPowerClosedFormSampleSize(t *testing.T) {
	res, err := SimulatePower(ExposureModel{OR: 2, P0: 0.3}, PowerOptions{Cases: []int{100}, Controls: []int{200}, Sims: 10, Alpha: 0.05, Seed: 1, TargetPower: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	ss := res.ClosedFormSampleSize
	if ss == nil || ss.Ratio != 2 || ss.Cases == nil || *ss.Cases != int(math.Ceil(ss.CasesExact)) || *ss.Controls != 2**ss.Cases {
		t.Fatalf("sample size: %+v", ss)
	}
	if p, _ := (ExposureModel{OR: 2, P0: 0.3}).ClosedForm(*ss.Cases, *ss.Controls, 0.05); p < 0.8 {
		t.Errorf("the closed-form design has power %v", p)
	}
	if res, _ := SimulatePower(DGPModel{}, PowerOptions{Cases: []int{30}, Controls: []int{30}, Sims: 2, Alpha: 0.05, TargetPower: 0.8}); res.ClosedFormSampleSize != nil {
		t.Error("the DGP has a closed form")
	}
}

// TestExposurePowerMatchesExactWald compares the simulated power with the
// exact power of the same Wald test, summed by R over every 2×2 table
// (testdata/reference/power/exposure_exact.R): within 4 Monte-Carlo SEs.
func TestExposurePowerMatchesExactWald(t *testing.T) {
	var designs []struct {
		OR, P0          float64
		Cases, Controls int
		Alpha           float64
		WaldExact       float64 `json:"wald_exact"`
	}
	reftest.Load(t, "testdata/reference/power/exposure_exact.json", &designs)
	if len(designs) < 5 {
		t.Fatalf("%d designs", len(designs))
	}
	for _, d := range designs {
		res, err := SimulatePower(ExposureModel{OR: d.OR, P0: d.P0}, PowerOptions{Cases: []int{d.Cases}, Controls: []int{d.Controls}, Sims: 1000, Alpha: d.Alpha, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		got, se := *res.Power, *res.MCSE
		z := (got - d.WaldExact) / math.Sqrt(d.WaldExact*(1-d.WaldExact)/1000)
		t.Logf("OR %v p0 %v %d:%d alpha %v: simulated %.4f (SE %.4f), exact Wald %.4f, z %.2f", d.OR, d.P0, d.Cases, d.Controls, d.Alpha, got, se, d.WaldExact, z)
		if math.Abs(z) > 4 {
			t.Errorf("OR %v p0 %v %d:%d: simulated %.4f, exact Wald power %.4f: %.1f SE apart", d.OR, d.P0, d.Cases, d.Controls, got, d.WaldExact, z)
		}
	}
}
