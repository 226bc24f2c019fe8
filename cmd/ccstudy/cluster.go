package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/cluster"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// ClusterOptions are the inputs of `ccstudy cluster`.
type ClusterOptions struct {
	*GlobalOptions
	analysis.ClusterOptions
	clusterFlags
	Members string
}

// NewCmdCluster builds the k-means (or PAM) typology of the companies.
func NewCmdCluster(g *GlobalOptions, runF func(*ClusterOptions) error) *cobra.Command {
	opts := &ClusterOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Typology of the companies: k-means (or PAM) with k chosen by the gap statistic, profiles and stability",
		Long: `Cluster the companies into types and describe each type.

The variables (default: the schema's covariates; fields analysed on the log
scale enter as log(x)) are encoded with one 0/1 column per category level,
standardized (--standardize z: (x - mean)/SD as R's scale()), and clustered
by k-means (Hartigan-Wong as R's kmeans, or Lloyd; --nstart restarts).
Constant columns are dropped with a notice; rows with a missing value are
excluded and counted.

For every k of --k-range the table shows the total within-cluster sum of
squares (elbow), the average silhouette width, the Calinski-Harabasz index
and the gap statistic with its standard error (clusGap, scaledPCA reference
sets). k is the smallest k whose gap is within one SE of the next
(Tibshirani et al. 2001), unless --k sets it.

Each cluster is profiled on the original scale of its variables (mean (SD)
and median, or % per level), with its number and share of cases and a
chi-square test (Fisher's exact test when an expected count is below 5) of
cluster membership against case status. Stability is the mean bootstrap
Jaccard similarity per cluster (--boot-b replicates, as fpc::clusterboot);
below 0.6 a cluster is flagged unstable.

--algorithm pam clusters around medoids (cluster::pam); with --distance gower
it uses Gower's distance on the unencoded variables (cluster::daisy), for
mixed data, and chooses k by the largest average silhouette.`,
		Example: `  ccstudy cluster
  ccstudy cluster --k 3 --members members.csv
  ccstudy cluster --vars "novelty,dev_years,log(rd_expenditure)" --k-range 2:6
  ccstudy cluster --algorithm pam --distance gower
  ccstudy cluster --data USArrests.csv --schema USArrests.schema.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.clusterFlags.check(cmd, &opts.ClusterOptions, g.Seed); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return clusterRun(opts)
		},
	}
	f := cmd.Flags()
	addClusterFlags(f, &opts.ClusterOptions, &opts.clusterFlags, "vars")
	f.StringVar(&opts.Members, "members", "", "write each observation's cluster to this CSV file (id,cluster)")
	return cmd
}

// parseKRange reads "FROM:TO" (ClusterOptions.Validate checks the range).
func parseKRange(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, ":")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, usagef("--k-range %q: expected FROM:TO, e.g. 2:8", s)
	}
	return lo, hi, nil
}

func clusterRun(opts *ClusterOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	res, err := analysis.Cluster(st.Companies, opts.ClusterOptions)
	if err != nil {
		return err
	}
	for _, d := range res.Settings.Dropped {
		opts.notice("notice: column %s is constant in the rows used and was dropped", d)
	}
	if n := len(res.Data.Excluded); n > 0 {
		opts.notice("notice: %d rows with missing values were excluded (see data.excluded in --format json)", n)
	}
	if opts.Members != "" {
		if err := writeAtomic(opts.Members, func(w io.Writer) error { return writeMembers(w, res.Assignments) }); err != nil {
			return err
		}
	}
	doc := clusterDocument(res, st.Embedded)
	if opts.Members != "" {
		doc.Epilogue = append(doc.Epilogue, fmt.Sprintf("Cluster membership written to %s.", opts.Members))
	}
	return opts.Emit(doc)
}

// clusterDocument renders a cluster result (also used by report).
func clusterDocument(res *analysis.ClusterResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		doc.Preamble = append(doc.Preamble, SyntheticNotice)
	}
	doc.Preamble = append(doc.Preamble, clusterPreamble(res))
	doc.Tables = clusterTables(res)
	doc.Epilogue = append(doc.Epilogue, res.Notes...)
	for _, w := range res.Warnings {
		doc.Epilogue = append(doc.Epilogue, "warning: "+w)
	}
	return doc
}

func writeMembers(w io.Writer, a []analysis.Assignment) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "cluster"}); err != nil {
		return err
	}
	for _, x := range a {
		if err := cw.Write([]string{x.ID, strconv.Itoa(x.Cluster)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func clusterPreamble(res *analysis.ClusterResult) string {
	s := res.Settings
	method := "k-means (" + s.Algorithm.String() + ", " + s.Init.String() + " starts, nstart " + strconv.Itoa(s.NStart) + ")"
	if s.Algorithm == cluster.PAMAlgorithm {
		method = "PAM (k-medoids) on " + s.Distance.String() + " distances"
	}
	scale := map[cluster.Standardization]string{cluster.ScaleZ: "z-scores", cluster.ScaleRange: "range-scaled to [0, 1]", cluster.ScaleNone: "unscaled"}[s.Standardize]
	if s.Distance == cluster.GowerDist {
		scale = "Gower range-scaling"
	}
	return fmt.Sprintf("Clustering %d rows by %s; seed %d. Columns (%d, %s): %s.",
		res.Data.RowsUsed, method, s.Seed, len(s.Columns), scale, strings.Join(s.Columns, ", "))
}

// na formats an optional criterion, or says why it does not apply.
func na(x *float64, decimals int, reason string) string {
	if x != nil {
		return strconv.FormatFloat(*x, 'f', decimals, 64)
	}
	if strings.Contains(reason, "not applicable") || strings.Contains(reason, "only") {
		return "not applicable"
	}
	if reason != "" {
		return "not defined"
	}
	return ""
}

func clusterTables(res *analysis.ClusterResult) []render.Table {
	sel := render.Table{Name: "k_selection", Title: "Choosing k: criteria for each number of clusters",
		Columns: []string{"k", "tot_withinss", "silhouette_avg", "calinski_harabasz", "gap", "gap_se", "chosen"}}
	for _, r := range res.Selection {
		chosen := ""
		if r.K == res.K {
			chosen = "*"
		}
		sel.Rows = append(sel.Rows, []string{strconv.Itoa(r.K),
			na(r.TotWithinss, 2, r.NotApplicable["tot_withinss"]), na(r.SilhouetteAvg, 3, r.NotApplicable["silhouette_avg"]),
			na(r.CalinskiHarabasz, 2, r.NotApplicable["calinski_harabasz"]), na(r.Gap, 3, r.NotApplicable["gap"]), na(r.GapSE, 3, r.NotApplicable["gap"]), chosen})
	}
	sel.Notes = []string{"Chosen: " + res.KRuleText}
	if res.Settings.Distance == cluster.GowerDist {
		sel.Notes = append(sel.Notes, "Gower distance: the within sum of squares, Calinski-Harabasz and gap are Euclidean criteria and do not apply; k is judged by the silhouette.")
	} else if res.Settings.Algorithm == cluster.PAMAlgorithm {
		sel.Notes = append(sel.Notes, "The gap statistic is computed for k-means only.")
	}

	pr := res.Profiles
	stab := map[int]float64{}
	unstable := map[int]bool{}
	for _, b := range res.Stability {
		stab[b.Cluster], unstable[b.Cluster] = b.JaccardMean, b.Unstable
	}
	sum := render.Table{Name: "clusters", Title: fmt.Sprintf("Clusters (k = %d): size, cases and stability", res.K),
		Columns: []string{"cluster", "size", "% of rows", "cases", "% cases", "silhouette", "jaccard", "stability"}}
	for i, c := range pr.Clusters {
		st, jac := "stable", "n/a"
		if j, ok := stab[c.Cluster]; ok {
			jac = strconv.FormatFloat(j, 'f', 3, 64)
		} else {
			st = "not available"
		}
		if unstable[c.Cluster] {
			st = "UNSTABLE"
		}
		sum.Rows = append(sum.Rows, []string{strconv.Itoa(c.Cluster), strconv.Itoa(c.Size), strconv.FormatFloat(c.Percent, 'f', 1, 64),
			optInt(c.Cases), fmtOpt(c.CasePercent, 1), strconv.FormatFloat(res.SilhouetteBy[i], 'f', 3, 64),
			jac, st})
	}
	o := pr.Overall
	sum.Rows = append(sum.Rows, []string{"all", strconv.Itoa(o.Size), "100.0", optInt(o.Cases), fmtOpt(o.CasePercent, 1),
		strconv.FormatFloat(res.SilhouetteAvg, 'f', 3, 64), "", ""})
	if pr.Outcome == "" { // no case status: drop the empty case columns
		sum.Title = fmt.Sprintf("Clusters (k = %d): size and stability", res.K)
		sum.Columns = slices.Delete(sum.Columns, 3, 5)
		for i := range sum.Rows {
			sum.Rows[i] = slices.Delete(sum.Rows[i], 3, 5)
		}
	}
	if t := pr.CaseTest; t != nil {
		if t.Test == "chi-square" {
			sum.Notes = append(sum.Notes, fmt.Sprintf("Cluster membership vs %s: Pearson chi-square = %s, p = %s.", pr.Outcome, fmtStat(t.Statistic, dfPtr(t.DF)), fmtPValue(t.PValue)))
		} else if t.Method == "monte-carlo" {
			sum.Notes = append(sum.Notes, fmt.Sprintf("Cluster membership vs %s: Fisher's test (an expected count is %.2f < 5), Monte-Carlo p = %s from %d tables with the observed margins (seed %d; too large for the exact enumeration).", pr.Outcome, t.MinExpected, fmtPValue(t.PValue), t.Replicates, *t.Seed))
		} else {
			sum.Notes = append(sum.Notes, fmt.Sprintf("Cluster membership vs %s: Fisher's exact test (an expected count is %.2f < 5), p = %s.", pr.Outcome, t.MinExpected, fmtPValue(t.PValue)))
		}
	}
	sum.Notes = append(sum.Notes, fmt.Sprintf("Stability: mean Jaccard similarity over %d bootstrap replicates (Hennig 2007); below %.1f a cluster is flagged UNSTABLE.", res.Settings.BootB, analysis.UnstableJaccard))
	if len(res.Medoids) > 0 {
		sum.Notes = append(sum.Notes, "Medoids: "+strings.Join(res.Medoids, ", ")+".")
	}

	prof := render.Table{Name: "profiles", Title: "Cluster profiles on the original scale", Columns: []string{"variable", "level"}}
	for _, c := range pr.Clusters {
		prof.Columns = append(prof.Columns, fmt.Sprintf("cluster %d (n=%d)", c.Cluster, c.Size))
	}
	prof.Columns = append(prof.Columns, fmt.Sprintf("all (n=%d)", o.Size))
	if pr.Outcome != "" {
		row := []string{pr.Outcome, "cases, n (%)"}
		for _, c := range append(append([]analysis.ProfileCluster{}, pr.Clusters...), o) {
			row = append(row, fmt.Sprintf("%s (%s%%)", optInt(c.Cases), fmtOpt(c.CasePercent, 1)))
		}
		prof.Rows = append(prof.Rows, row)
	}
	for _, v := range pr.Variables {
		if v.Kind == "categorical" {
			for l, lev := range v.Levels {
				row := []string{"", lev}
				if l == 0 {
					row[0] = v.Variable + ", %"
				}
				for _, s := range v.Clusters {
					row = append(row, strconv.FormatFloat(s.Percent[l], 'f', 1, 64))
				}
				prof.Rows = append(prof.Rows, row)
			}
			continue
		}
		r1 := []string{v.Variable, "mean (SD)"}
		r2 := []string{"", "median"}
		for _, s := range v.Clusters {
			sd := "–"
			if s.SD != nil {
				sd = fmtNum(*s.SD)
			}
			r1 = append(r1, fmt.Sprintf("%s (%s)", fmtNum(*s.Mean), sd))
			r2 = append(r2, fmtNum(*s.Median))
		}
		prof.Rows = append(prof.Rows, r1, r2)
	}
	tables := []render.Table{sel, sum, prof}
	if len(res.Centers) > 0 {
		cen := render.Table{Name: "centers", Title: "Cluster centres on the clustered (" + res.Settings.Standardize.String() + ") scale", Columns: []string{"column"}}
		for c := range res.Centers {
			cen.Columns = append(cen.Columns, "cluster "+strconv.Itoa(c+1))
		}
		for j, name := range res.Settings.Columns {
			row := []string{name}
			for c := range res.Centers {
				row = append(row, strconv.FormatFloat(res.Centers[c][j], 'f', 3, 64))
			}
			cen.Rows = append(cen.Rows, row)
		}
		tables = append(tables, cen)
	}
	return tables
}

func optInt(x *int) string {
	if x == nil {
		return ""
	}
	return strconv.Itoa(*x)
}

func dfPtr(df *int) *float64 {
	if df == nil {
		return nil
	}
	v := float64(*df)
	return &v
}
