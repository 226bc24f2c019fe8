package analysis

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/refstudy"
)

// TestDGPTermGroupsAreTheFormulas: the DGP's term structure (used to
// test each term's columns together) is the one the design builder gives
// the true formula on the reference data, R's model.matrix order.
func TestDGPTermGroupsAreTheFormulas(t *testing.T) {
	d, err := DesignFor(clLoadCompanies(t), refstudy.TrueFormula, nil)
	if err != nil {
		t.Fatal(err)
	}
	names, assign, groups := DGPModel{}.TermGroups()
	if !slices.Equal(names, d.Logit.Names) || !slices.Equal(assign, d.Logit.Assign) || !slices.Equal(groups, d.Logit.Groups) {
		t.Errorf("DGP terms\n names %v\n assign %v\n groups %v\nformula's\n names %v\n assign %v\n groups %v",
			names, assign, groups, d.Logit.Names, d.Logit.Assign, d.Logit.Groups)
	}
}

func TestPowerTermsOf(t *testing.T) {
	terms, err := powerTermsOf(DGPModel{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]PowerTerm{}
	for _, tm := range terms {
		byName[tm.Term] = tm
	}
	nov := byName["novelty"]
	if nov.DF != 2 || nov.LogOR != nil || len(nov.Columns) != 2 || nov.Columns[1].Term != "novelty[first_in_class]" ||
		math.Abs(nov.Columns[1].LogOR-math.Log(4)) > 1e-15 {
		t.Errorf("novelty: %+v", nov)
	}
	if od := byName["orphan_drug"]; od.DF != 1 || od.LogOR == nil || math.Abs(*od.LogOR-math.Log(2.5)) > 1e-15 {
		t.Errorf("orphan_drug: %+v", od)
	}
	if len(terms) != 11 || byName["company_type:novelty"].DF != 2 {
		t.Errorf("%d terms: %+v", len(terms), terms)
	}
}

// TestLRPowerMatchesClosedForm: for one binary exposure the power of the
// likelihood-ratio test stays within 4 Monte-Carlo SEs of Schlesselman's
// closed form (stats.PowerSSCC, checked against epiR), as the Wald
// test's does (TestExposurePowerMatchesClosedForm).
func TestLRPowerMatchesClosedForm(t *testing.T) {
	for _, c := range []struct {
		or, p0          float64
		cases, controls int
	}{{2, 0.3, 100, 100}, {1.8, 0.2, 150, 300}, {0.5, 0.4, 80, 80}} {
		res, err := SimulatePower(ExposureModel{OR: c.or, P0: c.p0}, PowerOptions{Cases: []int{c.cases}, Controls: []int{c.controls}, Sims: 2000, Alpha: 0.05, Seed: 1, Test: TestLR})
		if err != nil {
			t.Fatal(err)
		}
		got, se, cf := *res.Power, *res.MCSE, *res.ClosedFormPower
		t.Logf("OR %v p0 %v %d:%d: simulated LR power %.4f (SE %.4f), closed form %.4f, failed %d", c.or, c.p0, c.cases, c.controls, got, se, cf, res.Points[0].Failed)
		if math.Abs(got-cf) > 4*se {
			t.Errorf("OR %v p0 %v %d:%d: simulated LR power %.4f differs from the closed form %.4f by more than 4 SE (%.4f)", c.or, c.p0, c.cases, c.controls, got, cf, se)
		}
		if res.Test != "lr" || res.Terms[0].DF != 1 || res.Points[0].Factors[0].DF != 1 || res.Points[0].Factors[0].ReducedFailed == nil {
			t.Errorf("lr result: test %q, terms %+v, factors %+v", res.Test, res.Terms, res.Points[0].Factors)
		}
	}
}

// TestLRPowerUnderSeparation: tiny studies with a rare exposure are
// mostly separated. The Wald test never rejects an infinite coefficient
// (huge SE); the penalized likelihood-ratio test exists there and does,
// so its power is above the Wald test's on the same studies.
func TestLRPowerUnderSeparation(t *testing.T) {
	opts := PowerOptions{Cases: []int{15}, Controls: []int{15}, Sims: 300, Alpha: 0.05, Seed: 5}
	m := ExposureModel{OR: 8, P0: 0.1}
	power := map[PowerTest]int{}
	for _, test := range PowerTests() {
		opts.Test = test
		res, err := SimulatePower(m, opts)
		if err != nil {
			t.Fatal(err)
		}
		pt := res.Points[0]
		power[test] = pt.Factors[0].Significant
		t.Logf("%s: %d of %d significant, %d failed, %d separated", test, pt.Factors[0].Significant, pt.Sims, pt.Failed, pt.Separated)
		if test == TestFirthLR && pt.Failed != pt.FitErrors {
			t.Errorf("firth-lr: %d failed, %d of them fit errors", pt.Failed, pt.FitErrors)
		}
	}
	if power[TestFirthLR] <= power[TestWald] || power[TestLR] <= power[TestWald] {
		t.Errorf("significant studies: %v (expected both LR tests above the Wald test under separation)", power)
	}
}

// TestLRPowerIndependentOfWorkers: the counts of both LR tests are the
// same with one worker or several.
func TestLRPowerIndependentOfWorkers(t *testing.T) {
	for _, test := range []PowerTest{TestLR, TestFirthLR} {
		opts := PowerOptions{Cases: []int{40, 80}, Controls: []int{40, 80}, Sims: 40, Alpha: 0.05, Seed: 9, Test: test}
		if test == TestFirthLR {
			opts.Cases, opts.Controls, opts.Sims = []int{80}, []int{80}, 20
		}
		var first *PowerResult
		for _, w := range []int{1, 3, 8} {
			opts.Workers = w
			res, err := SimulatePower(DGPModel{}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = res
			} else if !reflect.DeepEqual(first, res) {
				t.Fatalf("%s: %d workers gave a different result", test, w)
			}
		}
	}
}

func TestPowerTestChoice(t *testing.T) {
	var v PowerTest
	if err := v.Set("firth-lr"); err != nil || v != TestFirthLR {
		t.Errorf("Set firth-lr: %v, %q", err, v)
	}
	if err := v.Set("score"); err == nil || !strings.Contains(err.Error(), "wald, lr, firth-lr") || v != TestFirthLR {
		t.Errorf("Set score: %v, %q", err, v)
	}
	if _, err := SimulatePower(ExposureModel{OR: 2, P0: 0.3}, PowerOptions{Cases: []int{10}, Controls: []int{10}, Sims: 10, Alpha: 0.05, Test: "score"}); err == nil {
		t.Error("test score accepted")
	}
}

// TestLRPowerBoundCountsReducedFits: a run within MaxPowerRows for the
// Wald test is refused when its reduced fits would exceed it.
func TestLRPowerBoundCountsReducedFits(t *testing.T) {
	opts := PowerOptions{Cases: []int{MaxPowerUnits}, Controls: []int{MaxPowerUnits}, Sims: MaxPowerRows / (4 * MaxPowerUnits), Alpha: 0.05, Test: TestLR}
	if err := CheckPowerOptions(opts); err != nil {
		t.Fatalf("the Wald bound: %v", err)
	}
	_, err := SimulatePower(DGPModel{}, opts)
	if err == nil || !strings.Contains(err.Error(), "reduced fit per term") {
		t.Errorf("error %v", err)
	}
}
