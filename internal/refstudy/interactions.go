package refstudy

import (
	"fmt"
	"math"
)

// KnownInteraction is an interaction the DGP builds in
// (testdata/README.md): the subgroup split By, the coefficient Coef whose
// odds ratio differs across it, the model term Term the interaction test
// is keyed by, and Text, the truth in words with the true odds ratios.
type KnownInteraction struct {
	By, Coef, Term, Text string
}

// KnownInteractions are the two interactions of the DGP. The true odds
// ratios come from TrueCoefficients, so the text cannot drift from the
// model that generated the data.
func KnownInteractions() []KnownInteraction {
	return []KnownInteraction{
		{"company_type", "novelty[first_in_class]", "novelty", fmt.Sprintf("first_in_class matters less in traditional companies (true OR %.1f in biotech, %.1f in traditional)",
			trueOR("novelty[first_in_class]"), trueOR("novelty[first_in_class]", "company_type[traditional]:novelty[first_in_class]"))},
		{"listed", "orphan_drug", "orphan_drug", fmt.Sprintf("orphan status matters more in listed companies (true OR %.1f if not listed, %.1f if listed)",
			trueOR("orphan_drug"), trueOR("orphan_drug", "listed:orphan_drug"))},
	}
}

// trueOR is the odds ratio of the DGP's true model for the sum of the
// named coefficients (a main effect plus its interaction, say).
func trueOR(terms ...string) float64 {
	sum := 0.0
	for _, c := range TrueCoefficients() {
		for _, t := range terms {
			if c.Term == t {
				sum += c.LogOR
			}
		}
	}
	return math.Exp(sum)
}
