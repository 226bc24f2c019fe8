// Package i18n holds the fixed words of ccstudy's output (section titles,
// column headers, notes) in the languages --lang offers. Study-specific
// words (titles, category labels) come from the user's schema, not from
// here.
//
// Words are keyed by their English text, so code reads as English and a
// missing translation falls back to it: T("zh", "Odds ratio") is the
// Chinese word when one is listed, else "Odds ratio".
package i18n

import (
	"fmt"
	"strings"
)

// Languages are the values --lang accepts ("" means English).
var Languages = []string{"en", "zh"}

// Check refuses a language ccstudy has no words for.
func Check(lang string) error {
	if lang == "" {
		return nil
	}
	for _, l := range Languages {
		if primary(lang) == l {
			return nil
		}
	}
	return fmt.Errorf("unknown --lang %q (expected one of %s)", lang, strings.Join(Languages, ", "))
}

// T is the English text en in lang: the listed translation, or en itself.
func T(lang, en string) string {
	if primary(lang) != "zh" {
		return en
	}
	if w, ok := zh[en]; ok {
		return w
	}
	return en
}

// Tf formats T(lang, format) with args.
func Tf(lang, format string, args ...any) string {
	return fmt.Sprintf(T(lang, format), args...)
}

// primary is the primary subtag of a language tag ("zh" for "zh-CN").
func primary(lang string) string {
	l, _, _ := strings.Cut(strings.ToLower(lang), "-")
	return l
}

// zh merges the Chinese word lists, one per part of the output, so each
// part keeps its own list.
var zh = merge(zhCommon, zhReport, zhDescribe, zhCluster, zhLogit, zhSubgroup, zhOut, zhPower, zhTable1, zhFormats, zhCaps, zhOutTables)

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
