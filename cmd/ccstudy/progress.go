package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// showProgress reports whether progress may be drawn on w: a terminal,
// not --quiet, not under CI=true (CI logs keep no carriage returns).
func (g *GlobalOptions) showProgress(w io.Writer) bool {
	if g.Quiet || os.Getenv("CI") == "true" {
		return false
	}
	tty, _ := isTerminal(w)
	return tty
}

// stepProgress returns a progress callback for the analysis options (a
// bar per step on standard error, replaced when the step changes) and
// the function that clears it when the run is done. Off a terminal the
// callback is nil: the analyses skip it, and nothing is written.
func (g *GlobalOptions) stepProgress() (func(step string, done, total int), func()) {
	w := g.IO.ErrOut
	if !g.showProgress(w) {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	current := ""
	finish := func() {
		if bar != nil {
			_ = bar.Clear()
			bar = nil
		}
	}
	report := func(step string, done, total int) {
		if bar == nil || step != current {
			finish()
			current = step
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(step),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
				progressbar.OptionSetElapsedTime(true), progressbar.OptionSetPredictTime(true))
		}
		_ = bar.Set(done)
	}
	return report, finish
}
