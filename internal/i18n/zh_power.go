package i18n

// zhPower: Chinese words of the power output, keyed by their English text.
var zhPower = map[string]string{
	"simulating": "模拟中",
	"Power at alpha = %g (%d simulated studies per design)": "检验水准 alpha = %g 时的检验效能（每个设计模拟 %d 项研究）",
	"Cases":                        "病例",
	"Controls":                     "对照",
	"Factor":                       "因素",
	"True OR":                      "真实OR",
	"Power":                        "检验效能",
	"MC SE":                        "蒙特卡罗标准误",
	"Closed form":                  "闭式解",
	"Failed fits":                  "拟合失败数",
	"Method: ":                     "方法：",
	"Failed fits and separation: ": "拟合失败与分离：",
	"Separated":                    "分离",
	"Power is the share of simulated studies with p < alpha; MC SE is its Monte-Carlo standard error sqrt(p(1-p)/sims).":                                                                                                                                                                  "检验效能为 p < alpha 的模拟研究所占比例；蒙特卡罗标准误为 sqrt(p(1-p)/模拟次数)。",
	"Closed form: Schlesselman's power of the two-sided test of two proportions (epiR::epi.sscc at one control per case); it ignores the far tail and uses a score-type test, so it differs from the simulated Wald power by more than Monte-Carlo error in small or unbalanced studies.": "闭式解：Schlesselman 两比例双侧检验的检验效能（每个病例一个对照时即 epiR::epi.sscc）；它忽略另一侧尾部并采用得分型检验，因此在小样本或不平衡研究中与模拟的 Wald 检验效能之差可超过蒙特卡罗误差。",
	"Smallest design in the range reaching power %g": "范围内检验效能达到 %g 的最小设计",
	"Closed form: cases":                             "闭式解：病例数",
	"not reached up to %d":                           "至 %d 仍未达到",
	"Power of the likelihood-ratio test of each term at alpha = %g (%d simulated studies per design)":               "检验水准 alpha = %g 时各项似然比检验的检验效能（每个设计模拟 %d 项研究）",
	"Power of Firth's penalized likelihood-ratio test of each term at alpha = %g (%d simulated studies per design)": "检验水准 alpha = %g 时各项 Firth 惩罚似然比检验的检验效能（每个设计模拟 %d 项研究）",
	"df":                  "自由度",
	"Failed reduced fits": "简化模型拟合失败数",
	"Each row is a term (all columns of a factor tested together, df = its columns); True OR lists the odds ratio of each of its columns. A term inside an interaction is tested with the interaction kept.": "每行为一个项（同一因素的所有列一起检验，自由度 = 其列数）；真实OR 列出其各列的比值比。属于交互作用的项在保留交互作用的情况下检验。",
}
