package main

import (
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/cluster"
	"github.com/ccstudy/ccstudy/internal/analysis"
)

// TestClusterExplicitBFlags: --gap-b and --boot-b given on the command
// line (even at their default values) mark B as explicit, so that the
// large-n caps keep them; left out, they are defaults the caps may lower.
// The report command shares the flags.
func TestClusterExplicitBFlags(t *testing.T) {
	o, err := parseFlags(t, NewCmdCluster)
	if err != nil {
		t.Fatal(err)
	}
	if o.GapBSet || o.BootBSet {
		t.Errorf("no flags: gap_b set %v, boot_b set %v", o.GapBSet, o.BootBSet)
	}
	d := analysis.DefaultClusterOptions()
	o, err = parseFlags(t, NewCmdCluster, "--gap-b", "500")
	if err != nil {
		t.Fatal(err)
	}
	if !o.GapBSet || o.BootBSet || o.GapB != d.GapB {
		t.Errorf("--gap-b 500: gap_b %d set %v, boot_b set %v", o.GapB, o.GapBSet, o.BootBSet)
	}
	o, err = parseFlags(t, NewCmdCluster, "--boot-b", "300")
	if err != nil {
		t.Fatal(err)
	}
	if o.GapBSet || !o.BootBSet || o.BootB != 300 {
		t.Errorf("--boot-b 300: boot_b %d set %v, gap_b set %v", o.BootB, o.BootBSet, o.GapBSet)
	}
	r, err := parseFlags(t, NewCmdReport, "--gap-b", "30", "--boot-b", "40")
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Cluster.ClusterOptions; !c.GapBSet || !c.BootBSet || c.GapB != 30 || c.BootB != 40 {
		t.Errorf("report --gap-b 30 --boot-b 40: %+v", c)
	}
}

// TestClusterPreambleLargeNWithoutGap: above the large-n threshold the
// preamble's reduced-work sentence names the gap statistic's subsample
// and B only when the gap was computed; under --k (large_n without its
// gap part) it speaks of the partitions and the bootstrap alone.
func TestClusterPreambleLargeNWithoutGap(t *testing.T) {
	l := analysis.LargeNSettings{Threshold: analysis.LargeRows, Rows: 6000, FitRows: analysis.LargeFitRows, FitNStart: 100,
		GapRows: analysis.LargeGapRows, GapB: analysis.LargeGapB, BootRows: analysis.LargeBootRows, BootB: analysis.LargeBootB, MCNStart: analysis.LargeMCNStart}
	res := &analysis.ClusterResult{KRule: analysis.RuleGapTibs}
	res.Settings = analysis.ClusterSettings{Algorithm: cluster.HartiganWong, Init: cluster.KMeansPP, NStart: 100, Standardize: cluster.ScaleZ,
		KRange: [2]int{2, 8}, GapB: analysis.LargeGapB, BootB: analysis.LargeBootB, Columns: []string{"a", "b"}, Cost: "k-means runs"}
	res.Settings.LargeN = &l
	with := clusterPreamble(res)
	if !strings.Contains(with, "the gap statistic uses a subsample of 500 rows and B = 20 reference sets") {
		t.Errorf("gap computed: preamble %q", with)
	}
	l.GapRows, l.GapB = 0, 0
	res.KRule = analysis.RuleForced
	res.Selection = []analysis.SelectionRow{{K: 3}}
	without := clusterPreamble(res)
	i := strings.Index(without, "Above 5000 rows (here 6000) the work is reduced")
	if i < 0 {
		t.Fatalf("--k: no reduced-work sentence in %q", without)
	}
	sentence := without[i:]
	sentence, _, _ = strings.Cut(sentence, " Cost")
	if strings.Contains(sentence, "gap") || strings.Contains(sentence, "reference sets") ||
		!strings.Contains(sentence, "the bootstrap uses a subsample of 1000 rows and 50 replicates, with 5 restarts per fit.") {
		t.Errorf("--k: reduced-work sentence %q", sentence)
	}
}
