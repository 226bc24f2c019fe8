package main

// The foreign-data suite: every command, and report, run with its default
// options on public datasets that ship with R packages, given as a
// researcher's own CSV with a hand-edited Table Schema
// (testdata/foreign/<name>/; see testdata/foreign/README.md for the shape
// each dataset was chosen for). Each run must exit 0 within a time limit,
// print nothing of the embedded reference study, and agree with the R
// outputs committed beside the data (testdata/foreign/<name>/<name>.json,
// written by <name>.R) wherever R defines the statistic.
//
// Commands run in a child process (this test binary re-executed, see
// init below), so that a hang is killed at the time limit and reported
// as a failure instead of blocking the test run. The parent test logs a
// dataset x command matrix at the end: ok, or what failed and after how
// long.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccstudy/ccstudy/dataset"
)

// foreignChildEnv carries a child's command line (a JSON list); when it is
// set, the test binary is the ccstudy command and nothing else.
const foreignChildEnv = "CCSTUDY_FOREIGN_CHILD_ARGS"

func init() {
	if a, ok := os.LookupEnv(foreignChildEnv); ok {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintf(os.Stderr, "foreign test child: bad %s: %v\n", foreignChildEnv, err)
			os.Exit(3)
		}
		os.Exit(Main(args, os.Stdin, os.Stdout, os.Stderr))
	}
}

// foreignDatasets are the folders under testdata/foreign.
var foreignDatasets = []string{"endometrial", "lung", "pbc", "pima", "programeffectiveness", "veteran"}

// foreignCommands are run on every dataset, in this order.
var foreignCommands = []string{"validate", "describe", "logit", "cluster", "subgroup", "report"}

// foreignTimeout is the time one command may take with its defaults on a
// dataset of at most a thousand rows ("within seconds" is the goal; the
// limit leaves room for a loaded CI machine). report runs four steps and
// gets twice as long; the race detector slows everything about tenfold.
// CCSTUDY_FOREIGN_TIMEOUT (a Go duration) overrides the per-command limit.
func foreignTimeout(t *testing.T, cmd string) time.Duration {
	d := 60 * time.Second
	if s := os.Getenv("CCSTUDY_FOREIGN_TIMEOUT"); s != "" {
		v, err := time.ParseDuration(s)
		if err != nil || v <= 0 {
			t.Fatalf("CCSTUDY_FOREIGN_TIMEOUT=%q: expected a positive Go duration such as 90s", s)
		}
		d = v
	}
	if raceEnabled {
		d *= 10
	}
	if cmd == "report" {
		d *= 2
	}
	return d
}

// foreignWording matches what belongs to the embedded reference study (a
// thesis on drug companies running clinical trials abroad) and must never
// reach the output for another study: its subject, its fixed phrases, its
// notice and its field names.
var foreignWording = []*regexp.Regexp{
	regexp.MustCompile(`(?i)compan(y|ies)`),
	regexp.MustCompile(`(?i)overseas`),
	regexp.MustCompile(`(?i)trials? abroad`),
	regexp.MustCompile(`(?i)going abroad`),
	regexp.MustCompile(`(?i)internationali[sz]ation`),
	regexp.MustCompile(`(?i)\bthesis\b`),
	// The synthetic-data notice (not the manifest's "synthetic_data" flag).
	regexp.MustCompile(`SYNTHETIC|(?i)synthetic[ -](reference|study|data\b)`),
	regexp.MustCompile(`rd_expenditure|rd_leader|founder_background|main_indication|orphan_drug|dev_years|product_source|novelty|founded_year|first_in_class`),
}

// ninetyCases is the reference study's "90 cases"; it is only wording when
// the dataset does not itself have 90 cases.
var ninetyCases = regexp.MustCompile(`(?i)\b90 cases\b`)

// ---- the committed R reference ------------------------------------------------

// fRGroup is one group's summary in R's Table 1.
type fRGroup struct {
	N       any       `json:"n"` // a number (continuous) or a list (categorical)
	Percent []float64 `json:"percent"`
	Mean    *float64  `json:"mean"`
	SD      *float64  `json:"sd"`
	Median  *float64  `json:"median"`
	Q1      *float64  `json:"q1"`
	Q3      *float64  `json:"q3"`
	Missing int       `json:"missing"`
}

// foreignVar is one variable of R's Table 1 (the format of
// testdata/reference/describe).
type foreignVar struct {
	Variable  string   `json:"variable"`
	Kind      string   `json:"kind"`
	Levels    []any    `json:"levels"`
	Cases     fRGroup  `json:"cases"`
	Controls  fRGroup  `json:"controls"`
	Overall   fRGroup  `json:"overall"`
	Test      string   `json:"test"`
	Statistic *float64 `json:"statistic"`
	DF        *float64 `json:"df"`
	PValue    *float64 `json:"p_value"`
	SMD       *float64 `json:"smd"`
	// RError says why R could not compute the test's p-value (then not
	// compared).
	RError string `json:"r_error"`
}

type foreignModel struct {
	Name      string    `json:"name"`
	Formula   string    `json:"formula"`
	Names     []string  `json:"names"`
	N         int       `json:"n"`
	Events    int       `json:"events"`
	Separated bool      `json:"separated"`
	Infinite  []string  `json:"infinite"`
	Method    string    `json:"method"`
	Estimate  []float64 `json:"estimate"`
	StdError  []float64 `json:"std_error"`
	Statistic []float64 `json:"statistic"`
	PValue    []float64 `json:"p_value"`
	ConfLow   []float64 `json:"conf_low"`
	ConfHigh  []float64 `json:"conf_high"`
	// Maximum likelihood only.
	NullDeviance  *float64 `json:"null_deviance"`
	Deviance      *float64 `json:"deviance"`
	LogLikelihood *float64 `json:"log_likelihood"`
	AIC           *float64 `json:"aic"`
	BIC           *float64 `json:"bic"`
	// The likelihood-ratio test against the null model (penalized for Firth).
	LRStatistic float64 `json:"lr_statistic"`
	LRDF        int     `json:"lr_df"`
	LRPValue    float64 `json:"lr_p_value"`
}

type foreignCaseTest struct {
	Test        string   `json:"test"`
	Statistic   *float64 `json:"statistic"`
	DF          *float64 `json:"df"`
	PValue      *float64 `json:"p_value"`
	MinExpected float64  `json:"min_expected"`
	RError      string   `json:"r_error"`
}

type foreignKMeans struct {
	K int `json:"k"`
	// TotWithinss is the best R found (of nstart = 100, 1000, 5000);
	// Stable says two runs found it, so it is taken for the optimum.
	TotWithinss          float64         `json:"tot_withinss"`
	Stable               bool            `json:"stable"`
	TotWithinssNstart100 float64         `json:"tot_withinss_nstart100"`
	Size                 []int           `json:"size"`
	Cases                []int           `json:"cases"`
	CaseTest             foreignCaseTest `json:"case_test"`
}

type foreignRef struct {
	Dataset  string `json:"dataset"`
	Source   string `json:"source"`
	Title    string `json:"title"`
	Validate struct {
		Rows     int    `json:"rows"`
		Outcome  string `json:"outcome"`
		Cases    int    `json:"cases"`
		Controls int    `json:"controls"`
		Missing  []struct {
			Column  string `json:"column"`
			Missing int    `json:"missing"`
		} `json:"missing"`
	} `json:"validate"`
	Table1 []foreignVar `json:"table1"`
	Logit  struct {
		Formula string         `json:"formula"`
		Models  []foreignModel `json:"models"`
	} `json:"logit"`
	Cluster struct {
		Columns  []string        `json:"columns"`
		Dropped  []string        `json:"dropped"`
		N        int             `json:"n"`
		Excluded int             `json:"excluded"`
		Totss    float64         `json:"totss"`
		KMeans   []foreignKMeans `json:"kmeans"`
	} `json:"cluster"`
}

// ---- what ccstudy writes (only the parts compared) ----------------------------

// jnum is a JSON number that may also be "Inf", "-Inf" or "NaN" (as
// ccstudy writes non-finite numbers) or null (NaN here).
type jnum float64

func (x *jnum) UnmarshalJSON(b []byte) error {
	switch s := string(b); s {
	case "null", `"NaN"`:
		*x = jnum(math.NaN())
	case `"Inf"`:
		*x = jnum(math.Inf(1))
	case `"-Inf"`:
		*x = jnum(math.Inf(-1))
	default:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("not a number: %s", s)
		}
		*x = jnum(v)
	}
	return nil
}

type fDataInfo struct {
	Path     string `json:"path"`
	RowsRead int    `json:"rows_read"`
	RowsUsed int    `json:"rows_used"`
	Excluded []any  `json:"excluded"`
}

type fValidate struct {
	Data    fDataInfo `json:"data"`
	Summary struct {
		Rows     int    `json:"rows"`
		Outcome  string `json:"outcome"`
		Cases    int    `json:"cases"`
		Controls int    `json:"controls"`
		Missing  []struct {
			Column  string `json:"column"`
			Missing int    `json:"missing"`
		} `json:"missing"`
	} `json:"summary"`
}

type fRow struct {
	Variable        string `json:"variable"`
	Level           string `json:"level"`
	Kind            string `json:"kind"`
	CasesN          int    `json:"cases_n"`
	CasesPercent    *jnum  `json:"cases_percent"`
	CasesMean       *jnum  `json:"cases_mean"`
	CasesSD         *jnum  `json:"cases_sd"`
	CasesMedian     *jnum  `json:"cases_median"`
	CasesQ1         *jnum  `json:"cases_q1"`
	CasesQ3         *jnum  `json:"cases_q3"`
	CasesMissing    *int   `json:"cases_missing"`
	ControlsN       int    `json:"controls_n"`
	ControlsPercent *jnum  `json:"controls_percent"`
	ControlsMean    *jnum  `json:"controls_mean"`
	ControlsSD      *jnum  `json:"controls_sd"`
	ControlsMedian  *jnum  `json:"controls_median"`
	ControlsQ1      *jnum  `json:"controls_q1"`
	ControlsQ3      *jnum  `json:"controls_q3"`
	ControlsMissing *int   `json:"controls_missing"`
	OverallN        int    `json:"overall_n"`
	OverallPercent  *jnum  `json:"overall_percent"`
	OverallMean     *jnum  `json:"overall_mean"`
	OverallSD       *jnum  `json:"overall_sd"`
	OverallMedian   *jnum  `json:"overall_median"`
	OverallQ1       *jnum  `json:"overall_q1"`
	OverallQ3       *jnum  `json:"overall_q3"`
	OverallMissing  *int   `json:"overall_missing"`
	Test            string `json:"test"`
	Statistic       *jnum  `json:"statistic"`
	DF              *jnum  `json:"df"`
	PValue          *jnum  `json:"p_value"`
	SMD             *jnum  `json:"smd"`
	Note            string `json:"note"`
}

type fDescribe struct {
	Data   fDataInfo `json:"data"`
	Table1 []fRow    `json:"table1"`
}

type fTerm struct {
	Term      string `json:"term"`
	Estimate  jnum   `json:"estimate"`
	StdError  jnum   `json:"std_error"`
	Statistic jnum   `json:"statistic"`
	PValue    jnum   `json:"p_value"`
	ConfLow   jnum   `json:"conf_low"`
	ConfHigh  jnum   `json:"conf_high"`
}

type fModel struct {
	Name          string   `json:"name"`
	Formula       string   `json:"formula"`
	Method        string   `json:"method"`
	Converged     bool     `json:"converged"`
	N             int      `json:"n"`
	Events        int      `json:"events"`
	NullDeviance  jnum     `json:"null_deviance"`
	Deviance      jnum     `json:"deviance"`
	LogLikelihood jnum     `json:"log_likelihood"`
	AIC           jnum     `json:"aic"`
	BIC           jnum     `json:"bic"`
	LRStatistic   jnum     `json:"lr_statistic"`
	LRDF          int      `json:"lr_df"`
	LRPValue      jnum     `json:"lr_p_value"`
	Separation    []string `json:"separation"`
	Warnings      []string `json:"warnings"`
	Terms         []fTerm  `json:"terms"`
}

type fLogit struct {
	Data   fDataInfo `json:"data"`
	Models []fModel  `json:"models"`
}

type fCluster struct {
	Data     fDataInfo `json:"data"`
	Settings struct {
		Columns []string `json:"columns"`
		Dropped []string `json:"dropped"`
	} `json:"settings"`
	Selection []struct {
		K           int   `json:"k"`
		TotWithinss *jnum `json:"tot_withinss"`
	} `json:"selection"`
	K           int   `json:"k"`
	TotWithinss *jnum `json:"tot_withinss"`
	Totss       *jnum `json:"totss"`
	Sizes       []int `json:"sizes"`
	Profiles    struct {
		CaseTest *struct {
			Test        string `json:"test"`
			Statistic   *jnum  `json:"statistic"`
			DF          *int   `json:"df"`
			PValue      jnum   `json:"p_value"`
			MinExpected jnum   `json:"min_expected"`
		} `json:"case_test"`
	} `json:"profiles"`
}

// ---- running a command in a child process ------------------------------------

type foreignRun struct {
	args           []string
	stdout, stderr string
	code           int
	elapsed        time.Duration
	timedOut       bool
	limit          time.Duration
	// budget: not run, the go test -timeout left no time for it.
	budget bool
}

// String names the run without the --data and --schema paths, which are
// the same for every command of a dataset.
func (r foreignRun) String() string {
	var a []string
	for i := 0; i < len(r.args); i++ {
		switch r.args[i] {
		case "--data", "--schema", "--out-dir":
			i++
			continue
		}
		a = append(a, r.args[i])
	}
	return strings.Join(a, " ")
}

// firstLine is the first non-empty line of s, shortened.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 240 {
				l = l[:240] + "…"
			}
			return l
		}
	}
	return ""
}

// foreignReserve is kept back from the test binary's deadline (go test
// -timeout) so that a slow suite fails its remaining runs with a message
// instead of panicking the whole package.
const foreignReserve = 30 * time.Second

func runForeign(t *testing.T, limit time.Duration, args ...string) foreignRun {
	t.Helper()
	if dl, ok := t.Deadline(); ok {
		left := time.Until(dl) - foreignReserve
		if left < 5*time.Second {
			return foreignRun{args: args, code: -1, budget: true}
		}
		if left < limit {
			limit = left
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := json.Marshal(args)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), foreignChildEnv+"="+string(enc))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err = cmd.Run()
	r := foreignRun{args: args, stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start), limit: limit}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.timedOut, r.code = true, -1
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("%s: %v", r, err)
	}
	return r
}

// ---- checks ----------------------------------------------------------------------

// fcheck collects the failures of one kind of check, so the matrix can say
// how many there were and quote the first.
type fcheck struct {
	t     *testing.T
	kind  string
	n     int
	first string
}

func (c *fcheck) errorf(format string, a ...any) {
	c.t.Helper()
	msg := fmt.Sprintf(format, a...)
	c.t.Errorf("%s: %s", c.kind, msg)
	if c.n == 0 {
		c.first = msg
	}
	c.n++
}

// num compares a statistic with R's at relative 1e-6 (absolute 1e-12 for
// tiny p-values, as closeTo does).
func (c *fcheck) num(what string, got, want float64) {
	c.t.Helper()
	if !closeTo(got, want, 1e-6) {
		c.errorf("%s = %.12g, R says %.12g", what, got, want)
	}
}

func (c *fcheck) optNum(what string, got *jnum, want *float64) {
	c.t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || math.IsNaN(float64(*got)) && want != nil:
		c.errorf("%s missing, R says %.12g", what, *want)
	case want == nil:
		c.errorf("%s = %.12g, R has none", what, float64(*got))
	default:
		c.num(what, float64(*got), *want)
	}
}

func (c *fcheck) summary() string {
	if c.n == 0 {
		return ""
	}
	s := fmt.Sprintf("%s: %d", c.kind, c.n)
	if c.n == 1 {
		s += " problem: "
	} else {
		s += " problems, first: "
	}
	return s + c.first
}

func checkExit(c *fcheck, r foreignRun) {
	c.t.Helper()
	switch {
	case r.budget:
		c.errorf("%s: not run: the go test -timeout left less than %s (run the suite with a longer -timeout)", r, foreignReserve+5*time.Second)
	case r.timedOut:
		c.errorf("%s: did not finish within %s (killed)", r, r.limit.Round(time.Second))
	case r.code != 0:
		c.errorf("%s: exit %d after %.1fs: %s", r, r.code, r.elapsed.Seconds(), firstLine(r.stderr))
	}
}

// checkWording reports reference-study wording in text (named where).
func checkWording(c *fcheck, ref *foreignRef, where, text string) {
	c.t.Helper()
	pats := foreignWording
	if ref.Validate.Cases != 90 {
		pats = append(pats[:len(pats):len(pats)], ninetyCases)
	}
	for _, p := range pats {
		if loc := p.FindStringIndex(text); loc != nil {
			lo, hi := max(0, loc[0]-50), min(len(text), loc[1]+50)
			c.errorf("%s contains %q: …%s…", where, text[loc[0]:loc[1]], strings.ReplaceAll(text[lo:hi], "\n", "⏎"))
		}
	}
}

var dataURI = regexp.MustCompile(`data:[a-z/+]+;base64,[A-Za-z0-9+/=]+`)

// ---- comparisons with R -------------------------------------------------------------

func compareForeignValidate(c *fcheck, got fValidate, ref *foreignRef) {
	w := ref.Validate
	s := got.Summary
	if got.Data.RowsRead != w.Rows || s.Rows != w.Rows || s.Outcome != w.Outcome || s.Cases != w.Cases || s.Controls != w.Controls {
		c.errorf("rows %d (read %d), outcome %s, %d cases, %d controls; R: %d rows, outcome %s, %d cases, %d controls",
			s.Rows, got.Data.RowsRead, s.Outcome, s.Cases, s.Controls, w.Rows, w.Outcome, w.Cases, w.Controls)
	}
	miss := map[string]int{}
	for _, m := range s.Missing {
		miss[m.Column] = m.Missing
	}
	for _, m := range w.Missing {
		if g, ok := miss[m.Column]; !ok || g != m.Missing {
			c.errorf("column %s: %d missing cells (listed: %v), R counts %d", m.Column, g, ok, m.Missing)
		}
	}
}

func compareForeignTable1(c *fcheck, got []fRow, want []foreignVar) {
	byVar := map[string][]fRow{}
	var order []string
	for _, r := range got {
		if _, ok := byVar[r.Variable]; !ok {
			order = append(order, r.Variable)
		}
		byVar[r.Variable] = append(byVar[r.Variable], r)
	}
	var wantOrder []string
	for _, w := range want {
		wantOrder = append(wantOrder, w.Variable)
	}
	if strings.Join(order, ",") != strings.Join(wantOrder, ",") {
		c.errorf("Table 1 variables %v, R (ccstudy's rule applied to the schema) %v", order, wantOrder)
	}
	for _, w := range want {
		rows := byVar[w.Variable]
		name := w.Variable
		if len(rows) == 0 {
			continue
		}
		head := rows[0]
		if w.Test == "none" {
			if head.Test != "" || head.Note == "" {
				c.errorf("%s: R defines no test; got test %q, note %q", name, head.Test, head.Note)
			}
		} else if head.Test != w.Test {
			c.errorf("%s: test %q, R's rule gives %q (note: %s)", name, head.Test, w.Test, head.Note)
		}
		if w.Test != "none" && head.Test == w.Test {
			c.optNum(name+" statistic", head.Statistic, w.Statistic)
			c.optNum(name+" df", head.DF, w.DF)
			if w.RError == "" {
				c.optNum(name+" p_value", head.PValue, w.PValue)
			} else {
				c.t.Logf("%s: p-value not compared: R could not compute it (%s)", name, w.RError)
			}
		}
		c.optNum(name+" smd", head.SMD, w.SMD)
		if w.Kind == "categorical" {
			if len(rows) != len(w.Levels) {
				c.errorf("%s: %d levels, R %d", name, len(rows), len(w.Levels))
				continue
			}
			for j, r := range rows {
				for _, g := range []struct {
					what string
					n    int
					pct  *jnum
					ref  fRGroup
				}{{"cases", r.CasesN, r.CasesPercent, w.Cases}, {"controls", r.ControlsN, r.ControlsPercent, w.Controls}, {"overall", r.OverallN, r.OverallPercent, w.Overall}} {
					ns, _ := g.ref.N.([]any)
					if j >= len(ns) || j >= len(g.ref.Percent) {
						c.errorf("%s: R reference lacks level %d", name, j)
						continue
					}
					if float64(g.n) != ns[j].(float64) {
						c.errorf("%s[%v] %s n = %d, R %v", name, w.Levels[j], g.what, g.n, ns[j])
					}
					p := g.ref.Percent[j]
					c.optNum(fmt.Sprintf("%s[%v] %s percent", name, w.Levels[j], g.what), g.pct, &p)
				}
			}
			if head.CasesMissing == nil || head.ControlsMissing == nil || *head.CasesMissing != w.Cases.Missing || *head.ControlsMissing != w.Controls.Missing {
				c.errorf("%s: missing among cases/controls %v/%v, R %d/%d", name, deref(head.CasesMissing), deref(head.ControlsMissing), w.Cases.Missing, w.Controls.Missing)
			}
			continue
		}
		for _, g := range []struct {
			what                     string
			n                        int
			mean, sd, median, q1, q3 *jnum
			missing                  *int
			ref                      fRGroup
		}{
			{"cases", head.CasesN, head.CasesMean, head.CasesSD, head.CasesMedian, head.CasesQ1, head.CasesQ3, head.CasesMissing, w.Cases},
			{"controls", head.ControlsN, head.ControlsMean, head.ControlsSD, head.ControlsMedian, head.ControlsQ1, head.ControlsQ3, head.ControlsMissing, w.Controls},
			{"overall", head.OverallN, head.OverallMean, head.OverallSD, head.OverallMedian, head.OverallQ1, head.OverallQ3, head.OverallMissing, w.Overall},
		} {
			n, _ := g.ref.N.(float64)
			if float64(g.n) != n || g.missing == nil || *g.missing != g.ref.Missing {
				c.errorf("%s %s: n %d missing %v, R n %v missing %d", name, g.what, g.n, deref(g.missing), g.ref.N, g.ref.Missing)
			}
			c.optNum(name+" "+g.what+" mean", g.mean, g.ref.Mean)
			c.optNum(name+" "+g.what+" sd", g.sd, g.ref.SD)
			c.optNum(name+" "+g.what+" median", g.median, g.ref.Median)
			c.optNum(name+" "+g.what+" q1", g.q1, g.ref.Q1)
			c.optNum(name+" "+g.what+" q3", g.q3, g.ref.Q3)
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return "none"
	}
	return *p
}

func compareForeignModels(c *fcheck, got []fModel, want []foreignModel) {
	if len(got) != len(want) {
		c.errorf("%d models, R %d (the multivariable model and each covariate alone)", len(got), len(want))
	}
	for i, w := range want {
		if i >= len(got) {
			break
		}
		g := got[i]
		name := w.Name
		if g.Name != w.Name {
			c.errorf("model %d is %q, R %q", i, g.Name, w.Name)
		}
		if g.N != w.N || g.Events != w.Events {
			c.errorf("%s: n %d, %d events; R (complete cases) n %d, %d events", name, g.N, g.Events, w.N, w.Events)
		}
		if g.Method != w.Method {
			why := "R's linear program (Konis) finds no separation"
			if w.Separated {
				why = "R's linear program (Konis) finds separation in " + strings.Join(w.Infinite, ", ")
			}
			c.errorf("%s: method %s, expected %s: %s; estimates not compared (warnings: %s)", name, g.Method, w.Method, why, strings.Join(g.Warnings, "; "))
			continue
		}
		var names []string
		for _, tm := range g.Terms {
			names = append(names, rName(tm.Term))
		}
		if strings.Join(names, ",") != strings.Join(w.Names, ",") {
			c.errorf("%s: terms %v, R's columns %v (compared by position)", name, names, w.Names)
		}
		if len(g.Terms) != len(w.Names) {
			continue
		}
		for j, tm := range g.Terms {
			what := name + " " + w.Names[j]
			c.num(what+" estimate", float64(tm.Estimate), w.Estimate[j])
			c.num(what+" std_error", float64(tm.StdError), w.StdError[j])
			c.num(what+" statistic", float64(tm.Statistic), w.Statistic[j])
			c.num(what+" p_value", float64(tm.PValue), w.PValue[j])
			c.num(what+" conf_low", float64(tm.ConfLow), w.ConfLow[j])
			c.num(what+" conf_high", float64(tm.ConfHigh), w.ConfHigh[j])
		}
		if w.Method == "mle" {
			for _, s := range []struct {
				what string
				got  jnum
				want *float64
			}{{"null_deviance", g.NullDeviance, w.NullDeviance}, {"deviance", g.Deviance, w.Deviance},
				{"log_likelihood", g.LogLikelihood, w.LogLikelihood}, {"aic", g.AIC, w.AIC}, {"bic", g.BIC, w.BIC}} {
				if s.want != nil {
					c.num(name+" "+s.what, float64(s.got), *s.want)
				}
			}
		}
		c.num(name+" lr_statistic", float64(g.LRStatistic), w.LRStatistic)
		c.num(name+" lr_p_value", float64(g.LRPValue), w.LRPValue)
		if g.LRDF != w.LRDF {
			c.errorf("%s: lr_df %d, R %d", name, g.LRDF, w.LRDF)
		}
	}
}

func compareForeignCluster(c *fcheck, got fCluster, ref *foreignRef) {
	w := ref.Cluster
	if got.Data.RowsUsed != w.N || len(got.Data.Excluded) != w.Excluded {
		c.errorf("%d rows used, %d excluded; R (complete cases of the covariates) %d used, %d excluded", got.Data.RowsUsed, len(got.Data.Excluded), w.N, w.Excluded)
	}
	if strings.Join(got.Settings.Columns, ",") != strings.Join(w.Columns, ",") {
		c.errorf("clustered columns %v, R %v", got.Settings.Columns, w.Columns)
	}
	if got.Totss == nil {
		c.errorf("no totss")
	} else {
		c.num("totss", float64(*got.Totss), w.Totss)
	}
	sel := map[int]*jnum{}
	for _, s := range got.Selection {
		sel[s.K] = s.TotWithinss
	}
	for _, km := range w.KMeans {
		g, ok := sel[km.K]
		if !ok || g == nil {
			c.errorf("k = %d: no tot_withinss in the selection table", km.K)
			continue
		}
		// Where R's best is stable it is the optimum and ccstudy must find
		// it; elsewhere ccstudy must do at least as well as R's
		// kmeans(nstart = 100).
		got := float64(*g)
		switch {
		case km.Stable:
			if !closeTo(got, km.TotWithinss, 1e-6) {
				c.errorf("k = %d tot_withinss = %.10g, R's optimum %.10g (found by two of kmeans nstart = 100, 1000, 5000)", km.K, got, km.TotWithinss)
			}
		case got > km.TotWithinssNstart100*(1+1e-6):
			c.errorf("k = %d tot_withinss = %.10g, worse than R's kmeans(nstart = 100) %.10g (best R knows: %.10g)", km.K, got, km.TotWithinssNstart100, km.TotWithinss)
		}
	}
	// The case test is R's only for the same partition: compare it at the
	// chosen k when the partition has R's sizes and within sum of squares.
	var rk *foreignKMeans
	for i := range w.KMeans {
		if w.KMeans[i].K == got.K {
			rk = &w.KMeans[i]
		}
	}
	if rk == nil {
		c.t.Logf("chosen k = %d is outside R's range; case test not compared", got.K)
		return
	}
	sizes := append([]int(nil), got.Sizes...)
	sort.Sort(sort.Reverse(sort.IntSlice(sizes)))
	if fmt.Sprint(sizes) != fmt.Sprint(rk.Size) || got.TotWithinss == nil || !closeTo(float64(*got.TotWithinss), rk.TotWithinss, 1e-6) {
		if rk.Stable {
			c.errorf("chosen k = %d: partition (sizes %v) is not R's optimum (sizes %v, tot_withinss %.10g); case test not compared", got.K, sizes, rk.Size, rk.TotWithinss)
		} else {
			c.t.Logf("chosen k = %d: partition (sizes %v) is not the best R found (sizes %v); no R optimum to compare the case test with", got.K, sizes, rk.Size)
		}
		return
	}
	ct := got.Profiles.CaseTest
	if ct == nil {
		c.errorf("chosen k = %d: no cluster x case test", got.K)
		return
	}
	if ct.Test != rk.CaseTest.Test {
		c.errorf("chosen k = %d: case test %q, R's rule gives %q (min expected %.4g)", got.K, ct.Test, rk.CaseTest.Test, rk.CaseTest.MinExpected)
		return
	}
	if rk.CaseTest.RError != "" || rk.CaseTest.PValue == nil {
		c.t.Logf("chosen k = %d: case-test p not compared: R could not compute it (%s)", got.K, rk.CaseTest.RError)
		return
	}
	c.num(fmt.Sprintf("chosen k = %d case test p_value", got.K), float64(ct.PValue), *rk.CaseTest.PValue)
	if rk.CaseTest.Statistic != nil {
		if ct.Statistic == nil {
			c.errorf("chosen k = %d: no chi-square statistic", got.K)
		} else {
			c.num(fmt.Sprintf("chosen k = %d case test statistic", got.K), float64(*ct.Statistic), *rk.CaseTest.Statistic)
		}
	}
	c.t.Logf("chosen k = %d: %s case test compared with R's on the same partition (sizes %v)", got.K, ct.Test, sizes)
}

// decodeInto decodes a command's JSON output, reporting a failure to c.
func decodeInto(c *fcheck, where string, b []byte, v any) bool {
	if err := json.Unmarshal(b, v); err != nil {
		c.errorf("%s: cannot decode the JSON output: %v", where, err)
		return false
	}
	return true
}

// ---- the test ---------------------------------------------------------------------

// TestForeignData runs every command with its defaults on each dataset of
// testdata/foreign and checks exit status, time, wording and the
// statistics against R. It logs the dataset x command matrix at the end.
func TestForeignData(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("every command with defaults on six datasets (minutes): run without -race and -short (make test does)")
	}
	matrix := map[string]map[string]string{}
	t.Cleanup(func() { t.Log("\n" + foreignMatrix(matrix)) })
	for _, name := range foreignDatasets {
		matrix[name] = map[string]string{}
		dir := testdataPath(filepath.Join("foreign", name))
		var ref foreignRef
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &ref); err != nil {
			t.Fatalf("%s.json: %v", name, err)
		}
		data := []string{"--data", filepath.Join(dir, name+".csv"), "--schema", filepath.Join(dir, name+".schema.json")}
		for _, cmd := range foreignCommands {
			t.Run(name+"/"+cmd, func(t *testing.T) {
				args := data
				if cmd == "subgroup" {
					args = foreignSubgroupArgs(t, data)
				}
				matrix[name][cmd] = runForeignCommand(t, &ref, cmd, args)
			})
		}
	}
}

// runForeignCommand runs one command on one dataset, checks it and
// returns its cell of the matrix.
func runForeignCommand(t *testing.T, ref *foreignRef, cmd string, data []string) string {
	limit := foreignTimeout(t, cmd)
	exit := &fcheck{t: t, kind: "exit"}
	wording := &fcheck{t: t, kind: "wording"}
	title := &fcheck{t: t, kind: "title"}
	vsR := &fcheck{t: t, kind: "vs R"}
	var times []string

	if cmd == "report" {
		out := filepath.Join(t.TempDir(), "report")
		r := runForeign(t, limit, append([]string{"report", "--out-dir", out}, data...)...)
		times = append(times, fmt.Sprintf("%.1fs", r.elapsed.Seconds()))
		checkExit(exit, r)
		checkWording(wording, ref, "report stdout/stderr", r.stdout+r.stderr)
		files := map[string][]byte{}
		if _, err := os.Stat(out); err == nil {
			files = readTree(t, out)
		}
		if len(files) == 0 && !r.timedOut && !r.budget {
			exit.errorf("%s: no report written", r)
		}
		var names []string
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			switch filepath.Ext(n) {
			case ".md", ".html", ".csv", ".json", ".svg", ".txt":
				checkWording(wording, ref, n, dataURI.ReplaceAllString(string(files[n]), "data:…"))
			}
		}
		if md, ok := files["report.md"]; ok && !strings.Contains(string(md), ref.Title) {
			title.errorf("report.md does not name the study by its schema title %q (first line: %s)", ref.Title, firstLine(string(md)))
		}
		// The report's tables are the steps' results: they must agree with
		// R as the single commands must.
		if b, ok := files["tables/describe.json"]; ok {
			var d fDescribe
			if decodeInto(vsR, "tables/describe.json", b, &d) {
				compareForeignTable1(vsR, d.Table1, ref.Table1)
			}
		}
		if b, ok := files["tables/logit.json"]; ok {
			var l fLogit
			if decodeInto(vsR, "tables/logit.json", b, &l) {
				compareForeignModels(vsR, l.Models, ref.Logit.Models)
			}
		}
		if b, ok := files["tables/cluster.json"]; ok {
			var cl fCluster
			if decodeInto(vsR, "tables/cluster.json", b, &cl) {
				compareForeignCluster(vsR, cl, ref)
			}
		}
	} else {
		// JSON first: it carries the statistics. The human-readable run is
		// checked for wording and exit status too, unless the JSON run
		// already hung (a second hang would only double the wait).
		js := runForeign(t, limit, append(append([]string{cmd}, data...), "--format", "json")...)
		times = append(times, fmt.Sprintf("json %.1fs", js.elapsed.Seconds()))
		checkExit(exit, js)
		checkWording(wording, ref, cmd+" --format json", js.stdout+js.stderr)
		if !js.timedOut && !js.budget {
			tb := runForeign(t, limit, append([]string{cmd}, data...)...)
			times = append(times, fmt.Sprintf("table %.1fs", tb.elapsed.Seconds()))
			checkExit(exit, tb)
			checkWording(wording, ref, cmd+" (table)", tb.stdout+tb.stderr)
		}
		if js.code == 0 && !js.timedOut && !js.budget {
			out := []byte(js.stdout)
			switch cmd {
			case "validate":
				var v fValidate
				if decodeInto(vsR, cmd, out, &v) {
					compareForeignValidate(vsR, v, ref)
				}
			case "describe":
				var d fDescribe
				if decodeInto(vsR, cmd, out, &d) {
					compareForeignTable1(vsR, d.Table1, ref.Table1)
				}
			case "logit":
				var l fLogit
				if decodeInto(vsR, cmd, out, &l) {
					compareForeignModels(vsR, l.Models, ref.Logit.Models)
				}
			case "cluster":
				var cl fCluster
				if decodeInto(vsR, cmd, out, &cl) {
					compareForeignCluster(vsR, cl, ref)
				}
			case "subgroup":
				// R defines nothing for subgroups the schema does not name;
				// the output must still be valid JSON.
				var v map[string]json.RawMessage
				decodeInto(vsR, cmd, out, &v)
			}
		}
	}
	var parts []string
	for _, c := range []*fcheck{exit, wording, title, vsR} {
		if s := c.summary(); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("ok (%s)", strings.Join(times, ", "))
	}
	return fmt.Sprintf("FAIL (%s) %s", strings.Join(times, ", "), strings.Join(parts, " | "))
}

// foreignMatrix renders the dataset x command results as a Markdown list
// per dataset (cells are too long for a table).
func foreignMatrix(m map[string]map[string]string) string {
	var b strings.Builder
	b.WriteString("foreign-data matrix (dataset x command):\n")
	for _, name := range foreignDatasets {
		if len(m[name]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s\n", name)
		for _, cmd := range foreignCommands {
			if cell, ok := m[name][cmd]; ok {
				fmt.Fprintf(&b, "  %-9s %s\n", cmd, cell)
			}
		}
	}
	return b.String()
}

// foreignSubgroupArgs is the data's arguments for subgroup. A schema that
// marks no field "role": "subgroup" gives subgroup nothing to split, which
// is an error (exit 1, saying to give --by): that is checked here, and the
// suite then runs it as a researcher would next, with --by on the first
// covariate (as is when categorical or 0/1, else at its median).
func foreignSubgroupArgs(t *testing.T, data []string) []string {
	t.Helper()
	b, err := os.ReadFile(data[3])
	if err != nil {
		t.Fatal(err)
	}
	s, err := dataset.ParseSchema(b, data[3])
	if err != nil {
		t.Fatal(err)
	}
	if len(s.FieldsWithRole(dataset.RoleSubgroup)) > 0 {
		return data
	}
	_, errOut, code := runCLI(t, "", append([]string{"subgroup"}, data...)...)
	if code != 1 || !strings.Contains(errOut, "No subgroups to analyse") {
		t.Errorf("subgroup without subgroup fields: exit %d, %q; want exit 1 saying there are no subgroups", code, firstLine(errOut))
	}
	covs := s.FieldsWithRole(dataset.RoleCovariate)
	if len(covs) == 0 {
		t.Fatalf("%s: no covariate to split by", data[3])
	}
	spec := covs[0]
	if f, _ := s.Field(spec); !f.IsCategorical() && !f.IsBinary() {
		spec += "@median"
	}
	return append(slices.Clone(data), "--by", spec)
}
