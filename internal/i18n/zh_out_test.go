package i18n

import (
	"slices"
	"testing"
)

// TestOutWordsKeepVerbs: the messages on where output went and the
// table words added with them keep their English verbs in Chinese, so Tf
// cannot print %!d(MISSING), and each is translated.
func TestOutWordsKeepVerbs(t *testing.T) {
	for en, w := range merge(zhOut, zhOutTables) {
		a, b := verb.FindAllString(en, -1), verb.FindAllString(w, -1)
		if !slices.Equal(a, b) {
			t.Errorf("%q → %q: verbs %v vs %v", en, w, a, b)
		}
		if got := Tf("zh", en, "x", 1, 2); got == Tf("en", en, "x", 1, 2) {
			t.Errorf("%q is not translated", en)
		}
	}
}
