package dataset

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bounds that keep every message readable and its size independent of the
// input: a 10 MB cell or a list of 10^5 categories must not become a
// 10 MB error line.
const (
	// maxMessageValue is how many characters of a value a message quotes.
	maxMessageValue = 80
	// maxMessageArg is how many characters of any text a message builder
	// takes in, prepared messages included.
	maxMessageArg = 300
	// maxMessageList is how many items of a list (valid categories, valid
	// names) a message shows before "… and N more".
	maxMessageList = 20
	// maxSuggestRunes is the longest text "did you mean" compares: the
	// edit distance costs len(a)·len(b), and a text far longer than any
	// name is no misspelling of one.
	maxSuggestRunes = 64
	// maxSchemaProblems is how many problems a SchemaError lists before
	// one line counts the rest.
	maxSchemaProblems = 100
	// maxIgnoredColumnWarnings is how many header columns that are not
	// in the schema get a warning line each; one more line counts the rest.
	maxIgnoredColumnWarnings = 5
)

// elide shortens s to its first max characters followed by
// "… (N more characters)"; shorter texts are returned unchanged. It never
// cuts inside a UTF-8 sequence.
func elide(s string, max int) string {
	if len(s) <= max { // bytes ≥ runes, so this is the common fast path
		return s
	}
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s
	}
	cut := 0
	for i := 0; i < max; i++ {
		_, w := utf8.DecodeRuneInString(s[cut:])
		cut += w
	}
	return fmt.Sprintf("%s… (%d more characters)", s[:cut], n-max)
}

// elideValue is elide at the length a message quotes a data value.
func elideValue(s string) string { return elide(s, maxMessageValue) }

// elideList joins the first maxMessageList items (each elided) with
// sep and counts the rest: "a, b, c, … and 99997 more".
func elideList(items []string, sep string) string {
	n := min(len(items), maxMessageList)
	shown := make([]string, n, n+1)
	for i := range n {
		shown[i] = elideValue(items[i])
	}
	if len(items) > n {
		shown = append(shown, fmt.Sprintf("… and %d more", len(items)-n))
	}
	return strings.Join(shown, sep)
}

// elideCategoryValues is elideList of f's category values, built from
// the values it shows: a miss in a column of 10^5 categories must not
// copy the whole list for every cell.
func elideCategoryValues(f *Field) string {
	n := min(len(f.Categories), maxMessageList+1)
	values := make([]string, n)
	for i := range n {
		values[i] = f.Categories[i].Value
	}
	s := elideList(values[:min(n, maxMessageList)], ", ")
	if more := len(f.Categories) - maxMessageList; more > 0 {
		s += fmt.Sprintf(", … and %d more", more)
	}
	return s
}

// orListBounded is orList ("a, b or c") for a list that fits in a
// message, and elideList beyond maxMessageList items.
func orListBounded(items []string) string {
	if len(items) > maxMessageList {
		return elideList(items, ", ")
	}
	shown := make([]string, len(items))
	for i, s := range items {
		shown[i] = elideValue(s)
	}
	return orList(shown)
}

// boundArgs elides every string argument of a message to maxMessageArg
// characters, so that a format whose arguments come from the input has a
// bounded result whatever the input.
func boundArgs(args []any) []any {
	out, copied := args, false
	for i, a := range args {
		s, ok := a.(string)
		if !ok || len(s) <= maxMessageArg {
			continue
		}
		if !copied {
			out, copied = append([]any(nil), args...), true
		}
		out[i] = elide(s, maxMessageArg)
	}
	return out
}

// suggestBounded is suggest for texts from the input: a text longer
// than maxSuggestRunes gets no suggestion, and candidates longer than
// that are skipped, so the edit distances cost at most
// maxSuggestRunes² each. The did-you-mean check of the loader and the
// validator (suggest, didYouMean in errors.go) should go through it too.
func suggestBounded(s string, candidates []string) []string {
	if utf8.RuneCountInString(s) > maxSuggestRunes {
		return nil
	}
	var short []string
	for i, c := range candidates {
		if len(c) > maxSuggestRunes && utf8.RuneCountInString(c) > maxSuggestRunes {
			if short == nil {
				short = append(make([]string, 0, len(candidates)), candidates[:i]...)
			}
			continue
		}
		if short != nil {
			short = append(short, c)
		}
	}
	if short != nil {
		candidates = short
	}
	return suggest(s, candidates)
}

// didYouMeanBounded is didYouMean through suggestBounded.
func didYouMeanBounded(s string, candidates []string) string { return didYouMean(s, candidates) }

// ElideValue shortens a value quoted in a message to its first 80
// characters and "… (N more characters)", so that the message has a
// bounded size whatever the input; it is for the packages that build
// messages from user input (flag values, SPECs).
func ElideValue(s string) string { return elideValue(s) }

// ElideList joins the first 20 items of a list shown in a message (valid
// levels, valid names), each elided, with sep and "… and N more".
func ElideList(items []string, sep string) string { return elideList(items, sep) }

// ElideText shortens any text shown in a message (a prepared list, a
// prepared message) to its first 300 characters and a count of the rest.
func ElideText(s string) string { return elide(s, maxMessageArg) }
