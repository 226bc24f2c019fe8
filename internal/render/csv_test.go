package render

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
)

func TestCSVCommentsBlocksAndQuoting(t *testing.T) {
	doc := &Document{Preamble: []string{"NOTICE", "two\nlines"}, Epilogue: []string{"a warning"}, Tables: []Table{
		{Name: "a", Columns: []string{"x"}, Rows: [][]string{{"shown"}}, RawColumns: []string{"x", "y"}, RawRows: [][]string{{"#1", "a # b"}, {"", "1.5"}}},
		{Name: "b", Columns: []string{"z"}, Rows: [][]string{{`say "hi", #`}}},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, "csv", doc); err != nil {
		t.Fatal(err)
	}
	want := "# NOTICE\n# two\n# lines\n\n# a\nx,y\n\"#1\",\"a # b\"\n,1.5\n\n# b\nz\n\"say \"\"hi\"\", #\"\n\n# a warning\n\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
	// Go's reader with Comment '#' keeps the quoted "#" cells.
	r := csv.NewReader(strings.NewReader("x,y\n\"#1\",\"a # b\"\n"))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != "#1" || rows[1][1] != "a # b" {
		t.Errorf("read back %v, %v", rows, err)
	}
}

func TestSelectTableAndRecords(t *testing.T) {
	doc := &Document{Preamble: []string{"P"}, Epilogue: []string{"E"}, JSON: "full", Tables: []Table{
		{Name: "one", Columns: []string{"a"}, Rows: [][]string{{"1"}}},
		{Name: "two", Columns: []string{"Term", "OR"}, Rows: [][]string{{"x", "2.0 (1, 3)"}},
			RawColumns: []string{"term", "estimate", "p_value", "separated", "inf"},
			RawRows:    [][]string{{"x <1", "0.5", "NA", "true", "Inf"}, {"y", "", "0.01", "false", "-Inf"}}},
	}}
	d, err := SelectTable(doc, "two")
	if err != nil || len(d.Tables) != 1 || d.Tables[0].Name != "two" || len(d.Preamble) != 1 || d.Epilogue != nil {
		t.Fatalf("SelectTable: %+v, %v", d, err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d.JSON); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "term": "x <1",
    "estimate": 0.5,
    "p_value": null,
    "separated": true,
    "inf": "Inf"
  },
  {
    "term": "y",
    "estimate": null,
    "p_value": 0.01,
    "separated": false,
    "inf": "-Inf"
  }
]
`
	if buf.String() != want {
		t.Errorf("records:\n%s\nwant\n%s", buf.String(), want)
	}
	_, err = SelectTable(doc, "three")
	var ue *UnknownTableError
	if !errors.As(err, &ue) || err.Error() != "--table three: no such table (expected one of one, two)" {
		t.Errorf("unknown table: %v", err)
	}
}

func TestIsNumericColumn(t *testing.T) {
	for _, c := range []struct {
		cells []string
		want  bool
	}{
		{[]string{"1", "2.5e-3", "NA", "", "Inf", "-Inf"}, true},
		{[]string{"", "NA"}, false},
		{[]string{"1", "2.31 (1.10, 4.86)"}, false},
		{[]string{"17%"}, false},
	} {
		if got := IsNumericColumn(c.cells); got != c.want {
			t.Errorf("IsNumericColumn(%q) = %v", c.cells, got)
		}
	}
}
