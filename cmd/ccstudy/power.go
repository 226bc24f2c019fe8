package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/figures"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// PowerOptions are the inputs of `ccstudy power`.
type PowerOptions struct {
	*GlobalOptions
	Cases, Controls string
	Ratio           float64
	ExposureOR      float64
	Prevalence      float64
	From            string
	Model           string
	Sims            int
	Alpha           float64
	TargetPower     float64
	Figure          string
	// DPI is the resolution of a PNG or TIFF --figure (0: the default).
	DPI int
	// Test is the test of each simulated study (--test).
	Test analysis.PowerTest
	// SetOR are --or TERM=OR overrides of the --from model's coefficients.
	SetOR []string
	// Set by the flag checks.
	cases, controls []int
	mode            string
	setOR           map[string]float64
}

// NewCmdPower estimates the power of a case-control design by simulation.
func NewCmdPower(g *GlobalOptions, runF func(*PowerOptions) error) *cobra.Command {
	opts := &PowerOptions{GlobalOptions: g, Test: analysis.TestWald}
	cmd := &cobra.Command{
		Use:   "power --cases N [--controls N | --ratio R] (--exposure-or OR --exposure-prevalence P | --from logit.json | --model dgp)",
		Short: "Power and sample size of a case-control design by simulation",
		Long: `Simulate the case-control study --sims times and report, per factor,
the share of studies in which its test has p < --alpha, with its
Monte-Carlo SE sqrt(p(1-p)/sims). The test is --test:
  wald      (default) the two-sided Wald test of each coefficient of the
            maximum-likelihood logistic regression (the logit command's
            fit); one row per coefficient.
  lr        the likelihood-ratio test of each term: the model refitted by
            maximum likelihood without the term's columns (all levels of a
            factor together), deviance difference against chi-square with
            df = the term's columns (R's anova(reduced, full, test = "LRT")).
            One row per term (the term label, with its df), not per
            coefficient.
  firth-lr  Firth's penalized likelihood-ratio test of each term's columns
            with the full model's penalty (logistf's anova, method
            "nested"); one row per term. Unlike the Wald and ML LR tests it
            exists under separation, where the Wald test of an infinite
            coefficient never rejects and understates power.
A term that is part of an interaction is tested with the interaction kept
(its columns only), as car::Anova(type = 3, test = "LR").

The design is one of:
  --exposure-or OR --exposure-prevalence P
      one binary exposure with prevalence P among controls: controls are
      exposed ~ Bernoulli(P), cases ~ Bernoulli(p1), p1 = OR·P/(1+P(OR-1));
      case ~ exposure is fitted. The closed-form power (Schlesselman 1982,
      the test of two proportions; epiR's epi.sscc at one control per
      case) is printed beside the simulated one.
  --from logit.json
      the adjusted model of a 'ccstudy logit --format json' output, with
      covariate rows resampled with replacement from the controls of
      --data/--schema (the data the model was fitted on): each drawn row
      is a case with probability logistic(x'b) at the fitted coefficients
      and is kept while its group has room (retrospective sampling by
      rejection), so every study has exactly the given cases and controls.
      --or TERM=OR (repeatable) simulates with another odds ratio for a
      coefficient, the others as fitted.
  --model dgp
      the synthetic reference study's data-generating process (simulate),
      sampled the same way from an unbounded source population, fitted
      with its true model (interactions included).

A study whose fit fails (an error such as a level absent from the sample,
no convergence, or fitted probabilities numerically 0 or 1, glm's warning;
for firth-lr: an aliased column or a penalized fit that fails) counts as
not significant for every factor; the count is reported per design, with
the number of fitted studies whose data are separated (an infinite MLE,
found by the linear-programming check; glm fits those, often without a
warning, and so do we). With lr or firth-lr, a term whose reduced fit
fails counts as not significant in that study (JSON failed_reduced_fit).

--cases FROM:TO:BY gives a power curve (with --controls FROM:TO:BY of the
same length, or --ratio), a table, --figure FILE (.svg, .png, .pdf or .tiff; --dpi for PNG and TIFF), and the smallest
design reaching --target-power. Without --controls or --ratio, controls =
cases. Study j of every design uses its own random stream from --seed, so
output is identical at any GOMAXPROCS. A progress bar shows on a terminal.`,
		Example: `  ccstudy power --cases 100 --controls 100 --exposure-or 2 --exposure-prevalence 0.3 --sims 2000
  ccstudy power --cases 50:500:50 --ratio 2 --exposure-or 1.8 --exposure-prevalence 0.2 --figure power.svg
  ccstudy power --model dgp --cases 90 --controls 90 --sims 1000
  ccstudy power --model dgp --test firth-lr --sims 500
  ccstudy logit --format json -o logit.json && ccstudy power --from logit.json --cases 60:240:30 --sims 500`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return powerRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Cases, "cases", "", "cases per study: N, or FROM:TO:BY for a power curve (default with --model dgp: the reference design's 90)")
	f.StringVar(&opts.Controls, "controls", "", "controls per study: N (fixed along a --cases curve), or FROM:TO:BY with as many values as --cases (default: --ratio × cases)")
	f.Float64Var(&opts.Ratio, "ratio", 0, "controls per case (instead of --controls; default 1)")
	f.Float64Var(&opts.ExposureOR, "exposure-or", 0, "odds ratio of a single binary exposure")
	f.Float64Var(&opts.Prevalence, "exposure-prevalence", 0, "prevalence of the exposure among controls, in (0, 1)")
	f.StringVar(&opts.From, "from", "", "a 'ccstudy logit --format json' output: simulate from its adjusted model, covariates from --data's controls")
	f.StringVar(&opts.Model, "model", "", "dgp: simulate from the synthetic reference study's data-generating process")
	f.IntVar(&opts.Sims, "sims", 1000, fmt.Sprintf("simulated studies per design (1 to %d)", analysis.MaxPowerSims))
	f.Float64Var(&opts.Alpha, "alpha", 0.05, "significance level of the test")
	// The value type lists its choices, so the root's
	// registerChoiceCompletions completes them.
	f.Var(&opts.Test, "test", "test of each study: wald (per coefficient), lr or firth-lr (likelihood-ratio, per term)")
	f.Float64Var(&opts.TargetPower, "target-power", 0.8, "power whose smallest design a curve reports")
	f.StringVar(&opts.Figure, "figure", "", "write the power curve to FILE, its format by the extension: "+strings.Join(figures.Formats, ", "))
	f.IntVar(&opts.DPI, "dpi", 0, "resolution of a PNG or TIFF --figure (default 150 for PNG, 300 for TIFF)")
	f.StringArrayVar(&opts.SetOR, "or", nil, "with --from: simulate with this odds ratio for a coefficient instead of the fitted one, TERM=OR (repeatable), e.g. --or orphan_drug=2")
	_ = cmd.RegisterFlagCompletionFunc("model", cobra.FixedCompletions([]string{"dgp"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("figure", append(slices.Clone(figures.Formats), "tif")...)
	_ = cmd.MarkFlagFilename("from", "json")
	return cmd
}

func (o *PowerOptions) check(cmd *cobra.Command) error {
	fl := cmd.Flags()
	exposure := fl.Changed("exposure-or") || fl.Changed("exposure-prevalence")
	n := 0
	for _, on := range []bool{exposure, o.From != "", o.Model != ""} {
		if on {
			n++
		}
	}
	if n != 1 {
		return usagef("power needs exactly one design: --exposure-or OR --exposure-prevalence P, --from logit.json, or --model dgp")
	}
	if len(o.SetOR) > 0 && o.From == "" {
		return usagef("--or sets a coefficient of the --from model (expected --from logit.json with it)")
	}
	switch {
	case exposure:
		o.mode = "exposure"
		if !fl.Changed("exposure-or") || !fl.Changed("exposure-prevalence") {
			return usagef("--exposure-or and --exposure-prevalence go together (expected both, e.g. --exposure-or 2 --exposure-prevalence 0.3)")
		}
		if !(o.ExposureOR > 0) || math.IsInf(o.ExposureOR, 0) {
			return usagef("--exposure-or %v (expected a finite odds ratio above 0)", o.ExposureOR)
		}
		if !(o.Prevalence > 0 && o.Prevalence < 1) {
			return usagef("--exposure-prevalence %v (expected a proportion strictly between 0 and 1)", o.Prevalence)
		}
	case o.From != "":
		o.mode = "from"
		o.setOR = map[string]float64{}
		for _, e := range o.SetOR {
			k, v, ok := strings.Cut(e, "=")
			or, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if !ok || k == "" || err != nil || !(or > 0) || math.IsInf(or, 0) {
				return usagef("--or %q (expected TERM=OR with a coefficient of the --from model and an odds ratio above 0, e.g. --or orphan_drug=2)", e)
			}
			if _, dup := o.setOR[k]; dup {
				return usagef("--or %s given twice (expected one odds ratio per coefficient)", k)
			}
			o.setOR[k] = or
		}
		if o.From == "-" && (o.Data == "-" || o.Schema == "-" || o.Products == "-") {
			return usagef("--from - and another input cannot both read standard input (expected a file for one of them)")
		}
	default:
		if o.Model != "dgp" {
			return usagef("--model %q (expected dgp)", o.Model)
		}
		o.mode = "dgp"
		if o.Cases == "" {
			o.Cases = "90"
		}
	}
	if o.Cases == "" {
		return usagef("power needs --cases N or --cases FROM:TO:BY")
	}
	if o.Sims < 1 || o.Sims > analysis.MaxPowerSims {
		return usagef("--sims %d (expected 1 to %d)", o.Sims, analysis.MaxPowerSims)
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return usagef("--alpha %v (expected a level strictly between 0 and 1)", o.Alpha)
	}
	if !(o.TargetPower > 0 && o.TargetPower < 1) {
		return usagef("--target-power %v (expected a power strictly between 0 and 1)", o.TargetPower)
	}
	var err error
	if o.cases, err = parseCountRange("--cases", o.Cases); err != nil {
		return err
	}
	switch {
	case o.Controls != "" && fl.Changed("ratio"):
		return usagef("--controls and --ratio both given (expected one of them)")
	case o.Controls != "":
		if o.controls, err = parseCountRange("--controls", o.Controls); err != nil {
			return err
		}
		// One number of controls for a curve over cases keeps the
		// controls fixed along it (a registry's controls are often given).
		if len(o.controls) == 1 && len(o.cases) > 1 {
			o.controls = slices.Repeat(o.controls, len(o.cases))
		}
		if len(o.controls) != len(o.cases) {
			return usagef("--controls %s gives %d numbers of controls for the %d of --cases %s (expected one, fixed along the curve, or as many; or use --ratio)", o.Controls, len(o.controls), len(o.cases), o.Cases)
		}
	default:
		r := 1.0
		if fl.Changed("ratio") {
			if !(o.Ratio > 0) || math.IsInf(o.Ratio, 0) {
				return usagef("--ratio %v (expected a finite number of controls per case above 0)", o.Ratio)
			}
			r = o.Ratio
		}
		for _, c := range o.cases {
			k := math.Round(r * float64(c))
			if k < 1 || k > analysis.MaxPowerUnits {
				return usagef("--ratio %v gives %v controls for %d cases (expected 1 to %d)", r, k, c, analysis.MaxPowerUnits)
			}
			o.controls = append(o.controls, int(k))
		}
	}
	if err := analysis.CheckPowerOptions(analysis.PowerOptions{Cases: o.cases, Controls: o.controls, Sims: o.Sims, Alpha: o.Alpha, TargetPower: o.TargetPower}); err != nil {
		return usageError{err}
	}
	if o.Figure != "" {
		format, ok := figures.FormatOf(o.Figure)
		if !ok {
			return usagef("--figure %s (expected a file name ending in .%s)", o.Figure, strings.Join(figures.Formats, ", ."))
		}
		// The same formats and dpi range as report --figure-format/--dpi.
		if err := checkFigureFormats([]string{format}, o.DPI); err != nil {
			return err
		}
	} else if o.DPI != 0 {
		return usagef("--dpi %d without --figure (expected --figure FILE.png or FILE.tiff)", o.DPI)
	}
	return nil
}

// parseCountRange reads N or FROM:TO:BY (TO included when reached).
func parseCountRange(flag, s string) ([]int, error) {
	parts := strings.Split(s, ":")
	num := func(p string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 1 || v > analysis.MaxPowerUnits {
			return 0, usagef("%s %s: %q is not a count from 1 to %d (expected N or FROM:TO:BY, e.g. 50:500:50)", flag, s, p, analysis.MaxPowerUnits)
		}
		return v, nil
	}
	switch len(parts) {
	case 1:
		v, err := num(parts[0])
		if err != nil {
			return nil, err
		}
		return []int{v}, nil
	case 3:
		var v [3]int
		for i, p := range parts {
			x, err := num(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		if v[1] < v[0] {
			return nil, usagef("%s %s: TO %d is below FROM %d (expected FROM:TO:BY with FROM ≤ TO)", flag, s, v[1], v[0])
		}
		if k := (v[1]-v[0])/v[2] + 1; k > analysis.MaxPowerPoints {
			return nil, usagef("%s %s gives %d designs (expected at most %d)", flag, s, k, analysis.MaxPowerPoints)
		}
		var out []int
		for x := v[0]; x <= v[1]; x += v[2] {
			out = append(out, x)
		}
		return out, nil
	}
	return nil, usagef("%s %s (expected N or FROM:TO:BY, e.g. 50:500:50)", flag, s)
}

func powerRun(opts *PowerOptions) error {
	var model analysis.PowerModel
	var data *dataset.DataInfo
	// The schema that labels the terms: the study's for --model dgp, the
	// data's for --from.
	var schema *dataset.Schema
	embedded := false
	switch opts.mode {
	case "exposure":
		model = analysis.ExposureModel{OR: opts.ExposureOR, P0: opts.Prevalence}
		// No table is read: every study is drawn from the given OR and
		// prevalence, and "data" says so instead of being absent.
		data = &dataset.DataInfo{Path: "none: each study simulated from --exposure-or and --exposure-prevalence", Excluded: []dataset.Exclusion{}}
	case "dgp":
		model = analysis.DGPModel{}
		embedded = true
		var err error
		if schema, err = refstudy.Schema("companies"); err != nil {
			return err
		}
		data = &dataset.DataInfo{Path: "none: each study simulated from the synthetic reference study's DGP", Excluded: []dataset.Exclusion{}}
	case "from":
		b, name, err := opts.readInput(opts.From)
		if err != nil {
			return err
		}
		st, err := opts.LoadStudy()
		if err != nil {
			return err
		}
		embedded = st.Synthetic
		schema = st.Companies.Schema
		info := dataset.NewDataInfo(st.Companies)
		data = &info
		if model, err = analysis.NewFittedModel(st.Companies, b, name, opts.setOR); err != nil {
			return err
		}
	}
	popts := analysis.PowerOptions{Cases: opts.cases, Controls: opts.controls, Sims: opts.Sims, Alpha: opts.Alpha, Seed: opts.Seed, TargetPower: opts.TargetPower, Test: opts.Test,
		Schema: schema, Lang: opts.Lang}
	bar := opts.progressBar(len(opts.cases) * opts.Sims)
	if bar != nil {
		var mu sync.Mutex
		popts.Progress = func(int) {
			mu.Lock()
			_ = bar.Add(1)
			mu.Unlock()
		}
	}
	res, err := analysis.SimulatePower(model, popts)
	if bar != nil {
		_ = bar.Clear()
	}
	if err != nil {
		return err
	}
	res.Data = data
	if opts.Figure != "" {
		if err := writePowerFigure(opts.Figure, opts.DPI, res, embedded); err != nil {
			return err
		}
		opts.notice("wrote %s", opts.Figure)
	}
	return opts.Emit(powerDocument(res, embedded, opts.Lang))
}

// progressBar is a bar on standard error when it is a terminal and not
// --quiet; nil otherwise (pipes and CI logs stay clean).
func (o *PowerOptions) progressBar(total int) *progressbar.ProgressBar {
	f, ok := o.IO.ErrOut.(*os.File)
	if !ok || o.Quiet || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription(i18n.T(o.Lang, "simulating")),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
}

// writePowerFigure draws the power curve into path, in the format its
// extension names (checked by PowerOptions.check) at dpi (0: the
// format's default), as the report writes its figures; a figure of
// synthetic data carries SyntheticCaption.
func writePowerFigure(path string, dpi int, res *analysis.PowerResult, synthetic bool) error {
	cases := make([]int, len(res.Points))
	for k, p := range res.Points {
		cases[k] = p.Cases
	}
	var series []figures.PowerSeries
	for t, term := range res.Terms {
		s := figures.PowerSeries{Label: term.Label, Power: make([]float64, len(cases)), SE: make([]float64, len(cases))}
		for k, p := range res.Points {
			s.Power[k], s.SE[k] = p.Factors[t].Power, p.Factors[t].MCSE
		}
		series = append(series, s)
	}
	if res.Points[0].ClosedFormPower != nil {
		s := figures.PowerSeries{Label: "closed form (Schlesselman)", Power: make([]float64, len(cases))}
		for k, p := range res.Points {
			s.Power[k] = *p.ClosedFormPower
		}
		series = append(series, s)
	}
	target := 0.0
	if len(res.Targets) > 0 {
		target = res.Targets[0].Target
	}
	// Text drawn inside figures stays English: the PNG font has no CJK
	// glyphs (as for every figure of the project).
	title := fmt.Sprintf("Power at alpha = %g (%d simulated studies per design)", res.Alpha, res.Sims)
	switch analysis.PowerTest(res.Test) {
	case analysis.TestLR:
		title = fmt.Sprintf("Power of the LR test per term at alpha = %g (%d simulated studies per design)", res.Alpha, res.Sims)
	case analysis.TestFirthLR:
		title = fmt.Sprintf("Power of Firth's penalized LR test per term at alpha = %g (%d simulated studies per design)", res.Alpha, res.Sims)
	}
	fig, err := figures.PowerCurve(cases, series, target, title)
	if err != nil {
		return err
	}
	if synthetic {
		fig = fig.Captioned(SyntheticCaption)
	}
	format, _ := figures.FormatOf(path)
	b, err := fig.Encode(format, dpi)
	if err != nil {
		return err
	}
	return writeAtomic(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

func fmtPower(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// powerDocument renders a power result: one table of power by design and
// factor, the targets of a curve, and the method notes.
func powerDocument(res *analysis.PowerResult, embedded bool, lang string) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		markSynthetic(doc, lang)
	}
	cf := res.Points[0].ClosedFormPower != nil
	perTerm := analysis.PowerTest(res.Test).PerTerm()
	tb := render.Table{Name: "power", Title: i18n.Tf(lang, "Power at alpha = %g (%d simulated studies per design)", res.Alpha, res.Sims),
		Columns:    []string{i18n.T(lang, "Cases"), i18n.T(lang, "Controls"), i18n.T(lang, "Factor"), i18n.T(lang, "True OR"), i18n.T(lang, "Power"), i18n.T(lang, "MC SE")},
		RawColumns: []string{"cases", "controls", "term", "label", "true_log_or", "power", "mc_se"}}
	if perTerm {
		title := "Power of the likelihood-ratio test of each term at alpha = %g (%d simulated studies per design)"
		if res.Test == string(analysis.TestFirthLR) {
			title = "Power of Firth's penalized likelihood-ratio test of each term at alpha = %g (%d simulated studies per design)"
		}
		tb.Title = i18n.Tf(lang, title, res.Alpha, res.Sims)
		tb.Columns = slices.Insert(tb.Columns, 3, i18n.T(lang, "df"))
		tb.RawColumns = slices.Insert(tb.RawColumns, 4, "df")
	}
	if cf {
		tb.Columns = append(tb.Columns, i18n.T(lang, "Closed form"))
		tb.RawColumns = append(tb.RawColumns, "closed_form_power")
	}
	tb.Columns = append(tb.Columns, i18n.T(lang, "Failed fits"), i18n.T(lang, "Separated"))
	tb.RawColumns = append(tb.RawColumns, "n_failed", "n_separated")
	if perTerm {
		tb.Columns = append(tb.Columns, i18n.T(lang, "Failed reduced fits"))
		tb.RawColumns = append(tb.RawColumns, "n_failed_reduced_fit")
	}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, p := range res.Points {
		for t, f := range p.Factors {
			term := res.Terms[t]
			or, logOR := "", "NA"
			if term.LogOR != nil {
				or, logOR = fmtNum(math.Exp(*term.LogOR)), g(*term.LogOR)
			} else {
				// A term of several columns: the OR of each, in order.
				ors := make([]string, len(term.Columns))
				for c, col := range term.Columns {
					ors[c] = fmtNum(math.Exp(col.LogOR))
				}
				or = strings.Join(ors, "; ")
			}
			row := []string{strconv.Itoa(p.Cases), strconv.Itoa(p.Controls), f.Label, or, fmtPower(f.Power), fmtPower(f.MCSE)}
			raw := []string{strconv.Itoa(p.Cases), strconv.Itoa(p.Controls), f.Term, f.Label, logOR, g(f.Power), g(f.MCSE)}
			if perTerm {
				row = slices.Insert(row, 3, strconv.Itoa(f.DF))
				raw = slices.Insert(raw, 4, strconv.Itoa(f.DF))
			}
			if cf {
				row = append(row, fmtPower(*p.ClosedFormPower))
				raw = append(raw, g(*p.ClosedFormPower))
			}
			row = append(row, strconv.Itoa(p.Failed), strconv.Itoa(p.Separated))
			raw = append(raw, strconv.Itoa(p.Failed), strconv.Itoa(p.Separated))
			if perTerm {
				row = append(row, strconv.Itoa(*f.ReducedFailed))
				raw = append(raw, row[len(row)-1])
			}
			tb.Rows, tb.RawRows = append(tb.Rows, row), append(tb.RawRows, raw)
		}
	}
	tb.Notes = append(tb.Notes, i18n.T(lang, "Method: ")+res.Method+".",
		i18n.T(lang, "Power is the share of simulated studies with p < alpha; MC SE is its Monte-Carlo standard error sqrt(p(1-p)/sims)."),
		i18n.T(lang, "Failed fits and separation: ")+res.FailureRule+".")
	if perTerm {
		tb.Notes = append(tb.Notes, i18n.T(lang, "Each row is a term (all columns of a factor tested together, df = its columns); True OR lists the odds ratio of each of its columns. A term inside an interaction is tested with the interaction kept."))
	}
	if cf {
		tb.Notes = append(tb.Notes, i18n.T(lang, "Closed form: Schlesselman's power of the two-sided test of two proportions (epiR::epi.sscc at one control per case); it ignores the far tail and uses a score-type test, so it differs from the simulated Wald power by more than Monte-Carlo error in small or unbalanced studies."))
	}
	if ss := res.ClosedFormSampleSize; ss != nil {
		if ss.Cases != nil {
			tb.Notes = append(tb.Notes, i18n.Tf(lang, "Closed-form sample size for power %g at %s controls per case: %d cases and %d controls (%s cases exactly).",
				ss.Target, fmtNum(ss.Ratio), *ss.Cases, *ss.Controls, strconv.FormatFloat(ss.CasesExact, 'f', 1, 64)))
		} else {
			tb.Notes = append(tb.Notes, i18n.Tf(lang, "Closed-form sample size for power %g: no finite design (the odds ratio is 1 or the design exceeds %d cases).", ss.Target, analysis.MaxPowerUnits))
		}
	}
	doc.Tables = append(doc.Tables, tb)
	if len(res.Targets) > 0 {
		tt := render.Table{Name: "target", Title: i18n.Tf(lang, "Smallest design in the range reaching power %g", res.Targets[0].Target),
			Columns:    []string{i18n.T(lang, "Factor"), i18n.T(lang, "Cases"), i18n.T(lang, "Controls")},
			RawColumns: []string{"term", "label", "target_power", "reached", "cases", "controls"}}
		if cf {
			tt.Columns = append(tt.Columns, i18n.T(lang, "Closed form: cases"))
			tt.RawColumns = append(tt.RawColumns, "closed_form_cases")
		}
		last := res.Points[len(res.Points)-1]
		none := i18n.Tf(lang, "not reached up to %d", last.Cases)
		for _, t := range res.Targets {
			row := []string{t.Label, none, ""}
			raw := []string{t.Term, t.Label, g(t.Target), strconv.FormatBool(t.Reached), "", ""}
			if t.Reached {
				row[1], row[2] = strconv.Itoa(*t.Cases), strconv.Itoa(*t.Controls)
				raw[4], raw[5] = row[1], row[2]
			}
			if cf {
				if *t.ClosedFormReached {
					row = append(row, strconv.Itoa(*t.ClosedFormCases))
					raw = append(raw, row[len(row)-1])
				} else {
					row, raw = append(row, none), append(raw, "")
				}
			}
			tt.Rows, tt.RawRows = append(tt.Rows, row), append(tt.RawRows, raw)
		}
		doc.Tables = append(doc.Tables, tt)
	}
	return doc
}
