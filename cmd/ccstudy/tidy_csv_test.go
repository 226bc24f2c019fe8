package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tidyRuns are the commands whose every table must read back tidy from
// --format csv (issue 16 item 3): the embedded data and foreign datasets.
func tidyRuns() []struct {
	name string
	args []string
} {
	pbc := []string{"--data", testdataPath("foreign/pbc/pbc.csv"), "--schema", testdataPath("foreign/pbc/pbc.schema.json")}
	vet := []string{"--data", testdataPath("foreign/veteran/veteran.csv"), "--schema", testdataPath("foreign/veteran/veteran.schema.json"), "--lang", "zh"}
	fastCluster := []string{"--k", "3", "--k-range", "2:4", "--boot-b", "5", "--nstart", "5"}
	return []struct {
		name string
		args []string
	}{
		{"validate", []string{"validate"}},
		{"validate pbc", append([]string{"validate"}, pbc...)},
		{"validate veteran zh", append([]string{"validate"}, vet...)},
		{"schema", []string{"schema"}},
		{"schema products", []string{"schema", "products"}},
		{"schema infer pbc", []string{"schema", "infer", testdataPath("foreign/pbc/pbc.csv"), "--outcome", "died", "-q"}},
		{"cluster", append([]string{"cluster"}, fastCluster...)},
		{"cluster gap", []string{"cluster", "--k-range", "2:3", "--gap-b", "5", "--boot-b", "5", "--nstart", "5"}},
		{"cluster pbc", append(append([]string{"cluster", "-q"}, pbc...), fastCluster...)},
		{"cluster veteran zh pam", append(append([]string{"cluster", "--algorithm", "pam", "--distance", "gower"}, vet...), "--k", "2", "--boot-b", "5")},
		{"subgroup", []string{"subgroup"}},
		{"subgroup pbc", append([]string{"subgroup"}, pbc...)},
		{"subgroup veteran zh", append([]string{"subgroup", "--by", "celltype", "--exposure", "trt=2"}, vet...)},
		{"power exposure curve", []string{"power", "--cases", "40:80:40", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "20"}},
		{"power dgp", []string{"power", "--model", "dgp", "--sims", "5"}},
		{"describe", []string{"describe"}},
		{"describe pbc by stage", append([]string{"describe", "--by", "stage"}, pbc...)},
		{"describe veteran zh", append([]string{"describe"}, vet...)},
		{"logit", []string{"logit"}},
		{"logit interaction", []string{"logit", "--formula", "case ~ rd_leader_background + dev_years + novelty*company_type + log(rd_expenditure)", "--ci", "wald"}},
		{"logit pbc", append([]string{"logit", "--ci", "wald"}, pbc...)},
		{"logit veteran zh", append([]string{"logit", "--ci", "wald"}, vet...)},
		{"logit lung firth", []string{"logit", "--ci", "wald", "--data", testdataPath("foreign/lung/lung.csv"), "--schema", testdataPath("foreign/lung/lung.schema.json")}},
		{"version", []string{"version"}},
	}
}

// csvBlock is one "# name" block of a --format csv output.
type csvBlock struct {
	name string
	rows [][]string
}

// readCSVBlocks splits a --format csv output on its blank lines and reads
// each block with encoding/csv, skipping the "#" lines: every block that
// holds data must be introduced by a "# name" line.
func readCSVBlocks(t *testing.T, out string) []csvBlock {
	t.Helper()
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end with a newline")
	}
	var blocks []csvBlock
	for _, chunk := range strings.Split(out, "\n\n") {
		lines := strings.Split(strings.Trim(chunk, "\n"), "\n")
		name, i := "", 0
		for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
			name = strings.TrimPrefix(lines[i], "# ")
		}
		if i == len(lines) || (i == len(lines)-1 && lines[i] == "") {
			continue // comment lines only: the notice or the epilogue
		}
		r := csv.NewReader(strings.NewReader(strings.Join(lines[i:], "\n")))
		r.Comment = '#'
		rows, err := r.ReadAll()
		if err != nil {
			t.Errorf("block %q: not rectangular CSV: %v\n%s", name, err, chunk)
			continue
		}
		if strings.Contains(name, " ") || name == "" {
			t.Errorf("block without a \"# name\" line (last comment %q):\n%s", name, chunk)
		}
		blocks = append(blocks, csvBlock{name, rows})
	}
	return blocks
}

var (
	snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	// merged is a number followed by a bracket, "180 (90)", "2.31 (1.10,
	// 4.86)", "0.597 (df 2)"; list is "0.90 / 2.05"; percent "17%".
	merged  = regexp.MustCompile(`^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?%?\s*[(\[]`)
	list    = regexp.MustCompile(`^\s*[-+]?\d+\.?\d*\s*/\s*[-+]?\d`)
	percent = regexp.MustCompile(`^\s*[-+]?\d+\.?\d*\s*%$`)
)

func isNumberCell(c string) bool {
	switch c {
	case "", "NA", "Inf", "-Inf":
		return true
	}
	_, err := strconv.ParseFloat(c, 64)
	return err == nil
}

// checkTidy checks one block: a header of snake_case names that are not
// numbers, unique names, and every column either numeric throughout or
// text with no merged "x (y)", "x (y, z)", "x / y" or "x%" cell.
func checkTidy(t *testing.T, run string, b csvBlock) {
	t.Helper()
	if len(b.rows) == 0 {
		t.Errorf("%s, table %s: no header", run, b.name)
		return
	}
	header := b.rows[0]
	seen := map[string]bool{}
	for _, h := range header {
		if _, err := strconv.ParseFloat(h, 64); err == nil {
			t.Errorf("%s, table %s: header cell %q is a number (data in the header)", run, b.name, h)
		}
		if !snakeCase.MatchString(h) {
			t.Errorf("%s, table %s: header %q is not a snake_case name", run, b.name, h)
		}
		if seen[h] {
			t.Errorf("%s, table %s: header %q repeated", run, b.name, h)
		}
		seen[h] = true
	}
	for j, h := range header {
		numeric := true
		for _, r := range b.rows[1:] {
			numeric = numeric && isNumberCell(r[j])
		}
		if numeric {
			continue
		}
		for i, r := range b.rows[1:] {
			if c := r[j]; merged.MatchString(c) || list.MatchString(c) || percent.MatchString(c) {
				t.Errorf("%s, table %s, row %d, column %s: merged cell %q (expected one number per column)", run, b.name, i+2, h, c)
			}
		}
	}
}

// TestEveryCSVIsTidy runs every command (see tidyRuns) with --format csv and reads every table back.
func TestEveryCSVIsTidy(t *testing.T) {
	for _, run := range tidyRuns() {
		t.Run(run.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", append(run.args, "--format", "csv")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			blocks := readCSVBlocks(t, out)
			if len(blocks) == 0 {
				t.Fatalf("no table in the output:\n%s", out)
			}
			names := map[string]bool{}
			for _, b := range blocks {
				if names[b.name] {
					t.Errorf("table name %q twice", b.name)
				}
				names[b.name] = true
				checkTidy(t, run.name, b)
			}
		})
	}
}

// TestCSVNoticeIsACommentLine: the synthetic-data notice opens the CSV
// as a "#" line (it used to vanish with --format csv); a user's data has
// no notice line.
func TestCSVNoticeIsACommentLine(t *testing.T) {
	out, _, code := runCLI(t, "", "validate", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "# "+SyntheticNotice+"\n") {
		t.Errorf("exit %d; the CSV does not open with the notice:\n%s", code, out)
	}
	out, _, _ = runCLI(t, "", "validate", "--format", "csv", "--data", testdataPath("foreign/pbc/pbc.csv"), "--schema", testdataPath("foreign/pbc/pbc.schema.json"))
	if strings.Contains(out, "SYNTHETIC") || !strings.Contains(out, "\n# missing\ncolumn,n_missing\n") {
		t.Errorf("pbc CSV:\n%s", out)
	}
}

// TestTableSelectsOneTable: --table NAME keeps only that table in csv,
// markdown, table and json (its tidy rows, numbers as numbers); an
// unknown NAME is a usage error that lists the command's tables.
func TestTableSelectsOneTable(t *testing.T) {
	args := []string{"power", "--cases", "40:80:40", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "20"}
	out, errOut, code := runCLI(t, "", append(args, "--format", "csv", "--table", "target")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if blocks := readCSVBlocks(t, out); len(blocks) != 1 || blocks[0].name != "target" || blocks[0].rows[0][0] != "term" {
		t.Errorf("--table target:\n%s", out)
	}
	for _, f := range []string{"markdown", "table"} {
		out, _, _ := runCLI(t, "", append(args, "--format", f, "--table", "power")...)
		if !strings.Contains(out, "Power at alpha") || strings.Contains(out, "Smallest design") {
			t.Errorf("%s --table power shows other tables:\n%s", f, out)
		}
	}
	out, _, _ = runCLI(t, "", append(args, "--format", "json", "--table", "power")...)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("json --table power: %v\n%s", err, out)
	}
	if _, ok := rows[0]["power"].(float64); !ok || rows[0]["term"] != "exposure" || rows[0]["cases"] != 40.0 {
		t.Errorf("json rows: %v", rows[0])
	}
	if !strings.HasPrefix(out, "[\n  {\n    \"cases\": 40,\n    \"controls\": 40,\n    \"term\"") {
		t.Errorf("json rows do not keep the column order:\n%s", out)
	}

	_, errOut, code = runCLI(t, "", append(args, "--table", "nope")...)
	if code != exitUsage || !strings.Contains(errOut, "--table nope: no such table (expected one of power, target)") {
		t.Errorf("unknown table: exit %d: %s", code, errOut)
	}

	// schema infer writes its JSON draft directly; --table still applies.
	out, errOut, code = runCLI(t, "", "schema", "infer", testdataPath("foreign/pbc/pbc.csv"), "-q", "--table", "schema_pbc")
	if code != 0 || !strings.Contains(out, `"field": "died"`) {
		t.Errorf("schema infer --table: exit %d %s\n%s", code, errOut, out)
	}
}

// TestCSVReadByR: R's read.csv(comment.char = "#") on a --table output
// reads the table Go wrote: the same columns and rows, a label cell with
// "#" in it whole. Skipped without R.
func TestCSVReadByR(t *testing.T) {
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		t.Skip("Rscript not installed")
	}
	dir := t.TempDir()
	// A level label with "#" and a comma, which R must not take for a
	// comment or a separator.
	b, err := os.ReadFile(testdataPath("foreign/pbc/pbc.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join(dir, "pbc.schema.json")
	s := strings.Replace(string(b), `"label": "dead"`, `"label": "dead #2, at end"`, 1)
	if s == string(b) {
		t.Fatal("schema edit did not apply")
	}
	if err := os.WriteFile(schema, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		table string
		args  []string
	}{
		{"ranking", []string{"subgroup"}},
		{"mantel_haenszel_strata", []string{"subgroup"}},
		{"schema_pbc", []string{"schema", "infer", testdataPath("foreign/pbc/pbc.csv"), "-q"}},
		{"profiles", []string{"cluster", "--data", testdataPath("foreign/pbc/pbc.csv"), "--schema", schema, "-q", "--vars", "age,status", "--k", "2", "--boot-b", "5", "--nstart", "5"}},
	} {
		out, errOut, code := runCLI(t, "", append(c.args, "--format", "csv", "--table", c.table)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.table, code, errOut)
		}
		blocks := readCSVBlocks(t, out)
		if len(blocks) != 1 {
			t.Fatalf("%s: %d blocks", c.table, len(blocks))
		}
		rows := blocks[0].rows
		f := filepath.Join(dir, c.table+".csv")
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		// The column names, the row count and the last column's cells,
		// one per line, as R reads them.
		script := `x <- read.csv(commandArgs(TRUE)[1], comment.char = "#", check.names = FALSE, colClasses = "character", na.strings = character(0))
cat(ncol(x), nrow(x), sep = "\n"); cat(names(x), sep = "\n"); cat(x[[ncol(x)]], sep = "\n"); cat(x[[4]], sep = "\n")`
		got, err := exec.Command(rscript, "-e", script, f).Output()
		if err != nil {
			t.Fatalf("%s: Rscript: %v", c.table, err)
		}
		var want []string
		want = append(want, strconv.Itoa(len(rows[0])), strconv.Itoa(len(rows)-1))
		want = append(want, rows[0]...)
		for _, col := range []int{len(rows[0]) - 1, 3} {
			for _, r := range rows[1:] {
				want = append(want, r[col])
			}
		}
		if g := strings.TrimSuffix(string(got), "\n"); g != strings.Join(want, "\n") {
			t.Errorf("%s: R reads\n%s\nGo wrote\n%s", c.table, g, strings.Join(want, "\n"))
		}
		if c.table == "profiles" && !strings.Contains(string(got), "dead #2, at end") {
			t.Errorf("profiles: R lost the label with #:\n%s", got)
		}
	}
}

// tidyReportStepsLeftOut are the report steps whose tables/*.csv are not
// checked yet (their journal tables are being rebuilt: h-table1,
// h-table2); the lead removes them after merging.
var tidyReportStepsLeftOut = []string{}

// TestReportTablesAreTidy: the report's tables/*.csv follow the rule of
// --format csv, one "# name" block per file, and read back tidy.
func TestReportTablesAreTidy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rep")
	_, errOut, code := runCLI(t, "", "report", "--data", testdataPath("foreign/pbc/pbc.csv"), "--schema", testdataPath("foreign/pbc/pbc.schema.json"),
		"--k", "3", "--boot-b", "5", "--nstart", "5", "--out-dir", dir, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	files, err := filepath.Glob(filepath.Join(dir, "tables", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tables/*.csv: %v", err)
	}
	checked := 0
next:
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".csv")
		for _, p := range tidyReportStepsLeftOut {
			if strings.HasPrefix(base, p) {
				continue next
			}
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "# Data: ") {
			t.Errorf("%s does not open with the report's summary line:\n%s", base, b)
		}
		blocks := readCSVBlocks(t, string(b))
		if len(blocks) != 1 || !strings.HasSuffix(base, "_"+blocks[0].name) {
			t.Errorf("%s: expected one block named as the file, got %d", base, len(blocks))
			continue
		}
		checkTidy(t, "report", blocks[0])
		checked++
	}
	if checked < 8 {
		t.Errorf("only %d tables checked", checked)
	}
}

// TestTableCompletion: --table completes the command's fixed table names.
func TestTableCompletion(t *testing.T) {
	out, _, code := runCLI(t, "", "__complete", "cluster", "--table", "")
	if code != 0 || !strings.HasPrefix(out, "k_selection\nclusters\nprofiles\ncenters\n:4\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// Every listed name is one the command writes.
	out, _, _ = runCLI(t, "", "cluster", "--k", "2", "--boot-b", "5", "--nstart", "5", "--format", "csv")
	for _, n := range fixedTableNames["cluster"] {
		if !strings.Contains(out, "\n# "+n+"\n") {
			t.Errorf("cluster writes no table %s", n)
		}
	}
}
