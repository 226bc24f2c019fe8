package logit

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWarningJSONIsItsMessage: a warning encodes exactly as its message
// string would, with and without HTML escaping, so typed warnings leave
// every JSON output as it was.
func TestWarningJSONIsItsMessage(t *testing.T) {
	ws := []Warning{{Code: WarnLowEPV, Message: `events per variable 3 < 10 & "quoted"`}, {Code: WarnProfile, Message: "ünïcode"}}
	for _, escape := range []bool{true, false} {
		enc := func(v any) string {
			var b bytes.Buffer
			e := json.NewEncoder(&b)
			e.SetEscapeHTML(escape)
			if err := e.Encode(v); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		if got, want := enc(ws), enc(Messages(ws)); got != want {
			t.Errorf("escape %v: %s, want %s", escape, got, want)
		}
	}
	var back []Warning
	b, _ := json.Marshal(ws)
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 2 || back[0].Message != ws[0].Message || back[1].Message != ws[1].Message {
		t.Errorf("read back: %v %+v", err, back)
	}
}

// TestChoicesRefuseUnknownValues: a typed option accepts exactly its
// listed spellings and names them when it refuses one.
func TestChoicesRefuseUnknownValues(t *testing.T) {
	var m Method
	if err := m.Set("firth"); err != nil || m != MethodFirth {
		t.Errorf("Set(firth): %v, %q", err, m)
	}
	if err := m.Set("Firth"); err == nil || err.Error() != "expected one of mle, firth, auto" || m != MethodFirth {
		t.Errorf("Set(Firth): %v, value %q", err, m)
	}
	var c CI
	if err := c.Set("exact"); err == nil || err.Error() != "expected one of profile, wald" {
		t.Errorf("CI Set(exact): %v", err)
	}
	var s Criterion
	if err := s.Set("bic"); err == nil || err.Error() != "expected one of aic, lr" {
		t.Errorf("Criterion Set(bic): %v", err)
	}
}
