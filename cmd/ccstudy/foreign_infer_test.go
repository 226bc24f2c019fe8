package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForeignInferredDrafts: the committed `schema infer` draft of each
// foreign dataset (<name>.inferred.schema.json, the start of its edited
// schema) is what the command writes today, and it loads its own CSV with
// the edited schema's outcome and the same case and control counts.
func TestForeignInferredDrafts(t *testing.T) {
	for _, name := range foreignDatasets {
		t.Run(name, func(t *testing.T) {
			dir := testdataPath(filepath.Join("foreign", name))
			csv := filepath.Join(dir, name+".csv")
			var edited struct {
				Fields []struct{ Name, Role string } `json:"fields"`
			}
			b, err := os.ReadFile(filepath.Join(dir, name+".schema.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &edited); err != nil {
				t.Fatal(err)
			}
			outcome := ""
			for _, f := range edited.Fields {
				if f.Role == "outcome" {
					outcome = f.Name
				}
			}
			if outcome == "" {
				t.Fatalf("%s.schema.json names no outcome", name)
			}
			draft, errOut, code := runCLI(t, "", "schema", "infer", csv, "--outcome", outcome)
			if code != 0 {
				t.Fatalf("schema infer: exit %d: %s", code, errOut)
			}
			committed, err := os.ReadFile(filepath.Join(dir, name+".inferred.schema.json"))
			if err != nil {
				t.Fatal(err)
			}
			// The draft's description names the file it came from: the
			// committed one was made from the repository root.
			rel := filepath.ToSlash(filepath.Join("testdata", "foreign", name, name+".csv"))
			if strings.ReplaceAll(draft, csv, rel) != string(committed) {
				t.Errorf("%s.inferred.schema.json is not what schema infer writes today (regenerate it with: ccstudy schema infer %s --outcome %s -o ...)", name, csv, outcome)
			}
			counts := func(schema string) (cases, controls int) {
				t.Helper()
				out, errOut, code := runCLI(t, "", "validate", "--format", "json", "--data", csv, "--schema", schema)
				if code != 0 {
					t.Fatalf("validate with %s: exit %d: %s", filepath.Base(schema), code, errOut)
				}
				var v struct {
					Summary struct {
						Cases, Controls *int
					} `json:"summary"`
				}
				if err := json.Unmarshal([]byte(out), &v); err != nil || v.Summary.Cases == nil || v.Summary.Controls == nil {
					t.Fatalf("validate JSON (%v): %s", err, out)
				}
				return *v.Summary.Cases, *v.Summary.Controls
			}
			dc, dk := counts(filepath.Join(dir, name+".inferred.schema.json"))
			ec, ek := counts(filepath.Join(dir, name+".schema.json"))
			if dc != ec || dk != ek {
				t.Errorf("draft reads %d cases and %d controls, the edited schema %d and %d", dc, dk, ec, ek)
			}
		})
	}
}
