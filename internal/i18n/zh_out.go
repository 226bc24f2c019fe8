package i18n

// zhOut: Chinese words of the messages on where output was written.
var zhOut = map[string]string{
	"wrote the report to %s": "报告已写入 %s",
	"wrote the report to %s: report.md, report.html, manifest.json, %d files in tables/, %d in figures/": "报告已写入 %s：report.md、report.html、manifest.json，tables/ 中 %d 个文件，figures/ 中 %d 个",
}

// zhOutTables: Chinese words of table headers and notes that were still
// printed in English under --lang zh (the Mantel–Haenszel strata table,
// power's closed-form notes, a figure that could not be drawn, cluster's
// Monte-Carlo Fisher test).
var zhOutTables = map[string]string{
	"Mantel-Haenszel strata: 2×2 tables and stratum ORs": "Mantel-Haenszel 分层：各层2×2表与层OR",
	"stratum":            "层",
	"exposed cases":      "暴露病例",
	"exposed controls":   "暴露对照",
	"unexposed cases":    "非暴露病例",
	"unexposed controls": "非暴露对照",
	"OR (%s CI)":         "OR（%s CI）",
	"Stratum OR: ad/(bc) with the Woolf (log-scale Wald) interval; * 0.5 added to every cell of a stratum with a zero cell; — an uninformative stratum (empty margin).": "层OR：ad/(bc)，区间为 Woolf 法（对数尺度 Wald 区间）；* 表示含零格子的层每格加0.5；— 表示无信息层（边际为空）。",
	"Closed-form sample size for power %g at %s controls per case: %d cases and %d controls (%s cases exactly).":                                                        "检验效能 %g、每个病例 %s 个对照时的闭式样本量：%d 例病例与 %d 例对照（精确值 %s 例病例）。",
	"Closed-form sample size for power %g: no finite design (the odds ratio is 1 or the design exceeds %d cases).":                                                      "检验效能 %g 的闭式样本量：无有限设计（比值比为1，或设计超过 %d 例病例）。",
	"Figure \"%s\" could not be drawn: %v.": "图“%s”无法绘制：%v。",
	"Cluster membership vs %s: Fisher's test (an expected count is %.2f < 5), Monte-Carlo p %s from %d tables with the observed margins (seed %d; too large for the exact enumeration).": "类别归属与%s：Fisher 检验（有期望频数为 %.2f < 5），蒙特卡罗 p %s，基于 %d 个与观测边际相同的表（随机种子 %d；精确枚举计算量过大）。",
}
