package stats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// TrendRow is the count of events in one year, with its change from the
// year before, the running total and the counts per group. The JSON key
// of the count is "products", the name the reference study's output has
// always used for it.
type TrendRow struct {
	Year       int  `json:"year"`
	Count      int  `json:"products"`
	Cumulative int  `json:"cumulative"`
	Change     *int `json:"change"`
	// Groups holds the per-group counts in GroupNames order.
	Groups     []int    `json:"-"`
	GroupNames []string `json:"-"`
}

// MarshalJSON flattens the per-group counts into keys named by the group,
// in the groups' order, after the fixed fields.
func (r TrendRow) MarshalJSON() ([]byte, error) {
	type fixed TrendRow
	b, err := json.Marshal(fixed(r))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for i, g := range r.GroupNames {
		k, _ := json.Marshal(g)
		fmt.Fprintf(&buf, ",%s:%d", k, r.Groups[i])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Trend counts events per year over every year from the first to the last
// observed (years without events count 0), with change_t = n_t − n_{t−1}
// (none for the first year) and cumulative_t = Σ_{s ≤ t} n_s. group[i]
// indexes groupNames (−1: counted in the total only).
func Trend(years []int, group []int, groupNames []string) ([]TrendRow, error) {
	if len(years) == 0 {
		return nil, nil
	}
	if group != nil && len(group) != len(years) {
		return nil, fmt.Errorf("trend: %d groups for %d years", len(group), len(years))
	}
	lo, hi := years[0], years[0]
	for _, y := range years {
		lo, hi = min(lo, y), max(hi, y)
	}
	rows := make([]TrendRow, hi-lo+1)
	for i := range rows {
		rows[i].Year = lo + i
		rows[i].GroupNames = groupNames
		rows[i].Groups = make([]int, len(groupNames))
	}
	for i, y := range years {
		r := &rows[y-lo]
		r.Count++
		if group != nil && group[i] >= 0 {
			if group[i] >= len(groupNames) {
				return nil, fmt.Errorf("trend: group %d out of range", group[i])
			}
			r.Groups[group[i]]++
		}
	}
	cum := 0
	for i := range rows {
		cum += rows[i].Count
		rows[i].Cumulative = cum
		if i > 0 {
			c := rows[i].Count - rows[i-1].Count
			rows[i].Change = &c
		}
	}
	return rows, nil
}

// Frequency is one level of a frequency table.
type Frequency struct {
	Table   string  `json:"table"`
	Level   string  `json:"level"`
	N       int     `json:"n"`
	Percent float64 `json:"percent"`
}

// Frequencies counts labels, 100·n/total per level, in the order of
// levels (levels not given are appended in sorted order, so no value is
// ever dropped).
func Frequencies(table string, labels []string, levels []string) []Frequency {
	counts := map[string]int{}
	for _, l := range labels {
		counts[l]++
	}
	order := append([]string(nil), levels...)
	known := map[string]bool{}
	for _, l := range levels {
		known[l] = true
	}
	var extra []string
	for l := range counts {
		if !known[l] {
			extra = append(extra, l)
		}
	}
	sort.Strings(extra)
	order = append(order, extra...)
	out := make([]Frequency, 0, len(order))
	for _, l := range order {
		f := Frequency{Table: table, Level: l, N: counts[l]}
		if len(labels) > 0 {
			f.Percent = 100 * float64(counts[l]) / float64(len(labels))
		}
		out = append(out, f)
	}
	return out
}
