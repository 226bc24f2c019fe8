package cluster

import "github.com/ccstudy/ccstudy/internal/choice"

// The closed sets of option values of this package. Each type implements
// pflag.Value (String, Set, Type), so a command-line flag of that type
// refuses a bad value while flags are parsed and lists the valid ones,
// and Choices for shell completion. The spelling is the JSON value.

// Algorithm is a clustering algorithm: k-means by Hartigan–Wong (AS 136,
// R's kmeans default) or Lloyd, or PAM (k-medoids, cluster::pam). KMeans
// takes the first two; PAM is its own function.
type Algorithm string

// Algorithms.
const (
	HartiganWong Algorithm = "hartigan-wong"
	Lloyd        Algorithm = "lloyd"
	PAMAlgorithm Algorithm = "pam"
)

// Algorithms lists the valid algorithms.
func Algorithms() []Algorithm { return []Algorithm{HartiganWong, Lloyd, PAMAlgorithm} }

func (a Algorithm) String() string      { return string(a) }
func (a *Algorithm) Set(s string) error { return choice.Set(a, s, Algorithms()) }

// Type is pflag's name for the value in help texts.
func (Algorithm) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (Algorithm) Choices() []string { return choice.Strings(Algorithms()) }

// Init chooses k-means starting centres: k-means++ seeding (Arthur &
// Vassilvitskii 2007) or k distinct rows drawn uniformly (R's kmeans).
type Init string

// Inits.
const (
	KMeansPP   Init = "kmeans++"
	RandomInit Init = "random"
)

// Inits lists the valid starting rules.
func Inits() []Init { return []Init{KMeansPP, RandomInit} }

func (i Init) String() string      { return string(i) }
func (i *Init) Set(s string) error { return choice.Set(i, s, Inits()) }

// Type is pflag's name for the value in help texts.
func (Init) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (Init) Choices() []string { return choice.Strings(Inits()) }

// Standardization is how Standardize rescales each column.
type Standardization string

// Standardizations.
const (
	// ScaleZ is (x − mean)/SD, R's scale().
	ScaleZ Standardization = "z"
	// ScaleRange is (x − min)/(max − min).
	ScaleRange Standardization = "range"
	// ScaleNone leaves x unchanged.
	ScaleNone Standardization = "none"
)

// Standardizations lists the valid standardizations.
func Standardizations() []Standardization {
	return []Standardization{ScaleZ, ScaleRange, ScaleNone}
}

func (s Standardization) String() string      { return string(s) }
func (s *Standardization) Set(v string) error { return choice.Set(s, v, Standardizations()) }

// Type is pflag's name for the value in help texts.
func (Standardization) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (Standardization) Choices() []string { return choice.Strings(Standardizations()) }

// Distance is the dissimilarity between observations: Euclidean (R's
// dist) or Gower's (cluster::daisy, for mixed data; PAM only).
type Distance string

// Distances.
const (
	Euclidean Distance = "euclidean"
	GowerDist Distance = "gower"
)

// Distances lists the valid distances.
func Distances() []Distance { return []Distance{Euclidean, GowerDist} }

func (d Distance) String() string      { return string(d) }
func (d *Distance) Set(s string) error { return choice.Set(d, s, Distances()) }

// Type is pflag's name for the value in help texts.
func (Distance) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (Distance) Choices() []string { return choice.Strings(Distances()) }

// Zero-option defaults of KMeans (25 restarts, ccstudy's choice; R's
// iter.max = 10) and Gap (500 reference sets; clusGap's own default is
// 100). analysis.DefaultClusterOptions reads them, so that the commands
// state them once.
const (
	DefaultNStart  = 25
	DefaultMaxIter = 10
	DefaultGapB    = 500
)
