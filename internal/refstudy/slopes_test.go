package refstudy

import (
	"bytes"
	"testing"
)

// TestSimulateWithTrueSlopesIsSimulate: the option must not change the
// default study (the embedded data is Simulate's output).
func TestSimulateWithTrueSlopesIsSimulate(t *testing.T) {
	a, err := Simulate(DefaultSimOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := SimulateWithSlopes(DefaultSimOptions(), TrueCoefficients())
	if err != nil {
		t.Fatal(err)
	}
	var wa, wb bytes.Buffer
	if err := a.WriteCompanies(&wa); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteCompanies(&wb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wa.Bytes(), wb.Bytes()) {
		t.Error("SimulateWithSlopes(TrueCoefficients()) differs from Simulate")
	}
	// The null-interaction DGP draws the same covariates (same stream)
	// but other case statuses.
	c, err := SimulateWithSlopes(DefaultSimOptions(), NullInteractionCoefficients())
	if err != nil {
		t.Fatal(err)
	}
	var wc bytes.Buffer
	if err := c.WriteCompanies(&wc); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(wa.Bytes(), wc.Bytes()) {
		t.Error("the null-interaction DGP gave the default study")
	}
}

func TestNullInteractionCoefficients(t *testing.T) {
	n := NullInteractionCoefficients()
	tr := TrueCoefficients()
	if len(n) != len(tr) {
		t.Fatalf("%d slopes, want %d", len(n), len(tr))
	}
	zeroed := 0
	for i := range n {
		if n[i].Term != tr[i].Term {
			t.Errorf("slope %d is %s, want %s", i, n[i].Term, tr[i].Term)
		}
		if n[i].LogOR != tr[i].LogOR {
			if n[i].LogOR != 0 {
				t.Errorf("%s changed to %v, not 0", n[i].Term, n[i].LogOR)
			}
			zeroed++
		}
	}
	if zeroed != 2 { // company_type[traditional]:novelty[first_in_class] and listed:orphan_drug
		t.Errorf("%d slopes set to 0, want the 2 non-zero interactions", zeroed)
	}
}

func TestSimulateWithSlopesRefusesBadTerms(t *testing.T) {
	bad := append(TrueCoefficients()[1:], TrueCoef{Term: "dev_yeras", LogOR: 1})
	if _, err := SimulateWithSlopes(DefaultSimOptions(), bad); err == nil {
		t.Error("a misspelt slope was accepted")
	}
	if _, err := SimulateWithSlopes(DefaultSimOptions(), TrueCoefficients()[1:]); err == nil {
		t.Error("a missing slope was accepted")
	}
	dup := append(TrueCoefficients(), TrueCoefficients()[0])
	if _, err := SimulateWithSlopes(DefaultSimOptions(), dup); err == nil {
		t.Error("a repeated slope was accepted")
	}
}
