package main

import (
	"fmt"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// SchemaOptions are the inputs of `ccstudy schema`.
type SchemaOptions struct {
	*GlobalOptions
	Name string
}

// NewCmdSchema prints a built-in Table Schema.
func NewCmdSchema(g *GlobalOptions, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "schema [companies|products]",
		Short: "Print a built-in Table Schema (JSON by default; --format table lists the fields)",
		Example: `  ccstudy schema > companies.schema.json
  ccstudy schema products --format table`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("schema takes one name (companies or products), got %d", len(args))
			}
			if len(args) == 1 && args[0] != "companies" && args[0] != "products" {
				return usagef("unknown schema %q (expected companies or products)", args[0])
			}
			return nil
		},
		ValidArgs: []string{"companies", "products"},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = "companies"
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if !cmd.Flags().Changed("format") && !cmd.Root().PersistentFlags().Changed("format") {
				opts.Format = "json"
			}
			if runF != nil {
				return runF(opts)
			}
			return schemaRun(opts)
		},
	}
	return cmd
}

func schemaRun(opts *SchemaOptions) error {
	raw, err := dataset.BuiltinSchemaJSON(opts.Name)
	if err != nil {
		return err
	}
	s, err := dataset.ParseSchema(raw, "embedded:"+opts.Name)
	if err != nil {
		return err
	}
	doc := &render.Document{JSON: rawJSON(raw)}
	t := render.Table{Name: "schema_" + opts.Name, Title: fmt.Sprintf("Table Schema %q (reference level = first category)", opts.Name),
		Columns: []string{"field", "type", "role", "levels / constraints", "description"}}
	for _, f := range s.Fields {
		t.Rows = append(t.Rows, []string{f.Name, f.Type, f.Role, fieldDomain(f), f.Description})
	}
	doc.Tables = []render.Table{t}
	return opts.Emit(doc)
}

// fieldDomain summarises what values a field accepts.
func fieldDomain(f *dataset.Field) string {
	if f.IsCategorical() {
		return strings.Join(f.CategoryNames(), " | ")
	}
	var parts []string
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
	if c.Required {
		parts = append(parts, "required")
	}
	if c.Unique {
		parts = append(parts, "unique")
	}
	return strings.Join(parts, ", ")
}

// rawJSON passes already-encoded JSON through the JSON renderer.
type rawJSON []byte

// MarshalJSON returns the bytes unchanged.
func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }
