package logit

import "testing"

func benchFirthCase(b *testing.B, name string) *Design {
	for _, c := range loadFirthCases(b) {
		if c.Name == name {
			return c.design()
		}
	}
	b.Fatalf("no case %s", name)
	return nil
}

// BenchmarkFitFirthProfile: birthwt, n = 189, p = 10, penalized profile
// CIs and penalized LR tests for every coefficient.
func BenchmarkFitFirthProfile(b *testing.B) {
	d := benchFirthCase(b, "birthwt")
	for b.Loop() {
		if _, err := FitFirth(d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitFirthWald is the same fit with Wald CIs (the penalized LR
// tests are still computed).
func BenchmarkFitFirthWald(b *testing.B) {
	d := benchFirthCase(b, "birthwt")
	for b.Loop() {
		if _, err := FitFirth(d, Options{CI: CIWald}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetectSeparation(b *testing.B) {
	d := benchFirthCase(b, "birthwt")
	for b.Loop() {
		if _, err := DetectSeparation(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitConditionalInfert(b *testing.B) {
	c := loadClogitCases(b)[0]
	d := c.design(false)
	for b.Loop() {
		if _, err := FitConditional(d, c.Strata, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
