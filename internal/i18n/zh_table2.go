package i18n

// zhTable2: Chinese words of the journal Table 2 of `ccstudy logit`
// (header and reference rows, global tests, N per model, per-K odds
// ratios), keyed by their English text.
var zhTable2 = map[string]string{
	"Crude OR (%s CI)":        "粗OR（%s CI）",
	"Adjusted OR (%s CI)":     "校正OR（%s CI）",
	"1 (reference)":           "1（参照）",
	"not estimable (no rows)": "无法估计（无观测）",
	"crude model of %s":       "%s的单因素模型",
	"adjusted model":          "校正模型",
	"Global p of %s (%s) %s.": "%s的总体p值（%s）%s。",
	"per %s %s":               "每%s%s",
	"per %s units":            "每%s个单位",
	"%s: odds ratio %s (exp(%s × coefficient)); the JSON keeps the coefficient per unit.": "%s：比值比为%s（exp(%s × 系数)）；JSON 中的系数仍为每单位。",
	"Adjusted: %s (%s); N = %d (%d cases).":                                               "校正：%s（%s）；N = %d（%d 例病例）。",
	"Crude: each variable alone; N = %d (%d cases) each.":                                 "粗：各变量单独纳入；每个模型 N = %d（%d 例病例）。",
	"N = %d (%d cases) for %s":                                                            "%[3]s：N = %[1]d（%[2]d 例病例）",
	"Crude: each variable alone; ":                                                        "粗：各变量单独纳入；",
	"Crude models use the rows available for their variable (--crude-sample available, the default), the adjusted model its complete cases: the samples can differ.":                 "粗模型使用各自变量的可用行（--crude-sample available，默认），校正模型使用其完整病例：两者样本可能不同。",
	"For a model fitted by Firth's penalized likelihood that test is the penalized likelihood ratio, with the larger model's penalty in both fits (logistf's anova, method nested).": "对以 Firth 惩罚似然拟合的模型，该检验为惩罚似然比检验，两次拟合均采用较大模型的惩罚项（同 logistf 的 anova，method nested）。",
	"%s: %s: not estimable, left out (as R's glm, which reports NA).": "%s：%s：不可估计，已剔除（与 R 的 glm 相同，其结果为 NA）。",
	"p-value on the row of a variable with several levels (or of an interaction): likelihood-ratio test of all its coefficients together (type II, as car::Anova; see global_tests); on a level's row: the test of that coefficient.": "多水平变量（或交互项）所在行的p值：其全部系数的联合似然比检验（II型，同 car::Anova；见 global_tests）；各水平行的p值：该系数的检验。",
	"Global tests of multi-level terms (likelihood ratio, type II, as car::Anova)":                                       "多水平项的总体检验（似然比，II型，同 car::Anova）",
	"--per %s not applied: the adjusted model has no linear term of %s (log(x) and interaction terms keep their scale).": "--per %s 未应用：校正模型中没有 %s 的线性项（log(x) 与交互项保持原尺度）。",
	"model":         "模型",
	"LR chi-square": "似然比卡方",
}

// The list joins the others here, so that i18n.go needs no edit.
func init() {
	for k, v := range zhTable2 {
		zh[k] = v
	}
}
