package cluster

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

type pamRef struct {
	PAM []struct {
		Name           string      `json:"name"`
		K              int         `json:"k"`
		D              [][]float64 `json:"d"`
		Medoids        []int       `json:"medoids"`
		Clustering     []int       `json:"clustering"`
		ObjectiveBuild float64     `json:"objective_build"`
		ObjectiveSwap  float64     `json:"objective_swap"`
		SilWidth       []float64   `json:"sil_width"`
		Neighbor       []int       `json:"neighbor"`
		ClusAvgWidths  []float64   `json:"clus_avg_widths"`
		AvgWidth       float64     `json:"avg_width"`
		ClusInfo       [][]float64 `json:"clusinfo"`
		Isolation      []string    `json:"isolation"`
	} `json:"pam"`
	Gower []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name   string     `json:"name"`
			Kind   string     `json:"kind"`
			Values []*float64 `json:"values"`
		} `json:"columns"`
		D [][]float64 `json:"d"`
	} `json:"gower"`
}

func TestPAMMatchesR(t *testing.T) {
	var ref pamRef
	reftest.Load(t, refDir+"pam_gower.json", &ref)
	if len(ref.PAM) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range ref.PAM {
		t.Run(fmt.Sprintf("%s/k%d", c.Name, c.K), func(t *testing.T) {
			res, err := PAM(symOf(c.D), c.K)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Medoids, c.Medoids) {
				t.Errorf("medoids %v, R %v", res.Medoids, c.Medoids)
			}
			if !slices.Equal(res.Clustering, c.Clustering) {
				t.Errorf("clustering %v, R %v", res.Clustering, c.Clustering)
			}
			reftest.Close(t, "objective (build)", res.ObjectiveBuild, c.ObjectiveBuild, 1e-9, 0)
			reftest.Close(t, "objective (swap)", res.ObjectiveSwap, c.ObjectiveSwap, 1e-9, 0)
			if !slices.Equal(res.Isolation, c.Isolation) {
				t.Errorf("isolation %v, R %v", res.Isolation, c.Isolation)
			}
			for k, row := range c.ClusInfo {
				ci := res.ClusInfo[k]
				got := []float64{float64(ci.Size), ci.MaxDiss, ci.AvDiss, ci.Diameter, ci.Separation}
				reftest.CloseSlice(t, fmt.Sprintf("clusinfo[%d]", k), got, row, 1e-9, 0)
			}
			s := res.Silhouette
			if !reftest.CloseSlice(t, "silhouette width", s.Width, c.SilWidth, 0, 1e-9) {
				t.FailNow()
			}
			if !slices.Equal(s.Neighbor, c.Neighbor) {
				t.Fatalf("silhouette neighbors %v, R %v", s.Neighbor, c.Neighbor)
			}
			reftest.CloseSlice(t, "cluster avg width", s.ClusterAvg, c.ClusAvgWidths, 0, 1e-9)
			reftest.Close(t, "avg width", s.AvgWidth, c.AvgWidth, 1e-9, 0)
		})
	}
}

func TestGowerMatchesR(t *testing.T) {
	var ref pamRef
	reftest.Load(t, refDir+"pam_gower.json", &ref)
	if len(ref.Gower) == 0 {
		t.Fatal("no cases")
	}
	for _, g := range ref.Gower {
		cols := make([]GowerColumn, len(g.Columns))
		for f, c := range g.Columns {
			vals := make([]float64, len(c.Values))
			for i, v := range c.Values {
				if v == nil {
					vals[i] = math.NaN()
				} else {
					vals[i] = *v
				}
			}
			cols[f] = GowerColumn{Name: c.Name, Kind: c.Kind, Values: vals}
		}
		D, err := Gower(cols)
		if err != nil {
			t.Fatal(err)
		}
		if g.Name == "flower" {
			// Gower feeding PAM reproduces pam(daisy(flower, "gower"), k).
			for _, c := range ref.PAM {
				if c.Name != "flower_gower" {
					continue
				}
				res, err := PAM(D, c.K)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(res.Medoids, c.Medoids) || !slices.Equal(res.Clustering, c.Clustering) ||
					!reftest.Within(res.ObjectiveSwap, c.ObjectiveSwap, 1e-9, 0) {
					t.Errorf("PAM on Go's Gower, k=%d: medoids %v, R %v", c.K, res.Medoids, c.Medoids)
				}
			}
		}
		reftest.CloseMatrix(t, g.Name+" d", D, g.D, 0, 1e-12)
	}
}

func TestPAMAndGowerErrors(t *testing.T) {
	D := mat.NewSymDense(3, []float64{0, 1, 2, 1, 0, 1, 2, 1, 0})
	if _, err := PAM(D, 3); err == nil {
		t.Error("k = n accepted")
	}
	if _, err := PAM(D, 0); err == nil {
		t.Error("k = 0 accepted")
	}
	bad := mat.NewSymDense(3, []float64{0, math.NaN(), 2, math.NaN(), 0, 1, 2, 1, 0})
	if _, err := PAM(bad, 2); err == nil {
		t.Error("NaN dissimilarity accepted")
	}
	one, err := PAM(D, 1)
	if err != nil || one.Medoids[0] != 2 || one.Silhouette != nil || one.ObjectiveSwap != 2.0/3 {
		t.Errorf("k = 1: %+v %v", one, err)
	}
	nan := math.NaN()
	if _, err := Gower([]GowerColumn{{Name: "a", Kind: "numeric", Values: []float64{1, nan, 3}}, {Name: "b", Kind: "nominal", Values: []float64{nan, 1, 2}}}); err == nil {
		t.Error("pair without common variables accepted")
	}
	if _, err := Gower([]GowerColumn{{Name: "a", Kind: "circular", Values: []float64{1, 2}}}); err == nil {
		t.Error("unknown kind accepted")
	}
	c, err := Gower([]GowerColumn{{Name: "a", Kind: "numeric", Values: []float64{4, 4, 4}}, {Name: "b", Kind: "nominal", Values: []float64{1, 2, 1}}})
	if err != nil || c.At(0, 1) != 0.5 || c.At(0, 2) != 0 {
		t.Errorf("constant column: %v %v", mat.Formatted(c), err)
	}
}

// TestPAMSwapBound: SWAP stopped by its bound says so; R's cases, which
// converge, give no warning at the default bound. A bound of 0 swaps
// warns exactly on the cases where R's SWAP improved on BUILD.
func TestPAMSwapBound(t *testing.T) {
	var ref pamRef
	reftest.Load(t, refDir+"pam_gower.json", &ref)
	swapped := 0
	for _, c := range ref.PAM {
		res, err := PAM(symOf(c.D), c.K)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("%s k=%d: warnings at the default bound: %v", c.Name, c.K, res.Warnings)
		}
		bounded, err := pam(symOf(c.D), c.K, 0)
		if err != nil {
			t.Fatal(err)
		}
		improved := c.ObjectiveSwap < c.ObjectiveBuild
		if improved {
			swapped++
		}
		warned := len(bounded.Warnings) == 1 && strings.Contains(bounded.Warnings[0], "SWAP stopped at its bound of 0 swaps")
		if warned != improved {
			t.Errorf("%s k=%d: bound 0 warned %v, but R's SWAP improved the objective: %v (%v)", c.Name, c.K, warned, improved, bounded.Warnings)
		}
	}
	if swapped == 0 {
		t.Error("no reference case needs a swap, so the bound is not exercised")
	}
}
