package report

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Interruption safety. Every temporary path the writers create registers
// a cleanup here. On SIGINT or SIGTERM the handler first takes opLock,
// which the writers hold for each file operation and for a whole swap of
// an old report for a new one, so the signal never lands inside a swap;
// then it runs the cleanups and exits 130 or 143 (128 + the signal, as a
// shell reports it). It never releases the lock, so no writer touches the
// disk after the cleanup.
var (
	opLock sync.Mutex

	cleanupMu sync.Mutex
	cleanups  = map[int]func(){}
	nextID    int
)

// locked runs f while holding opLock: an interruption waits for it.
func locked(f func() error) error {
	opLock.Lock()
	defer opLock.Unlock()
	return f()
}

// onInterrupt registers f to run if the process is interrupted; the
// returned function unregisters it (call it once the path f removes is
// either gone or in its final place).
func onInterrupt(f func()) (unregister func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	id := nextID
	nextID++
	cleanups[id] = f
	return func() {
		cleanupMu.Lock()
		defer cleanupMu.Unlock()
		delete(cleanups, id)
	}
}

// HandleInterrupts catches SIGINT and SIGTERM until stop is called. On
// one it waits for the file operation in progress, removes every
// temporary file and folder the writers registered, calls notify (to say
// so on standard error) and exits with 128 + the signal number (130 for
// SIGINT, 143 for SIGTERM).
func HandleInterrupts(notify func(os.Signal)) (stop func()) {
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			opLock.Lock() // held until exit
			cleanupMu.Lock()
			// Later registrations are nested inside earlier ones
			// (a staging folder inside a folder the run created).
			for id := nextID - 1; id >= 0; id-- {
				if f, ok := cleanups[id]; ok {
					f()
				}
			}
			if notify != nil {
				notify(s)
			}
			code := 1
			if n, ok := s.(syscall.Signal); ok {
				code = 128 + int(n)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
