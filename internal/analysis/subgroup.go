package analysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/ccstudy/ccstudy/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// Subgroup rules, stated once so the command can print them.
const (
	// MinStratumEvents is the fewest events and non-events a stratum needs
	// before its model is fitted.
	MinStratumEvents = 10
	// SubgroupAlpha is the false-discovery rate the summary reports against.
	SubgroupAlpha = 0.05
)

// Subgroup statuses.
const (
	StatusOK       = "ok"
	StatusTooSmall = "too_small"
	StatusFailed   = "fit_failed"
	// StatusEmpty: no row falls in the stratum.
	StatusEmpty = "empty"
)

// SubgroupOptions specify `ccstudy subgroup`. Start from
// DefaultSubgroupOptions.
type SubgroupOptions struct {
	// LogitOptions give the model (Formula or Covariates), the method
	// and the intervals of the stratum models.
	LogitOptions
	// By are the subgroup SPECs; empty means DefaultSpecsFor(schema), the
	// fields with role "subgroup".
	By []string
	// Exposures are extra binary exposures VAR=LEVEL for the crude
	// Mantel-Haenszel analysis (level against the rest).
	Exposures []string
}

// DefaultSubgroupOptions are the commands' settings: the schema's
// subgroup fields (DefaultSpecsFor) and the models of DefaultLogitOptions.
func DefaultSubgroupOptions() SubgroupOptions {
	return SubgroupOptions{LogitOptions: DefaultLogitOptions()}
}

// WarnAliasedDropped marks a stratum column left out because it is
// aliased there.
const WarnAliasedDropped logit.WarningCode = "aliased_dropped"

// SubgroupResult is the JSON contract of `ccstudy subgroup`.
type SubgroupResult struct {
	Data dataset.DataInfo `json:"data"`
	// Formula is the whole-sample model; each stratum model drops the terms
	// that use the split variable.
	Formula string `json:"formula"`
	// CI and Level describe the intervals of the stratum ORs.
	CI             logit.CI          `json:"ci"`
	Level          float64           `json:"level"`
	Subgroups      []*SubgroupSplit  `json:"subgroups"`
	MantelHaenszel []*MantelHaenszel `json:"mantel_haenszel"`
	// MantelHaenszelSkipped are the exposures not
	// stratified by a split because they are its variable: constant
	// within each stratum, they have no stratified OR.
	MantelHaenszelSkipped []MHSkipped       `json:"mantel_haenszel_skipped,omitempty"`
	Ranking               []InteractionRank `json:"ranking"`
	// FamilySize is the number of interaction tests Holm and
	// Benjamini-Hochberg adjust over: one per unordered pair {term
	// variable, split variable} (see Interaction.DuplicateOf).
	FamilySize int `json:"family_size"`
	// Alpha is the false-discovery rate the summary reports against
	// (SubgroupAlpha).
	Alpha   float64  `json:"alpha"`
	Summary []string `json:"summary"`
	// SummaryText is Summary in Lang with the schema's labels, for the
	// tables (JSON keeps the English with codes).
	SummaryText []string `json:"-"`
	// Outcome is the outcome field and OutcomeLabel its display title;
	// Lang is the language of every label (LogitOptions.Lang).
	Outcome      string `json:"-"`
	OutcomeLabel string `json:"-"`
	Lang         string `json:"-"`
}

// SubgroupSplit is one SPEC: its strata and the heterogeneity tests.
type SubgroupSplit struct {
	By string `json:"by"`
	// Definition says how the rows are divided, in codes; DefinitionLabel
	// says it with the schema's titles and labels in the run's language.
	Definition      string `json:"definition"`
	DefinitionLabel string `json:"definition_label"`
	Variable        string `json:"variable"`
	// VariableLabel is the split variable's display title and Label the
	// SPEC's ("<title> = <level label>", "<title> at the median").
	VariableLabel string `json:"variable_label"`
	Label         string `json:"label"`
	// Cut is the split value of x@v (the median when asked for).
	Cut *float64 `json:"cut,omitempty"`
	// Formula is the stratum model.
	Formula      string           `json:"formula"`
	N            int              `json:"n"`
	Levels       []*SubgroupLevel `json:"levels"`
	Interactions []*Interaction   `json:"interactions"`
}

// SubgroupLevel is one stratum and its fitted model.
type SubgroupLevel struct {
	Level string `json:"level"`
	// LevelLabel is the stratum in the schema's labels.
	LevelLabel string `json:"level_label"`
	N          int    `json:"n"`
	Events     int    `json:"events"`
	// Method is the fit actually used (mle, or firth after separation);
	// empty when the stratum was not fitted.
	Method logit.Method `json:"method"`
	// Status is ok, too_small, empty or fit_failed; Reason says why.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Dropped are design columns left out because they are aliased in the
	// stratum (a level absent there, or collinear), as R's glm reports NA.
	Dropped  []string        `json:"dropped"`
	Warnings []logit.Warning `json:"warnings"`
	Terms    []logit.Term    `json:"terms"`
}

// Interaction is the heterogeneity of one model term across the strata
// of one SPEC.
type Interaction struct {
	Term  string `json:"term"`
	Label string `json:"label"`
	// LRStatistic, DF and PValue are the whole-sample likelihood-ratio test
	// of model + S + X:S against model + S; DF counts the interaction
	// columns that are not aliased. Nil when no interaction column is
	// estimable (DF 0). Method says which likelihood: mle (the deviance
	// difference of the two ML fits) or firth (Firth's penalized LR test
	// of the interaction columns, logit.FirthBlockTest), which --method
	// auto uses when model + S + X:S is separated: there the MLE does not
	// exist and the ML test rejects far too often (testdata/calibration.md).
	LRStatistic *float64     `json:"lr_statistic"`
	Method      logit.Method `json:"method,omitempty"`
	DF          int          `json:"df"`
	PValue      *float64     `json:"p_value"`
	PHolm       *float64     `json:"p_holm"`
	QBH         *float64     `json:"q_bh"`
	// DuplicateOf names the test kept for the same hypothesis when this
	// one repeats it: the interaction of variables a and b is one
	// hypothesis whether a is split by b or b by a (or b is split twice),
	// so only the first test of the pair in the run (in --by order, then
	// term order) that has a p-value is in the multiplicity family; this
	// one keeps its p-value and has no PHolm or QBH.
	DuplicateOf *InteractionRef `json:"duplicate_of,omitempty"`
	// Reason says why the LR test is missing (nil LRStatistic).
	Reason string `json:"reason,omitempty"`
	// CochranQ and I2 (percent) are those of the coefficient of the term
	// with the largest Q (named by Coefficient); every coefficient is in
	// Coefficients.
	CochranQ    *float64 `json:"cochran_q"`
	CochranDF   *int     `json:"cochran_df"`
	CochranP    *float64 `json:"cochran_p"`
	I2          *float64 `json:"i2"`
	Coefficient string   `json:"coefficient,omitempty"`
	// CoefficientLabel is Coefficient's display text; CochranReason says
	// why no coefficient has a Q (nil CochranQ).
	CoefficientLabel string `json:"coefficient_label,omitempty"`
	CochranReason    string `json:"cochran_reason,omitempty"`
	// CochranFirthStrata are the strata (codes) whose estimates in that Q
	// are Firth's penalized ones: Q then pools penalized with
	// maximum-likelihood estimates (or penalized ones only), which the
	// output says. Empty when every pooled stratum is a maximum-likelihood
	// fit.
	CochranFirthStrata []string            `json:"cochran_firth_strata,omitempty"`
	Coefficients       []CoefHeterogeneity `json:"coefficients"`
	// Aliased are the interaction columns dropped (a level of X absent in
	// a stratum), which reduce DF.
	Aliased []string `json:"aliased"`
	Notes   []string `json:"notes"`
}

// CoefHeterogeneity is Cochran's Q of one coefficient over the fitted
// strata that estimate it.
type CoefHeterogeneity struct {
	Coefficient string   `json:"coefficient"`
	Label       string   `json:"label"`
	K           int      `json:"k"`
	Q           *float64 `json:"q"`
	DF          int      `json:"df"`
	PValue      *float64 `json:"p_value"`
	I2          *float64 `json:"i2"`
	// Estimate is the fixed-effect pooled coefficient.
	Estimate *float64 `json:"estimate"`
	Reason   string   `json:"reason,omitempty"`
	// FirthStrata are the pooled strata (codes) fitted by Firth's
	// penalized likelihood; the others are maximum-likelihood fits.
	FirthStrata []string `json:"firth_strata,omitempty"`
}

// MHSkipped is a binary exposure not stratified by a split of its own
// variable (SubgroupResult.MantelHaenszelSkipped).
type MHSkipped struct {
	Exposure      string `json:"exposure"`
	ExposureLabel string `json:"exposure_label"`
	By            string `json:"by"`
	ByLabel       string `json:"by_label"`
}

// InteractionRef names one interaction test: Term within the SPEC By.
type InteractionRef struct {
	Term string `json:"term"`
	By   string `json:"by"`
}

// InteractionRank is one term × subgroup pair in the ranking by p-value.
type InteractionRank struct {
	By      string  `json:"by"`
	ByLabel string  `json:"by_label"`
	Term    string  `json:"term"`
	Label   string  `json:"label"`
	PValue  float64 `json:"p_value"`
	PHolm   float64 `json:"p_holm"`
	QBH     float64 `json:"q_bh"`
}

// MantelHaenszel is the crude stratified analysis of one binary exposure
// by one SPEC. The numbers are nil, with Reason, when it cannot be done.
type MantelHaenszel struct {
	Exposure      string   `json:"exposure"`
	ExposureLabel string   `json:"exposure_label"`
	By            string   `json:"by"`
	ByLabel       string   `json:"by_label"`
	ORMH          *float64 `json:"or_mh"`
	ORConfLow     *float64 `json:"or_conf_low"`
	ORConfHigh    *float64 `json:"or_conf_high"`
	ChiSquare     *float64 `json:"mh_chi_square"`
	PValue        *float64 `json:"mh_p_value"`
	// Level is the confidence level of the MH and stratum intervals
	// (--level).
	Level float64 `json:"level"`
	// ExcludedStrata are the strata (codes) left out of the MH estimate,
	// Breslow-Day and Woolf and their df because their 2×2 table has an
	// empty margin (no exposed, no unexposed, no cases or no controls);
	// Informative counts the others.
	ExcludedStrata []string `json:"excluded_strata"`
	Informative    int      `json:"informative"`
	// BreslowDay is the Breslow-Day statistic with Tarone's correction;
	// BreslowDayUncorrected without it (as epiR). Woolf is the
	// inverse-variance Q of the stratum log ORs, 0.5 added to the cells of
	// a stratum only when it has a zero cell.
	BreslowDay             *float64    `json:"breslow_day"`
	BreslowDayP            *float64    `json:"breslow_day_p"`
	BreslowDayUncorrected  *float64    `json:"breslow_day_uncorrected"`
	BreslowDayUncorrectedP *float64    `json:"breslow_day_uncorrected_p"`
	Woolf                  *float64    `json:"woolf"`
	WoolfP                 *float64    `json:"woolf_p"`
	DF                     int         `json:"df"`
	Strata                 []MHStratum `json:"strata"`
	Reason                 string      `json:"reason,omitempty"`
}

// MHStratum is one stratum's 2×2 table (rows exposed/unexposed, columns
// cases/controls) and odds ratio.
type MHStratum struct {
	Level      string `json:"level"`
	LevelLabel string `json:"level_label"`
	stats.MHStratum
}

// splitKind says how a SPEC divides the rows.
type splitKind int

const (
	splitCategorical splitKind = iota // one stratum per category
	splitBinary                       // 0 vs 1
	splitLevel                        // x = level vs the rest
	splitCut                          // x < v vs x ≥ v
)

// subgroupSpec is a parsed SPEC.
type subgroupSpec struct {
	by     string
	field  *dataset.Field
	kind   splitKind
	level  int     // splitLevel: the category index
	median bool    // splitCut at the median
	at     float64 // splitCut at a value
}

// DefaultSpecsFor returns the SPECs of the fields the schema marks with
// role "subgroup", in field order: a categorical or binary field splits
// by its levels, a numeric one at its median (x@median).
func DefaultSpecsFor(s *dataset.Schema) []string {
	var out []string
	for _, f := range s.Fields {
		switch {
		case f.Role != dataset.RoleSubgroup:
		case f.IsCategorical() || f.IsBinary():
			out = append(out, f.Name)
		case f.IsNumeric():
			out = append(out, f.Name+"@median")
		}
	}
	return out
}

// splittable lists the fields a SPEC may name.
func splittable(s *dataset.Schema) string {
	var out []string
	for _, f := range s.Fields {
		switch {
		case f.Role == dataset.RoleOutcome || f.Role == dataset.RoleID:
		case f.IsCategorical() || f.IsBinary():
			out = append(out, f.Name)
		case f.IsNumeric():
			out = append(out, f.Name+"@median")
		}
	}
	return strings.Join(out, ", ")
}

// parseSubgroupSpec reads "x", "x=level", "x@median" or "x@v". Its
// messages quote the SPEC and list the valid choices elided, so that a
// huge SPEC or a field with 10^5 levels gives a message of bounded size.
func parseSubgroupSpec(s *dataset.Schema, spec string) (*subgroupSpec, error) {
	name, rest, sep := spec, "", ""
	if i := strings.IndexAny(spec, "=@"); i >= 0 {
		name, sep, rest = spec[:i], spec[i:i+1], spec[i+1:]
	}
	name = strings.TrimSpace(name)
	rest = strings.TrimSpace(rest)
	q, n, valid := dataset.ElideValue(spec), dataset.ElideValue(name), dataset.ElideText(splittable(s))
	f, ok := s.Field(name)
	if !ok || f.Role == dataset.RoleID || f.Role == dataset.RoleOutcome {
		var names []string
		for _, f := range s.Fields {
			names = append(names, f.Name)
		}
		return nil, optionErrorf("--by %q: unknown subgroup variable %q (valid: %s%s)", q, n, valid, didYouMean(name, names))
	}
	sp := &subgroupSpec{by: spec, field: f}
	switch sep {
	case "":
		switch {
		case f.IsCategorical():
			sp.kind = splitCategorical
		case f.IsBinary():
			sp.kind = splitBinary
		case f.IsNumeric():
			return nil, optionErrorf("--by %q: %s is continuous: give a split, e.g. %s@median or %s@<value>", q, n, n, n)
		default:
			return nil, optionErrorf("--by %q: %s is free text and cannot define subgroups (valid: %s)", q, n, valid)
		}
	case "=":
		if !f.IsCategorical() {
			return nil, optionErrorf("--by %q: %s is not categorical; = LEVEL splits a categorical variable (use %s as is for 0/1, or %s@VALUE)", q, n, n, n)
		}
		k, ok := f.CategoryIndex(rest)
		if !ok {
			return nil, optionErrorf("--by %q: unknown level %q of %s (valid: %s)", q, dataset.ElideValue(rest), n, dataset.ElideList(f.CategoryNames(), ", "))
		}
		sp.kind, sp.level = splitLevel, k
	case "@":
		if !f.IsNumeric() || f.IsBinary() {
			return nil, optionErrorf("--by %q: %s is not continuous; @ splits a numeric variable (use %s as is, or %s=LEVEL)", q, n, n, n)
		}
		sp.kind = splitCut
		if rest == "median" {
			sp.median = true
		} else {
			v, err := strconv.ParseFloat(rest, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, optionErrorf("--by %q: expected %s@median or %s@NUMBER, got %q", q, n, n, dataset.ElideValue(rest))
			}
			sp.at = v
		}
	}
	return sp, nil
}

// binarySpellings are the values of a 0/1 field as its data spells
// them: a boolean's first false and true values ("no", "yes"; "false",
// "true" when the schema lists none), else "0" and "1".
func binarySpellings(f *dataset.Field) (zero, one string) {
	if f.Type != dataset.TypeBoolean {
		return "0", "1"
	}
	zero, one = "false", "true"
	if len(f.FalseValues) > 0 {
		zero = f.FalseValues[0]
	}
	if len(f.TrueValues) > 0 {
		one = f.TrueValues[0]
	}
	return zero, one
}

// parseExposure reads VAR=LEVEL for a categorical variable, or a bare
// VAR for a 0/1 (or boolean) one, as the model's own 0/1 covariates are
// taken: a researcher naming smoke expects smoke = 1 against 0.
func parseExposure(s *dataset.Schema, e, lang string) (exposure, error) {
	v, lev, ok := strings.Cut(e, "=")
	f, found := s.Field(strings.TrimSpace(v))
	if !ok && found && f.IsBinary() {
		return exposure{name: f.Name, label: f.DisplayTitle(lang), field: f, level: -1}, nil
	}
	if ok && found && f.IsBinary() {
		// VAR=1 (or a boolean's true spelling) is VAR itself; VAR=0 (or
		// its false spelling) takes the 0 rows as the exposed ones.
		lev = strings.TrimSpace(lev)
		switch {
		case lev == "1" || slices.Contains(f.TrueValues, lev) || (f.Type == dataset.TypeBoolean && len(f.TrueValues) == 0 && strings.EqualFold(lev, "true")):
			return exposure{name: f.Name, label: f.DisplayTitle(lang), field: f, level: -1}, nil
		case lev == "0" || slices.Contains(f.FalseValues, lev) || (f.Type == dataset.TypeBoolean && len(f.FalseValues) == 0 && strings.EqualFold(lev, "false")):
			no, _ := binarySpellings(f)
			return exposure{name: f.Name + "=0", label: f.DisplayTitle(lang) + " = " + no, field: f, level: 0}, nil
		}
		return exposure{}, optionErrorf("--exposure %q: %s is a 0/1 variable (expected %s, %s=1 or %s=0)", dataset.ElideValue(e), f.Name, f.Name, f.Name, f.Name)
	}
	if !ok || !found || !f.IsCategorical() {
		var cats []string
		for _, f := range s.Fields {
			if (f.IsCategorical() || f.IsBinary()) && f.Role != dataset.RoleOutcome {
				cats = append(cats, f.Name)
			}
		}
		return exposure{}, optionErrorf("--exposure %q: expected a 0/1 variable, or VAR=LEVEL with VAR a categorical variable (valid: %s)", dataset.ElideValue(e), dataset.ElideList(cats, ", "))
	}
	k, ok := f.CategoryIndex(strings.TrimSpace(lev))
	if !ok {
		return exposure{}, optionErrorf("--exposure %q: unknown level %q of %s (valid: %s)", dataset.ElideValue(e), dataset.ElideValue(lev), f.Name, dataset.ElideList(f.CategoryNames(), ", "))
	}
	return exposure{name: f.Name + "=" + f.Categories[k].Name(), field: f, level: k,
		label: f.DisplayTitle(lang) + " = " + f.Categories[k].DisplayLabel(lang)}, nil
}

// fmtCut prints a cut value as given (shortest exact representation).
func fmtCut(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// strata is the division of rows by one SPEC.
type strata struct {
	// assign is the stratum of each row (−1 when the split variable is
	// missing); labels name the strata.
	assign []int
	labels []string
	// display are the labels as shown (the schema's category labels in
	// the run's language) and label names the SPEC so.
	display []string
	label   string
	// def says in words how the rows are divided (codes), defLabel the
	// same with titles and labels; cut is the split value of x@v.
	def, defLabel string
	cut           *float64
}

// strata assigns each of the rows to a stratum.
func (sp *subgroupSpec) strata(t *dataset.Table, rows []int, lab labeler) strata {
	col, _ := t.Col(sp.field.Name)
	name := sp.field.Name
	var labels []string
	var def string
	var cut *float64
	var medianRows int
	assign := make([]int, len(rows))
	for k, i := range rows {
		assign[k] = -1
		if col.Missing[i] {
			continue
		}
		x := col.Num[i]
		switch sp.kind {
		case splitCategorical:
			assign[k] = int(x)
		case splitBinary:
			if x != 0 {
				assign[k] = 1
			} else {
				assign[k] = 0
			}
		case splitLevel:
			if int(x) == sp.level {
				assign[k] = 0
			} else {
				assign[k] = 1
			}
		}
	}
	switch sp.kind {
	case splitCategorical:
		labels = sp.field.CategoryNames()
		def = fmt.Sprintf("one stratum per category of %s (%s)", name, strings.Join(labels, ", "))
	case splitBinary:
		labels = []string{"0", "1"}
		def = fmt.Sprintf("%s = 0 vs %s = 1", name, name)
	case splitLevel:
		lev := sp.field.Categories[sp.level].Name()
		labels = []string{lev, "not " + lev}
		def = fmt.Sprintf("%s = %s vs any other %s", name, lev, name)
	case splitCut:
		var xs []float64
		for _, i := range rows {
			if !col.Missing[i] {
				xs = append(xs, col.Num[i])
			}
		}
		v := sp.at
		if sp.median {
			v = stats.Quantile7(xs, 0.5)
		}
		for k, i := range rows {
			if !col.Missing[i] {
				if col.Num[i] < v {
					assign[k] = 0
				} else {
					assign[k] = 1
				}
			}
		}
		c := fmtCut(v)
		labels = []string{"< " + c, "≥ " + c}
		def = fmt.Sprintf("%s < %s vs %s ≥ %s", name, c, name, c)
		if sp.median {
			def += fmt.Sprintf(" (%s = the median of %s over the %d rows used, R's quantile type 7)", c, name, len(xs))
		}
		cut = &v
		medianRows = len(xs)
	}
	// The same division in the schema's titles and labels, in lab.lang.
	title := sp.field.DisplayTitle(lab.lang)
	display, label := labels, title
	var defLabel string
	switch sp.kind {
	case splitCategorical:
		display = sp.field.CategoryLabels(lab.lang)
		defLabel = i18n.Tf(lab.lang, "one stratum per category of %s (%s)", title, strings.Join(display, ", "))
	case splitBinary:
		no, yes := binarySpellings(sp.field)
		display = []string{title + " = " + no, title + " = " + yes}
		defLabel = i18n.Tf(lab.lang, "%s = %s vs %s = %s", title, no, title, yes)
	case splitLevel:
		l := sp.field.Categories[sp.level].DisplayLabel(lab.lang)
		display = []string{l, i18n.Tf(lab.lang, "not %s", l)}
		label = title + " = " + l
		defLabel = i18n.Tf(lab.lang, "%s = %s vs any other %s", title, l, title)
	case splitCut:
		c := fmtCut(*cut)
		defLabel = i18n.Tf(lab.lang, "%s < %s vs %s ≥ %s", title, c, title, c)
		if sp.median {
			label = i18n.Tf(lab.lang, "%s at the median", title)
			defLabel += i18n.Tf(lab.lang, " (%s = the median of %s over the %d rows used, R's quantile type 7)", c, title, medianRows)
		} else {
			label = i18n.Tf(lab.lang, "%s at %s", title, c)
		}
	}
	return strata{assign: assign, labels: labels, display: display, label: label, def: def, defLabel: defLabel, cut: cut}
}

// splitColumn names the derived stratum variable added to the table for
// the interaction models.
func splitColumn(s *dataset.Schema) string {
	name := "subgroup."
	for {
		if _, ok := s.Field(name); !ok {
			return name
		}
		name += "_"
	}
}

// withSplit returns t restricted to rows with an extra categorical column
// holding the stratum of each row.
func withSplit(t *dataset.Table, rows, assign []int, labels []string, name string) *dataset.Table {
	sub := t.Subset(rows)
	schema := *t.Schema
	cats := make([]dataset.Category, len(labels))
	for k, l := range labels {
		cats[k] = dataset.Category{Value: l}
	}
	field := &dataset.Field{Name: name, Type: dataset.TypeString, Categories: cats}
	schema.Fields = append(slices.Clone(t.Schema.Fields), field)
	sub.Schema = &schema
	col := &dataset.Column{Field: field, Num: make([]float64, len(rows)), Missing: make([]bool, len(rows))}
	for k := range rows {
		col.Num[k] = float64(assign[k])
	}
	sub.Columns = append(sub.Columns, col)
	return sub
}

// aliasFree is a design with its aliased columns dropped.
type aliasFree struct {
	design *logit.Design
	// dropped are the columns left out, with why.
	dropped []dataset.AliasedColumn
}

// droppedNames lists the dropped columns.
func (a aliasFree) droppedNames() []string {
	var out []string
	for _, c := range a.dropped {
		out = append(out, c.Name)
	}
	return out
}

// designDropAliased encodes t with formula and drops the aliased columns,
// as R's glm, which estimates them as NA.
func designDropAliased(t *dataset.Table, formula string, ref map[string]string) (aliasFree, error) {
	f, err := dataset.ParseFormula(formula)
	if err != nil {
		return aliasFree{}, err
	}
	dm, err := dataset.Design(t, f, dataset.DesignOptions{Ref: ref})
	var aerr *dataset.AliasError
	if err != nil && !errors.As(err, &aerr) {
		return aliasFree{}, err
	}
	d := ToLogit(dm)
	if aerr == nil {
		return aliasFree{design: d}, nil
	}
	drop := map[string]bool{}
	for _, c := range aerr.Columns {
		drop[c.Name] = true
	}
	return aliasFree{design: logit.DropColumns(d, drop), dropped: aerr.Columns}, nil
}

// formulaWithout returns f without the terms that use variable name.
func formulaWithout(f *dataset.Formula, name string) (string, []dataset.Term) {
	var labels []string
	var kept []dataset.Term
	for _, t := range f.Terms {
		uses := false
		for _, v := range t.Vars {
			uses = uses || v.Name == name
		}
		if !uses {
			labels = append(labels, t.Label())
			kept = append(kept, t)
		}
	}
	rhs := strings.Join(labels, " + ")
	if rhs == "" {
		rhs = "1"
	}
	if !f.Intercept {
		rhs += " - 1"
	}
	return dataset.QuoteName(f.Response) + " ~ " + rhs, kept
}

// MaxSubgroupStrata bounds the strata of one categorical SPEC. Each
// stratum is a model of its own (with profile intervals), and the
// interaction test adds p·(k−1) columns to the whole-sample design; above
// a hundred strata the strata are too small to estimate (each needs
// MinStratumEvents events and non-events) and the forest plot unreadable.
// A SPEC over the limit is a usage error (exit 2), as is a SPEC on a
// continuous variable: the variable cannot define subgroups as asked.
const MaxSubgroupStrata = 100

// Subgroup fits the model within the strata of each SPEC, tests every
// term's interaction with the split on the whole sample, measures the
// heterogeneity of the stratum estimates, adjusts the interaction
// p-values for multiplicity (Holm, Benjamini-Hochberg) and runs the crude
// Mantel-Haenszel analysis of the binary exposures.
//
// Rules: the rows used are those complete for the model and the split
// variable; x@v puts x < v in the first stratum and x ≥ v in the second,
// the median being R's type-7 quantile over those rows; a stratum with
// fewer than MinStratumEvents events or non-events, or with more
// coefficients than min(events, non-events), is reported as too_small; a
// column aliased within a stratum (a level absent there) is dropped, as
// glm reports NA. The interaction test is the MLE likelihood-ratio test of
// model + S + X:S against model + S, aliased interaction columns dropped
// (DF reduced accordingly). Holm and Benjamini-Hochberg adjust over the
// family of distinct hypotheses: a term × split test whose unordered pair
// of variables was already tested earlier in the run ("a by b" after "b by
// a") is marked DuplicateOf and left out (R: p.adjust on the deduplicated
// p-values). Mantel-Haenszel intervals are at opts.Level.
//
// A part that cannot be computed never fails the run: an empty stratum
// (status empty), a stratum whose fit fails even after FitRobust's
// fallbacks (fit_failed), an interaction test or Cochran's Q that cannot
// be made, or a Mantel-Haenszel analysis that cannot be done carries its
// reason and the rest is reported. Only an invalid SPEC or a model that
// cannot be encoded on the whole sample is an error.
func Subgroup(t *dataset.Table, opts SubgroupOptions) (*SubgroupResult, error) {
	if err := opts.LogitOptions.Validate(); err != nil {
		return nil, err
	}
	formula, err := ResolveFormula(t.Schema, opts.Formula, opts.Covariates)
	if err != nil {
		return nil, err
	}
	f, err := dataset.ParseFormula(formula)
	if err != nil {
		return nil, err
	}
	by := opts.By
	if len(by) == 0 {
		by = DefaultSpecsFor(t.Schema)
		if len(by) == 0 {
			return nil, fmt.Errorf(`no subgroup variables: mark fields with "role": "subgroup" in the schema or give --by SPEC (valid variables: %s)`, splittable(t.Schema))
		}
	}
	var specs []*subgroupSpec
	for _, b := range by {
		sp, err := parseSubgroupSpec(t.Schema, b)
		if err != nil {
			return nil, err
		}
		if f.Response == sp.field.Name {
			return nil, optionErrorf("--by %q: %s is the outcome", b, sp.field.Name)
		}
		if k := len(sp.field.Categories); sp.kind == splitCategorical && k > MaxSubgroupStrata {
			return nil, optionErrorf("--by %q: %s has %d levels: subgroup splits into at most %d strata (one model each) — collapse the levels, or split one level against the rest with --by %s=LEVEL",
				dataset.ElideValue(b), sp.field.Name, k, MaxSubgroupStrata, sp.field.Name)
		}
		specs = append(specs, sp)
	}
	exposures, err := binaryExposures(t.Schema, f, opts.Exposures, opts.Lang)
	if err != nil {
		return nil, err
	}
	// The model's own rows (complete cases) for DataInfo and the base of
	// every split.
	fdm, ferr := dataset.Design(t, f, dataset.DesignOptions{Ref: opts.Ref})
	var aerr *dataset.AliasError
	if ferr != nil && !errors.As(ferr, &aerr) {
		return nil, ferr
	}
	res := &SubgroupResult{Data: dataset.NewDataInfo(t), Formula: f.String(), CI: opts.CI, Level: opts.Level, Subgroups: []*SubgroupSplit{}, MantelHaenszel: []*MantelHaenszel{},
		Outcome: f.Response, OutcomeLabel: labeler{t.Schema, opts.Lang}.variable(f.Response), Lang: opts.Lang}
	for _, e := range fdm.Excluded {
		res.Data.Exclude(e.Row, e.Reason)
	}
	splitName := splitColumn(t.Schema)
	for i, sp := range specs {
		if opts.Progress != nil {
			opts.Progress("subgroups", i, len(specs))
		}
		r, err := runSplit(t, f, fdm.Rows, sp, splitName, opts)
		if err != nil {
			return nil, err
		}
		res.Subgroups = append(res.Subgroups, r.split)
		for _, ex := range exposures {
			if ex.field.Name == sp.field.Name {
				res.MantelHaenszelSkipped = append(res.MantelHaenszelSkipped, MHSkipped{Exposure: ex.name, ExposureLabel: ex.label, By: sp.by, ByLabel: r.split.Label})
				continue
			}
			res.MantelHaenszel = append(res.MantelHaenszel, mantelHaenszelFor(r.sub, f.Response, ex, sp.by, r.strata, opts.Level))
		}
	}
	adjustInteractions(res, specs, f)
	return res, nil
}

// splitRun is one SPEC analysed: its result, and the model's rows with
// the stratum column (sub) and their strata, for Mantel-Haenszel.
type splitRun struct {
	split  *SubgroupSplit
	sub    *dataset.Table
	strata strata
}

// runSplit analyses one SPEC on the model's rows. A stratum that cannot
// be fitted, or an interaction that cannot be tested, is marked with its
// reason and the rest of the SPEC is still analysed; only a SPEC whose
// formula cannot be written is an error.
func runSplit(t *dataset.Table, f *dataset.Formula, modelRows []int, sp *subgroupSpec, splitName string, opts SubgroupOptions) (*splitRun, error) {
	lab := labeler{t.Schema, opts.Lang}
	col, _ := t.Col(sp.field.Name)
	var rows []int
	for _, i := range modelRows {
		if !col.Missing[i] {
			rows = append(rows, i)
		}
	}
	st := sp.strata(t, rows, lab)
	assign, labels := st.assign, st.labels
	sub := withSplit(t, rows, assign, labels, splitName)
	sformula, sterms := formulaWithout(f, sp.field.Name)
	sf, err := dataset.ParseFormula(sformula)
	if err != nil {
		return nil, err
	}
	out := &SubgroupSplit{By: sp.by, Definition: st.def, DefinitionLabel: st.defLabel, Variable: sp.field.Name, VariableLabel: lab.variable(sp.field.Name),
		Label: st.label, Cut: st.cut, Formula: sf.String(), N: len(rows)}
	yCol, _ := sub.Col(f.Response)
	for k, code := range labels {
		var idx []int
		for r, a := range assign {
			if a == k {
				idx = append(idx, r)
			}
		}
		var lv *SubgroupLevel
		if len(idx) == 0 {
			lv = &SubgroupLevel{Level: code, Status: StatusEmpty, Dropped: []string{}, Warnings: []logit.Warning{}, Terms: []logit.Term{},
				Reason: emptyReason(col, rows, sp, labels, k)}
		} else {
			lv = fitStratum(sub.Subset(idx), yCol, idx, sformula, code, opts)
			lab.labelTerms(lv.Terms)
		}
		lv.LevelLabel = st.display[k]
		out.Levels = append(out.Levels, lv)
	}
	// The interaction tests share the model + S fit; when it cannot be
	// made, every test of the SPEC says why and the strata stand.
	base := f.String() + " + " + splitName
	var baseErr error
	a0, err := designDropAliased(sub, base, opts.Ref)
	var m0 *logit.Model
	if err != nil {
		baseErr = err
	} else if m0, err = logit.Fit(a0.design, logit.Options{CI: logit.CIWald}); err != nil {
		baseErr = err
	}
	for _, term := range sterms {
		if term.Order() != 1 {
			continue
		}
		var it *Interaction
		if baseErr != nil {
			it = &Interaction{Term: term.Label(), Aliased: []string{}, Notes: []string{}, Coefficients: []CoefHeterogeneity{},
				Reason: "model + subgroup not fitted: " + Reason(baseErr)}
		} else {
			it = interactionTest(sub, base, term.Label(), splitName, a0, m0, opts)
		}
		it.Label = lab.term(it.Term)
		it.setHeterogeneity(out.Levels, stratumColumns(sf, term.Label(), sub, opts.Ref), lab)
		out.Interactions = append(out.Interactions, it)
	}
	return &splitRun{split: out, sub: sub, strata: st}, nil
}

// emptyReason says that stratum k has no rows, and how to choose a SPEC
// whose strata all have some.
func emptyReason(col *dataset.Column, rows []int, sp *subgroupSpec, labels []string, k int) string {
	hint := ""
	switch sp.kind {
	case splitCut:
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, i := range rows {
			lo, hi = math.Min(lo, col.Num[i]), math.Max(hi, col.Num[i])
		}
		hint = fmt.Sprintf("; choose a value inside (%s, %s], or %s@median", fmtCut(lo), fmtCut(hi), sp.field.Name)
	case splitCategorical:
		hint = fmt.Sprintf("; compare one level with the rest instead, e.g. %s=%s", sp.field.Name, labels[(k+1)%len(labels)])
	}
	return fmt.Sprintf("no rows among the %d used%s", len(rows), hint)
}

// stratumColumns lists the design columns of term in the stratum model
// (on the whole sample, so every level appears).
func stratumColumns(sf *dataset.Formula, term string, t *dataset.Table, ref map[string]string) []string {
	dm, err := dataset.Design(t, sf, dataset.DesignOptions{Ref: ref})
	var aerr *dataset.AliasError
	if err != nil && !errors.As(err, &aerr) {
		return nil
	}
	var out []string
	for j, a := range dm.Assign {
		if dm.Groups[a] == term {
			out = append(out, dm.Names[j])
		}
	}
	return out
}

// fitStratum fits the stratum model on one stratum, or says why not.
func fitStratum(st *dataset.Table, yCol *dataset.Column, idx []int, formula, label string, opts SubgroupOptions) *SubgroupLevel {
	lv := &SubgroupLevel{Level: label, N: len(idx), Dropped: []string{}, Warnings: []logit.Warning{}, Terms: []logit.Term{}}
	for _, r := range idx {
		if yCol.Num[r] == 1 {
			lv.Events++
		}
	}
	nonEvents := lv.N - lv.Events
	if lv.Events < MinStratumEvents || nonEvents < MinStratumEvents {
		lv.Status = StatusTooSmall
		lv.Reason = fmt.Sprintf("%d events and %d non-events: at least %d of each are needed to fit the model", lv.Events, nonEvents, MinStratumEvents)
		return lv
	}
	af, err := designDropAliased(st, formula, opts.Ref)
	if err != nil {
		lv.Status, lv.Reason = StatusFailed, Reason(err)
		return lv
	}
	d := af.design
	lv.Dropped = append(lv.Dropped, af.droppedNames()...)
	for _, c := range af.dropped {
		lv.Warnings = append(lv.Warnings, logit.Warning{Code: WarnAliasedDropped, Message: "column dropped (aliased in this stratum): " + c.Reason})
	}
	_, p := d.X.Dims()
	if p > min(lv.Events, nonEvents) {
		lv.Status = StatusTooSmall
		lv.Reason = fmt.Sprintf("%d coefficients but only %d %s", p, min(lv.Events, nonEvents), map[bool]string{true: "events", false: "non-events"}[lv.Events <= nonEvents])
		return lv
	}
	m, err := fitRobust(opts.fitter(), d, opts.Method, opts.fitOptions())
	if err != nil {
		lv.Status, lv.Reason = StatusFailed, Reason(err)
		return lv
	}
	lv.Status, lv.Method, lv.Terms = StatusOK, m.Method, m.Terms
	lv.Warnings = append(lv.Warnings, m.Warnings...)
	return lv
}

// interactionTest is the LR test of base + X:S against base (a0,
// fitted as m0); a test that cannot be made has a nil LRStatistic and
// its Reason.
func interactionTest(sub *dataset.Table, base, x, splitName string, a0 aliasFree, m0 *logit.Model, opts SubgroupOptions) *Interaction {
	it := &Interaction{Term: x, Aliased: []string{}, Notes: []string{}, Coefficients: []CoefHeterogeneity{}}
	a1, err := designDropAliased(sub, base+" + "+x+":"+splitName, opts.Ref)
	if err != nil {
		it.Reason = "interaction model not encoded: " + Reason(err)
		return it
	}
	baseDropped := a0.droppedNames()
	for _, n := range a1.droppedNames() {
		if !slices.Contains(baseDropped, n) {
			it.Aliased = append(it.Aliased, n)
		}
	}
	d1 := a1.design
	_, p0 := a0.design.X.Dims()
	_, p1 := d1.X.Dims()
	it.DF = p1 - p0
	if len(it.Aliased) > 0 {
		it.Notes = append(it.Notes, fmt.Sprintf("%d interaction column(s) aliased and dropped (a level of %s absent in a stratum): df reduced to %d", len(it.Aliased), x, it.DF))
	}
	if it.DF <= 0 {
		it.DF = 0
		it.Reason = "no estimable interaction column"
		it.Notes = append(it.Notes, "no estimable interaction column: not testable")
		return it
	}
	method, sepNote := interactionMethod(d1, opts.Method)
	if method == logit.MethodFirth {
		return firthInteractionTest(it, d1, a0.design, sepNote)
	}
	m1, err := logit.Fit(d1, logit.Options{CI: logit.CIWald})
	if err != nil {
		it.Reason = "interaction model not fitted: " + Reason(err)
		return it
	}
	if sepNote != "" {
		it.Notes = append(it.Notes, sepNote+": the maximum-likelihood LR test is unreliable here (--method auto uses Firth's penalized LR test)")
	}
	for _, w := range m1.Warnings {
		if w.Code == logit.WarnFitted01 || w.Code == logit.WarnNotConverged {
			it.Notes = append(it.Notes, "interaction model: "+w.Message+" (the MLE likelihood-ratio test is unreliable here)")
		}
	}
	lr := math.Max(0, m0.Deviance-m1.Deviance)
	pv := chiSquareSurvival(lr, it.DF)
	it.LRStatistic, it.PValue, it.Method = &lr, &pv, logit.MethodMLE
	return it
}

// interactionMethod is the likelihood of the interaction test: Firth's
// for --method firth, and for auto when model + S + X:S is separated (or
// the check cannot decide), maximum likelihood otherwise; note describes
// a separation found.
func interactionMethod(d1 *logit.Design, method logit.Method) (logit.Method, string) {
	if method == logit.MethodFirth {
		return logit.MethodFirth, ""
	}
	sep, err := logit.DetectSeparation(d1)
	switch {
	case err != nil && method == logit.MethodAuto:
		return logit.MethodFirth, "interaction model: separation check undecided (" + Reason(err) + ")"
	case err != nil:
		return logit.MethodMLE, ""
	case !sep.Separated:
		return logit.MethodMLE, ""
	}
	note := "interaction model separated (coefficients " + strings.Join(sep.Coefficients, ", ") + " infinite)"
	if method == logit.MethodAuto {
		return logit.MethodFirth, note
	}
	return logit.MethodMLE, note
}

// firthInteractionTest is Firth's penalized LR test of d1's interaction
// columns (those not in the base design d0), with the penalty of d1 in
// both maxima (logistf's anova, method "nested").
func firthInteractionTest(it *Interaction, d1, d0 *logit.Design, sepNote string) *Interaction {
	var cols []int
	for j, name := range d1.Names {
		if !slices.Contains(d0.Names, name) {
			cols = append(cols, j)
		}
	}
	bt, err := logit.FirthBlockTest(d1, cols, nil, logit.Options{})
	if err != nil {
		it.Reason = "penalized likelihood-ratio test not computed: " + Reason(err)
		return it
	}
	if sepNote != "" {
		it.Notes = append(it.Notes, sepNote+": tested by Firth's penalized likelihood ratio (logistf's anova, method nested)")
	}
	lr, pv := bt.Statistic, bt.PValue
	it.LRStatistic, it.PValue, it.DF, it.Method = &lr, &pv, bt.DF, logit.MethodFirth
	return it
}

// setHeterogeneity runs Cochran's Q for each coefficient over the fitted
// strata that estimate it, and shows the coefficient with the largest Q
// in the term-level row.
func (it *Interaction) setHeterogeneity(levels []*SubgroupLevel, coefs []string, lab labeler) {
	out := []CoefHeterogeneity{}
	best := -1
	for _, c := range coefs {
		var est, se []float64
		var firth []string
		for _, lv := range levels {
			if lv.Status != StatusOK {
				continue
			}
			for _, tm := range lv.Terms {
				if tm.Term == c {
					est = append(est, tm.Estimate)
					se = append(se, tm.StdError)
					if lv.Method == logit.MethodFirth {
						firth = append(firth, lv.Level)
					}
				}
			}
		}
		h := CoefHeterogeneity{Coefficient: c, Label: lab.term(c), K: len(est), FirthStrata: firth}
		r, err := stats.CochranQ(est, se)
		if err != nil {
			h.Reason = statsReason(err)
		} else {
			h.Q, h.DF, h.PValue, h.I2, h.Estimate = ptrF(r.Q), r.DF, ptrF(r.QP), ptrF(r.I2), ptrF(r.Estimate)
			if best < 0 || *h.Q > *out[best].Q {
				best = len(out)
			}
		}
		out = append(out, h)
	}
	it.Coefficients = out
	if best < 0 {
		// Every coefficient failed, mostly for the same reason (fewer
		// than two fitted strata): say each distinct one once.
		var rs []string
		for _, h := range out {
			if h.Reason != "" && !slices.Contains(rs, h.Reason) {
				rs = append(rs, h.Reason)
			}
		}
		if len(rs) == 0 {
			rs = []string{"the term has no coefficient in the stratum model"}
		}
		it.CochranReason = strings.Join(rs, "; ")
		return
	}
	b := out[best]
	df := b.DF
	it.CochranQ, it.CochranDF, it.CochranP, it.I2, it.Coefficient = b.Q, &df, b.PValue, b.I2, b.Coefficient
	it.CoefficientLabel, it.CochranFirthStrata = b.Label, b.FirthStrata
}

// statsReason is a stats error as a reason in a result, without the
// package prefix every stats error carries (stats has no error types to
// ask instead).
func statsReason(err error) string { return strings.TrimPrefix(err.Error(), "stats: ") }

// hypothesisKey is the unordered set of variables a term × split test is
// about: the term's variables and the split variable, sorted.
func hypothesisKey(f *dataset.Formula, term, split string) string {
	vars := []string{split}
	found := false
	for _, t := range f.Terms {
		if t.Label() == term {
			found = true
			for _, v := range t.Vars {
				vars = append(vars, v.Name)
			}
		}
	}
	if !found {
		// Not a model term (cannot happen for the tests Subgroup makes):
		// the term is its own hypothesis rather than matching every test
		// of the split.
		vars = append(vars, "term:"+term)
	}
	slices.Sort(vars)
	return strings.Join(slices.Compact(vars), "\x00")
}

// adjustInteractions forms the multiplicity family (one test per
// hypothesis: a later test of the same unordered pair of variables is
// marked DuplicateOf and left out), fills p_holm and q_bh over it, ranks
// it and writes the summary.
func adjustInteractions(res *SubgroupResult, specs []*subgroupSpec, f *dataset.Formula) {
	var ps []float64
	var its []*Interaction
	var splits []*SubgroupSplit
	// A kept test's codes and labels, for the duplicates' summary.
	type ref struct{ term, by, termLabel, byLabel string }
	kept := map[string]ref{}
	var dups [][2]ref // the left-out test, the kept one
	for si, s := range res.Subgroups {
		for _, it := range s.Interactions {
			if it.PValue == nil {
				continue
			}
			key := hypothesisKey(f, it.Term, specs[si].field.Name)
			if k, ok := kept[key]; ok {
				it.DuplicateOf = &InteractionRef{Term: k.term, By: k.by}
				dups = append(dups, [2]ref{{it.Term, s.By, it.Label, s.Label}, k})
				continue
			}
			kept[key] = ref{it.Term, s.By, it.Label, s.Label}
			ps = append(ps, *it.PValue)
			its = append(its, it)
			splits = append(splits, s)
		}
	}
	res.Ranking = []InteractionRank{}
	res.FamilySize = len(ps)
	res.Alpha = SubgroupAlpha
	if len(ps) == 0 {
		res.Summary = []string{"No interaction could be tested."}
		res.SummaryText = []string{i18n.T(res.Lang, "No interaction could be tested.")}
		return
	}
	holm, bh := stats.HolmAdjust(ps), stats.BHAdjust(ps)
	for k, it := range its {
		it.PHolm, it.QBH = ptrF(holm[k]), ptrF(bh[k])
		res.Ranking = append(res.Ranking, InteractionRank{By: splits[k].By, ByLabel: splits[k].Label, Term: it.Term, Label: it.Label,
			PValue: ps[k], PHolm: holm[k], QBH: bh[k]})
	}
	sort.SliceStable(res.Ranking, func(a, b int) bool { return res.Ranking[a].PValue < res.Ranking[b].PValue })
	// The summary twice: in English with codes for JSON (scripts), and in
	// the labels' language with the schema's labels for the tables.
	summary := func(lang string, labels bool) []string {
		name := func(code, label string) string {
			if labels && label != "" {
				return label
			}
			return code
		}
		var out, sig []string
		for _, r := range res.Ranking {
			if r.QBH < SubgroupAlpha {
				sig = append(sig, fmt.Sprintf("%s × %s (p = %.3g, q = %.3g)", name(r.Term, r.Label), name(r.By, r.ByLabel), r.PValue, r.QBH))
			}
		}
		top := res.Ranking[0]
		nominal := 0
		for _, r := range res.Ranking {
			if r.PValue < SubgroupAlpha {
				nominal++
			}
		}
		if len(sig) == 0 {
			out = append(out, i18n.Tf(lang, "No term × subgroup interaction reaches q < %.2g (Benjamini-Hochberg) among the %d tests; the smallest p-value is %.3g (%s × %s, q = %.3g, Holm %.3g). %d of %d tests have p < %.2g before adjustment (%.1f would be expected by chance alone if no interaction existed).",
				SubgroupAlpha, len(ps), top.PValue, name(top.Term, top.Label), name(top.By, top.ByLabel), top.QBH, top.PHolm, nominal, len(ps), SubgroupAlpha, SubgroupAlpha*float64(len(ps))))
		} else {
			out = append(out, i18n.Tf(lang, "%d of %d term × subgroup interactions reach q < %.2g (Benjamini-Hochberg): %s.", len(sig), len(ps), SubgroupAlpha, strings.Join(sig, "; ")))
		}
		if len(dups) > 0 {
			var list []string
			for _, d := range dups {
				list = append(list, i18n.Tf(lang, "%s × %s (kept: %s × %s)", name(d[0].term, d[0].termLabel), name(d[0].by, d[0].byLabel), name(d[1].term, d[1].termLabel), name(d[1].by, d[1].byLabel)))
			}
			out = append(out, i18n.Tf(lang, "Multiplicity family: %d tests, one per pair of variables; %d repeated test(s) of a pair already tested are left out of Holm and Benjamini-Hochberg (their p-values are shown, unadjusted): %s.",
				len(ps), len(dups), strings.Join(list, "; ")))
		}
		return out
	}
	res.Summary, res.SummaryText = summary("", false), summary(res.Lang, true)
}

// exposure is a binary exposure of the crude analysis.
type exposure struct {
	name  string
	label string
	field *dataset.Field
	level int // ≥ 0: categorical level against the rest; −1: a 0/1 field
}

// binaryExposures are the model's 0/1 main effects and the --exposure
// dichotomies.
func binaryExposures(s *dataset.Schema, f *dataset.Formula, extra []string, lang string) ([]exposure, error) {
	var out []exposure
	for _, t := range f.Terms {
		if t.Order() != 1 || t.Vars[0].Log {
			continue
		}
		if fld, ok := s.Field(t.Vars[0].Name); ok && fld.IsBinary() {
			out = append(out, exposure{name: fld.Name, label: fld.DisplayTitle(lang), field: fld, level: -1})
		}
	}
	for _, e := range extra {
		ex, err := parseExposure(s, e, lang)
		if err != nil {
			return nil, err
		}
		// A 0/1 covariate of the model is already in the table once.
		if slices.ContainsFunc(out, func(o exposure) bool { return o.name == ex.name }) {
			continue
		}
		out = append(out, ex)
	}
	return out, nil
}

// mantelHaenszelFor builds the stratified 2×2 tables of ex and runs the
// Mantel-Haenszel analysis with intervals at level. Rows with a missing
// exposure are left out; strata with an empty margin are excluded by
// stats.MantelHaenszel and named in ExcludedStrata.
func mantelHaenszelFor(sub *dataset.Table, outcome string, ex exposure, by string, st strata, level float64) *MantelHaenszel {
	assign, labels := st.assign, st.labels
	r := &MantelHaenszel{Exposure: ex.name, ExposureLabel: ex.label, By: by, ByLabel: st.label, Level: level, ExcludedStrata: []string{}, Strata: []MHStratum{}}
	xc, _ := sub.Col(ex.field.Name)
	yc, _ := sub.Col(outcome)
	tables := make([][2][2]float64, len(labels))
	for i := range assign {
		if xc.Missing[i] || yc.Missing[i] {
			continue
		}
		exposed := xc.Num[i] != 0
		if ex.level >= 0 {
			exposed = int(xc.Num[i]) == ex.level
		}
		row, colIdx := 1, 1
		if exposed {
			row = 0
		}
		if yc.Num[i] == 1 {
			colIdx = 0
		}
		tables[assign[i]][row][colIdx]++
	}
	res, err := stats.MantelHaenszel(tables, level)
	if err != nil {
		r.Reason = statsReason(err)
		return r
	}
	for _, k := range res.Excluded {
		r.ExcludedStrata = append(r.ExcludedStrata, labels[k])
	}
	r.Informative = res.Informative
	r.ORMH, r.ORConfLow, r.ORConfHigh = ptrF(res.OddsRatio), ptrF(res.ConfLow), ptrF(res.ConfHigh)
	r.ChiSquare, r.PValue = ptrF(res.ChiSquare), ptrF(res.PValue)
	r.BreslowDay, r.BreslowDayP = ptrF(res.BreslowDayTarone), ptrF(res.BreslowDayTaroneP)
	r.BreslowDayUncorrected, r.BreslowDayUncorrectedP = ptrF(res.BreslowDay), ptrF(res.BreslowDayP)
	r.Woolf, r.WoolfP, r.DF = ptrF(res.Woolf), ptrF(res.WoolfP), res.HomogeneityDF
	for k, s := range res.Strata {
		r.Strata = append(r.Strata, MHStratum{Level: labels[k], LevelLabel: st.display[k], MHStratum: s})
	}
	return r
}

// chiSquareSurvival is P(χ²_df > x).
func chiSquareSurvival(x float64, df int) float64 {
	return distuv.ChiSquared{K: float64(df)}.Survival(x)
}

// ptrF returns a pointer to x, or nil for NaN or ±Inf (never printed).
func ptrF(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
