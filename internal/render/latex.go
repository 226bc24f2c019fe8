package render

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// latexEscaper escapes LaTeX's special characters in text mode; < and >
// are spelled out because the OT1 encoding prints them as ¡ and ¿.
var latexEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, `&`, `\&`, `%`, `\%`, `$`, `\$`, `#`, `\#`, `_`, `\_`,
	`{`, `\{`, `}`, `\}`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`,
	`<`, `\textless{}`, `>`, `\textgreater{}`,
	// Symbols the tables and notes use that LaTeX's UTF-8 input does not
	// set up (Latin-1 signs such as × ± ² · and the dashes it does).
	"−", `\ensuremath{-}`, "≥", `\ensuremath{\geq}`, "≤", `\ensuremath{\leq}`, "≠", `\ensuremath{\neq}`,
	"≈", `\ensuremath{\approx}`, "≡", `\ensuremath{\equiv}`, "→", `\ensuremath{\rightarrow}`, "√", `\ensuremath{\surd}`,
	"∞", `\ensuremath{\infty}`, "ᵀ", `\ensuremath{^{\mathsf{T}}}`, "α", `\ensuremath{\alpha}`, "β", `\ensuremath{\beta}`,
	"γ", `\ensuremath{\gamma}`, "η", `\ensuremath{\eta}`, "κ", `\ensuremath{\kappa}`, "μ", `\ensuremath{\mu}`,
	"σ", `\ensuremath{\sigma}`, "φ", `\ensuremath{\varphi}`, "χ", `\ensuremath{\chi}`, "Δ", `\ensuremath{\Delta}`,
	"Σ", `\ensuremath{\Sigma}`,
	// Superscript letters and digits (Table 1's test footnote marks ᵃ ᵇ
	// ᶜ ᵈ), which pdflatex's UTF-8 input does not set up either.
	"ᵃ", `\textsuperscript{a}`, "ᵇ", `\textsuperscript{b}`, "ᶜ", `\textsuperscript{c}`, "ᵈ", `\textsuperscript{d}`,
	"ᵉ", `\textsuperscript{e}`, "ᶠ", `\textsuperscript{f}`, "ᵍ", `\textsuperscript{g}`, "ʰ", `\textsuperscript{h}`,
	"ⁱ", `\textsuperscript{i}`, "ʲ", `\textsuperscript{j}`, "ᵏ", `\textsuperscript{k}`, "ˡ", `\textsuperscript{l}`,
	"ᵐ", `\textsuperscript{m}`, "ⁿ", `\textsuperscript{n}`, "ᵒ", `\textsuperscript{o}`, "ᵖ", `\textsuperscript{p}`,
	"ʳ", `\textsuperscript{r}`, "ˢ", `\textsuperscript{s}`, "ᵗ", `\textsuperscript{t}`, "ᵘ", `\textsuperscript{u}`,
	"ᵛ", `\textsuperscript{v}`, "ʷ", `\textsuperscript{w}`, "ˣ", `\textsuperscript{x}`, "ʸ", `\textsuperscript{y}`,
	"ᶻ", `\textsuperscript{z}`, "⁰", `\textsuperscript{0}`, "⁴", `\textsuperscript{4}`, "⁵", `\textsuperscript{5}`,
	"⁶", `\textsuperscript{6}`, "⁷", `\textsuperscript{7}`, "⁸", `\textsuperscript{8}`, "⁹", `\textsuperscript{9}`,
)

// tableNumber is a title's own "Table 2." or "Table 2:" prefix.
var tableNumber = regexp.MustCompile(`^Table \d+[.:]\s*`)

// LatexEscape escapes s for LaTeX text mode.
// "--" is split so that it does not print as an en dash (--crude-sample).
func LatexEscape(s string) string {
	s = latexEscaper.Replace(s)
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-{}-")
	}
	return s
}

// WriteLatex writes each table as a LaTeX table environment with booktabs
// rules (\toprule, \midrule, \bottomrule): the title as its caption,
// RowHeader labels in \textbf (only the label: a one-row variable's OR
// and p stay roman), RowLevel rows indented by \quad, the notes
// (and the preamble, such as the synthetic-data notice, so that it stays
// with every table copied into a manuscript) in a \footnotesize block
// under the tabular. The tabular is set \small with 4pt column padding
// (none outside, @{}) and scaled down to \linewidth only when still wider (as
// kableExtra's scale_down does), so an 11-column coefficient table stays
// on the page and a narrow Table 2 keeps its size. The output is a
// fragment for \input; it needs \usepackage{booktabs} and
// \usepackage{graphicx} (both in every journal's class or template).
// Math symbols (− ≥ χ …) are written as LaTeX commands, so pdflatex
// compiles it; Chinese text (--lang zh) needs xelatex with
// \usepackage{ctex}, which the preamble comment then says.
func WriteLatex(w io.Writer, doc *Document) error {
	var b strings.Builder
	b.WriteString("% ccstudy tables; needs \\usepackage{booktabs} and \\usepackage{graphicx} in the preamble\n")
	if hasCJK(doc) {
		b.WriteString("% the tables hold Chinese text: compile with xelatex and \\usepackage{ctex} (pdflatex cannot set it)\n")
	}
	for _, l := range doc.Preamble {
		b.WriteString("% " + strings.ReplaceAll(l, "\n", " ") + "\n")
	}
	for i, t := range doc.Tables {
		b.WriteString("\n\\begin{table}[htbp]\n\\centering\n")
		if t.Title != "" {
			// LaTeX numbers the tables itself: "Table 2. Odds ratios"
			// would print as "Table 1: Table 2. Odds ratios".
			b.WriteString("\\caption{" + LatexEscape(tableNumber.ReplaceAllString(t.Title, "")) + "}\n")
		}
		if t.Name != "" {
			b.WriteString("\\label{tab:" + latexLabel(t.Name) + "}\n")
		}
		b.WriteString("\\small\\setlength{\\tabcolsep}{4pt}\n\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n")
		b.WriteString("\\begin{tabular}{@{}" + strings.Repeat("l", max(len(t.Columns), 1)) + "@{}}\n\\toprule\n")
		head := make([]string, len(t.Columns))
		for c, h := range t.Columns {
			head[c] = LatexEscape(h)
		}
		b.WriteString(strings.Join(head, " & ") + " \\\\\n\\midrule\n")
		for r, row := range t.Rows {
			kind := RowData
			if r < len(t.Kinds) {
				kind = t.Kinds[r]
			}
			cells := make([]string, len(t.Columns))
			for c := range cells {
				if c >= len(row) {
					continue
				}
				s := LatexEscape(row[c])
				switch {
				case kind == RowHeader && c == 0 && s != "":
					s = "\\textbf{" + s + "}"
				case kind == RowLevel && c == 0:
					s = "\\quad " + s
				}
				cells[c] = s
			}
			b.WriteString(strings.Join(cells, " & ") + " \\\\\n")
		}
		b.WriteString("\\bottomrule\n\\end{tabular}}\n")
		notes := append([]string(nil), t.Notes...)
		notes = append(notes, doc.Preamble...)
		if i == len(doc.Tables)-1 {
			notes = append(notes, doc.Epilogue...)
		}
		if len(notes) > 0 {
			b.WriteString("\\par\\smallskip\\raggedright\\footnotesize\n")
			for _, n := range notes {
				b.WriteString(LatexEscape(n) + "\\par\n")
			}
		}
		b.WriteString("\\end{table}\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// latexLabel keeps the characters a \label may hold without trouble.
func latexLabel(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == ':', r == '.':
			return r
		}
		return '-'
	}, name)
}

// hasCJK reports whether doc holds Han, kana or hangul text, which
// pdflatex cannot typeset.
func hasCJK(doc *Document) bool {
	cjk := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool {
			return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		}) >= 0
	}
	for _, l := range append(append([]string(nil), doc.Preamble...), doc.Epilogue...) {
		if cjk(l) {
			return true
		}
	}
	for _, t := range doc.Tables {
		if cjk(t.Title) || slices.ContainsFunc(t.Columns, cjk) || slices.ContainsFunc(t.Notes, cjk) {
			return true
		}
		for _, r := range t.Rows {
			if slices.ContainsFunc(r, cjk) {
				return true
			}
		}
	}
	return false
}
