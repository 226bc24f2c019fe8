package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// supportedTypes are the Table Schema types ccstudy reads, in the order
// error messages list them.
var supportedTypes = []string{TypeInteger, TypeNumber, TypeString, TypeBoolean, TypeYear, TypeDate}

// otherTableSchemaTypes are valid Table Schema types that ccstudy does not
// read; naming them separately tells the user the schema is not wrong,
// only beyond what ccstudy handles.
var otherTableSchemaTypes = []string{"object", "array", "list", "time", "datetime", "yearmonth", "duration", "geopoint", "geojson", "any"}

var validRoles = []string{RoleID, RoleOutcome, RoleCovariate, RoleDescription, RoleSubgroup}

// The keys ccstudy reads at each level of a schema. A key in none of the
// lists is an error, so a misspelt key ("rol") cannot silently drop a
// variable from a model. The ignored lists are Table Schema keys that
// only document (they change nothing ccstudy computes).
var (
	schemaKeys       = []string{"name", "title", "titles", "description", "missingValues", "primaryKey", "foreignKeys", "fields"}
	schemaIgnored    = []string{"$schema"}
	fieldKeys        = []string{"name", "type", "format", "title", "titles", "description", "role", "transform", "per", "unit", "event", "trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber", "missingValues", "categories", "categoriesOrdered", "constraints"}
	fieldIgnored     = []string{"example", "rdfType"}
	constraintKeys   = []string{"required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "enum"}
	categoryKeys     = []string{"value", "label", "labels"}
	foreignKeyKeys   = []string{"fields", "reference"}
	referenceKeys    = []string{"resource", "fields"}
	notAppliedSchema = map[string]string{
		"uniqueKeys":  "ccstudy does not check uniqueKeys (use primaryKey, or constraints.unique on a field)",
		"fieldsMatch": "ccstudy always matches fields by name: every schema field must be a column, extra columns are ignored with a warning",
	}
)

// ParseSchema decodes a Frictionless Table Schema and checks that ccstudy
// can load data with it: only keys ccstudy knows (an unknown key is an
// error with a did-you-mean); a non-empty list of uniquely named fields
// of the types integer, number, string, boolean, year or date (a missing
// type means string); roles among id, outcome, covariate, description
// with at most one outcome; unique, non-empty categories, on string,
// integer or number fields; trueValues/falseValues only on booleans,
// decimalChar on numbers, groupChar and bareNumber on integers and
// numbers; sane constraints (minimum ≤ maximum, enum values of the
// field's type, a pattern that compiles); titles and labels keyed by
// language code; primaryKey and foreignKeys naming existing fields.
// missingValues defaults to ["", "NA"].
//
// The outcome must be readable as 0 (control) / 1 (case): an integer or
// number coded 0/1, a boolean (Yes/No with trueValues/falseValues), or a
// field with two categories. For the latter the case level is the
// field's "event" when given, else the second category; ParseSchema
// moves it to second place and records it in Event, so the loaded code
// (the category index) is the 0/1 outcome and the labels are kept.
//
// Every problem is reported, not just the first, as a *SchemaError whose
// lines read `source: fields[3] ("novelty"): what is wrong (expected …)`.
func ParseSchema(b []byte, source string) (*Schema, error) {
	se := &SchemaError{Source: source}
	// Every problem quotes its values elided, and past maxSchemaProblems
	// problems are only counted, so that a schema with a 10 MB name or
	// 10^5 bad categories still gives a message of bounded size.
	omitted := 0
	add := func(path, format string, args ...any) {
		if len(se.Problems) >= maxSchemaProblems {
			omitted++
			return
		}
		se.Problems = append(se.Problems, SchemaProblem{Path: elide(path, maxMessageArg), Message: fmt.Sprintf(format, boundArgs(args)...)})
	}
	fail := func() (*Schema, error) {
		if omitted > 0 {
			se.Problems = append(se.Problems, SchemaProblem{Message: fmt.Sprintf("… and %d more problems (the first %d are shown)", omitted, maxSchemaProblems)})
		}
		return nil, se
	}

	// Editors on Windows save JSON with a UTF-8 byte-order mark, which
	// the data files may carry too; it is not part of the document.
	b = bytes.TrimPrefix(b, []byte("\ufeff"))

	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		add("", "%s", jsonSyntaxMessage(b, err))
		return nil, se
	}
	if top == nil {
		add("", "not a Table Schema (expected a JSON object with a \"fields\" list)")
		return nil, se
	}
	if _, hasFields := top["fields"]; !hasFields {
		_, res := top["schema"]
		_, pkg := top["resources"]
		if res || pkg {
			add("", `this is a data resource or package, not a Table Schema (expected the object under its "schema" key, saved as a file of its own)`)
			return nil, se
		}
	}
	checkKeys("", top, schemaKeys, schemaIgnored, notAppliedSchema, add)

	s := &Schema{}
	decodeTop := func(key string, dst any) {
		raw, ok := top[key]
		if !ok {
			return
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			add(key, "%s", jsonValueMessage(err))
		}
	}
	decodeTop("name", &s.Name)
	decodeTop("title", &s.Title)
	decodeTop("titles", &s.Titles)
	decodeTop("description", &s.Description)
	decodeTop("missingValues", &s.MissingValues)
	decodeTop("primaryKey", &s.PrimaryKey)
	decodeTop("foreignKeys", &s.ForeignKeys)
	if _, ok := top["missingValues"]; !ok || s.MissingValues == nil {
		s.MissingValues = []string{"", "NA"}
	}
	checkTitles("titles", s.Titles, add)
	var rawFKs []json.RawMessage
	if json.Unmarshal(top["foreignKeys"], &rawFKs) == nil {
		for i, raw := range rawFKs {
			path := fmt.Sprintf("foreignKeys[%d]", i)
			var fk map[string]json.RawMessage
			if json.Unmarshal(raw, &fk) == nil && fk != nil {
				checkKeys(path, fk, foreignKeyKeys, nil, nil, add)
				var ref map[string]json.RawMessage
				if json.Unmarshal(fk["reference"], &ref) == nil && ref != nil {
					checkKeys(path+".reference", ref, referenceKeys, nil, nil, add)
				}
			}
		}
	}

	rawFields, ok := top["fields"]
	var raws []json.RawMessage
	switch {
	case !ok:
		add("", `no "fields" (a Table Schema lists its columns in "fields": [{"name": "...", "type": "..."}, ...])`)
	case json.Unmarshal(rawFields, &raws) != nil:
		add("fields", "not a list (expected a list of field objects)")
	case len(raws) == 0:
		add("fields", "empty list (expected at least one field)")
	}

	// Decode each field on its own, so a problem in one names it and the
	// others are still checked.
	firstByName := map[string]int{}
	paths := make([]string, 0, len(raws))
	for i, raw := range raws {
		path := fmt.Sprintf("fields[%d]", i)
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(raw, &probe); err != nil || probe == nil {
			add(path, "not a field object (expected {\"name\": \"...\", \"type\": \"...\"})")
			continue
		}
		var name string
		if json.Unmarshal(probe["name"], &name) == nil && name != "" {
			path = fmt.Sprintf("fields[%d] (%q)", i, elideValue(name))
		}
		checkFieldKeys(path, probe, add)
		var cats []json.RawMessage
		if raw, ok := probe["categories"]; ok && json.Unmarshal(raw, &cats) == nil && cats != nil && len(cats) == 0 {
			add(path, "\"categories\" is an empty list (expected the field's levels, or no \"categories\" for a field that is not categorical)")
		}
		f := &Field{}
		if err := json.Unmarshal(raw, f); err != nil {
			add(path, "%s", jsonValueMessage(err))
			continue
		}
		paths = append(paths, path)
		s.Fields = append(s.Fields, f)
		checkField(f, path, add)
		if f.Name != "" {
			if j, dup := firstByName[f.Name]; dup {
				add(path, "name %q is also used by fields[%d] (expected each column name once)", f.Name, j)
			} else {
				firstByName[f.Name] = i
			}
		}
	}

	// Roles across fields.
	var outcomes []string
	for i, f := range s.Fields {
		if f.Role == RoleOutcome {
			outcomes = append(outcomes, paths[i])
		}
	}
	if len(outcomes) > 1 {
		add("", "%d fields have role \"outcome\": %s (expected at most one)", len(outcomes), strings.Join(outcomes, ", "))
	}

	// Keys must name fields.
	names := s.FieldNames()
	checkNames := func(path string, list []string) {
		for _, n := range list {
			if _, ok := s.Field(n); !ok {
				msg := fmt.Sprintf("%q is not a field (expected one of %s)", elideValue(n), elideList(names, ", "))
				if dym := didYouMeanBounded(n, names); dym != "" {
					msg += "; " + dym
				}
				add(path, "%s", msg)
			}
		}
	}
	checkNames("primaryKey", s.PrimaryKey)
	for i, fk := range s.ForeignKeys {
		path := fmt.Sprintf("foreignKeys[%d]", i)
		if len(fk.Fields) == 0 {
			add(path, "no \"fields\" (expected the column(s) that refer to the other table)")
		}
		checkNames(path+".fields", fk.Fields)
		if len(fk.Reference.Fields) != len(fk.Fields) {
			add(path, "%d field(s) refer to %d reference field(s) (expected the same number)", len(fk.Fields), len(fk.Reference.Fields))
		}
		if fk.Reference.Resource == "" {
			// An empty resource refers to this same table.
			checkNames(path+".reference.fields", fk.Reference.Fields)
		}
	}

	// A missing-value marker that is also a category or a boolean
	// spelling would make that value unreadable.
	for i, f := range s.Fields {
		where, markers := "missingValues", s.MissingValues
		if f.MissingValues != nil {
			where, markers = paths[i]+".missingValues", f.MissingValues
		}
		for _, mv := range markers {
			if mv == "" {
				continue
			}
			for _, c := range f.Categories {
				if c.Value == mv {
					add(where, "%q is also a category of %s, which could then never be read (expected missing-value markers that are not data values)", mv, paths[i])
				}
			}
			if contains(f.TrueValues, mv) || contains(f.FalseValues, mv) {
				add(where, "%q is also a boolean value of %s (trueValues/falseValues), which could then never be read (expected missing-value markers that are not data values)", mv, paths[i])
			}
		}
	}

	if len(se.Problems) > 0 {
		return fail()
	}
	for _, f := range s.Fields {
		normalizeOutcome(f)
	}
	return s, nil
}

// checkKeys reports the keys of obj that ccstudy does not read, with the
// closest known key as a suggestion. Keys are visited in sorted order so
// the messages come out the same on every run.
func checkKeys(path string, obj map[string]json.RawMessage, known, ignored []string, notApplied map[string]string, add func(path, format string, args ...any)) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if contains(known, k) || contains(ignored, k) {
			continue
		}
		kp := k
		if path != "" {
			kp = path + "." + k
		}
		if why, ok := notApplied[k]; ok {
			add(kp, "a Table Schema key that ccstudy does not apply: %s (expected it removed)", why)
			continue
		}
		if sg := suggestBounded(k, known); len(sg) > 0 {
			quoted := make([]string, len(sg))
			for i, s := range sg {
				quoted[i] = strconv.Quote(s)
			}
			add(kp, "unknown key (did you mean %s?)", orList(quoted))
			continue
		}
		add(kp, "unknown key (expected one of %s)", strings.Join(known, ", "))
	}
}

// checkFieldKeys checks the keys of one field object and of its
// constraints and category objects.
func checkFieldKeys(path string, probe map[string]json.RawMessage, add func(path, format string, args ...any)) {
	checkKeys(path, probe, fieldKeys, fieldIgnored, nil, add)
	var cons map[string]json.RawMessage
	if json.Unmarshal(probe["constraints"], &cons) == nil && cons != nil {
		checkKeys(path+".constraints", cons, constraintKeys, nil, nil, add)
	}
	var cats []json.RawMessage
	if json.Unmarshal(probe["categories"], &cats) == nil {
		for j, raw := range cats {
			var obj map[string]json.RawMessage
			if json.Unmarshal(raw, &obj) == nil && obj != nil {
				checkKeys(fmt.Sprintf("%s.categories[%d]", path, j), obj, categoryKeys, nil, nil, add)
			}
		}
	}
}

// languageTag is a BCP 47 language tag as schemas write them: "zh",
// "en", "zh-CN", "zh-Hans".
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$`)

// checkTitles checks a map of display texts by language.
func checkTitles(path string, m map[string]string, add func(path, format string, args ...any)) {
	langs := make([]string, 0, len(m))
	for l := range m {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if !languageTag.MatchString(l) {
			add(path, "%q is not a language code (expected a code such as \"en\", \"zh\" or \"zh-CN\")", l)
		}
		if strings.TrimSpace(m[l]) == "" {
			add(path, "the %s text is empty (expected a text, or no entry for %s)", l, l)
		}
	}
}

// checkField checks one field on its own and fills in the default type.
func checkField(f *Field, path string, add func(path, format string, args ...any)) {
	if f.Name == "" {
		add(path, "no \"name\" (every field needs the name of its column)")
	} else if strings.TrimSpace(f.Name) != f.Name {
		add(path, "name %q has leading or trailing spaces (expected the column name exactly, without them)", f.Name)
	}

	typeOK := true
	switch {
	case f.Type == "":
		f.Type = TypeString // the Table Schema default
	case contains(supportedTypes, f.Type):
	case contains(otherTableSchemaTypes, f.Type):
		typeOK = false
		add(path, "type %q is a Table Schema type that ccstudy does not read (expected %s)", f.Type, strings.Join(supportedTypes, ", "))
	default:
		typeOK = false
		msg := fmt.Sprintf("type %q is not a Table Schema type (expected %s)", f.Type, strings.Join(supportedTypes, ", "))
		if dym := didYouMeanBounded(f.Type, supportedTypes); dym != "" {
			msg += "; " + dym
		}
		add(path, "%s", msg)
	}

	if f.Role != "" && !contains(validRoles, f.Role) {
		msg := fmt.Sprintf("role %q is not a role (expected one of %s)", elideValue(f.Role), strings.Join(validRoles, ", "))
		if dym := didYouMeanBounded(f.Role, validRoles); dym != "" {
			msg += "; " + dym
		}
		add(path, "%s", msg)
	}
	checkTitles(path+".titles", f.Titles, add)

	numericType := f.Type == TypeInteger || f.Type == TypeNumber || f.Type == TypeYear
	if typeOK {
		checkReading(f, path, add)
	}

	// Categories.
	if len(f.Categories) > 0 && typeOK && f.Type != TypeString && f.Type != TypeInteger && f.Type != TypeNumber {
		add(path, "categories on a %s field (expected categories only on string, integer or number fields)", f.Type)
		typeOK = false
	}
	if f.CategoriesOrdered && len(f.Categories) == 0 {
		add(path, "categoriesOrdered without categories (expected a \"categories\" list)")
	}
	checkCategories(f, path, typeOK, add)

	// Numeric constraints.
	c := f.Constraints
	bounds := []struct {
		name string
		v    *float64
	}{{"minimum", c.Minimum}, {"maximum", c.Maximum}, {"exclusiveMinimum", c.ExclusiveMinimum}, {"exclusiveMaximum", c.ExclusiveMaximum}}
	for _, b := range bounds {
		if b.v == nil || !typeOK {
			continue
		}
		if !numericType || f.IsCategorical() {
			kind := f.Type
			if f.IsCategorical() {
				kind = "categorical"
			}
			add(path, "constraints.%s on a %s field (expected it only on integer, number or year fields)", b.name, kind)
		}
	}
	lower, lowerName := lowerBound(c)
	upper, upperName := upperBound(c)
	if lower != nil && upper != nil && *lower > *upper {
		add(path, "constraints.%s %v is greater than constraints.%s %v (expected %s <= %s)", lowerName, *lower, upperName, *upper, lowerName, upperName)
	}
	if c.ExclusiveMinimum != nil && c.ExclusiveMaximum != nil && *c.ExclusiveMinimum == *c.ExclusiveMaximum {
		add(path, "constraints.exclusiveMinimum equals constraints.exclusiveMaximum (%v), so no value is allowed", *c.ExclusiveMinimum)
	}
	checkTextConstraints(f, path, typeOK, add)

	// Enum.
	if c.EnumRaw != nil && len(c.EnumRaw) == 0 {
		add(path, "constraints.enum is empty (expected at least one allowed value)")
	}
	if typeOK {
		for i, v := range c.EnumRaw {
			if msg := enumValueProblem(f, v); msg != "" {
				add(fmt.Sprintf("%s.constraints.enum[%d]", path, i), "%s", msg)
			}
		}
	}

	// Transform.
	switch f.Transform {
	case "":
	case "log":
		if f.IsCategorical() || (f.Type != TypeNumber && f.Type != TypeInteger) {
			add(path, "transform \"log\" on a %s field (expected it only on number or integer fields)", f.Type)
		}
	default:
		add(path, "transform %q is not known (expected \"log\" or none)", f.Transform)
	}

	// Per: a positive, finite number of units, on numeric fields only.
	if f.Per != nil {
		if f.IsCategorical() || (f.Type != TypeNumber && f.Type != TypeInteger) {
			kind := f.Type
			if f.IsCategorical() {
				kind = "categorical"
			}
			add(path, "per on a %s field (expected it only on number or integer fields)", kind)
		} else if !(*f.Per > 0) || math.IsInf(*f.Per, 0) {
			add(path, "per %v (expected a positive number of units, e.g. 10)", *f.Per)
		}
	}

	if typeOK {
		checkOutcome(f, path, add)
	}
}

// checkReading checks the properties that say how a cell is read: date
// formats, boolean spellings, decimal and group marks.
func checkReading(f *Field, path string, add func(path, format string, args ...any)) {
	switch {
	case f.Format == "" || f.Format == "default":
	case f.Type == TypeDate:
		if _, err := dateLayout(f.Format); err != nil {
			add(path, "format %q: %v", f.Format, err)
		}
	default:
		add(path, "format %q on a %s field (ccstudy reads formats only on date fields; expected \"default\" or none)", f.Format, f.Type)
	}

	if f.TrueValues != nil || f.FalseValues != nil {
		if f.Type != TypeBoolean {
			add(path, "trueValues/falseValues on a %s field (expected them only on boolean fields)", f.Type)
		} else {
			for _, list := range []struct {
				name string
				vals []string
			}{{"trueValues", f.TrueValues}, {"falseValues", f.FalseValues}} {
				if list.vals != nil && len(list.vals) == 0 {
					add(path, "%s is empty (expected at least one spelling, or no %s for the default)", list.name, list.name)
				}
				for _, v := range list.vals {
					if strings.TrimSpace(v) != v || v == "" {
						add(path, "%s has %q (expected spellings without leading or trailing spaces, as cells are read trimmed)", list.name, v)
					}
				}
			}
			for _, v := range f.TrueValues {
				if contains(f.FalseValues, v) {
					add(path, "%q is in both trueValues and falseValues (expected each spelling in one of them)", v)
				}
			}
		}
	}

	single := func(key, v string) bool {
		if utf8.RuneCountInString(v) != 1 {
			add(path, "%s %q (expected a single character)", key, v)
			return false
		}
		if r, _ := utf8.DecodeRuneInString(v); unicode.IsDigit(r) || r == '+' || r == '-' || r == 'e' || r == 'E' {
			add(path, "%s %q (expected a mark that is not part of a number, such as \",\" or \".\")", key, v)
			return false
		}
		return true
	}
	if f.DecimalChar != "" {
		if f.Type != TypeNumber {
			add(path, "decimalChar on a %s field (expected it only on number fields)", f.Type)
		} else {
			single("decimalChar", f.DecimalChar)
		}
	}
	if f.GroupChar != "" {
		if f.Type != TypeNumber && f.Type != TypeInteger {
			add(path, "groupChar on a %s field (expected it only on number or integer fields)", f.Type)
		} else if single("groupChar", f.GroupChar) && f.Type == TypeNumber && f.GroupChar == decimalMark(f) {
			add(path, "groupChar %q is also the decimal mark (expected different marks, e.g. decimalChar \",\" with groupChar \".\")", f.GroupChar)
		}
	}
	if f.BareNumber != nil && f.Type != TypeNumber && f.Type != TypeInteger {
		add(path, "bareNumber on a %s field (expected it only on number or integer fields)", f.Type)
	}
}

// checkCategories checks the category list and the labels.
func checkCategories(f *Field, path string, typeOK bool, add func(path, format string, args ...any)) {
	firstValue, firstLabel := map[string]int{}, map[string]int{}
	firstNumber := map[float64]int{}
	firstByLang := map[string]map[string]int{}
	numeric := typeOK && (f.Type == TypeInteger || f.Type == TypeNumber)
	for i, c := range f.Categories {
		cp := fmt.Sprintf("%s.categories[%d]", path, i)
		if strings.TrimSpace(c.Value) == "" {
			add(cp, "empty value (every category needs a value as it appears in the data)")
			continue
		}
		if strings.TrimSpace(c.Value) != c.Value {
			add(cp, "value %q has leading or trailing spaces (cells are read without them, so it could never match)", c.Value)
		}
		if j, dup := firstValue[c.Value]; dup {
			add(cp, "value %q is also categories[%d] (expected each category once)", c.Value, j)
		} else {
			firstValue[c.Value] = i
			if numeric {
				x, ok := categoryNumber(f, c)
				switch {
				case !ok && f.Type == TypeInteger:
					add(cp, "value %q is not an integer (expected whole numbers in an integer field)", c.Value)
				case !ok:
					add(cp, "value %q is not a number (expected numbers in a number field)", c.Value)
				default:
					if j, dup := firstNumber[x]; dup {
						add(cp, "value %q is the same number as categories[%d] (expected each category once)", c.Value, j)
					} else {
						firstNumber[x] = i
					}
				}
			}
		}
		if c.Label != "" {
			if j, dup := firstLabel[c.Label]; dup {
				add(cp, "label %q is also the label of categories[%d] (expected distinct labels)", c.Label, j)
			} else {
				firstLabel[c.Label] = i
			}
		}
		checkTitles(cp+".labels", c.Labels, add)
		langs := make([]string, 0, len(c.Labels))
		for l := range c.Labels {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			seen := firstByLang[l]
			if seen == nil {
				seen = map[string]int{}
				firstByLang[l] = seen
			}
			if j, dup := seen[c.Labels[l]]; dup {
				add(cp, "labels.%s %q is also the %s label of categories[%d] (expected distinct labels)", l, c.Labels[l], l, j)
			} else {
				seen[c.Labels[l]] = i
			}
		}
	}
}

// checkTextConstraints checks minLength, maxLength and pattern.
func checkTextConstraints(f *Field, path string, typeOK bool, add func(path, format string, args ...any)) {
	c := f.Constraints
	if c.MinLength == nil && c.MaxLength == nil && c.Pattern == "" {
		return
	}
	if typeOK && (f.IsCategorical() || (f.Type != TypeString && f.Type != TypeDate)) {
		kind := f.Type
		if f.IsCategorical() {
			kind = "categorical"
		}
		add(path, "constraints.minLength, maxLength or pattern on a %s field (expected them only on string fields without categories)", kind)
		return
	}
	if c.MinLength != nil && *c.MinLength < 0 || c.MaxLength != nil && *c.MaxLength < 0 {
		add(path, "constraints.minLength and maxLength must not be negative")
	}
	if c.MinLength != nil && c.MaxLength != nil && *c.MinLength > *c.MaxLength {
		add(path, "constraints.minLength %d is greater than constraints.maxLength %d (expected minLength <= maxLength)", *c.MinLength, *c.MaxLength)
	}
	if c.Pattern != "" {
		if _, err := regexp.Compile(c.Pattern); err != nil {
			add(path, "constraints.pattern %q is not a regular expression: %v", c.Pattern, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
}

// compilePattern compiles a Table Schema pattern, which must match the
// whole value (XML Schema semantics).
func compilePattern(p string) (*regexp.Regexp, error) { return regexp.Compile(`^(?:` + p + `)$`) }

// checkOutcome checks that the outcome can be read as 0/1 and that event
// is used only where it means something.
func checkOutcome(f *Field, path string, add func(path, format string, args ...any)) {
	c := f.Constraints
	if f.Event != "" {
		switch {
		case f.Role != RoleOutcome:
			add(path, "event %q on a field whose role is not \"outcome\" (expected event only on the outcome)", f.Event)
			return
		case !f.IsCategorical():
			add(path, "event %q on an outcome without categories (expected it on a two-level categorical outcome; a 0/1 or boolean outcome needs none: 1 or true is the case)", f.Event)
			return
		}
		if _, ok := f.CategoryIndex(f.Event); !ok {
			add(path, "event %q is not one of the categories (expected one of %s)", f.Event, strings.Join(categoryValues(f), ", "))
		}
	}
	if f.Role != RoleOutcome {
		return
	}
	switch {
	case f.IsCategorical():
		if len(f.Categories) != 2 {
			add(path, "role \"outcome\" on a field with %d categories (expected 2: the control level and the case level, marked with \"event\")", len(f.Categories))
		}
	case !(f.Type == TypeInteger || f.Type == TypeNumber || f.Type == TypeBoolean):
		add(path, "role \"outcome\" on type %q without categories (expected an integer coded 1 = case and 0 = control, a boolean such as Yes/No with trueValues and falseValues, or two categories with the case level as \"event\")", f.Type)
	default:
		for _, v := range c.EnumRaw {
			if x, ok := enumNumber(f, v); ok && x != 0 && x != 1 {
				add(path, "role \"outcome\" with constraints.enum allowing %s (expected only 0 and 1: 1 = case, 0 = control; for other codes list them as two categories with the case level as \"event\")", anyToString(v))
			}
		}
	}
}

// normalizeOutcome puts the event level of a two-level categorical
// outcome second, so its category index is the 0/1 outcome.
func normalizeOutcome(f *Field) {
	if f.Role != RoleOutcome || len(f.Categories) != 2 {
		return
	}
	if f.Event != "" {
		if i, _ := f.CategoryIndex(f.Event); i == 0 {
			f.Categories[0], f.Categories[1] = f.Categories[1], f.Categories[0]
		}
	}
	f.Event = f.Categories[1].Value
}

// lowerBound returns the tighter-named lower bound for the minimum ≤
// maximum check (the inclusive one wins when both are given).
func lowerBound(c Constraints) (*float64, string) {
	if c.Minimum != nil {
		return c.Minimum, "minimum"
	}
	return c.ExclusiveMinimum, "exclusiveMinimum"
}

func upperBound(c Constraints) (*float64, string) {
	if c.Maximum != nil {
		return c.Maximum, "maximum"
	}
	return c.ExclusiveMaximum, "exclusiveMaximum"
}

// enumValueProblem says why v cannot be a value of f, or "".
func enumValueProblem(f *Field, v any) string {
	if f.IsCategorical() {
		if _, ok := f.CategoryIndex(anyToString(v)); !ok {
			return fmt.Sprintf("%q is not one of the categories (expected one of %s)", anyToString(v), strings.Join(categoryValues(f), ", "))
		}
		return ""
	}
	switch f.Type {
	case TypeInteger, TypeYear, TypeNumber:
		if _, ok := enumNumber(f, v); !ok {
			want := "a whole number"
			if f.Type == TypeNumber {
				want = "a number"
			}
			return fmt.Sprintf("%s is not %s (expected enum values of the field's type, %s)", jsonText(v), want, f.Type)
		}
	case TypeBoolean:
		if _, ok := enumNumber(f, v); !ok {
			return fmt.Sprintf("%s is not a boolean (expected true, false, 1 or 0)", jsonText(v))
		}
	case TypeString, TypeDate:
		switch v.(type) {
		case string, float64, bool:
		default:
			return fmt.Sprintf("%s is not a string (expected text values)", jsonText(v))
		}
	}
	return ""
}

// enumNumber reads an enum value of a numeric or boolean field as the
// number the loader stores for it. Strings are accepted too, since Table
// Schema allows enum values in their CSV spelling.
func enumNumber(f *Field, v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		if f.Type == TypeBoolean {
			return x, x == 0 || x == 1
		}
		if f.Type != TypeNumber && x != math.Trunc(x) {
			return 0, false
		}
		return x, true
	case bool:
		if f.Type != TypeBoolean {
			return 0, false
		}
		if x {
			return 1, true
		}
		return 0, true
	case string:
		y, msg := parseCell(f, strings.TrimSpace(x))
		return y, msg == ""
	}
	return 0, false
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func categoryValues(f *Field) []string {
	out := make([]string, len(f.Categories))
	for i, c := range f.Categories {
		out[i] = c.Value
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsonSyntaxMessage turns a decoding error of the whole document into a
// message with the line and column of a syntax error.
func jsonSyntaxMessage(b []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		const object = `a Table Schema: a JSON object with a "fields" list`
		msg := strings.TrimPrefix(se.Error(), "json: ")
		switch {
		case len(bytes.TrimSpace(b)) == 0:
			return "empty file (expected " + object + ")"
		case looksLikeCSV(b):
			return "not JSON: the file starts like CSV data (expected " + object + "; is it the data file, given as the schema?)"
		case msg == "unexpected end of JSON input":
			// encoding/json's wording does not say the file was cut short.
			line, col := lineCol(b, int64(len(b))-1)
			return fmt.Sprintf("not valid JSON: the document ends at line %d, column %d before it is complete (expected the rest of the schema, up to its closing })", line, col)
		case strings.HasSuffix(msg, "exceeded max depth"):
			line, col := lineCol(b, se.Offset-1)
			return fmt.Sprintf("not valid JSON at line %d, column %d: lists or objects nested more than 10000 deep (expected %s)", line, col, object)
		}
		line, col := lineCol(b, se.Offset-1) // Offset is just past the bad byte
		return fmt.Sprintf("not valid JSON at line %d, column %d: %s", line, col, msg)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("not a Table Schema: the document is %s (expected a JSON object with a \"fields\" list)", jsonKind(te.Value))
	}
	return "not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

// looksLikeCSV reports whether b, which is not JSON, starts with a line
// of comma- or semicolon-separated names: a data file given as a schema.
func looksLikeCSV(b []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimPrefix(bytes.TrimSpace(b), []byte("\ufeff")), []byte("\n"))
	if len(first) == 0 || first[0] == '{' || first[0] == '[' {
		return false
	}
	return bytes.ContainsAny(first, ",;")
}

// jsonValueMessage explains a type mismatch inside the schema.
func jsonValueMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		where := te.Field
		if where == "" {
			where = "value"
		}
		return fmt.Sprintf("%s is %s (expected %s)", where, jsonKind(te.Value), goKind(te.Type))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(v string) string {
	switch v {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "true/false"
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	if strings.HasPrefix(v, "number") {
		return "a number"
	}
	return v
}

func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Float64, reflect.Float32, reflect.Pointer:
		if t.Kind() == reflect.Pointer {
			return goKind(t.Elem())
		}
		return "a number"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

func lineCol(b []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(b)); i++ {
		if b[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
