package main

import (
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/render"
	"golang.org/x/term"
)

// terminal is a writer that knows it is (or is not) a terminal of a
// given width (0: unknown). The tests' output buffers implement it to
// stand for a terminal; an *os.File is asked with x/term instead.
type terminal interface {
	Terminal() (tty bool, width int)
}

// isTerminal reports whether w is a terminal, and its width when known.
func isTerminal(w io.Writer) (bool, int) {
	switch f := w.(type) {
	case terminal:
		return f.Terminal()
	case *os.File:
		fd := int(f.Fd())
		if !term.IsTerminal(fd) {
			return false, 0
		}
		if width, _, err := term.GetSize(fd); err == nil && width > 0 {
			return true, width
		}
		return true, 0
	}
	return false, 0
}

// textOptions decides how the "table" format is drawn on w: box drawing
// only on a terminal; the width is COLUMNS when set (a user's override,
// and how tests ask for 80 columns), else the terminal's, else unlimited
// (pipes keep whole lines). -o files never get here.
func textOptions(w io.Writer, columns string) render.TextOptions {
	var o render.TextOptions
	o.TTY, o.Width = isTerminal(w)
	if n, err := strconv.Atoi(strings.TrimSpace(columns)); err == nil && n > 0 {
		o.Width = n
	}
	return o
}
