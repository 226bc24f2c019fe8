package cluster

import "sync"

// progressTicker returns the function a parallel loop calls once per
// finished item to report done of total to f, in increasing order and
// one call at a time whatever the goroutines; a nil f costs nothing.
// The reports never change a result: they only count.
func progressTicker(f func(done, total int), total int) func() {
	if f == nil {
		return func() {}
	}
	var mu sync.Mutex
	done := 0
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		f(done, total)
	}
}
