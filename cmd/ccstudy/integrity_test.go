package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccstudy/ccstudy"
)

// TestIntegrityOutputIsNotInput: -o naming the input file, by another
// path or through a link, is a usage error (exit 2) and the input stays.
func TestIntegrityOutputIsNotInput(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "c.csv")
	if err := os.WriteFile(data, ccstudy.CompaniesCSV, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("c.csv", link); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{data, filepath.Join(dir, ".", "c.csv"), link} {
		_, errOut, code := runCLI(t, "", "describe", "--data", data, "-o", out)
		if code != 2 || !strings.Contains(errOut, "never writes over its input") || !strings.Contains(errOut, "--data") {
			t.Errorf("-o %s: exit %d %q", out, code, errOut)
		}
	}
	schema := filepath.Join(dir, "s.json")
	if _, errOut, code := runCLI(t, "", "schema", "-o", schema); code != 0 {
		t.Fatalf("schema: exit %d %s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "", "validate", "--data", data, "--schema", schema, "-o", schema); code != 2 || !strings.Contains(errOut, "--schema") {
		t.Errorf("-o equal to --schema: exit %d %q", code, errOut)
	}
	if b, err := os.ReadFile(data); err != nil || string(b) != string(ccstudy.CompaniesCSV) {
		t.Errorf("the input was changed")
	}
}

// TestIntegrityOutputSpecialFiles: -o to a device or a FIFO writes to it
// in place; the device stays a device and the FIFO's reader gets the
// whole output.
func TestIntegrityOutputSpecialFiles(t *testing.T) {
	if _, errOut, code := runCLI(t, "", "validate", "-o", os.DevNull); code != 0 {
		t.Fatalf("-o %s: exit %d %s", os.DevNull, code, errOut)
	}
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a device: %v", os.DevNull, err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	if _, errOut, code := runCLI(t, "", "validate", "--format", "json", "-o", fifo); code != 0 {
		t.Fatalf("-o FIFO: exit %d %s", code, errOut)
	}
	var res ValidateResult
	if err := json.Unmarshal(<-got, &res); err != nil || res.Summary.Rows != 180 {
		t.Errorf("the FIFO's reader got no whole result: %v", err)
	}
}

// TestVersionFlag: --version prints what `ccstudy version` prints.
func TestVersionFlag(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		want, _, code := runCLI(t, "", "version", "--format", format)
		got, errOut, code2 := runCLI(t, "", "--version", "--format", format)
		if code != 0 || code2 != 0 || got != want || !strings.Contains(got, Version) {
			t.Errorf("--format %s: --version (exit %d, %q, %q) differs from version (exit %d, %q)", format, code2, got, errOut, code, want)
		}
	}
}

// TestRootUsageHints: a bad root flag points to 'ccstudy --help', a bad
// subcommand flag to that subcommand's help, and an unknown completion
// shell is a usage error naming the valid ones.
func TestRootUsageHints(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--frobnicate"}, "(see 'ccstudy --help')"},
		{[]string{"logit", "--methd", "firth"}, "did you mean --method? (see 'ccstudy logit --help')"},
		{[]string{"schema", "infer", "--frob"}, "(see 'ccstudy schema infer --help')"},
		{[]string{"completion", "tcsh"}, `unknown shell "tcsh" for completion (expected one of bash, zsh, fish, powershell`},
	} {
		_, errOut, code := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "ccstudy ccstudy") {
			t.Errorf("%q: exit %d %q, want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if out, errOut, code := runCLI(t, "", "completion", "bash"); code != 0 || !strings.Contains(out, "bash completion") {
		t.Errorf("completion bash: exit %d %q", code, errOut)
	}
}

// TestReportSaysWhatItWrote: report --out-dir ends with one line on
// standard error saying where it wrote what; --quiet silences it; the
// JSON report on standard output says nothing on standard error.
func TestReportSaysWhatItWrote(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	_, errOut, code := runCLI(t, "", append([]string{"report", "--out-dir", dir}, fastReport...)...)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "wrote the report to "+dir+": report.md, report.html, manifest.json, ") || !strings.Contains(last, " files in tables/") {
		t.Errorf("last line on stderr: %q", last)
	}
	_, errOut, code = runCLI(t, "", append([]string{"report", "--out-dir", dir, "--force", "--quiet"}, fastReport...)...)
	if code != 0 || strings.Contains(errOut, "wrote") {
		t.Errorf("--quiet: exit %d %q", code, errOut)
	}
}

// TestIntegrityReportOutDirBeforeWork: a dangling link as out-dir is
// refused by the check that runs before any step.
func TestIntegrityReportOutDirBeforeWork(t *testing.T) {
	base := t.TempDir()
	dangling := filepath.Join(base, "results")
	if err := os.Symlink(filepath.Join(base, "gone"), dangling); err != nil {
		t.Fatal(err)
	}
	if _, err := parseOnly(t, NewCmdReport, "--out-dir", dangling); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("dangling link: %v", err)
	}
}

// checkConsistentReport: dir holds one whole report (every file its
// manifest lists, with that digest, and no other file of the report's)
// plus the user's notes.txt, and no staging folder.
func checkConsistentReport(t *testing.T, dir, what string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Errorf("%s: no manifest: %v", what, err)
		return
	}
	var man struct {
		Files []struct{ Path, SHA256 string }
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Errorf("%s: manifest: %v", what, err)
		return
	}
	listed := map[string]bool{"manifest.json": true, "notes.txt": true}
	for _, f := range man.Files {
		listed[f.Path] = true
		c, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		sum := sha256.Sum256(c)
		if err != nil || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: %s missing or not the manifest's (%v)", what, f.Path, err)
		}
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s: %s is not the report's", what, rel)
		}
		return nil
	})
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "keep me" {
		t.Errorf("%s: the user's file: %q %v", what, b, err)
	}
}

// leftovers lists the staging folders and temporary files under base.
func leftovers(base string) []string {
	var out []string
	filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestIntegritySignals: SIGINT or SIGTERM at any moment of `report
// --force` exits 130 or 143 (or 0 if the run had finished), leaves one
// whole report and the user's file, and no staging folder; the same for
// -o. It runs the built binary, since the handler exits the process.
func TestIntegritySignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs several reports")
	}
	base := t.TempDir()
	bin := filepath.Join(base, "ccstudy")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(base, "results")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"report", "--out-dir", dir, "--force"}, fastReport...)
	start := time.Now()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	full := time.Since(start)
	checkConsistentReport(t, dir, "first run")
	interrupted, duringWrite := 0, 0
	run := func(what string, cmdArgs []string, sig syscall.Signal, wait func()) {
		want := 130
		if sig == syscall.SIGTERM {
			want = 143
		}
		cmd := exec.Command(bin, cmdArgs...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait()
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		t.Logf("%v %s: exit %d", sig, what, code)
		switch code {
		case want:
			interrupted++
		case 0:
		default:
			t.Errorf("%v %s: exit %d (%v), want %d or 0", sig, what, code, err, want)
		}
		checkConsistentReport(t, dir, what)
		if l := leftovers(base); len(l) > 0 {
			t.Errorf("%v %s left %v", sig, what, l)
		}
	}
	// At fixed shares of a run: mostly during the analyses.
	for i, frac := range []float64{0.05, 0.3, 0.6, 0.9} {
		sig := syscall.SIGINT
		if i%2 == 1 {
			sig = syscall.SIGTERM
		}
		cmdArgs := args
		if i == 0 {
			cmdArgs = append([]string{"report", "--format", "markdown", "-o", filepath.Join(base, "report.md")}, fastReport...)
		}
		run(fmt.Sprintf("after %.0f%% of a run", 100*frac), cmdArgs, sig, func() { time.Sleep(time.Duration(frac * float64(full))) })
	}
	// While the report is written and swapped in: as soon as (and a
	// little after) the staging folder appears in the out-dir. The check
	// before the analyses makes and removes one at once, so look only in
	// the second half of the run.
	for i, delay := range []time.Duration{0, 0, time.Millisecond, 3 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond} {
		sig := syscall.SIGINT
		if i%2 == 1 {
			sig = syscall.SIGTERM
		}
		run(fmt.Sprintf("%v after the staging folder appeared", delay), args, sig, func() {
			time.Sleep(full / 2)
			for deadline := time.Now().Add(4 * full); time.Now().Before(deadline); time.Sleep(200 * time.Microsecond) {
				if m, _ := filepath.Glob(filepath.Join(dir, ".ccstudy-report-*")); len(m) > 0 {
					duringWrite++
					break
				}
			}
			time.Sleep(delay)
		})
	}
	if duringWrite == 0 {
		t.Errorf("the staging folder was never seen: no signal landed while the report was written")
	}
	if interrupted == 0 {
		t.Errorf("no run was interrupted: the signal handler was never exercised")
	}
}

// TestIntegrityOneStdin: two inputs on standard input are a usage error
// (exit 2) before anything is read, not a JSON or CSV error.
func TestIntegrityOneStdin(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "--data", "-", "--schema", "-"},
		{"validate", "--data", "-", "--products", "-"},
	} {
		_, errOut, code := runCLI(t, "id,case\n", args...)
		if code != 2 || !strings.Contains(errOut, "cannot all read standard input") {
			t.Errorf("%q: exit %d %q", args, code, errOut)
		}
	}
}
