package render

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

type inner struct {
	Low  float64  `json:"low"`
	High float64  `json:"high"`
	Opt  *float64 `json:"opt,omitempty"`
}

type outer struct {
	inner
	Name  string             `json:"name"`
	Skip  int                `json:"-"`
	Items []inner            `json:"items"`
	Map   map[string]float64 `json:"map"`
}

// TestWriteJSONNonFinite: separation gives infinite confidence limits and
// some statistics are undefined; the JSON must still be written, with
// jsonlite's conventions ("Inf", "-Inf", null), in struct field order.
func TestWriteJSONNonFinite(t *testing.T) {
	v := outer{inner: inner{Low: math.Inf(-1), High: 2.5}, Name: "x<y", Skip: 3,
		Items: []inner{{Low: math.NaN(), High: math.Inf(1)}}, Map: map[string]float64{"b": 1, "a": math.Inf(1)}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not valid JSON: %v\n%s", err, buf.String())
	}
	if got["low"] != "-Inf" || got["high"] != 2.5 || got["name"] != "x<y" || got["Skip"] != nil || got["skip"] != nil {
		t.Errorf("top level: %v", got)
	}
	item := got["items"].([]any)[0].(map[string]any)
	if item["low"] != nil || item["high"] != "Inf" {
		t.Errorf("items: %v", item)
	}
	if _, ok := item["opt"]; ok {
		t.Errorf("omitempty ignored: %v", item)
	}
	if m := got["map"].(map[string]any); m["a"] != "Inf" || m["b"] != 1.0 {
		t.Errorf("map: %v", m)
	}
	if s := buf.String(); strings.Index(s, `"low"`) > strings.Index(s, `"name"`) {
		t.Errorf("field order lost:\n%s", s)
	}
}

// TestWriteJSONFinite is the ordinary path: identical to encoding/json.
func TestWriteJSONFinite(t *testing.T) {
	v := inner{Low: 1e-7, High: 123456789}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(v, "", "  ")
	if strings.TrimSpace(buf.String()) != string(want) {
		t.Errorf("got %s, want %s", buf.String(), want)
	}
}

func TestFormatsRenderEveryTable(t *testing.T) {
	doc := &Document{Preamble: []string{"NOTE"}, Tables: []Table{
		{Name: "a", Title: "A", Columns: []string{"x", "y"}, Rows: [][]string{{"1", "two, with comma"}}, Notes: []string{"note a"}},
		{Name: "b", Title: "B", Columns: []string{"z"}, Rows: [][]string{{"3"}}},
	}, JSON: map[string]int{"k": 1}}
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, f, doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := buf.String()
		if Binary(f) {
			continue // read back in formats_test.go
		}
		switch f {
		case "csv":
			if !strings.Contains(out, "# a\nx,y\n1,\"two, with comma\"\n\n# b\nz\n3\n") {
				t.Errorf("csv:\n%s", out)
			}
		case "json":
			if strings.TrimSpace(out) != "{\n  \"k\": 1\n}" {
				t.Errorf("json:\n%s", out)
			}
		default:
			for _, want := range []string{"NOTE", "A", "B", "two, with comma", "note a"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s output lacks %q:\n%s", f, want, out)
				}
			}
		}
	}
	if err := Write(&bytes.Buffer{}, "xml", doc); err == nil || !strings.Contains(err.Error(), "table, csv, json, markdown") {
		t.Errorf("unknown format: %v", err)
	}
}
