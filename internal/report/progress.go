package report

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// Progress shows which step runs, on w, only when w is a terminal and
// not quiet: pipes and CI logs stay clean. A nil *Progress shows nothing.
type Progress struct {
	w  io.Writer
	on bool
}

// NewProgress returns the progress indicator for w.
func NewProgress(w io.Writer, quiet bool) *Progress {
	p := &Progress{w: w}
	if f, ok := w.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

func (p *Progress) step(i, total int, name string) {
	if p == nil || !p.on {
		return
	}
	bar := strings.Repeat("█", i) + strings.Repeat("░", total-i)
	fmt.Fprintf(p.w, "\r\033[K%s %d/%d %s…", bar, i, total, name)
}

func (p *Progress) done() {
	if p != nil && p.on {
		fmt.Fprintf(p.w, "\r\033[K")
	}
}
