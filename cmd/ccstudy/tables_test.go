package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
