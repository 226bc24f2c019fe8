package main

import (
	"path/filepath"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/internal/report"
)

// profile is what a study brings beside its data: the names the output
// gives it and its defaults. The reference study's comes from
// internal/refstudy; every other study's from its own schema.
type profile struct {
	st *Study
}

// profile picks the study's profile: the reference one for the embedded
// data or the built-in schema, the generic one otherwise.
func (st *Study) profile() profile { return profile{st: st} }

// title names the study in the report's heading: the reference study's
// title, else the schema's title in lang, else "Case-control study:
// <schema name or file name>".
func (p profile) title(lang string) string {
	if p.st.Reference {
		return refstudy.TitleIn(lang)
	}
	s := p.st.Companies.Schema
	if s.Title != "" || len(s.Titles) > 0 {
		return s.DisplayTitle(lang)
	}
	name := s.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(p.st.Companies.Source), filepath.Ext(p.st.Companies.Source))
	}
	return i18n.T(lang, "Case-control study") + ": " + name
}

// notice is stated once at the top of the output: the synthetic-data
// notice for the embedded data, nothing for a user's own.
func (p profile) notice(lang string) string {
	if p.st.Synthetic {
		return refstudy.NoticeIn(lang)
	}
	return ""
}

// outcome names what the outcome means, for "odds ratios of …": the
// outcome field's title in lang, else its description, else its name.
func (p profile) outcome(lang string) string {
	if p.st.Reference {
		return refstudy.OutcomeTitle(lang)
	}
	s := p.st.Companies.Schema
	f, ok := s.Field(s.Outcome())
	switch {
	case !ok:
		return i18n.T(lang, "the outcome")
	case f.Title == "" && len(f.Titles) == 0 && f.Description != "":
		return f.Description
	}
	return f.DisplayTitle(lang)
}

// caseShareCaption is the caption of the share of cases per cluster.
func (p profile) caseShareCaption(lang string) string {
	if p.st.Reference {
		return i18n.Tf(lang, "Share of cases (%s) per cluster", refstudy.CasesAre(lang))
	}
	return i18n.T(lang, "Share of cases per cluster")
}

// subgroups are the default subgroup SPECs: the reference study's six,
// else the fields with role "subgroup".
func (p profile) subgroups(s *dataset.Schema) []string {
	if p.st.Reference {
		return refstudy.DefaultSubgroupSpecs
	}
	return analysis.DefaultSpecsFor(s)
}

// inputRole names the analysed table in the manifest: the reference
// study's "companies", else "data".
func (p profile) inputRole() string {
	if p.st.Reference {
		return "companies"
	}
	return "data"
}

// noSubgroupsMessage says how to get subgroups when a schema has none.
const noSubgroupsMessage = `No subgroups to analyse: the schema marks no field with "role": "subgroup". Mark fields with that role, or give --by SPEC (repeatable), e.g. --by VAR, --by VAR=LEVEL or --by VAR@median.`

// noSubgroupsNote is the report's note on a skipped subgroup step.
const noSubgroupsNote = `no subgroup variables: mark fields with "role": "subgroup" or pass --by`

// productsSection appends the reference study's products section (trend,
// portfolio and their figure) to a describe document when the study has
// a products table, and returns the JSON with the section beside Table 1.
func (p profile) productsSection(res *analysis.DescribeResult, doc *render.Document, lang string) ([]report.Figure, error) {
	if p.st.Products == nil {
		return nil, nil
	}
	pr, err := refstudy.Products(p.st.Companies, p.st.Products)
	if err != nil {
		return nil, err
	}
	doc.Tables = append(doc.Tables, pr.Tables(lang)...)
	doc.JSON = describeWithProducts{res, pr}
	return pr.Figures(lang), nil
}

// describeWithProducts is describe's JSON with the products section's
// trend and portfolio beside Table 1.
type describeWithProducts struct {
	*analysis.DescribeResult
	*refstudy.ProductsResult
}
