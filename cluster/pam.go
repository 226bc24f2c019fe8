package cluster

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PAMResult is a k-medoids partition as cluster::pam reports it.
type PAMResult struct {
	K int `json:"k"`
	// Medoids are the 1-based observation indices of the medoids, in
	// cluster order (R's id.med).
	Medoids []int `json:"medoids"`
	// Clustering is the 1-based cluster of each observation; clusters are
	// numbered in order of their first observation, as in R.
	Clustering []int `json:"clustering"`
	// ObjectiveBuild and ObjectiveSwap are the mean dissimilarity to the
	// nearest medoid after the BUILD and the SWAP phase.
	ObjectiveBuild float64 `json:"objective_build"`
	ObjectiveSwap  float64 `json:"objective_swap"`
	// ClusInfo per cluster: size, max and mean dissimilarity to the
	// medoid, diameter and separation (R's clusinfo).
	ClusInfo []PAMClusInfo `json:"clusinfo"`
	// Isolation is "no", "L" or "L*" per cluster (R's isolation).
	Isolation []string `json:"isolation"`
	// Silhouette as computed by pam's C code (nil when k = 1).
	Silhouette *SilhouetteResult `json:"silhouette,omitempty"`
	// Warnings says when SWAP stopped at its bound (PAMMaxSwaps).
	Warnings []string `json:"warnings,omitempty"`
}

// PAMMaxSwaps bounds the SWAP phase at max(100, 100·k) swaps. Each swap
// lowers the objective, so SWAP ends by itself (R's pam has no bound);
// the bound only keeps a pathological input from running for hours, and
// hitting it is reported in PAMResult.Warnings.
func PAMMaxSwaps(k int) int { return max(100, 100*k) }

// PAMClusInfo is one row of pam's clusinfo.
type PAMClusInfo struct {
	Size       int     `json:"size"`
	MaxDiss    float64 `json:"max_diss"`
	AvDiss     float64 `json:"av_diss"`
	Diameter   float64 `json:"diameter"`
	Separation float64 `json:"separation"`
}

// PAM is Kaufman & Rousseeuw's Partitioning Around Medoids on a
// dissimilarity matrix, a port of cluster::pam(diss, k) (variant
// "original"): BUILD chooses k medoids greedily, SWAP then exchanges a
// medoid i and a non-medoid h while the swap lowers the objective
//
//	Σ_j d(j, nearest medoid) / n.
//
// It is deterministic. D must be symmetric with finite, non-negative
// entries; 1 <= k < n.
func PAM(D *mat.SymDense, k int) (*PAMResult, error) { return pam(D, k, PAMMaxSwaps(k)) }

// pam is PAM with SWAP bounded at maxSwaps swaps.
func pam(D *mat.SymDense, k, maxSwaps int) (*PAMResult, error) {
	if D == nil {
		return nil, errors.New("cluster: nil dissimilarity matrix")
	}
	n := D.SymmetricDim()
	if k < 1 || k >= n {
		return nil, fmt.Errorf("cluster: number of clusters k must be in {1, ..., n-1}, got k = %d with n = %d", k, n)
	}
	// dys(i, j) with 1-based indices, dys(i, i) = 0 as pam's dys[0].
	dm := make([]float64, (n+1)*(n+1))
	s := 0.0
	for i := 1; i <= n; i++ {
		for j := i + 1; j <= n; j++ {
			v := D.At(i-1, j-1)
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, fmt.Errorf("cluster: invalid dissimilarity %g between %d and %d", v, i, j)
			}
			dm[i*(n+1)+j] = v
			dm[j*(n+1)+i] = v
			if s < v {
				s = v
			}
		}
	}
	dys := func(i, j int) float64 { return dm[i*(n+1)+j] }

	nrepr := make([]int, n+1)
	dysma := make([]float64, n+1)
	dysmb := make([]float64, n+1)
	beter := make([]float64, n+1)
	obj, swaps := bswap(k, n, nrepr, dysma, dysmb, beter, dys, s, maxSwaps)

	res := &PAMResult{K: k, ObjectiveBuild: obj[0], ObjectiveSwap: obj[1]}
	if swaps > maxSwaps {
		res.Warnings = append(res.Warnings, fmt.Sprintf("SWAP stopped at its bound of %d swaps before converging: the medoids may not be a local optimum", maxSwaps))
	}
	cstat(k, n, nrepr, dys, s, res)
	if k > 1 {
		res.Silhouette = dark(k, n, res.Clustering, dys, s)
	}
	return res, nil
}

// bswap is pam.c's bswap() for pamonce = 0: BUILD then SWAP. It returns
// the objectives and the number of swaps done, maxSwaps+1 when SWAP was
// stopped at the bound.
func bswap(kk, n int, nrepr []int, dysma, dysmb, beter []float64, dys func(i, j int) float64, s float64, maxSwaps int) ([2]float64, int) {
	var obj [2]float64
	swaps := 0
	s = s*1.1 + 1 // larger than all dissimilarities
	for i := 1; i <= n; i++ {
		dysma[i] = s
	}
	// BUILD.
	for k := 1; k <= kk; k++ {
		nmax := -1
		ammax := 0.0
		for i := 1; i <= n; i++ {
			if nrepr[i] == 0 {
				beter[i] = 0
				for j := 1; j <= n; j++ {
					cmd := dysma[j] - dys(i, j)
					if cmd > 0 {
						beter[i] += cmd
					}
				}
				// "<=" (not "<") as in pam.c: the last maximiser wins.
				if ammax <= beter[i] {
					ammax = beter[i]
					nmax = i
				}
			}
		}
		nrepr[nmax] = 1
		for j := 1; j <= n; j++ {
			if d := dys(nmax, j); dysma[j] > d {
				dysma[j] = d
			}
		}
	}
	sky := 0.0
	for j := 1; j <= n; j++ {
		sky += dysma[j]
	}
	obj[0] = sky / float64(n)

	if kk > 1 {
		// SWAP.
		for ; swaps <= maxSwaps; swaps++ {
			for j := 1; j <= n; j++ {
				dysma[j] = s
				dysmb[j] = s
				for i := 1; i <= n; i++ {
					if nrepr[i] != 0 {
						d := dys(i, j)
						if dysma[j] > d {
							dysmb[j] = dysma[j]
							dysma[j] = d
						} else if dysmb[j] > d {
							dysmb[j] = d
						}
					}
				}
			}
			dzsky := 1.0
			hbest, nbest := -1, -1
			for h := 1; h <= n; h++ {
				if nrepr[h] != 0 {
					continue
				}
				for i := 1; i <= n; i++ {
					if nrepr[i] == 0 {
						continue
					}
					dz := 0.0
					for j := 1; j <= n; j++ {
						hj := dys(h, j)
						if dys(i, j) == dysma[j] {
							small := dysmb[j]
							if small > hj {
								small = hj
							}
							dz += -dysma[j] + small
						} else if hj < dysma[j] {
							dz += -dysma[j] + hj
						}
					}
					if dzsky > dz {
						dzsky = dz
						hbest = h
						nbest = i
					}
				}
			}
			// "< 0" up to rounding, as pam.c: plain "< 0" can loop forever
			// swapping identical objects.
			if !(dzsky < -16*epsilon*math.Abs(sky)) {
				break
			}
			nrepr[hbest] = 1
			nrepr[nbest] = 0
			sky += dzsky
		}
	}
	obj[1] = sky / float64(n)
	return obj, swaps
}

const epsilon = 2.220446049250313e-16 // C's DBL_EPSILON

// cstat is pam.c's cstat(): clustering, medoids and cluster statistics.
func cstat(kk, nn int, nrepr []int, dys func(i, j int) float64, s float64, res *PAMResult) {
	ss := s*1.1 + 1
	nsend := make([]int, nn+1)
	ncluv := make([]int, nn+1)
	ksmal := -1
	for j := 1; j <= nn; j++ {
		if nrepr[j] == 0 {
			dsmal := ss
			for k := 1; k <= nn; k++ {
				if nrepr[k] == 1 {
					if d := dys(k, j); dsmal > d {
						dsmal = d
						ksmal = k
					}
				}
			}
			nsend[j] = ksmal
		} else {
			nsend[j] = j
		}
	}
	jk := 1
	nplac := nsend[1]
	for j := 1; j <= nn; j++ {
		ncluv[j] = 0
		if nsend[j] == nplac {
			ncluv[j] = 1
		}
	}
	for ja := 2; ja <= nn; ja++ {
		nplac = nsend[ja]
		if ncluv[nplac] == 0 {
			jk++
			for j := 2; j <= nn; j++ {
				if nsend[j] == nplac {
					ncluv[j] = jk
				}
			}
			if jk == kk {
				break
			}
		}
	}
	res.Clustering = append([]int(nil), ncluv[1:]...)
	res.Medoids = make([]int, kk)
	res.ClusInfo = make([]PAMClusInfo, kk)
	res.Isolation = make([]string, kk)
	for k := 1; k <= kk; k++ {
		ntt, m := 0, -1
		ttt := 0.0
		radus := -1.0
		for j := 1; j <= nn; j++ {
			if ncluv[j] == k {
				ntt++
				m = nsend[j]
				djm := dys(j, m)
				ttt += djm
				if radus < djm {
					radus = djm
				}
			}
		}
		res.Medoids[k-1] = m
		res.ClusInfo[k-1] = PAMClusInfo{Size: ntt, MaxDiss: radus, AvDiss: ttt / float64(ntt)}
	}
	if kk == 1 {
		res.ClusInfo[0].Diameter = s
		res.ClusInfo[0].Separation = 0
		res.Isolation[0] = "no"
		return
	}
	for k := 1; k <= kk; k++ {
		var nelem []int
		for j := 1; j <= nn; j++ {
			if ncluv[j] == k {
				nelem = append(nelem, j)
			}
		}
		ci := &res.ClusInfo[k-1]
		res.Isolation[k-1] = "no"
		if len(nelem) == 1 {
			nvn := nelem[0]
			ci.Diameter = 0
			ci.Separation = ss
			for j := 1; j <= nn; j++ {
				if j != nvn {
					if d := dys(nvn, j); ci.Separation > d {
						ci.Separation = d
					}
				}
			}
			continue
		}
		dam, sep := -1.0, ss
		kand := true
		for _, nvna := range nelem {
			aja, ajb := -1.0, ss
			for jb := 1; jb <= nn; jb++ {
				d := dys(nvna, jb)
				if ncluv[jb] == k {
					if aja < d {
						aja = d
					}
				} else if ajb > d {
					ajb = d
				}
			}
			if kand && aja >= ajb {
				kand = false
			}
			if dam < aja {
				dam = aja
			}
			if sep > ajb {
				sep = ajb
			}
		}
		ci.Separation = sep
		ci.Diameter = dam
		if kand {
			if dam >= sep {
				res.Isolation[k-1] = "L"
			} else {
				res.Isolation[k-1] = "L*"
			}
		}
	}
}

// dark is pam.c's dark(): silhouette widths with pam's own arithmetic.
func dark(kk, nn int, clustering []int, dys func(i, j int) float64, s float64) *SilhouetteResult {
	res := &SilhouetteResult{
		Width: make([]float64, nn), Cluster: append([]int(nil), clustering...),
		Neighbor: make([]int, nn), Labels: make([]int, kk), ClusterAvg: make([]float64, kk),
	}
	ttsyl := 0.0
	for k := 1; k <= kk; k++ {
		res.Labels[k-1] = k
		var nelem []int
		for j := 1; j <= nn; j++ {
			if clustering[j-1] == k {
				nelem = append(nelem, j)
			}
		}
		ntt := len(nelem)
		syl := make([]float64, ntt)
		for jj, nj := range nelem {
			dysb := s*1.1 + 1
			negbr := -1
			for k2 := 1; k2 <= kk; k2++ {
				if k2 == k {
					continue
				}
				db := 0.0
				nbb := 0
				for l := 1; l <= nn; l++ {
					if clustering[l-1] == k2 {
						nbb++
						if l != nj {
							db += dys(nj, l)
						}
					}
				}
				db /= float64(nbb)
				if dysb > db {
					dysb = db
					negbr = k2
				}
			}
			res.Neighbor[nj-1] = negbr
			if ntt > 1 {
				dysa := 0.0
				for _, nl := range nelem {
					if nj != nl {
						dysa += dys(nj, nl)
					}
				}
				dysa /= float64(ntt - 1)
				switch {
				case dysa > 0 && dysb > 0:
					switch {
					case dysb > dysa:
						syl[jj] = 1 - dysa/dysb
					case dysb < dysa:
						syl[jj] = dysb/dysa - 1
					default:
						syl[jj] = 0
					}
					syl[jj] = math.Max(-1, math.Min(1, syl[jj]))
				case dysa > 0:
					syl[jj] = -1
				case dysb > 0:
					syl[jj] = 1
				default:
					syl[jj] = 0
				}
			}
			res.Width[nj-1] = syl[jj]
		}
		if ntt == 0 {
			continue
		}
		// pam sums the widths in decreasing order.
		sorted := append([]float64(nil), syl...)
		sortDesc(sorted)
		avg := 0.0
		for _, v := range sorted {
			avg += v
		}
		ttsyl += avg
		res.ClusterAvg[k-1] = avg / float64(ntt)
	}
	res.AvgWidth = ttsyl / float64(nn)
	return res
}

func sortDesc(v []float64) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] > v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
