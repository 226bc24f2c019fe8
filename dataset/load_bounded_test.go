package dataset

import (
	"fmt"
	"strings"
	"testing"
)

// TestLoadCategoryMessageIsBounded: a huge bad cell in a field with many
// categories gives a message of bounded size (the cell and the category
// list elided, the did-you-mean check skipped), where it used to repeat
// the whole cell and every category (issue 15).
func TestLoadCategoryMessageIsBounded(t *testing.T) {
	cats := make([]string, 100000)
	for i := range cats {
		cats[i] = fmt.Sprintf(`{"value": "c%d"}`, i)
	}
	raw := `{"fields": [{"name": "id"}, {"name": "g", "type": "string", "categories": [` + strings.Join(cats, ",") + `]}]}`
	s, err := ParseSchema([]byte(raw), "big.json")
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("x", 10<<20)
	_, err = Load(strings.NewReader("id,g\na,c1\nb,"+huge+"\nc,c99999x\n"), "big.csv", s, LoadOptions{})
	lines := problemLines(t, err)
	if len(lines) != 2 {
		t.Fatalf("%d problems, want 2 (rows 3 and 4)", len(lines))
	}
	for _, l := range lines {
		if len(l) > 2000 {
			t.Errorf("message of %d bytes: %.200s…", len(l), l)
		}
		if !strings.Contains(l, "more") {
			t.Errorf("message does not say that the list was cut: %.300s", l)
		}
	}
	if !strings.HasPrefix(lines[0], "big.csv:3:g: ") || !strings.HasPrefix(lines[1], "big.csv:4:g: ") {
		t.Errorf("positions: %.80s / %.80s", lines[0], lines[1])
	}
}
