package dataset

import (
	"strings"
	"testing"
)

// TestSchemaPer: the custom "per" property (with "unit") is read on
// number and integer fields and refused, with its field's path, on other
// fields or when it is not a positive number.
func TestSchemaPer(t *testing.T) {
	s, err := ParseSchema([]byte(schemaWith("", `{"name": "age", "type": "integer", "per": 10, "unit": "years"}`)), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.Field("age")
	if f.Per == nil || *f.Per != 10 || f.Unit != "years" {
		t.Errorf("per = %v, unit = %q; want 10, years", f.Per, f.Unit)
	}
	if x, _ := s.Field("x"); x.Per != nil || x.Unit != "" {
		t.Errorf("a field without per got per %v unit %q", x.Per, x.Unit)
	}
	bad := []struct{ field, want string }{
		{`{"name": "a", "type": "number", "per": 0}`, `s.json: fields[3] ("a"): per 0 (expected a positive number of units, e.g. 10)`},
		{`{"name": "a", "type": "number", "per": -5}`, `s.json: fields[3] ("a"): per -5 (expected a positive number of units, e.g. 10)`},
		{`{"name": "a", "type": "string", "per": 10}`, `s.json: fields[3] ("a"): per on a string field (expected it only on number or integer fields)`},
		{`{"name": "a", "type": "boolean", "per": 10}`, `s.json: fields[3] ("a"): per on a boolean field (expected it only on number or integer fields)`},
		{`{"name": "a", "type": "integer", "categories": [1, 2], "per": 10}`, `s.json: fields[3] ("a"): per on a categorical field (expected it only on number or integer fields)`},
		{`{"name": "a", "type": "number", "per": "10"}`, `per`},
	}
	for _, c := range bad {
		_, err := ParseSchema([]byte(schemaWith("", c.field)), "s.json")
		if err == nil {
			t.Errorf("%s: accepted", c.field)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.field, err, c.want)
		}
	}
}
