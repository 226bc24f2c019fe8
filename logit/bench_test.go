package logit

import (
	"bufio"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// glmSimDesign is an n×10 design (intercept + 9 standard-normal columns)
// with a logistic outcome, from a fixed seed.
func glmSimDesign(n int) *Design {
	rng := rand.New(rand.NewPCG(20211, 7))
	p := 10
	x := mat.NewDense(n, p, nil)
	y := make([]float64, n)
	beta := []float64{-0.5, 0.4, -0.3, 0.2, 0.1, 0, 0.25, -0.15, 0.05, 0.3}
	names := []string{"(Intercept)"}
	assign := []int{0}
	groups := []string{"(Intercept)"}
	for j := 1; j < p; j++ {
		name := "x" + string(rune('0'+j))
		names = append(names, name)
		groups = append(groups, name)
		assign = append(assign, j)
	}
	for i := 0; i < n; i++ {
		x.Set(i, 0, 1)
		eta := beta[0]
		for j := 1; j < p; j++ {
			v := rng.NormFloat64()
			x.Set(i, j, v)
			eta += beta[j] * v
		}
		if rng.Float64() < Logistic(eta) {
			y[i] = 1
		}
	}
	return &Design{X: x, Y: y, Names: names, Assign: assign, Groups: groups}
}

func benchFit(b *testing.B, d *Design, opts Options) {
	b.Helper()
	for b.Loop() {
		if _, err := Fit(d, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// R: glm(low ~ ..., birthwt) + confint(fit); see glm_bench.R.
func BenchmarkFitProfileBirthwt(b *testing.B) {
	benchFit(b, glmLoadRef(b, "birthwt").design(), Options{})
}

func BenchmarkFitWaldBirthwt(b *testing.B) {
	benchFit(b, glmLoadRef(b, "birthwt").design(), Options{CI: CIWald})
}

func BenchmarkFitProfileSim20000(b *testing.B) {
	benchFit(b, glmSimDesign(20000), Options{})
}

func BenchmarkFitWaldSim20000(b *testing.B) {
	benchFit(b, glmSimDesign(20000), Options{CI: CIWald})
}

// The IRLS core alone (estimates and covariance) at 10^6 × 10; R's
// glm.fit on the same size takes ~2 s per fit on this machine (issue 14).
func BenchmarkIRLS1e6(b *testing.B) {
	d := glmSimDesign(1_000_000)
	b.ResetTimer()
	for b.Loop() {
		f, err := irls(d.X, d.Y, nil, nil, 1e-8, 25, false)
		if err != nil || !f.converged {
			b.Fatal(err, f.converged)
		}
	}
}

// One whole Fit with Wald intervals at 10^6 × 10: IRLS plus the fit
// statistics (AUC, Hosmer–Lemeshow) and GVIF.
func BenchmarkFitWald1e6(b *testing.B) {
	benchFit(b, glmSimDesign(1_000_000), Options{CI: CIWald})
}

// Profile-likelihood limits of all 10 coefficients at 10^5 × 10, given
// the fitted model.
func BenchmarkProfileCIs1e5(b *testing.B) {
	d := glmSimDesign(100_000)
	m, err := Fit(d, Options{CI: CIWald})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ProfileCIs(d, m, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStepAICBirthwt(b *testing.B) {
	d := glmLoadRef(b, "birthwt").design()
	for b.Loop() {
		if _, err := StepAIC(d, Options{CI: CIWald}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIRLSFromCSV is BenchmarkIRLS1e6's fit (estimates and their
// covariance) on the file named by CCSTUDY_FIT_CSV, a header line and
// then rows of y and the covariates (bench/compare_data.R's wald.csv), so
// that bench/compare.sh can time one fit on the data statsmodels fits
// (bench/statsmodels_fit.py). Without the variable it is skipped.
func BenchmarkIRLSFromCSV(b *testing.B) {
	path := os.Getenv("CCSTUDY_FIT_CSV")
	if path == "" {
		b.Skip("CCSTUDY_FIT_CSV not set")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		b.Fatal(err)
	}
	var data, y []float64
	p := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		p = len(rec)
		for j, s := range rec {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				b.Fatal(err)
			}
			if j == 0 {
				y = append(y, v)
				data = append(data, 1) // the intercept
			} else {
				data = append(data, v)
			}
		}
	}
	x := mat.NewDense(len(y), p, data)
	b.ResetTimer()
	for b.Loop() {
		f, err := irls(x, y, nil, nil, 1e-8, 25, false)
		if err != nil || !f.converged {
			b.Fatal(err, f.converged)
		}
	}
}
