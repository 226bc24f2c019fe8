package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// selectTable applies --table: the document reduced to the named table
// (its JSON the table's tidy rows), or a usage error listing the names
// of the command's tables.
func (g *GlobalOptions) selectTable(doc *render.Document) (*render.Document, error) {
	if g.Table == "" {
		return doc, nil
	}
	d, err := render.SelectTable(doc, g.Table)
	var ue *render.UnknownTableError
	if errors.As(err, &ue) {
		return nil, usageError{err}
	}
	return d, err
}

// fixedTableNames are the tables a command always or usually writes, for
// shell completion of --table (names that depend on the data, such as
// subgroup's or_SPEC and interactions_SPEC, are not listed: an unknown
// name's error lists them).
var fixedTableNames = map[string][]string{
	"validate": {"missing"},
	"schema":   {"schema_companies", "schema_products"},
	"cluster":  {"k_selection", "clusters", "profiles", "centers"},
	"subgroup": {"ranking", "mantel_haenszel", "mantel_haenszel_strata"},
	"power":    {"power", "target"},
	"version":  {"version"},
}

// completeTableNames completes --table with the command's fixed table names.
func completeTableNames(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return fixedTableNames[cmd.Name()], cobra.ShellCompDirectiveNoFileComp
}

// maxNotedTables bounds the table names csvBlocksNote lists.
const maxNotedTables = 12

// csvBlocksNote tells, on standard error and not with --quiet, that
// --format csv wrote several differently-shaped "# name" blocks, and how
// to get one table that read.csv reads as a data frame.
func (g *GlobalOptions) csvBlocksNote(doc *render.Document) {
	if g.Format != "csv" || len(doc.Tables) < 2 {
		return
	}
	names := render.TableNames(doc)
	list := strings.Join(names[:min(len(names), maxNotedTables)], ", ")
	if len(names) > maxNotedTables {
		list += fmt.Sprintf(" and %d more", len(names)-maxNotedTables)
	}
	g.notice("note: --format csv wrote %d tables as \"# name\" blocks (%s); --table NAME writes one table alone", len(names), list)
}

// markSynthetic labels doc as drawn from synthetic data: the notice in
// lang as its first preamble line (the "# " lines of CSV, the bold line
// of HTML and docx) and, through Document.Synthetic, "synthetic": true and
// the notice at the top of its JSON.
func markSynthetic(doc *render.Document, lang string) {
	n := refstudy.NoticeIn(lang)
	doc.Preamble = append(doc.Preamble, n)
	doc.Synthetic = n
}
