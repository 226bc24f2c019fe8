package reftest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// WideStudy is the many-level study of the memory-cap tests: n rows of id,
// case, x and a factor f with k levels (row i at level i mod k), as a
// Table Schema and a CSV. Case alternates 0/1 over the first cases rows
// and is 0 after them (cases < 0: every row alternates).
func WideStudy(n, k, cases int) (schema, csv []byte) {
	cats := make([]string, k)
	for l := range cats {
		cats[l] = fmt.Sprintf("L%d", l)
	}
	s := map[string]any{"name": "wide", "primaryKey": "id", "fields": []map[string]any{
		{"name": "id", "type": "integer", "role": "id"},
		{"name": "case", "type": "integer", "role": "outcome", "constraints": map[string]any{"enum": []int{0, 1}}},
		{"name": "x", "type": "number", "role": "covariate"},
		{"name": "f", "type": "string", "role": "covariate", "categories": cats},
	}}
	sb, err := json.Marshal(s)
	if err != nil {
		panic(err) // a map of strings and ints always marshals
	}
	var b strings.Builder
	b.WriteString("id,case,x,f\n")
	for i := 0; i < n; i++ {
		c := i % 2
		if cases >= 0 && i >= cases {
			c = 0
		}
		fmt.Fprintf(&b, "%d,%d,%d.5,L%d\n", i+1, c, i%17, i%k)
	}
	return sb, []byte(b.String())
}
