package main

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/cluster"
	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/choice"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/spf13/cobra"
)

// parseFlags runs only the flag parsing and checks of a command: its runF
// captures the options instead of loading data and computing.
func parseFlags[O any](t *testing.T, newCmd func(*GlobalOptions, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	t.Helper()
	g := &GlobalOptions{IO: &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}, Seed: dataset.DefaultSeed}
	var got *O
	cmd := newCmd(g, func(o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	if err == nil && got == nil {
		t.Fatalf("%v: runF was not called", args)
	}
	return got, err
}

// isUsage reports whether Main would exit 2 for err: a bad flag value
// refused while parsing, or a usage error of the checks.
func isUsage(err error) bool {
	var ue usageError
	return errors.As(err, &ue) || isCobraUsage(err)
}

type flagCase struct {
	args []string
	msg  string
}

func checkFlagErrors[O any](t *testing.T, newCmd func(*GlobalOptions, func(*O) error) *cobra.Command, cases []flagCase) {
	t.Helper()
	for _, c := range cases {
		got, err := parseFlags(t, newCmd, c.args...)
		if err == nil || !isUsage(err) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: error %v; want a usage error with %q", c.args, err, c.msg)
		}
		if got != nil {
			t.Errorf("%v: the command ran despite the error", c.args)
		}
	}
}

func TestLogitFlags(t *testing.T) {
	o, err := parseFlags(t, NewCmdLogit)
	if err != nil {
		t.Fatal(err)
	}
	want := analysis.DefaultLogitOptions()
	want.Univariable = true
	if !reflect.DeepEqual(o.LogitOptions, want) {
		t.Errorf("defaults %+v, want %+v", o.LogitOptions, want)
	}
	o, err = parseFlags(t, NewCmdLogit, "--method", "firth", "--ci", "wald", "--level", "0.9", "--ref", "novelty=fast_follow", "--select", "lr", "--covariates", "novelty,listed")
	if err != nil {
		t.Fatal(err)
	}
	if o.Method != logit.MethodFirth || o.CI != logit.CIWald || o.Level != 0.9 || o.Select != logit.SelectLR ||
		!reflect.DeepEqual(o.Ref, map[string]string{"novelty": "fast_follow"}) || !reflect.DeepEqual(o.Covariates, []string{"novelty", "listed"}) {
		t.Errorf("parsed %+v", o.LogitOptions)
	}
	checkFlagErrors(t, NewCmdLogit, []flagCase{
		{[]string{"--method", "bayes"}, `invalid argument "bayes" for "--method" flag: expected one of mle, firth, auto`},
		{[]string{"--method", "MLE"}, "expected one of mle, firth, auto"},
		{[]string{"--ci", "exact"}, "expected one of profile, wald"},
		{[]string{"--select", "bic"}, "expected one of aic, lr"},
		{[]string{"--level", "95"}, "--level 95 is not between 0 and 1 (expected a proportion: --level 0.95 for a 95% interval)"},
		{[]string{"--level", "NaN"}, "--level NaN is not between 0 and 1 (expected a number between 0 and 1, e.g. 0.95)"},
		{[]string{"--level", "1"}, "--level 1 is not between 0 and 1"},
		{[]string{"--ref", "novelty"}, "VAR=LEVEL"},
		{[]string{"--formula", "case ~ dev_years", "--covariates", "listed"}, "not both"},
		{[]string{"--strata", "stratum", "--select", "aic"}, "--select is not available with --strata"},
	})
}

func TestClusterFlags(t *testing.T) {
	o, err := parseFlags(t, NewCmdCluster)
	if err != nil {
		t.Fatal(err)
	}
	want := analysis.DefaultClusterOptions()
	want.Seed = dataset.DefaultSeed
	if !reflect.DeepEqual(o.ClusterOptions, want) {
		t.Errorf("defaults %+v, want %+v", o.ClusterOptions, want)
	}
	o, err = parseFlags(t, NewCmdCluster, "--algorithm", "pam", "--distance", "gower", "--standardize", "range", "--init", "random", "--k-range", "3:5", "--k", "4", "--vars", "novelty,log(rd_expenditure)")
	if err != nil {
		t.Fatal(err)
	}
	if o.Algorithm != cluster.PAMAlgorithm || o.Distance != cluster.GowerDist || o.Standardize != cluster.ScaleRange || o.Init != cluster.RandomInit ||
		o.KMin != 3 || o.KMax != 5 || o.K != 4 || !reflect.DeepEqual(o.Vars, []string{"novelty", "log(rd_expenditure)"}) {
		t.Errorf("parsed %+v", o.ClusterOptions)
	}
	checkFlagErrors(t, NewCmdCluster, []flagCase{
		{[]string{"--algorithm", "ward"}, `invalid argument "ward" for "--algorithm" flag: expected one of hartigan-wong, lloyd, pam`},
		// The undocumented aliases are gone.
		{[]string{"--algorithm", "hw"}, "expected one of hartigan-wong, lloyd, pam"},
		{[]string{"--algorithm", "forgy"}, "expected one of hartigan-wong, lloyd, pam"},
		{[]string{"--init", "forgy"}, "expected one of kmeans++, random"},
		{[]string{"--standardize", "mad"}, "expected one of z, range, none"},
		{[]string{"--distance", "manhattan"}, "expected one of euclidean, gower"},
		{[]string{"--distance", "gower"}, "needs --algorithm pam"},
		{[]string{"--k", "0"}, "--k 0"},
		{[]string{"--k", "-2"}, "at least 2"},
		{[]string{"--k-range", "2-8"}, "expected FROM:TO"},
		{[]string{"--k-range", "8:2"}, "2 <= FROM <= TO"},
		{[]string{"--k-range", "1:4"}, "2 <= FROM <= TO"},
		{[]string{"--gap-b", "1"}, "--gap-b 1"},
		{[]string{"--nstart", "0"}, "--nstart 0"},
	})
}

func TestSubgroupFlags(t *testing.T) {
	o, err := parseFlags(t, NewCmdSubgroup)
	if err != nil {
		t.Fatal(err)
	}
	if want := analysis.DefaultSubgroupOptions(); !reflect.DeepEqual(o.SubgroupOptions, want) {
		t.Errorf("defaults %+v, want %+v", o.SubgroupOptions, want)
	}
	o, err = parseFlags(t, NewCmdSubgroup, "--by", "listed", "--by", "rd_expenditure@median", "--exposure", "novelty=first_in_class", "--method", "mle")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.By, []string{"listed", "rd_expenditure@median"}) || !reflect.DeepEqual(o.Exposures, []string{"novelty=first_in_class"}) || o.Method != logit.MethodMLE {
		t.Errorf("parsed %+v", o.SubgroupOptions)
	}
	checkFlagErrors(t, NewCmdSubgroup, []flagCase{
		{[]string{"--exposure", "novelty="}, "expected VAR (a 0/1 variable) or VAR=LEVEL"},
		{[]string{"--by", ""}, "--by needs a SPEC"},
		{[]string{"--formula", "case ~ listed", "--covariates", "listed"}, "not both"},
		{[]string{"--method", "bayes"}, "expected one of mle, firth, auto"},
	})
}

// TestBadChoiceExitsWithUsage: through Main, a refused value is exit 2
// with the valid values and the help hint.
func TestBadChoiceExitsWithUsage(t *testing.T) {
	for _, args := range [][]string{{"logit", "--method", "bayes"}, {"cluster", "--algorithm", "hw"}, {"report", "--standardize", "mad"}} {
		out, errOut, code := runCLI(t, "", args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "expected one of") || !strings.Contains(errOut, "--help") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// TestChoiceCompletions: the shell completes every closed-set flag with
// its valid values, in every command that has it.
func TestChoiceCompletions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"cluster", "--algorithm"}, choice.Strings(cluster.Algorithms())},
		{[]string{"report", "--algorithm"}, choice.Strings(cluster.Algorithms())},
		{[]string{"cluster", "--init"}, choice.Strings(cluster.Inits())},
		{[]string{"cluster", "--standardize"}, choice.Strings(cluster.Standardizations())},
		{[]string{"cluster", "--distance"}, choice.Strings(cluster.Distances())},
		{[]string{"logit", "--method"}, choice.Strings(logit.Methods())},
		{[]string{"subgroup", "--ci"}, choice.Strings(logit.CIs())},
		{[]string{"logit", "--select"}, choice.Strings(logit.Criteria())},
	} {
		out, errOut, code := runCLI(t, "", append(append([]string{"__complete"}, c.args...), "")...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || len(lines) == 0 || !reflect.DeepEqual(lines[:len(lines)-1], c.want) {
			t.Errorf("%v: exit %d, completions %q (stderr %q), want %q", c.args, code, lines, errOut, c.want)
		}
	}
}
