package main

import (
	"os"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// completionSchema returns the schema of the command line being
// completed: its --schema file, else the embedded reference schema; nil
// when the file cannot be read (completion then offers nothing rather
// than failing).
func completionSchema(cmd *cobra.Command) *dataset.Schema {
	path := ""
	if f := cmd.Flag("schema"); f != nil {
		path = f.Value.String()
	}
	if path == "" || path == "-" {
		s, err := refstudy.Schema("companies")
		if err != nil {
			return nil
		}
		return s
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s, err := dataset.ParseSchema(b, path)
	if err != nil {
		return nil
	}
	return s
}

// schemaFlagKind says what a flag's value names.
type schemaFlagKind int

const (
	varName          schemaFlagKind = iota // one variable
	varList                                // variables, comma-separated
	varLevel                               // VAR=LEVEL
	subgroupSpecFlag                       // VAR, VAR=LEVEL or VAR@median
)

// schemaFlags are the flags completed from the schema, by name.
var schemaFlags = map[string]schemaFlagKind{
	"vars":         varList,
	"cluster-vars": varList,
	"covariates":   varList,
	"nonnormal":    varList,
	"strata":       varName,
	"by":           subgroupSpecFlag,
	"exposure":     varLevel,
	"ref":          varLevel,
}

// registerGlobalCompletions completes the persistent flags whose values
// are a closed set (--format, --lang, --encoding), and --sheet with the
// sheets of the --data workbook.
func registerGlobalCompletions(root *cobra.Command) {
	fixed := map[string][]string{
		"format":   render.Formats,
		"lang":     i18n.Languages,
		"encoding": dataset.Encodings,
	}
	for name, values := range fixed {
		_ = root.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	}
	_ = root.RegisterFlagCompletionFunc("sheet", func(c *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		if f := c.Flag("data"); f != nil && f.Value.String() != "" {
			if b, err := os.ReadFile(f.Value.String()); err == nil {
				for _, name := range dataset.SheetNames(b) {
					if strings.HasPrefix(name, toComplete) {
						out = append(out, name)
					}
				}
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// registerSchemaCompletions lets the shell complete the flags of cmd and
// its subcommands that name variables (and VAR=LEVEL pairs) with the
// schema's fields and categories.
func registerSchemaCompletions(cmd *cobra.Command) {
	for name, kind := range schemaFlags {
		if cmd.LocalFlags().Lookup(name) == nil {
			continue
		}
		kind := kind
		_ = cmd.RegisterFlagCompletionFunc(name, func(c *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return completeSchemaValue(completionSchema(c), kind, toComplete)
		})
	}
	for _, sub := range cmd.Commands() {
		registerSchemaCompletions(sub)
	}
}

// completeSchemaValue returns the completions of toComplete for a flag of
// the given kind.
func completeSchemaValue(s *dataset.Schema, kind schemaFlagKind, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	const noFile = cobra.ShellCompDirectiveNoFileComp
	if s == nil {
		return nil, noFile
	}
	var out []cobra.Completion
	switch {
	case kind == varList:
		// Complete the item after the last comma; skip the ones given.
		done, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			done, last = toComplete[:i+1], toComplete[i+1:]
		}
		given := map[string]bool{}
		for _, v := range strings.Split(done, ",") {
			given[v] = true
		}
		for _, f := range s.Fields {
			if !given[f.Name] && strings.HasPrefix(f.Name, last) {
				out = append(out, done+f.Name)
			}
		}
		return out, noFile | cobra.ShellCompDirectiveNoSpace
	case (kind == varLevel || kind == subgroupSpecFlag) && strings.Contains(toComplete, "="):
		name, _, _ := strings.Cut(toComplete, "=")
		if f, ok := s.Field(name); ok {
			for _, c := range f.CategoryCodes() {
				if v := name + "=" + c; strings.HasPrefix(v, toComplete) {
					out = append(out, v)
				}
			}
		}
		return out, noFile
	case kind == subgroupSpecFlag && strings.Contains(toComplete, "@"):
		name, _, _ := strings.Cut(toComplete, "@")
		if f, ok := s.Field(name); ok && f.IsNumeric() && !f.IsCategorical() {
			if v := name + "@median"; strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, noFile
	case kind == varLevel:
		// VAR= first, for the categorical variables: their levels next.
		for _, f := range s.Fields {
			if f.IsCategorical() && strings.HasPrefix(f.Name, toComplete) {
				out = append(out, f.Name+"=")
			}
		}
		return out, noFile | cobra.ShellCompDirectiveNoSpace
	}
	for _, f := range s.Fields {
		if strings.HasPrefix(f.Name, toComplete) {
			out = append(out, f.Name)
		}
	}
	return out, noFile
}
