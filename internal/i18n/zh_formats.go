package i18n

// zhFormats: Chinese words of the office formats' messages.
var zhFormats = map[string]string{
	"wrote the report to %s: report.md, report.html, manifest.json, report.docx, tables.xlsx, %d files in tables/, %d in figures/": "报告已写入 %s：report.md、report.html、manifest.json、report.docx、tables.xlsx，tables/ 中 %d 个文件，figures/ 中 %d 个",
}
