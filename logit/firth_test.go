package logit

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// firthCase mirrors one entry of testdata/reference/logit/firth/firth.json.
type firthCase struct {
	Name   string      `json:"name"`
	Names  []string    `json:"names"`
	Assign []int       `json:"assign"`
	Groups []string    `json:"groups"`
	X      [][]float64 `json:"x"`
	Y      []float64   `json:"y"`
	Level  float64     `json:"level"`
	Brglm2 struct {
		Estimate      []float64 `json:"estimate"`
		StdError      []float64 `json:"std_error"`
		Statistic     []float64 `json:"statistic"`
		PValue        []float64 `json:"p_value"`
		LogLikelihood float64   `json:"log_likelihood"`
		Deviance      float64   `json:"deviance"`
		NullDeviance  float64   `json:"null_deviance"`
		AIC           float64   `json:"aic"`
		Fitted        []float64 `json:"fitted"`
	} `json:"brglm2"`
	Penalized struct {
		LogLikelihood     float64   `json:"log_likelihood"`
		ConfLow           []float64 `json:"conf_low"`
		ConfHigh          []float64 `json:"conf_high"`
		LRStatistic       []float64 `json:"lr_statistic"`
		LRPValue          []float64 `json:"lr_p_value"`
		ModelLRStatistic  float64   `json:"model_lr_statistic"`
		ModelLRDF         int       `json:"model_lr_df"`
		ModelLRPValue     float64   `json:"model_lr_p_value"`
		NullLogLikelihood float64   `json:"null_log_likelihood"`
	} `json:"penalized"`
	GLM struct {
		Estimate []float64 `json:"estimate"`
		StdError []float64 `json:"std_error"`
	} `json:"glm"`
}

func (c *firthCase) design() *Design {
	n, p := len(c.X), len(c.Names)
	x := mat.NewDense(n, p, nil)
	for i, row := range c.X {
		x.SetRow(i, row)
	}
	return &Design{X: x, Y: append([]float64(nil), c.Y...), Names: c.Names, Assign: c.Assign, Groups: c.Groups}
}

func loadFirthCases(t testing.TB) []firthCase {
	var cs []firthCase
	reftest.Load(t, "testdata/reference/logit/firth/firth.json", &cs)
	if len(cs) == 0 {
		t.Fatal("no reference cases")
	}
	return cs
}

func TestFitFirthAgainstR(t *testing.T) {
	for _, c := range loadFirthCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			m, err := FitFirth(c.design(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Method != MethodFirth || !m.Converged {
				t.Fatalf("method %q converged %v", m.Method, m.Converged)
			}
			if len(m.Terms) != len(c.Names) {
				t.Fatalf("%d terms", len(m.Terms))
			}
			for j, tm := range m.Terms {
				name := c.Name + "/" + c.Names[j]
				if tm.Term != c.Names[j] {
					t.Errorf("term %d named %q", j, tm.Term)
				}
				reftest.Close(t, name+" estimate", tm.Estimate, c.Brglm2.Estimate[j], 1e-6, 0)
				reftest.Close(t, name+" se", tm.StdError, c.Brglm2.StdError[j], 1e-6, 0)
				reftest.Close(t, name+" z", tm.Statistic, c.Brglm2.Statistic[j], 1e-6, 0)
				reftest.Rel(t, name+" p", tm.PValue, c.Brglm2.PValue[j], 1e-6)
				reftest.Close(t, name+" conf_low", tm.ConfLow, c.Penalized.ConfLow[j], 1e-6, 0)
				reftest.Close(t, name+" conf_high", tm.ConfHigh, c.Penalized.ConfHigh[j], 1e-6, 0)
				reftest.Close(t, name+" OR", tm.OddsRatio, math.Exp(c.Brglm2.Estimate[j]), 1e-6, 0)
				if tm.LRStatistic == nil || tm.LRPValue == nil {
					t.Fatalf("%s: no penalized LR test", name)
				}
				reftest.Close(t, name+" LR", *tm.LRStatistic, c.Penalized.LRStatistic[j], 1e-6, 0)
				reftest.Rel(t, name+" LR p", *tm.LRPValue, c.Penalized.LRPValue[j], 1e-6)
			}
			for i, f := range m.Fitted {
				reftest.Close(t, c.Name+" fitted", f, c.Brglm2.Fitted[i], 1e-6, 0)
			}
			reftest.Close(t, c.Name+" loglik", m.LogLikelihood, c.Brglm2.LogLikelihood, 1e-6, 0)
			reftest.Close(t, c.Name+" deviance", m.Deviance, c.Brglm2.Deviance, 1e-6, 0)
			reftest.Close(t, c.Name+" null deviance", m.NullDeviance, c.Brglm2.NullDeviance, 1e-6, 0)
			reftest.Close(t, c.Name+" AIC", m.AIC, c.Brglm2.AIC, 1e-6, 0)
			reftest.Close(t, c.Name+" model LR", m.LRStatistic, c.Penalized.ModelLRStatistic, 1e-6, 0)
			reftest.Rel(t, c.Name+" model LR p", m.LRPValue, c.Penalized.ModelLRPValue, 1e-6)
			if m.LRDF != c.Penalized.ModelLRDF {
				t.Errorf("LR df %d, R %d", m.LRDF, c.Penalized.ModelLRDF)
			}
			if !HasWarning(m.Warnings, WarnPenalized) {
				t.Errorf("warnings %q do not say the estimates are penalized", m.Warnings)
			}
			auc, _, _, err := AUCDeLong(c.Y, c.Brglm2.Fitted, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			reftest.Close(t, c.Name+" AUC of the penalized fitted values", deref(m.AUC), auc, 1e-9, 0)
			if _, err := json.Marshal(m); err != nil {
				t.Errorf("model does not marshal: %v", err)
			}
		})
	}
}

func TestFitFirthWaldCI(t *testing.T) {
	c := loadFirthCases(t)[2]
	m, err := FitFirth(c.design(), Options{CI: CIWald, Level: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	for j, tm := range m.Terms {
		half := (tm.ConfHigh - tm.ConfLow) / 2
		reftest.Close(t, c.Names[j]+" Wald half-width", half, distuv.UnitNormal.Quantile(0.95)*c.Brglm2.StdError[j], 1e-6, 0)
		reftest.Close(t, c.Names[j]+" Wald centre", (tm.ConfHigh+tm.ConfLow)/2, c.Brglm2.Estimate[j], 1e-6, 0)
	}
}

func TestFitFirthErrors(t *testing.T) {
	x := mat.NewDense(4, 3, []float64{1, 1, 2, 1, 2, 4, 1, 3, 6, 1, 4, 8})
	d := &Design{X: x, Y: []float64{0, 1, 0, 1}, Names: []string{"(Intercept)", "a", "b"}}
	if _, err := FitFirth(d, Options{}); err == nil {
		t.Error("collinear columns: want error")
	}
	d.Y = []float64{0, 1, 2, 1}
	if _, err := FitFirth(d, Options{}); err == nil {
		t.Error("outcome 2: want error")
	}
	d.Y = []float64{0, 1}
	if _, err := FitFirth(d, Options{}); err == nil {
		t.Error("length mismatch: want error")
	}
	if _, err := FitFirth(loadFirthCases(t)[0].design(), Options{CI: "bootstrap"}); err == nil {
		t.Error("unknown CI method: want error")
	}
	if _, err := FitFirth(nil, Options{}); err == nil {
		t.Error("nil design: want error")
	}
	x2 := mat.NewDense(2, 1, []float64{1, math.NaN()})
	if _, err := FitFirth(&Design{X: x2, Y: []float64{0, 1}, Names: []string{"(Intercept)"}}, Options{}); err == nil {
		t.Error("NaN in X: want error")
	}
}

// TestFirthHessianFiniteDifference checks the analytic Hessian of the
// penalized log-likelihood against central differences of the modified
// score (the gradient of pl) on the separated and a public dataset.
func TestFirthHessianFiniteDifference(t *testing.T) {
	cs := loadFirthCases(t)
	for _, c := range []firthCase{cs[0], cs[1], cs[3]} {
		d := c.design()
		fp := newFirthProblem(d.X, d.Y)
		beta := append([]float64(nil), c.Brglm2.Estimate...)
		for j := range beta {
			beta[j] += 0.1 * float64(j+1) // off the optimum
		}
		st, err := fp.eval(beta, true)
		if err != nil {
			t.Fatal(err)
		}
		negH := fp.negHessian(st)
		for b := range beta {
			eps := 1e-5 * math.Max(1, math.Abs(beta[b]))
			up := append([]float64(nil), beta...)
			dn := append([]float64(nil), beta...)
			up[b] += eps
			dn[b] -= eps
			su, err1 := fp.eval(up, true)
			sd, err2 := fp.eval(dn, true)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			for a := range beta {
				fd := -(su.score[a] - sd.score[a]) / (2 * eps)
				if math.Abs(fd-negH.At(a, b)) > 1e-5*math.Max(1, math.Abs(fd)) {
					t.Errorf("%s: -H[%d,%d] = %g, finite difference %g", c.Name, a, b, negH.At(a, b), fd)
				}
			}
		}
	}
}
