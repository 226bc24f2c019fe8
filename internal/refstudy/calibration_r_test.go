package refstudy_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/logit"
	"gonum.org/v1/gonum/stat/distuv"
)

// The calibration's figures are ccstudy's; these tests tie them to R's.
// testdata/reference/calibration/calibration.R has this file's
// TestCalibrationDump write the simulated studies as CSVs, fits them with
// glm (anova's likelihood-ratio test of each interaction under the null
// DGP, confint.default's Wald limits under the true DGP) and commits the
// results; TestCalibrationAgreesWithR redraws the same studies and
// compares fit by fit. If the type-I error or a coverage is off target,
// R measures the same on the same studies: it is a property of the
// method at this design, not of the implementation.
var calibrateDump = flag.String("calibrate.dump", "", "write the first -calibrate.n studies of both DGPs as CSVs into this folder (for calibration.R)")

func simulatedCSV(i int, null bool) ([]byte, error) {
	var sim *refstudy.Simulated
	var err error
	if null {
		sim, err = refstudy.SimulateWithSlopes(studyOptions(i, streamCalibNull), refstudy.NullInteractionCoefficients())
	} else {
		sim, err = refstudy.Simulate(studyOptions(i, streamCalibTrue))
	}
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = sim.WriteCompanies(&buf)
	return buf.Bytes(), err
}

// TestCalibrationDump writes the studies calibration.R reads.
func TestCalibrationDump(t *testing.T) {
	if *calibrateDump == "" || *calibrateN <= 0 {
		t.Skip("run with -calibrate.dump=DIR -calibrate.n=500 (calibration.R does)")
	}
	if err := os.MkdirAll(*calibrateDump, 0o755); err != nil {
		t.Fatal(err)
	}
	type truth struct {
		Term  []string  `json:"term"`
		LogOR []float64 `json:"log_or"`
	}
	var tr truth
	for _, c := range refstudy.TrueCoefficients() {
		tr.Term = append(tr.Term, rName(c.Term))
		tr.LogOR = append(tr.LogOR, c.LogOR)
	}
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*calibrateDump, "truth.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < *calibrateN; i++ {
		for _, null := range []bool{false, true} {
			b, err := simulatedCSV(i, null)
			if err != nil {
				t.Fatalf("study %d: %v", i, err)
			}
			name := fmt.Sprintf("true_%03d.csv", i)
			if null {
				name = fmt.Sprintf("null_%03d.csv", i)
			}
			if err := os.WriteFile(filepath.Join(*calibrateDump, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// calibR is calibration.R's output.
type calibR struct {
	Studies      int      `json:"studies"`
	Interactions []string `json:"interactions"`
	Null         []struct {
		Study     int       `json:"study"`
		Converged bool      `json:"converged"`
		Boundary  bool      `json:"boundary"`
		Separated bool      `json:"separated"`
		LR        []float64 `json:"lr"`
		DF        []int     `json:"df"`
		P         []float64 `json:"p"`
		// PAuto is the test --method auto makes: P where the MLE exists,
		// Firth's penalized LR test where the full model is separated.
		PAuto []reftest.Num `json:"p_auto"`
	} `json:"null"`
	True []struct {
		Study     int       `json:"study"`
		Converged bool      `json:"converged"`
		Boundary  bool      `json:"boundary"`
		Separated bool      `json:"separated"`
		Names     []string  `json:"names"`
		Estimate  []float64 `json:"estimate"`
		ConfLow   []float64 `json:"conf_low"`
		ConfHigh  []float64 `json:"conf_high"`
		Deviance  float64   `json:"deviance"`
	} `json:"true"`
	TypeI []struct {
		Interaction       string  `json:"interaction"`
		Rejected          int     `json:"rejected"`
		Tested            int     `json:"tested"`
		Rate              float64 `json:"rate"`
		RejectedMLEExists int     `json:"rejected_mle_exists"`
		RejectedAuto      int     `json:"rejected_auto"`
		TestedMLEExists   int     `json:"tested_mle_exists"`
	} `json:"type_i"`
	WaldCoverage []struct {
		Term    string  `json:"term"`
		LogOR   float64 `json:"log_or"`
		Covered int     `json:"covered"`
		Studies int     `json:"studies"`
	} `json:"wald_coverage"`
}

// rName is R's model.matrix name of a ccstudy term:
// company_type[traditional]:novelty[fast_follow] ->
// company_typetraditional:noveltyfast_follow.
func rName(term string) string {
	return strings.NewReplacer("[", "", "]", "").Replace(term)
}

// TestCalibrationAgreesWithR redraws the first studies of both DGPs and
// checks, where neither R nor ccstudy saw separation, that ccstudy's
// likelihood-ratio statistics and Wald limits are R's to 1e-6.
func TestCalibrationAgreesWithR(t *testing.T) {
	if testing.Short() {
		t.Skip("redraws and fits 60 simulated studies (seconds)")
	}
	if raceEnabled {
		t.Skip("60 simulated studies take minutes under -race")
	}
	var ref calibR
	reftest.Load(t, "testdata/reference/calibration/calibration.json", &ref)
	const first = 30
	if len(ref.Null) < first || len(ref.True) < first {
		t.Fatalf("reference has %d null and %d true studies, want >= %d", len(ref.Null), len(ref.True), first)
	}
	compared, firthCompared := 0, 0
	for i := 0; i < first; i++ {
		// Null DGP: the LR test of each interaction.
		r := ref.Null[i]
		if r.Study != i {
			t.Fatalf("null reference %d is study %d", i, r.Study)
		}
		var st calibStudy
		if err := nullStudy(i, &st); err != nil {
			t.Fatalf("null study %d: %v", i, err)
		}
		if r.Separated != st.NullSeparated {
			t.Errorf("null study %d: ccstudy separation %v, R %v", i, st.NullSeparated, r.Separated)
		}
		if r.Separated && st.NullSeparated {
			for j := range calibInteractions {
				want := float64(r.PAuto[j])
				if math.IsNaN(want) || math.IsNaN(st.NullPAuto[j]) {
					t.Errorf("null study %d, %s: Firth test p %g, R %g", i, calibInteractions[j], st.NullPAuto[j], want)
					continue
				}
				reftest.Close(t, fmt.Sprintf("null study %d %s Firth p", i, calibInteractions[j]), st.NullPAuto[j], want, 1e-6, 1e-10)
				compared++
				firthCompared++
			}
		}
		if r.Converged && !r.Separated && !st.NullSeparated {
			for j := range calibInteractions {
				if st.NullDF[j] != r.DF[j] {
					t.Errorf("null study %d, %s: df %d, R %d", i, calibInteractions[j], st.NullDF[j], r.DF[j])
				}
				want := distPFromLR(r.LR[j], r.DF[j])
				reftest.Close(t, fmt.Sprintf("null study %d %s p", i, calibInteractions[j]), st.NullP[j], want, 1e-6, 1e-10)
				compared++
			}
		}
		// True DGP: Wald limits of every coefficient.
		tr := ref.True[i]
		tab, err := loadStudyCSV(i, false)
		if err != nil {
			t.Fatalf("true study %d: %v", i, err)
		}
		ml, err := fitStudy(tab, refstudy.TrueFormula, logit.MethodMLE, logit.CIWald)
		if err != nil {
			t.Fatalf("true study %d: %v", i, err)
		}
		sep := len(ml.Separation) > 0 || logit.HasWarning(ml.Warnings, logit.WarnSeparationCheck)
		if tr.Separated != sep {
			t.Errorf("true study %d: ccstudy separation %v, R %v", i, sep, tr.Separated)
		}
		if !tr.Converged || tr.Separated || sep {
			continue
		}
		if len(ml.Terms) != len(tr.Names) {
			t.Fatalf("true study %d: %d terms, R %d", i, len(ml.Terms), len(tr.Names))
		}
		reftest.Close(t, fmt.Sprintf("true study %d deviance", i), ml.Deviance, tr.Deviance, 1e-6, 1e-9)
		for j, term := range ml.Terms {
			if j > 0 && rName(term.Term) != tr.Names[j] {
				t.Fatalf("true study %d: term %d is %s, R's %s", i, j, term.Term, tr.Names[j])
			}
			reftest.Close(t, fmt.Sprintf("true study %d %s estimate", i, term.Term), term.Estimate, tr.Estimate[j], 1e-6, 1e-9)
			// The limits are estimate ∓ z·SE on both sides; a limit near 0
			// has no useful relative error, so the SE (their half-width
			// over z) is compared, and the estimate above.
			reftest.Close(t, fmt.Sprintf("true study %d %s Wald half-width", i, term.Term), (term.ConfHigh-term.ConfLow)/2, (tr.ConfHigh[j]-tr.ConfLow[j])/2, 1e-6, 1e-9)
			compared++
		}
	}
	if firthCompared == 0 {
		t.Errorf("no separated null study among the first %d: the Firth default test was not compared with R", first)
	}
	if compared < 100 {
		t.Errorf("only %d quantities compared with R; the studies without separation are too few for the test to mean anything", compared)
	}
}

func loadStudyCSV(i int, null bool) (*dataset.Table, error) {
	b, err := simulatedCSV(i, null)
	if err != nil {
		return nil, err
	}
	schema, err := refstudy.Schema("companies")
	if err != nil {
		return nil, err
	}
	return dataset.Load(bytes.NewReader(b), "simulated.csv", schema, dataset.LoadOptions{})
}

// distPFromLR is the chi-square upper tail the calibration uses, so the
// comparison is of the statistic through the same monotone map.
func distPFromLR(lr float64, df int) float64 {
	return distuv.ChiSquared{K: float64(df)}.Survival(math.Max(0, lr))
}

// writeRSection adds to testdata/calibration.md what R measured on the
// same studies (calibration.json): its separation verdicts, its
// likelihood-ratio test's rejections and its Wald coverage, beside
// ccstudy's. It reads the committed R output; nothing is typed in.
func writeRSection(b *strings.Builder, s calibSummary) error {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reference", "calibration", "calibration.json"))
	if err != nil {
		return fmt.Errorf("R's calibration output (run testdata/reference/calibration/calibration.R): %w", err)
	}
	var ref calibR
	if err := json.Unmarshal(raw, &ref); err != nil {
		return err
	}
	nullSep, trueSep := 0, 0
	for _, st := range ref.Null {
		if st.Separated {
			nullSep++
		}
	}
	for _, st := range ref.True {
		if st.Separated {
			trueSep++
		}
	}
	fmt.Fprintf(b, "\n## R on the same studies\n\n")
	fmt.Fprintf(b, "testdata/reference/calibration/calibration.R fits the first %d studies of each DGP with R's `glm` (default control). "+
		"It finds separation independently of ccstudy's linear program (a coefficient that keeps growing as glm is allowed more iterations): "+
		"in %d null-DGP and %d true-DGP studies (ccstudy: %d and %d of %d).\n\n", ref.Studies, nullSep, trueSep, s.nullSeparated, s.separated, s.n)
	fmt.Fprintf(b, "| interaction | R: ML rejected (all studies) | R: ML rejected (MLE exists) | R: default test rejected (Firth where separated) |\n|---|---:|---:|---:|\n")
	for _, t := range ref.TypeI {
		fmt.Fprintf(b, "| `%s` | %d / %d (%.1f%%) | %d / %d (%.1f%%) | %d / %d (%.1f%%) |\n", t.Interaction, t.Rejected, t.Tested, 100*float64(t.Rejected)/float64(t.Tested),
			t.RejectedMLEExists, t.TestedMLEExists, 100*float64(t.RejectedMLEExists)/float64(t.TestedMLEExists),
			t.RejectedAuto, t.Tested, 100*float64(t.RejectedAuto)/float64(t.Tested))
	}
	fmt.Fprintf(b, "\n| slope | R: Wald coverage (MLE exists) | studies |\n|---|---:|---:|\n")
	for _, w := range ref.WaldCoverage {
		fmt.Fprintf(b, "| `%s` | %.1f | %d |\n", w.Term, 100*float64(w.Covered)/float64(w.Studies), w.Studies)
	}
	fmt.Fprintf(b, "\nThe test of the likelihood ratio above is R's `anova(reduced, full, test = \"LRT\")`; where R and ccstudy both find the MLE exists, "+
		"TestCalibrationAgreesWithR checks study by study that the statistics and Wald limits are R's to 1e-6.\n")
	return nil
}
