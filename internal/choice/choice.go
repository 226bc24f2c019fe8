// Package choice holds the few lines every closed set of option values
// (an algorithm, a method, a kind of interval) needs, so that each set is
// declared once, by its type in the package that owns it, and a bad value
// is refused with the list of the valid ones wherever it comes from: a
// command-line flag (the types implement pflag.Value with Set) or a
// program that fills the options itself.
package choice

import (
	"fmt"
	"strings"
)

// Parse returns the element of valid spelled exactly s, or an error that
// lists the valid values ("expected one of a, b, c"). Spellings are
// exact: a set has no aliases, so the documentation lists every value.
func Parse[T ~string](s string, valid []T) (T, error) {
	for _, v := range valid {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("expected one of %s", strings.Join(Strings(valid), ", "))
}

// Set parses s into *p (the body of a pflag.Value's Set); *p is left
// alone when s is not valid.
func Set[T ~string](p *T, s string, valid []T) error {
	v, err := Parse(s, valid)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Check is nil when v is one of valid and otherwise names the option:
// `--name "v": expected one of a, b, c`.
func Check[T ~string](name string, v T, valid []T) error {
	if _, err := Parse(string(v), valid); err != nil {
		return fmt.Errorf("%s %q: %w", name, string(v), err)
	}
	return nil
}

// Strings converts the values to plain strings (for completions).
func Strings[T ~string](valid []T) []string {
	out := make([]string, len(valid))
	for i, v := range valid {
		out[i] = string(v)
	}
	return out
}
