package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// zhBirthwtSchema writes birthwt's schema with English and Chinese titles
// and labels (the `titles`/`labels` maps) and returns its path and the
// data's path.
func zhBirthwtSchema(t *testing.T) (schema, data string) {
	t.Helper()
	data = testdataPath("reference/describe/birthwt.csv")
	b, err := os.ReadFile(testdataPath("reference/describe/birthwt.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, f := range s["fields"].([]any) {
		f := f.(map[string]any)
		switch f["name"] {
		case "low":
			f["title"], f["titles"] = "Low birth weight", map[string]string{"zh": "低出生体重"}
		case "age":
			f["title"], f["titles"] = "Mother's age", map[string]string{"zh": "母亲年龄"}
		case "race":
			f["title"], f["titles"] = "Race", map[string]string{"zh": "种族"}
			f["categories"] = []map[string]any{
				{"value": "white", "label": "White", "labels": map[string]string{"zh": "白人"}},
				{"value": "black", "labels": map[string]string{"zh": "黑人"}},
				{"value": "other", "labels": map[string]string{"zh": "其他"}},
			}
		}
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	schema = filepath.Join(t.TempDir(), "birthwt.zh.schema.json")
	if err := os.WriteFile(schema, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return schema, data
}

// checkBoxesAligned: in every box-drawn table of out, the column borders
// sit at the same display columns on every line, measured in terminal
// cells (a CJK character is two), so Chinese labels do not shift them.
func checkBoxesAligned(t *testing.T, out string) {
	t.Helper()
	var want []int
	tables := 0
	for _, line := range strings.Split(out, "\n") {
		if line == "" || !strings.ContainsAny(line[:len(string([]rune(line)[0]))], "┌│├└") {
			want = nil
			continue
		}
		var cols []int
		w := 0
		for _, r := range line {
			if strings.ContainsRune("┌┬┐│├┼┤└┴┘", r) {
				cols = append(cols, w)
			}
			w += runewidth.RuneWidth(r)
		}
		if want == nil {
			want = cols
			tables++
			continue
		}
		if len(cols) != len(want) {
			t.Fatalf("line %q has %d borders, the table's first line %d", line, len(cols), len(want))
		}
		for i := range cols {
			if cols[i] != want[i] {
				t.Fatalf("line %q: border %d at display column %d, expected %d", line, i, cols[i], want[i])
			}
		}
	}
	if tables == 0 {
		t.Fatal("no table in the output")
	}
}

// TestDescribeLabelsZh: with a schema carrying Chinese titles and labels
// and --lang zh, JSON keeps the codes with the labels beside them, the
// table shows the labels and Chinese fixed words, aligned, and CSV keeps
// the codes and adds label columns.
func TestDescribeLabelsZh(t *testing.T) {
	schema, data := zhBirthwtSchema(t)
	args := []string{"describe", "--data", data, "--schema", schema, "--lang", "zh"}
	var res struct {
		Groups      [2]string `json:"groups"`
		GroupLabels [2]string `json:"group_labels"`
		ByLabel     string    `json:"by_label"`
		Table1      []struct {
			Variable      string `json:"variable"`
			VariableLabel string `json:"variable_label"`
			Level         string `json:"level"`
			LevelLabel    string `json:"level_label"`
		} `json:"table1"`
	}
	runJSON(t, &res, args...)
	if res.Groups != [2]string{"cases", "controls"} || res.GroupLabels != [2]string{"病例", "对照"} || res.ByLabel != "低出生体重" {
		t.Errorf("groups %v, labels %v, by %q", res.Groups, res.GroupLabels, res.ByLabel)
	}
	want := map[string]string{"white": "白人", "black": "黑人", "other": "其他"}
	seen := 0
	for _, r := range res.Table1 {
		switch r.Variable {
		case "race":
			seen++
			if r.VariableLabel != "种族" || want[r.Level] == "" || r.LevelLabel != want[r.Level] {
				t.Errorf("race row %+v", r)
			}
		case "age":
			seen++
			if r.VariableLabel != "母亲年龄" {
				t.Errorf("age row %+v", r)
			}
		case "lwt":
			seen++
			if r.VariableLabel != "lwt" { // no title: the code
				t.Errorf("lwt row %+v", r)
			}
		}
	}
	if seen != 5 {
		t.Errorf("saw %d rows of race, age and lwt, expected 5", seen)
	}

	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"表1. 病例 与 对照 比较", "特征", "种族, n (%)", "白人", "黑人", "母亲年龄, 均数 (标准差)", "Pearson 卡方检验", "合计, N = 189", "病例, N = 59", "P值"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	for _, w := range []string{"white", "race,", "Table 1", "Characteristic", "Overall", "p-value", "chi-square"} {
		if strings.Contains(out, w) {
			t.Errorf("table shows %q, a code or an English word:\n%s", w, out)
		}
	}
	checkBoxesAligned(t, out)

	csv, errOut, code := runCLI(t, "", append(args, "--format", "csv")...)
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errOut)
	}
	if !strings.Contains(csv, "\nvariable,variable_label,level,level_label,kind,") || !strings.Contains(csv, "\nrace,种族,white,白人,categorical,") {
		t.Errorf("CSV lacks the code and label columns:\n%s", csv)
	}

	// Without --lang the English labels show, falling back to the code.
	out, _, _ = runCLI(t, "", "describe", "--data", data, "--schema", schema)
	for _, w := range []string{"Race, n (%)", "White", "black", "Mother's age, mean (SD)"} {
		if !strings.Contains(out, w) {
			t.Errorf("English table lacks %q:\n%s", w, out)
		}
	}
}

// TestClusterLabelsZh: cluster profiles and columns keep codes in JSON
// with labels beside; the tables show the Chinese labels, aligned; the
// CSV keeps codes and English headers.
func TestClusterLabelsZh(t *testing.T) {
	schema, data := zhBirthwtSchema(t)
	args := []string{"cluster", "--data", data, "--schema", schema, "--lang", "zh", "--vars", "age,lwt,race", "--k", "2", "--k-range", "2:3", "--boot-b", "5", "--nstart", "5"}
	var res struct {
		Settings struct {
			Columns      []string `json:"columns"`
			ColumnLabels []string `json:"column_labels"`
		} `json:"settings"`
		Profiles struct {
			Outcome      string `json:"outcome"`
			OutcomeLabel string `json:"outcome_label"`
			Variables    []struct {
				Variable      string   `json:"variable"`
				VariableLabel string   `json:"variable_label"`
				Levels        []string `json:"levels"`
				LevelLabels   []string `json:"level_labels"`
			} `json:"variables"`
		} `json:"profiles"`
	}
	runJSON(t, &res, args...)
	if strings.Join(res.Settings.Columns, "|") != "age|lwt|race[white]|race[black]|race[other]" ||
		strings.Join(res.Settings.ColumnLabels, "|") != "母亲年龄|lwt|种族: 白人|种族: 黑人|种族: 其他" {
		t.Errorf("columns %v, labels %v", res.Settings.Columns, res.Settings.ColumnLabels)
	}
	if res.Profiles.Outcome != "low" || res.Profiles.OutcomeLabel != "低出生体重" {
		t.Errorf("outcome %q label %q", res.Profiles.Outcome, res.Profiles.OutcomeLabel)
	}
	race := res.Profiles.Variables[2]
	if race.Variable != "race" || race.VariableLabel != "种族" || strings.Join(race.Levels, "|") != "white|black|other" || strings.Join(race.LevelLabels, "|") != "白人|黑人|其他" {
		t.Errorf("race profile %+v", race)
	}

	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"选择 k", "组内平方和", "种族, %", "白人", "第 1 类 (n=", "母亲年龄", "种族: 黑人", "各类在原始尺度上的特征", "聚类归属与低出生体重", "选定：k = 2 由 --k 指定"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "race[") || strings.Contains(out, "white") {
		t.Errorf("table shows codes:\n%s", out)
	}
	checkBoxesAligned(t, out)

	csv, errOut, code := runCLI(t, "", append(args, "--format", "csv")...)
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errOut)
	}
	for _, w := range []string{"k,tot_withinss,silhouette_avg,calinski_harabasz,gap,gap_se,chosen", "variable,variable_label,level,level_label,cluster,n,",
		"\nrace,种族,white,白人,1,", "column,column_label,cluster,center", "\nrace[black],种族: 黑人,1,"} {
		if !strings.Contains(csv, w) {
			t.Errorf("CSV lacks %q:\n%s", w, csv)
		}
	}
}
