package main

// The determinism sweep (issue 15 item 6): every command's JSON, and the
// files of the commands that write a folder, are byte-identical at
// GOMAXPROCS 1, 2 and 8 and across two runs at each, on the embedded
// study and on a foreign dataset. Narrower checks of the same promise
// live beside the parallel code and are not repeated here:
// logit.TestIRLSDeterministicAcrossGOMAXPROCS, logit/profile_test.go,
// cluster.TestKMeansDeterministicAcrossGOMAXPROCS and
// TestGapDeterministicAcrossGOMAXPROCS, stats/fisher_rxc_test.go (Monte
// Carlo Fisher), TestClusterDeterministicAcrossGOMAXPROCS (the cluster
// command's table output too) and TestPowerSameAtAnyGOMAXPROCS (a power
// curve). This test runs each command with small replicate counts so the
// whole sweep stays well under a minute.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// determinismCase is one command line; outDir names the flag that takes
// a folder whose files are part of the output ("" for none).
type determinismCase struct {
	name   string
	args   []string
	outDir string
	// heavy cases are skipped under -short.
	heavy bool
}

// manifestSeconds matches the report manifest's wall-clock step times,
// which the manifest itself documents as the only part of a report that
// differs between identical runs.
var manifestSeconds = regexp.MustCompile(`"seconds": [0-9.eE+-]+`)

func determinismCases(t *testing.T) []determinismCase {
	small := []string{"--gap-b", "5", "--boot-b", "5", "--nstart", "2", "--k-range", "2:4"}
	pima := []string{"--data", testdataPath("foreign/pima/pima.csv"), "--schema", testdataPath("foreign/pima/pima.schema.json")}
	infert := []string{"--data", testdataPath("reference/logitcmd/infert.csv"), "--schema", testdataPath("reference/logitcmd/infert.schema.json")}
	with := func(a []string, b ...string) []string { return append(slices.Clone(a), b...) }

	// power --from needs a logit JSON of the same data: write it once.
	dir := t.TempDir()
	logitJSON := map[string]string{}
	for name, data := range map[string][]string{"embedded": nil, "pima": pima} {
		p := filepath.Join(dir, name+"-logit.json")
		if _, errOut, code := runCLI(t, "", with(data, "logit", "--ci", "wald", "--format", "json", "-o", p)...); code != 0 {
			t.Fatalf("logit for power --from on %s: exit %d: %s", name, code, errOut)
		}
		logitJSON[name] = p
	}

	cs := []determinismCase{
		{name: "schema infer", args: []string{"schema", "infer", "--outcome", "type", testdataPath("foreign/pima/pima.csv")}},
		{name: "logit strata", args: with(infert, "logit", "--strata", "stratum", "--covariates", "spontaneous,induced")},
		{name: "power exposure", args: []string{"power", "--cases", "40:80:40", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200"}},
		{name: "power dgp", args: []string{"power", "--model", "dgp", "--cases", "60", "--sims", "40"}},
		{name: "simulate", args: []string{"simulate", "--force"}, outDir: "--out-dir"},
	}
	for _, ds := range []struct {
		name string
		data []string
	}{{"embedded", nil}, {"pima", pima}} {
		d := ds.data
		// Pima's schema marks no subgroup field, and subgroup with
		// nothing to split is an error: give it one.
		subgroupArgs := []string{"subgroup"}
		if ds.name == "pima" {
			subgroupArgs = append(subgroupArgs, "--by", "age@median")
		}
		cs = append(cs,
			determinismCase{name: ds.name + " validate", args: with(d, "validate")},
			determinismCase{name: ds.name + " describe", args: with(d, "describe")},
			determinismCase{name: ds.name + " logit profile", args: with(d, "logit")},
			determinismCase{name: ds.name + " logit wald", args: with(d, "logit", "--ci", "wald", "--univariable")},
			determinismCase{name: ds.name + " logit firth", args: with(d, "logit", "--method", "firth"), heavy: ds.name == "embedded"},
			determinismCase{name: ds.name + " cluster", args: with(d, append([]string{"cluster"}, small...)...)},
			determinismCase{name: ds.name + " cluster pam", args: with(d, "cluster", "--algorithm", "pam", "--distance", "gower", "--boot-b", "5", "--k-range", "2:3")},
			determinismCase{name: ds.name + " subgroup", args: with(d, subgroupArgs...)},
			determinismCase{name: ds.name + " power from", args: with(d, "power", "--from", logitJSON[ds.name], "--cases", "50", "--sims", "20")},
			determinismCase{name: ds.name + " report", args: with(d, append([]string{"report", "--force"}, small...)...), outDir: "--out-dir", heavy: true},
		)
	}
	return cs
}

// runDeterminismCase runs c once and returns its standard output followed
// by every file it wrote (sorted by path), so one string comparison
// covers them all.
func runDeterminismCase(t *testing.T, c determinismCase, dir string) string {
	t.Helper()
	args := append(slices.Clone(c.args), "--format", "json", "--quiet")
	if c.outDir != "" {
		args = append(args, c.outDir, dir)
	}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("ccstudy %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	if c.outDir == "" {
		return out
	}
	var b strings.Builder
	b.WriteString(out)
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if e.Name() == "manifest.json" {
			data = manifestSeconds.ReplaceAll(data, []byte(`"seconds": 0`))
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "\n== %s\n%s", rel, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDeterminismEveryCommand: the same command line gives the same bytes
// at GOMAXPROCS 1, 2 and 8, twice at each.
func TestDeterminismEveryCommand(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector slows the sweep tenfold; the per-package GOMAXPROCS tests (see the top of this file) run under -race")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range determinismCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && testing.Short() {
				t.Skip("report and the embedded Firth fit take seconds per run; skipped under -short")
			}
			// One folder for every run: the paths written into the output
			// (the manifest names its folder) are then the same.
			dir := filepath.Join(t.TempDir(), "out")
			var first string
			for _, procs := range []int{1, 2, 8} {
				runtime.GOMAXPROCS(procs)
				for rep := range 2 {
					got := runDeterminismCase(t, c, dir)
					if first == "" {
						first = got
						continue
					}
					if got != first {
						t.Fatalf("GOMAXPROCS %d, run %d differs from GOMAXPROCS 1, run 1:\n%s", procs, rep+1, firstDifference(first, got))
					}
				}
			}
		})
	}
}

// firstDifference shows the first differing line of two outputs.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  first: %.300s\n  now:   %.300s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one output is a prefix of the other (%d and %d lines)", len(la), len(lb))
}
