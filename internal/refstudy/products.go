package refstudy

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/figures"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/internal/report"
	"github.com/ccstudy/ccstudy/stats"
)

// ProductsResult is the products section of describe and report: the
// products taken abroad per overseas year and the portfolio. Its fields
// sit beside Table 1's in describe's JSON.
type ProductsResult struct {
	Trend     []stats.TrendRow  `json:"trend"`
	Portfolio []stats.Frequency `json:"portfolio"`
}

// Products counts the products per overseas year (stats.Trend, by the
// owning company's type when the companies table has one) and the
// portfolio frequencies as R's table(): products by modality and by
// indication, cases by first overseas year and by company type. A
// products table without overseas_year gives an empty result.
func Products(companies, products *dataset.Table) (*ProductsResult, error) {
	res := &ProductsResult{Trend: []stats.TrendRow{}, Portfolio: []stats.Frequency{}}
	yearCol, ok := products.Col("overseas_year")
	if !ok {
		return res, nil
	}
	years := make([]int, products.NRows())
	for i := range years {
		years[i] = int(yearCol.Num[i])
	}
	var group []int
	var groupNames []string
	if ct, _, err := dataset.Lookup(products, "company_id", companies, "company_id", "company_type"); err == nil && ct.Field.IsCategorical() {
		groupNames = ct.Field.CategoryNames()
		group = make([]int, len(years))
		for i := range group {
			group[i] = -1
			if !ct.Missing[i] {
				group[i] = int(ct.Num[i])
			}
		}
	}
	var err error
	if res.Trend, err = stats.Trend(years, group, groupNames); err != nil {
		return nil, err
	}
	for _, name := range []string{"modality", "indication"} {
		if c, ok := products.Col(name); ok {
			res.Portfolio = append(res.Portfolio, stats.Frequencies("product_"+name, levelsOf(c, nil), c.Field.CategoryNames())...)
		}
	}
	outcome, ok := companies.Col(companies.Schema.Outcome())
	if !ok {
		return res, nil
	}
	var cases []int
	for i := 0; i < companies.NRows(); i++ {
		if !outcome.Missing[i] && outcome.Num[i] == 1 {
			cases = append(cases, i)
		}
	}
	if c, ok := companies.Col("first_overseas_year"); ok {
		res.Portfolio = append(res.Portfolio, stats.Frequencies("cases_first_overseas_year", levelsOf(c, cases), nil)...)
	}
	if c, ok := companies.Col("company_type"); ok {
		res.Portfolio = append(res.Portfolio, stats.Frequencies("cases_company_type", levelsOf(c, cases), c.Field.CategoryNames())...)
	}
	return res, nil
}

// levelsOf returns the text of each selected row (all rows when rows is
// nil), with "(missing)" for missing values so none is dropped.
func levelsOf(c *dataset.Column, rows []int) []string {
	if rows == nil {
		rows = make([]int, len(c.Missing))
		for i := range rows {
			rows[i] = i
		}
	}
	out := make([]string, len(rows))
	for k, i := range rows {
		switch {
		case c.Missing[i]:
			out[k] = "(missing)"
		case c.Field.IsCategorical():
			out[k] = c.Level(i)
		default:
			out[k] = c.Value(i)
		}
	}
	return out
}

// zh holds the products section's fixed words in Chinese; the section
// is the study's own, so its words live here rather than in internal/i18n.
var zh = map[string]string{
	"Internationalised products per overseas year":                                                  "各出海年份的国际化产品数",
	"Portfolio: products by modality and indication; cases by first overseas year and company type": "产品组合：按技术类型与适应症的产品；按首次出海年份与企业类型的病例",
	"Internationalised products per year, by company type":                                          "每年国际化产品数（按企业类型）",
	"Peak: %d products in %d.":                                                                      "峰值：%[2]d 年 %[1]d 个产品。",
	"year":                                                                                          "年份",
	"products":                                                                                      "产品数",
	"change":                                                                                        "变化",
	"cumulative":                                                                                    "累计",
	"table":                                                                                         "表",
	"level":                                                                                         "水平",
	"n":                                                                                             "n",
	"percent":                                                                                       "百分比",
}

func t(lang, en string) string {
	if isZh(lang) {
		if w, ok := zh[en]; ok {
			return w
		}
	}
	return en
}

// Tables renders the trend (with its peak) and the portfolio. Empty when
// the products table had no years.
func (r *ProductsResult) Tables(lang string) []render.Table {
	if len(r.Trend) == 0 {
		return nil
	}
	return []render.Table{r.trendTable(lang), r.portfolioTable(lang)}
}

func (r *ProductsResult) trendTable(lang string) render.Table {
	rows := r.Trend
	tb := render.Table{Name: "trend", Title: t(lang, "Internationalised products per overseas year"),
		Columns: []string{t(lang, "year"), t(lang, "products"), t(lang, "change"), t(lang, "cumulative")}}
	tb.Columns = append(tb.Columns, rows[0].GroupNames...)
	peak := slices.MaxFunc(rows, func(a, b stats.TrendRow) int { return a.Count - b.Count })
	for _, r := range rows {
		change := ""
		if r.Change != nil {
			change = fmt.Sprintf("%+d", *r.Change)
		}
		row := []string{strconv.Itoa(r.Year), strconv.Itoa(r.Count), change, strconv.Itoa(r.Cumulative)}
		for _, g := range r.Groups {
			row = append(row, strconv.Itoa(g))
		}
		tb.Rows = append(tb.Rows, row)
	}
	tb.Notes = []string{fmt.Sprintf(t(lang, "Peak: %d products in %d."), peak.Count, peak.Year)}
	return tb
}

func (r *ProductsResult) portfolioTable(lang string) render.Table {
	tb := render.Table{Name: "portfolio", Title: t(lang, "Portfolio: products by modality and indication; cases by first overseas year and company type"),
		Columns: []string{t(lang, "table"), t(lang, "level"), t(lang, "n"), t(lang, "percent")}}
	for _, f := range r.Portfolio {
		tb.Rows = append(tb.Rows, []string{f.Table, f.Level, strconv.Itoa(f.N), strconv.FormatFloat(f.Percent, 'f', 1, 64)})
	}
	return tb
}

// Figures is the stacked bar chart of products per overseas year by
// company type (a lead figure of its section).
func (r *ProductsResult) Figures(lang string) []report.Figure {
	if len(r.Trend) == 0 {
		return nil
	}
	years := make([]int, len(r.Trend))
	groups := r.Trend[0].GroupNames
	var counts [][]int
	if len(groups) == 0 {
		groups = []string{"products"}
		counts = [][]int{make([]int, len(years))}
		for i, row := range r.Trend {
			counts[0][i] = row.Count
		}
	} else {
		counts = make([][]int, len(groups))
		for g := range groups {
			counts[g] = make([]int, len(years))
		}
		for i, row := range r.Trend {
			for g := range groups {
				counts[g][i] = row.Groups[g]
			}
		}
	}
	for i, row := range r.Trend {
		years[i] = row.Year
	}
	fig, err := figures.ProductsPerYear(years, counts, groups, t(lang, "Internationalised products per overseas year"))
	return []report.Figure{{Name: "products_per_year", Title: t(lang, "Internationalised products per year, by company type"), Lead: true, Drawing: fig, Err: err}}
}
