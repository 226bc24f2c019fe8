package parallel

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// work is a task whose result depends only on its index; its duration
// varies with the index so that workers finish out of order.
func work(i int) uint64 {
	rng := rand.New(rand.NewPCG(7, uint64(i)))
	if i%7 == 0 {
		time.Sleep(time.Duration(rng.IntN(200)) * time.Microsecond)
	}
	s := uint64(0)
	for range 100 + rng.IntN(1000) {
		s = s*31 + rng.Uint64()
	}
	return s
}

func TestMapOrderIndependent(t *testing.T) {
	const n = 500
	want := make([]uint64, n)
	for i := range want {
		want[i] = work(i)
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		for _, workers := range []int{0, 1, 3, 8, 64} {
			got := make([]uint64, n)
			if err := Map(n, workers, func(i int) error { got[i] = work(i); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("GOMAXPROCS %d, %d workers: results differ from the sequential loop", procs, workers)
			}
		}
	}
}

func TestMapFirstErrorByIndex(t *testing.T) {
	const n = 300
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		for _, workers := range []int{1, 2, 8} {
			for rep := range 20 {
				var ran [n]atomic.Bool
				err := Map(n, workers, func(i int) error {
					ran[i].Store(true)
					// Higher failing indexes are quicker, so they fail first.
					switch i {
					case 250:
						return fmt.Errorf("task %d", i)
					case 97:
						time.Sleep(time.Duration(rep) * 50 * time.Microsecond)
						return fmt.Errorf("task %d", i)
					case 180:
						return fmt.Errorf("task %d", i)
					}
					return nil
				})
				if err == nil || err.Error() != "task 97" {
					t.Fatalf("GOMAXPROCS %d, %d workers: error %v (expected task 97's)", procs, workers, err)
				}
				for i := range 97 {
					if !ran[i].Load() {
						t.Fatalf("GOMAXPROCS %d, %d workers: task %d below the failure did not run", procs, workers, i)
					}
				}
			}
		}
	}
}

func TestMapWorkersAboveN(t *testing.T) {
	var calls atomic.Int64
	got := make([]int, 3)
	if err := Map(3, 100, func(i int) error { calls.Add(1); got[i] = i * i; return nil }); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 || !slices.Equal(got, []int{0, 1, 4}) {
		t.Errorf("%d calls, results %v", calls.Load(), got)
	}
	if err := Map(0, 4, func(int) error { return errors.New("called") }); err != nil {
		t.Errorf("n = 0: %v", err)
	}
}

// TestMapBoundedByWorkers: never more than workers tasks at once.
func TestMapBoundedByWorkers(t *testing.T) {
	prev := runtime.GOMAXPROCS(8)
	defer runtime.GOMAXPROCS(prev)
	for _, workers := range []int{1, 2, 3} {
		var running, peak atomic.Int64
		err := Map(200, workers, func(int) error {
			r := running.Add(1)
			for {
				p := peak.Load()
				if r <= p || peak.CompareAndSwap(p, r) {
					break
				}
			}
			time.Sleep(20 * time.Microsecond)
			running.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if peak.Load() > int64(workers) {
			t.Errorf("%d workers: %d tasks ran at once", workers, peak.Load())
		}
	}
}
