package analysis

import (
	"strings"
	"testing"
)

// TestClusterLargeNCapsObeyUser: above LargeRows rows the gap's and the
// bootstrap's B are capped only when the user did not give them; an
// explicit --gap-b / --boot-b is used as given, and the notes say which
// cap applied or what the explicit B costs. Under --k the gap is not
// computed, so large_n and the notes say nothing of its work.
func TestClusterLargeNCapsObeyUser(t *testing.T) {
	if testing.Short() {
		t.Skip("6000 rows, three runs")
	}
	tb := clLargeTable(t, LargeRows+1000)
	base := DefaultClusterOptions()
	base.KMax, base.NStart = 3, 2
	// B above the caps, small enough to be cheap.
	base.GapB, base.BootB = LargeGapB+5, LargeBootB+5
	notesOf := func(r *ClusterResult) string { return strings.Join(r.Notes, "\n") }

	capped, err := Cluster(tb, base)
	if err != nil {
		t.Fatal(err)
	}
	s, l := capped.Settings, capped.Settings.LargeN
	if l == nil || l.GapB != LargeGapB || l.BootB != LargeBootB || !l.GapBCapped || !l.BootBCapped || s.GapB != LargeGapB || s.BootB != LargeBootB {
		t.Fatalf("defaults: settings gap_b %d boot_b %d, large_n %+v; want both capped", s.GapB, s.BootB, l)
	}
	if n := notesOf(capped); !strings.Contains(n, "the gap statistic uses B = 20 reference sets instead of 25") ||
		!strings.Contains(n, "the bootstrap uses 50 replicates instead of 55") || !strings.Contains(n, "give --gap-b") {
		t.Errorf("defaults: notes do not state the caps:\n%s", n)
	}
	if !strings.Contains(capped.KRuleText, "B = 20 reference sets") {
		t.Errorf("defaults: k rule %q, want the capped B", capped.KRuleText)
	}

	explicit := base
	explicit.GapBSet, explicit.BootBSet = true, true
	kept, err := Cluster(tb, explicit)
	if err != nil {
		t.Fatal(err)
	}
	s, l = kept.Settings, kept.Settings.LargeN
	if l == nil || l.GapB != 25 || l.BootB != 55 || l.GapBCapped || l.BootBCapped || s.GapB != 25 || s.BootB != 55 {
		t.Fatalf("explicit: settings gap_b %d boot_b %d, large_n %+v; want 25 and 55 as given", s.GapB, s.BootB, l)
	}
	n := notesOf(kept)
	for _, want := range []string{
		"--gap-b 25 is used as given above 5000 rows (here 6000)",
		"(B + 1)·K·nstart = 26·3·5 = 390 k-means runs on 500 rows",
		"--boot-b 55 is used as given",
		"B·nstart = 55·5 = 275 k-means runs on 1000 rows",
	} {
		if !strings.Contains(n, want) {
			t.Errorf("explicit: notes lack %q:\n%s", want, n)
		}
	}
	if strings.Contains(n, "instead of") {
		t.Errorf("explicit: a note says a cap applied:\n%s", n)
	}
	if !strings.Contains(kept.KRuleText, "B = 25 reference sets") || !strings.Contains(s.Cost, "26·3·5 = 390 runs on 500 rows") ||
		!strings.Contains(s.Cost, "55·5 = 275 runs on 1000 rows") {
		t.Errorf("explicit: k rule %q, cost %q; want B = 25 and 55 used", kept.KRuleText, s.Cost)
	}

	// An explicit B at or below the cap needs no note.
	small := base
	small.GapB, small.BootB, small.GapBSet, small.BootBSet = 3, 4, true, true
	low, err := Cluster(tb, small)
	if err != nil {
		t.Fatal(err)
	}
	if l := low.Settings.LargeN; l.GapB != 3 || l.BootB != 4 || l.GapBCapped || l.BootBCapped {
		t.Errorf("explicit small B: large_n %+v", l)
	}
	if n := notesOf(low); strings.Contains(n, "--gap-b") || strings.Contains(n, "--boot-b") {
		t.Errorf("explicit small B: notes %q", n)
	}

	forced := base
	forced.K = 3
	kres, err := Cluster(tb, forced)
	if err != nil {
		t.Fatal(err)
	}
	l = kres.Settings.LargeN
	if l == nil || l.GapRows != 0 || l.GapB != 0 || l.GapBCapped || !l.BootBCapped {
		t.Fatalf("--k: large_n %+v; want no gap part, the bootstrap capped", l)
	}
	if n := notesOf(kres); strings.Contains(n, "gap") || !strings.Contains(n, "bootstrap uses 50 replicates") {
		t.Errorf("--k: notes %q; want the bootstrap cap only", n)
	}
	if !strings.Contains(kres.Settings.Cost, "gap statistic: not computed") {
		t.Errorf("--k: cost %q", kres.Settings.Cost)
	}
}
