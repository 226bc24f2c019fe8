package logit

import (
	"math"
	"reflect"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

type separationCase struct {
	Name          string      `json:"name"`
	Names         []string    `json:"names"`
	Assign        []int       `json:"assign"`
	Groups        []string    `json:"groups"`
	X             [][]float64 `json:"x"`
	Y             []float64   `json:"y"`
	LPBeta        []float64   `json:"lp_beta"`
	LPObjective   float64     `json:"lp_objective"`
	Separation    bool        `json:"separation"`
	Complete      bool        `json:"complete"`
	Directions    []int       `json:"directions"`
	Infinite      []string    `json:"infinite"`
	InfiniteTerms []string    `json:"infinite_terms"`
}

func (c *separationCase) design() *Design {
	x := mat.NewDense(len(c.X), len(c.Names), nil)
	for i, row := range c.X {
		x.SetRow(i, row)
	}
	return &Design{X: x, Y: c.Y, Names: c.Names, Assign: c.Assign, Groups: c.Groups}
}

func loadSeparationCases(t testing.TB) []separationCase {
	var cs []separationCase
	reftest.Load(t, "testdata/reference/logit/firth/separation.json", &cs)
	if len(cs) == 0 {
		t.Fatal("no reference cases")
	}
	return cs
}

func TestDetectSeparationAgainstR(t *testing.T) {
	for _, c := range loadSeparationCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			r, err := DetectSeparation(c.design())
			if err != nil {
				t.Fatal(err)
			}
			if r.Separated != c.Separation || r.Complete != c.Complete {
				t.Errorf("separated %v complete %v, R %v %v", r.Separated, r.Complete, c.Separation, c.Complete)
			}
			if !reflect.DeepEqual(r.Directions, c.Directions) {
				t.Errorf("directions %v, R %v", r.Directions, c.Directions)
			}
			if !reflect.DeepEqual(r.Coefficients, c.Infinite) {
				t.Errorf("infinite coefficients %q, R %q", r.Coefficients, c.Infinite)
			}
			if !reflect.DeepEqual(r.Terms, c.InfiniteTerms) {
				t.Errorf("terms %q, R %q", r.Terms, c.InfiniteTerms)
			}
			// The optimum is unique even when the vertex is not.
			if math.Abs(r.LPObjective-c.LPObjective) > 1e-8*math.Max(1, math.Abs(c.LPObjective)) {
				t.Errorf("LP objective %g, R %g", r.LPObjective, c.LPObjective)
			}
			// LP duality: the small dual program has the primal's optimum.
			d := c.design()
			n, p := d.X.Dims()
			xbar := mat.NewDense(n, p, nil)
			for i := 0; i < n; i++ {
				for j := 0; j < p; j++ {
					xbar.Set(i, j, (2*c.Y[i]-1)*d.X.At(i, j))
				}
			}
			dual, err := konisDualValue(xbar)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(dual-c.LPObjective) > 1e-8*math.Max(1, math.Abs(c.LPObjective)) {
				t.Errorf("dual optimum %g, R primal %g", dual, c.LPObjective)
			}
			for j := range r.LPBeta {
				if math.Abs(r.LPBeta[j]-c.LPBeta[j]) > 1e-8 {
					t.Errorf("LP beta[%d] = %g, lpSolve %g", j, r.LPBeta[j], c.LPBeta[j])
				}
			}
		})
	}
}

// A column in large units (the threshold case times 1e6) must still be
// flagged although its LP coefficient is far below 1e-4.
func TestDetectSeparationLargeUnits(t *testing.T) {
	var c separationCase
	for _, cc := range loadSeparationCases(t) {
		if cc.Name == "threshold" {
			c = cc
		}
	}
	if c.Name == "" {
		t.Fatal("threshold case missing")
	}
	d := c.design()
	n, _ := d.X.Dims()
	for i := 0; i < n; i++ {
		d.X.Set(i, 1, 1e6*d.X.At(i, 1))
	}
	r, err := DetectSeparation(d)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Directions, c.Directions) {
		t.Errorf("directions %v, want %v as in unscaled data", r.Directions, c.Directions)
	}
}

func TestDetectSeparationErrors(t *testing.T) {
	if _, err := DetectSeparation(nil); err == nil {
		t.Error("nil design: want error")
	}
	x := mat.NewDense(2, 1, []float64{1, 1})
	if _, err := DetectSeparation(&Design{X: x, Y: []float64{0, 3}, Names: []string{"(Intercept)"}}); err == nil {
		t.Error("outcome 3: want error")
	}
}

// The separation check's memory is about one copy of the design: the
// simplex's columns in one buffer, and row numbers for merging duplicate
// rows. A copy of the rows and a string key per row had made it allocate
// 133 MB here and 4.8 GB over the ten fits of BenchmarkLogitCommand1e6
// (issue 14); at 2·10⁵ × 10 (a 16 MB design) it is measured at 24 MB,
// bounded here at 72 MB (about 3× room).
func TestDetectSeparationAllocationBounded(t *testing.T) {
	d := glmSimDesign(200_000)
	var r SeparationResult
	var err error
	got := reftest.AllocatedBytes(func() { r, err = DetectSeparation(d) })
	if err != nil {
		t.Fatal(err)
	}
	// The design is not separated: the program decides so itself.
	if r.Separated || r.DecidedBy != SeparationByLP {
		t.Fatalf("separated %v decided by %q, want no separation by the linear program", r.Separated, r.DecidedBy)
	}
	t.Logf("DetectSeparation at 2e5 x 10 allocated %d bytes", got)
	if most := uint64(80 << 20); got > most {
		t.Errorf("DetectSeparation at 2e5 x 10 allocated %d bytes, bound %d", got, most)
	}
}

// BenchmarkDetectSeparationSim2e5 is the check on the 2·10⁵ × 10 design
// of TestDetectSeparationAllocationBounded (not separated: one program).
func BenchmarkDetectSeparationSim2e5(b *testing.B) {
	d := glmSimDesign(200_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DetectSeparation(d); err != nil {
			b.Fatal(err)
		}
	}
}
