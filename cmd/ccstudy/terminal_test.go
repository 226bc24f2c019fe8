package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/render"
)

// termBuffer is a standard output that says it is a terminal of unknown
// width (COLUMNS then sets it), as a user's terminal is.
type termBuffer struct{ bytes.Buffer }

func (*termBuffer) Terminal() (bool, int) { return true, 0 }

// runPiped runs ccstudy with standard output a plain buffer: a pipe.
func runPiped(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// boxRunes are the box-drawing characters of the terminal layout.
const boxRunes = "┌┐└┘├┤┬┴┼─│"

// TestTableFitsEightyColumns: with COLUMNS=80, every line of the widest
// table of logit, subgroup, describe and cluster, in English and in
// Chinese (CJK characters take two columns), is at most 80 columns, and
// the words of the wide layout are all still there.
func TestTableFitsEightyColumns(t *testing.T) {
	commands := [][]string{
		{"logit"},
		{"subgroup"},
		{"describe"},
		{"cluster", "--gap-b", "5", "--boot-b", "5", "--nstart", "5"},
	}
	for _, lang := range []string{"en", "zh"} {
		for _, args := range commands {
			args := append(append([]string(nil), args...), "--lang", lang)
			t.Run(lang+"/"+args[0], func(t *testing.T) {
				t.Setenv("COLUMNS", "")
				wide, errOut, code := runCLI(t, "", args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				t.Setenv("COLUMNS", "80")
				narrow, errOut, code := runCLI(t, "", args...)
				if code != 0 {
					t.Fatalf("COLUMNS=80: exit %d: %s", code, errOut)
				}
				if !strings.ContainsAny(narrow, boxRunes) {
					t.Errorf("terminal output has no box drawing")
				}
				piped, errOut, code := runPiped(t, args...)
				if code != 0 {
					t.Fatalf("piped, COLUMNS=80: exit %d: %s", code, errOut)
				}
				for i, l := range strings.Split(piped, "\n") {
					if w := render.DisplayWidth(l); w > 80 {
						t.Errorf("piped line %d is %d columns wide: %q", i+1, w, l)
					}
				}
				widest := 0
				for i, l := range strings.Split(narrow, "\n") {
					if w := render.DisplayWidth(l); w > 80 {
						t.Errorf("line %d is %d columns wide: %q", i+1, w, l)
					}
				}
				for _, l := range strings.Split(wide, "\n") {
					widest = max(widest, render.DisplayWidth(l))
				}
				if widest <= 80 {
					t.Errorf("the unlimited output is only %d columns wide: nothing to fit", widest)
				}
				// Nothing is lost: every word of the wide output appears.
				have := map[string]bool{}
				for _, f := range strings.Fields(narrow) {
					have[f] = true
				}
				// Chinese prose has no spaces: it is cut anywhere, so its
				// words are looked for in the text without line breaks.
				joined := strings.Join(strings.Fields(narrow), "")
				for _, f := range strings.Fields(wide) {
					if strings.ContainsAny(f, boxRunes+"-") && strings.Trim(f, boxRunes+"-") == "" {
						continue
					}
					if !have[f] && !strings.Contains(narrow, f) && !(strings.ContainsFunc(f, func(r rune) bool { return r > 0x2e80 }) && strings.Contains(joined, f)) {
						t.Errorf("word %q of the wide output is missing at 80 columns", f)
						break
					}
				}
			})
		}
	}
}

// TestTableNoBoxOutsideTerminal: standard output that is not a terminal
// (a pipe, a buffer) and -o files get plain text without box drawing.
func TestTableNoBoxOutsideTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "")
	out, errOut, code := runPiped(t, "logit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.ContainsAny(out, boxRunes) {
		t.Errorf("piped table output has box-drawing characters")
	}
	if !strings.Contains(out, "Table 2.") {
		t.Errorf("output lacks Table 2")
	}
	path := t.TempDir() + "/x.txt"
	if _, errOut, code := runCLI(t, "", "logit", "-o", path); code != 0 { // a terminal, but -o
		t.Fatalf("-o: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(b), boxRunes) || !bytes.Equal(b, []byte(out)) {
		t.Errorf("-o x.txt differs from the piped output or has box drawing")
	}
	for i, l := range strings.Split(out, "\n") {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d ends in spaces: %q", i+1, l)
			break
		}
	}
}

// TestTextOptions: box drawing only on a terminal (a buffer or a regular
// file is not one); COLUMNS sets the width, a bad COLUMNS is ignored.
func TestTextOptions(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		w       any
		columns string
		want    render.TextOptions
	}{
		{&bytes.Buffer{}, "", render.TextOptions{}},
		{&bytes.Buffer{}, "80", render.TextOptions{Width: 80}},
		{f, "", render.TextOptions{}},
		{f, "abc", render.TextOptions{}},
		{f, "-3", render.TextOptions{}},
		{&termBuffer{}, "", render.TextOptions{TTY: true}},
		{&termBuffer{}, "100", render.TextOptions{TTY: true, Width: 100}},
	} {
		w := c.w.(interface{ Write([]byte) (int, error) })
		if got := textOptions(w, c.columns); got != c.want {
			t.Errorf("textOptions(%T, COLUMNS=%q) = %+v, want %+v", c.w, c.columns, got, c.want)
		}
	}
}

// TestClusterProgressOnlyOnTerminal: cluster draws its progress on a
// terminal's standard error, and writes nothing there through a pipe,
// under CI=true or with --quiet; standard output is the same either way.
func TestClusterProgressOnlyOnTerminal(t *testing.T) {
	args := []string{"cluster", "--gap-b", "5", "--boot-b", "5", "--nstart", "5", "--k-range", "2:3", "--format", "json"}
	run := func(tty bool, extra ...string) (string, string) {
		var out bytes.Buffer
		var errOut interface {
			Write([]byte) (int, error)
			String() string
		} = &bytes.Buffer{}
		if tty {
			errOut = &termBuffer{}
		}
		if code := Main(append(append([]string(nil), args...), extra...), strings.NewReader(""), &out, errOut); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return out.String(), errOut.String()
	}
	t.Setenv("CI", "")
	ttyOut, ttyErr := run(true)
	for _, want := range []string{"gap statistic", "bootstrap", "partitions"} {
		if !strings.Contains(ttyErr, want) {
			t.Errorf("terminal stderr lacks the %q step: %q", want, ttyErr)
		}
	}
	pipeOut, pipeErr := run(false)
	if pipeErr != "" {
		t.Errorf("piped stderr has %q", pipeErr)
	}
	if pipeOut != ttyOut {
		t.Errorf("standard output differs with progress on")
	}
	if _, quiet := run(true, "--quiet"); quiet != "" {
		t.Errorf("--quiet stderr has %q", quiet)
	}
	t.Setenv("CI", "true")
	if _, ci := run(true); ci != "" {
		t.Errorf("CI=true stderr has %q", ci)
	}
}

// TestLogitSubgroupProgressOnlyOnTerminal: logit's crude models and
// subgroup's splits show progress on a terminal's stderr only.
func TestLogitSubgroupProgressOnlyOnTerminal(t *testing.T) {
	t.Setenv("CI", "")
	for cmd, step := range map[string]string{"logit": "crude models", "subgroup": "subgroups"} {
		var out, pipeOut bytes.Buffer
		var tty termBuffer
		var pipe bytes.Buffer
		if code := Main([]string{cmd, "--format", "json"}, strings.NewReader(""), &out, &tty); code != 0 {
			t.Fatalf("%s: exit %d: %s", cmd, code, tty.String())
		}
		if !strings.Contains(tty.String(), step) {
			t.Errorf("%s: terminal stderr lacks %q: %q", cmd, step, tty.String())
		}
		if code := Main([]string{cmd, "--format", "json"}, strings.NewReader(""), &pipeOut, &pipe); code != 0 {
			t.Fatalf("%s piped: exit %d: %s", cmd, code, pipe.String())
		}
		if pipe.Len() != 0 {
			t.Errorf("%s: piped stderr has %q", cmd, pipe.String())
		}
		if out.String() != pipeOut.String() {
			t.Errorf("%s: standard output differs with progress on", cmd)
		}
	}
}
