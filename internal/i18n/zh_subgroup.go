package i18n

// zhSubgroup: Chinese words of the subgroup output, keyed by their English
// text.
var zhSubgroup = map[string]string{
	// Stratified ORs.
	"Adjusted ORs (%s CI) by %s": "按%[2]s分层的校正OR（%[1]s CI）",
	"%s (n=%d, %d events)":       "%s（n=%d，%d 个事件）",
	"(no stratum fitted)":        "（无已拟合的层）",
	"dropped":                    "已剔除",
	"Subgroups: ":                "亚组：",
	"Stratum model: ":            "分层模型：",
	"%s: Firth's penalized likelihood (separation).": "%s：Firth惩罚似然（分离）。",
	"%s: %s (fallback, see notes).":                  "%s：%s（替代方法，见注释）。",
	"%s: not fitted (%s): %s.":                       "%s：未拟合（%s）：%s。",
	"too small":                                      "样本过少",
	"empty":                                          "无数据",
	"fit failed":                                     "拟合失败",
	"not %s":                                         "非%s",
	"%s at the median":                               "%s（按中位数分组）",
	"%s at %s":                                       "%s（以 %s 为界）",
	// Interactions.
	"Interaction with %s":               "与%s的交互作用",
	"LR chi2 (df)":                      "LR卡方（自由度）",
	"p":                                 "p值",
	"p Holm":                            "Holm校正p值",
	"q BH":                              "BH校正q值",
	"Cochran's Q (df)":                  "Cochran Q（自由度）",
	"Q p":                               "Q检验p值",
	"I²":                                "I²",
	"not testable":                      "无法检验",
	"not testable (see notes)":          "无法检验（见注释）",
	"%s: interaction not tested: %s.":   "%s：交互作用未检验：%s。",
	"%s: Cochran's Q not computed: %s.": "%s：Cochran Q 未计算：%s。",
	"LR: model + S vs model + S + term:S on the whole sample (maximum likelihood). Q and I²: inverse-variance fixed effect over the fitted strata; for a term with several coefficients, the one with the largest Q (in brackets).": "LR：全样本中 模型 + S 与 模型 + S + 变量:S 的比较（最大似然）。Q 与 I²：已拟合各层的逆方差固定效应；多系数变量取 Q 最大的系数（方括号内）。",
	// Ranking.
	"Term × subgroup interactions ranked by p-value": "变量 × 亚组交互作用按p值排序",
	"rank":     "排名",
	"subgroup": "亚组",
	// Mantel-Haenszel.
	"Crude stratified analysis of binary exposures (Mantel-Haenszel)": "二分类暴露的粗分层分析（Mantel-Haenszel）",
	"exposure":                    "暴露",
	"by":                          "分层变量",
	"stratum ORs":                 "各层OR",
	"OR MH (95% CI)":              "MH合并OR（95% CI）",
	"Breslow-Day-Tarone (df)":     "Breslow-Day-Tarone（自由度）",
	"Woolf (df)":                  "Woolf（自由度）",
	"%s by %s: not computed: %s.": "%s 按 %s：未计算：%s。",
	"No 0/1 covariate in the model: give --exposure VAR=LEVEL for a crude stratified analysis.":                                                                                         "模型中没有0/1协变量：请用 --exposure VAR=LEVEL 指定粗分层分析的暴露。",
	"Stratum ORs in the order of the subgroup's strata (0.5 added to every cell of a stratum with a zero cell). CI: Robins-Breslow-Greenland. Woolf: 0.5 added to every cell, as epiR.": "各层OR按亚组的层顺序排列（含零格子的层每格加0.5）。CI：Robins-Breslow-Greenland法。Woolf：每格加0.5，同 epiR。",
	// Notes.
	`No subgroups to analyse: the schema marks no field with "role": "subgroup". Mark fields with that role, or give --by SPEC (repeatable), e.g. --by VAR, --by VAR=LEVEL or --by VAR@median.`: `没有可分析的亚组：数据结构中没有字段标为 "role": "subgroup"。请为字段标注该角色，或用 --by SPEC 指定（可重复），例如 --by VAR、--by VAR=LEVEL 或 --by VAR@median。`,
	"profile-likelihood": "轮廓似然",
	"Model: %s. Stratum ORs: %s intervals; a stratum needs at least %d events and %d non-events and no more coefficients than either.":                               "模型：%s。分层OR：%s区间；每层至少需要 %d 个事件和 %d 个非事件，且系数个数不多于两者。",
	"%d of %d strata have fewer than 10 events per variable: their ORs are imprecise and can be biased away from 1 (the warnings per stratum are in --format json).": "%d/%d 个层的每变量事件数少于10：其OR不精确，且可能偏离1（各层警告见 --format json）。",
}
