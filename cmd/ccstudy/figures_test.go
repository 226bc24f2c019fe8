package main

import "testing"

// TestFigureText: figures show the schema's labels, except labels the
// figures' font cannot draw (CJK), which fall back to the codes.
func TestFigureText(t *testing.T) {
	for _, c := range []struct{ label, code, want string }{
		{"Company type: Traditional pharma", "company_type[traditional]", "Company type: Traditional pharma"},
		{"企业类型: 传统药企", "company_type[traditional]", "company_type[traditional]"},
		{"", "orphan_drug", "orphan_drug"},
		{"log(R&D expenditure (CNY million))", "log(rd_expenditure)", "log(R&D expenditure (CNY million))"},
	} {
		if got := figureText(c.label, c.code); got != c.want {
			t.Errorf("figureText(%q, %q) = %q, want %q", c.label, c.code, got, c.want)
		}
	}
}
