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
	"github.com/ccstudy/ccstudy/internal/i18n"
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

// NewCmdCluster builds the k-means (or PAM) typology of the rows.
func NewCmdCluster(g *GlobalOptions, runF func(*ClusterOptions) error) *cobra.Command {
	opts := &ClusterOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Typology of the rows: k-means (or PAM) with k chosen by the gap statistic, profiles and stability",
		Long: `Cluster the rows (units) into types and describe each type.

The variables (default: the schema's covariates; fields analysed on the log
scale enter as log(x)) are encoded with one 0/1 column per category level,
standardized (--standardize z: (x - mean)/SD as R's scale()), and clustered
by k-means (Hartigan-Wong as R's kmeans, or Lloyd). Constant columns are
dropped with a notice; rows with a missing value are excluded and counted.

Restarts. Each reported partition (every k of the table, and the final
one) keeps the best of at least --nstart (default 100) k-means++ restarts,
continued until 20 restarts have reached that best tot.withinss (within a
relative 1e-10) or 5000 ran, so that the effort follows how rare the best
partition is; a warning says when the cap is reached. Restart r is seeded
by (--seed, r) and ties go to the lowest r, so the result is the same for
any number of cores. The gap statistic (on the data and on every reference
set, as clusGap calls kmeans with one nstart for both) and the bootstrap
replicates use a fixed 25 restarts per fit: they are Monte-Carlo averages,
and their W_k can therefore be above the table's tot.withinss / 2.

For every k of --k-range the table shows the total within-cluster sum of
squares (elbow), the average silhouette width, the Calinski-Harabasz index
and the gap statistic with its standard error (clusGap, scaledPCA reference
sets). k is the smallest k whose gap is within one SE of the next
(Tibshirani et al. 2001), unless --k sets it; with --k the gap statistic
and the other k, which only serve to choose k, are not computed (give
--k-range to see the criteria of the range beside k). When the gap rule
over k = 1..K gives k = 1 (no cluster structure), k is the rule's best
k >= 2 and a warning says so (JSON gap_no_structure). The silhouette is
exact up to 5000 rows and computed on a seeded random subsample of 5000
rows above.

Large data. The work grows as (restarts × k of the range) k-means runs for
the partitions, (B + 1) × K × 25 for the gap statistic and B × 25 for the
bootstrap, each O(n·k·p) per iteration; the settings (JSON settings.cost)
state it. Above 5000 rows, as cluster::clara does, each partition is the
best of --nstart restarts on a seeded random subsample of 1000 rows,
refined by one k-means run on all rows; the gap statistic runs on a
subsample of 500 rows with at most 20 reference sets, the bootstrap on a
subsample of 1000 rows with at most 50 replicates, 5 restarts per fit
(JSON settings.large_n). A --gap-b or --boot-b given on the command line
is used as given, and a note states its cost; a note also says when a cap
applied. Each random part has its own stream derived from --seed, so
neighbouring seeds share none.

Each cluster is profiled on the original scale of its variables (mean (SD)
and median, or % per level), with its number and share of cases and a
chi-square test (Fisher's exact test when an expected count is below 5) of
cluster membership against case status. Stability is the mean bootstrap
Jaccard similarity per cluster (--boot-b replicates, as fpc::clusterboot);
below 0.6 a cluster is flagged unstable. A criterion, test or stability
that cannot be computed is marked "not computed" with its reason; the rest
is still printed.

--algorithm pam clusters around medoids (cluster::pam; up to 5000 rows, as
it needs the n x n dissimilarities); with --distance gower it uses Gower's
distance on the unencoded variables (cluster::daisy), for mixed data, and
chooses k by the largest average silhouette.

Tables show the schema's field titles and category labels (--lang picks
the language); JSON and CSV keep the codes, with the labels beside them.`,
		Example: `  ccstudy cluster
  ccstudy cluster --k 3 --members members.csv
  ccstudy cluster --data USArrests.csv --schema USArrests.schema.json
  ccstudy cluster --data USArrests.csv --schema USArrests.schema.json --vars "Murder,Assault,log(UrbanPop)" --k-range 2:6
  ccstudy cluster --algorithm pam --distance gower`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.clusterFlags.check(cmd, &opts.ClusterOptions, g.Seed); err != nil {
				return err
			}
			opts.ClusterOptions.Lang = g.Lang
			if runF != nil {
				return runF(opts)
			}
			return clusterRun(opts)
		},
	}
	f := cmd.Flags()
	addClusterFlags(f, &opts.ClusterOptions, &opts.clusterFlags, "vars")
	f.StringVar(&opts.Members, "members", "", "write each row's cluster to this CSV file (id,cluster)")
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
	progress, done := opts.stepProgress()
	opts.ClusterOptions.Progress = progress
	res, err := analysis.Cluster(st.Companies, opts.ClusterOptions)
	done()
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
	doc := clusterDocument(res, st.Synthetic)
	if opts.Members != "" {
		doc.Epilogue = append(doc.Epilogue, fmt.Sprintf("Cluster membership written to %s.", opts.Members))
	}
	return opts.Emit(doc)
}

// clusterDocument renders a cluster result (also used by report).
func clusterDocument(res *analysis.ClusterResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		markSynthetic(doc, res.Lang)
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
	lang := res.Lang
	s := res.Settings
	method := i18n.Tf(lang, "k-means (%s, %s starts, nstart %d)", s.Algorithm.String(), s.Init.String(), s.NStart)
	if s.MinHits > 0 {
		method = i18n.Tf(lang, "k-means (%s, %s starts: at least %d restarts, until %d reach the best, at most %d; gap and bootstrap %d restarts per fit)",
			s.Algorithm.String(), s.Init.String(), s.NStart, s.MinHits, s.MaxStarts, s.GapBootNStart)
	}
	if s.Algorithm == cluster.PAMAlgorithm {
		method = i18n.Tf(lang, "PAM (k-medoids) on %s distances", s.Distance.String())
	}
	scale := map[cluster.Standardization]string{cluster.ScaleZ: "z-scores", cluster.ScaleRange: "range-scaled to [0, 1]", cluster.ScaleNone: "unscaled"}[s.Standardize]
	if s.Distance == cluster.GowerDist {
		scale = "Gower range-scaling"
	}
	out := i18n.Tf(lang, "Clustering %d rows by %s; seed %d. Columns (%d, %s): %s.",
		res.Data.RowsUsed, method, s.Seed, len(s.Columns), i18n.T(lang, scale), strings.Join(columnLabels(res), ", "))
	if skipped := skippedText(res, lang); skipped != "" {
		out += " " + skipped
	}
	if l := s.LargeN; l != nil && l.GapRows == 0 {
		// k set with --k: the gap statistic is not computed (large_n has no gap part).
		out += " " + i18n.Tf(lang, "Above %d rows (here %d) the work is reduced: each partition is the best of %d restarts on a random subsample of %d rows, refined by one k-means run on all rows; the bootstrap uses a subsample of %d rows and %d replicates, with %d restarts per fit.",
			l.Threshold, l.Rows, l.FitNStart, l.FitRows, l.BootRows, l.BootB, l.MCNStart)
	} else if l != nil {
		out += " " + i18n.Tf(lang, "Above %d rows (here %d) the work is reduced: each partition is the best of %d restarts on a random subsample of %d rows, refined by one k-means run on all rows; the gap statistic uses a subsample of %d rows and B = %d reference sets, the bootstrap a subsample of %d rows and %d replicates, with %d restarts per fit.",
			l.Threshold, l.Rows, l.FitNStart, l.FitRows, l.GapRows, l.GapB, l.BootRows, l.BootB, l.MCNStart)
	}
	if s.Cost != "" {
		text := s.CostText
		if text == "" {
			text = s.Cost
		}
		out += " " + i18n.T(lang, "Cost") + ": " + text + fullStop(lang)
	}
	return out
}

// skippedText says which k-selection work a forced k left out
// (ClusterSettings.Skipped).
func skippedText(res *analysis.ClusterResult, lang string) string {
	if res.KRule != analysis.RuleForced {
		return ""
	}
	gap, others := false, len(res.Selection) == 1
	for _, r := range res.Selection {
		gap = gap || strings.HasPrefix(r.NotApplicable["gap"], "not computed: k was set with --k")
	}
	lo, hi := res.Settings.KRange[0], res.Settings.KRange[1]
	switch {
	case gap && others:
		return i18n.Tf(lang, "k was set with --k, so the gap statistic and the criteria of the other k of %d:%d, which only serve to choose k, were not computed (give --k-range to compare the criteria).", lo, hi)
	case gap:
		return i18n.T(lang, "k was set with --k, so the gap statistic, which only serves to choose k, was not computed.")
	case others:
		return i18n.Tf(lang, "k was set with --k, so the criteria of the other k of %d:%d, which only serve to choose k, were not computed (give --k-range to compare them).", lo, hi)
	}
	return ""
}

// columnLabels are the display labels of the clustered columns (the
// codes for a result that has none).
func columnLabels(res *analysis.ClusterResult) []string {
	if len(res.Settings.ColumnLabels) == len(res.Settings.Columns) {
		return res.Settings.ColumnLabels
	}
	return res.Settings.Columns
}

// na formats an optional criterion, or says why it does not apply.
func na(lang string, x *float64, decimals int, reason string) string {
	switch {
	case x != nil:
		return strconv.FormatFloat(*x, 'f', decimals, 64)
	case strings.HasPrefix(reason, "not computed"):
		return i18n.T(lang, "not computed")
	case strings.Contains(reason, "not applicable") || strings.Contains(reason, "only"):
		return i18n.T(lang, "not applicable")
	case reason != "":
		return i18n.T(lang, "not defined")
	}
	return ""
}

// fullStop ends a sentence of lang: "。" after Chinese words, else ".".
func fullStop(lang string) string {
	if translated(lang) {
		return "。"
	}
	return "."
}

// translated reports whether lang changes the fixed words.
func translated(lang string) bool { return i18n.T(lang, "not computed") != "not computed" }

func clusterTables(res *analysis.ClusterResult) []render.Table {
	lang := res.Lang
	tables := []render.Table{
		selectionTable(res, lang),
		clusterSummaryTable(res, lang),
		profilesTable(res, lang),
	}
	if len(res.Centers) > 0 {
		tables = append(tables, centersTable(res, lang))
	}
	return tables
}

// criterionNames are the display names of the selection criteria.
var criterionNames = map[string]string{"tot_withinss": "total within SS", "silhouette_avg": "average silhouette",
	"calinski_harabasz": "Calinski-Harabasz", "gap": "gap statistic", "clustering": "clustering"}

// kRuleText is the result's explanation of k in lang; the rare wordings
// without a translation stay in English.
func kRuleText(res *analysis.ClusterResult, lang string) string {
	if !translated(lang) {
		return res.KRuleText
	}
	s := res.Settings
	switch {
	case res.KRule == analysis.RuleForced && len(res.Selection) == 1:
		return i18n.Tf(lang, "k = %d was set with --k; the other k were not clustered (give --k-range to compare them).", res.K)
	case res.KRule == analysis.RuleForced:
		return i18n.Tf(lang, "k = %d was set with --k; the criteria above are shown for comparison.", res.K)
	case res.KRule == analysis.RuleSilhouette && !strings.Contains(res.KRuleText, "gap"):
		return i18n.Tf(lang, "k = %d has the largest average silhouette width over k = %d..%d.", res.K, s.KRange[0], s.KRange[1])
	case res.KRule == analysis.RuleGapTibs && strings.HasPrefix(res.KRuleText, "k = "):
		return i18n.Tf(lang, "k = %d by Tibshirani et al.'s (2001) gap rule: the smallest k with gap(k) >= gap(k+1) - SE(k+1), over k = 1..%d (B = %d reference sets).", res.K, s.KRange[1], s.GapB)
	}
	return res.KRuleText
}

func selectionTable(res *analysis.ClusterResult, lang string) render.Table {
	T := func(s string) string { return i18n.T(lang, s) }
	sel := render.Table{Name: "k_selection", Title: T("Choosing k: criteria for each number of clusters"),
		Columns:    []string{"k", T("tot_withinss"), T("silhouette_avg"), T("calinski_harabasz"), T("gap"), T("gap_se"), T("chosen")},
		RawColumns: []string{"k", "tot_withinss", "silhouette_avg", "calinski_harabasz", "gap", "gap_se", "chosen"}}
	// Reasons for criteria not computed, with the ks they concern, in
	// order of first appearance.
	var reasons []string
	ks := map[string][]string{}
	addReason := func(what, reason string, k int) {
		key := what + "\x00" + reason
		if _, ok := ks[key]; !ok {
			reasons = append(reasons, key)
		}
		ks[key] = append(ks[key], strconv.Itoa(k))
	}
	for _, r := range res.Selection {
		chosen := ""
		if r.K == res.K {
			chosen = "*"
		}
		sel.RawRows = append(sel.RawRows, []string{strconv.Itoa(r.K), render.Num(r.TotWithinss), render.Num(r.SilhouetteAvg),
			render.Num(r.CalinskiHarabasz), render.Num(r.Gap), render.Num(r.GapSE), strconv.FormatBool(r.K == res.K)})
		if r.Reason != "" {
			addReason("clustering", r.Reason, r.K)
			nc := T("not computed")
			sel.Rows = append(sel.Rows, []string{strconv.Itoa(r.K), nc, nc, nc, nc, nc, chosen})
			continue
		}
		for _, c := range []string{"tot_withinss", "silhouette_avg", "calinski_harabasz", "gap"} {
			if why := r.NotApplicable[c]; strings.HasPrefix(why, "not computed") {
				addReason(c, why, r.K)
			}
		}
		sel.Rows = append(sel.Rows, []string{strconv.Itoa(r.K),
			na(lang, r.TotWithinss, 2, r.NotApplicable["tot_withinss"]), na(lang, r.SilhouetteAvg, 3, r.NotApplicable["silhouette_avg"]),
			na(lang, r.CalinskiHarabasz, 2, r.NotApplicable["calinski_harabasz"]), na(lang, r.Gap, 3, r.NotApplicable["gap"]), na(lang, r.GapSE, 3, r.NotApplicable["gap"]), chosen})
	}
	sel.Notes = []string{T("Chosen: ") + kRuleText(res, lang)}
	for _, key := range reasons {
		what, reason, _ := strings.Cut(key, "\x00")
		sel.Notes = append(sel.Notes, fmt.Sprintf("%s (k = %s): %s%s", T(criterionNames[what]), strings.Join(ks[key], ", "), T(reason), fullStop(lang)))
	}
	// With --k the gap is not computed for any k: its columns would only
	// repeat the note.
	if res.KRule == analysis.RuleForced && res.Settings.Algorithm != cluster.PAMAlgorithm {
		noGap := true
		for _, r := range res.Selection {
			noGap = noGap && r.Gap == nil
		}
		if noGap {
			sel.Columns = slices.Delete(sel.Columns, 4, 6)
			for i := range sel.Rows {
				sel.Rows[i] = slices.Delete(sel.Rows[i], 4, 6)
			}
		}
	}
	if res.Settings.Distance == cluster.GowerDist {
		sel.Notes = append(sel.Notes, T("Gower distance: the within sum of squares, Calinski-Harabasz and gap are Euclidean criteria and do not apply; k is judged by the silhouette."))
	} else if res.Settings.Algorithm == cluster.PAMAlgorithm {
		sel.Notes = append(sel.Notes, T("The gap statistic is computed for k-means only."))
	}
	return sel
}

func clusterSummaryTable(res *analysis.ClusterResult, lang string) render.Table {
	T := func(s string) string { return i18n.T(lang, s) }
	pr := res.Profiles
	stab := map[int]float64{}
	unstable := map[int]bool{}
	for _, b := range res.Stability {
		stab[b.Cluster], unstable[b.Cluster] = b.JaccardMean, b.Unstable
	}
	sum := render.Table{Name: "clusters", Title: i18n.Tf(lang, "Clusters (k = %d): size, cases and stability", res.K),
		Columns: []string{T("cluster"), T("size"), T("% of rows"), T("cases"), T("% cases"), T("silhouette"), T("jaccard"), T("stability")},
		// CSV: one row per cluster and one for all rows (cluster "all"),
		// numbers at full precision; the case columns stay (empty) when
		// there is no case status, so that the columns do not depend on
		// the data.
		RawColumns: []string{"cluster", "size", "percent", "cases", "case_percent", "silhouette", "jaccard_mean", "unstable"}}
	for i, c := range pr.Clusters {
		st, jac := T("stable"), "n/a"
		if j, ok := stab[c.Cluster]; ok {
			jac = strconv.FormatFloat(j, 'f', 3, 64)
		} else {
			st = T("not available")
		}
		if unstable[c.Cluster] {
			st = "UNSTABLE"
		}
		sil := T("not computed")
		if i < len(res.SilhouetteBy) && res.SilhouetteBy[i] != nil {
			sil = strconv.FormatFloat(*res.SilhouetteBy[i], 'f', 3, 64)
		}
		sum.Rows = append(sum.Rows, []string{strconv.Itoa(c.Cluster), strconv.Itoa(c.Size), strconv.FormatFloat(c.Percent, 'f', 1, 64),
			optInt(c.Cases), fmtOpt(c.CasePercent, 1), sil, jac, st})
		silRaw, jacRaw, unst := "", "", ""
		if i < len(res.SilhouetteBy) {
			silRaw = render.Num(res.SilhouetteBy[i])
		}
		if j, ok := stab[c.Cluster]; ok {
			jacRaw, unst = render.FormatFloat(j), strconv.FormatBool(unstable[c.Cluster])
		}
		sum.RawRows = append(sum.RawRows, []string{strconv.Itoa(c.Cluster), strconv.Itoa(c.Size), render.FormatFloat(c.Percent),
			optInt(c.Cases), render.Num(c.CasePercent), silRaw, jacRaw, unst})
	}
	o := pr.Overall
	silAll := T("not computed")
	if res.SilhouetteAvg != nil {
		silAll = strconv.FormatFloat(*res.SilhouetteAvg, 'f', 3, 64)
	}
	sum.Rows = append(sum.Rows, []string{T("all"), strconv.Itoa(o.Size), "100.0", optInt(o.Cases), fmtOpt(o.CasePercent, 1), silAll, "", ""})
	sum.RawRows = append(sum.RawRows, []string{"all", strconv.Itoa(o.Size), "100", optInt(o.Cases), render.Num(o.CasePercent), render.Num(res.SilhouetteAvg), "", ""})
	if pr.Outcome == "" { // no case status: drop the empty case columns
		sum.Title = i18n.Tf(lang, "Clusters (k = %d): size and stability", res.K)
		sum.Columns = slices.Delete(sum.Columns, 3, 5)
		for i := range sum.Rows {
			sum.Rows[i] = slices.Delete(sum.Rows[i], 3, 5)
		}
	}
	outcome := pr.OutcomeLabel
	if outcome == "" {
		outcome = pr.Outcome
	}
	if t := pr.CaseTest; t != nil {
		switch {
		case t.Status != "" || t.PValue == nil:
			sum.Notes = append(sum.Notes, i18n.Tf(lang, "Cluster membership vs %s: not computed: %s.", outcome, t.Reason))
		case t.Test == "chi-square":
			sum.Notes = append(sum.Notes, i18n.Tf(lang, "Cluster membership vs %s: Pearson chi-square = %s, p %s.", outcome, fmtStat(t.Statistic, dfPtr(t.DF)), render.FormatPRelation(*t.PValue)))
		case t.Method == "monte-carlo":
			sum.Notes = append(sum.Notes, i18n.Tf(lang, "Cluster membership vs %s: Fisher's test (an expected count is %.2f < 5), Monte-Carlo p %s from %d tables with the observed margins (seed %d; too large for the exact enumeration).", outcome, *t.MinExpected, render.FormatPRelation(*t.PValue), t.Replicates, *t.Seed))
		default:
			sum.Notes = append(sum.Notes, i18n.Tf(lang, "Cluster membership vs %s: Fisher's exact test (an expected count is %.2f < 5), p %s.", outcome, *t.MinExpected, render.FormatPRelation(*t.PValue)))
		}
	}
	if res.SilhouetteNote != "" {
		sum.Notes = append(sum.Notes, T("Silhouette")+": "+res.SilhouetteNote+".")
	}
	if res.StabilityReason != "" {
		sum.Notes = append(sum.Notes, T("Stability not computed")+": "+res.StabilityReason+".")
	} else {
		sum.Notes = append(sum.Notes, i18n.Tf(lang, "Stability: mean Jaccard similarity over %d bootstrap replicates (Hennig 2007); below %.1f a cluster is flagged UNSTABLE.", res.Settings.BootB, analysis.UnstableJaccard))
	}
	if len(res.Medoids) > 0 {
		sum.Notes = append(sum.Notes, T("Medoids: ")+strings.Join(res.Medoids, ", ")+".")
	}
	return sum
}

// profilesTable shows the labels, one column per cluster; its CSV has
// one row per variable, level and cluster (cluster "all" for all rows),
// the codes with their labels beside them and every statistic in a
// column of its own: n (non-missing), mean, sd and median of a
// continuous variable; count and percent of a level (the outcome's row:
// the cases among the cluster's n rows).
func profilesTable(res *analysis.ClusterResult, lang string) render.Table {
	T := func(s string) string { return i18n.T(lang, s) }
	pr := res.Profiles
	o := pr.Overall
	prof := render.Table{Name: "profiles", Title: T("Cluster profiles on the original scale"), Columns: []string{T("variable"), T("level")},
		RawColumns: []string{"variable", "variable_label", "level", "level_label", "cluster", "n", "mean", "sd", "median", "count", "percent"}}
	for _, c := range pr.Clusters {
		prof.Columns = append(prof.Columns, i18n.Tf(lang, "cluster %d (n=%d)", c.Cluster, c.Size))
	}
	prof.Columns = append(prof.Columns, i18n.Tf(lang, "all (n=%d)", o.Size))
	add := func(label, levelLabel string, first bool, cells []string) {
		shown := ""
		if first {
			shown = label
		}
		prof.Rows = append(prof.Rows, append([]string{shown, levelLabel}, cells...))
	}
	clusterKey := func(c int) string {
		if c == 0 {
			return "all" // ProfileStat's code for all rows
		}
		return strconv.Itoa(c)
	}
	if pr.Outcome != "" {
		var cells []string
		all := append(append([]analysis.ProfileCluster{}, pr.Clusters...), o)
		for k, c := range all {
			cells = append(cells, fmt.Sprintf("%s (%s%%)", optInt(c.Cases), fmtOpt(c.CasePercent, 1)))
			key := strconv.Itoa(c.Cluster)
			if k == len(all)-1 {
				key = "all"
			}
			prof.RawRows = append(prof.RawRows, []string{pr.Outcome, pr.OutcomeLabel, "case", "cases", key, strconv.Itoa(c.Size), "", "", "",
				optInt(c.Cases), render.Num(c.CasePercent)})
		}
		add(pr.OutcomeLabel, T("cases, n (%)"), true, cells)
	}
	for _, v := range pr.Variables {
		label := v.VariableLabel
		if label == "" {
			label = v.Variable
		}
		if v.Kind == "categorical" {
			for l, lev := range v.Levels {
				levLabel := lev
				if l < len(v.LevelLabels) {
					levLabel = v.LevelLabels[l]
				}
				var cells []string
				for _, s := range v.Clusters {
					cells = append(cells, strconv.FormatFloat(s.Percent[l], 'f', 1, 64))
					count := ""
					if l < len(s.Counts) {
						count = strconv.Itoa(s.Counts[l])
					}
					prof.RawRows = append(prof.RawRows, []string{v.Variable, v.VariableLabel, lev, levLabel, clusterKey(s.Cluster), strconv.Itoa(s.N),
						"", "", "", count, render.FormatFloat(s.Percent[l])})
				}
				add(label+", %", levLabel, l == 0, cells)
			}
			continue
		}
		var c1, c2 []string
		for _, s := range v.Clusters {
			sd := "–"
			if s.SD != nil {
				sd = fmtNum(*s.SD)
			}
			c1 = append(c1, fmt.Sprintf("%s (%s)", fmtNum(*s.Mean), sd))
			c2 = append(c2, fmtNum(*s.Median))
			prof.RawRows = append(prof.RawRows, []string{v.Variable, v.VariableLabel, "", "", clusterKey(s.Cluster), strconv.Itoa(s.N),
				render.Num(s.Mean), render.Num(s.SD), render.Num(s.Median), "", ""})
		}
		add(label, T("mean (SD)"), true, c1)
		add(label, T("median"), false, c2)
	}
	return prof
}

// centersTable shows the column labels; its CSV keeps the codes beside
// them.
func centersTable(res *analysis.ClusterResult, lang string) render.Table {
	labels := columnLabels(res)
	cen := render.Table{Name: "centers", Title: i18n.Tf(lang, "Cluster centres on the clustered (%s) scale", res.Settings.Standardize.String()),
		Columns: []string{i18n.T(lang, "column")}, RawColumns: []string{"column", "column_label", "cluster", "center"}}
	for c := range res.Centers {
		cen.Columns = append(cen.Columns, i18n.Tf(lang, "cluster %d", c+1))
	}
	// CSV: one row per column and cluster, at full precision.
	for j, name := range res.Settings.Columns {
		row := []string{labels[j]}
		for c := range res.Centers {
			row = append(row, strconv.FormatFloat(res.Centers[c][j], 'f', 3, 64))
			cen.RawRows = append(cen.RawRows, []string{name, labels[j], strconv.Itoa(c + 1), render.FormatFloat(res.Centers[c][j])})
		}
		cen.Rows = append(cen.Rows, row)
	}
	return cen
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
