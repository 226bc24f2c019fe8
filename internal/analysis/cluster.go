package analysis

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/cluster"
	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/choice"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/stats"
	"gonum.org/v1/gonum/mat"
)

// Rules that choose k, as reported in ClusterResult.KRule.
const (
	RuleForced     = "forced"
	RuleGapTibs    = "gap-tibshirani"
	RuleSilhouette = "max-silhouette"
)

// UnstableJaccard is the mean bootstrap Jaccard below which a cluster is
// flagged unstable (Hennig 2007: below 0.6 a cluster should not be trusted).
const UnstableJaccard = 0.6

// SilhouetteMaxRows is the largest number of rows whose silhouette is
// computed exactly: it costs O(n²) distances (10^10 at n = 10^5). Above
// it the silhouette is that of a seeded simple random subsample of
// SilhouetteMaxRows rows (distances within the subsample), as
// cluster::clara does for large data, and the output says so.
const SilhouetteMaxRows = 5000

// The large-n regime. The work of a run grows as
//
//	partitions: ≥ nstart restarts per k of the range, each O(n·k·p·iter)
//	gap:        (B + 1) · K · nstart_mc k-means runs of O(n·k·p·iter)
//	bootstrap:  B · nstart_mc runs of O(n·k·p·iter)
//	silhouette: O(m²·p), m = min(n, SilhouetteMaxRows), per k
//
// (500·8·25 = 10^5 gap runs at the defaults), which at 10^5 rows is hours.
// Above LargeRows rows of a k-means run, as cluster::clara does for PAM,
// the restarts of each reported partition run on a seeded simple random
// subsample of LargeFitRows rows and the best of them is refined by one
// Hartigan–Wong run on all rows from its centres; the gap statistic runs on
// a subsample of LargeGapRows rows with at most LargeGapB reference sets,
// the bootstrap on a subsample of LargeBootRows rows (with their clusters
// of the full partition) with at most LargeBootB replicates, both with at
// most LargeMCNStart restarts per fit. The settings (large_n) and the
// output say so. At or below LargeRows nothing changes.
const (
	LargeRows     = 5000
	LargeFitRows  = 1000
	LargeGapRows  = 500
	LargeGapB     = 20
	LargeBootRows = 1000
	LargeBootB    = 50
	LargeMCNStart = 5
)

// LargeNSettings are the reductions of the large-n regime (LargeRows).
type LargeNSettings struct {
	// Threshold is LargeRows; Rows the number of rows clustered.
	Threshold int `json:"threshold"`
	Rows      int `json:"rows"`
	// FitRows is the subsample the restarts of each partition ran on
	// (FitNStart restarts), refined by one run on all rows.
	FitRows   int `json:"fit_rows"`
	FitNStart int `json:"fit_nstart"`
	// GapRows, GapB: the gap statistic's subsample and reference sets;
	// BootRows, BootB the bootstrap's; MCNStart the restarts of each of
	// their fits.
	// GapRows and GapB are 0 (omitted) when k was set with --k: the gap
	// statistic is then not computed.
	GapRows  int `json:"gap_rows,omitempty"`
	GapB     int `json:"gap_b,omitempty"`
	BootRows int `json:"boot_rows"`
	BootB    int `json:"boot_b"`
	MCNStart int `json:"mc_nstart"`
	// GapBCapped and BootBCapped say that GapB / BootB were lowered to
	// LargeGapB / LargeBootB; a B given explicitly (ClusterOptions.GapBSet,
	// BootBSet) is kept whatever it costs, and the notes state the cost.
	GapBCapped  bool `json:"gap_b_capped"`
	BootBCapped bool `json:"boot_b_capped"`
}

// PAMMaxRows bounds PAM, which needs the n×n dissimilarity matrix twice
// (gonum's SymDense and pam's own copy: 2·8·n² bytes, 400 MB at 5000
// rows). cluster::pam refuses above 65536 rows; clara is R's answer for
// more, k-means is ours.
const PAMMaxRows = 5000

// ClusterMaxLevels bounds the levels of a categorical clustering
// variable. Each level is a column of its own (Indicators), so a factor
// of many levels dominates the distances and multiplies the cost of every
// k-means run (O(n·k·p) per iteration, times the gap statistic's and the
// bootstrap's thousands of runs): 1000 rows with a 1000-level factor ran
// for more than five minutes. dataset.MaxDesignCells bounds the memory.
const ClusterMaxLevels = 50

// ClusterOptions specify one run of the typology. Start from
// DefaultClusterOptions: a zero field is not a default but an error.
type ClusterOptions struct {
	// Algorithm is k-means (Hartigan–Wong or Lloyd) or PAM.
	Algorithm cluster.Algorithm `json:"algorithm"`
	// Init chooses the k-means starting centres; MaxIter is R's
	// iter.max.
	Init    cluster.Init `json:"init"`
	MaxIter int          `json:"iter_max"`
	// NStart, MinHits and MaxStarts are the restart rule of the reported
	// partitions (the selection table and the final partition): at least
	// NStart restarts, then more until MinHits restarts reached the best
	// tot.withinss (relative 1e-10), at most MaxStarts (see
	// cluster.KMeans).
	NStart    int `json:"nstart"`
	MinHits   int `json:"min_hits"`
	MaxStarts int `json:"max_starts"`
	// GapBootNStart is the fixed number of restarts of every k-means fit
	// of the gap statistic (on the data and on each reference set, as
	// clusGap calls kmeans with the same nstart on both) and of each
	// bootstrap replicate: those are Monte-Carlo quantities averaged over
	// hundreds of fits, not reported partitions.
	GapBootNStart int `json:"gap_boot_nstart"`
	// KMin..KMax is the range of k compared; K > 0 forces k.
	KMin int `json:"k_min"`
	KMax int `json:"k_max"`
	K    int `json:"k,omitempty"`
	// CompareK asks, with K set, for the criteria of every k of KMin..KMax
	// beside K (the command sets it when --k-range is given). Without it a
	// forced k costs one partition: the other ks only serve to choose k.
	// The gap statistic is never computed with K set.
	CompareK bool `json:"compare_k,omitempty"`
	// GapB and BootB are the numbers of gap reference sets and bootstrap
	// replicates.
	GapB  int `json:"gap_b"`
	BootB int `json:"boot_b"`
	// GapBSet and BootBSet say that GapB and BootB were given explicitly
	// (the commands' --gap-b, --boot-b): above LargeRows rows they are
	// then used as given instead of being capped at LargeGapB, LargeBootB.
	GapBSet  bool `json:"-"`
	BootBSet bool `json:"-"`
	// Standardize is how the encoded columns are rescaled.
	Standardize cluster.Standardization `json:"standardize"`
	// Vars are field names or log(name); empty means the schema's
	// covariates, log-scale fields as log(x).
	Vars []string `json:"vars,omitempty"`
	// Distance is Euclidean, or Gower's (PAM only).
	Distance cluster.Distance `json:"distance"`
	Seed     uint64           `json:"seed"`
	// Lang is the language of the labels (field titles, category labels)
	// put beside the codes; "" is the schema's default.
	Lang string `json:"-"`
	// Progress, when set, is told how far each long step is (step names
	// the step: "partitions", "gap statistic", "bootstrap"); it cannot
	// change a result.
	Progress func(step string, done, total int) `json:"-"`

	// large is set by Cluster above LargeRows rows (k-means).
	large *LargeNSettings
}

// progressOf returns the callback of one step, or nil without Progress.
func (o *ClusterOptions) progressOf(step string) func(done, total int) {
	if o.Progress == nil {
		return nil
	}
	return func(done, total int) { o.Progress(step, done, total) }
}

// DefaultClusterOptions are the typology settings of the commands:
// Hartigan–Wong k-means on z-scores from k-means++ starts — for the
// reported partitions at least 100 restarts, continued until 20 reach the
// best (at most 5000), for the gap statistic and the bootstrap 25 — k from
// 2 to 8 by the gap statistic (500 reference sets), 200 bootstrap
// replicates.
func DefaultClusterOptions() ClusterOptions {
	return ClusterOptions{Algorithm: cluster.HartiganWong, Init: cluster.KMeansPP,
		NStart: cluster.DefaultMinStarts, MinHits: cluster.DefaultMinHits, MaxStarts: cluster.DefaultMaxStarts, GapBootNStart: cluster.DefaultNStart,
		MaxIter: cluster.DefaultMaxIter, KMin: 2, KMax: 8, GapB: cluster.DefaultGapB, BootB: 200,
		Standardize: cluster.ScaleZ, Distance: cluster.Euclidean}
}

// ClusterSettings echoes the settings a result was computed with.
type ClusterSettings struct {
	Algorithm cluster.Algorithm `json:"algorithm"`
	Distance  cluster.Distance  `json:"distance"`
	Init      cluster.Init      `json:"init,omitempty"`
	IterMax   int               `json:"iter_max,omitempty"`
	// NStart, MinHits and MaxStarts are the restart rule of the reported
	// partitions, GapBootNStart the fixed restarts of the gap statistic
	// and the bootstrap (ClusterOptions).
	NStart        int                     `json:"nstart,omitempty"`
	MinHits       int                     `json:"min_hits,omitempty"`
	MaxStarts     int                     `json:"max_starts,omitempty"`
	GapBootNStart int                     `json:"gap_boot_nstart,omitempty"`
	Standardize   cluster.Standardization `json:"standardize"`
	Seed          uint64                  `json:"seed"`
	KRange        [2]int                  `json:"k_range"`
	GapB          int                     `json:"gap_b"`
	BootB         int                     `json:"boot_b"`
	Variables     []string                `json:"variables"`
	// Columns are the encoded columns clustered (after dropping constant
	// ones): "dev_years", "log(rd_expenditure)", "novelty[me_too]", and
	// ColumnLabels their display text from the schema's titles and labels
	// ("Development years", "log(R&D expenditure)", "Novelty: me too").
	Columns      []string `json:"columns"`
	ColumnLabels []string `json:"column_labels"`
	// Dropped lists the constant columns that were left out.
	Dropped []string `json:"dropped"`
	// Scaling holds the centre and scale of each column.
	Scaling *cluster.Scaling `json:"scaling,omitempty"`
	// Skipped names the work not done because it only serves to choose k
	// (k set with --k), and how to ask for it.
	Skipped []string `json:"skipped,omitempty"`
	// Cost says how the work of this run grows (see LargeRows), LargeN
	// what the large-n regime reduced (nil at or below LargeRows rows).
	Cost   string          `json:"cost"`
	LargeN *LargeNSettings `json:"large_n,omitempty"`
	// CostText is Cost in the labels' language, for the text settings
	// line (JSON keeps the English).
	CostText string `json:"-"`
}

// SelectionRow holds the criteria for one k. A nil criterion is not
// defined for this k or algorithm; Reason says why.
type SelectionRow struct {
	K                int      `json:"k"`
	TotWithinss      *float64 `json:"tot_withinss"`
	SilhouetteAvg    *float64 `json:"silhouette_avg"`
	CalinskiHarabasz *float64 `json:"calinski_harabasz"`
	Gap              *float64 `json:"gap"`
	GapSE            *float64 `json:"gap_se"`
	// NotApplicable names the criteria that do not apply or could not be
	// computed ("not computed: <reason>"), and why.
	NotApplicable map[string]string `json:"not_applicable,omitempty"`
	// Reason says why this k has no partition at all (clustering failed).
	Reason string `json:"reason,omitempty"`
}

// Assignment is one observation's cluster.
type Assignment struct {
	ID      string `json:"id"`
	Cluster int    `json:"cluster"`
}

// ProfileCluster is the size and case count of one cluster (Cluster 0 is
// the whole sample).
type ProfileCluster struct {
	Cluster int     `json:"cluster"`
	Size    int     `json:"size"`
	Percent float64 `json:"percent"`
	// Cases and CasePercent (of the cluster's rows with a known outcome)
	// are nil when the data mark no binary outcome.
	Cases       *int     `json:"cases"`
	Controls    *int     `json:"controls"`
	CasePercent *float64 `json:"case_percent"`
}

// ProfileStat summarises one variable in one cluster on its original
// scale: mean, SD and median for continuous variables, the count and
// percentage of each level for categorical ones.
type ProfileStat struct {
	Cluster int       `json:"cluster"`
	N       int       `json:"n"`
	Mean    *float64  `json:"mean,omitempty"`
	SD      *float64  `json:"sd,omitempty"`
	Median  *float64  `json:"median,omitempty"`
	Counts  []int     `json:"counts,omitempty"`
	Percent []float64 `json:"percent,omitempty"`
}

// ProfileVariable is one clustering variable across the clusters.
type ProfileVariable struct {
	Variable      string `json:"variable"`
	VariableLabel string `json:"variable_label"`
	Kind          string `json:"kind"` // "continuous" or "categorical"
	// Levels are the category codes, LevelLabels their display labels.
	Levels      []string `json:"levels,omitempty"`
	LevelLabels []string `json:"level_labels,omitempty"`
	// Clusters holds one entry per cluster, then the whole sample
	// (Cluster 0).
	Clusters []ProfileStat `json:"clusters"`
}

// MembershipTest tests cluster membership against case status.
type MembershipTest struct {
	// Test is "chi-square" (Pearson, no continuity correction) or
	// "fisher" (exact, used when any expected count is below 5); empty
	// when the test could not be computed.
	Test        string   `json:"test"`
	Statistic   *float64 `json:"statistic"`
	DF          *int     `json:"df"`
	PValue      *float64 `json:"p_value"`
	MinExpected *float64 `json:"min_expected"`
	N           int      `json:"n"`
	// Method of the Fisher p-value: "exact", or "monte-carlo" (Replicates
	// tables with the observed margins, generator seed Seed) for a table
	// beyond the exact enumeration's work bound.
	Method     string  `json:"method,omitempty"`
	Replicates int     `json:"replicates,omitempty"`
	Seed       *uint64 `json:"seed,omitempty"`
	// Status is "not computed" when the test failed, and Reason says why;
	// the rest of the output stands.
	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ClusterProfiles is the table the study reads.
type ClusterProfiles struct {
	Outcome      string            `json:"outcome"`
	OutcomeLabel string            `json:"outcome_label"`
	Clusters     []ProfileCluster  `json:"clusters"`
	Overall      ProfileCluster    `json:"overall"`
	CaseTest     *MembershipTest   `json:"case_test"`
	Variables    []ProfileVariable `json:"variables"`
}

// ClusterResult is the JSON contract of `ccstudy cluster`.
type ClusterResult struct {
	Data      dataset.DataInfo `json:"data"`
	Settings  ClusterSettings  `json:"settings"`
	Selection []SelectionRow   `json:"selection"`
	// K is the number of clusters; KRule names the rule that chose it
	// (RuleForced, RuleGapTibs, RuleSilhouette) and KRuleText explains it.
	K         int    `json:"k"`
	KRule     string `json:"k_rule"`
	KRuleText string `json:"k_rule_text"`
	// GapNoStructure is true when Tibshirani's gap rule over k = 1..KMax
	// gives k = 1, i.e. the gap statistic finds no cluster structure; k is
	// then the rule's best k >= KMin and a warning says so.
	GapNoStructure bool `json:"gap_no_structure"`
	// Euclidean summaries of the partition on the clustered (standardized)
	// columns; nil for Gower.
	TotWithinss *float64    `json:"tot_withinss"`
	Betweenss   *float64    `json:"betweenss"`
	Totss       *float64    `json:"totss"`
	Sizes       []int       `json:"sizes"`
	Withinss    []float64   `json:"withinss"`
	Centers     [][]float64 `json:"centers"`
	// Medoids are the ids of the PAM medoids in cluster order.
	Medoids []string `json:"medoids,omitempty"`
	// SilhouetteAvg and SilhouetteBy (per cluster) are nil when the
	// silhouette could not be computed; SilhouetteNote then says why, or
	// says that it was computed on a subsample (SilhouetteMaxRows).
	SilhouetteAvg  *float64              `json:"silhouette_avg"`
	SilhouetteBy   []*float64            `json:"silhouette_cluster_avg"`
	SilhouetteNote string                `json:"silhouette_note,omitempty"`
	Assignments    []Assignment          `json:"assignments"`
	Profiles       ClusterProfiles       `json:"profiles"`
	Stability      []cluster.BootCluster `json:"stability"`
	// StabilityReason says why the bootstrap stability is missing.
	StabilityReason string   `json:"stability_reason,omitempty"`
	Warnings        []string `json:"warnings"`
	Notes           []string `json:"notes"`

	// X is the clustered matrix (standardized, constant columns dropped),
	// one row per used table row; Rows are those table rows.
	X    *mat.Dense `json:"-"`
	Rows []int      `json:"-"`
	// Lang is the language the labels were made in (for the tables).
	Lang string `json:"-"`
	// Partitions[k] is the partition found for each k of the range.
	Partitions map[int][]int `json:"-"`
	kmWarnings map[int][]string
}

func fp(x float64) *float64 { return &x }

// DefaultClusterVars are the schema's covariates (log-scale fields as
// log(x)), without the id and the outcome.
func DefaultClusterVars(s *dataset.Schema) []string {
	return dataset.CovariateTerms(s, dataset.Covariates(s))
}

// Validate checks the options that need no data; its messages name the
// command-line flags.
func (o ClusterOptions) Validate() error {
	for _, err := range []error{
		choice.Check("--algorithm", o.Algorithm, cluster.Algorithms()),
		choice.Check("--init", o.Init, cluster.Inits()),
		choice.Check("--standardize", o.Standardize, cluster.Standardizations()),
		choice.Check("--distance", o.Distance, cluster.Distances()),
	} {
		if err != nil {
			return err
		}
	}
	if o.Distance == cluster.GowerDist && o.Algorithm != cluster.PAMAlgorithm {
		return fmt.Errorf("--distance gower needs --algorithm pam (k-means is defined for Euclidean distance only)")
	}
	if o.KMin < 2 || o.KMax < o.KMin {
		return fmt.Errorf("--k-range %d:%d: expected 2 <= FROM <= TO, e.g. 2:8", o.KMin, o.KMax)
	}
	if o.K < 0 || o.K == 1 {
		return fmt.Errorf("--k %d: expected at least 2 clusters (one cluster is no typology)", o.K)
	}
	for _, f := range []struct {
		name   string
		v, min int
	}{{"--nstart", o.NStart, 1}, {"--iter-max", o.MaxIter, 1}, {"--gap-b", o.GapB, 2}, {"--boot-b", o.BootB, 1},
		{"min_hits", o.MinHits, 0}, {"max_starts", o.MaxStarts, 0}, {"gap_boot_nstart", o.GapBootNStart, 1}} {
		if f.v < f.min {
			return fmt.Errorf("%s %d: expected at least %d", f.name, f.v, f.min)
		}
	}
	return nil
}

// kmeansOptions are the k-means settings of the reported partitions (the
// selection table and the final partition): the adaptive restart rule.
func (o *ClusterOptions) kmeansOptions() cluster.KMeansOptions {
	return cluster.KMeansOptions{Algorithm: o.Algorithm, Init: o.Init, NStart: o.NStart, MinHits: o.MinHits,
		MaxStarts: max(o.MaxStarts, o.NStart), MaxIter: o.MaxIter, Seed: StreamSeed(o.Seed, StreamKMeans)}
}

// mcKMeansOptions are the k-means settings of the Monte-Carlo quantities
// (the gap statistic, on the data and the reference sets, and the
// bootstrap): a fixed GapBootNStart restarts. The gap's fits on the data
// use stream; the reference sets and the bootstrap replicates seed their
// fits from their own streams.
func (o *ClusterOptions) mcKMeansOptions(stream Stream) cluster.KMeansOptions {
	return cluster.KMeansOptions{Algorithm: o.Algorithm, Init: o.Init, NStart: o.GapBootNStart, MaxIter: o.MaxIter, Seed: StreamSeed(o.Seed, stream)}
}

// Stream names one random procedure of a clustering run. Each draws from
// its own generator, seeded by StreamSeed(seed, stream).
type Stream uint64

// The random procedures of a clustering run. The values enter StreamSeed
// and so fix the Monte-Carlo output for a given --seed: never renumber them.
const (
	// StreamKMeans seeds the restarts of the reported partitions
	// (restart r: rand.NewPCG(StreamSeed(seed, StreamKMeans), r)).
	StreamKMeans Stream = iota + 1
	// StreamGapData seeds the restarts of the gap statistic's fits on the
	// data, StreamGapRef its reference sets (and their fits).
	StreamGapData
	StreamGapRef
	// StreamBoot seeds the bootstrap replicates.
	StreamBoot
	// StreamFisher seeds the Monte-Carlo Fisher p-value of the cluster ×
	// case table (used only beyond the exact limit).
	StreamFisher
	// StreamSilhouette seeds the silhouette's subsample.
	StreamSilhouette
	// StreamLargeGap and StreamLargeBoot seed the subsamples that the gap
	// statistic and the bootstrap use above LargeRows rows.
	StreamLargeGap
	StreamLargeBoot
	// StreamLargeFit seeds the subsample of the partitions' restarts.
	StreamLargeFit
)

// streamGamma is splitmix64's increment, 2^64/φ rounded to odd.
const streamGamma = 0x9E3779B97F4A7C15

// StreamSeed derives the seed of one random procedure from the user's
// seed: the stream-th output of splitmix64 started at seed (Steele, Lea &
// Flood 2014; the generator Vigna recommends for seeding others),
//
//	z = seed + γ·stream (mod 2^64),  γ = 0x9E3779B97F4A7C15
//	StreamSeed = mix64(z)            (splitmix64's finalizer, a bijection)
//
// Because mix64 is a bijection, (s, i) and (s', j) give the same seed only
// when s − s' ≡ γ·(j − i) (mod 2^64); for stream ids below 2^8 that needs
// seeds more than 10^16 apart, so neighbouring seeds (s, s+1, …) and the
// streams of one seed never share a generator — unlike seed+1, seed+2, where
// the gap statistic of seed s replayed the restarts of seed s+1. R has no
// equivalent: its functions share the one global stream set.seed starts.
func StreamSeed(seed uint64, stream Stream) uint64 {
	z := seed + streamGamma*uint64(stream)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// ClusterInput is the data a clustering runs on.
type ClusterInput struct {
	Data     dataset.DataInfo
	Settings ClusterSettings
	// X is the clustered matrix: encoded, constant columns dropped,
	// standardized (unscaled for Gower). Rows are its table rows.
	X    *mat.Dense
	Rows []int
	// D holds the dissimilarities for PAM (nil for k-means).
	D     *mat.SymDense
	Vars  []string
	Notes []string
}

// PrepareCluster encodes the variables with dataset.Indicators (rows with
// a missing value excluded), drops constant columns, standardizes, and
// for PAM computes the Euclidean or Gower dissimilarities. It checks that
// the largest k asked for is below the number of distinct rows.
func PrepareCluster(t *dataset.Table, opts ClusterOptions) (*ClusterInput, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	vars := opts.Vars
	if len(vars) == 0 {
		if vars = DefaultClusterVars(t.Schema); len(vars) == 0 {
			return nil, fmt.Errorf("the schema marks no covariate fields: name the clustering variables with --vars")
		}
	}
	outcome := t.Schema.Outcome()
	for _, s := range vars {
		// A malformed variable is reported by the encoder below.
		if v, err := dataset.ParseVariable(s); err == nil && outcome != "" && v.Name == outcome {
			return nil, fmt.Errorf("--vars names the outcome %s: the clusters are compared with case status afterwards, so it cannot be a clustering variable", outcome)
		}
	}
	for _, s := range vars {
		c, ok := t.Col(strings.TrimSpace(s))
		if ok && c.Field.IsCategorical() && len(c.Field.Categories) > ClusterMaxLevels {
			return nil, fmt.Errorf("%s has %d levels: clustering gives each level a column of its own, and ccstudy clusters categorical variables of up to %d levels — collapse the levels or leave %s out of --vars", c.Field.Name, len(c.Field.Categories), ClusterMaxLevels, c.Field.Name)
		}
	}
	enc, err := dataset.Indicators(t, vars)
	if err != nil {
		return nil, err
	}
	if n := len(enc.Rows); opts.Algorithm == cluster.PAMAlgorithm && n > PAMMaxRows {
		return nil, fmt.Errorf("PAM needs the %d×%d dissimilarity matrix (%.1f GB) and is limited to %d rows: use k-means (--algorithm %s), or cluster a sample of the rows", n, n, 16*float64(n)*float64(n)/1e9, PAMMaxRows, cluster.HartiganWong)
	}
	labels, err := columnLabels(t.Schema, vars, opts.Lang)
	if err != nil {
		return nil, err
	}
	res := &ClusterInput{Data: dataset.NewDataInfo(t), Notes: []string{}, Rows: enc.Rows, Vars: vars}
	for _, e := range enc.Excluded {
		res.Data.Exclude(e.Row, e.Reason)
	}
	if len(enc.Excluded) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d rows with a missing value in the clustering variables were excluded (see data.excluded).", len(enc.Excluded)))
	}
	res.Settings = ClusterSettings{Algorithm: opts.Algorithm, Distance: opts.Distance, Standardize: opts.Standardize, Seed: opts.Seed,
		KRange: [2]int{opts.KMin, opts.KMax}, GapB: opts.GapB, BootB: opts.BootB, Variables: vars, Dropped: []string{}}
	if opts.Algorithm != cluster.PAMAlgorithm {
		res.Settings.Init, res.Settings.IterMax = opts.Init, opts.MaxIter
		res.Settings.NStart, res.Settings.MinHits, res.Settings.MaxStarts = opts.NStart, opts.MinHits, max(opts.MaxStarts, opts.NStart)
		res.Settings.GapBootNStart = opts.GapBootNStart
	}

	// Drop constant columns: they carry no information and cannot be scaled.
	raw := enc.X
	n, p := raw.Dims()
	var keep []int
	for j := 0; j < p; j++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			v := raw.At(i, j)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if hi > lo {
			keep = append(keep, j)
			continue
		}
		res.Settings.Dropped = append(res.Settings.Dropped, enc.Names[j])
		res.Notes = append(res.Notes, fmt.Sprintf("column %s is constant (%s) in the %d rows used and was dropped.", enc.Names[j], strconv.FormatFloat(lo, 'g', -1, 64), n))
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("every clustering column is constant in the %d rows used (%s): nothing to cluster", n, strings.Join(enc.Names, ", "))
	}
	Xraw := mat.NewDense(n, len(keep), nil)
	keptVars := map[string]bool{}
	for c, j := range keep {
		for i := 0; i < n; i++ {
			Xraw.Set(i, c, raw.At(i, j))
		}
		res.Settings.Columns = append(res.Settings.Columns, enc.Names[j])
		res.Settings.ColumnLabels = append(res.Settings.ColumnLabels, labels[j])
		keptVars[enc.Vars[j]] = true
	}

	if opts.Distance == cluster.GowerDist {
		res.Settings.Standardize = cluster.ScaleNone
		if opts.Standardize != cluster.ScaleZ && opts.Standardize != cluster.ScaleNone {
			res.Notes = append(res.Notes, "Gower's distance range-scales each variable itself; --standardize was not used.")
		}
		res.X = Xraw
		if res.D, err = gowerOf(t, enc.Rows, vars, keptVars); err != nil {
			return nil, err
		}
	} else {
		X, sc, err := cluster.Standardize(Xraw, opts.Standardize)
		if err != nil {
			return nil, err
		}
		res.X = X
		res.Settings.Scaling = &sc
		if opts.Algorithm == cluster.PAMAlgorithm {
			if res.D, err = cluster.EuclideanDistances(X); err != nil {
				return nil, err
			}
		}
	}

	distinct := cluster.DistinctRows(res.X)
	maxK := opts.KMax
	switch {
	case opts.K > 0 && !opts.CompareK:
		maxK = opts.K // no other k is clustered
	case opts.K > maxK:
		maxK = opts.K
	}
	if maxK >= distinct {
		return nil, fmt.Errorf("k = %d needs more distinct observations: the %d rows used have %d distinct values of %s (expected k < %d)", maxK, n, distinct, strings.Join(res.Settings.Columns, ", "), distinct)
	}

	return res, nil
}

// columnLabels is the display text of each column dataset.Indicators
// makes of vars, in its order: the field's title, "log(<title>)", or
// "<title>: <category label>" for an indicator.
func columnLabels(s *dataset.Schema, vars []string, lang string) ([]string, error) {
	var out []string
	for _, v := range vars {
		pv, err := dataset.ParseVariable(v)
		if err != nil {
			return nil, err
		}
		f, ok := s.Field(pv.Name)
		if !ok {
			return nil, fmt.Errorf("unknown variable %q", pv.Name)
		}
		title := f.DisplayTitle(lang)
		if f.IsCategorical() {
			for _, c := range f.Categories {
				out = append(out, title+": "+c.DisplayLabel(lang))
			}
			continue
		}
		if pv.Log {
			title = "log(" + title + ")"
		}
		out = append(out, title)
	}
	return out, nil
}

// Cluster builds the typology of the rows: it encodes and standardizes the
// variables (PrepareCluster), compares k over the range (total within SS,
// average silhouette, Calinski–Harabasz, gap), chooses k (Tibshirani's gap
// rule for k-means, the largest average silhouette for PAM, or opts.K),
// and profiles the clusters on the original scale against case status,
// with their bootstrap stability.
func Cluster(t *dataset.Table, opts ClusterOptions) (*ClusterResult, error) {
	in, err := PrepareCluster(t, opts)
	if err != nil {
		return nil, err
	}
	D := in.D
	largeNotes := setLargeN(&in.Settings, &opts, len(in.Rows))
	in.Notes = append(in.Notes, largeNotes...)
	res := &ClusterResult{Data: in.Data, Settings: in.Settings, Warnings: []string{}, Notes: in.Notes, X: in.X, Rows: in.Rows,
		Lang: opts.Lang, Partitions: map[int][]int{}, kmWarnings: map[int][]string{}}
	vars := in.Vars
	if err := selectK(res, D, &opts); err != nil {
		return nil, err
	}
	if err := finalPartition(res, t, D, &opts); err != nil {
		return nil, err
	}
	if res.Profiles, err = profiles(t, res.Rows, vars, res.Assignments, res.K, opts.Seed, opts.Lang); err != nil {
		return nil, err
	}
	if res.Profiles.Outcome == "" {
		res.Notes = append(res.Notes, "the schema marks no binary outcome: clusters are not compared with case status.")
	}
	if ct := res.Profiles.CaseTest; ct != nil && ct.Status != "" {
		res.Warnings = append(res.Warnings, fmt.Sprintf("cluster membership vs %s: not computed: %s", res.Profiles.Outcome, ct.Reason))
	}

	// Stability: Hennig's bootstrap Jaccard, reclustering with the same method.
	cl := clusterOf(res.Assignments)
	var fit cluster.BootFit
	switch {
	case opts.Algorithm == cluster.PAMAlgorithm:
		fit = cluster.PAMFit(D, res.K)
	case opts.large != nil:
		sub := subsample(len(cl), LargeBootRows, StreamSeed(opts.Seed, StreamLargeBoot))
		subCl := make([]int, len(sub))
		for r, i := range sub {
			subCl[r] = cl[i]
		}
		cl = subCl
		fit = cluster.KMeansFit(rowsOf(res.X, sub), res.K, opts.mcKMeansOptions(StreamBoot))
	default:
		fit = cluster.KMeansFit(res.X, res.K, opts.mcKMeansOptions(StreamBoot))
	}
	res.Stability = []cluster.BootCluster{}
	boot, err := cluster.ClusterBoot(cl, fit, cluster.BootOptions{B: opts.BootB, Seed: StreamSeed(opts.Seed, StreamBoot), Unstable: UnstableJaccard, Progress: opts.progressOf("bootstrap")})
	if err != nil {
		// Small data: a resample can hold fewer distinct rows than k. The
		// partition stands; only its stability is unknown.
		res.StabilityReason = err.Error()
		res.Warnings = append(res.Warnings, fmt.Sprintf("bootstrap stability not available: %v", err))
		return res, nil
	}
	res.Stability = boot.Clusters
	for _, b := range boot.Clusters {
		if b.Unstable {
			res.Warnings = append(res.Warnings, fmt.Sprintf("cluster %d is unstable: mean bootstrap Jaccard %.2f is below %.1f (it is dissolved in %d of %d replicates)", b.Cluster, b.JaccardMean, UnstableJaccard, b.Dissolved, boot.B))
		}
	}
	return res, nil
}

// notComputed marks a criterion that failed; the tables show "not
// computed" and the reason.
func notComputed(err error) string { return "not computed: " + err.Error() }

// selectK computes the criteria for every k of the range and chooses k.
// A criterion that fails for some k is marked in its row; only when no
// rule can choose k (and --k was not given) does selection fail.
func selectK(res *ClusterResult, D *mat.SymDense, opts *ClusterOptions) error {
	X := res.X
	kmeans := opts.Algorithm != cluster.PAMAlgorithm
	var gap *cluster.GapResult
	gapReason := ""
	switch {
	case !kmeans:
	case opts.K > 0:
		// The gap statistic only chooses k: with k given it would be the
		// costliest part of the run for nothing.
		gapReason = "not computed: k was set with --k (the gap statistic only serves to choose k)"
		res.Settings.Skipped = append(res.Settings.Skipped, "gap statistic: k was set with --k, and the gap only serves to choose k")
	default:
		var err error
		Xg := X
		if opts.large != nil {
			Xg = rowsOf(X, subsample(X.RawMatrix().Rows, LargeGapRows, StreamSeed(opts.Seed, StreamLargeGap)))
		}
		gap, err = cluster.Gap(Xg, opts.KMax, cluster.GapOptions{B: opts.GapB, KMeans: opts.mcKMeansOptions(StreamGapData), Seed: StreamSeed(opts.Seed, StreamGapRef), Progress: opts.progressOf("gap statistic")})
		if err != nil {
			gap, gapReason = nil, notComputed(err)
			res.Warnings = append(res.Warnings, "gap statistic "+gapReason)
		} else if gap.BoundHit > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("gap statistic: %d of %d k-means fits stopped at the iteration bound (--iter-max %d) before converging; raise --iter-max", gap.BoundHit, (opts.GapB+1)*(opts.KMax-1), opts.MaxIter))
		}
	}
	if gap != nil {
		// k = 1 enters the gap rule, so its row is shown too.
		totss := cluster.TotalSS(X)
		res.Selection = append(res.Selection, SelectionRow{K: 1, TotWithinss: fp(totss), Gap: fp(gap.Gap[0]), GapSE: fp(gap.SESim[0]),
			NotApplicable: map[string]string{"silhouette_avg": "not defined for one cluster", "calinski_harabasz": "not defined for one cluster"}})
	}
	kLo, kHi := opts.KMin, opts.KMax
	if opts.K > 0 && !opts.CompareK {
		// Only the forced k is clustered; its row shows the criteria of
		// the partition reported.
		kLo, kHi = opts.K, opts.K
		res.Settings.Skipped = append(res.Settings.Skipped, fmt.Sprintf("criteria for the other k of %d:%d: k was set with --k (give --k-range to compare them)", opts.KMin, opts.KMax))
	}
	for k := kLo; k <= kHi; k++ {
		if opts.Progress != nil {
			opts.Progress("partitions", k-kLo, kHi-kLo+1)
		}
		c, err := criteriaFor(X, D, k, opts)
		if err != nil {
			res.Selection = append(res.Selection, SelectionRow{K: k, Reason: notComputed(err)})
			res.Warnings = append(res.Warnings, fmt.Sprintf("k = %d: %s", k, notComputed(err)))
			continue
		}
		res.kmWarnings[k] = c.warnings
		if gap != nil {
			c.row.Gap, c.row.GapSE = fp(gap.Gap[k-1]), fp(gap.SESim[k-1])
		} else if gapReason != "" {
			if c.row.NotApplicable == nil {
				c.row.NotApplicable = map[string]string{}
			}
			c.row.NotApplicable["gap"] = gapReason
		}
		res.Partitions[k] = c.partition
		res.Selection = append(res.Selection, c.row)
	}
	switch {
	case opts.K > 0:
		res.K, res.KRule = opts.K, RuleForced
		if kLo == kHi {
			res.KRuleText = fmt.Sprintf("k = %d was set with --k; the other k were not clustered (give --k-range to compare them).", opts.K)
		} else {
			res.KRuleText = fmt.Sprintf("k = %d was set with --k; the criteria above are shown for comparison.", opts.K)
		}
	case gap != nil:
		res.KRule = RuleGapTibs
		kt, kAll := gapChoice(gap.Gap, gap.SESim, opts.KMin)
		res.K = kt
		if kAll >= opts.KMin {
			res.KRuleText = fmt.Sprintf("k = %d by Tibshirani et al.'s (2001) gap rule: the smallest k with gap(k) >= gap(k+1) - SE(k+1), over k = 1..%d (B = %d reference sets).", kt, opts.KMax, opts.GapB)
		} else {
			res.GapNoStructure = kAll == 1
			res.KRuleText = fmt.Sprintf("Tibshirani et al.'s (2001) gap rule over k = 1..%d gives k = %d (little evidence of cluster structure); k = %d is the smallest k in %d:%d with gap(k) >= gap(k+1) - SE(k+1).", opts.KMax, kAll, res.K, opts.KMin, opts.KMax)
			if res.GapNoStructure {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the gap statistic finds no cluster structure (k = 1 by Tibshirani et al.'s rule over k = 1..%d); k = %d is the best k >= %d by the same rule, so treat the typology as a partition of homogeneous data, not as natural groups", opts.KMax, res.K, opts.KMin))
			}
		}
		if res.K == opts.KMax {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the gap rule found no k below the top of the range (%d); try a wider --k-range", opts.KMax))
		}
	default:
		res.KRule = RuleSilhouette
		best := -1
		for i, r := range res.Selection {
			if r.SilhouetteAvg != nil && (best < 0 || *r.SilhouetteAvg > *res.Selection[best].SilhouetteAvg) {
				best = i
			}
		}
		if best < 0 {
			return fmt.Errorf("no criterion could be computed to choose k over %d:%d (see the reasons above): set k with --k", opts.KMin, opts.KMax)
		}
		res.K = res.Selection[best].K
		res.KRuleText = fmt.Sprintf("k = %d has the largest average silhouette width over k = %d..%d.", res.K, opts.KMin, opts.KMax)
		if kmeans {
			res.KRuleText += " The gap statistic could not be computed, so the silhouette chose k."
		}
	}
	return nil
}

// setLargeN applies the large-n regime (LargeRows) to a k-means run of n
// rows: it caps the gap's and the bootstrap's work in opts unless their B
// was given explicitly (GapBSet, BootBSet), states the cost of the run in
// the settings, and returns the notes that say which cap applied or what
// an explicit B above a cap costs. With k set (--k) the gap statistic is
// not computed, so neither the settings nor the notes speak of its work.
func setLargeN(s *ClusterSettings, opts *ClusterOptions, n int) []string {
	var notes []string
	gapComputed := opts.K == 0
	if opts.Algorithm != cluster.PAMAlgorithm && n > LargeRows {
		l := &LargeNSettings{Threshold: LargeRows, Rows: n, FitRows: LargeFitRows, FitNStart: opts.NStart,
			BootRows: LargeBootRows, BootB: opts.BootB, MCNStart: min(opts.GapBootNStart, LargeMCNStart)}
		mcRuns := func(b int) int { return b * l.MCNStart }
		if gapComputed {
			l.GapRows, l.GapB = LargeGapRows, opts.GapB
			gapRuns := func(b int) int { return (b + 1) * opts.KMax * l.MCNStart }
			switch {
			case !opts.GapBSet && opts.GapB > LargeGapB:
				l.GapB, l.GapBCapped = LargeGapB, true
				notes = append(notes, fmt.Sprintf("above %d rows (here %d) the gap statistic uses B = %d reference sets instead of %d (%d instead of %d k-means runs on %d rows); give --gap-b to set B.",
					LargeRows, n, LargeGapB, opts.GapB, gapRuns(LargeGapB), gapRuns(opts.GapB), LargeGapRows))
			case opts.GapBSet && opts.GapB > LargeGapB:
				notes = append(notes, fmt.Sprintf("--gap-b %d is used as given above %d rows (here %d), where B would be capped at %d: the gap statistic costs (B + 1)·K·nstart = %d·%d·%d = %d k-means runs on %d rows, %.3g times the capped %d.",
					opts.GapB, LargeRows, n, LargeGapB, opts.GapB+1, opts.KMax, l.MCNStart, gapRuns(opts.GapB), LargeGapRows, float64(gapRuns(opts.GapB))/float64(gapRuns(LargeGapB)), gapRuns(LargeGapB)))
			}
		}
		switch {
		case !opts.BootBSet && opts.BootB > LargeBootB:
			l.BootB, l.BootBCapped = LargeBootB, true
			notes = append(notes, fmt.Sprintf("above %d rows (here %d) the bootstrap uses %d replicates instead of %d (%d instead of %d k-means runs on %d rows); give --boot-b to set them.",
				LargeRows, n, LargeBootB, opts.BootB, mcRuns(LargeBootB), mcRuns(opts.BootB), LargeBootRows))
		case opts.BootBSet && opts.BootB > LargeBootB:
			notes = append(notes, fmt.Sprintf("--boot-b %d is used as given above %d rows (here %d), where the replicates would be capped at %d: the bootstrap costs B·nstart = %d·%d = %d k-means runs on %d rows, %.3g times the capped %d.",
				opts.BootB, LargeRows, n, LargeBootB, opts.BootB, l.MCNStart, mcRuns(opts.BootB), LargeBootRows, float64(opts.BootB)/float64(LargeBootB), mcRuns(LargeBootB)))
		}
		opts.large = l
		if gapComputed {
			opts.GapB = l.GapB
		}
		opts.BootB, opts.GapBootNStart = l.BootB, l.MCNStart
		s.LargeN, s.GapB, s.BootB, s.GapBootNStart = l, opts.GapB, l.BootB, l.MCNStart
		// The partitions' restarts are a fixed NStart on the subsample.
		s.MinHits, s.MaxStarts = 0, 0
	}
	if opts.Algorithm == cluster.PAMAlgorithm {
		pam := func(lang string) string {
			return i18n.Tf(lang, "PAM: O(n²) dissimilarities and swaps per k for the %d k of the range, and %d bootstrap replicates of one PAM each", opts.KMax-opts.KMin+1, opts.BootB)
		}
		s.Cost, s.CostText = pam(""), pam(opts.Lang)
		return notes
	}
	nFit, nGap, nBoot := n, n, n
	if l := opts.large; l != nil {
		nFit, nGap, nBoot = min(n, l.FitRows), min(n, LargeGapRows), min(n, l.BootRows)
	}
	nk := opts.KMax - opts.KMin + 1
	if opts.K > 0 && !opts.CompareK {
		nk = 1
	}
	cost := func(lang string) string {
		gap := i18n.Tf(lang, "gap statistic: (B + 1)·K·nstart = %d·%d·%d = %d runs on %d rows", opts.GapB+1, opts.KMax, opts.GapBootNStart, (opts.GapB+1)*opts.KMax*opts.GapBootNStart, nGap)
		if !gapComputed {
			gap = i18n.T(lang, "gap statistic: not computed")
		}
		c := i18n.Tf(lang, "k-means runs cost O(n·k·p) per iteration; partitions: at least %d restarts for each of %d k on %d rows; %s; bootstrap: B·nstart = %d·%d = %d runs on %d rows",
			opts.NStart, nk, nFit, gap, opts.BootB, opts.GapBootNStart, opts.BootB*opts.GapBootNStart, nBoot)
		if opts.large != nil {
			c += i18n.Tf(lang, " (above %d rows: subsamples; each partition refined by one run on all %d rows)", LargeRows, n)
		}
		return c
	}
	s.Cost, s.CostText = cost(""), cost(opts.Lang)
	return notes
}

// fitKMeans is the k-means partition reported for k: the restart rule
// on X, or above LargeRows rows (opts.large) the best of FitNStart
// restarts on a seeded subsample of LargeFitRows rows, refined by one
// Hartigan–Wong (or Lloyd) run on all rows from its centres, as clara
// keeps the medoids of a subsample. Restarts on all rows would cost
// nstart·O(n·k·p) per k.
func fitKMeans(X *mat.Dense, k int, opts *ClusterOptions) (*cluster.KMeansResult, error) {
	if opts.large == nil {
		return cluster.KMeans(X, k, opts.kmeansOptions())
	}
	n, _ := X.Dims()
	// One subsample for every k, so that the partitions of the table are
	// comparable.
	sub := rowsOf(X, subsample(n, LargeFitRows, StreamSeed(opts.Seed, StreamLargeFit)))
	ko := opts.kmeansOptions()
	ko.MinHits = 0 // fixed restarts: the continuation can run to MaxStarts
	first, err := cluster.KMeans(sub, k, ko)
	if err != nil {
		return nil, fmt.Errorf("on the subsample of %d rows: %w", LargeFitRows, err)
	}
	centers := mat.NewDense(k, len(first.Centers[0]), nil)
	for c, row := range first.Centers {
		centers.SetRow(c, row)
	}
	km, err := cluster.KMeans(X, k, cluster.KMeansOptions{Algorithm: opts.Algorithm, Centers: centers, MaxIter: opts.MaxIter})
	if err != nil {
		return nil, err
	}
	for _, w := range first.Warnings {
		km.Warnings = append(km.Warnings, "on the subsample of "+strconv.Itoa(LargeFitRows)+" rows: "+w)
	}
	return km, nil
}

// subsample is a seeded simple random sample of m of n row indices, in
// increasing order (all rows when n <= m).
func subsample(n, m int, seed uint64) []int {
	if n <= m {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		return rows
	}
	rows := rand.New(rand.NewPCG(seed, 0)).Perm(n)[:m]
	slices.Sort(rows)
	return rows
}

// rowsOf is the matrix of rows of X.
func rowsOf(X *mat.Dense, rows []int) *mat.Dense {
	_, p := X.Dims()
	out := mat.NewDense(len(rows), p, nil)
	for r, i := range rows {
		out.SetRow(r, X.RawRowView(i))
	}
	return out
}

// gapChoice applies Tibshirani, Walther & Hastie's (2001) rule — the
// smallest k with gap(k) >= gap(k+1) − SE(k+1), as cluster::maxSE(f, SE,
// "Tibs2001SEmax") — to gap and se (k = 1..K, index k−1). kAll is the
// rule over k = 1..K; when it is below kMin (k = 1: no cluster structure)
// k is the same rule over kMin..K, maxSE(f[-(1:(kMin−1))],
// SE[-(1:(kMin−1))]) + kMin − 1 in R, so that a typology is still formed.
func gapChoice(gap, se []float64, kMin int) (k, kAll int) {
	kAll = cluster.MaxSE(gap, se, "Tibs2001SEmax")
	if kAll >= kMin {
		return kAll, kAll
	}
	return cluster.MaxSE(gap[kMin-1:], se[kMin-1:], "Tibs2001SEmax") + kMin - 1, kAll
}

// kCriteria are the selection criteria of one k (except the gap), its
// partition (numbered by decreasing size) and k-means's warnings.
type kCriteria struct {
	row       SelectionRow
	partition []int
	warnings  []string
}

// criteriaFor clusters X (or D for PAM) into k clusters and computes the
// criteria of the partition. Only a failed clustering is an error; a
// criterion that fails is marked "not computed" in the row.
func criteriaFor(X *mat.Dense, D *mat.SymDense, k int, opts *ClusterOptions) (*kCriteria, error) {
	c := &kCriteria{row: SelectionRow{K: k, NotApplicable: map[string]string{}}}
	row := &c.row
	euclid := opts.Distance == cluster.Euclidean
	kmeans := opts.Algorithm != cluster.PAMAlgorithm
	if kmeans {
		km, err := fitKMeans(X, k, opts)
		if err != nil {
			return nil, fmt.Errorf("k-means with k = %d: %w", k, err)
		}
		c.partition, c.warnings = km.Cluster, km.Warnings
		row.TotWithinss = fp(km.TotWithinss)
	} else {
		pm, err := cluster.PAM(D, k)
		if err != nil {
			return nil, fmt.Errorf("pam with k = %d: %w", k, err)
		}
		c.partition, c.warnings = cluster.Relabel(pm.Clustering, k), pm.Warnings
		row.NotApplicable["gap"] = "computed for k-means only"
	}
	cl := c.partition
	sil, _, err := silhouetteOf(X, D, cl, euclid, opts.Seed)
	if err != nil {
		row.NotApplicable["silhouette_avg"] = notComputed(err)
	} else {
		row.SilhouetteAvg = sil.AvgWidth
	}
	if euclid {
		if !kmeans {
			ss, err := cluster.WithinSS(X, cl, k)
			if err != nil {
				row.NotApplicable["tot_withinss"] = notComputed(err)
			} else {
				row.TotWithinss = fp(ss.TotWithinss)
			}
		}
		if ch, err := cluster.CalinskiHarabasz(X, cl); err == nil {
			row.CalinskiHarabasz = fp(ch)
		} else {
			row.NotApplicable["calinski_harabasz"] = err.Error()
		}
	} else {
		row.NotApplicable["tot_withinss"] = "Euclidean criterion; not applicable to Gower distances"
		row.NotApplicable["calinski_harabasz"] = "Euclidean criterion; not applicable to Gower distances"
		row.NotApplicable["gap"] = "Euclidean criterion; not applicable to Gower distances"
	}
	if len(row.NotApplicable) == 0 {
		row.NotApplicable = nil
	}
	return c, nil
}

// silhouetteSummary is the average silhouette width of a partition and
// the average per cluster (nil for a cluster with no row in the
// subsample).
type silhouetteSummary struct {
	AvgWidth *float64
	By       []*float64
}

// silhouetteOf is the silhouette of partition cl (labels 1..k) under
// Euclidean distances on X or the dissimilarities D. Above
// SilhouetteMaxRows rows it is computed on a seeded simple random
// subsample of SilhouetteMaxRows rows, and note says so.
func silhouetteOf(X *mat.Dense, D *mat.SymDense, cl []int, euclid bool, seed uint64) (silhouetteSummary, string, error) {
	k := 0
	for _, c := range cl {
		k = max(k, c)
	}
	n := len(cl)
	var sil cluster.SilhouetteResult
	var err error
	note := ""
	switch {
	case n > SilhouetteMaxRows && euclid:
		rng := rand.New(rand.NewPCG(StreamSeed(seed, StreamSilhouette), 0))
		rows := rng.Perm(n)[:SilhouetteMaxRows]
		slices.Sort(rows)
		_, p := X.Dims()
		sub := mat.NewDense(len(rows), p, nil)
		subCl := make([]int, len(rows))
		for r, i := range rows {
			sub.SetRow(r, X.RawRowView(i))
			subCl[r] = cl[i]
		}
		note = fmt.Sprintf("silhouette computed on a random subsample of %d of the %d rows (exact up to %d rows; its cost grows as n²)", SilhouetteMaxRows, n, SilhouetteMaxRows)
		sil, err = cluster.Silhouette(sub, subCl)
	case euclid:
		sil, err = cluster.Silhouette(X, cl)
	default:
		sil, err = cluster.SilhouetteDiss(D, cl)
	}
	if err != nil {
		return silhouetteSummary{}, "", err
	}
	out := silhouetteSummary{AvgWidth: fp(sil.AvgWidth), By: make([]*float64, k)}
	for i, l := range sil.Labels {
		out.By[l-1] = fp(sil.ClusterAvg[i])
	}
	return out, note, nil
}

// finalPartition fills the summaries of the chosen partition.
func finalPartition(res *ClusterResult, t *dataset.Table, D *mat.SymDense, opts *ClusterOptions) error {
	X := res.X
	k := res.K
	cl, ok := res.Partitions[k]
	var medoids []int
	switch {
	case opts.Algorithm == cluster.PAMAlgorithm:
		pm, err := cluster.PAM(D, k)
		if err != nil {
			return fmt.Errorf("pam with k = %d: %w", k, err)
		}
		cl = cluster.Relabel(pm.Clustering, k)
		medoids = make([]int, k)
		for _, m := range pm.Medoids {
			medoids[cl[m-1]-1] = m - 1
		}
		res.kmWarnings[k] = pm.Warnings
	case !ok:
		km, err := fitKMeans(X, k, opts)
		if err != nil {
			return fmt.Errorf("k-means with k = %d: %w", k, err)
		}
		cl = km.Cluster
		res.Partitions[k] = cl
		res.kmWarnings[k] = km.Warnings
	}
	// Every partition shown, not only the chosen one, says when it hit a
	// bound (iter.max, the restart cap): the selection table reports them.
	method := "k-means"
	if opts.Algorithm == cluster.PAMAlgorithm {
		method = "pam"
	}
	ks := slices.Sorted(maps.Keys(res.kmWarnings))
	for _, kk := range ks {
		for _, w := range res.kmWarnings[kk] {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s with k = %d: %s", method, kk, w))
		}
	}
	res.Sizes = make([]int, k)
	for _, c := range cl {
		res.Sizes[c-1]++
	}
	euclid := opts.Distance == cluster.Euclidean
	if euclid {
		ss, err := cluster.WithinSS(X, cl, k)
		if err != nil {
			return err
		}
		res.Centers, res.Withinss = ss.Centers, ss.Withinss
		res.TotWithinss, res.Totss, res.Betweenss = fp(ss.TotWithinss), fp(ss.Totss), fp(ss.Betweenss)
	} else {
		res.Notes = append(res.Notes, "Gower distance: no centres or sums of squares (Euclidean quantities); the medoids represent the clusters.")
	}
	sil, note, err := silhouetteOf(X, D, cl, euclid, opts.Seed)
	if err != nil {
		res.SilhouetteBy = make([]*float64, k)
		res.SilhouetteNote = notComputed(err)
		res.Warnings = append(res.Warnings, "silhouette "+res.SilhouetteNote)
	} else {
		// The clusters table shows the note beside the silhouettes.
		res.SilhouetteAvg, res.SilhouetteBy, res.SilhouetteNote = sil.AvgWidth, sil.By, note
	}
	ids := rowIDs(t, res.Rows)
	res.Assignments = make([]Assignment, len(cl))
	for i, c := range cl {
		res.Assignments[i] = Assignment{ID: ids[i], Cluster: c}
	}
	for _, m := range medoids {
		res.Medoids = append(res.Medoids, ids[m])
	}
	return nil
}

// gowerOf builds daisy's Gower input from the unencoded variables of the
// used rows: categorical fields are nominal, numbers interval-scaled
// (log(x) as given). Variables whose columns were all dropped as constant
// are left out.
func gowerOf(t *dataset.Table, rows []int, vars []string, kept map[string]bool) (*mat.SymDense, error) {
	var cols []cluster.GowerColumn
	for _, v := range vars {
		pv, err := dataset.ParseVariable(v)
		if err != nil {
			return nil, err
		}
		if !kept[pv.String()] {
			continue
		}
		c, _ := t.Col(pv.Name)
		gc := cluster.GowerColumn{Name: pv.String(), Kind: "numeric", Values: make([]float64, len(rows))}
		if c.Field.IsCategorical() {
			gc.Kind = "nominal"
		}
		for r, i := range rows {
			x := c.Num[i]
			if pv.Log {
				x = math.Log(x)
			}
			gc.Values[r] = x
		}
		cols = append(cols, gc)
	}
	return cluster.Gower(cols)
}

// rowIDs are the id field's values of rows, or "line N" without an id.
func rowIDs(t *dataset.Table, rows []int) []string {
	ids := make([]string, len(rows))
	var idCol *dataset.Column
	if f := t.Schema.FieldsWithRole(dataset.RoleID); len(f) > 0 {
		idCol, _ = t.Col(f[0])
	}
	for r, i := range rows {
		if idCol != nil && !idCol.Missing[i] {
			ids[r] = idCol.Value(i)
		} else {
			ids[r] = "line " + strconv.Itoa(t.Lines[i])
		}
	}
	return ids
}

func clusterOf(a []Assignment) []int {
	cl := make([]int, len(a))
	for i, x := range a {
		cl[i] = x.Cluster
	}
	return cl
}

// caseStatus returns 1 (case), 0 (control) or -1 (unknown) per used row,
// or nil when the schema has no binary outcome.
func caseStatus(t *dataset.Table, rows []int) (string, []int) {
	name := t.Schema.Outcome()
	col, ok := t.Col(name)
	if name == "" || !ok {
		return "", nil
	}
	f := col.Field
	if f.IsCategorical() && len(f.Categories) != 2 {
		return "", nil
	}
	out := make([]int, len(rows))
	for r, i := range rows {
		switch {
		case col.Missing[i]:
			out[r] = -1
		case col.Num[i] == 0 || col.Num[i] == 1:
			out[r] = int(col.Num[i])
		default:
			return "", nil // not binary
		}
	}
	return name, out
}

// profiles describes every cluster on the original scale of the
// variables and tests membership against case status.
// A membership test that cannot be computed is marked "not computed"
// with its reason: the profiles stand without it.
func profiles(t *dataset.Table, rows []int, vars []string, a []Assignment, k int, seed uint64, lang string) (ClusterProfiles, error) {
	cl := clusterOf(a)
	n := len(cl)
	var pr ClusterProfiles
	outcome, status := caseStatus(t, rows)
	pr.Outcome = outcome
	if f, ok := t.Schema.Field(outcome); ok {
		pr.OutcomeLabel = f.DisplayTitle(lang)
	}
	counts := make([][]float64, k) // cluster × (control, case)
	for c := range counts {
		counts[c] = make([]float64, 2)
	}
	mk := func(c int, rowsOf func(i int) bool) ProfileCluster {
		pc := ProfileCluster{Cluster: c}
		var cases, controls int
		for i := range cl {
			if !rowsOf(i) {
				continue
			}
			pc.Size++
			if status != nil && status[i] >= 0 {
				if status[i] == 1 {
					cases++
				} else {
					controls++
				}
			}
		}
		pc.Percent = 100 * float64(pc.Size) / float64(n)
		if status != nil {
			pc.Cases, pc.Controls = &cases, &controls
			if cases+controls > 0 {
				pc.CasePercent = fp(100 * float64(cases) / float64(cases+controls))
			}
		}
		return pc
	}
	for c := 1; c <= k; c++ {
		pc := mk(c, func(i int) bool { return cl[i] == c })
		pr.Clusters = append(pr.Clusters, pc)
		if pc.Cases != nil {
			counts[c-1][0], counts[c-1][1] = float64(*pc.Controls), float64(*pc.Cases)
		}
	}
	pr.Overall = mk(0, func(int) bool { return true })
	if status != nil {
		test, err := membershipTest(counts, seed)
		if err != nil {
			test = &MembershipTest{Status: "not computed", Reason: err.Error()}
			for _, r := range counts {
				test.N += int(r[0] + r[1])
			}
		}
		pr.CaseTest = test
	}
	seen := map[string]bool{}
	for _, v := range vars {
		pv, err := dataset.ParseVariable(v)
		if err != nil {
			return pr, err
		}
		if seen[pv.Name] {
			continue
		}
		seen[pv.Name] = true
		col, _ := t.Col(pv.Name)
		f := col.Field
		pvr := ProfileVariable{Variable: pv.Name, VariableLabel: f.DisplayTitle(lang), Kind: "continuous"}
		var levels []string
		switch {
		case f.IsCategorical():
			levels = f.CategoryNames()
			pvr.LevelLabels = f.CategoryLabels(lang)
		case f.IsBinary():
			levels = []string{"0", "1"}
			pvr.LevelLabels = levels
		}
		if levels != nil {
			pvr.Kind, pvr.Levels = "categorical", levels
		}
		for c := 1; c <= k+1; c++ {
			label := c
			if c == k+1 {
				label = 0
			}
			var x []float64
			for r, i := range rows {
				if label == 0 || cl[r] == label {
					x = append(x, col.Num[i])
				}
			}
			ps := ProfileStat{Cluster: label, N: len(x)}
			if levels != nil {
				ps.Counts = make([]int, len(levels))
				ps.Percent = make([]float64, len(levels))
				for _, v := range x {
					ps.Counts[int(v)]++
				}
				for l := range levels {
					ps.Percent[l] = 100 * float64(ps.Counts[l]) / float64(len(x))
				}
			} else {
				s := stats.Summarize(x)
				ps.Mean, ps.Median = fp(s.Mean), fp(s.Median)
				if !math.IsNaN(s.SD) {
					ps.SD = fp(s.SD)
				}
			}
			pvr.Clusters = append(pvr.Clusters, ps)
		}
		pr.Variables = append(pr.Variables, pvr)
	}
	return pr, nil
}

// membershipTest is Pearson's chi-square test of the cluster × case table,
// or Fisher's exact test when any expected count is below 5 (the rule of
// Table 1); beyond the exact limit Fisher's p-value is simulated, so the
// size of the table never fails the command.
func membershipTest(counts [][]float64, seed uint64) (*MembershipTest, error) {
	var used [][]float64
	n := 0
	for _, r := range counts {
		if r[0]+r[1] > 0 {
			used = append(used, r)
			n += int(r[0] + r[1])
		}
	}
	chi, err := stats.ChiSquareTest(used)
	if err != nil {
		return nil, err
	}
	mt := &MembershipTest{MinExpected: fp(chi.MinExpected), N: n}
	if chi.MinExpected >= 5 {
		df := chi.DF
		mt.Test, mt.Statistic, mt.DF, mt.PValue = "chi-square", fp(chi.Statistic), &df, fp(chi.PValue)
		return mt, nil
	}
	fe, err := stats.FisherExactOpts(used, stats.FisherOptions{Seed: StreamSeed(seed, StreamFisher)})
	if err != nil {
		return nil, err
	}
	mt.Test, mt.PValue, mt.Method = "fisher", fp(fe.PValue), fe.Method
	if fe.Method == stats.FisherMethodMonteCarlo {
		mt.Replicates, mt.Seed = fe.Replicates, &fe.Seed
	}
	return mt, nil
}
