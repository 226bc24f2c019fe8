package figures

import "testing"

// BenchmarkForest15SVG builds and renders a 15-row forest plot, as the report
// does for the adjusted model.
func BenchmarkForest15SVG(b *testing.B) {
	rows := exampleForestRows()
	if len(rows) != 15 {
		b.Fatalf("example has %d rows, want 15", len(rows))
	}
	for b.Loop() {
		f, err := Forest(rows, ForestOptions{Title: "Adjusted odds ratios", NoteHeader: "OR (95% CI)"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForest15PNG(b *testing.B) {
	rows := exampleForestRows()
	for b.Loop() {
		f, err := Forest(rows, ForestOptions{Title: "Adjusted odds ratios", NoteHeader: "OR (95% CI)"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForest15CrudeAdjustedPNG(b *testing.B) {
	rows := exampleForestRows()
	crude := exampleCrude(rows)
	for b.Loop() {
		f, err := Forest(rows, ForestOptions{Second: crude})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}
