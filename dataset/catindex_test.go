package dataset

import (
	"fmt"
	"strings"
	"testing"
)

// scanCategory is CategoryIndex's scan, kept here as the definition the
// indexed lookup of a long list must agree with.
func scanCategory(f *Field, s string) (int, bool) {
	for i, c := range f.Categories {
		if c.Value == s {
			return i, true
		}
	}
	for i, c := range f.Categories {
		if c.Label == s {
			return i, true
		}
	}
	if f.Type != TypeInteger && f.Type != TypeNumber {
		return -1, false
	}
	x, msg := parseCell(f, s)
	if msg != "" {
		return -1, false
	}
	for i, c := range f.Categories {
		if y, ok := categoryNumber(f, c); ok && y == x {
			return i, true
		}
	}
	return -1, false
}

// TestCategoryIndexLongList: on lists above smallCategoryList the map
// lookup finds what the scan finds (values before labels, first of
// duplicates, numbers by value), and a Field given a new list is
// answered from the new list.
func TestCategoryIndexLongList(t *testing.T) {
	var text, nums strings.Builder
	for i := range 2000 {
		if i > 0 {
			text.WriteString(",")
			nums.WriteString(",")
		}
		// Category 1999's label is the value of category 5: the value wins.
		label := fmt.Sprintf("Level %d", i)
		if i == 1999 {
			label = "c00005"
		}
		fmt.Fprintf(&text, `{"value": "c%05d", "label": %q}`, i, label)
		fmt.Fprintf(&nums, "%d", 10*i)
	}
	doc := `{"fields": [{"name": "id", "type": "string"},
		{"name": "t", "type": "string", "categories": [` + text.String() + `]},
		{"name": "n", "type": "integer", "categories": [` + nums.String() + `]},
		{"name": "x", "type": "number", "decimalChar": ",", "categories": [` + nums.String() + `, 0.5]}]}`
	s, err := ParseSchema([]byte(doc), "long.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		in    []string
	}{
		{"t", []string{"c00000", "c01999", "c00005", "Level 7", "Level 1999", "level 7", "c02000", "", " c00001", "10"}},
		{"n", []string{"0", "10", "19990", "010", "+10", "1e1", "5", "-0", "20000", "x", ""}},
		{"x", []string{"0,5", "0,50", "10", "10,0", "0.5", "19990", "7"}},
	} {
		f, _ := s.Field(c.field)
		if len(f.Categories) <= smallCategoryList {
			t.Fatalf("%s has only %d categories", c.field, len(f.Categories))
		}
		for _, in := range c.in {
			gi, gok := f.CategoryIndex(in)
			wi, wok := scanCategory(f, in)
			if gi != wi || gok != wok {
				t.Errorf("%s: CategoryIndex(%q) = %d, %v; the scan finds %d, %v", c.field, in, gi, gok, wi, wok)
			}
		}
	}
	// A new list on the same Field (a copy reversed) is looked up anew.
	f, _ := s.Field("t")
	if i, _ := f.CategoryIndex("c00000"); i != 0 {
		t.Fatalf("c00000 at %d", i)
	}
	rev := make([]Category, len(f.Categories))
	for i, c := range f.Categories {
		rev[len(rev)-1-i] = c
	}
	f.Categories = rev
	if i, ok := f.CategoryIndex("c00000"); !ok || i != len(rev)-1 {
		t.Errorf("after a new list, c00000 at %d, %v (want %d)", i, ok, len(rev)-1)
	}
	// A list changed in place is caught by the check of the hit.
	f.Categories[0], f.Categories[1] = f.Categories[1], f.Categories[0]
	if i, ok := f.CategoryIndex(f.Categories[0].Value); !ok || i != 0 {
		t.Errorf("after a swap in place, %s at %d, %v", f.Categories[0].Value, i, ok)
	}
}
