package cluster

import "github.com/ccstudy/ccstudy/internal/parallel"

// parallelFor runs f(0..n-1) on at most GOMAXPROCS goroutines
// (parallel.Map). Each index writes only its own output slot, so results
// do not depend on scheduling; the first error by index order is returned.
func parallelFor(n int, f func(i int) error) error {
	return parallel.Map(n, 0, f)
}

// mixSeed derives an independent 64-bit seed from a base seed and two
// indices (splitmix64 finaliser), for k-means runs nested in replicates.
func mixSeed(seed uint64, a, b int) uint64 {
	z := seed ^ (uint64(a)+1)*0x9E3779B97F4A7C15 ^ (uint64(b)+1)*0xC2B2AE3D27D4EB4F
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}
