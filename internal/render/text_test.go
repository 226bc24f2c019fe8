package render

import (
	"strings"
	"testing"
)

// wideTable has more columns than 80 display columns hold unwrapped.
func wideTable() Table {
	t := Table{Title: "Wide", Columns: []string{"term", "crude OR (95% CI)", "crude p", "crude n (events)", "adjusted OR (95% CI)", "adjusted p", "a third OR (95% CI)"}}
	for _, l := range []string{"rd_leader_background: overseas_academic", "novelty: first_in_class", "dev_years"} {
		t.Rows = append(t.Rows, []string{l, "2.88 (1.34, 6.36)", "0.008", "180 (90)", "2.79 (1.12, 7.25)", "0.031", "2.01 (0.99, 4.10)"})
	}
	t.Notes = []string{strings.Repeat("a long note that wraps ", 8)}
	return t
}

func render1(t *testing.T, tb Table, o TextOptions) string {
	t.Helper()
	var b strings.Builder
	if err := WriteText(&b, &Document{Tables: []Table{tb}}, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestWriteTextLayouts: a table that fits is left alone; a wide one is
// split into column groups that repeat the label column, keeping every
// cell whole and every line within the width; box drawing only with TTY;
// plain text has no trailing spaces.
func TestWriteTextLayouts(t *testing.T) {
	wide := wideTable()
	unlimited := render1(t, wide, TextOptions{})
	if maxLineWidth(unlimited) <= 80 {
		t.Fatalf("the test table is only %d columns wide", maxLineWidth(unlimited))
	}
	for _, tty := range []bool{false, true} {
		out := render1(t, wide, TextOptions{TTY: tty, Width: 80})
		if !fits(out, 80) {
			t.Errorf("tty=%v: lines wider than 80:\n%s", tty, out)
		}
		if got := strings.Count(out, "rd_leader_background:"); got < 2 {
			t.Errorf("tty=%v: the label column is not repeated in each group (%d times):\n%s", tty, got, out)
		}
		for _, cell := range []string{"2.88 (1.34, 6.36)", "2.01 (0.99, 4.10)", "180 (90)"} {
			if !strings.Contains(out, cell) {
				t.Errorf("tty=%v: cell %q was broken or lost:\n%s", tty, cell, out)
			}
		}
		if box := strings.ContainsAny(out, "│┌─"); box != tty {
			t.Errorf("tty=%v: box drawing %v", tty, box)
		}
		if !tty {
			for _, l := range strings.Split(out, "\n") {
				if strings.HasSuffix(l, " ") {
					t.Errorf("trailing spaces: %q", l)
				}
			}
		}
	}
	// A narrow table is the same at any width that holds it.
	narrow := Table{Columns: []string{"a", "b"}, Rows: [][]string{{"1", "2"}}}
	if render1(t, narrow, TextOptions{Width: 80}) != render1(t, narrow, TextOptions{}) {
		t.Errorf("a table that fits was changed")
	}
	// Too narrow for any group: one block per row, still within width.
	out := render1(t, wide, TextOptions{Width: 30})
	if !fits(out, 30) || !strings.Contains(out, "1/3") {
		t.Errorf("width 30: not one block per row within 30 columns:\n%s", out)
	}
}

// TestWrapText: words stay whole unless longer than the width; CJK
// characters count two columns; an indent is kept on every line.
func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"one two three four", 9, "one two\nthree\nfour"},
		{"abcdefghij", 4, "abcd\nefgh\nij"},
		{"中文中文中文", 4, "中文\n中文\n中文"},
		{"  level name here", 8, "  level\n  name\n  here"},
	} {
		if got := wrapText(c.in, c.width); got != c.want {
			t.Errorf("wrapText(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}
