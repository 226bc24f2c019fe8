package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

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
