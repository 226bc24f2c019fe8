package figures

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Realistic inputs shaped like the report's (synthetic numbers, typed here
// only to exercise layout; nothing is compared against them).

func exampleProducts() ([]int, [][]int, []string) {
	years := []int{2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023}
	counts := [][]int{
		{0, 1, 1, 2, 3, 5, 8, 11, 14, 17, 15, 12},
		{1, 0, 1, 1, 2, 2, 4, 5, 7, 6, 8, 6},
		{0, 0, 0, 1, 0, 1, 1, 2, 3, 4, 3, 5},
	}
	return years, counts, []string{"Biotech", "Traditional pharma", "CXO / platform"}
}

func exampleForestRows() []ForestRow {
	return []ForestRow{
		{Label: "company_type = biotech (vs traditional)", OR: 2.41, Low: 1.18, High: 4.92, Note: "2.41 (1.18–4.92)"},
		{Label: "log(R&D expenditure, CNY m)", OR: 1.85, Low: 1.32, High: 2.61, Note: "1.85 (1.32–2.61)"},
		{Label: "R&D staff share (per 10 %)", OR: 1.12, Low: 0.91, High: 1.38, Note: "1.12 (0.91–1.38)"},
		{Label: "Founder returnee", OR: 3.05, Low: 1.41, High: 6.60, Note: "3.05 (1.41–6.60)"},
		{Label: "Listed on HKEX 18A", OR: 4.80, Low: 1.60, High: math.Inf(1), Note: "4.80 (1.60–∞)"},
		{Label: "Foreign VC investor", OR: 1.60, Low: 0.72, High: 3.55, Note: "1.60 (0.72–3.55)"},
		{Label: "Firm age (years)", OR: 0.96, Low: 0.90, High: 1.02, Note: "0.96 (0.90–1.02)"},
		{Label: "Province = Jiangsu", OR: 0.55, Low: 0.21, High: 1.44, Note: "0.55 (0.21–1.44)"},
		{Label: "Province = Shanghai", OR: 1.31, Low: 0.58, High: 2.96, Note: "1.31 (0.58–2.96)"},
		{Label: "Province = Zhejiang", OR: 0.80, Low: 0.30, High: 2.10, Note: "0.80 (0.30–2.10)"},
		{Label: "Oncology focus", OR: 2.20, Low: 1.05, High: 4.61, Note: "2.20 (1.05–4.61)"},
		{Label: "Licensing-in deals (n)", OR: 1.35, Low: 1.02, High: 1.79, Note: "1.35 (1.02–1.79)"},
		{Label: "Government innovation award", OR: 0.12, Low: 0, High: 0.95, Note: "0.12 (0–0.95)"},
		{Label: "Patents (per 10)", OR: 1.08, Low: 0.99, High: 1.18, Note: "1.08 (0.99–1.18)"},
		{Label: "Quasi-separated dummy", OR: math.NaN(), Low: math.NaN(), High: math.NaN(), Note: "not estimable"},
	}
}

func exampleCrude(rows []ForestRow) []ForestRow {
	out := make([]ForestRow, len(rows))
	for i, r := range rows {
		out[i] = ForestRow{Label: r.Label, OR: r.OR * 1.3, Low: r.Low * 1.25, High: r.High * 1.4}
	}
	return out
}

func exampleSubgroups() []SubgroupPanel {
	return []SubgroupPanel{
		{Variable: "company_type", InteractionP: 0.214, Rows: []ForestRow{
			{Label: "company_type = biotech", OR: 2.31, Low: 1.21, High: 4.40, Note: "n = 96 (58 cases)"},
			{Label: "company_type = traditional", OR: 1.22, Low: 0.61, High: 2.43, Note: "n = 84 (32 cases)"},
		}},
		{Variable: "listing_board", InteractionP: 0.0004, Rows: []ForestRow{
			{Label: "listing_board = STAR", OR: 3.90, Low: 1.70, High: 8.95, Note: "n = 60"},
			{Label: "listing_board = HKEX", OR: 2.10, Low: 0.95, High: 4.64, Note: "n = 70"},
			{Label: "listing_board = unlisted", OR: 0.70, Low: 0.25, High: 1.96, Note: "n = 50"},
		}},
		{Variable: "region", InteractionP: math.NaN(), Rows: []ForestRow{
			{Label: "region = Yangtze delta", OR: 1.60, Low: 0.90, High: 2.84},
			{Label: "region = other", OR: 1.10, Low: 0, High: math.Inf(1), Note: "sparse"},
		}},
	}
}

func exampleK() (k []int, wss, sil, gap, se []float64) {
	k = []int{1, 2, 3, 4, 5, 6, 7, 8}
	wss = []float64{3420, 2510, 1890, 1650, 1490, 1370, 1280, 1200}
	sil = []float64{math.NaN(), 0.31, 0.38, 0.33, 0.29, 0.27, 0.26, 0.24}
	gap = []float64{0.52, 0.61, 0.70, 0.71, math.NaN(), 0.74, 0.75, 0.755}
	se = []float64{0.021, 0.02, 0.019, 0.02, math.NaN(), 0.021, 0.022, 0.022}
	return
}

func exampleHeatmap(ncol int) ([][]float64, []string, []string) {
	base := []string{"company_type=biotech", "company_type=traditional", "log_rd_expense", "rd_staff_share",
		"founder_returnee", "hkex_18a", "star_market", "foreign_vc", "firm_age", "oncology_focus",
		"licensing_in", "patents_per_10", "province=Jiangsu", "province=Shanghai", "province=Zhejiang",
		"province=Beijing", "province=Guangdong", "province=other", "employees_log", "revenue_log",
		"gov_award", "clinical_pipeline", "biologics_share", "platform_tech", "cmc_inhouse",
		"national_key_lab", "academician", "overseas_staff"}
	cols := base[:ncol]
	rows := []string{"Cluster 1 (n = 52)", "Cluster 2 (n = 71)", "Cluster 3 (n = 38)", "Cluster 4 (n = 19)"}
	vals := make([][]float64, len(rows))
	for r := range rows {
		vals[r] = make([]float64, ncol)
		for c := range vals[r] {
			vals[r][c] = 1.8 * math.Sin(float64(3*r+c)*0.9+float64(r))
		}
	}
	return vals, rows, cols
}

// TestPreview writes PNGs of realistic figures to $FIGURES_PREVIEW so a
// person can look at them; it is skipped otherwise.
func TestPreview(t *testing.T) {
	dir := os.Getenv("FIGURES_PREVIEW")
	if dir == "" {
		t.Skip("set FIGURES_PREVIEW=/some/dir to write preview PNGs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, build := range exampleFigures() {
		f, err := build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := f.PNG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), s, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func exampleFigures() map[string]func() (*Figure, error) {
	return map[string]func() (*Figure, error){
		"products": func() (*Figure, error) {
			y, c, g := exampleProducts()
			return ProductsPerYear(y, c, g, "Internationalised products per year by company type")
		},
		"forest": func() (*Figure, error) {
			return Forest(exampleForestRows(), ForestOptions{Title: "Adjusted odds ratios of running trials abroad", NoteHeader: "OR (95% CI)"})
		},
		"forest2": func() (*Figure, error) {
			rows := exampleForestRows()
			return Forest(rows, ForestOptions{Title: "Crude and adjusted odds ratios", Second: exampleCrude(rows)})
		},
		"subgroup": func() (*Figure, error) {
			return SubgroupForest("log(R&D expenditure)", exampleSubgroups(), ForestOptions{NoteHeader: "Stratum"})
		},
		"kselect": func() (*Figure, error) {
			k, w, sl, g, se := exampleK()
			return KSelection(k, w, sl, g, se, 3)
		},
		"heatmap28": func() (*Figure, error) {
			v, r, c := exampleHeatmap(28)
			return Heatmap(v, r, c, "Cluster profiles (standardized centres)")
		},
		"heatmap8": func() (*Figure, error) {
			v, r, c := exampleHeatmap(8)
			v[1][2] = math.NaN()
			return Heatmap(v, r, c, "Cluster profiles (standardized centres)")
		},
		"caseshare": func() (*Figure, error) {
			return CaseShare([]string{"Cluster 1", "Cluster 2", "Cluster 3", "Cluster 4"},
				[]float64{0.73, 0.41, 0.50, 0.16}, []int{52, 71, 38, 19}, 0.5, "Share of cases per cluster")
		},
	}
}
