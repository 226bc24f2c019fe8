package dataset

import (
	"runtime"
	"sync"
	"weak"
)

// smallCategoryList is the longest category list that CategoryIndex
// scans; above it a lookup goes through maps built once per list. Short
// lists are the rule, and a scan of a few strings costs less than a map.
const smallCategoryList = 32

// categoryIndex maps a long category list's values, labels and (for
// integer and number fields) numbers to the first index holding them,
// which is what the scans of CategoryIndex return.
type categoryIndex struct {
	// first and n identify the list the maps were built from: a Field
	// given a new Categories slice gets new maps.
	first    *Category
	n        int
	byValue  map[string]int
	byLabel  map[string]int
	byNumber map[float64]int
}

// categoryIndexes holds the index of each Field with a long list. The
// key is weak and a cleanup deletes the entry, so the cache never keeps
// a schema alive (the fuzz targets parse millions of them). Field itself
// stays a plain struct that can be compared and printed.
var categoryIndexes sync.Map // weak.Pointer[Field] -> *categoryIndex

// indexedCategory is CategoryIndex for a long list. A hit is checked
// against the list, so a list changed in place (which no caller does to
// a long one) is indexed again rather than answered wrongly.
func (f *Field) indexedCategory(s string) (int, bool) {
	ix := f.categoryIndex(false)
	for range 2 {
		if i, ok := ix.byValue[s]; ok {
			if f.Categories[i].Value == s {
				return i, true
			}
		} else if i, ok := ix.byLabel[s]; ok {
			if f.Categories[i].Label == s {
				return i, true
			}
		} else {
			break
		}
		ix = f.categoryIndex(true)
	}
	if ix.byNumber == nil {
		return -1, false
	}
	x, msg := parseCell(f, s)
	if msg != "" {
		return -1, false
	}
	i, ok := ix.byNumber[x]
	if !ok {
		return -1, false
	}
	return i, true
}

// categoryIndex returns the Field's index, building it when there is
// none, when the list is not the one indexed, or when rebuild is set.
func (f *Field) categoryIndex(rebuild bool) *categoryIndex {
	key := weak.Make(f)
	if v, ok := categoryIndexes.Load(key); ok && !rebuild {
		if ix := v.(*categoryIndex); ix.first == &f.Categories[0] && ix.n == len(f.Categories) {
			return ix
		}
	}
	ix := buildCategoryIndex(f)
	if _, loaded := categoryIndexes.Swap(key, ix); !loaded {
		runtime.AddCleanup(f, func(k weak.Pointer[Field]) { categoryIndexes.Delete(k) }, key)
	}
	return ix
}

// buildCategoryIndex maps every value, label and number of f's list to
// its first index.
func buildCategoryIndex(f *Field) *categoryIndex {
	ix := &categoryIndex{
		first:   &f.Categories[0],
		n:       len(f.Categories),
		byValue: make(map[string]int, len(f.Categories)),
		byLabel: make(map[string]int),
	}
	numeric := f.Type == TypeInteger || f.Type == TypeNumber
	if numeric {
		ix.byNumber = make(map[float64]int, len(f.Categories))
	}
	for i, c := range f.Categories {
		if _, dup := ix.byValue[c.Value]; !dup {
			ix.byValue[c.Value] = i
		}
		if _, dup := ix.byLabel[c.Label]; !dup {
			ix.byLabel[c.Label] = i
		}
		if numeric {
			// NaN never equals itself, so it is never found, as in the scan.
			if y, ok := categoryNumber(f, c); ok {
				if _, dup := ix.byNumber[y]; !dup {
					ix.byNumber[y] = i
				}
			}
		}
	}
	return ix
}
