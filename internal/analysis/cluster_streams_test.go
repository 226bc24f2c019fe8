package analysis

import (
	"encoding/json"
	"math/big"
	"testing"
)

// allStreams are the random procedures of a clustering run.
var allStreams = []Stream{StreamKMeans, StreamGapData, StreamGapRef, StreamBoot, StreamFisher, StreamSilhouette, StreamLargeGap, StreamLargeBoot, StreamLargeFit}

// TestStreamSeedsNeverShared: across neighbouring user seeds and every
// stream, no two (seed, stream) pairs get the same generator seed — the
// old seed+1, seed+2 derivation gave the gap of seed s the k-means
// restarts of seed s+1, and the Fisher test and the silhouette one stream.
func TestStreamSeedsNeverShared(t *testing.T) {
	type owner struct {
		seed   uint64
		stream Stream
	}
	seen := map[uint64]owner{}
	bases := []uint64{0, 20211, 1 << 63, ^uint64(0) - 3000}
	for _, base := range bases {
		for s := base; s < base+3000; s++ {
			for _, st := range allStreams {
				v := StreamSeed(s, st)
				if o, ok := seen[v]; ok {
					t.Fatalf("seed %d stream %d and seed %d stream %d share the generator seed %#x", s, st, o.seed, o.stream, v)
				}
				seen[v] = owner{s, st}
			}
		}
	}
}

// TestStreamSeedCollisionBound checks the bound StreamSeed documents by
// exact integer arithmetic: (s, i) and (s', j) collide only when
// s − s' ≡ γ·(j − i) mod 2^64, and for |j − i| < 2^8 the smallest such
// distance between seeds exceeds 10^16.
func TestStreamSeedCollisionBound(t *testing.T) {
	mod := new(big.Int).Lsh(big.NewInt(1), 64)
	g := new(big.Int).SetUint64(streamGamma)
	minDist := new(big.Int).Set(mod)
	for d := int64(1); d < 256; d++ {
		r := new(big.Int).Mod(new(big.Int).Mul(g, big.NewInt(d)), mod)
		if alt := new(big.Int).Sub(mod, r); alt.Cmp(r) < 0 {
			r = alt
		}
		if r.Cmp(minDist) < 0 {
			minDist = r
		}
	}
	if minDist.Cmp(big.NewInt(1e16)) <= 0 {
		t.Errorf("seeds %v apart can share a stream", minDist)
	}
	// And the derivation is that bijection: equal z, equal seed; the
	// inputs s + γ·i of two pairs differ whenever the bound holds.
	for _, st := range allStreams {
		if StreamSeed(5, st) == StreamSeed(6, st) {
			t.Errorf("stream %d: seeds 5 and 6 share a generator", st)
		}
	}
}

// TestClusterSeedStreams: the Monte-Carlo parts (gap, bootstrap) differ
// between neighbouring seeds, the reported partition does not (it is the
// restart rule's optimum), and one seed gives identical results.
func TestClusterSeedStreams(t *testing.T) {
	tb := clLoadCompanies(t)
	run := func(seed uint64) *ClusterResult {
		o := DefaultClusterOptions()
		o.KMax, o.GapB, o.BootB, o.NStart, o.Seed = 4, 10, 10, 20, seed
		res, err := Cluster(tb, o)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	js := func(r *ClusterResult) string {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, a2, b := run(7), run(7), run(8)
	if js(a) != js(a2) {
		t.Fatal("the same seed gave different results")
	}
	if *a.Selection[1].Gap == *b.Selection[1].Gap {
		t.Errorf("seeds 7 and 8 gave the same gap at k = %d: %v", a.Selection[1].K, *a.Selection[1].Gap)
	}
	if a.K == b.K && *a.TotWithinss != *b.TotWithinss {
		t.Errorf("k = %d: tot_withinss %v (seed 7) and %v (seed 8): the restart rule should reach one optimum", a.K, *a.TotWithinss, *b.TotWithinss)
	}
}

// TestGapChoiceMatchesMaxSE: on data with no cluster structure R's
// clusGap + maxSE gives k = 1 and the rule from k = 2 on gives
// k_tibshirani_from_2; gapChoice applied to R's gap and SE gives both.
// On the reference companies (structure found) both are R's k.
func TestGapChoiceMatchesMaxSE(t *testing.T) {
	var ref struct {
		Gap      []float64 `json:"gap"`
		SESim    []float64 `json:"se_sim"`
		KAll     int       `json:"k_tibshirani"`
		KFromTwo int       `json:"k_tibshirani_from_2"`
	}
	clReadRef(t, "nostructure.json", &ref)
	k, kAll := gapChoice(ref.Gap, ref.SESim, 2)
	if kAll != ref.KAll || k != ref.KFromTwo || kAll != 1 {
		t.Errorf("gapChoice gives k = %d (over 1..K: %d); R's maxSE gives %d (from 2: %d)", k, kAll, ref.KAll, ref.KFromTwo)
	}
	var comp struct {
		Gap struct {
			Gap   []float64 `json:"gap"`
			SESim []float64 `json:"se_sim"`
			K     int       `json:"k_tibshirani"`
		} `json:"gap"`
	}
	clReadRef(t, "companies.json", &comp)
	if k, kAll := gapChoice(comp.Gap.Gap, comp.Gap.SESim, 2); k != comp.Gap.K || kAll != comp.Gap.K {
		t.Errorf("companies: gapChoice gives %d (%d), R %d", k, kAll, comp.Gap.K)
	}
}

// TestClusterForcedKClustersOnlyK: with k set, the other k and the gap
// statistic only served to choose k: without CompareK one partition is
// made and the settings say what was skipped; with it the range is shown
// (still without the gap). The partition is the same either way.
func TestClusterForcedKClustersOnlyK(t *testing.T) {
	tb := clLoadCompanies(t)
	o := DefaultClusterOptions()
	o.K, o.KMax, o.BootB, o.NStart = 3, 5, 5, 20
	only, err := Cluster(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Selection) != 1 || only.Selection[0].K != 3 || len(only.Settings.Skipped) != 2 || only.KRule != RuleForced {
		t.Fatalf("selection %+v, skipped %q", only.Selection, only.Settings.Skipped)
	}
	o.CompareK = true
	all, err := Cluster(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Selection) != 4 || len(all.Settings.Skipped) != 1 {
		t.Fatalf("%d selection rows, skipped %q", len(all.Selection), all.Settings.Skipped)
	}
	for _, r := range all.Selection {
		if r.Gap != nil {
			t.Errorf("k = %d: gap computed with k set", r.K)
		}
	}
	if *only.TotWithinss != *all.TotWithinss {
		t.Errorf("tot_withinss %v alone, %v with the range", *only.TotWithinss, *all.TotWithinss)
	}
}
