package i18n

// zhCaps: Chinese words of the cluster output's large-n sentences that
// depend on which work was done (the gap statistic is not computed under
// --k), keyed by their English text.
var zhCaps = map[string]string{
	"Above %d rows (here %d) the work is reduced: each partition is the best of %d restarts on a random subsample of %d rows, refined by one k-means run on all rows; the bootstrap uses a subsample of %d rows and %d replicates, with %d restarts per fit.": "超过 %d 行（此处 %d 行）时减少计算量：每个划分取 %d 次重启（在 %d 行的随机子样本上）中的最优者，再在全部行上运行一次 k 均值加以修正；自助法使用 %d 行的子样本和 %d 次重抽样，每次拟合重启 %d 次。",
}
