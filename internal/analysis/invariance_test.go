package analysis

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy"
	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/ccstudy/ccstudy/stats"
)

// Invariance tests (issue 15 item 3): transformations of the data that
// must change the statistics in a known way, or not at all. They catch
// wrong statistics no single example would (an order-dependent sum, a
// scale-dependent step, a reference level hard-wired somewhere), and each
// runs through the whole pipeline: CSV → loader → design → fit. Each
// runs on the embedded study and on public data (testdata/foreign/pbc:
// missing values, a 3-level factor coded as numbers, text categories).

// invData is one data set of the invariance tests.
type invData struct {
	name    string
	csv     []byte
	schema  *dataset.Schema
	formula string
	// scale is a continuous covariate (a plain formula term) to rescale;
	// swap is a two-level factor and its other level, for the
	// reference swap.
	scale, swap, swapTo string
}

func invDatasets(t *testing.T) []invData {
	t.Helper()
	cs, err := refstudy.Schema("companies")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "testdata", "foreign", "pbc")
	pcsv, err := os.ReadFile(filepath.Join(dir, "pbc.csv"))
	if err != nil {
		t.Fatal(err)
	}
	pjson, err := os.ReadFile(filepath.Join(dir, "pbc.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := dataset.ParseSchema(pjson, "pbc.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	out := []invData{
		{name: "embedded", csv: ccstudy.CompaniesCSV, schema: cs, scale: "dev_years", swap: "company_type", swapTo: "traditional"},
		{name: "pbc", csv: pcsv, schema: ps, scale: "albumin", swap: "sex", swapTo: "m"},
	}
	for i := range out {
		if out[i].formula, err = ResolveFormula(out[i].schema, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func (d invData) load(t *testing.T, csv []byte) *dataset.Table {
	t.Helper()
	tab, err := dataset.Load(bytes.NewReader(csv), d.name+".csv", d.schema, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// shuffleCSV permutes the data lines of a CSV whose records are one line
// each (both files are; checked by the row count after loading).
func shuffleCSV(csv []byte, seed uint64) []byte {
	lines := strings.Split(strings.TrimRight(string(csv), "\n"), "\n")
	body := lines[1:]
	rand.New(rand.NewPCG(seed, 1)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	return []byte(strings.Join(lines, "\n") + "\n")
}

func invFit(t *testing.T, tab *dataset.Table, formula string, ref map[string]string, method logit.Method, ci logit.CI) *ModelResult {
	t.Helper()
	o := DefaultLogitOptions()
	o.Method, o.CI, o.Ref = method, ci, ref
	m, err := FitFormula(tab, "invariance", formula, o)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Converged {
		t.Fatalf("fit did not converge: %v", logit.Messages(m.Warnings))
	}
	return m
}

// relErr is |got − want| / |want| (absolute below |want| = 1e-300, where
// the relative error means nothing); equal infinities are 0 apart.
func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	if math.Abs(want) < 1e-300 {
		return math.Abs(got - want)
	}
	return math.Abs(got-want) / math.Abs(want)
}

func checkRel(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if e := relErr(got, want); !(e <= tol) {
		t.Errorf("%s = %.17g, want %.17g (relative error %.2g > %.0e)", what, got, want, e, tol)
	}
}

func termsByName(m *ModelResult) map[string]logit.Term {
	out := map[string]logit.Term{}
	for _, term := range m.Terms {
		out[term.Term] = term
	}
	return out
}

// Tolerances. Reordering rows changes only the order of floating-point
// sums: the estimates, SEs, z and p move in the last digits (the fit is
// polished to the MLE in double precision; the largest change seen was
// 9e-13 relative, an estimate near 0). A profile limit is a root that
// Brent's method finds to an absolute 1e-11 in β (logit's profileXTol;
// Firth's 1e-11·max(1, |limit|)), so a limit may legitimately move by
// that much: limits pass at 1e-12 relative or 1e-10 absolute (the
// largest change seen was 1.5e-12 relative, a Firth lower limit).
// Rescaling and reference swaps change the design, so IRLS takes another
// path to the same MLE: 1e-9 (1e-8 for the limits).
const (
	invTolWald     = 1e-12
	invTolProfile  = 1e-12
	invAbsProfile  = 1e-10
	invTolRescaled = 1e-9 // a different design: a new IRLS path to the same MLE
)

// invSkipShort skips the tests that fit ML and Firth models with profile
// limits several times on both data sets (seconds each) under -short.
func invSkipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("profile-likelihood ML and Firth fits on two data sets, several times (seconds); run without -short")
	}
}

func checkLimit(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) <= invAbsProfile {
		return
	}
	checkRel(t, what, got, want, rel)
}

// TestInvarianceShuffleRows: the order of the rows of the CSV changes no
// estimate, SE, z, p-value or interval of the adjusted model (ML with
// Wald and profile limits, and Firth), nor its fit statistics.
func TestInvarianceShuffleRows(t *testing.T) {
	invSkipShort(t)
	for _, d := range invDatasets(t) {
		t.Run(d.name, func(t *testing.T) {
			orig := d.load(t, d.csv)
			shuf := d.load(t, shuffleCSV(d.csv, 20211))
			if orig.NRows() != shuf.NRows() {
				t.Fatalf("%d rows after the shuffle, %d before", shuf.NRows(), orig.NRows())
			}
			formulas := []string{d.formula}
			if d.name == "embedded" {
				formulas = append(formulas, refstudy.TrueFormula) // with its interactions
			}
			for _, f := range formulas {
				for _, method := range []logit.Method{logit.MethodMLE, logit.MethodFirth} {
					a := invFit(t, orig, f, nil, method, logit.CIProfile)
					b := invFit(t, shuf, f, nil, method, logit.CIProfile)
					if len(a.Terms) != len(b.Terms) {
						t.Fatalf("%d terms after the shuffle, %d before", len(b.Terms), len(a.Terms))
					}
					bt := termsByName(b)
					for _, x := range a.Terms {
						y, ok := bt[x.Term]
						if !ok {
							t.Errorf("%s: term %s lost in the shuffle", method, x.Term)
							continue
						}
						w := fmt.Sprintf("%s %s %s", method, f, x.Term)
						checkRel(t, w+" estimate", y.Estimate, x.Estimate, invTolWald)
						checkRel(t, w+" SE", y.StdError, x.StdError, invTolWald)
						checkRel(t, w+" z", y.Statistic, x.Statistic, invTolWald)
						checkRel(t, w+" p", y.PValue, x.PValue, 1e-10) // p ≈ 1e-10 amplifies z's last digit
						checkLimit(t, w+" conf_low", y.ConfLow, x.ConfLow, invTolProfile)
						checkLimit(t, w+" conf_high", y.ConfHigh, x.ConfHigh, invTolProfile)
					}
					checkRel(t, string(method)+" deviance", b.Deviance, a.Deviance, invTolWald)
					checkRel(t, string(method)+" LR statistic", b.LRStatistic, a.LRStatistic, 1e-10)
					if a.AUC != nil && b.AUC != nil {
						checkRel(t, string(method)+" AUC", *b.AUC, *a.AUC, invTolWald)
					}
				}
			}
		})
	}
}

// TestInvarianceScaleCovariate: multiplying a continuous covariate by c
// divides its coefficient, SE and interval by c and leaves its z, p and
// every other coefficient unchanged.
func TestInvarianceScaleCovariate(t *testing.T) {
	invSkipShort(t)
	for _, d := range invDatasets(t) {
		t.Run(d.name, func(t *testing.T) {
			orig := d.load(t, d.csv)
			for _, c := range []float64{1000, -0.01} {
				scaled := orig.Subset(allRows(orig.NRows()))
				col, ok := scaled.Col(d.scale)
				if !ok {
					t.Fatalf("no column %s", d.scale)
				}
				for i := range col.Num {
					col.Num[i] *= c
				}
				for _, method := range []logit.Method{logit.MethodMLE, logit.MethodFirth} {
					a := invFit(t, orig, d.formula, nil, method, logit.CIProfile)
					b := invFit(t, scaled, d.formula, nil, method, logit.CIProfile)
					bt := termsByName(b)
					for _, x := range a.Terms {
						y := bt[x.Term]
						w := fmt.Sprintf("%s ×%g %s", method, c, x.Term)
						if x.Term != d.scale {
							checkRel(t, w+" estimate", y.Estimate, x.Estimate, invTolRescaled)
							checkRel(t, w+" SE", y.StdError, x.StdError, invTolRescaled)
							continue
						}
						checkRel(t, w+" estimate", y.Estimate, x.Estimate/c, invTolRescaled)
						checkRel(t, w+" SE", y.StdError, x.StdError/math.Abs(c), invTolRescaled)
						checkRel(t, w+" z", y.Statistic, x.Statistic*math.Copysign(1, c), invTolRescaled)
						checkRel(t, w+" p", y.PValue, x.PValue, invTolRescaled)
						lo, hi := x.ConfLow/c, x.ConfHigh/c
						if c < 0 {
							lo, hi = hi, lo
						}
						checkRel(t, w+" conf_low", y.ConfLow, lo, 1e-8)
						checkRel(t, w+" conf_high", y.ConfHigh, hi, 1e-8)
					}
				}
			}
		})
	}
}

func allRows(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	return r
}

// TestInvarianceSwapReference: making the other level of a two-level
// factor the reference negates its coefficient and swaps and negates its
// interval (the OR inverts); the other coefficients do not change.
func TestInvarianceSwapReference(t *testing.T) {
	invSkipShort(t)
	for _, d := range invDatasets(t) {
		t.Run(d.name, func(t *testing.T) {
			tab := d.load(t, d.csv)
			f, _ := d.schema.Field(d.swap)
			if f == nil || len(f.Categories) != 2 {
				t.Fatalf("%s is not a two-level factor", d.swap)
			}
			oldRef := f.Categories[0].Name()
			for _, method := range []logit.Method{logit.MethodMLE, logit.MethodFirth} {
				a := invFit(t, tab, d.formula, nil, method, logit.CIProfile)
				b := invFit(t, tab, d.formula, map[string]string{d.swap: d.swapTo}, method, logit.CIProfile)
				at, bt := termsByName(a), termsByName(b)
				x, ok1 := at[d.swap+"["+d.swapTo+"]"]
				y, ok2 := bt[d.swap+"["+oldRef+"]"]
				if !ok1 || !ok2 {
					t.Fatalf("terms %v / %v", a.Terms, b.Terms)
				}
				w := string(method) + " " + y.Term
				checkRel(t, w+" estimate", y.Estimate, -x.Estimate, invTolRescaled)
				checkRel(t, w+" OR", y.OddsRatio, 1/x.OddsRatio, invTolRescaled)
				checkRel(t, w+" SE", y.StdError, x.StdError, invTolRescaled)
				checkRel(t, w+" p", y.PValue, x.PValue, invTolRescaled)
				checkRel(t, w+" conf_low", y.ConfLow, -x.ConfHigh, 1e-8)
				checkRel(t, w+" conf_high", y.ConfHigh, -x.ConfLow, 1e-8)
				checkRel(t, w+" OR conf_low", y.ORConfLow, 1/x.ORConfHigh, 1e-8)
				for _, xo := range a.Terms {
					if strings.HasPrefix(xo.Term, d.swap+"[") || xo.Term == "(Intercept)" {
						continue
					}
					yo := bt[xo.Term]
					checkRel(t, string(method)+" "+xo.Term+" estimate", yo.Estimate, xo.Estimate, invTolRescaled)
					checkRel(t, string(method)+" "+xo.Term+" SE", yo.StdError, xo.StdError, invTolRescaled)
				}
				// The intercept moves to the other level: β0' = β0 + β.
				checkRel(t, string(method)+" intercept", bt["(Intercept)"].Estimate, at["(Intercept)"].Estimate+x.Estimate, invTolRescaled)
			}
		})
	}
}

// TestInvarianceDuplicateRows: every row twice doubles the information,
// so the ML estimates stay and every Wald SE is divided by √2 (not
// Firth's: its penalty does not double). The doubled table is fitted on
// covariate patterns (each pattern holds two rows), the original on its
// rows, so this also checks the grouped fit against the ungrouped one.
func TestInvarianceDuplicateRows(t *testing.T) {
	for _, d := range invDatasets(t) {
		t.Run(d.name, func(t *testing.T) {
			tab := d.load(t, d.csv)
			rows := make([]int, 0, 2*tab.NRows())
			for i := 0; i < tab.NRows(); i++ {
				rows = append(rows, i, i)
			}
			double := tab.Subset(rows)
			a := invFit(t, tab, d.formula, nil, logit.MethodMLE, logit.CIWald)
			b := invFit(t, double, d.formula, nil, logit.MethodMLE, logit.CIWald)
			if b.N != 2*a.N || b.Events != 2*a.Events {
				t.Fatalf("n %d events %d, want %d and %d", b.N, b.Events, 2*a.N, 2*a.Events)
			}
			bt := termsByName(b)
			for _, x := range a.Terms {
				y := bt[x.Term]
				checkRel(t, x.Term+" estimate", y.Estimate, x.Estimate, invTolRescaled)
				checkRel(t, x.Term+" SE", y.StdError, x.StdError/math.Sqrt2, invTolRescaled)
				checkRel(t, x.Term+" z", y.Statistic, x.Statistic*math.Sqrt2, invTolRescaled)
			}
			checkRel(t, "deviance", b.Deviance, 2*a.Deviance, invTolRescaled)
		})
	}
}

// TestInvarianceStrataOrder: the Mantel-Haenszel OR, its interval and
// test and the Breslow-Day and Woolf homogeneity tests do not depend on
// the order of the strata. The tables are those `ccstudy subgroup`
// builds: orphan_drug by novelty in the embedded study, sex by stage in
// pbc.
func TestInvarianceStrataOrder(t *testing.T) {
	cases := []struct{ data, exposure, by string }{
		{"embedded", "orphan_drug", "novelty"},
		{"pbc", "sex", "stage"},
	}
	ds := invDatasets(t)
	for k, c := range cases {
		d := ds[k]
		t.Run(d.name, func(t *testing.T) {
			tab := d.load(t, d.csv)
			y, _ := tab.Col(d.schema.Outcome())
			x, _ := tab.Col(c.exposure)
			s, _ := tab.Col(c.by)
			if x == nil || s == nil || y == nil {
				t.Fatal("missing column")
			}
			f, _ := d.schema.Field(c.by)
			tables := make([][2][2]float64, len(f.Categories))
			for i := 0; i < tab.NRows(); i++ {
				if x.Missing[i] || s.Missing[i] || y.Missing[i] {
					continue
				}
				row, col := 1, 1
				if x.Num[i] != 0 {
					row = 0
				}
				if y.Num[i] == 1 {
					col = 0
				}
				tables[int(s.Num[i])][row][col]++
			}
			want, err := stats.MantelHaenszel(tables, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if want.Informative < 3 {
				t.Fatalf("only %d informative strata: a weak test", want.Informative)
			}
			rng := rand.New(rand.NewPCG(7, 7))
			for rep := 0; rep < 5; rep++ {
				perm := rng.Perm(len(tables))
				p := make([][2][2]float64, len(tables))
				for i, j := range perm {
					p[i] = tables[j]
				}
				got, err := stats.MantelHaenszel(p, 0.95)
				if err != nil {
					t.Fatal(err)
				}
				w := fmt.Sprintf("order %v", perm)
				checkRel(t, w+" OR_MH", got.OddsRatio, want.OddsRatio, 1e-13)
				checkRel(t, w+" SE log OR_MH", got.SELogOR, want.SELogOR, 1e-13)
				checkRel(t, w+" conf_low", got.ConfLow, want.ConfLow, 1e-13)
				checkRel(t, w+" conf_high", got.ConfHigh, want.ConfHigh, 1e-13)
				checkRel(t, w+" MH chi-square", got.ChiSquare, want.ChiSquare, 1e-13)
				checkRel(t, w+" Breslow-Day", got.BreslowDay, want.BreslowDay, 1e-12)
				checkRel(t, w+" Breslow-Day (Tarone)", got.BreslowDayTarone, want.BreslowDayTarone, 1e-12)
				checkRel(t, w+" Breslow-Day p", got.BreslowDayTaroneP, want.BreslowDayTaroneP, 1e-11)
				checkRel(t, w+" Woolf", got.Woolf, want.Woolf, 1e-12)
				if got.HomogeneityDF != want.HomogeneityDF {
					t.Errorf("%s: df %d, want %d", w, got.HomogeneityDF, want.HomogeneityDF)
				}
			}
		})
	}
}

// TestInvarianceSubgroupShuffle: the whole subgroup analysis (stratum
// fits, interaction LR tests, Mantel-Haenszel) of the embedded study
// does not depend on the order of its rows.
func TestInvarianceSubgroupShuffle(t *testing.T) {
	d := invDatasets(t)[0]
	run := func(csv []byte) *SubgroupResult {
		o := DefaultSubgroupOptions()
		o.CI = logit.CIWald
		o.By = refstudy.DefaultSubgroupSpecs
		r, err := Subgroup(d.load(t, csv), o)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := run(d.csv), run(shuffleCSV(d.csv, 99))
	if len(a.Subgroups) == 0 || len(a.MantelHaenszel) == 0 || len(a.Subgroups) != len(b.Subgroups) || len(a.MantelHaenszel) != len(b.MantelHaenszel) {
		t.Fatalf("%d/%d splits, %d/%d MH analyses", len(a.Subgroups), len(b.Subgroups), len(a.MantelHaenszel), len(b.MantelHaenszel))
	}
	opt := func(what string, x, y *float64) {
		t.Helper()
		if (x == nil) != (y == nil) {
			t.Errorf("%s: %v vs %v", what, x, y)
		} else if x != nil {
			checkRel(t, what, *y, *x, 1e-9)
		}
	}
	tested := 0
	for i, sa := range a.Subgroups {
		sb := b.Subgroups[i]
		for j, ia := range sa.Interactions {
			ib := sb.Interactions[j]
			opt(sa.By+" × "+ia.Term+" LR", ia.LRStatistic, ib.LRStatistic)
			opt(sa.By+" × "+ia.Term+" p", ia.PValue, ib.PValue)
			opt(sa.By+" × "+ia.Term+" Cochran Q", ia.CochranQ, ib.CochranQ)
			if ia.LRStatistic != nil {
				tested++
			}
		}
	}
	for i, ma := range a.MantelHaenszel {
		mb := b.MantelHaenszel[i]
		w := ma.Exposure + " by " + ma.By
		opt(w+" OR_MH", ma.ORMH, mb.ORMH)
		opt(w+" MH chi-square", ma.ChiSquare, mb.ChiSquare)
		opt(w+" Breslow-Day", ma.BreslowDay, mb.BreslowDay)
		opt(w+" Woolf", ma.Woolf, mb.Woolf)
	}
	if tested == 0 {
		t.Error("no interaction was tested")
	}
}
