package logit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Selection actions.
const (
	ActionStart  = "start"
	ActionRemove = "remove"
	ActionEnter  = "enter"
)

// SelectionStep is one move of a stepwise procedure. For StepAIC the
// fields follow R's step()$anova (Df and Deviance are the change, AIC the
// new model's); for ForwardLR Statistic/DF/PValue are the LR test of the
// move.
type SelectionStep struct {
	Action    string  `json:"action"`
	Term      string  `json:"term"`
	DF        int     `json:"df"`
	Deviance  float64 `json:"deviance"`
	ResidDF   int     `json:"resid_df"`
	ResidDev  float64 `json:"resid_deviance"`
	AIC       float64 `json:"aic"`
	Statistic float64 `json:"statistic"`
	PValue    float64 `json:"p_value"`
}

// Selection is the path and result of an exploratory model selection.
type Selection struct {
	Method string          `json:"method"`
	Steps  []SelectionStep `json:"steps"`
	Design *Design         `json:"-"`
	Model  *Model          `json:"model"`
}

// subFit is the deviance and rank of a sub-model.
type subFit struct {
	dev  float64
	rank int
}

// fitGroups fits the model with the intercept (if any) and the listed term
// groups as glm would, without standard errors or statistics.
func fitGroups(d *Design, groups []int, opts Options) (subFit, error) {
	sd := SubDesign(d, groups)
	n := len(d.Y)
	if sd.X == nil {
		mu := make([]float64, n)
		for i := range mu {
			mu[i] = 0.5
		}
		return subFit{dev: BinomialDeviance(d.Y, mu)}, nil
	}
	f, err := irls(sd.X, d.Y, nil, nil, opts.Tol, opts.MaxIter, false)
	if err != nil {
		return subFit{}, err
	}
	_, p := sd.X.Dims()
	return subFit{dev: f.dev, rank: p}, nil
}

// SubDesign keeps the intercept (if any) and the columns of the listed
// term groups (indices into d.Groups), renumbering Assign and Groups in the
// original order. Under marginality the columns equal R's model.matrix of
// the reduced formula.
func SubDesign(d *Design, groups []int) *Design {
	keep := map[int]bool{0: true}
	for _, g := range groups {
		keep[g] = true
	}
	drop := map[string]bool{}
	for j, a := range d.Assign {
		if !keep[a] {
			drop[d.Names[j]] = true
		}
	}
	return DropColumns(d, drop)
}

// DropColumns removes the named columns, and the term groups left with no
// column, renumbering Assign and Groups in the original order: R's glm
// estimates an aliased column as NA, which is fitting without it.
func DropColumns(d *Design, drop map[string]bool) *Design {
	used := map[int]bool{0: true}
	var cols []int
	for j, n := range d.Names {
		if !drop[n] {
			cols = append(cols, j)
			used[d.Assign[j]] = true
		}
	}
	newIndex := map[int]int{}
	out := &Design{Y: d.Y}
	for g, name := range d.Groups {
		if used[g] {
			newIndex[g] = len(out.Groups)
			out.Groups = append(out.Groups, name)
		}
	}
	for _, j := range cols {
		out.Names = append(out.Names, d.Names[j])
		out.Assign = append(out.Assign, newIndex[d.Assign[j]])
	}
	out.X = selectColumns(d.X, cols)
	return out
}

// termVars splits an R term label into its variables at top-level ':'
// ("log(a:b)" stays whole).
func termVars(label string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range label {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ':':
			if depth == 0 {
				out = append(out, label[start:i])
				start = i + 1
			}
		}
	}
	return append(out, label[start:])
}

// termContains reports whether term a's variables are all in term b.
func termContains(b, a string) bool {
	vb := termVars(b)
	for _, v := range termVars(a) {
		if !slices.Contains(vb, v) {
			return false
		}
	}
	return true
}

// droppable lists the groups in cur that no other group in cur contains,
// as R's drop.scope: a main effect stays while an interaction with it does.
func droppable(d *Design, cur []int) []int {
	var out []int
	for _, g := range cur {
		ok := true
		for _, h := range cur {
			if h != g && termContains(d.Groups[h], d.Groups[g]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, g)
		}
	}
	return out
}

// enterable lists the groups not in cur whose lower-order terms present in
// the full design are all in cur.
func enterable(d *Design, cur []int) []int {
	var out []int
	for g := 1; g < len(d.Groups); g++ {
		if slices.Contains(cur, g) {
			continue
		}
		ok := true
		for h := 1; h < len(d.Groups); h++ {
			if h != g && termContains(d.Groups[g], d.Groups[h]) && !slices.Contains(cur, h) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, g)
		}
	}
	return out
}

// presentGroups lists the non-intercept groups that have columns.
func presentGroups(d *Design) []int {
	var out []int
	for g := 1; g < len(d.Groups); g++ {
		if slices.Contains(d.Assign, g) {
			out = append(out, g)
		}
	}
	return out
}

func groupsWithout(cur []int, g int) []int {
	out := make([]int, 0, len(cur))
	for _, h := range cur {
		if h != g {
			out = append(out, h)
		}
	}
	return out
}

// StepAIC is backward elimination by AIC = D + 2p as R's
// step(fit, direction = "backward"): at each step every droppable term
// group (respecting marginality) is removed in turn, and the removal with
// the lowest AIC is made if it is lower than the current model's; the
// procedure stops when no removal lowers AIC. Exploratory only.
func StepAIC(d *Design, opts Options) (*Selection, error) {
	if err := validateDesign(d); err != nil {
		return nil, err
	}
	opts = withDefaults(opts)
	if al := Aliased(d.X); len(al) > 0 {
		return nil, errors.New("logit: stepwise selection needs a design without aliased columns")
	}
	cur := presentGroups(d)
	f, err := fitGroups(d, cur, opts)
	if err != nil {
		return nil, err
	}
	n := len(d.Y)
	aic := f.dev + 2*float64(f.rank)
	sel := &Selection{Method: "backward AIC", Steps: []SelectionStep{{
		Action: ActionStart, ResidDF: n - f.rank, ResidDev: f.dev, AIC: aic,
	}}}
	for {
		bestG, best := -1, subFit{}
		bestAIC := aic
		for _, g := range droppable(d, cur) {
			s, err := fitGroups(d, groupsWithout(cur, g), opts)
			if err != nil {
				return nil, err
			}
			// Strict '<' keeps R's order() tie-breaking: "<none>" first,
			// then terms in formula order.
			if a := s.dev + 2*float64(s.rank); a < bestAIC {
				bestG, best, bestAIC = g, s, a
			}
		}
		if bestG < 0 || bestAIC >= aic+1e-7 {
			break
		}
		sel.Steps = append(sel.Steps, SelectionStep{
			Action: ActionRemove, Term: d.Groups[bestG],
			DF: f.rank - best.rank, Deviance: best.dev - f.dev,
			ResidDF: n - best.rank, ResidDev: best.dev, AIC: bestAIC,
		})
		cur, f, aic = groupsWithout(cur, bestG), best, bestAIC
	}
	return finishSelection(d, cur, opts, sel)
}

// ForwardLR is SPSS's Forward:LR as specified for ccstudy: start from the
// intercept; enter the term group (whose lower-order terms are already in)
// with the smallest likelihood-ratio p below pEnter; after each entry
// remove, one at a time and largest p first, any group whose removal LR
// test has p above pRemove. (SPSS itself uses the score test for entry.)
// Exploratory only.
func ForwardLR(d *Design, opts Options, pEnter, pRemove float64) (*Selection, error) {
	if err := validateDesign(d); err != nil {
		return nil, err
	}
	opts = withDefaults(opts)
	if !(pEnter > 0 && pEnter < pRemove && pRemove < 1) {
		return nil, fmt.Errorf("logit: need 0 < pEnter (%g) < pRemove (%g) < 1", pEnter, pRemove)
	}
	if al := Aliased(d.X); len(al) > 0 {
		return nil, errors.New("logit: stepwise selection needs a design without aliased columns")
	}
	var cur []int
	f, err := fitGroups(d, cur, opts)
	if err != nil {
		return nil, err
	}
	sel := &Selection{Method: "forward LR"}
	lr := func(small, big subFit) (float64, int, float64) {
		stat := small.dev - big.dev
		df := big.rank - small.rank
		return stat, df, distuv.ChiSquared{K: float64(df)}.Survival(math.Max(stat, 0))
	}
	// Each entry is followed by removals; a cap guards against cycling.
	for iter := 0; iter < 2*len(d.Groups)+10; iter++ {
		bestG, bestP := -1, pEnter
		var best subFit
		var bestStat float64
		var bestDF int
		for _, g := range enterable(d, cur) {
			s, err := fitGroups(d, append(slices.Clone(cur), g), opts)
			if err != nil {
				return nil, err
			}
			stat, df, pv := lr(f, s)
			if pv < bestP {
				bestG, bestP, best, bestStat, bestDF = g, pv, s, stat, df
			}
		}
		if bestG < 0 {
			break
		}
		cur = append(cur, bestG)
		slices.Sort(cur)
		f = best
		sel.Steps = append(sel.Steps, SelectionStep{
			Action: ActionEnter, Term: d.Groups[bestG], DF: bestDF,
			Statistic: bestStat, PValue: bestP, ResidDF: len(d.Y) - f.rank, ResidDev: f.dev,
			AIC: f.dev + 2*float64(f.rank),
		})
		for {
			worstG, worstP := -1, pRemove
			var worst subFit
			var worstStat float64
			var worstDF int
			for _, g := range droppable(d, cur) {
				s, err := fitGroups(d, groupsWithout(cur, g), opts)
				if err != nil {
					return nil, err
				}
				stat, df, pv := lr(s, f)
				if pv > worstP {
					worstG, worstP, worst, worstStat, worstDF = g, pv, s, stat, df
				}
			}
			if worstG < 0 {
				break
			}
			cur = groupsWithout(cur, worstG)
			f = worst
			sel.Steps = append(sel.Steps, SelectionStep{
				Action: ActionRemove, Term: d.Groups[worstG], DF: worstDF,
				Statistic: worstStat, PValue: worstP, ResidDF: len(d.Y) - f.rank, ResidDev: f.dev,
				AIC: f.dev + 2*float64(f.rank),
			})
		}
	}
	return finishSelection(d, cur, opts, sel)
}

// finishSelection fits the selected model in full.
func finishSelection(d *Design, cur []int, opts Options, sel *Selection) (*Selection, error) {
	sel.Design = SubDesign(d, cur)
	if sel.Design.X == nil {
		return sel, fmt.Errorf("logit: %s selected an empty model (no intercept, no terms)", sel.Method)
	}
	m, err := Fit(sel.Design, opts)
	if err != nil {
		return nil, err
	}
	var labels []string
	for _, g := range cur {
		labels = append(labels, d.Groups[g])
	}
	m.warn(WarnSelected, fmt.Sprintf("model chosen by %s selection (exploratory): %s",
		sel.Method, strings.Join(labels, " + ")))
	sel.Model = m
	return sel, nil
}
