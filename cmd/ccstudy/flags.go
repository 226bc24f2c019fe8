package main

import (
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flags shared by several commands are declared and checked once here,
// so logit, subgroup, cluster and report accept the same values with the
// same messages.

// modelFlags are the logistic-model flags of logit, subgroup and report.
type modelFlags struct {
	Refs []string
}

func addModelFlags(f *pflag.FlagSet, o *analysis.LogitOptions, m *modelFlags) {
	f.StringVar(&o.Formula, "formula", "", `model formula, e.g. "case ~ novelty*company_type + log(rd_expenditure)" (+, :, *, log(), - 1; default: the schema's outcome and covariates)`)
	f.StringSliceVar(&o.Covariates, "covariates", nil, "covariates, comma-separated (default: the schema's covariate fields)")
	f.StringVar(&o.Method, "method", logit.MethodAuto, "mle, firth, or auto (MLE, Firth when separation is detected)")
	f.StringVar(&o.CI, "ci", logit.CIProfile, "confidence intervals: profile or wald")
	f.Float64Var(&o.Level, "level", 0.95, "confidence level")
	f.StringArrayVar(&m.Refs, "ref", nil, "reference level, VAR=LEVEL (repeatable)")
}

// check validates the model flags and fills o.Ref.
func (m *modelFlags) check(o *analysis.LogitOptions) error {
	if o.Formula != "" && len(o.Covariates) > 0 {
		return usagef("give --formula or --covariates, not both")
	}
	refs, err := parseRefs(m.Refs)
	if err != nil {
		return err
	}
	o.Ref = refs
	if err := checkChoice("--method", o.Method, logit.MethodMLE, logit.MethodFirth, logit.MethodAuto); err != nil {
		return err
	}
	if err := checkChoice("--ci", o.CI, logit.CIProfile, logit.CIWald); err != nil {
		return err
	}
	if o.Level <= 0 || o.Level >= 1 {
		return usagef("--level %v must be between 0 and 1 (e.g. 0.95)", o.Level)
	}
	return nil
}

func parseRefs(refs []string) (map[string]string, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, r := range refs {
		k, v, ok := strings.Cut(r, "=")
		if !ok || k == "" || v == "" {
			return nil, usagef("--ref %q: expected VAR=LEVEL, e.g. --ref novelty=fast_follow", r)
		}
		out[k] = v
	}
	return out, nil
}

// checkChoice is a usage error unless v is one of choices ("" may be a
// choice meaning "not set"; it is not listed in the message).
func checkChoice(flag, v string, choices ...string) error {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	var shown []string
	for _, c := range choices {
		if c != "" {
			shown = append(shown, c)
		}
	}
	return usagef("%s %q: expected one of %s", flag, v, strings.Join(shown, ", "))
}

// clusterFlags are the clustering flags of cluster and report.
type clusterFlags struct {
	KRange string
}

// addClusterFlags registers the clustering flags; varsFlag is "vars" for
// the cluster command and "cluster-vars" in report, where --vars would be
// ambiguous.
func addClusterFlags(f *pflag.FlagSet, o *analysis.ClusterOptions, c *clusterFlags, varsFlag string) {
	f.StringVar(&o.Algorithm, "algorithm", analysis.AlgHartiganWong, "hartigan-wong, lloyd or pam")
	f.StringVar(&o.Init, "init", "kmeans++", "k-means starting centres: kmeans++ or random")
	f.IntVar(&o.NStart, "nstart", 25, "k-means restarts (the best is kept)")
	f.IntVar(&o.MaxIter, "iter-max", 10, "k-means iterations per restart (R's iter.max)")
	f.StringVar(&c.KRange, "k-range", "2:8", "range of k to compare, FROM:TO")
	f.IntVar(&o.K, "k", 0, "force the number of clusters (default: chosen by the gap statistic, or the silhouette for pam)")
	f.IntVar(&o.GapB, "gap-b", 500, "reference data sets for the gap statistic")
	f.IntVar(&o.BootB, "boot-b", 200, "bootstrap replicates for the stability (Jaccard)")
	f.StringVar(&o.Standardize, "standardize", "z", "z (mean 0, SD 1), range (0 to 1) or none")
	f.StringSliceVar(&o.Vars, varsFlag, nil, "clustering variables, comma-separated, log(x) allowed (default: the schema's covariates)")
	f.StringVar(&o.Distance, "distance", analysis.DistEuclidean, "euclidean, or gower (with --algorithm pam)")
}

// check validates the clustering flags and fills the k range and seed.
func (c *clusterFlags) check(cmd *cobra.Command, o *analysis.ClusterOptions, seed uint64) error {
	for _, e := range []error{
		checkChoice("--algorithm", o.Algorithm, analysis.AlgHartiganWong, analysis.AlgLloyd, analysis.AlgPAM),
		checkChoice("--init", o.Init, "kmeans++", "random"),
		checkChoice("--standardize", o.Standardize, "z", "range", "none"),
		checkChoice("--distance", o.Distance, analysis.DistEuclidean, analysis.DistGower),
	} {
		if e != nil {
			return e
		}
	}
	if o.Distance == analysis.DistGower && o.Algorithm != analysis.AlgPAM {
		return usagef("--distance gower needs --algorithm pam (k-means is defined for Euclidean distance only)")
	}
	lo, hi, err := parseKRange(c.KRange)
	if err != nil {
		return err
	}
	o.KMin, o.KMax = lo, hi
	if cmd.Flags().Changed("k") && o.K < 2 {
		return usagef("--k %d: expected at least 2 clusters (one cluster is no typology)", o.K)
	}
	for _, f := range []struct {
		name   string
		v, min int
	}{{"--nstart", o.NStart, 1}, {"--iter-max", o.MaxIter, 1}, {"--gap-b", o.GapB, 2}, {"--boot-b", o.BootB, 1}} {
		if f.v < f.min {
			return usagef("%s %d: expected at least %d", f.name, f.v, f.min)
		}
	}
	o.Seed = seed
	return nil
}
