package cluster

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

type silCase struct {
	Cluster       []int     `json:"cluster"`
	SilWidth      []float64 `json:"sil_width"`
	Neighbor      []int     `json:"neighbor"`
	ClusAvgWidths []float64 `json:"clus_avg_widths"`
	AvgWidth      float64   `json:"avg_width"`
}

type validityRef struct {
	Data  map[string][][]float64 `json:"data"`
	Cases []struct {
		silCase
		Dataset   string  `json:"dataset"`
		K         int     `json:"k"`
		Partition string  `json:"partition"`
		Calinhara float64 `json:"calinhara"`
	} `json:"cases"`
	DissCase struct {
		silCase
		D [][]float64 `json:"d"`
	} `json:"diss_case"`
}

func checkSil(t *testing.T, got SilhouetteResult, want silCase) {
	t.Helper()
	if !reftest.CloseSlice(t, "width", got.Width, want.SilWidth, 1e-9, 1e-9) {
		t.FailNow()
	}
	if !slices.Equal(got.Neighbor, want.Neighbor) {
		t.Fatalf("neighbors %v, R %v", got.Neighbor, want.Neighbor)
	}
	reftest.CloseSlice(t, "cluster avg width", got.ClusterAvg, want.ClusAvgWidths, 0, 1e-9)
	reftest.Close(t, "avg width", got.AvgWidth, want.AvgWidth, 1e-9, 0)
}

func TestSilhouetteAndCHMatchR(t *testing.T) {
	var ref validityRef
	reftest.Load(t, refDir+"validity.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range ref.Cases {
		t.Run(fmt.Sprintf("%s/k%d/%s", c.Dataset, c.K, c.Partition), func(t *testing.T) {
			X := denseOf(ref.Data[c.Dataset])
			s, err := Silhouette(X, c.Cluster)
			if err != nil {
				t.Fatal(err)
			}
			checkSil(t, s, c.silCase)
			ch, err := CalinskiHarabasz(X, c.Cluster)
			if err != nil {
				t.Fatal(err)
			}
			reftest.Close(t, "CH", ch, c.Calinhara, 1e-9, 0)
		})
	}
	s, err := SilhouetteDiss(symOf(ref.DissCase.D), ref.DissCase.Cluster)
	if err != nil {
		t.Fatal(err)
	}
	checkSil(t, s, ref.DissCase.silCase)
}

func TestValidityErrors(t *testing.T) {
	X := mat.NewDense(4, 1, []float64{1, 2, 3, 4})
	if _, err := Silhouette(X, []int{1, 1, 1, 1}); err == nil {
		t.Error("single cluster accepted")
	}
	if _, err := Silhouette(X, []int{1, 2, 3, 4}); err == nil {
		t.Error("n clusters accepted")
	}
	if _, err := Silhouette(X, []int{1, 0, 1, 2}); err == nil {
		t.Error("label 0 accepted")
	}
	if _, err := CalinskiHarabasz(X, []int{1, 1, 2}); err == nil {
		t.Error("length mismatch accepted")
	}
	Y := mat.NewDense(4, 1, []float64{1, 1, 3, 3})
	if _, err := CalinskiHarabasz(Y, []int{1, 1, 2, 2}); err == nil {
		t.Error("zero within SS gave a number")
	}
	// Non-contiguous labels are recoded, as R's silhouette does.
	a, err := Silhouette(X, []int{5, 5, 9, 9})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Silhouette(X, []int{1, 1, 2, 2})
	if a.AvgWidth != b.AvgWidth || a.Neighbor[0] != 9 || a.Labels[1] != 9 {
		t.Errorf("recoding: %+v", a)
	}
}
