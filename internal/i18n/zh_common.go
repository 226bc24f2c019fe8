package i18n

// zhCommon: Chinese words of the common output, keyed by their English text.
var zhCommon = map[string]string{
	"Case-control study":       "病例对照研究",
	"the outcome":              "结局",
	"valid":                    "有效",
	"rows":                     "行",
	"cases":                    "病例",
	"controls":                 "对照",
	"products":                 "产品",
	"warning":                  "警告",
	"Missing cells per column": "各列缺失单元格数",
	"column":                   "列",
	"missing":                  "缺失",
}
