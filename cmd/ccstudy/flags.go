package main

import (
	"fmt"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flags shared by several commands are declared here, so logit,
// subgroup, cluster and report accept the same values with the same
// messages. Their defaults come from analysis.Default…Options; a value
// outside a closed set (--method, --algorithm, …) is refused by its type
// while flags are parsed; the other checks are the options' Validate.

// modelFlags are the logistic-model flags of logit, subgroup and report.
type modelFlags struct {
	Refs []string
}

func addModelFlags(f *pflag.FlagSet, o *analysis.LogitOptions, m *modelFlags) {
	d := analysis.DefaultLogitOptions()
	o.Method, o.CI, o.CrudeSample = d.Method, d.CI, d.CrudeSample
	f.StringVar(&o.Formula, "formula", "", `model formula, e.g. "case ~ age + sex*exposure + log(dose)" (+, :, *, log(), - 1; default: the schema's outcome and covariates)`)
	f.StringSliceVar(&o.Covariates, "covariates", nil, "covariates, comma-separated (default: the schema's covariate fields)")
	f.Var(&o.Method, "method", "mle, firth, or auto (MLE, Firth when separation is detected)")
	f.Var(&o.CI, "ci", "confidence intervals: profile or wald")
	f.Float64Var(&o.Level, "level", d.Level, "confidence level")
	_ = f.SetAnnotation("level", expectAnnotation, []string{"a number between 0 and 1, e.g. 0.95"})
	f.StringArrayVar(&m.Refs, "ref", nil, "reference level, VAR=LEVEL (repeatable)")
}

// check validates the model flags and fills o.Ref.
func (m *modelFlags) check(o *analysis.LogitOptions) error {
	refs, err := parseRefs(m.Refs)
	if err != nil {
		return err
	}
	o.Ref = refs
	if err := checkLevel(o.Level); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return usageError{err}
	}
	return nil
}

// checkLevel refuses a confidence level outside (0, 1), NaN included,
// with the fix for the common slip of a percentage (--level 95).
func checkLevel(level float64) error {
	if level > 0 && level < 1 {
		return nil
	}
	if level >= 50 && level < 100 {
		return usagef("--level %v is not between 0 and 1 (expected a proportion: --level %v for a %v%% interval)", level, level/100, level)
	}
	return usagef("--level %v is not between 0 and 1 (expected a number between 0 and 1, e.g. 0.95)", level)
}

func parseRefs(refs []string) (map[string]string, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, r := range refs {
		k, v, ok := strings.Cut(r, "=")
		if !ok || k == "" || v == "" {
			return nil, usagef("--ref %q: expected VAR=LEVEL, e.g. --ref sex=female", r)
		}
		out[k] = v
	}
	return out, nil
}

// clusterFlags are the clustering flags of cluster and report.
type clusterFlags struct {
	KRange string
}

// addClusterFlags registers the clustering flags; varsFlag is "vars" for
// the cluster command and "cluster-vars" in report, where --vars would be
// ambiguous.
func addClusterFlags(f *pflag.FlagSet, o *analysis.ClusterOptions, c *clusterFlags, varsFlag string) {
	d := analysis.DefaultClusterOptions()
	o.Algorithm, o.Init, o.Standardize, o.Distance = d.Algorithm, d.Init, d.Standardize, d.Distance
	o.MinHits, o.MaxStarts, o.GapBootNStart = d.MinHits, d.MaxStarts, d.GapBootNStart
	f.Var(&o.Algorithm, "algorithm", "hartigan-wong, lloyd or pam")
	f.Var(&o.Init, "init", "k-means starting centres: kmeans++ or random")
	f.IntVar(&o.NStart, "nstart", d.NStart, "minimum k-means restarts of the reported partitions (continued until 20 reach the best, at most 5000; gap and bootstrap use 25)")
	f.IntVar(&o.MaxIter, "iter-max", d.MaxIter, "k-means iterations per restart (R's iter.max)")
	f.StringVar(&c.KRange, "k-range", fmt.Sprintf("%d:%d", d.KMin, d.KMax), "range of k to compare, FROM:TO")
	f.IntVar(&o.K, "k", 0, "force the number of clusters (default: chosen by the gap statistic, or the silhouette for pam)")
	f.IntVar(&o.GapB, "gap-b", d.GapB, "reference data sets for the gap statistic")
	f.IntVar(&o.BootB, "boot-b", d.BootB, "bootstrap replicates for the stability (Jaccard)")
	f.Var(&o.Standardize, "standardize", "z (mean 0, SD 1), range (0 to 1) or none")
	f.StringSliceVar(&o.Vars, varsFlag, nil, "clustering variables, comma-separated, log(x) allowed (default: the schema's covariates)")
	f.Var(&o.Distance, "distance", "euclidean, or gower (with --algorithm pam)")
}

// check fills the k range and seed and validates the clustering flags.
func (c *clusterFlags) check(cmd *cobra.Command, o *analysis.ClusterOptions, seed uint64) error {
	lo, hi, err := parseKRange(c.KRange)
	if err != nil {
		return err
	}
	o.KMin, o.KMax = lo, hi
	// 0 means "choose k" in the options, so --k 0 is caught here.
	if cmd.Flags().Changed("k") && o.K == 0 {
		return usagef("--k 0: expected at least 2 clusters (one cluster is no typology)")
	}
	o.Seed = seed
	// With --k, the other k are clustered only when a range is asked for.
	o.CompareK = cmd.Flags().Changed("k-range")
	// An explicit B is used as given even above the large-n caps.
	o.GapBSet, o.BootBSet = cmd.Flags().Changed("gap-b"), cmd.Flags().Changed("boot-b")
	if err := o.Validate(); err != nil {
		return usageError{err}
	}
	return nil
}

// choicesFlag is a flag whose value is one of a closed set.
type choicesFlag interface {
	Choices() []string
}

// registerChoiceCompletions lets the shell complete every flag of cmd and
// its subcommands whose value is one of a closed set with the valid
// values.
func registerChoiceCompletions(cmd *cobra.Command) {
	cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
		c, ok := f.Value.(choicesFlag)
		if !ok {
			return
		}
		values := c.Choices()
		// Only a flag registered twice can fail here, which the
		// command tree never does.
		_ = cmd.RegisterFlagCompletionFunc(f.Name, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return values, cobra.ShellCompDirectiveNoFileComp
		})
	})
	for _, sub := range cmd.Commands() {
		registerChoiceCompletions(sub)
	}
}
