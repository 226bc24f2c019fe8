package refstudy

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/reftest"
)

type rTrend struct {
	Year        int  `json:"year"`
	Products    int  `json:"products"`
	Cumulative  int  `json:"cumulative"`
	Change      *int `json:"change"`
	Biotech     int  `json:"biotech"`
	Traditional int  `json:"traditional"`
}

// embedded loads the embedded companies and products.
func embedded(t *testing.T) (companies, products *dataset.Table) {
	t.Helper()
	var err error
	if companies, err = dataset.Load(bytes.NewReader(CompaniesCSV), "companies.csv", schemaOf(t, "companies"), dataset.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if products, err = dataset.Load(bytes.NewReader(ProductsCSV), "products.csv", schemaOf(t, "products"), dataset.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return companies, products
}

// TestProductsMatchR checks the trend and the portfolio of the reference
// data against testdata/reference/describe (R's table and cumsum).
func TestProductsMatchR(t *testing.T) {
	var want struct {
		Trend             []rTrend       `json:"trend"`
		BiotechShareCases float64        `json:"biotech_share_cases"`
		Modality          map[string]int `json:"modality"`
		Indication        map[string]int `json:"indication"`
	}
	reftest.Load(t, "testdata/reference/describe/companies.json", &want)
	got, err := Products(embedded(t))
	if err != nil {
		t.Fatal(err)
	}
	// The trend is compared through its JSON, whose per-group keys
	// (biotech, traditional) are R's columns.
	b, err := json.Marshal(got.Trend)
	if err != nil {
		t.Fatal(err)
	}
	var gotTrend []rTrend
	if err := json.Unmarshal(b, &gotTrend); err != nil {
		t.Fatal(err)
	}
	if len(gotTrend) != len(want.Trend) {
		t.Fatalf("trend has %d years, R %d", len(gotTrend), len(want.Trend))
	}
	for i, w := range want.Trend {
		g := gotTrend[i]
		if g.Year != w.Year || g.Products != w.Products || g.Cumulative != w.Cumulative || g.Biotech != w.Biotech || g.Traditional != w.Traditional ||
			(w.Change == nil) != (g.Change == nil) || (w.Change != nil && *w.Change != *g.Change) {
			t.Errorf("trend %d differs from R: got %+v, R %+v", w.Year, g, w)
		}
	}
	seen := 0
	for _, f := range got.Portfolio {
		switch f.Table {
		case "product_modality":
			if f.N != want.Modality[f.Level] {
				t.Errorf("modality %s: %d, R %d", f.Level, f.N, want.Modality[f.Level])
			}
			seen++
		case "product_indication":
			if f.N != want.Indication[f.Level] {
				t.Errorf("indication %s: %d, R %d", f.Level, f.N, want.Indication[f.Level])
			}
			seen++
		case "cases_company_type":
			if f.Level == "biotech" {
				reftest.Rel(t, "biotech share among cases", f.Percent/100, want.BiotechShareCases, 1e-12)
				seen++
			}
		}
	}
	if seen != len(want.Modality)+len(want.Indication)+1 {
		t.Errorf("portfolio rows compared: %d", seen)
	}
	tables := got.Tables("")
	if len(tables) != 2 || tables[0].Name != "trend" || len(tables[0].Rows) != len(want.Trend) || tables[1].Name != "portfolio" || len(tables[1].Rows) != len(got.Portfolio) {
		t.Errorf("tables: %+v", tables)
	}
	if figs := got.Figures(""); len(figs) != 1 || figs[0].Err != nil || !figs[0].Lead {
		t.Errorf("figures: %+v", figs)
	}
}

// A products table without overseas years gives an empty section, not
// an error, and no tables or figures.
func TestProductsWithoutYears(t *testing.T) {
	companies, _ := embedded(t)
	s, err := dataset.ParseSchema([]byte(`{"fields": [{"name": "product_id", "role": "id"}, {"name": "company_id"}]}`), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := dataset.Load(bytes.NewReader([]byte("product_id,company_id\nP1,C002\n")), "p.csv", s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Products(companies, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Trend) != 0 || len(got.Tables("")) != 0 || len(got.Figures("")) != 0 {
		t.Errorf("got %+v", got)
	}
}
