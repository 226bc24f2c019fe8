package cluster

import (
	"gonum.org/v1/gonum/mat"
)

// refDir holds the JSON written by the R scripts in testdata/reference/cluster.
const refDir = "testdata/reference/cluster/"

func denseOf(rows [][]float64) *mat.Dense {
	n, p := len(rows), len(rows[0])
	m := mat.NewDense(n, p, nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

func symOf(rows [][]float64) *mat.SymDense {
	n := len(rows)
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, rows[i][j])
		}
	}
	return s
}

// canon relabels a 1-based partition by decreasing size, ties by earliest
// row, the convention of KMeansResult.
func canon(cl []int) []int {
	size := map[int]int{}
	first := map[int]int{}
	for i, c := range cl {
		size[c]++
		if _, ok := first[c]; !ok {
			first[c] = i
		}
	}
	labs := make([]int, 0, len(size))
	for c := range size {
		labs = append(labs, c)
	}
	for a := 0; a < len(labs); a++ {
		for b := a + 1; b < len(labs); b++ {
			la, lb := labs[a], labs[b]
			if size[lb] > size[la] || (size[lb] == size[la] && first[lb] < first[la]) {
				labs[a], labs[b] = lb, la
			}
		}
	}
	m := map[int]int{}
	for i, c := range labs {
		m[c] = i + 1
	}
	out := make([]int, len(cl))
	for i, c := range cl {
		out[i] = m[c]
	}
	return out
}
