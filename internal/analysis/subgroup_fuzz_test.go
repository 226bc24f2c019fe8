package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
)

// maxSpecMessage bounds a --by error: the SPEC, the name and the level are
// each quoted elided, the valid choices listed elided.
const maxSpecMessage = 2000

// FuzzParseSubgroupSpec: any SPEC against the reference study's schema
// is a split of a field that may define subgroups, consistent with the
// SPEC's separator, or an error of bounded size; never a panic.
func FuzzParseSubgroupSpec(f *testing.F) {
	s, err := refstudy.Schema("companies")
	if err != nil {
		f.Fatal(err)
	}
	for _, spec := range DefaultSpecsFor(s) {
		f.Add(spec)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		// A hang becomes a crash with every goroutine's stack, which the
		// fuzzer saves with its input (see dataset's watchdog).
		timer := time.AfterFunc(20*time.Second, func() {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			panic(fmt.Sprintf("parseSubgroupSpec: no result after 20 s (a hang):\n%s", buf[:n]))
		})
		defer timer.Stop()
		checkSpec(t, s, spec)
	})
}

func checkSpec(t *testing.T, s *dataset.Schema, spec string) {
	t.Helper()
	sp, err := parseSubgroupSpec(s, spec)
	if err != nil {
		if len(err.Error()) > maxSpecMessage {
			t.Fatalf("--by %.100q: message of %d bytes (bound %d)", spec, len(err.Error()), maxSpecMessage)
		}
		return
	}
	if sp.field == nil || sp.field.Role == dataset.RoleID || sp.field.Role == dataset.RoleOutcome {
		t.Fatalf("--by %q: accepted field %+v", spec, sp.field)
	}
	switch sp.kind {
	case splitLevel:
		if !strings.Contains(spec, "=") || sp.level < 0 || sp.level >= len(sp.field.Categories) {
			t.Fatalf("--by %q: level %d of %d categories", spec, sp.level, len(sp.field.Categories))
		}
	case splitCut:
		if !strings.Contains(spec, "@") || !sp.field.IsNumeric() || (!sp.median && (math.IsNaN(sp.at) || math.IsInf(sp.at, 0))) {
			t.Fatalf("--by %q: cut %+v", spec, sp)
		}
	case splitCategorical:
		if !sp.field.IsCategorical() {
			t.Fatalf("--by %q: categorical split of a non-categorical field", spec)
		}
	case splitBinary:
		if !sp.field.IsBinary() {
			t.Fatalf("--by %q: binary split of a non-binary field", spec)
		}
	}
}

// TestSubgroupSpecMessagesBounded: a 1 MB SPEC and an unknown level of a
// field with 10^5 categories give messages of bounded size that still
// name the problem and count what they leave out.
func TestSubgroupSpecMessagesBounded(t *testing.T) {
	cats := make([]string, 100000)
	for i := range cats {
		cats[i] = fmt.Sprintf("level%d", i)
	}
	cb, err := json.Marshal(cats)
	if err != nil {
		t.Fatal(err)
	}
	js := fmt.Sprintf(`{"fields": [{"name": "y", "type": "integer", "role": "outcome"}, {"name": "many", "type": "string", "categories": %s}]}`, cb)
	s, err := dataset.ParseSchema([]byte(js), "many.json")
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("x", 1<<20)
	cases := map[string]string{
		huge:                   "unknown subgroup variable",
		"many=" + huge:         "unknown level",
		"many=nope":            "… and 99980 more",
		"y@" + huge:            "unknown subgroup variable",
		"many@" + huge:         "not continuous",
		strings.Repeat("=", 9): "unknown subgroup variable",
	}
	for spec, frag := range cases {
		_, err := parseSubgroupSpec(s, spec)
		if err == nil {
			t.Errorf("--by %.40q: accepted", spec)
			continue
		}
		if len(err.Error()) > maxSpecMessage {
			t.Errorf("--by %.40q: message of %d bytes", spec, len(err.Error()))
		}
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("--by %.40q: %.300q lacks %q", spec, err, frag)
		}
	}
}
