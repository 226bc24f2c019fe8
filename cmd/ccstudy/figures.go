package main

import (
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/figures"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/internal/report"
	"github.com/ccstudy/ccstudy/logit"
)

// SyntheticCaption is drawn under every figure of synthetic data. It
// stays English in every --lang: the figures' font (Liberation Sans, as
// for all text drawn inside figures) has no CJK glyphs, so a Chinese
// caption would print as empty boxes in the PNG, PDF and TIFF.
const SyntheticCaption = "Synthetic reference data — not the study's findings"

// captionSynthetic adds SyntheticCaption to each figure drawn by the
// figures package (a Drawing of another kind is left as it is).
func captionSynthetic(figs []report.Figure) []report.Figure {
	out := make([]report.Figure, len(figs))
	for i, f := range figs {
		if fig, ok := f.Drawing.(*figures.Figure); ok && fig != nil {
			f.Drawing = fig.Captioned(SyntheticCaption)
		}
		out[i] = f
	}
	return out
}

func addFigure(out []report.Figure, name, title string, lead bool, fig *figures.Figure, err error) []report.Figure {
	return append(out, report.Figure{Name: name, Title: title, Lead: lead, Drawing: fig, Err: err})
}

// figureText is label where the figures' font can draw it, else code: the
// schema's titles and labels ("Company type: Traditional pharma") read
// better than the codes ("company_type[traditional]"), but labels in
// Chinese (--lang zh) would print as empty boxes (Liberation Sans has no
// CJK glyphs), so those figures keep the codes.
func figureText(label, code string) string {
	if label == "" || strings.IndexFunc(label, func(r rune) bool {
		return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
	}) >= 0 {
		return code
	}
	return label
}

func forestRow(t logit.Term, label string) figures.ForestRow {
	return figures.ForestRow{Label: label, OR: t.OddsRatio, Low: t.ORConfLow, High: t.ORConfHigh,
		Note: render.FormatRatioCI(t.OddsRatio, t.ORConfLow, t.ORConfHigh)}
}

// logitFigures is the forest plot of the adjusted and crude odds ratios
// of the study's outcome (named by the profile).
func logitFigures(res *analysis.LogitResult, level float64, p profile, lang string) []report.Figure {
	multi := res.Adjusted
	var adj, crude []figures.ForestRow
	for _, t := range multi.Terms {
		if t.Term == "(Intercept)" {
			continue
		}
		adj = append(adj, forestRow(t, figureText(t.Label, t.Term)))
	}
	for _, m := range res.Crude {
		for _, t := range m.Terms {
			if t.Term != "(Intercept)" {
				crude = append(crude, forestRow(t, figureText(t.Label, t.Term)))
			}
		}
	}
	pct := levelPercent(level)
	fig, err := figures.Forest(adj, figures.ForestOptions{
		// Text drawn inside figures stays English: the PNG font has no
		// CJK glyphs. Captions (in the report) follow --lang.
		Title:      "Adjusted and crude odds ratios of " + p.outcome(lang),
		XLabel:     "Odds ratio (" + pct + " CI, log scale)",
		NoteHeader: "adjusted OR (" + pct + " CI)",
		Second:     crude, SeriesName: "Adjusted (" + methodLabel(multi.Model) + ")", SecondName: "Crude",
	})
	return addFigure(nil, "forest", i18n.T(lang, "Forest plot of adjusted (and crude) odds ratios"), true, fig, err)
}

func clusterFigures(res *analysis.ClusterResult, p profile, lang string) []report.Figure {
	var out []report.Figure
	var ks []int
	var wss, sil, gap, se []float64
	for _, r := range res.Selection {
		ks = append(ks, r.K)
		wss = append(wss, valueOrNaN(r.TotWithinss))
		sil = append(sil, valueOrNaN(r.SilhouetteAvg))
		gap = append(gap, valueOrNaN(r.Gap))
		se = append(se, valueOrNaN(r.GapSE))
	}
	if len(ks) > 0 {
		fig, err := figures.KSelection(ks, wss, sil, gap, se, res.K)
		out = addFigure(out, "k_selection", i18n.T(lang, "Choosing k: elbow, silhouette and gap statistic"), true, fig, err)
	}
	if len(res.Centers) > 0 {
		rows := make([]string, len(res.Centers))
		for i := range rows {
			rows[i] = fmt.Sprintf("cluster %d (n=%d)", i+1, res.Sizes[i])
		}
		fig, err := figures.Heatmap(res.Centers, rows, res.Settings.Columns, "Cluster centres (standardized)")
		out = addFigure(out, "cluster_heatmap", i18n.T(lang, "Cluster profiles: standardized centres"), false, fig, err)
	}
	var labels []string
	var share []float64
	var n []int
	for _, c := range res.Profiles.Clusters {
		if c.CasePercent == nil {
			return out
		}
		labels = append(labels, fmt.Sprintf("cluster %d", c.Cluster))
		share = append(share, *c.CasePercent/100)
		n = append(n, c.Size)
	}
	if o := res.Profiles.Overall.CasePercent; o != nil && len(labels) > 0 {
		fig, err := figures.CaseShare(labels, share, n, *o/100, "Share of cases per cluster")
		out = addFigure(out, "case_share", p.caseShareCaption(lang), false, fig, err)
	}
	return out
}

func subgroupFigures(res *analysis.SubgroupResult, lang string) []report.Figure {
	// One figure per coefficient of the whole-sample model: its OR within
	// every level of every subgroup split, headed by the interaction p.
	var coefs []string
	labels := map[string]string{} // coefficient → its label in --lang
	for _, sp := range res.Subgroups {
		for _, lv := range sp.Levels {
			for _, t := range lv.Terms {
				if _, ok := labels[t.Term]; t.Term != "(Intercept)" && !ok {
					labels[t.Term] = t.Label
					coefs = append(coefs, t.Term)
				}
			}
		}
	}
	var out []report.Figure
	for _, coef := range coefs {
		var panels []figures.SubgroupPanel
		for _, sp := range res.Subgroups {
			p := figures.SubgroupPanel{Variable: figureText(sp.Label, sp.Definition), InteractionP: math.NaN()}
			for _, in := range sp.Interactions {
				if (coef == in.Term || strings.HasPrefix(coef, in.Term+"[")) && in.PValue != nil {
					p.InteractionP = *in.PValue
				}
			}
			for _, lv := range sp.Levels {
				for _, t := range lv.Terms {
					if t.Term == coef {
						p.Rows = append(p.Rows, forestRow(t, figureText(lv.LevelLabel, lv.Level)))
					}
				}
			}
			if len(p.Rows) > 0 {
				panels = append(panels, p)
			}
		}
		if len(panels) == 0 {
			continue
		}
		pct := levelPercent(res.Level)
		fig, err := figures.SubgroupForest(coef, panels, figures.ForestOptions{Title: "Odds ratio of " + figureText(labels[coef], coef) + " by subgroup",
			XLabel: "Odds ratio (" + pct + " CI, log scale)", NoteHeader: "OR (" + pct + " CI)"})
		// The caption is report text, which can be in any script.
		caption := labels[coef]
		if caption == "" {
			caption = coef
		}
		out = addFigure(out, "subgroup_"+report.SafeName(coef), i18n.T(lang, "Subgroup odds ratios of")+" "+caption, false, fig, err)
	}
	return out
}

func valueOrNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}
