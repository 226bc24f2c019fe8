package i18n

// zhDescribe: Chinese words of the describe output, keyed by their English text.
var zhDescribe = map[string]string{
	// Table 1: title, groups, headers.
	"Table 1. %s vs %s": "表1. %s 与 %s 比较",
	"cases":             "病例",
	"controls":          "对照",
	"overall (n=%d)":    "合计 (n=%d)",
	"variable":          "变量",
	"level":             "水平",
	"test":              "检验",
	"statistic":         "统计量",
	"p_value":           "P值",
	"smd":               "标准化均数差",
	"missing":           "缺失",
	", n (%)":           ", n (%)",
	", mean (SD)":       ", 均数 (标准差)",
	", median [Q1, Q3]": ", 中位数 [Q1, Q3]",
	// Tests.
	"chi-square":              "卡方检验",
	"Fisher exact":            "Fisher 确切概率法",
	"Welch t":                 "Welch t 检验",
	"Wilcoxon":                "Wilcoxon 秩和检验",
	"not computed (see note)": "未计算（见注）",
	// Reasons a variable has no test (stats.TableOne's notes).
	"no test: only one level observed":                     "未检验：仅观察到一个水平",
	"no test: fewer than two values in a group":            "未检验：某组少于两个观测值",
	"no test: all values missing among cases":              "未检验：病例组全部缺失",
	"no test: all values missing among controls":           "未检验：对照组全部缺失",
	"no test: all values missing among cases and controls": "未检验：病例组和对照组全部缺失",
	// The tests' rule under Table 1 (stats.Table1Rule).
	"Tests: categorical variables by Pearson's chi-square (no continuity correction), or Fisher's exact test when any expected count is below 5; continuous variables by Welch's t-test, or the Wilcoxon rank-sum test (normal approximation, tie and continuity corrections) for nonnormal variables. Percentages exclude missing values. SMD: standardized mean difference (Yang & Dalton for categorical variables).": "检验：分类变量用 Pearson 卡方检验（不作连续性校正），任一理论频数小于 5 时用 Fisher 确切概率法；连续变量用 Welch t 检验，非正态变量用 Wilcoxon 秩和检验（正态近似，作结校正和连续性校正）。百分比不含缺失值。SMD：标准化均数差（分类变量按 Yang & Dalton）。",
	// A matched design (describe --strata).
	"Matched design (matched sets: %s): these tests ignore the matching, comparing cases and controls as independent samples; conditional logistic regression (logit --strata %s) accounts for it.": "匹配设计（匹配组：%s）：上述检验未考虑匹配，将病例与对照视为独立样本；条件 logistic 回归（logit --strata %s）考虑了匹配。",
}
