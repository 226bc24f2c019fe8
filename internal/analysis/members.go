package analysis

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/stats"
)

// Members is a cluster membership file as `ccstudy cluster --members`
// writes it: a header "id,cluster", then one row per clustered data row.
type Members struct {
	// Source names the file in messages.
	Source string
	// IDs, Clusters and Lines are the rows: the data row's id, its
	// cluster (1, 2, ...) and the file line it is on.
	IDs      []string
	Clusters []int
	Lines    []int
}

// ReadMembers reads a membership file. Errors name the file, line and
// column: a header other than id,cluster, an empty or repeated id, a
// cluster that is not a whole number ≥ 1.
func ReadMembers(r io.Reader, source string) (*Members, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s:1: empty file (expected the header id,cluster that ccstudy cluster --members writes)", source)
	}
	if err != nil {
		return nil, membersCSVError(source, err)
	}
	if strings.TrimPrefix(head[0], "\ufeff") != "id" || head[1] != "cluster" {
		return nil, fmt.Errorf("%s:1:1: header is %q (expected id,cluster, as ccstudy cluster --members writes)", source, strings.Join(head, ","))
	}
	m := &Members{Source: source}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, membersCSVError(source, err)
		}
		line, _ := cr.FieldPos(0)
		id := rec[0]
		if id == "" {
			return nil, fmt.Errorf("%s:%d:1: empty id (expected the id of a data row)", source, line)
		}
		if first, dup := seen[id]; dup {
			return nil, fmt.Errorf("%s:%d:1: id %q is listed twice (first on line %d; expected one cluster per row)", source, line, id, first)
		}
		seen[id] = line
		c, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if err != nil || c < 1 {
			return nil, fmt.Errorf("%s:%d:2: cluster %q (expected a whole number from 1, as ccstudy cluster --members writes)", source, line, rec[1])
		}
		m.IDs, m.Clusters, m.Lines = append(m.IDs, id), append(m.Clusters, c), append(m.Lines, line)
	}
	if len(m.IDs) == 0 {
		return nil, fmt.Errorf("%s:2: no rows (expected one id,cluster row per clustered data row)", source)
	}
	return m, nil
}

func membersCSVError(source string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("%s:%d:%d: %d fields (expected 2: id,cluster)", source, pe.Line, pe.Column, pe.Column)
		}
		return fmt.Errorf("%s:%d:%d: %v (expected CSV with the columns id,cluster)", source, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %v", source, err)
}

// clusterGrouping groups the rows of t by the clusters of m, matched on
// the schema's id field. An id of m that is not in t is an error (the
// file belongs to other data); rows of t without a cluster (the
// clustering left them out, usually for a missing value) are excluded.
func clusterGrouping(t *dataset.Table, m *Members, lang string) (grouping, error) {
	ids := t.Schema.FieldsWithRole(dataset.RoleID)
	if len(ids) == 0 {
		return grouping{}, optionErrorf("--members matches rows by id, but the schema marks no id field (give a field \"role\": \"id\")")
	}
	idCol, _ := t.Col(ids[0])
	row := make(map[string]int, t.NRows())
	for i := 0; i < t.NRows(); i++ {
		if !idCol.Missing[i] {
			row[idCol.Value(i)] = i
		}
	}
	clusterOfRow := make([]int, t.NRows())
	for k, id := range m.IDs {
		i, ok := row[id]
		if !ok {
			return grouping{}, fmt.Errorf("%s:%d:1: id %q is not in the data %s (expected the ids of the rows that were clustered)", m.Source, m.Lines[k], id, dataName(t))
		}
		clusterOfRow[i] = m.Clusters[k]
	}
	distinct := map[int]bool{}
	for _, c := range m.Clusters {
		distinct[c] = true
	}
	var cls []int
	for c := range distinct {
		cls = append(cls, c)
	}
	sort.Ints(cls)
	if len(cls) < 2 {
		return grouping{}, fmt.Errorf("%s: every row is in cluster %d (expected at least two clusters to compare)", m.Source, cls[0])
	}
	index := map[int]int{}
	g := grouping{k: true, byLabel: i18n.T(lang, "Cluster"), group: make([]int, t.NRows()),
		reason: "no cluster in " + m.Source, note: ExcludedNoClusterNote, noteArg: m.Source}
	for j, c := range cls {
		index[c] = j
		g.names = append(g.names, strconv.Itoa(c))
		g.labels = append(g.labels, i18n.Tf(lang, "Cluster %d", c))
	}
	for i := range g.group {
		if clusterOfRow[i] == 0 {
			g.group[i] = -1
			g.excluded = append(g.excluded, i)
			continue
		}
		g.group[i] = index[clusterOfRow[i]]
	}
	return g, nil
}

func dataName(t *dataset.Table) string {
	if t.Source == "" || strings.HasPrefix(t.Source, "embedded") {
		return "(embedded)"
	}
	return t.Source
}

// MarshalJSON writes a row of a Table 1 of k groups without the cases_
// and controls_ columns of a binary Table 1 (its summaries are in
// "groups"); a binary Table 1's rows are written as they always were.
func (r Table1Row) MarshalJSON() ([]byte, error) {
	type plain Table1Row
	if r.Groups == nil {
		return json.Marshal(plain(r))
	}
	s := r.Table1Row
	return json.Marshal(struct {
		Variable       string               `json:"variable"`
		Level          string               `json:"level"`
		Kind           string               `json:"kind"`
		VariableLabel  string               `json:"variable_label"`
		LevelLabel     string               `json:"level_label"`
		Status         string               `json:"status,omitempty"`
		Groups         []stats.GroupSummary `json:"groups"`
		OverallN       int                  `json:"overall_n"`
		OverallPercent *float64             `json:"overall_percent,omitempty"`
		OverallMean    *float64             `json:"overall_mean,omitempty"`
		OverallSD      *float64             `json:"overall_sd,omitempty"`
		OverallMedian  *float64             `json:"overall_median,omitempty"`
		OverallQ1      *float64             `json:"overall_q1,omitempty"`
		OverallQ3      *float64             `json:"overall_q3,omitempty"`
		OverallMissing *int                 `json:"overall_missing,omitempty"`
		Nonnormal      bool                 `json:"nonnormal,omitempty"`
		Test           string               `json:"test,omitempty"`
		Statistic      *float64             `json:"statistic,omitempty"`
		DF             *float64             `json:"df,omitempty"`
		DF2            *float64             `json:"df2,omitempty"`
		PValue         *float64             `json:"p_value,omitempty"`
		SMD            *float64             `json:"smd,omitempty"`
		Note           string               `json:"note,omitempty"`
	}{s.Variable, s.Level, s.Kind, r.VariableLabel, r.LevelLabel, r.Status, s.Groups,
		s.OverallN, s.OverallPercent, s.OverallMean, s.OverallSD, s.OverallMedian, s.OverallQ1, s.OverallQ3, s.OverallMissing,
		s.Nonnormal, s.Test, s.Statistic, s.DF, s.DF2, s.PValue, s.SMD, s.Note})
}
