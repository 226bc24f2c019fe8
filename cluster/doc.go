// Package cluster implements the clustering methods of the study and the
// statistics used to judge them: Standardize, KMeans (Hartigan–Wong AS 136
// and Lloyd, as R's kmeans), Silhouette, CalinskiHarabasz, Gap (as
// cluster::clusGap), PAM and Gower (as cluster::pam and cluster::daisy) and
// ClusterBoot (as fpc::clusterboot), and the summaries any partition
// needs: Relabel, WithinSS, TotalSS, DistinctRows and EuclideanDistances.
//
// All functions are pure: inputs are gonum matrices or slices, outputs are
// result structs with snake_case JSON tags. Randomised procedures take a
// caller-supplied seed; each restart or replicate r draws from its own
// stream rand.NewPCG(seed, r), so results do not depend on GOMAXPROCS.
// Every routine is checked against R by the tests in this package, which
// read the JSON written by the scripts in testdata/reference/cluster.
package cluster
