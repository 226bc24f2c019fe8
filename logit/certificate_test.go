package logit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// bitsEqual reports whether a and b hold the same values, floats compared
// by their bits (so NaN equals NaN and −0 differs from +0), pointers by
// what they point to. It returns the path of the first difference.
func bitsEqual(a, b reflect.Value, path string) (bool, string) {
	if a.IsValid() != b.IsValid() {
		return false, path
	}
	if !a.IsValid() {
		return true, ""
	}
	if a.Type() != b.Type() {
		return false, path + " (type)"
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float()), path
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil(), path
		}
		return bitsEqual(a.Elem(), b.Elem(), path)
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && (a.IsNil() != b.IsNil() || a.Len() != b.Len()) {
			return false, path + " (length or nil)"
		}
		for i := 0; i < a.Len(); i++ {
			if ok, p := bitsEqual(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); !ok {
				return false, p
			}
		}
		return true, ""
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if ok, p := bitsEqual(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); !ok {
				return false, p
			}
		}
		return true, ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return false, path + " (map length)"
		}
		for _, k := range a.MapKeys() {
			if ok, p := bitsEqual(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); !ok {
				return false, p
			}
		}
		return true, ""
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return a.IsNil() == b.IsNil(), path
	default:
		// bool, ints, strings: unexported fields need no Interface call.
		switch a.Kind() {
		case reflect.Bool:
			return a.Bool() == b.Bool(), path
		case reflect.String:
			return a.String() == b.String(), path
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return a.Int() == b.Int(), path
		default:
			return a.Uint() == b.Uint(), path
		}
	}
}

// certDesigns are the public-data reference designs (R's model matrices)
// and simulated ones: near and at separation, sparse binary columns,
// factors with rare levels, large units, tiny n.
func certDesigns(t *testing.T) []sepRef {
	out := allSeparationDesigns(t)
	for _, name := range append(glmConverged, "mtcars_separated") {
		r := glmLoadRef(t, name)
		out = append(out, sepRef{name: "glm/" + name, d: r.design()})
	}
	for _, c := range loadFirthCases(t) {
		out = append(out, sepRef{name: "firth/" + c.Name, d: c.design()})
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	for k := 0; k < 150; k++ {
		n := []int{6, 12, 30, 80, 300, 2000}[k%6]
		p := 1 + rng.IntN(5)
		scale := []float64{0.3, 1, 3, 10, 40}[rng.IntN(5)]
		x := mat.NewDense(n, p+1, nil)
		y := make([]float64, n)
		names := []string{"(Intercept)"}
		assign := []int{0}
		groups := []string{"(Intercept)"}
		for j := 1; j <= p; j++ {
			names = append(names, fmt.Sprintf("x%d", j))
			assign = append(assign, j)
			groups = append(groups, fmt.Sprintf("x%d", j))
		}
		beta := make([]float64, p+1)
		for j := range beta {
			beta[j] = scale * rng.NormFloat64() / float64(p)
		}
		kind := rng.IntN(4)
		for i := 0; i < n; i++ {
			x.Set(i, 0, 1)
			eta := beta[0]
			for j := 1; j <= p; j++ {
				var v float64
				switch {
				case kind == 1 && j == 1: // a rare binary column
					if rng.Float64() < 0.05 {
						v = 1
					}
				case kind == 2: // large units
					v = 1000 + 50*rng.NormFloat64()
				case kind == 3 && j%2 == 0: // a three-level count
					v = float64(rng.IntN(3))
				default:
					v = rng.NormFloat64()
				}
				x.Set(i, j, v)
				if kind == 2 {
					eta += beta[j] * (v - 1000) / 50
				} else {
					eta += beta[j] * v
				}
			}
			if rng.Float64() < 1/(1+math.Exp(-eta)) {
				y[i] = 1
			}
		}
		y[0], y[1] = 0, 1 // both outcomes present
		out = append(out, sepRef{name: fmt.Sprintf("sim%d/n%d/p%d/kind%d", k, n, p, kind),
			d: &Design{X: x, Y: y, Names: names, Assign: assign, Groups: groups}})
	}
	return out
}

// mleExists may skip the linear program only where the program finds no
// separation. On every design the program calls separated, no fitted
// values are a proof: neither the ML iteration's (diverging or stopped
// by glm's criterion) nor Firth's, which are interior and nearly
// balanced but solve another score equation, nor random interior ones.
func TestMLEExistsNeverOnSeparatedData(t *testing.T) {
	separated := 0
	for _, c := range certDesigns(t) {
		sep, err := DetectSeparation(c.d)
		if err != nil || !sep.Separated || len(sep.Aliased) > 0 {
			continue
		}
		separated++
		var mus [][]float64
		if f, err := irlsML(c.d, withDefaults(Options{}), true); err == nil {
			mus = append(mus, f.mu)
		}
		if m, err := FitFirth(c.d, Options{CI: CIWald}); err == nil {
			mus = append(mus, m.Fitted)
		}
		rng := rand.New(rand.NewPCG(7, uint64(len(c.d.Y))))
		mu := make([]float64, len(c.d.Y))
		for i := range mu {
			mu[i] = 0.01 + 0.98*rng.Float64()
		}
		mus = append(mus, mu)
		for k, mu := range mus {
			if mleExists(c.d.X, c.d.Y, mu) {
				t.Errorf("%s: fitted values %d prove an MLE the linear program says does not exist", c.name, k)
			}
		}
	}
	if separated < 20 {
		t.Fatalf("only %d separated designs: the test checks too little", separated)
	}
}

// On data the program calls not separated, a converged fit is its own
// proof (so FitAuto skips the program), and FitAuto's model is, bit for
// bit, the one it gives when the program decides.
func TestFitAutoCertificateSameAsLinearProgram(t *testing.T) {
	certified, notSeparated := 0, 0
	for _, c := range certDesigns(t) {
		for _, ci := range []CI{CIWald, CIProfile} {
			if ci == CIProfile && len(c.d.Y) > 300 {
				continue // the profiles of the 2000-row designs add time, not cases
			}
			opts := Options{CI: ci}
			got, gerr := fitAuto(c.d, opts, separationConfig{})
			want, werr := fitAuto(c.d, opts, separationConfig{lpOnly: true})
			if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
				t.Fatalf("%s %s: error %v, with the program first %v", c.name, ci, gerr, werr)
			}
			if gerr != nil {
				continue
			}
			if ok, path := bitsEqual(reflect.ValueOf(got), reflect.ValueOf(want), "Model"); !ok {
				t.Errorf("%s %s: models differ at %s", c.name, ci, path)
			}
			if ci != CIWald {
				continue
			}
			sep, err := DetectSeparation(c.d)
			if err != nil || sep.Separated || len(sep.Aliased) > 0 || sep.DecidedBy != SeparationByLP {
				continue
			}
			notSeparated++
			if _, ok := fitIfMLEExists(c.d, opts); ok {
				certified++
			} else if f, err := irlsML(c.d, withDefaults(opts), true); err == nil && f.converged && !fittedAtBoundary(f.mu) {
				t.Errorf("%s: a converged fit away from 0 and 1 is not its own proof", c.name)
			}
		}
	}
	t.Logf("%d of %d designs without separation proved by their fit", certified, notSeparated)
	if certified < 100 {
		t.Fatalf("only %d designs certified: the fast path is hardly taken", certified)
	}
}
