package main

import (
	"os"

	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/mattn/go-isatty"
)

// checkBinaryOut refuses a binary format (docx, xlsx) bound for a
// terminal, where it would only scramble the screen; a pipe or -o FILE
// takes it.
func (g *GlobalOptions) checkBinaryOut() error {
	if !render.Binary(g.Format) || g.Output != "" || g.IO == nil {
		return nil
	}
	if f, ok := g.IO.Out.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return usagef("%s is binary: give -o FILE (or redirect standard output to a file)", g.Format)
	}
	return nil
}
