package main

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestPowerExposureJSON(t *testing.T) {
	var res struct {
		Power           *float64 `json:"power"`
		MCSE            *float64 `json:"mc_se"`
		ClosedFormPower *float64 `json:"closed_form_power"`
		Test            string   `json:"test"`
		Points          []struct {
			Cases, Controls, Sims int
		} `json:"points"`
	}
	runJSON(t, &res, "power", "--cases", "60", "--controls", "120", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200", "--seed", "4")
	if res.Power == nil || res.MCSE == nil || res.ClosedFormPower == nil || res.Test != "wald" {
		t.Fatalf("missing power fields: %+v", res)
	}
	if len(res.Points) != 1 || res.Points[0].Cases != 60 || res.Points[0].Controls != 120 || res.Points[0].Sims != 200 {
		t.Errorf("points: %+v", res.Points)
	}
	out1, _, _ := runCLI(t, "", "power", "--cases", "60", "--controls", "120", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200", "--seed", "4", "--format", "json")
	out2, _, _ := runCLI(t, "", "power", "--cases", "60", "--controls", "120", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200", "--seed", "4", "--format", "json")
	if out1 != out2 {
		t.Error("two runs with one seed differ")
	}
	// Standard error is not a terminal here: no progress bar, no noise.
	if _, errOut, _ := runCLI(t, "", "power", "--cases", "60", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "50"); errOut != "" {
		t.Errorf("stderr not empty off a terminal: %q", errOut)
	}
}

func TestPowerCurveTableAndFigure(t *testing.T) {
	dir := t.TempDir()
	fig := filepath.Join(dir, "curve.svg")
	out, errOut, code := runCLI(t, "", "power", "--cases", "20:60:20", "--ratio", "2", "--exposure-or", "3", "--exposure-prevalence", "0.2", "--sims", "100", "--figure", fig, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"# power", "20,40,exposure", "60,120,exposure", "# target"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if b, err := os.ReadFile(fig); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("figure: %v", err)
	}
}

// TestPowerFigureFormats: --figure takes every format the report's
// figures take, by the file's extension, and --dpi sets a raster
// figure's resolution (a 300-dpi PNG has twice the pixels of 150).
func TestPowerFigureFormats(t *testing.T) {
	dir := t.TempDir()
	args := []string{"power", "--cases", "20:40:20", "--exposure-or", "3", "--exposure-prevalence", "0.2", "--sims", "20", "-q"}
	magic := map[string]string{"svg": "<svg", "pdf": "%PDF-", "png": "\x89PNG", "tiff": "II*\x00", "TIF": "II*\x00"}
	for ext, want := range magic {
		path := filepath.Join(dir, "curve."+ext)
		if _, errOut, code := runCLI(t, "", append(args, "--figure", path)...); code != 0 {
			t.Fatalf("--figure %s: exit %d: %s", path, code, errOut)
		}
		if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b[:min(len(b), 512)]), want) {
			t.Errorf("--figure curve.%s: not a %s file (%v)", ext, ext, err)
		}
	}
	width := func(dpi string) int {
		path := filepath.Join(dir, "w"+dpi+".png")
		if _, errOut, code := runCLI(t, "", append(args, "--figure", path, "--dpi", dpi)...); code != 0 {
			t.Fatalf("--dpi %s: exit %d: %s", dpi, code, errOut)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		c, err := png.DecodeConfig(f)
		if err != nil {
			t.Fatal(err)
		}
		return c.Width
	}
	if w150, w300 := width("150"), width("300"); w300 < 2*w150-2 || w300 > 2*w150+2 {
		t.Errorf("PNG width %d at 300 dpi, %d at 150 dpi: --dpi not applied", w300, w150)
	}
}

// TestPowerFigureSyntheticCaption: the curve of the synthetic DGP says
// so inside the figure; a curve of a design given by numbers does not.
func TestPowerFigureSyntheticCaption(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args    []string
		caption bool
	}{
		{[]string{"--model", "dgp", "--cases", "60:90:30"}, true},
		{[]string{"--cases", "20:40:20", "--exposure-or", "3", "--exposure-prevalence", "0.2"}, false},
	} {
		path := filepath.Join(dir, "curve.svg")
		if _, errOut, code := runCLI(t, "", append([]string{"power", "--sims", "5", "-q", "--figure", path}, c.args...)...); code != 0 {
			t.Fatalf("%q: exit %d: %s", c.args, code, errOut)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), "Synthetic reference data — not the study&#39;s findings"); got != c.caption {
			t.Errorf("%q: caption %v, want %v", c.args, got, c.caption)
		}
	}
}

func TestPowerDGPRuns(t *testing.T) {
	var res struct {
		Model  string `json:"model"`
		Points []struct {
			Factors []struct{ Term string } `json:"factors"`
		} `json:"points"`
	}
	runJSON(t, &res, "power", "--model", "dgp", "--sims", "20")
	if res.Model != "dgp" || len(res.Points) != 1 || len(res.Points[0].Factors) != 16 {
		t.Errorf("dgp result: %+v", res)
	}
}

// TestPowerFromLogitJSON runs the fitted-model design on the embedded
// study's own logit output.
func TestPowerFromLogitJSON(t *testing.T) {
	dir := t.TempDir()
	lj := filepath.Join(dir, "logit.json")
	if _, errOut, code := runCLI(t, "", "logit", "--format", "json", "-o", lj); code != 0 {
		t.Fatalf("logit: exit %d: %s", code, errOut)
	}
	var res struct {
		Model  string `json:"model"`
		Terms  []struct{ Term string }
		Points []struct{ Cases, Controls int } `json:"points"`
	}
	runJSON(t, &res, "power", "--from", lj, "--cases", "90", "--sims", "20")
	if res.Model != "from" || len(res.Terms) != 13 || res.Points[0].Controls != 90 {
		t.Errorf("from result: %+v", res)
	}
	var set struct {
		Terms []struct {
			Term  string
			LogOR float64 `json:"true_log_or"`
		}
	}
	runJSON(t, &set, "power", "--from", lj, "--or", "orphan_drug=3", "--cases", "90", "--sims", "5")
	for _, tm := range set.Terms {
		if tm.Term == "orphan_drug" && math.Abs(tm.LogOR-math.Log(3)) > 1e-15 {
			t.Errorf("--or orphan_drug=3: simulated with log OR %v", tm.LogOR)
		}
	}
	if _, errOut, code := runCLI(t, "", "power", "--from", lj, "--or", "nope=2", "--cases", "90", "--sims", "5"); code != 1 || !strings.Contains(errOut, "orphan_drug") {
		t.Errorf("--or of an unknown term: exit %d: %s", code, errOut)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"models":[{"name":"m","formula":"case ~ listed","terms":[{"term":"(Intercept)","estimate":0},{"term":"nope","estimate":1}]}]}`), 0o644)
	_, errOut, code := runCLI(t, "", "power", "--from", bad, "--cases", "90", "--sims", "5")
	if code != 1 || !strings.Contains(errOut, "listed") {
		t.Errorf("mismatched logit.json: exit %d: %s", code, errOut)
	}
}

func TestPowerUsageErrors(t *testing.T) {
	base := []string{"power", "--cases", "50", "--sims", "10"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--exposure-or", "0", "--exposure-prevalence", "0.3"}, "--exposure-or 0"},
		{[]string{"--exposure-or", "-1", "--exposure-prevalence", "0.3"}, "--exposure-or -1"},
		{[]string{"--exposure-or", "NaN", "--exposure-prevalence", "0.3"}, "--exposure-or NaN"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "1"}, "--exposure-prevalence 1"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0"}, "--exposure-prevalence 0"},
		{[]string{"--exposure-or", "2"}, "go together"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "0"}, "--sims 0"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "2000000"}, "--sims 2000000"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--alpha", "1.5"}, "--alpha 1.5"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--target-power", "0"}, "--target-power 0"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "50:10:5"}, "below FROM"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "50:100"}, "FROM:TO:BY"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "a:100:10"}, "is not a count"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "10:100:0"}, "is not a count"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "1:100000:1"}, "at most"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "10:30:10", "--controls", "10:20:10"}, "as many"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--controls", "10", "--ratio", "2"}, "both given"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--ratio", "0"}, "--ratio 0"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--figure", "x.eps"}, "expected a file name ending in .svg, .png, .pdf, .tiff"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--figure", "x.png", "--dpi", "5000"}, "--dpi 5000 is out of range"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--dpi", "300"}, "without --figure"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--model", "dgp"}, "exactly one design"},
		{[]string{"--model", "true"}, "expected dgp"},
		{nil, "exactly one design"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "100000:1000000:100000", "--sims", "1000000"}, "rows"},
		{[]string{"--from", "-", "--data", "-"}, "standard input"},
		{[]string{"--from", "x.json", "--or", "listed"}, "TERM=OR"},
		{[]string{"--from", "x.json", "--or", "listed=0"}, "TERM=OR"},
		{[]string{"--from", "x.json", "--or", "listed=2", "--or", "listed=3"}, "twice"},
		{[]string{"--model", "dgp", "--or", "listed=2"}, "--from"},
	} {
		_, errOut, code := runCLI(t, "", append(base, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q (expected exit 2 and %q)", c.args, code, errOut, c.want)
		}
	}
}

// TestPowerFromMatchesRSimulation compares `power --from` on the embedded
// study's adjusted model with the same simulation written in R with glm
// (testdata/reference/power/from_model.R, 2000 studies of 90 + 90): per
// term, the two powers differ by less than 4 combined Monte-Carlo SEs.
// R names the columns its own way; they are matched by position, which
// the fitted coefficients (equal to R's at 1e-6) confirm.
func TestPowerFromMatchesRSimulation(t *testing.T) {
	var ref struct {
		Cases, Controls, Sims, Failed int
		Alpha                         float64
		Coefficients                  []struct {
			Term     string
			Estimate float64
		}
		Power []struct {
			Term  string
			Power float64
			MCSE  float64 `json:"mc_se"`
		}
	}
	readReference(t, "power/from_model.json", &ref)
	dir := t.TempDir()
	lj := filepath.Join(dir, "logit.json")
	if _, errOut, code := runCLI(t, "", "logit", "--format", "json", "-o", lj); code != 0 {
		t.Fatalf("logit: exit %d: %s", code, errOut)
	}
	var res struct {
		Terms []struct {
			Term  string
			LogOR float64 `json:"true_log_or"`
		}
		Points []struct {
			Failed  int
			Factors []struct {
				Term  string
				Power float64
				MCSE  float64 `json:"mc_se"`
			}
		}
	}
	runJSON(t, &res, "power", "--from", lj, "--cases", strconv.Itoa(ref.Cases), "--controls", strconv.Itoa(ref.Controls),
		"--sims", strconv.Itoa(ref.Sims), "--alpha", strconv.FormatFloat(ref.Alpha, 'g', -1, 64))
	if len(res.Terms) != len(ref.Power) || len(ref.Coefficients) != len(ref.Power)+1 {
		t.Fatalf("%d terms, R has %d", len(res.Terms), len(ref.Power))
	}
	for i, tm := range res.Terms {
		checkClose(t, tm.Term+" coefficient", tm.LogOR, ref.Coefficients[i+1].Estimate, 1e-6)
		got, want := res.Points[0].Factors[i], ref.Power[i]
		se := math.Hypot(got.MCSE, want.MCSE)
		t.Logf("%-40s Go %.4f (%.4f)  R %.4f (%.4f)", tm.Term, got.Power, got.MCSE, want.Power, want.MCSE)
		if math.Abs(got.Power-want.Power) > 4*se {
			t.Errorf("%s: Go power %.4f, R %.4f (%s): more than 4 combined MC SEs (%.4f) apart", tm.Term, got.Power, want.Power, want.Term, se)
		}
	}
	t.Logf("failed studies: Go %d, R %d of %d", res.Points[0].Failed, ref.Failed, ref.Sims)
}

// TestPowerSameAtAnyGOMAXPROCS: byte-identical JSON at GOMAXPROCS 1, 2 and 8.
func TestPowerSameAtAnyGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first string
	for _, p := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(p)
		out, errOut, code := runCLI(t, "", "power", "--model", "dgp", "--cases", "40:80:40", "--sims", "30", "--seed", "5", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Fatalf("GOMAXPROCS %d changed the output", p)
		}
	}
}

// TestPowerJSONHasData: every design's JSON carries the "data" object of
// every other command; the simulated-only designs say no table was read.
func TestPowerJSONHasData(t *testing.T) {
	for _, args := range [][]string{
		{"power", "--cases", "30", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "5"},
		{"power", "--model", "dgp", "--cases", "40", "--sims", "5"},
	} {
		var res struct {
			Data *struct {
				Path     string `json:"path"`
				RowsRead *int   `json:"rows_read"`
			} `json:"data"`
		}
		runJSON(t, &res, args...)
		if res.Data == nil || res.Data.RowsRead == nil || *res.Data.RowsRead != 0 || !strings.HasPrefix(res.Data.Path, "none: ") {
			t.Errorf("%v: data %+v (expected a path saying no table was read, 0 rows)", args, res.Data)
		}
	}
}

// TestPowerLabelsFromUsersSchema: power --from on a researcher's data
// names each factor by the data's schema (titles; the code stays in the
// JSON "term" and the tidy "term" column, the label beside it), as the
// logit tables do, not by its formula code.
func TestPowerLabelsFromUsersSchema(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join("..", "..", "testdata", "foreign", "pima", "pima.csv")
	schema := filepath.Join("..", "..", "testdata", "foreign", "pima", "pima.schema.json")
	lj := filepath.Join(dir, "logit.json")
	if _, errOut, code := runCLI(t, "", "logit", "--data", data, "--schema", schema, "--formula", "type ~ glu + bmi + age", "--ci", "wald", "--format", "json", "-o", lj); code != 0 {
		t.Fatalf("logit: exit %d: %s", code, errOut)
	}
	args := []string{"power", "--from", lj, "--data", data, "--schema", schema, "--cases", "60", "--sims", "10", "--target-power", "0.5"}
	var res struct {
		Terms []struct{ Term, Label string }
	}
	runJSON(t, &res, args...)
	want := map[string]string{"glu": "plasma glucose", "bmi": "body mass index", "age": "age"}
	if len(res.Terms) != 3 {
		t.Fatalf("terms %+v", res.Terms)
	}
	for _, tm := range res.Terms {
		if tm.Label != want[tm.Term] {
			t.Errorf("term %s labelled %q, want %q", tm.Term, tm.Label, want[tm.Term])
		}
	}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 || !strings.Contains(out, "plasma glucose") || !strings.Contains(out, "body mass index") {
		t.Errorf("text table: exit %d: %s\n%s", code, errOut, out)
	}
	csv, _, _ := runCLI(t, "", append(args, "--format", "csv")...)
	if !strings.Contains(csv, ",glu,plasma glucose,") {
		t.Errorf("tidy CSV lacks the code beside its label:\n%s", csv)
	}
}
