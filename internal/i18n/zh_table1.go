package i18n

// zhTable1: Chinese words of the journal Table 1 (describe by any
// grouping, by cluster), keyed by their English text.
var zhTable1 = map[string]string{
	// Headers.
	"Characteristic": "特征",
	"Overall":        "合计",
	"%s, N = %d":     "%s, N = %d",
	"p-value":        "P值",
	"SMD":            "SMD",
	"Missing":        "缺失",
	"Table 1. By %s": "表1. 按%s分组",
	"Cluster":        "聚类",
	"Cluster %d":     "聚类 %d",
	// Test footnotes.
	"Pearson's chi-square test": "Pearson 卡方检验",
	"Fisher's exact test":       "Fisher 确切概率法",
	"Welch's t-test":            "Welch t 检验",
	"Wilcoxon rank-sum test":    "Wilcoxon 秩和检验",
	"Welch's one-way ANOVA":     "Welch 单因素方差分析",
	"Kruskal–Wallis test":       "Kruskal–Wallis 检验",
	// Notes.
	"no test: fewer than two groups have values":                                     "未检验：有观测值的组少于两个",
	"%d rows with a missing %s are excluded.":                                        "%d 行因 %s 缺失而被排除。",
	"%d rows have no cluster in %s (the clustering left them out) and are excluded.": "%d 行在 %s 中没有聚类（聚类分析未纳入这些行），已被排除。",
	"Tests across the groups: categorical variables by Pearson's chi-square on the levels × groups table, " +
		"or Fisher's exact test when any expected count is below 5; continuous variables by Welch's one-way ANOVA " +
		"(R oneway.test, var.equal = FALSE: variances are not assumed equal), " +
		"or the Kruskal–Wallis test (chi-square approximation, tie correction) for nonnormal variables. " +
		"Percentages exclude missing values. SMD: the mean of the pairwise standardized mean differences (as tableone).": "各组间检验：分类变量用水平 × 组别表的 Pearson 卡方检验，任一理论频数小于 5 时用 Fisher 确切概率法；" +
		"连续变量用 Welch 单因素方差分析（R oneway.test，var.equal = FALSE：不假定方差相等），非正态变量用 Kruskal–Wallis 检验（卡方近似，作结校正）。" +
		"百分比不含缺失值。SMD：两两标准化均数差的平均值（同 tableone）。",
}
