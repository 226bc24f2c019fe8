package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create folder: %v", opts.OutDir, report.PathErr(err))
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"companies.csv", sim.WriteCompanies},
	}
	if opts.Products != "none" {
		files = append(files, struct {
			name  string
			write func(io.Writer) error
		}{"products.csv", sim.WriteProducts})
	}
	if !opts.Force {
		for _, f := range files {
			p := filepath.Join(opts.OutDir, f.name)
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s already exists (use --force to overwrite)", p)
			}
		}
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(opts.OutDir, f.name), f.write); err != nil {
			return err
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
