package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/report"
	"github.com/spf13/cobra"
)

// SimulateOptions are the inputs of `ccstudy simulate`.
type SimulateOptions struct {
	*GlobalOptions
	OutDir     string
	Population int
	Cases      int
	Controls   int
	Products   string
	Force      bool
	// wrapWriter, set by tests only, wraps the writer of each file (by
	// name) to inject a full disk.
	wrapWriter func(name string, w io.Writer) io.Writer
}

// NewCmdSimulate writes a synthetic study drawn from the documented DGP.
func NewCmdSimulate(g *GlobalOptions, runF func(*SimulateOptions) error) *cobra.Command {
	opts := &SimulateOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "simulate --out-dir DIR",
		Short: "Write the SYNTHETIC reference study (companies.csv, products.csv) from its documented DGP",
		Long: `Draw a source population of units from the reference study's
data-generating process documented in testdata/README.md, draw case status
from its true logistic model, sample cases and controls without
replacement, and write the units table (companies.csv) and its products
table (products.csv) to DIR.

Every value is used as given: --seed 0 is seed 0, and --cases 0 or
--controls 0 is refused (a case-control study needs both).

Products scale with the cases: up to 90 cases the products per overseas
year are the reference schedule (172 products, 1 in 2008 to the peak of
37 in 2018); above 90 cases each year's count is the reference count ×
cases / 90, rounded, so products per case stay those of the study.
--products none writes no products.csv and leaves first_overseas_year
empty.

The embedded reference data is exactly 'ccstudy simulate --seed 20211'.
The output is synthetic: never present it as the thesis's data.`,
		Example: `  ccstudy simulate --out-dir data
  ccstudy simulate --seed 7 --population 200000 --cases 10000 --controls 10000 --out-dir big
  ccstudy simulate --population 5000000 --cases 500000 --controls 500000 --products none --out-dir huge`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.OutDir == "" {
				return usagef("simulate needs --out-dir DIR")
			}
			if opts.Cases < 1 || opts.Controls < 1 {
				return usagef("--cases %d --controls %d: a case-control study needs at least one case and one control (expected --cases and --controls of 1 or more)", opts.Cases, opts.Controls)
			}
			if opts.Population < opts.Cases+opts.Controls {
				return usagef("--population %d is smaller than --cases + --controls = %d (expected a source population of at least %d)", opts.Population, opts.Cases+opts.Controls, opts.Cases+opts.Controls)
			}
			if opts.Products != "scaled" && opts.Products != "none" {
				return usagef("--products %q (expected scaled or none)", opts.Products)
			}
			if runF != nil {
				return runF(opts)
			}
			return simulateRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "out-dir", "", "folder to write companies.csv and products.csv to (created if needed)")
	cmd.Flags().IntVar(&opts.Population, "population", refstudy.DefaultPopulation, "size of the source population")
	cmd.Flags().IntVar(&opts.Cases, "cases", refstudy.ExpectCases, "cases to sample")
	cmd.Flags().IntVar(&opts.Controls, "controls", refstudy.ExpectControls, "controls to sample")
	cmd.Flags().StringVar(&opts.Products, "products", "scaled", "products.csv: scaled (the reference schedule, × cases/90 above 90 cases) or none")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing companies.csv/products.csv in --out-dir")
	return cmd
}

func simulateRun(opts *SimulateOptions) error {
	sim, err := refstudy.Simulate(refstudy.SimOptions{Seed: opts.Seed, Population: opts.Population, Cases: opts.Cases, Controls: opts.Controls,
		NoProducts: opts.Products == "none"})
	if err != nil {
		return err
	}
	// companies.csv is marshalled once: the same bytes are written and
	// hashed for the marker beside the CSVs, which makes every analysis of
	// them (with --data) carry the synthetic-data notice and marks only
	// the file simulate wrote.
	var comp bytes.Buffer
	if err := sim.WriteCompanies(&comp); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"companies.csv", func(w io.Writer) error { _, err := w.Write(comp.Bytes()); return err }},
	}
	if opts.Products != "none" {
		files = append(files, struct {
			name  string
			write func(io.Writer) error
		}{"products.csv", sim.WriteProducts})
	}
	marker, err := refstudy.NewMarker(opts.Seed, comp.Bytes())
	if err != nil {
		return err
	}
	files = append(files, struct {
		name  string
		write func(io.Writer) error
	}{refstudy.MarkerName, func(w io.Writer) error { _, err := w.Write(marker); return err }})
	created, err := mkdirAllCreated(opts.OutDir)
	if err != nil {
		return fmt.Errorf("%s: cannot create folder: %v", opts.OutDir, report.PathErr(err))
	}
	// On a failed write (a full disk) the files this run made and the
	// folders it created are removed: no empty folder or half a study is
	// left behind. Files that were there before (--force) are not.
	var made []string
	undo := func(err error) error {
		for _, p := range made {
			os.Remove(p)
		}
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i]) // only if empty: never a user's file
		}
		return err
	}
	if !opts.Force {
		for _, f := range files {
			p := filepath.Join(opts.OutDir, f.name)
			if _, err := os.Stat(p); err == nil {
				return undo(fmt.Errorf("%s already exists (use --force to overwrite)", p))
			}
		}
	}
	var replaced []string
	for _, f := range files {
		p := filepath.Join(opts.OutDir, f.name)
		_, statErr := os.Lstat(p)
		write := func(w io.Writer) error {
			if opts.wrapWriter != nil {
				w = opts.wrapWriter(f.name, w)
			}
			return f.write(w)
		}
		if err := writeAtomic(p, write); err != nil {
			if len(replaced) > 0 {
				err = fmt.Errorf("%w (%s already replaced: run again to write the whole study)", err, strings.Join(replaced, ", "))
			}
			return undo(err)
		}
		if statErr != nil {
			made = append(made, p)
		} else {
			replaced = append(replaced, p)
		}
	}
	if opts.Products == "none" {
		opts.notice("wrote %s: %d rows, no products (SYNTHETIC, seed %d)", filepath.Join(opts.OutDir, "companies.csv"), len(sim.Companies), opts.Seed)
		return nil
	}
	opts.notice("wrote %s and %s: %d rows, %d products (SYNTHETIC, seed %d)",
		filepath.Join(opts.OutDir, "companies.csv"), filepath.Join(opts.OutDir, "products.csv"), len(sim.Companies), len(sim.Products), opts.Seed)
	return nil
}

// mkdirAllCreated is os.MkdirAll that returns the folders it created,
// outermost first, so that a failed run can remove them again.
func mkdirAllCreated(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		missing = append(missing, d)
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		for _, d := range missing {
			os.Remove(d)
		}
		return nil, err
	}
	slices.Reverse(missing)
	return missing, nil
}
