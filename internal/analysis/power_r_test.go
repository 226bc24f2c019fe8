package analysis

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/logit"
)

// The likelihood-ratio tests of `ccstudy power --test lr|firth-lr` are
// checked against R on the same simulated studies: TestPowerLRDump writes
// the first powerRStudies studies of the reference design (the DGP, 90
// cases and 90 controls, seed powerRSeed) as design-matrix CSVs, which
// testdata/reference/power/power_lr.R fits with glm (anova(reduced, full,
// test = "LRT")) and with Firth's penalized likelihood from its definition
// (penalized_profile.R's pl_max with the term's columns fixed at 0), and
// TestPowerLRAgreesWithR redraws them.
var powerDump = flag.String("power.dump", "", "write the studies power_lr.R reads into this folder")

const (
	powerRStudies  = 200
	powerRCompared = 50
	powerRSeed     = 20211
	powerRCases    = 90
)

// powerRStudy draws study j of the R check, as SimulatePower draws it.
func powerRStudy(j int) (*logit.Design, error) {
	rng := rand.New(rand.NewPCG(StreamSeed(powerRSeed, StreamPower), uint64(j)))
	return DGPModel{}.Draw(rng, powerRCases, powerRCases)
}

// TestPowerLRDump writes study_000.csv … (the design's columns, then y)
// and design.json (the term structure) for power_lr.R.
func TestPowerLRDump(t *testing.T) {
	if *powerDump == "" {
		t.Skip("run with -power.dump=DIR (power_lr.R does)")
	}
	if err := os.MkdirAll(*powerDump, 0o755); err != nil {
		t.Fatal(err)
	}
	names, assign, groups := DGPModel{}.TermGroups()
	b, err := json.Marshal(map[string]any{"names": names, "assign": assign, "groups": groups,
		"studies": powerRStudies, "cases": powerRCases, "controls": powerRCases, "seed": powerRSeed, "alpha": 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*powerDump, "design.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for j := range powerRStudies {
		d, err := powerRStudy(j)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for c := range d.Names {
			fmt.Fprintf(&sb, "x%d,", c+1)
		}
		sb.WriteString("y\n")
		n, p := d.X.Dims()
		for i := range n {
			for c := range p {
				sb.WriteString(strconv.FormatFloat(d.X.At(i, c), 'g', -1, 64))
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatFloat(d.Y[i], 'g', -1, 64))
			sb.WriteByte('\n')
		}
		if err := os.WriteFile(filepath.Join(*powerDump, fmt.Sprintf("study_%03d.csv", j)), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// powerLRRef is power_lr.R's output.
type powerLRRef struct {
	Studies int      `json:"studies"`
	Alpha   float64  `json:"alpha"`
	Terms   []string `json:"terms"`
	DF      []int    `json:"df"`
	LR      struct {
		Failed   []bool       `json:"failed"`
		P        [][]*float64 `json:"p"`
		Rejected []int        `json:"rejected"`
	} `json:"lr"`
	Firth struct {
		Failed   []bool       `json:"failed"`
		P        [][]*float64 `json:"p"`
		Rejected []int        `json:"rejected"`
	} `json:"firth"`
}

// TestPowerLRAgreesWithR recomputes the studies of the R check: the
// first powerRCompared studies' p-values of both likelihood-ratio tests
// (relative 1e-6), and over all powerRStudies studies each study's
// verdict (fitted or failed) and the number of rejections of each term
// (exactly). One difference is known and allowed: after glm's stopping
// rule logit.Fit takes Newton steps to the MLE, which under quasi-complete
// separation carry fitted probabilities past glm's 0-or-1 threshold, so a
// few separated studies glm fits without a warning fail by ccstudy's rule
// (PowerFailureRule). Such a study must be separated by ccstudy's linear
// program and flagged fitted_0_1; the rejections are then compared over
// the studies both fitted.
func TestPowerLRAgreesWithR(t *testing.T) {
	var ref powerLRRef
	reftest.Load(t, "testdata/reference/power/power_lr.json", &ref)
	if ref.Studies != powerRStudies || len(ref.LR.P) != powerRStudies || len(ref.Firth.P) != powerRStudies {
		t.Fatalf("reference has %d studies (%d, %d p-value rows), want %d", ref.Studies, len(ref.LR.P), len(ref.Firth.P), powerRStudies)
	}
	terms, err := powerTermsOf(DGPModel{})
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != len(ref.Terms) {
		t.Fatalf("%d terms, R %d", len(terms), len(ref.Terms))
	}
	for k, term := range terms {
		if term.Term != ref.Terms[k] || term.DF != ref.DF[k] {
			t.Fatalf("term %d: %s (df %d), R %s (df %d)", k, term.Term, term.DF, ref.Terms[k], ref.DF[k])
		}
	}
	for _, c := range []struct {
		test   PowerTest
		failed []bool
		p      [][]*float64
	}{
		{TestLR, ref.LR.Failed, ref.LR.P},
		{TestFirthLR, ref.Firth.Failed, ref.Firth.P},
	} {
		studies := powerRStudies
		if testing.Short() && c.test == TestFirthLR {
			studies = powerRCompared
		}
		rPValue := func(j, k int) float64 {
			if v := c.p[j][k]; v != nil {
				return *v
			}
			return math.NaN() // R's NA: the reduced fit failed
		}
		compared, onlyOurs := 0, 0
		goRej, rRej := make([]int, len(terms)), make([]int, len(terms))
		for j := range studies {
			d, err := powerRStudy(j)
			if err != nil {
				t.Fatal(err)
			}
			r := testStudy(d, terms, c.test, ref.Alpha)
			for k := range terms {
				if r.sig[k] {
					goRej[k]++
				}
			}
			failed := r.outcome != fitOK
			if failed != c.failed[j] {
				if c.test == TestLR && failed && r.outcome == failFitted01 && r.sep {
					onlyOurs++
					t.Logf("%s study %d: fitted probabilities 0 or 1 after ccstudy's Newton steps (separated); glm stops before, without a warning", c.test, j)
					continue
				}
				t.Errorf("%s study %d: ccstudy outcome %d (separated %v), R failed %v", c.test, j, r.outcome, r.sep, c.failed[j])
				continue
			}
			if failed {
				continue
			}
			for k, term := range terms {
				want := rPValue(j, k)
				if want < ref.Alpha {
					rRej[k]++
				}
				if j >= powerRCompared {
					continue
				}
				if math.IsNaN(want) != math.IsNaN(r.p[k]) {
					t.Errorf("%s study %d %s: p %v, R %v", c.test, j, term.Term, r.p[k], want)
					continue
				}
				if !math.IsNaN(want) {
					reftest.Close(t, fmt.Sprintf("%s study %d %s p", c.test, j, term.Term), r.p[k], want, 1e-6, 1e-12)
					compared++
				}
			}
		}
		t.Logf("%s: %d p-values compared with R over %d studies; %d of %d studies failed only in ccstudy", c.test, compared, powerRCompared, onlyOurs, studies)
		if compared < powerRCompared*len(terms)/2 {
			t.Errorf("%s: only %d p-values compared", c.test, compared)
		}
		if onlyOurs > studies/40 {
			t.Errorf("%s: %d of %d studies failed only in ccstudy (expected a few separated ones at most)", c.test, onlyOurs, studies)
		}
		for k, term := range terms {
			if goRej[k] != rRej[k] {
				t.Errorf("%s %s: %d of %d studies rejected, R %d (over the studies both fitted)", c.test, term.Term, goRej[k], studies, rRej[k])
			}
		}
		if c.test == TestFirthLR && studies == powerRStudies {
			for k := range terms {
				if n := ref.Firth.Rejected[k]; n != rRej[k] {
					t.Errorf("firth-lr %s: R's count %d, its p-values %d", terms[k].Term, n, rRej[k])
				}
			}
		}
		// SimulatePower counts what testStudy decides.
		if studies == powerRStudies {
			res, err := SimulatePower(DGPModel{}, PowerOptions{Cases: []int{powerRCases}, Controls: []int{powerRCases}, Sims: powerRStudies,
				Alpha: ref.Alpha, Seed: powerRSeed, Test: c.test})
			if err != nil {
				t.Fatal(err)
			}
			for k, f := range res.Points[0].Factors {
				if f.Significant != goRej[k] {
					t.Errorf("%s %s: SimulatePower counts %d rejections, the studies %d", c.test, f.Term, f.Significant, goRej[k])
				}
			}
		}
	}
}
