package render

import (
	"fmt"
	"strings"
)

// MarkdownBlockProblems lists the places where md breaks the rules pandoc
// needs to see headings and tables as blocks: every heading ("#" line)
// and every table (run of "|" lines) has a blank line before it (or
// starts the text) and after it, and a "---" rule follows a blank line
// (after text it makes a heading). CommonMark is more lenient, so a
// goldmark rendering does not catch them; the report's tests use it too.
func MarkdownBlockProblems(md string) []string {
	var out []string
	lines := strings.Split(md, "\n")
	blank := func(i int) bool { return i < 0 || i >= len(lines) || strings.TrimSpace(lines[i]) == "" }
	isTable := func(i int) bool { return i >= 0 && i < len(lines) && strings.HasPrefix(lines[i], "|") }
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "#"):
			if !blank(i-1) || !blank(i+1) {
				out = append(out, fmt.Sprintf("line %d: heading %q without a blank line before and after it", i+1, l))
			}
		case strings.TrimSpace(l) == "---" || strings.TrimSpace(l) == "===":
			// After a paragraph line this makes it a setext heading.
			if !blank(i - 1) {
				out = append(out, fmt.Sprintf("line %d: rule %q right after a line of text (a setext heading to pandoc)", i+1, l))
			}
		case isTable(i):
			if !isTable(i-1) && !blank(i-1) {
				out = append(out, fmt.Sprintf("line %d: table without a blank line before it", i+1))
			}
			if !isTable(i+1) && !blank(i+1) {
				out = append(out, fmt.Sprintf("line %d: table without a blank line after it", i+1))
			}
		}
	}
	return out
}
