package i18n

// zhOut: Chinese words of the messages on where output was written.
var zhOut = map[string]string{
	"wrote the report to %s": "报告已写入 %s",
	"wrote the report to %s: report.md, report.html, manifest.json, %d files in tables/, %d in figures/": "报告已写入 %s：report.md、report.html、manifest.json，tables/ 中 %d 个文件，figures/ 中 %d 个",
}
