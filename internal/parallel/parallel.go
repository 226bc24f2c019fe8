// Package parallel runs independent, indexed tasks on a bounded number of
// goroutines so that the result never depends on scheduling: each task
// writes only its own output slot (by index), and when tasks fail the
// error of the lowest index is returned, whatever order they ran in.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Map calls f(i) for i in 0..n-1 on at most workers goroutines (workers
// ≤ 0: GOMAXPROCS; never more than n) and returns the error of the lowest
// index that failed, or nil. Tasks are handed out in increasing index
// order; once task i has failed, tasks above i that have not started are
// skipped (their result could not change the returned error), while every
// task below i still runs, so the error returned is the one a sequential
// loop would stop at. With one worker f runs in the calling goroutine.
// f must write only state owned by index i (or synchronise itself).
func Map(n, workers int, f func(i int) error) error {
	if n <= 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	if workers == 1 {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	// failAt is the lowest failed index so far (n: none).
	var failAt atomic.Int64
	failAt.Store(int64(n))
	errs := make([]error, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || i > failAt.Load() {
					return
				}
				if err := f(int(i)); err != nil {
					errs[i] = err
					for {
						cur := failAt.Load()
						if i >= cur || failAt.CompareAndSwap(cur, i) {
							break
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if i := failAt.Load(); i < int64(n) {
		return errs[i]
	}
	return nil
}
