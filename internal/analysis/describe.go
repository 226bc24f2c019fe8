package analysis

import (
	"errors"
	"fmt"
	"math"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/stats"
)

// DescribeOptions specify `ccstudy describe`.
type DescribeOptions struct {
	// By is the binary grouping variable; empty means the schema's outcome.
	By string
	// Vars are the variables of Table 1; empty means every categorical or
	// numeric field but the id, the outcome and By.
	Vars []string
	// Nonnormal are continuous variables shown as median [Q1, Q3] with the
	// Wilcoxon test, in addition to the fields the schema analyses on the
	// log scale.
	Nonnormal []string
	// Strata names the matched-set variable of a matched design (as
	// logit --strata): Table 1 is unchanged but says that its tests
	// ignore the matching. It is not described as a variable.
	Strata string
	// Lang is the language of the labels put beside the codes (field
	// titles, category labels); "" is the schema's default.
	Lang string `json:"-"`
	// Members, when set, groups the rows by cluster (By must be
	// "cluster"): the membership file `ccstudy cluster --members` writes,
	// read by ReadMembers. Rows without a cluster are excluded and
	// counted in ExcludedNote.
	Members *Members `json:"-"`
}

// DescribeResult is the JSON contract of `ccstudy describe`.
type DescribeResult struct {
	Data dataset.DataInfo `json:"data"`
	By   string           `json:"by"`
	// ByLabel is the grouping field's title.
	ByLabel string `json:"by_label"`
	// Groups name the groups by codes. A binary grouping has two (group
	// 1 first): "cases" and "controls" for the outcome, else "by=level".
	// A grouping of k ≥ 3 levels (or by cluster) has one per level, its
	// code ("1", "2", ... for clusters), and every row of Table1 then
	// carries a "groups" array in this order instead of the cases_ and
	// controls_ columns. GroupLabels are their display text in Lang.
	Groups      []string `json:"groups"`
	GroupLabels []string `json:"group_labels"`
	// GroupN is the number of rows in each group, N the rows described.
	GroupN []int       `json:"group_n"`
	N      int         `json:"n"`
	Table1 []Table1Row `json:"table1"`
	Rule   string      `json:"rule"`
	Notes  []string    `json:"notes"`
	// Members is the membership file of a Table 1 by cluster.
	Members string `json:"members,omitempty"`
	// ExcludedNote states how many rows were left out because their
	// group is missing (or they have no cluster in Members), and why.
	ExcludedNote string `json:"excluded_note,omitempty"`
	// Strata is the matched-set variable of a matched design
	// (DescribeOptions.Strata); MatchedNote then says that Table 1's
	// tests ignore the matching.
	Strata      string `json:"strata,omitempty"`
	MatchedNote string `json:"matched_note,omitempty"`
	// Lang is the language the labels were made in (for the tables).
	Lang string `json:"-"`
}

// MatchedNote is the note of Table 1 for a matched design. Its tests
// treat cases and controls as independent samples; with matched sets the
// comparison that respects the matching is conditional (McNemar's test
// for pairs, conditional logistic regression: logit --strata), so the
// p-values are those of an unmatched analysis.
const MatchedNote = "Matched design (matched sets: %s): these tests ignore the matching, comparing cases and controls as independent samples; conditional logistic regression (logit --strata %s) accounts for it."

// Table1Row is a row of stats.TableOne with the display text of its
// codes: the field's title and the category's label in Lang (the code
// itself when the schema has none).
type Table1Row struct {
	stats.Table1Row
	VariableLabel string `json:"variable_label"`
	LevelLabel    string `json:"level_label"`
	// Status is "not computed" on the first row of a variable whose test
	// could not be computed; Note says why.
	Status string `json:"status,omitempty"`
}

// OptionError is an option that names something the data does not have
// or contradicts another option: the caller's mistake rather than the
// data's, which a command reports as wrong usage.
type OptionError struct{ Err error }

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

func optionErrorf(format string, a ...any) error {
	return &OptionError{fmt.Errorf(format, a...)}
}

// IsOptionError reports whether err comes from a bad option.
func IsOptionError(err error) bool {
	var oe *OptionError
	return errors.As(err, &oe)
}

// Describe builds Table 1 of t by the grouping variable. A binary
// grouping (the outcome, a 0/1 field, a two-level category) uses
// stats.TableOne (Pearson chi-square, or Fisher's exact test when an
// expected count is below 5; Welch t, or Wilcoxon rank-sum for nonnormal
// variables; SMD as R's tableone::CreateTableOne); a categorical
// grouping of k ≥ 3 levels, or the clusters of opts.Members, uses
// stats.TableOneK (chi-square or Fisher r×k; Welch's one-way ANOVA or
// Kruskal–Wallis; mean pairwise SMD). Rows whose group is missing are
// excluded and listed in Data. Errors in opts are *OptionError.
func Describe(t *dataset.Table, opts DescribeOptions) (*DescribeResult, error) {
	by := opts.By
	if by == "" {
		if by = t.Schema.Outcome(); by == "" {
			return nil, optionErrorf("the schema marks no outcome: name the grouping variable with --by")
		}
	}
	res := &DescribeResult{Data: dataset.NewDataInfo(t), By: by, Rule: stats.Table1Rule, Lang: opts.Lang}
	if opts.Strata != "" {
		if _, ok := t.Col(opts.Strata); !ok {
			return nil, unknownNamef("unknown --strata variable", opts.Strata, t.Schema.FieldNames())
		}
		res.Strata = opts.Strata
		res.MatchedNote = fmt.Sprintf(MatchedNote, opts.Strata, opts.Strata)
	}
	var g grouping
	var err error
	switch {
	case opts.Members != nil:
		if by != ClusterBy {
			return nil, optionErrorf("--members groups Table 1 by cluster: use it with --by %s", ClusterBy)
		}
		g, err = clusterGrouping(t, opts.Members, opts.Lang)
		res.Members = opts.Members.Source
	case by == ClusterBy && !hasField(t, by):
		return nil, optionErrorf("--by %s needs --members FILE, the membership file written by ccstudy cluster --members FILE", ClusterBy)
	default:
		g, err = fieldGrouping(t, by, opts.Lang)
	}
	if err != nil {
		return nil, err
	}
	res.ByLabel, res.Groups, res.GroupLabels = g.byLabel, g.names, g.labels
	if g.k {
		res.Rule = stats.Table1KRule
	}
	if len(g.excluded) > 0 {
		keep := make([]int, 0, t.NRows()-len(g.excluded))
		for i := range g.group {
			if g.group[i] >= 0 {
				keep = append(keep, i)
			}
		}
		for _, i := range g.excluded {
			res.Data.Exclude(t.Lines[i], g.reason)
		}
		res.ExcludedNote = fmt.Sprintf(g.note, len(g.excluded), g.noteArg)
		t = t.Subset(keep)
		group := make([]int, 0, len(keep))
		for _, i := range keep {
			group = append(group, g.group[i])
		}
		g.group = group
	}
	res.GroupN = make([]int, len(g.names))
	for _, x := range g.group {
		res.GroupN[x]++
	}
	res.N = len(g.group)
	if err := checkGroupsCompared(by, g, res.GroupN); err != nil {
		return nil, err
	}
	vars, err := describeVars(t, by, opts)
	if err != nil {
		return nil, err
	}
	// A variable whose test cannot be computed keeps its summaries and
	// gets a Note with the reason (stats.TableOne); the table stands.
	var rows []stats.Table1Row
	if g.k {
		rows, err = stats.TableOneK(vars, g.group, g.names)
	} else {
		// stats.TableOne codes cases (group 1) as 1 and lists them first.
		bin := make([]int, len(g.group))
		for i, x := range g.group {
			bin[i] = 1 - x
		}
		rows, err = stats.TableOne(vars, bin)
	}
	if err != nil {
		return nil, err
	}
	res.Table1 = make([]Table1Row, len(rows))
	for i, r := range rows {
		res.Table1[i] = Table1Row{Table1Row: r, VariableLabel: r.Variable, LevelLabel: r.Level}
		if r.Note != "" && r.Test == "" {
			res.Table1[i].Status = "not computed"
		}
		f, ok := t.Schema.Field(r.Variable)
		if !ok {
			continue
		}
		res.Table1[i].VariableLabel = f.DisplayTitle(opts.Lang)
		for _, c := range f.Categories {
			if f.IsCategorical() && c.Name() == r.Level {
				res.Table1[i].LevelLabel = c.DisplayLabel(opts.Lang)
			}
		}
	}
	for _, r := range res.Table1 {
		if r.Note != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %s", r.Variable, r.Note))
		}
	}
	return res, nil
}

// ClusterBy is the --by value that groups Table 1 by the clusters of a
// membership file (DescribeOptions.Members).
const ClusterBy = "cluster"

func hasField(t *dataset.Table, name string) bool {
	_, ok := t.Col(name)
	return ok
}

// grouping assigns each row of a table to a group of Table 1.
type grouping struct {
	// group is the group index of each row (into names), -1 for rows
	// excluded (missing group, no cluster).
	group []int
	// names are the group codes, labels their display text, byLabel the
	// grouping's title.
	names, labels []string
	byLabel       string
	// k is true for a grouping of k ≥ 3 levels (or by cluster), tested
	// across the groups by stats.TableOneK.
	k bool
	// excluded lists the rows without a group, reason says why (for
	// DataInfo) and note (with %d for their number) for the table.
	excluded              []int
	reason, note, noteArg string
}

// The notes of rows excluded from Table 1: with a missing group (%d rows,
// %s the grouping variable), or without a cluster in the membership file
// (%s).
const (
	ExcludedMissingNote   = "%d rows with a missing %s are excluded."
	ExcludedNoClusterNote = "%d rows have no cluster in %s (the clustering left them out) and are excluded."
)

// fieldGrouping groups by a field of t: binary (0/1 or a two-level
// category, listed group 1 first, as TableOne) or a category of k ≥ 3
// levels.
func fieldGrouping(t *dataset.Table, by, lang string) (grouping, error) {
	col, ok := t.Col(by)
	if ok && col.Field.IsCategorical() && len(col.Field.Categories) > 2 && by != t.Schema.Outcome() {
		f := col.Field
		g := grouping{k: true, byLabel: f.DisplayTitle(lang), group: make([]int, t.NRows()),
			reason: "missing " + by, note: ExcludedMissingNote, noteArg: by}
		for _, c := range f.Categories {
			g.names = append(g.names, c.Name())
			g.labels = append(g.labels, c.DisplayLabel(lang))
		}
		for i := range g.group {
			if col.Missing[i] {
				g.group[i] = -1
				g.excluded = append(g.excluded, i)
				continue
			}
			g.group[i] = int(col.Num[i])
		}
		return g, nil
	}
	bin, labels, missing, err := groupColumn(t, by)
	if err != nil {
		return grouping{}, err
	}
	g := grouping{names: labels[:], excluded: missing, reason: "missing " + by,
		note: ExcludedMissingNote, noteArg: by, group: make([]int, len(bin))}
	var gl [2]string
	g.byLabel, gl = groupLabels(t, by, lang)
	g.labels = gl[:]
	for i, x := range bin {
		switch x {
		case 1:
			g.group[i] = 0
		case 0:
			g.group[i] = 1
		default:
			g.group[i] = -1
		}
	}
	return g, nil
}

// groupColumn returns the 0/1 group of each row, the group labels
// (group 1 first) and the rows whose group is missing.
func groupColumn(t *dataset.Table, by string) ([]int, [2]string, []int, error) {
	col, ok := t.Col(by)
	if !ok {
		return nil, [2]string{}, nil, unknownNamef("unknown --by variable", by, t.Schema.FieldNames())
	}
	f := col.Field
	labels := [2]string{by + "=1", by + "=0"}
	if by == t.Schema.Outcome() {
		labels = [2]string{"cases", "controls"}
	}
	switch {
	case f.IsCategorical() && len(f.Categories) == 2:
		labels = [2]string{by + "=" + f.Categories[1].Name(), by + "=" + f.Categories[0].Name()}
		if by == t.Schema.Outcome() {
			labels = [2]string{"cases", "controls"}
		}
	case f.IsNumeric():
		for i, v := range col.Num {
			if !col.Missing[i] && v != 0 && v != 1 {
				if by != t.Schema.Outcome() {
					// --by named a number: the choice of variable is
					// wrong, as subgroup --by on a continuous one (exit 2).
					return nil, labels, nil, optionErrorf("--by %s: %s is continuous (%s:%d has %s): expected a binary (0/1) or categorical variable", by, by, t.Source, t.Lines[i], dataset.ElideValue(col.Value(i)))
				}
				return nil, labels, nil, fmt.Errorf("%s:%d:%s: grouping variable must be 0 or 1, found %s (expected a binary or categorical variable for --by)", t.Source, t.Lines[i], by, col.Value(i))
			}
		}
	default:
		return nil, labels, nil, optionErrorf("--by %s: grouping variable %s is not binary or categorical (expected a 0/1 variable or a categorical one)", by, by)
	}
	group := make([]int, t.NRows())
	var missing []int
	for i := range group {
		if col.Missing[i] {
			missing = append(missing, i)
			group[i] = -1
			continue
		}
		group[i] = int(col.Num[i])
	}
	return group, labels, missing, nil
}

// groupLabels are the display text of the grouping field and of its two
// groups (group 1 first): the outcome's groups are cases and controls,
// another field's are "<title> = <level label>".
func groupLabels(t *dataset.Table, by, lang string) (string, [2]string) {
	f, ok := t.Schema.Field(by)
	if !ok {
		return by, [2]string{by + "=1", by + "=0"}
	}
	title := f.DisplayTitle(lang)
	if by == t.Schema.Outcome() {
		return title, [2]string{i18n.T(lang, "cases"), i18n.T(lang, "controls")}
	}
	if f.IsCategorical() && len(f.Categories) == 2 {
		return title, [2]string{title + " = " + f.Categories[1].DisplayLabel(lang), title + " = " + f.Categories[0].DisplayLabel(lang)}
	}
	return title, [2]string{title + " = 1", title + " = 0"}
}

// Table1MaxLevels bounds the levels of a categorical variable in Table 1:
// each level is a row of the table and of every group's counts, and a
// variable with more (an identifier or free text marked categorical) makes
// a table nobody can read. Above stats.SMDMaxLevels its SMD is not computed.
const Table1MaxLevels = 1000

// Table1MaxGroups bounds the groups of --by: each group is a column of
// Table 1 and the multi-group SMD averages over every pair of groups.
const Table1MaxGroups = 50

// checkGroupsCompared refuses a Table 1 that compares nothing: fewer than
// two groups with rows (no cases, or every row in one level of --by), and
// a --by with more than Table1MaxGroups groups (a usage error: the
// default grouping, the outcome, has two).
func checkGroupsCompared(by string, g grouping, n []int) error {
	if len(n) > Table1MaxGroups {
		return optionErrorf("--by %s has %d levels: Table 1 compares at most %d groups (one column each) — collapse the levels or group by another variable", by, len(n), Table1MaxGroups)
	}
	var with []int
	for k, c := range n {
		if c > 0 {
			with = append(with, k)
		}
	}
	if len(with) >= 2 {
		return nil
	}
	total := 0
	for _, c := range n {
		total += c
	}
	if len(with) == 0 {
		return fmt.Errorf("no rows to describe: every row has a missing %s, so Table 1 has no groups to compare", by)
	}
	var empty []string
	for k := range n {
		if n[k] == 0 {
			empty = append(empty, g.labels[k])
		}
	}
	return fmt.Errorf("nothing to compare: all %d rows are %s and none %s, so Table 1 has a single group (expected rows in at least two groups of %s)",
		total, g.labels[with[0]], dataset.ElideList(empty, ", "), by)
}

// describeVars turns the selected columns into stats.Variables.
func describeVars(t *dataset.Table, by string, opts DescribeOptions) ([]stats.Variable, error) {
	names := opts.Vars
	if len(names) == 0 {
		for _, f := range t.Schema.Fields {
			if f.Name == by || f.Name == opts.Strata || f.Role == dataset.RoleID || f.Role == dataset.RoleOutcome || (!f.IsCategorical() && !f.IsNumeric()) {
				continue
			}
			names = append(names, f.Name)
		}
	}
	nonnormal := map[string]bool{}
	for _, f := range t.Schema.Fields {
		if f.Transform == "log" {
			nonnormal[f.Name] = true
		}
	}
	for _, n := range opts.Nonnormal {
		if _, ok := t.Col(n); !ok {
			return nil, unknownNamef("unknown --nonnormal variable", n, describable(t))
		}
		nonnormal[n] = true
	}
	var vars []stats.Variable
	for _, n := range names {
		col, ok := t.Col(n)
		if !ok || (!col.Field.IsCategorical() && !col.Field.IsNumeric()) {
			return nil, optionErrorf("unknown variable %q in --vars (valid: %s%s)", dataset.ElideValue(n), dataset.ElideList(describable(t), ", "), didYouMean(n, describable(t)))
		}
		if n == by {
			return nil, optionErrorf("--vars names the grouping variable %s", by)
		}
		v := stats.Variable{Name: n, Values: make([]float64, t.NRows()), Nonnormal: nonnormal[n]}
		for i := range v.Values {
			v.Values[i] = col.Num[i]
			if col.Missing[i] {
				v.Values[i] = math.NaN()
			}
		}
		switch f := col.Field; {
		case f.IsCategorical():
			if len(f.Categories) > Table1MaxLevels {
				return nil, fmt.Errorf("%s has %d levels: Table 1 lists at most %d levels of a variable (one row each) — collapse the levels, or leave %s out with --vars", n, len(f.Categories), Table1MaxLevels, n)
			}
			v.Levels = f.CategoryNames()
		case f.IsBinary():
			v.Levels = []string{"0", "1"}
		}
		if v.Levels != nil && v.Nonnormal {
			return nil, optionErrorf("--nonnormal %s: %s is categorical", n, n)
		}
		vars = append(vars, v)
	}
	return vars, nil
}

// describable lists the fields Table 1 can show, for error messages.
func describable(t *dataset.Table) []string {
	var out []string
	for _, f := range t.Schema.Fields {
		if f.IsCategorical() || f.IsNumeric() {
			out = append(out, f.Name)
		}
	}
	return out
}
