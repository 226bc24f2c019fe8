package analysis

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fisherRef is the part of testdata/reference/stats/fisher_rxc.json (R's
// fisher.test, written by fisher_rxc.R) that the membership test uses.
type fisherRef struct {
	Exact []struct {
		Name   string      `json:"name"`
		Table  [][]float64 `json:"table"`
		PValue float64     `json:"p_value"`
	} `json:"exact"`
	MonteCarlo []struct {
		Name       string      `json:"name"`
		Table      [][]float64 `json:"table"`
		Replicates int         `json:"replicates"`
		SimPValue  float64     `json:"sim_p_value"`
	} `json:"monte_carlo"`
}

func loadFisherRef(t *testing.T) fisherRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reference", "stats", "fisher_rxc.json"))
	if err != nil {
		t.Fatalf("%v (rerun Rscript testdata/reference/stats/fisher_rxc.R from the repo root)", err)
	}
	var ref fisherRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// clusterByCase turns a 2 × k table (cases, controls) into the k × 2
// (control, case) counts membershipTest takes.
func clusterByCase(tab [][]float64) [][]float64 {
	out := make([][]float64, len(tab[0]))
	for j := range out {
		out[j] = []float64{tab[1][j], tab[0][j]}
	}
	return out
}

// TestMembershipTestFisherSizes: the cluster × case test never fails for
// size. A sparse 2×8 table gets R's exact p-value; one beyond the exact
// limit gets a Monte-Carlo p-value with its B and seed, within binomial
// error of R's simulated one.
func TestMembershipTestFisherSizes(t *testing.T) {
	ref := loadFisherRef(t)
	found := 0
	for _, c := range ref.Exact {
		if c.Name != "sparse_2x8" {
			continue
		}
		found++
		mt, err := membershipTest(clusterByCase(c.Table), 5)
		if err != nil {
			t.Fatal(err)
		}
		if mt.Test != "fisher" || mt.Method != "exact" || mt.Seed != nil || mt.Replicates != 0 {
			t.Errorf("%s: test %q method %q B %d", c.Name, mt.Test, mt.Method, mt.Replicates)
		}
		clCheckRel(t, c.Name+" p", *mt.PValue, c.PValue, 1e-6)
	}
	for _, c := range ref.MonteCarlo {
		if c.Name != "big_2x15_sparse" {
			continue
		}
		found++
		mt, err := membershipTest(clusterByCase(c.Table), 5)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if mt.Test != "fisher" || mt.Method != "monte-carlo" || mt.Replicates != c.Replicates || mt.Seed == nil || *mt.Seed != StreamSeed(5, StreamFisher) {
			t.Fatalf("%s: %+v", c.Name, mt)
		}
		p := *mt.PValue
		pbar := (p + c.SimPValue) / 2
		tol := math.Sqrt2 * (4*math.Sqrt(pbar*(1-pbar)/float64(c.Replicates)) + 1/float64(c.Replicates+1))
		if math.Abs(p-c.SimPValue) > tol {
			t.Errorf("%s: simulated p %v, R's simulated p %v", c.Name, p, c.SimPValue)
		}
	}
	if found != 2 {
		t.Fatalf("found %d of the 2 reference tables", found)
	}
}
