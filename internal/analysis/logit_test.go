package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
)

// TestLogitResultJSON: the adjusted and crude models are written as one
// "models" list, adjusted first, also when a profile limit is infinite
// (written "Inf", as jsonlite) and whichever encoder writes it.
func TestLogitResultJSON(t *testing.T) {
	model := func(name string, hi float64) *ModelResult {
		return &ModelResult{Model: &logit.Model{Name: name, Method: logit.MethodMLE,
			Terms:    []logit.Term{{Term: "x", ConfHigh: hi, ORConfHigh: math.Exp(hi)}},
			Warnings: []logit.Warning{{Code: logit.WarnProfile, Message: "limit < Inf"}}}}
	}
	res := &LogitResult{Adjusted: model(ModelMultivariable, math.Inf(1)), Crude: []*ModelResult{model("univariable:x", 1), model("univariable:z", 2)}}
	var b bytes.Buffer
	if err := render.WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Models []struct {
			Name     string   `json:"name"`
			Warnings []string `json:"warnings"`
			Terms    []struct {
				ConfHigh any `json:"conf_high"`
			} `json:"terms"`
		} `json:"models"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(got.Models) != 3 || got.Models[0].Name != ModelMultivariable || got.Models[1].Name != "univariable:x" || got.Models[2].Name != "univariable:z" {
		t.Fatalf("models %+v", got.Models)
	}
	if got.Models[0].Terms[0].ConfHigh != "Inf" || got.Models[1].Terms[0].ConfHigh != 1.0 {
		t.Errorf("conf_high %v, %v; want \"Inf\" and 1", got.Models[0].Terms[0].ConfHigh, got.Models[1].Terms[0].ConfHigh)
	}
	if w := got.Models[0].Warnings; len(w) != 1 || w[0] != "limit < Inf" || !strings.Contains(b.String(), `"limit < Inf"`) {
		t.Errorf("warnings %q in %s", w, b.String())
	}
	// Read back (finite limits: "Inf" does not decode into a float64).
	finite, err := json.Marshal(&LogitResult{Adjusted: model(ModelMultivariable, 3), Crude: res.Crude})
	if err != nil {
		t.Fatal(err)
	}
	var back LogitResult
	if err := json.Unmarshal(finite, &back); err != nil || back.Adjusted == nil || back.Adjusted.Name != ModelMultivariable || len(back.Crude) != 2 || back.Crude[1].Name != "univariable:z" {
		t.Errorf("read back: %v %+v", err, back)
	}
	// Inside a larger document (the report's JSON) the list is the same.
	var outer bytes.Buffer
	if err := render.WriteJSON(&outer, map[string]any{"logit": res}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(outer.String(), `"name": "univariable:z"`) {
		t.Errorf("nested: %s", outer.String())
	}
}

// TestLogitSameForAnyGOMAXPROCS: the crude models are fitted in
// parallel; their order and every number must not depend on how many
// run at once. The lung data (missing values: crude samples differ)
// with both crude samples, and the reference study.
func TestLogitSameForAnyGOMAXPROCS(t *testing.T) {
	lung := sgLoad(t, filepath.Join("..", "..", "testdata", "foreign", "lung", "lung.csv"), filepath.Join("..", "..", "testdata", "foreign", "lung", "lung.schema.json"))
	cases := []struct {
		name string
		tab  *dataset.Table
		opts func(*LogitOptions)
	}{
		{"companies", sgLoad(t, companies(t), ""), func(o *LogitOptions) {}},
		{"lung available", lung, func(o *LogitOptions) { o.Covariates = []string{"age", "sex", "ph.karno", "wt.loss", "meal.cal"} }},
		{"lung complete", lung, func(o *LogitOptions) {
			o.Covariates, o.CrudeSample = []string{"age", "sex", "ph.karno", "wt.loss", "meal.cal"}, CrudeComplete
		}},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range cases {
		var outs [][]byte
		for _, procs := range []int{1, 4} {
			runtime.GOMAXPROCS(procs)
			o := DefaultLogitOptions()
			o.Univariable, o.CI = true, logit.CIWald
			c.opts(&o)
			res, err := Logit(c.tab, o)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if len(res.Crude) < 2 {
				t.Fatalf("%s: %d crude models: nothing runs in parallel", c.name, len(res.Crude))
			}
			var b bytes.Buffer
			if err := render.WriteJSON(&b, res); err != nil {
				t.Fatal(err)
			}
			outs = append(outs, b.Bytes())
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s: JSON differs between GOMAXPROCS 1 and 4", c.name)
		}
	}
}

// TestLogitCrudeCompleteRows: with --crude-sample complete every crude
// model uses exactly the adjusted model's rows (as indices of the table)
// and lists the rows it left out as the adjusted model does; by default a
// crude model can use more.
func TestLogitCrudeCompleteRows(t *testing.T) {
	lung := sgLoad(t, filepath.Join("..", "..", "testdata", "foreign", "lung", "lung.csv"), filepath.Join("..", "..", "testdata", "foreign", "lung", "lung.schema.json"))
	o := DefaultLogitOptions()
	o.Univariable, o.CI, o.Covariates = true, logit.CIWald, []string{"age", "wt.loss", "meal.cal"}
	avail, err := Logit(lung, o)
	if err != nil {
		t.Fatal(err)
	}
	o.CrudeSample = CrudeComplete
	comp, err := Logit(lung, o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(avail.Adjusted.Rows, comp.Adjusted.Rows) {
		t.Fatal("the adjusted model's rows depend on the crude sample")
	}
	for k, m := range comp.Crude {
		if !slices.Equal(m.Rows, comp.Adjusted.Rows) || len(m.Excluded) != len(comp.Adjusted.Excluded) || m.N != comp.Adjusted.N {
			t.Errorf("%s: %d rows (n %d), %d excluded; adjusted %d rows, %d excluded", m.Name, len(m.Rows), m.N, len(m.Excluded), len(comp.Adjusted.Rows), len(comp.Adjusted.Excluded))
		}
		if a := avail.Crude[k]; a.N <= m.N {
			t.Errorf("%s: available n %d not above complete-case n %d (lung has missing values in the other covariates)", a.Name, a.N, m.N)
		}
	}
}
