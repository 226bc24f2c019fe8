package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/refstudy"
)

// refWording is what no output on another study may say (PHASE 2: the
// reference study stays in internal/refstudy).
var refWording = regexp.MustCompile(`(?i:compan|overseas|abroad|thesis|internationali|products|90 cases)|SYNTHETIC`)

var (
	birthwtCSV    = filepath.Join("..", "..", "testdata", "reference", "describe", "birthwt.csv")
	birthwtSchema = filepath.Join("..", "..", "testdata", "reference", "describe", "birthwt.schema.json")
)

// editedSchema writes a copy of the schema file with edit applied to its
// JSON object and returns its path.
func editedSchema(t *testing.T, path string, edit func(map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "edited.schema.json")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// setRole gives the named fields role in a schema object.
func setRole(role string, names ...string) func(map[string]any) {
	return func(m map[string]any) {
		for _, f := range m["fields"].([]any) {
			f := f.(map[string]any)
			for _, n := range names {
				if f["name"] == n {
					f["role"] = role
				}
			}
		}
	}
}

func loadWith(t *testing.T, data, schema string) *Study {
	t.Helper()
	g := &GlobalOptions{IO: &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}, Data: data, Schema: schema}
	st, err := g.LoadStudy()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestProfileNamesTheStudy: the reference profile for the embedded data
// and for a schema equal to the built-in one; the schema's own title,
// name or file name, and the outcome's title or description otherwise.
func TestProfileNamesTheStudy(t *testing.T) {
	emb := loadWith(t, "", "").profile()
	if !emb.st.Reference || emb.title("") != refstudy.Title || emb.notice("") != refstudy.Notice || emb.outcome("") != "going abroad" ||
		strings.Join(emb.subgroups(emb.st.Companies.Schema), ",") != strings.Join(refstudy.DefaultSubgroupSpecs, ",") {
		t.Errorf("embedded profile: title %q notice %q outcome %q", emb.title(""), emb.notice(""), emb.outcome(""))
	}
	// The built-in schema saved to a file and passed back is still the
	// reference study's; the data file is the embedded one byte for byte,
	// so it is synthetic and keeps the notice.
	raw, err := refstudy.SchemaJSON("companies")
	if err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(t.TempDir(), "companies.schema.json")
	if err := os.WriteFile(saved, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	same := loadWith(t, filepath.Join("..", "..", "testdata", "companies.csv"), saved).profile()
	if !same.st.Reference || same.title("") != refstudy.Title || same.notice("") != refstudy.Notice {
		t.Errorf("built-in schema from a file: reference %v title %q notice %q", same.st.Reference, same.title(""), same.notice(""))
	}

	bw := loadWith(t, birthwtCSV, birthwtSchema).profile()
	if bw.st.Reference || bw.title("") != "Risk factors for low birth weight (MASS::birthwt, Baystate Medical Center 1986)" || bw.notice("") != "" ||
		bw.outcome("") != "birth weight below 2.5 kg" || len(bw.subgroups(bw.st.Companies.Schema)) != 0 || bw.caseShareCaption("") != "Share of cases per cluster" {
		t.Errorf("birthwt profile: title %q outcome %q subgroups %v", bw.title(""), bw.outcome(""), bw.subgroups(bw.st.Companies.Schema))
	}
	zh := loadWith(t, birthwtCSV, editedSchema(t, birthwtSchema, func(m map[string]any) {
		m["titles"] = map[string]any{"zh": "低出生体重的危险因素"}
		for _, f := range m["fields"].([]any) {
			if f := f.(map[string]any); f["name"] == "low" {
				f["title"] = "low birth weight"
			}
		}
	})).profile()
	if zh.title("zh-CN") != "低出生体重的危险因素" || zh.title("") != bw.title("") || zh.outcome("") != "low birth weight" {
		t.Errorf("titles by language: %q / %q, outcome %q", zh.title("zh-CN"), zh.title(""), zh.outcome(""))
	}
	untitled := editedSchema(t, birthwtSchema, func(m map[string]any) { delete(m, "title") })
	if got := loadWith(t, birthwtCSV, untitled).profile().title(""); got != "Case-control study: birthwt" {
		t.Errorf("untitled schema: %q", got)
	}
	nameless := editedSchema(t, birthwtSchema, func(m map[string]any) { delete(m, "title"); delete(m, "name") })
	if got := loadWith(t, birthwtCSV, nameless).profile().title("zh"); got != "病例对照研究: birthwt" {
		t.Errorf("nameless schema, in Chinese: %q", got)
	}
}

// TestReportForeignData: a report on another study's data with defaults
// exits 0, is titled by its schema, skips the subgroup step with a note
// (no subgroup roles) and says nothing of the reference study anywhere.
func TestReportForeignData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bw")
	_, errOut, code := runCLI(t, "", append([]string{"report", "--data", birthwtCSV, "--schema", birthwtSchema, "--out-dir", dir, "-q"}, fastReport...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	files := readTree(t, dir)
	md := string(files["report.md"])
	for _, w := range []string{"# ccstudy report: Risk factors for low birth weight (MASS::birthwt, Baystate Medical Center 1986)\n",
		"## 4. Heterogeneity across subgroups\n\n*This step was skipped: " + noSubgroupsNote + ".*\n"} {
		if !strings.Contains(md, w) {
			t.Errorf("report.md lacks %q:\n%s", w, md)
		}
	}
	if !strings.Contains(string(files["figures/forest.svg"]), "Adjusted and crude odds ratios of birth weight below 2.5 kg") {
		t.Error("forest plot not titled by the outcome's description")
	}
	for name, b := range files {
		if strings.HasSuffix(name, ".png") {
			continue
		}
		if m := refWording.Find(b); m != nil {
			t.Errorf("%s mentions the reference study: %q", name, m)
		}
	}
	var man struct {
		Data  []struct{ Role string } `json:"data"`
		Steps []struct{ Name, Status, Reason string }
	}
	if err := json.Unmarshal(files["manifest.json"], &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Data) != 1 || man.Data[0].Role != "data" || man.Steps[3].Status != "skipped" || man.Steps[3].Reason != noSubgroupsNote {
		t.Errorf("manifest data %+v steps %+v", man.Data, man.Steps)
	}
	if _, ok := files["tables/subgroup.json"]; ok {
		t.Error("a skipped step wrote its JSON")
	}
}

// TestSubgroupRoleFields: fields with role "subgroup" are the default
// subgroups of the subgroup command and of the report; without any, the
// command fails (exit 1) saying how to mark them.
func TestSubgroupRoleFields(t *testing.T) {
	schema := editedSchema(t, birthwtSchema, setRole("subgroup", "race", "age"))
	out, errOut, code := runCLI(t, "", "subgroup", "--data", birthwtCSV, "--schema", schema, "--ci", "wald", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Subgroups []struct{ By string } `json:"subgroups"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Subgroups) != 2 || res.Subgroups[0].By != "age@median" || res.Subgroups[1].By != "race" {
		t.Errorf("default subgroups %+v, want age@median and race in field order", res.Subgroups)
	}
	out, errOut, code = runCLI(t, "", append([]string{"report", "--data", birthwtCSV, "--schema", schema, "--format", "json", "-q"}, fastReport...)...)
	var rep struct {
		Steps    []struct{ Name, Status string }
		Subgroup struct {
			Subgroups []struct{ By string } `json:"subgroups"`
		} `json:"subgroup"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, errOut)
	}
	if code != 0 || rep.Steps[3].Status != "ok" || len(rep.Subgroup.Subgroups) != 2 || rep.Subgroup.Subgroups[1].By != "race" {
		t.Errorf("report with subgroup roles: exit %d, steps %+v, subgroups %+v (%s)", code, rep.Steps, rep.Subgroup.Subgroups, errOut)
	}
	// Without subgroup fields the command has nothing to compute: it
	// stops with how to mark them (exit 1), while the report skips its
	// step with a note and its other parts stand.
	out, errOut, code = runCLI(t, "", "subgroup", "--data", birthwtCSV, "--schema", birthwtSchema)
	if code != 1 || out != "" || !strings.Contains(errOut, `"role": "subgroup"`) || !strings.Contains(errOut, "--by VAR@median") {
		t.Errorf("no subgroup fields: exit %d, %s%s", code, out, errOut)
	}
}

// TestProductsNeedReferenceSchema: the products table belongs to the
// reference study; with another schema --products is a usage error
// rather than a message about linking columns.
func TestProductsNeedReferenceSchema(t *testing.T) {
	_, errOut, code := runCLI(t, "", "validate", "--data", birthwtCSV, "--schema", birthwtSchema, "--products", filepath.Join("..", "..", "testdata", "products.csv"))
	if code != exitUsage || !strings.Contains(errOut, "--products is the reference study's products table") {
		t.Errorf("--products with another schema: exit %d, %s", code, errOut)
	}
}
