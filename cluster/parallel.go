package cluster

import (
	"runtime"
	"sync"
)

// parallelFor runs f(0..n-1) on at most GOMAXPROCS goroutines. Each index
// writes only its own output slot, so results do not depend on scheduling.
// The first error by index order is returned.
func parallelFor(n int, f func(i int) error) error {
	errs := make([]error, n)
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			errs[i] = f(i)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					errs[i] = f(i)
				}
			}()
		}
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// mixSeed derives an independent 64-bit seed from a base seed and two
// indices (splitmix64 finaliser), for k-means runs nested in replicates.
func mixSeed(seed uint64, a, b int) uint64 {
	z := seed ^ (uint64(a)+1)*0x9E3779B97F4A7C15 ^ (uint64(b)+1)*0xC2B2AE3D27D4EB4F
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}
