package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// updateBad rewrites the exit codes and first lines of
// testdata/bad/cases.json from what ccstudy does now. Every rewritten
// message must then be read: the corpus records messages that were
// judged right, not whatever the tool printed.
var updateBad = flag.Bool("update-bad", false, "rewrite testdata/bad/cases.json from the current messages")

// badCase is one malformed or degenerate input of testdata/bad/cases.json.
type badCase struct {
	Name string `json:"name"`
	Why  string `json:"why"`
	// Files are copied from testdata/bad into the case's temporary
	// folder, $TMP, under their base names; Generate names inputs made
	// there by badGenerators (too large to commit).
	Files    []string `json:"files,omitempty"`
	Generate []string `json:"generate,omitempty"`
	// Args is the command line; $TMP is the temporary folder and
	// {{NAME}} an argument from badArgs. Stdin names a file of $TMP
	// given as standard input.
	Args  []string `json:"args"`
	Stdin string   `json:"stdin,omitempty"`
	Exit  int      `json:"exit"`
	// Stderr is the exact first line of standard error ("" for none),
	// with the temporary folder shown as $TMP; Stdout, when set, the
	// first line of standard output.
	Stderr string `json:"stderr"`
	Stdout string `json:"stdout,omitempty"`
	// StdoutContains are texts the output must hold (a quoted term, a
	// separation note): what makes an accepted degenerate input right.
	StdoutContains []string `json:"stdout_contains,omitempty"`
}

// badGenerators write the large inputs into dir.
var badGenerators = map[string]func(dir string) error{
	// A 10 MB cell: the message must quote a bounded part of it.
	"field_10mb.csv": func(dir string) error {
		b, err := os.ReadFile(testdataPath("bad/base.csv"))
		if err != nil {
			return err
		}
		lines := strings.SplitN(string(b), "\n", 7)
		f := strings.Split(lines[5], ",")
		f[3] = strings.Repeat("x", 10<<20)
		lines[5] = strings.Join(f, ",")
		return os.WriteFile(filepath.Join(dir, "field_10mb.csv"), []byte(strings.Join(lines, "\n")), 0o644)
	},
	// 10^5 columns not in the schema beside the schema's own.
	"columns_1e5.csv": func(dir string) error {
		b, err := os.ReadFile(testdataPath("bad/base.csv"))
		if err != nil {
			return err
		}
		var extraHead, extraRow strings.Builder
		for i := range 100000 {
			extraHead.WriteString(",x")
			extraHead.WriteString(strconv.Itoa(i))
			extraRow.WriteString(",1")
		}
		var out bytes.Buffer
		for i, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if i > 20 {
				break
			}
			out.WriteString(l)
			if i == 0 {
				out.WriteString(extraHead.String())
			} else {
				out.WriteString(extraRow.String())
			}
			out.WriteByte('\n')
		}
		return os.WriteFile(filepath.Join(dir, "columns_1e5.csv"), out.Bytes(), 0o644)
	},
	// 10^5 columns and the schema's fields missing: the message lists
	// a bounded number of them.
	"only_columns_1e5.csv": func(dir string) error {
		var b strings.Builder
		for i := range 100000 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("c")
			b.WriteString(strconv.Itoa(i))
		}
		b.WriteString("\n")
		b.WriteString(strings.TrimSuffix(strings.Repeat("1,", 100000), ","))
		b.WriteString("\n")
		return os.WriteFile(filepath.Join(dir, "only_columns_1e5.csv"), []byte(b.String()), 0o644)
	},
	// A schema of 10^5 categories and rows that miss them: validating
	// stays fast and every message bounded (the analyses of such a field
	// are bounded elsewhere).
	"categories_1e5": func(dir string) error {
		cats := make([]string, 100000)
		for i := range cats {
			cats[i] = fmt.Sprintf("%q", fmt.Sprintf("c%05d", i))
		}
		schema := `{"fields": [{"name": "id", "type": "string", "constraints": {"unique": true}},
			{"name": "case", "type": "integer", "role": "outcome", "constraints": {"enum": [0, 1]}},
			{"name": "g", "type": "string", "role": "covariate", "categories": [` + strings.Join(cats, ",") + `]}]}`
		if err := os.WriteFile(filepath.Join(dir, "categories_1e5.json"), []byte(schema), 0o644); err != nil {
			return err
		}
		var b strings.Builder
		b.WriteString("id,case,g\n")
		for i := range 20000 {
			g := fmt.Sprintf("c%05d", i*37%100000)
			if i%50 == 0 {
				g = fmt.Sprintf("zz%d", i)
			}
			fmt.Fprintf(&b, "r%d,%d,%s\n", i, i%2, g)
		}
		return os.WriteFile(filepath.Join(dir, "categories_1e5.csv"), []byte(b.String()), 0o644)
	},
}

// badArgs are arguments too long for the manifest.
var badArgs = map[string]func() string{
	// 10^4 distinct terms, none in the data.
	"terms_1e4": func() string {
		var b strings.Builder
		b.WriteString("case ~ age")
		for i := range 10000 {
			b.WriteString(" + x")
			b.WriteString(strconv.Itoa(i))
		}
		return b.String()
	},
	// 10^4 copies of the same terms, which R's terms() reduces to two.
	"same_terms_1e4": func() string {
		return "case ~ age" + strings.Repeat(" + age + age:size", 5000)
	},
	"parens_1e4": func() string {
		return "case ~ " + strings.Repeat("(", 10000) + "age" + strings.Repeat(")", 10000)
	},
	"long_value": func() string { return strings.Repeat("9", 100000) },
}

// TestBadInputs runs every case of testdata/bad/cases.json and checks the
// promises the README makes for bad input: the exact exit code and first
// line of the message, no panic or goroutine trace, a bounded message,
// no output file (or temporary file) left behind by a failed run, and
// the input files unchanged.
func TestBadInputs(t *testing.T) {
	manifest := testdataPath("bad/cases.json")
	raw, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var cases []badCase
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	if len(cases) < 60 {
		t.Errorf("%s has %d cases, want at least 60", manifest, len(cases))
	}
	names := map[string]bool{}
	for i := range cases {
		c := &cases[i]
		if names[c.Name] || c.Name == "" || c.Why == "" {
			t.Errorf("case %d: name %q must be unique and non-empty, with a why", i, c.Name)
		}
		names[c.Name] = true
		t.Run(c.Name, func(t *testing.T) { runBadCase(t, c) })
	}
	if *updateBad && !t.Failed() {
		// Messages hold < > &: kept readable, not \u003c.
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cases); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(manifest, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runBadCase(t *testing.T, c *badCase) {
	dir := t.TempDir()
	inputs := map[string][]byte{}
	for _, f := range c.Files {
		b, err := os.ReadFile(testdataPath(filepath.Join("bad", f)))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		inputs[name] = b
	}
	for _, g := range c.Generate {
		gen, ok := badGenerators[g]
		if !ok {
			t.Fatalf("unknown generator %q", g)
		}
		if err := gen(dir); err != nil {
			t.Fatal(err)
		}
	}
	before := listDir(t, dir)
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		a = strings.ReplaceAll(a, "$TMP", dir)
		if k, ok := strings.CutPrefix(a, "{{"); ok {
			k = strings.TrimSuffix(k, "}}")
			gen, ok := badArgs[k]
			if !ok {
				t.Fatalf("unknown argument %q", a)
			}
			a = gen()
		}
		args[i] = a
	}
	stdin := ""
	if c.Stdin != "" {
		b, err := os.ReadFile(filepath.Join(dir, c.Stdin))
		if err != nil {
			t.Fatal(err)
		}
		stdin = string(b)
	}
	var out termBuffer
	var errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	stderr := strings.ReplaceAll(errb.String(), dir, "$TMP")
	first, _, _ := strings.Cut(stderr, "\n")
	stdout := strings.ReplaceAll(out.String(), dir, "$TMP")
	outFirst, _, _ := strings.Cut(stdout, "\n")
	for _, want := range c.StdoutContains {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%.2000s", want, stdout)
		}
	}

	// The promises that hold whatever the message says.
	for _, bad := range []string{"panic:", "goroutine ", "runtime.", "internal error"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr contains %q:\n%.2000s", bad, stderr)
		}
	}
	if len(stderr) >= 4096 {
		t.Errorf("stderr is %d bytes (want < 4096): %.500s…", len(stderr), stderr)
	}
	for _, l := range strings.Split(stderr, "\n") {
		if len(l) >= 400 {
			t.Errorf("a stderr line is %d bytes (want < 400): %.300s…", len(l), l)
		}
	}
	after := listDir(t, dir)
	if code != 0 && !slices.Equal(before, after) {
		t.Errorf("exit %d left files behind: before %q, after %q", code, before, after)
	}
	for name, b := range inputs {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("input %s was changed or removed (%v)", name, err)
		}
	}

	if *updateBad {
		c.Exit, c.Stderr = code, first
		if c.Stdout != "" || code == 0 {
			c.Stdout = outFirst
		}
		return
	}
	if code != c.Exit {
		t.Errorf("exit %d, want %d; stderr:\n%.1000s", code, c.Exit, stderr)
	}
	if first != c.Stderr {
		t.Errorf("first stderr line\n got %q\nwant %q", first, c.Stderr)
	}
	if c.Stdout != "" && outFirst != c.Stdout {
		t.Errorf("first stdout line\n got %q\nwant %q", outFirst, c.Stdout)
	}
}

// listDir lists the names in dir, hidden files included, recursively.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}
