package dataset

import (
	"strings"
)

// Problems collects the problems that a check across the rows of one file
// finds, as the loader does: the first DefaultMaxProblems in file order, a
// problem repeated on many rows shown a few times and then counted. Checks
// of a study's own design (outside this package) report through it.
type Problems struct{ ps *problems }

// NewProblems starts a collection for file (the name messages use).
func NewProblems(file string) *Problems {
	return &Problems{ps: newProblems(file, DefaultMaxProblems)}
}

// Add records a problem at file line row and column col. Problems written
// with the same format in the same column are the same problem, so their
// repeats are summarized.
func (p *Problems) Add(row int, col, format string, args ...any) {
	p.ps.add(row, col, 0, format, args...)
}

// Err is the collection as a *ValidationError, or nil when empty.
func (p *Problems) Err() error { return p.ps.err() }

// Summary describes a loaded table: its size, the case/control split and
// the missing values per column.
type Summary struct {
	Rows int `json:"rows"`
	// Outcome, Cases and Controls are omitted when the schema marks no outcome.
	Outcome  string `json:"outcome,omitempty"`
	Cases    *int   `json:"cases,omitempty"`
	Controls *int   `json:"controls,omitempty"`
	// Missing follows the schema's field order.
	Missing  []MissingCount `json:"missing"`
	Warnings []string       `json:"warnings,omitempty"`
}

// MissingCount is the number of missing cells in one column.
type MissingCount struct {
	Column  string `json:"column"`
	Missing int    `json:"missing"`
}

// Summarize counts rows, cases, controls and missing values of t.
func Summarize(t *Table) Summary {
	s := Summary{Rows: t.NRows(), Missing: make([]MissingCount, 0, len(t.Columns)), Warnings: t.Warnings}
	if t.Schema != nil {
		if oc, ok := t.Col(t.Schema.Outcome()); ok {
			cases, controls := countOutcome(oc)
			s.Outcome, s.Cases, s.Controls = oc.Field.Name, &cases, &controls
		}
	}
	for _, c := range t.Columns {
		s.Missing = append(s.Missing, MissingCount{Column: c.Field.Name, Missing: c.CountMissing()})
	}
	return s
}

// DataInfo is the "data" object every command prints, so a result can be
// traced to the exact bytes and rows it came from.
type DataInfo struct {
	// Path is the file read, or "embedded" for the built-in data.
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	RowsRead int    `json:"rows_read"`
	// RowsUsed and Excluded are filled by the analysis that drops rows
	// (for instance rows with a missing covariate).
	RowsUsed int         `json:"rows_used"`
	Excluded []Exclusion `json:"excluded"`
}

// NewDataInfo describes t with every row used.
func NewDataInfo(t *Table) DataInfo {
	path := t.Source
	if path == "" || strings.HasPrefix(path, "embedded") {
		path = "embedded"
	}
	return DataInfo{Path: path, SHA256: t.SHA256, RowsRead: t.NRows(), RowsUsed: t.NRows(), Excluded: []Exclusion{}}
}

// Exclude records that the row at file line row was left out, and why.
func (d *DataInfo) Exclude(row int, reason string) {
	d.Excluded = append(d.Excluded, Exclusion{Row: row, Reason: reason})
	d.RowsUsed--
}
