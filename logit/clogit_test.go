package logit

import (
	"math"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/combin"
)

type clogitCase struct {
	Name        string      `json:"name"`
	Names       []string    `json:"names"`
	X           [][]float64 `json:"x"`
	Y           []float64   `json:"y"`
	Strata      []int       `json:"strata"`
	Estimate    []float64   `json:"estimate"`
	StdError    []float64   `json:"std_error"`
	Statistic   []float64   `json:"statistic"`
	PValue      []float64   `json:"p_value"`
	ConfLow     []float64   `json:"conf_low"`
	ConfHigh    []float64   `json:"conf_high"`
	LoglikNull  float64     `json:"loglik_null"`
	Loglik      float64     `json:"loglik"`
	LRStatistic float64     `json:"lr_statistic"`
	LRDF        int         `json:"lr_df"`
	LRPValue    float64     `json:"lr_p_value"`
	N           int         `json:"n"`
	NEvent      int         `json:"nevent"`
	AIC         float64     `json:"aic"`
	BIC         float64     `json:"bic"`
}

func (c *clogitCase) design(intercept bool) *Design {
	p := len(c.Names)
	names := c.Names
	off := 0
	if intercept {
		off = 1
		names = append([]string{"(Intercept)"}, names...)
	}
	x := mat.NewDense(len(c.X), p+off, nil)
	for i, row := range c.X {
		if intercept {
			x.Set(i, 0, 1)
		}
		for j, v := range row {
			x.Set(i, j+off, v)
		}
	}
	return &Design{X: x, Y: c.Y, Names: names}
}

func loadClogitCases(t testing.TB) []clogitCase {
	var cs []clogitCase
	reftest.Load(t, "testdata/reference/logit/clogit/clogit.json", &cs)
	if len(cs) == 0 {
		t.Fatal("no reference cases")
	}
	return cs
}

func TestFitConditionalAgainstR(t *testing.T) {
	for _, c := range loadClogitCases(t) {
		for _, intercept := range []bool{false, true} {
			name := c.Name
			if intercept {
				name += "/with_intercept_column"
			}
			t.Run(name, func(t *testing.T) {
				m, err := FitConditional(c.design(intercept), c.Strata, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if m.Method != MethodClogit || len(m.Terms) != len(c.Names) {
					t.Fatalf("method %q, %d terms", m.Method, len(m.Terms))
				}
				for j, tm := range m.Terms {
					w := c.Names[j]
					if tm.Term != w {
						t.Errorf("term %d is %q, want %q", j, tm.Term, w)
					}
					reftest.Close(t, w+" estimate", tm.Estimate, c.Estimate[j], 1e-6, 0)
					reftest.Close(t, w+" se", tm.StdError, c.StdError[j], 1e-6, 0)
					reftest.Close(t, w+" z", tm.Statistic, c.Statistic[j], 1e-6, 0)
					reftest.Rel(t, w+" p", tm.PValue, c.PValue[j], 1e-6)
					reftest.Close(t, w+" conf_low", tm.ConfLow, c.ConfLow[j], 1e-6, 0)
					reftest.Close(t, w+" conf_high", tm.ConfHigh, c.ConfHigh[j], 1e-6, 0)
					reftest.Close(t, w+" OR", tm.OddsRatio, math.Exp(c.Estimate[j]), 1e-6, 0)
				}
				reftest.Close(t, "loglik", m.LogLikelihood, c.Loglik, 1e-6, 0)
				reftest.Close(t, "null deviance", m.NullDeviance, -2*c.LoglikNull, 1e-6, 0)
				reftest.Close(t, "LR", m.LRStatistic, c.LRStatistic, 1e-6, 0)
				reftest.Rel(t, "LR p", m.LRPValue, c.LRPValue, 1e-6)
				reftest.Close(t, "AIC", m.AIC, c.AIC, 1e-6, 0)
				reftest.Close(t, "BIC", m.BIC, c.BIC, 1e-6, 0)
				if m.LRDF != c.LRDF || m.N != c.N || m.Events != c.NEvent {
					t.Errorf("df %d n %d events %d, R %d %d %d", m.LRDF, m.N, m.Events, c.LRDF, c.N, c.NEvent)
				}
			})
		}
	}
}

func TestFitConditionalUninformativeSetsWarning(t *testing.T) {
	for _, c := range loadClogitCases(t) {
		if c.Name != "constructed" {
			continue
		}
		m, err := FitConditional(c.design(false), c.Strata, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// The R script builds 2 all-case and 2 all-control sets.
		if len(m.Warnings) != 1 || !strings.HasPrefix(m.Warnings[0].Message, "4 matched sets") {
			t.Errorf("warnings %q", m.Warnings)
		}
		return
	}
	t.Fatal("constructed case missing")
}

// TestClogitRecursionMatchesEnumeration checks the Gail–Lubin–Rubinstein
// denominator and its derivatives against brute-force enumeration of all
// subsets (and central differences for the Hessian) on a 10-member set with 4 cases.
func TestClogitRecursionMatchesEnumeration(t *testing.T) {
	c := loadClogitCases(t)[1]
	// The first set with 10 members (4 cases) of the constructed data.
	var rows []int
	counts := map[int]int{}
	for _, s := range c.Strata {
		counts[s]++
	}
	for i, s := range c.Strata {
		if counts[s] == 10 && (len(rows) == 0 || c.Strata[rows[0]] == s) {
			rows = append(rows, i)
		}
	}
	if len(rows) != 10 {
		t.Fatalf("found %d rows", len(rows))
	}
	p := len(c.Names)
	x := mat.NewDense(len(rows), p, nil)
	y := make([]float64, len(rows))
	st := make([]int, len(rows))
	cases := 0
	for a, i := range rows {
		x.SetRow(a, c.X[i])
		y[a] = c.Y[i]
		if y[a] == 1 {
			cases++
		}
	}
	cp, _, err := newClogitProblem(x, y, st)
	if err != nil {
		t.Fatal(err)
	}
	beta := []float64{0.7, -0.4, 0.3, 1.1}
	ll, g, negH, err := cp.eval(beta)
	if err != nil {
		t.Fatal(err)
	}
	enum := func(b []float64) float64 {
		eta := make([]float64, len(rows))
		for a := range rows {
			for j := 0; j < p; j++ {
				eta[a] += x.At(a, j) * b[j]
			}
		}
		var num, den float64
		for a := range rows {
			if y[a] == 1 {
				num += eta[a]
			}
		}
		for _, sub := range combin.Combinations(len(rows), cases) {
			var s float64
			for _, a := range sub {
				s += eta[a]
			}
			den += math.Exp(s)
		}
		return num - math.Log(den)
	}
	reftest.Close(t, "loglik vs enumeration", ll, enum(beta), 1e-12, 0)
	for j := 0; j < p; j++ {
		eps := 1e-5
		up := append([]float64(nil), beta...)
		dn := append([]float64(nil), beta...)
		up[j] += eps
		dn[j] -= eps
		fd := (enum(up) - enum(dn)) / (2 * eps)
		if math.Abs(fd-g[j]) > 1e-7 {
			t.Errorf("gradient[%d] = %g, enumeration %g", j, g[j], fd)
		}
		_, gu, _, _ := cp.eval(up)
		_, gd, _, _ := cp.eval(dn)
		for k := 0; k < p; k++ {
			fd2 := -(gu[k] - gd[k]) / (2 * eps)
			if math.Abs(fd2-negH.At(k, j)) > 1e-7 {
				t.Errorf("-H[%d,%d] = %g, difference %g", k, j, negH.At(k, j), fd2)
			}
		}
	}
}

func TestFitConditionalErrors(t *testing.T) {
	c := loadClogitCases(t)[0]
	d := c.design(false)
	n, p := d.X.Dims()
	// A column constant within every matched set (the stratum label
	// itself), as education in infert: R gives NA, we refuse.
	x := mat.NewDense(n, p+1, nil)
	for i := 0; i < n; i++ {
		for j, v := range c.X[i] {
			x.Set(i, j, v)
		}
		x.Set(i, p, float64(c.Strata[i]))
	}
	bad := &Design{X: x, Y: c.Y, Names: append(append([]string(nil), c.Names...), "stratum_label")}
	if _, err := FitConditional(bad, c.Strata, Options{}); err == nil || !strings.Contains(err.Error(), "stratum_label") {
		t.Errorf("constant-within-set column: err %v", err)
	}
	if _, err := FitConditional(d, c.Strata[:10], Options{}); err == nil {
		t.Error("short strata: want error")
	}
	// Every row its own stratum: no set has both cases and controls.
	own := make([]int, n)
	for i := range own {
		own[i] = i
	}
	if _, err := FitConditional(d, own, Options{}); err == nil {
		t.Error("singleton sets: want error")
	}
	// The outcome itself as covariate: the conditional MLE is +∞.
	inf := mat.NewDense(n, 1, nil)
	inf.SetCol(0, c.Y)
	if _, err := FitConditional(&Design{X: inf, Y: c.Y, Names: []string{"case"}}, c.Strata, Options{}); err == nil {
		t.Error("infinite conditional MLE: want error")
	}
	if _, err := FitConditional(d, c.Strata, Options{Level: 1.5}); err == nil {
		t.Error("level 1.5: want error")
	}
	one := &Design{X: mat.NewDense(n, 1, nil), Y: c.Y, Names: []string{"(Intercept)"}}
	for i := 0; i < n; i++ {
		one.X.Set(i, 0, 1)
	}
	if _, err := FitConditional(one, c.Strata, Options{}); err == nil {
		t.Error("intercept only: want error")
	}
}
