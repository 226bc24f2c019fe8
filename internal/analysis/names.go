package analysis

import (
	"strings"
	"unicode/utf8"

	"github.com/ccstudy/ccstudy/dataset"
)

// maxSuggestRunes is the longest name a did-you-mean search compares: the
// edit distance costs len(a)·len(b), and a text far longer than a field
// name is no misspelling of one (dataset bounds its own searches alike).
const maxSuggestRunes = 64

// didYouMean is "; did you mean dev_years?" for a name close to one of
// valid, or "". Messages about a variable the data lacks end their
// "(valid: …)" list with it, as dataset's unknown-variable message does.
func didYouMean(name string, valid []string) string {
	if utf8.RuneCountInString(name) > maxSuggestRunes {
		return ""
	}
	sg := dataset.Suggest(name, valid)
	if len(sg) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(sg, " or ") + "?"
}

// unknownNamef is the usage error (exit 2) for a flag naming a variable
// the data lacks: what is wrong, then "(valid: a, b; did you mean a?)"
// with the list elided.
func unknownNamef(what, name string, valid []string) error {
	return optionErrorf("%s %q (valid: %s%s)", what, dataset.ElideValue(name), dataset.ElideList(valid, ", "), didYouMean(name, valid))
}
