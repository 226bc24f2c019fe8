package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// SchemaOptions are the inputs of `ccstudy schema`.
type SchemaOptions struct {
	*GlobalOptions
	Name string
}

// NewCmdSchema prints a built-in Table Schema; its infer subcommand
// drafts one from a CSV.
func NewCmdSchema(g *GlobalOptions, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "schema [companies|products]",
		Short: "Print a built-in Table Schema, or draft one from a CSV with 'schema infer FILE'",
		Long: `Print a built-in Table Schema (JSON by default; --format table lists the fields).

To describe your own CSV, draft a schema from it and edit the draft:

  ccstudy schema infer my_study.csv > my_study.schema.json`,
		Example: `  ccstudy schema > companies.schema.json
  ccstudy schema products --format table
  ccstudy schema infer my_study.csv --outcome case -o my_study.schema.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("schema takes one name (companies or products), got %d", len(args))
			}
			if len(args) == 1 && args[0] != "companies" && args[0] != "products" {
				if looksLikeFile(args[0]) {
					return usagef("%s is not a built-in schema (companies or products); to draft a schema from this CSV, run: ccstudy schema infer %s", args[0], args[0])
				}
				return usagef("unknown schema %q (expected companies or products; or infer FILE to draft one from a CSV)", args[0])
			}
			return nil
		},
		ValidArgs: []string{"companies", "products", "infer"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.Data != "" {
				return usagef("schema prints a built-in schema and does not read --data; to draft a schema from %s, run: ccstudy schema infer %s", g.Data, g.Data)
			}
			opts.Name = "companies"
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if !formatChanged(cmd) {
				opts.Format = "json"
			}
			if runF != nil {
				return runF(opts)
			}
			return schemaRun(opts)
		},
	}
	cmd.AddCommand(NewCmdSchemaInfer(g, nil))
	return cmd
}

// formatChanged reports whether --format was given.
func formatChanged(cmd *cobra.Command) bool {
	return cmd.Flags().Changed("format") || cmd.Root().PersistentFlags().Changed("format")
}

// looksLikeFile reports whether a schema argument is a path rather than
// a mistyped schema name.
func looksLikeFile(arg string) bool {
	if strings.ContainsAny(arg, "./\\") || arg == "-" {
		return true
	}
	_, err := os.Stat(arg)
	return err == nil
}

// builtinSchemaHint is the advice given when a user's CSV, read without
// --schema, does not have the reference study's columns.
func builtinSchemaHint(data string) string {
	if data == "-" {
		data = "data.csv"
	}
	schema := strings.TrimSuffix(filepath.Base(data), filepath.Ext(data)) + ".schema.json"
	return fmt.Sprintf("without --schema the data is read with the built-in schema of the reference study; describe your own CSV with a Table Schema: draft one with 'ccstudy schema infer %s > %s', edit it, and pass --schema %s", data, schema, schema)
}

// SchemaInferOptions are the inputs of `ccstudy schema infer`.
type SchemaInferOptions struct {
	*GlobalOptions
	// File is the CSV to read ("-" = standard input).
	File string
	// Outcome names the outcome field ("" = guess).
	Outcome string
}

// NewCmdSchemaInfer drafts a Table Schema from a CSV.
func NewCmdSchemaInfer(g *GlobalOptions, runF func(*SchemaInferOptions) error) *cobra.Command {
	opts := &SchemaInferOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "infer FILE",
		Short: "Draft a Table Schema from a CSV, to edit and pass with --schema",
		Long: `Draft a Table Schema from a CSV (JSON by default, to standard output or -o FILE;
--format table lists the fields). Every row is read and every value must
fit, so the draft loads the file it came from; edit it before use.

What it guesses (the field descriptions say so where it matters):
  - types: date (YYYY-MM-DD), integer, number (with "decimalChar": "," in
    a ';' file, or "groupChar": "," for 1,234.5), boolean (true/false,
    yes/no, y/n, 是/否 in any case, with trueValues/falseValues), string;
  - missing-value markers actually seen: "", NA, N/A, NaN, and "." or "-"
    in columns that are otherwise numeric;
  - categories: text columns with at most 20 distinct values list them
    all; integer columns with at most 10 distinct values are offered their
    codes as categories (delete "categories" to analyse them as numbers).
    Levels are listed MOST FREQUENT FIRST, ties by first appearance: the
    first is the reference level of the analyses;
  - the id: the first column named like an id whose values are all
    present and distinct (role id, primaryKey);
  - the outcome: --outcome NAME, or else a GUESS (said on standard error
    and in the field's description): the first two-valued column named
    like case, outcome, y, status, event or response. A two-level text
    outcome gets "event" = the level named like a case (yes, case,
    positive, dead, 是, ...), else the less frequent one;
  - roles: covariate for numbers, booleans and categories; description
    for free text, dates, constant columns and a matched-set column
    (stratum, set, pair), which belongs in --strata.

The reference for the type rules is Frictionless's infer, which samples
100 rows and accepts a type that 90% of them fit.`,
		Example: `  ccstudy schema infer my_study.csv > my_study.schema.json
  ccstudy schema infer my_study.csv --outcome status -o my_study.schema.json
  ccstudy schema infer my_study.csv --format table
  ccstudy validate --data my_study.csv --schema my_study.schema.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) > 1:
				return usagef("schema infer takes one CSV file, got %d: %s", len(args), strings.Join(args, " "))
			case len(args) == 0 && g.Data == "":
				return usagef("schema infer needs the CSV file to read: ccstudy schema infer FILE (- for standard input)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = g.Data
			if len(args) == 1 {
				opts.File = args[0]
			}
			if err := g.checkOutputNotInput(opts.File); err != nil {
				return err
			}
			if !formatChanged(cmd) {
				opts.Format = "json"
			}
			if runF != nil {
				return runF(opts)
			}
			return schemaInferRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Outcome, "outcome", "", "the outcome column (default: guessed from a two-valued column named like case, outcome, y, status)")
	return cmd
}

func schemaInferRun(opts *SchemaInferOptions) error {
	b, name, err := opts.readInput(opts.File)
	if err != nil {
		return err
	}
	base := filepath.Base(opts.File)
	if opts.File == "-" {
		base = "data"
	}
	base = strings.TrimSuffix(base, filepath.Ext(base))
	inf, err := dataset.Infer(bytes.NewReader(b), name, dataset.InferOptions{Name: base, Outcome: opts.Outcome, Encoding: opts.Encoding, Sheet: opts.Sheet})
	if err != nil {
		var oe *dataset.OutcomeChoiceError
		if errors.As(err, &oe) {
			return usageError{fmt.Errorf("--outcome: %w", err)}
		}
		return err
	}
	for _, n := range inf.Notes {
		opts.notice("%s", n)
	}
	raw, err := dataset.MarshalSchema(inf.Schema)
	if err != nil {
		return err
	}
	if opts.Format == "json" && opts.Table == "" {
		// Written as is, one field per line, rather than re-indented by
		// the JSON renderer: a draft is for editing.
		if opts.Output == "" {
			_, err := opts.IO.Out.Write(raw)
			return err
		}
		return writeAtomic(opts.Output, func(w io.Writer) error { _, err := w.Write(raw); return err })
	}
	s := inf.Schema
	doc := &render.Document{JSON: rawJSON(raw)}
	doc.Preamble = []string{fmt.Sprintf("Draft Table Schema for %s (%d rows): edit it, then pass it with --schema", name, inf.Rows)}
	quoted := make([]string, len(s.MissingValues))
	for i, m := range s.MissingValues {
		quoted[i] = strconv.Quote(m)
	}
	doc.Preamble = append(doc.Preamble, "missing values: "+strings.Join(quoted, ", "))
	switch {
	case inf.Outcome == "":
		doc.Preamble = append(doc.Preamble, "outcome: none (pass --outcome NAME)")
	case inf.OutcomeGuessed:
		doc.Preamble = append(doc.Preamble, "outcome: "+inf.Outcome+" (GUESSED: check it, or pass --outcome NAME)")
	default:
		doc.Preamble = append(doc.Preamble, "outcome: "+inf.Outcome)
	}
	doc.Tables = []render.Table{schemaTable("schema_"+base, "Inferred fields (categories most frequent first; the first is the reference level)", s)}
	return opts.Emit(doc)
}

// schemaTable lists the fields of a schema: the text shows one summary
// of each field's domain; the CSV has one column per property (numbers
// as numbers, lists joined by "|").
func schemaTable(name, title string, s *dataset.Schema) render.Table {
	t := render.Table{Name: name, Title: title, Columns: []string{"field", "type", "role", "levels / constraints", "description"},
		RawColumns: []string{"field", "type", "role", "title", "categories", "event", "true_values", "false_values", "format", "decimal_char", "group_char",
			"transform", "required", "unique", "minimum", "exclusive_minimum", "maximum", "exclusive_maximum", "min_length", "max_length", "pattern", "enum",
			"missing_values", "description"}}
	num := func(x *float64) string { return render.Num(x) }
	count := func(x *int) string {
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	}
	for _, f := range s.Fields {
		t.Rows = append(t.Rows, []string{f.Name, f.Type, f.Role, fieldDomain(f), f.Description})
		c := f.Constraints
		var cats, enum []string
		if f.IsCategorical() {
			cats = f.CategoryNames()
		}
		for _, v := range c.EnumRaw {
			enum = append(enum, fmt.Sprint(v))
		}
		t.RawRows = append(t.RawRows, []string{f.Name, f.Type, f.Role, f.Title, strings.Join(cats, "|"), f.Event,
			strings.Join(f.TrueValues, "|"), strings.Join(f.FalseValues, "|"), f.Format, f.DecimalChar, f.GroupChar, f.Transform,
			strconv.FormatBool(c.Required), strconv.FormatBool(c.Unique), num(c.Minimum), num(c.ExclusiveMinimum), num(c.Maximum), num(c.ExclusiveMaximum),
			count(c.MinLength), count(c.MaxLength), c.Pattern, strings.Join(enum, "|"), strings.Join(f.MissingValues, "|"), f.Description})
	}
	return t
}

func schemaRun(opts *SchemaOptions) error {
	raw, err := refstudy.SchemaJSON(opts.Name)
	if err != nil {
		return err
	}
	s, err := dataset.ParseSchema(raw, "embedded:"+opts.Name)
	if err != nil {
		return err
	}
	doc := &render.Document{JSON: rawJSON(raw)}
	doc.Tables = []render.Table{schemaTable("schema_"+opts.Name, fmt.Sprintf("Table Schema %q (reference level = first category)", opts.Name), s)}
	return opts.Emit(doc)
}

// fieldDomain summarises what values a field accepts.
func fieldDomain(f *dataset.Field) string {
	var parts []string
	if f.IsCategorical() {
		parts = append(parts, strings.Join(f.CategoryNames(), " | "))
	}
	if f.Event != "" {
		parts = append(parts, "event "+f.Event)
	}
	if f.TrueValues != nil || f.FalseValues != nil {
		parts = append(parts, "true: "+strings.Join(f.TrueValues, "/")+", false: "+strings.Join(f.FalseValues, "/"))
	}
	if f.Format != "" {
		parts = append(parts, "format "+f.Format)
	}
	if f.DecimalChar != "" {
		parts = append(parts, fmt.Sprintf("decimal mark %q", f.DecimalChar))
	}
	if f.GroupChar != "" {
		parts = append(parts, fmt.Sprintf("group mark %q", f.GroupChar))
	}
	c := f.Constraints
	if len(c.EnumRaw) > 0 {
		var vals []string
		for _, v := range c.EnumRaw {
			vals = append(vals, fmt.Sprint(v))
		}
		parts = append(parts, "one of "+strings.Join(vals, ", "))
	}
	if c.Minimum != nil {
		parts = append(parts, fmt.Sprintf(">= %g", *c.Minimum))
	}
	if c.ExclusiveMinimum != nil {
		parts = append(parts, fmt.Sprintf("> %g", *c.ExclusiveMinimum))
	}
	if c.Maximum != nil {
		parts = append(parts, fmt.Sprintf("<= %g", *c.Maximum))
	}
	if c.ExclusiveMaximum != nil {
		parts = append(parts, fmt.Sprintf("< %g", *c.ExclusiveMaximum))
	}
	if c.Required {
		parts = append(parts, "required")
	}
	if c.Unique {
		parts = append(parts, "unique")
	}
	if f.MissingValues != nil {
		q := make([]string, len(f.MissingValues))
		for i, m := range f.MissingValues {
			q[i] = strconv.Quote(m)
		}
		parts = append(parts, "missing: "+strings.Join(q, ", "))
	}
	return strings.Join(parts, ", ")
}

// rawJSON passes already-encoded JSON through the JSON renderer.
type rawJSON []byte

// MarshalJSON returns the bytes unchanged.
func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }
