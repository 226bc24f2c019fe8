package dataset

import "fmt"

// Lookup returns, for each row of from, the value of field in the row of
// to whose key column equals from's key column (a many-to-one join, e.g.
// events → units). Rows of from without a match are missing; their
// file lines are returned so the caller can report them.
func Lookup(from *Table, fromKey string, to *Table, toKey, field string) (*Column, []int, error) {
	fk, ok := from.Col(fromKey)
	if !ok {
		return nil, nil, fmt.Errorf("%s has no column %s", from.Source, fromKey)
	}
	tk, ok := to.Col(toKey)
	if !ok {
		return nil, nil, fmt.Errorf("%s has no column %s", to.Source, toKey)
	}
	tf, ok := to.Col(field)
	if !ok {
		return nil, nil, fmt.Errorf("%s has no column %s", to.Source, field)
	}
	index := make(map[string]int, to.NRows())
	for i := 0; i < to.NRows(); i++ {
		index[tk.Value(i)] = i
	}
	out := &Column{Field: tf.Field, Missing: make([]bool, from.NRows())}
	if tf.Num != nil {
		out.Num = make([]float64, from.NRows())
	}
	if tf.Str != nil {
		out.Str = make([]string, from.NRows())
	}
	var unmatched []int
	for i := 0; i < from.NRows(); i++ {
		j, ok := index[fk.Value(i)]
		if !ok {
			out.Missing[i] = true
			if out.Num != nil {
				out.Num[i] = nan
			}
			unmatched = append(unmatched, from.Lines[i])
			continue
		}
		out.Missing[i] = tf.Missing[j]
		if out.Num != nil {
			out.Num[i] = tf.Num[j]
		}
		if out.Str != nil {
			out.Str[i] = tf.Str[j]
		}
	}
	return out, unmatched, nil
}
