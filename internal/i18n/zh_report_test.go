package i18n

import (
	"regexp"
	"slices"
	"testing"
)

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// TestReportWordsKeepVerbs: a translation used as a format has the same
// verbs as its English key, so Tf cannot print %!v(MISSING).
func TestReportWordsKeepVerbs(t *testing.T) {
	for _, m := range []map[string]string{zhReport, zhCommon} {
		for en, w := range m {
			a, b := verb.FindAllString(en, -1), verb.FindAllString(w, -1)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("%q → %q: verbs %v vs %v", en, w, a, b)
			}
		}
	}
}
