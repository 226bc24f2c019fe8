package dataset

import (
	"fmt"
	"strings"
	"testing"
)

// boundedDoc is a schema with one field of each kind a loader message
// quotes a cell for.
const boundedDoc = `{"primaryKey": "id", "fields": [
	{"name": "id", "type": "string", "constraints": {"required": true, "unique": true}},
	{"name": "x", "type": "number", "constraints": {"minimum": 0}},
	{"name": "n", "type": "integer", "constraints": {"enum": [1, 2, 3]}},
	{"name": "c", "type": "string", "categories": ["alpha", "beta"]},
	{"name": "d", "type": "date"},
	{"name": "p", "type": "string", "constraints": {"pattern": "[a-z]+", "maxLength": 5}},
	{"name": "u", "type": "string", "constraints": {"unique": true}},
	{"name": "b", "type": "boolean"}]}`

// TestLoadMessagesBounded: a 10 MB cell in any column gives a message
// that quotes 80 characters of it and counts the rest, whatever the check
// that fails (number, integer, bound, enum, category, date, pattern,
// length, duplicate value, duplicate key, boolean).
func TestLoadMessagesBounded(t *testing.T) {
	big := strings.Repeat("9", 10<<20)
	good := []string{"a1", "1", "1", "alpha", "2020-01-02", "abc", "u1", "true"}
	for col, bad := range map[int]string{
		0: big,       // duplicate key (the row below repeats it)
		1: "x" + big, // not a number
		2: "x" + big, // not an integer
		3: "x" + big, // not a category
		4: "x" + big, // not a date
		5: "x" + big, // pattern and maxLength
		6: big,       // duplicate value
		7: "x" + big, // not a boolean
	} {
		row1 := append([]string(nil), good...)
		row1[col] = bad
		row2 := append([]string(nil), good...)
		row2[0], row2[6] = "a2", "u2"
		if col == 0 || col == 6 {
			row2[col] = bad
		}
		csv := "id,x,n,c,d,p,u,b\n" + strings.Join(row1, ",") + "\n" + strings.Join(row2, ",") + "\n"
		_, err := loadDoc(t, boundedDoc, csv, LoadOptions{})
		if err == nil {
			t.Errorf("column %d: a 10 MB bad cell was accepted", col)
			continue
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if len(line) > 1000 || !strings.Contains(line, "more characters") {
				t.Errorf("column %d: message of %d bytes without the count of what was cut: %.200s", col, len(line), line)
			}
		}
	}
	// A valid but 10 MB number below the minimum and a 10 MB enum miss.
	for _, cell := range []string{"-" + big, big} {
		csv := "id,x,n,c,d,p,u,b\na1," + cell + "," + cell + ",alpha,2020-01-02,abc,u1,true\n"
		_, err := loadDoc(t, boundedDoc, csv, LoadOptions{})
		if err == nil || len(err.Error()) > 2000 {
			t.Errorf("a 10 MB number: %d bytes of message", len(fmt.Sprint(err)))
		}
	}
}

// TestLoadIgnoredColumnsCounted: 10^5 columns not in the schema give
// maxIgnoredColumnWarnings warnings and one line counting the rest, not a
// warning each.
func TestLoadIgnoredColumnsCounted(t *testing.T) {
	var hdr, row strings.Builder
	hdr.WriteString("id,x,n,c,d,p,u,b")
	row.WriteString("a1,1,1,alpha,2020-01-02,abc,u1,true")
	for i := range 100000 {
		fmt.Fprintf(&hdr, ",extra%d", i)
		row.WriteString(",1")
	}
	tab, err := loadDoc(t, boundedDoc, hdr.String()+"\n"+row.String()+"\n", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := tab.Warnings
	if len(w) != maxIgnoredColumnWarnings+1 || !strings.Contains(w[len(w)-1], "… and 99995 more columns not in the schema are ignored (the last is column 100008, \"extra99999\")") {
		t.Errorf("%d warnings, the last %q", len(w), w[len(w)-1])
	}
}

// TestLoadLongCategoryListMisses: misspelt cells in a column of 5,000
// categories show the first 20 categories and a count, and the misses
// shown keep their suggestion (the search is skipped only for those
// merely counted), serially and in parallel.
func TestLoadLongCategoryListMisses(t *testing.T) {
	var cats []string
	for i := range 5000 {
		cats = append(cats, fmt.Sprintf(`"k%04d"`, i))
	}
	doc := `{"fields": [{"name": "id", "type": "string"}, {"name": "c", "type": "string", "categories": [` + strings.Join(cats, ",") + `]}]}`
	var csv strings.Builder
	csv.WriteString("id,c\n")
	for i := range 20000 {
		fmt.Fprintf(&csv, "r%d,q%04d\n", i, i%5000)
	}
	for _, opts := range []LoadOptions{{}, {chunkBytes: 4096}, {MaxRepeats: 5, chunkBytes: 4096}} {
		_, err := loadDoc(t, doc, csv.String(), opts)
		if err == nil {
			t.Fatal("misspelt categories accepted")
		}
		lines := strings.Split(err.Error(), "\n")
		shown := max(opts.MaxRepeats, DefaultMaxRepeats)
		if len(lines) != shown+1 {
			t.Fatalf("%+v: %d lines: %q", opts, len(lines), lines)
		}
		for i, line := range lines[:shown] {
			want := fmt.Sprintf(`d.csv:%d:c: "q%04d" is not one of k0000, k0001, `, i+2, i)
			if !strings.HasPrefix(line, want) || !strings.HasSuffix(line, fmt.Sprintf("k0019, … and 4980 more; did you mean k%04d?", i)) {
				t.Errorf("%+v: line %d: %q", opts, i, line)
			}
		}
		if want := fmt.Sprintf("d.csv:c: … and %d more rows with the same problem (the last at row 20001)", 20000-shown); lines[shown] != want {
			t.Errorf("%+v: %q, want %q", opts, lines[shown], want)
		}
	}
}
