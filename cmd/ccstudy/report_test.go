package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// fastReport keeps the Monte-Carlo steps small where a test does not
// compare with the committed example.
var fastReport = []string{"--gap-b", "10", "--boot-b", "5", "--nstart", "2", "--k-range", "2:3", "--ci", "wald"}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// stableManifest drops what legitimately differs between two identical
// runs: timings, the command line (it names the folder), the Go version
// and VCS revision of the binary.
func stableManifest(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"command_line", "go_version", "revision"} {
		delete(m, k)
	}
	for _, s := range m["steps"].([]any) {
		delete(s.(map[string]any), "seconds")
	}
	return m
}

func compareReports(t *testing.T, got, want map[string][]byte, what string) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		g, ok := got[n]
		switch {
		case !ok:
			t.Errorf("%s: %s is missing", what, n)
		case n == "manifest.json":
			a, _ := json.Marshal(stableManifest(t, g))
			b, _ := json.Marshal(stableManifest(t, want[n]))
			if !bytes.Equal(a, b) {
				t.Errorf("%s: manifest.json differs beyond timings", what)
			}
		case !bytes.Equal(g, want[n]):
			t.Errorf("%s: %s differs", what, n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: unexpected file %s", what, n)
		}
	}
}

// TestReportWritesEverything: the out-dir holds the narrative, the
// self-contained page, the tables, the figures and the manifest, and two
// runs are identical apart from the manifest's timings.
func TestReportWritesEverything(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, out := range []string{a, b} {
		if _, errOut, code := runCLI(t, "", append([]string{"report", "--out-dir", out}, fastReport...)...); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	files := readTree(t, a)
	for _, want := range []string{"report.md", "report.html", "manifest.json", "tables/describe.json", "tables/logit_table2.csv",
		"tables/cluster.json", "tables/subgroup.json", "figures/forest.svg", "figures/forest.png", "figures/products_per_year.svg",
		"figures/k_selection.png", "figures/cluster_heatmap.svg", "figures/case_share.svg"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not written", want)
		}
	}
	// Every figure of the synthetic study says so inside the image.
	for n, b := range files {
		if strings.HasPrefix(n, "figures/") && strings.HasSuffix(n, ".svg") && !strings.Contains(string(b), "Synthetic reference data — not the study&#39;s findings") {
			t.Errorf("%s lacks the synthetic-data caption", n)
		}
	}
	// The forest plots name the terms by the schema's labels.
	if f := string(files["figures/forest.svg"]); !strings.Contains(f, "Company type: Traditional pharma") || strings.Contains(f, "company_type[traditional]") {
		t.Errorf("forest.svg does not label its rows by the schema")
	}
	if f := string(files["figures/subgroup_orphan_drug.svg"]); !strings.Contains(f, "Odds ratio of Orphan-drug status by subgroup") || !strings.Contains(f, "Traditional pharma") {
		t.Errorf("subgroup_orphan_drug.svg does not label its title and strata by the schema")
	}
	md := string(files["report.md"])
	for _, want := range []string{"SYNTHETIC", "Table 1", "Table 2", "figures/forest.png", "Interaction", "Mantel"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	html := string(files["report.html"])
	if !strings.Contains(html, "data:image/svg+xml;base64,") || strings.Contains(html, `src="figures/`) || !strings.Contains(html, "<table>") {
		t.Errorf("report.html is not self-contained with tables and inline figures")
	}
	compareReports(t, readTree(t, b), files, "second run")
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary folders left behind: %d entries", len(entries))
	}
}

// parseOnly runs the command newCmd builds on args with a runF that only
// records the options: flags are parsed and checked, nothing is analysed.
func parseOnly[O any](t *testing.T, newCmd func(*GlobalOptions, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	t.Helper()
	var got *O
	g := &GlobalOptions{IO: &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}}
	cmd := newCmd(g, func(o *O) error { got = o; return nil })
	g.addFlags(cmd)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	if err != nil && got != nil {
		t.Errorf("%q: runF ran although the options were refused: %v", args, err)
	}
	return got, err
}

// TestReportFlags: every pass-through flag reaches its step's options,
// checked as the single commands check them.
func TestReportFlags(t *testing.T) {
	o, err := parseOnly(t, NewCmdReport, "--seed", "5", "--nonnormal", "dev_years,founded_year", "--method", "firth", "--level", "0.9",
		"--ref", "novelty=fast_follow", "--by", "listed", "--by", "rd_expenditure@median", "--exposure", "novelty=first_in_class",
		"--k-range", "2:5", "--cluster-vars", "dev_years,listed", "--gap-b", "20")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.Describe.Nonnormal, ",") != "dev_years,founded_year" {
		t.Errorf("describe nonnormal %q", o.Describe.Nonnormal)
	}
	if l := o.Logit.LogitOptions; l.Method != "firth" || l.Level != 0.9 || !l.Univariable || l.Ref["novelty"] != "fast_follow" {
		t.Errorf("logit options %+v", l)
	}
	if s := o.Subgroup; s.Method != "firth" || s.Level != 0.9 || strings.Join(s.By, "|") != "listed|rd_expenditure@median" || strings.Join(s.Exposures, "|") != "novelty=first_in_class" {
		t.Errorf("subgroup options %+v", s)
	}
	if c := o.Cluster.ClusterOptions; c.KMin != 2 || c.KMax != 5 || c.GapB != 20 || c.Seed != 5 || strings.Join(c.Vars, ",") != "dev_years,listed" {
		t.Errorf("cluster options %+v", c)
	}
}

// folderWithUserFile returns a folder holding a user's notes.txt ("keep me").
func folderWithUserFile(t *testing.T) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// TestReportRefusesBeforeWork: bad pass-through flags (usage, exit 2) and
// an out-dir that cannot take the report (exit 1) are refused before any
// step runs.
func TestReportRefusesBeforeWork(t *testing.T) {
	dir, mine := folderWithUserFile(t)
	for _, c := range []struct {
		args  []string
		usage bool
		msg   string
	}{
		{[]string{"--k-range", "8:2"}, true, "--k-range"},
		{[]string{"--table", "table2"}, true, "report writes every table"},
		{[]string{"--formula", "case ~ novelty", "--covariates", "novelty"}, true, "give --formula or --covariates, not both"},
		{[]string{"--out-dir", dir}, false, "not empty (use --force"},
		{[]string{"--out-dir", mine, "--force"}, false, "not a folder"},
	} {
		_, err := parseOnly(t, NewCmdReport, c.args...)
		var ue usageError
		if err == nil || errors.As(err, &ue) != c.usage || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("report %q: %v (usage error %v); want %q, usage error %v", c.args, err, errors.As(err, &ue), c.msg, c.usage)
		}
	}
	if _, errOut, code := runCLI(t, "", "report", "--table", "table2"); code != 2 || !strings.Contains(errOut, "report writes every table") {
		t.Errorf("report --table: exit %d, %q; want the usage error, exit 2", code, errOut)
	}
	if _, err := parseOnly(t, NewCmdReport, "--out-dir", dir, "--force"); err != nil {
		t.Errorf("--force on a non-empty out-dir: %v", err)
	}
}

// TestReportForce: --force writes the report into a folder holding a
// user's file and leaves that file alone.
func TestReportForce(t *testing.T) {
	dir, mine := folderWithUserFile(t)
	if _, errOut, code := runCLI(t, "", append([]string{"report", "--out-dir", dir, "--force"}, fastReport...)...); code != 0 {
		t.Fatalf("--force: exit %d %s", code, errOut)
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != "keep me" {
		t.Errorf("--force touched a user's file: %v %q", err, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.md")); err != nil {
		t.Errorf("report not written with --force: %v", err)
	}
}

// TestReportFailedStep: a step that fails is marked, the others are
// written, and the exit status is 1.
func TestReportFailedStep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	_, errOut, code := runCLI(t, "", append([]string{"report", "--out-dir", dir, "--cluster-vars", "nonexistent"}, fastReport...)...)
	if code != 1 || !strings.Contains(errOut, "cluster") {
		t.Errorf("exit %d %q", code, errOut)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "This step FAILED") || !strings.Contains(string(md), "Table 2") {
		t.Errorf("report.md does not mark the failed step or lost the others")
	}
}

// TestReportToStdout: without --out-dir the report is printed, in every format.
func TestReportToStdout(t *testing.T) {
	out, errOut, code := runCLI(t, "", append([]string{"report", "--format", "json"}, fastReport...)...)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"data", "describe", "cluster", "logit", "subgroup", "steps"} {
		if _, ok := res[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	out, errOut, code = runCLI(t, "", append([]string{"report"}, fastReport...)...)
	if code != 0 || !strings.Contains(out, "Table 2") || errOut != "" {
		t.Errorf("text report: exit %d, stderr %q", code, errOut)
	}
}

// TestExampleReportIsCurrent regenerates examples/report (make report)
// and fails when the committed copy is stale, so every change of a result
// shows in review. It runs the full default analysis, so it is skipped
// under the race detector; make test runs it in a separate plain step.
func TestExampleReportIsCurrent(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("full default report: run without -race (make test does)")
	}
	dir := filepath.Join(t.TempDir(), "report")
	if _, errOut, code := runCLI(t, "", "report", "--out-dir", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	compareReports(t, readTree(t, dir), readTree(t, filepath.Join("..", "..", "examples", "report")), "examples/report (run make report)")
}
