package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs ccstudy with args and returns stdout, stderr and the exit
// code. Standard output stands for a terminal (box-drawn tables, of the
// width COLUMNS gives); runPiped gives a pipe.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out termBuffer
	var errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// runJSON runs ccstudy with --format json and decodes its output into v.
func runJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out, errOut, code := runCLI(t, "", append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("ccstudy %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("decoding output of ccstudy %s: %v", strings.Join(args, " "), err)
	}
}

// readReference decodes a committed R output under testdata/reference.
func readReference(t *testing.T, rel string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reference", rel))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

// close reports whether got agrees with want to a relative tolerance
// (absolute 1e-12 for tiny p-values, as the standards allow).
func closeTo(got, want, rel float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	if math.Abs(want) < 1e-10 {
		return math.Abs(got-want) <= 1e-12
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func checkClose(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if !closeTo(got, want, rel) {
		t.Errorf("%s = %.12g, R says %.12g (relative difference %.2g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func testdataPath(rel string) string {
	return filepath.Join("..", "..", "testdata", rel)
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }
