package render

import (
	"html/template"
	"io"
)

// htmlPage is a standalone HTML5 page; html/template escapes every text.
// The CSS gives journal rules (above and below the header, at the
// bottom), bold variable labels and indented levels.
var htmlPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #111; }
p.notice { font-weight: bold; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.4em; }
thead th { border-top: 2px solid #000; border-bottom: 1px solid #000; text-align: left; padding: 0.25em 0.8em 0.25em 0; }
tbody td { padding: 0.15em 0.8em 0.15em 0; vertical-align: top; }
tbody tr:last-child td { border-bottom: 2px solid #000; }
td.variable { font-weight: bold; }
td.level { padding-left: 1.5em; }
p.note { font-size: 0.85em; margin: 0.2em 0; }
section { margin-bottom: 2em; }
</style>
</head>
<body>
{{range .Preamble}}<p class="notice">{{.}}</p>
{{end}}{{range .Tables}}<section>
<table{{if .ID}} id="{{.ID}}"{{end}}>
{{if .Title}}<caption>{{.Title}}</caption>
{{end}}<thead><tr>{{range .Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Class}} class="{{.Class}}"{{end}}>{{range .Cells}}<td{{if .Class}} class="{{.Class}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</section>
{{end}}{{range .Epilogue}}<p>{{.}}</p>
{{end}}</body>
</html>
`))

type htmlCell struct{ Text, Class string }

type htmlRow struct {
	Class string
	Cells []htmlCell
}

type htmlTable struct {
	ID, Title string
	Columns   []string
	Rows      []htmlRow
	Notes     []string
}

// WriteHTML writes doc as a standalone HTML5 page: the preamble (the
// synthetic-data notice) in bold, each table with its title as caption,
// a <thead>, bold variable labels (only the label: a 0/1 or numeric
// variable's header row also holds its OR and p, which stay in roman as
// gtsummary prints them), indented level rows and its notes.
func WriteHTML(w io.Writer, doc *Document) error {
	data := struct {
		Title              string
		Preamble, Epilogue []string
		Tables             []htmlTable
	}{Title: "ccstudy", Preamble: doc.Preamble, Epilogue: doc.Epilogue}
	if len(doc.Tables) > 0 && doc.Tables[0].Title != "" {
		data.Title = doc.Tables[0].Title
	}
	for _, t := range doc.Tables {
		ht := htmlTable{ID: latexLabel(t.Name), Title: t.Title, Columns: t.Columns, Notes: t.Notes}
		for i, r := range t.Rows {
			kind := RowData
			if i < len(t.Kinds) {
				kind = t.Kinds[i]
			}
			hr := htmlRow{}
			if kind == RowHeader {
				hr.Class = "header"
			}
			for c := range t.Columns {
				cell := htmlCell{}
				if c < len(r) {
					cell.Text = r[c]
				}
				switch {
				case kind == RowLevel && c == 0:
					cell.Class = "level"
				case kind == RowHeader && c == 0:
					cell.Class = "variable"
				}
				hr.Cells = append(hr.Cells, cell)
			}
			ht.Rows = append(ht.Rows, hr)
		}
		data.Tables = append(data.Tables, ht)
	}
	return htmlPage.Execute(w, data)
}

// Binary reports whether format writes a binary file (docx, xlsx), which
// must not go to a terminal.
func Binary(format string) bool { return format == "docx" || format == "xlsx" }
