package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/refstudy"
)

// TestCSVBlocksNote: logit --format csv writes its tables as "# name"
// blocks and says so once on standard error, naming the blocks and
// --table; not with --quiet, not for one table, not for other formats.
func TestCSVBlocksNote(t *testing.T) {
	const note = `note: --format csv wrote 4 tables as "# name" blocks (table2, global_tests, coefficients, fit); --table NAME writes one table alone`
	out, errOut, code := runCLI(t, "", "logit", "--format", "csv")
	if code != 0 || strings.Count(errOut, note) != 1 || strings.Count(out, "\n# ") < 4 {
		t.Errorf("logit --format csv: exit %d, stderr %q", code, errOut)
	}
	o := filepath.Join(t.TempDir(), "t.csv")
	if _, errOut, code := runCLI(t, "", "logit", "--format", "csv", "-o", o); code != 0 || strings.Count(errOut, note) != 1 {
		t.Errorf("logit --format csv -o: exit %d, stderr %q", code, errOut)
	}
	if b, err := os.ReadFile(o); err != nil || strings.Contains(string(b), "note:") {
		t.Errorf("the note went into the file (%v)", err)
	}
	for _, args := range [][]string{
		{"logit", "--format", "csv", "-q"},
		{"logit", "--format", "csv", "--table", "table2"},
		{"logit", "--format", "json"},
	} {
		if _, errOut, code := runCLI(t, "", args...); code != 0 || strings.Contains(errOut, "blocks") {
			t.Errorf("%q: exit %d, stderr %q; want no note", args, code, errOut)
		}
	}
}

// userCopy writes the embedded companies.csv with CRLF line ends into a
// temporary folder: the same data, but not the embedded file byte for
// byte and without a simulate marker, so it is the user's own.
func userCopy(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(testdataPath("companies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "companies.csv")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestJSONCarriesSyntheticLabel: every command's JSON on synthetic data
// carries "synthetic": true and the notice at its top level (in --lang),
// and the same command on the user's data neither key.
func TestJSONCarriesSyntheticLabel(t *testing.T) {
	user := userCopy(t)
	for _, c := range []struct {
		args []string
		data bool // the command reads --data
	}{
		{[]string{"describe"}, true},
		{[]string{"logit", "--ci", "wald"}, true},
		{[]string{"cluster", "--gap-b", "5", "--boot-b", "5", "--nstart", "2", "--k-range", "2:3"}, true},
		{[]string{"subgroup", "--ci", "wald"}, true},
		{[]string{"validate"}, true},
		{[]string{"power", "--model", "dgp", "--sims", "5"}, false},
		{[]string{"report", "--gap-b", "5", "--boot-b", "5", "--nstart", "2", "--k-range", "2:3", "--ci", "wald"}, true},
	} {
		for _, lang := range []string{"en", "zh"} {
			var got map[string]any
			runJSON(t, &got, append(c.args, "--lang", lang)...)
			if got["synthetic"] != true || got["notice"] != refstudy.NoticeIn(lang) {
				t.Errorf("%s --lang %s: synthetic %v, notice %v", c.args[0], lang, got["synthetic"], got["notice"])
			}
		}
		if !c.data {
			continue
		}
		var got map[string]any
		runJSON(t, &got, append(c.args, "--data", user)...)
		if _, ok := got["notice"]; ok || got["synthetic"] == true {
			t.Errorf("%s on the user's data: synthetic %v, notice %v", c.args[0], got["synthetic"], got["notice"])
		}
	}
}
