package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/mattn/go-runewidth"
)

// zhInfertSchema is the subgroup infert schema with Chinese titles and
// category labels beside the codes (a `titles`/`labels` map by language).
const zhInfertSchema = `{
  "name": "infert", "title": "Infertility", "titles": {"zh": "不孕症"},
  "missingValues": ["", "NA"],
  "fields": [
    {"name": "id", "type": "integer", "role": "id"},
    {"name": "case", "type": "integer", "role": "outcome", "title": "infertility", "titles": {"zh": "不孕"}, "constraints": {"enum": [0, 1]}},
    {"name": "education", "type": "string", "role": "covariate", "title": "Education", "titles": {"zh": "教育程度"},
     "categories": [{"value": "0-5yrs", "label": "0-5 years", "labels": {"zh": "0-5年"}},
                    {"value": "6-11yrs", "label": "6-11 years", "labels": {"zh": "6-11年"}},
                    {"value": "12+ yrs", "label": "12+ years", "labels": {"zh": "12年以上"}}]},
    {"name": "age", "type": "integer", "role": "covariate", "title": "Age", "titles": {"zh": "年龄"}},
    {"name": "parity", "type": "integer", "role": "description"},
    {"name": "induced", "type": "integer", "role": "covariate", "title": "Induced abortions", "titles": {"zh": "人工流产次数"}},
    {"name": "spontaneous", "type": "integer", "role": "description"},
    {"name": "spontaneous_any", "type": "integer", "role": "covariate", "title": "Any spontaneous abortion", "titles": {"zh": "曾自然流产"}, "constraints": {"enum": [0, 1]}},
    {"name": "stratum", "type": "integer", "role": "description"}
  ]
}`

func zhInfertArgs(t *testing.T) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "infert.zh.schema.json")
	if err := os.WriteFile(path, []byte(zhInfertSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"--data", testdataPath("reference/subgroup/infert.csv"), "--schema", path,
		"--formula", "case ~ education + log(age) + parity + spontaneous_any"}
}

// width measures display columns as a terminal does, East Asian
// ambiguous characters (—, ×, ≥) one column wide whatever the locale.
var width = &runewidth.Condition{EastAsianWidth: false}

// checkAligned fails unless every line of each box-drawn table in out has
// the same display width (a CJK character is two columns wide) and its
// column borders at the same display columns.
func checkAligned(t *testing.T, out string) {
	t.Helper()
	var block []string
	flush := func() {
		if len(block) == 0 {
			return
		}
		want := borders(block[0])
		for _, l := range block[1:] {
			if width.StringWidth(l) != width.StringWidth(block[0]) || strings.Join(borders(l), ",") != strings.Join(want, ",") {
				t.Errorf("misaligned table line (width %d, want %d):\n%s\n%s", width.StringWidth(l), width.StringWidth(block[0]), block[0], l)
			}
		}
		block = nil
	}
	for _, l := range strings.Split(out, "\n") {
		if l != "" && strings.ContainsRune("┌├│└", []rune(l)[0]) {
			block = append(block, l)
			continue
		}
		flush()
	}
	flush()
}

// borders lists the display columns of a table line's vertical borders.
func borders(line string) []string {
	var out []string
	col := 0
	for _, r := range line {
		if strings.ContainsRune("│┌┐└┘├┤┬┴┼", r) {
			out = append(out, itoa(col))
		}
		col += width.RuneWidth(r)
	}
	return out
}

// TestLogitLabelsZh: with --lang zh the tables show the schema's Chinese
// titles and labels, aligned; JSON keeps the codes as keys and carries the
// labels beside them; CSV keeps the codes and adds a label column; the
// numbers are those of the run without labels.
func TestLogitLabelsZh(t *testing.T) {
	args := zhInfertArgs(t)
	out, errOut, code := runCLI(t, "", append([]string{"logit", "--lang", "zh"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"表2 不孕的粗比值比与校正比值比", "│ 教育程度: 6-11年", "│ log(年龄)", "校正OR（95% CI）", "回归系数：多因素模型"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q", want)
		}
	}
	if strings.Contains(out, "│ education[") {
		t.Error("table output shows a code instead of its label")
	}
	checkAligned(t, out)

	var zh, plain jsonLogit
	runJSON(t, &zh, append([]string{"logit", "--lang", "zh"}, args...)...)
	runJSON(t, &plain, append([]string{"logit"}, args...)...)
	labels := map[string]string{}
	for i, tm := range zh.Models[0].Terms {
		labels[tm.Term] = tm.Label
		p := plain.Models[0].Terms[i]
		if tm.Term != p.Term || tm.Estimate != p.Estimate || tm.ConfLow != p.ConfLow {
			t.Errorf("term %d: %s %v %v with labels, %s %v %v without", i, tm.Term, tm.Estimate, tm.ConfLow, p.Term, p.Estimate, p.ConfLow)
		}
	}
	for code, want := range map[string]string{"(Intercept)": "（截距）", "education[6-11yrs]": "教育程度: 6-11年", "education[12+ yrs]": "教育程度: 12年以上",
		"log(age)": "log(年龄)", "parity": "parity", "spontaneous_any": "曾自然流产"} {
		if labels[code] != want {
			t.Errorf("JSON term %q: label %q, want %q", code, labels[code], want)
		}
	}
	if l := plain.Models[0].Terms[1].Label; l != "Education: 6-11 years" {
		t.Errorf("English label %q", l)
	}

	csvOut, errOut, code := runCLI(t, "", append([]string{"logit", "--lang", "zh", "--format", "csv"}, args...)...)
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errOut)
	}
	sec := csvOut[strings.Index(csvOut, "# coefficients\n")+len("# coefficients\n"):]
	rows, err := csv.NewReader(strings.NewReader(sec[:strings.Index(sec, "\n\n")])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "term" || rows[0][1] != "label" || rows[2][0] != "education[6-11yrs]" || rows[2][1] != "教育程度: 6-11年" {
		t.Errorf("CSV coefficients: %v / %v", rows[0], rows[2])
	}
}

// TestSubgroupLabelsZh: stratum keys stay codes, labels sit beside them,
// and the tables show the labels, aligned.
func TestSubgroupLabelsZh(t *testing.T) {
	args := append(zhInfertArgs(t), "--by", "education", "--by", "age@median", "--lang", "zh")
	out, errOut, code := runCLI(t, "", append([]string{"subgroup"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"按教育程度分层的校正OR（95% CI）", "0-5年（n=", "与年龄（按中位数分组）的交互作用", "│ 曾自然流产", "│ 排名"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q", want)
		}
	}
	checkAligned(t, out)
	var res analysis.SubgroupResult
	runJSON(t, &res, append([]string{"subgroup"}, args...)...)
	s := res.Subgroups[0]
	if s.Variable != "education" || s.VariableLabel != "教育程度" || s.Levels[0].Level != "0-5yrs" || s.Levels[0].LevelLabel != "0-5年" {
		t.Errorf("split %s (%s), level %s (%s)", s.Variable, s.VariableLabel, s.Levels[0].Level, s.Levels[0].LevelLabel)
	}
	for _, lv := range res.Subgroups[1].Levels {
		for _, tm := range lv.Terms {
			if tm.Term == "education[6-11yrs]" && tm.Label != "教育程度: 6-11年" {
				t.Errorf("stratum term %s: label %q", tm.Term, tm.Label)
			}
		}
	}
	for _, it := range s.Interactions {
		if it.Term == "spontaneous_any" && it.Label != "曾自然流产" {
			t.Errorf("interaction %s: label %q", it.Term, it.Label)
		}
	}
	for _, m := range res.MantelHaenszel {
		if m.Exposure != "spontaneous_any" || m.ExposureLabel != "曾自然流产" || len(m.Strata) > 0 && m.Strata[0].Level == "" {
			t.Errorf("MH %s (%s) by %s (%s)", m.Exposure, m.ExposureLabel, m.By, m.ByLabel)
		}
	}
	if len(res.Ranking) == 0 || res.Ranking[0].Label == "" || res.Ranking[0].ByLabel == "" {
		t.Errorf("ranking without labels: %+v", res.Ranking)
	}
}
