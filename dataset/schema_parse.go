package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// supportedTypes are the Table Schema types ccstudy reads, in the order
// error messages list them.
var supportedTypes = []string{TypeInteger, TypeNumber, TypeString, TypeBoolean, TypeYear}

// otherTableSchemaTypes are valid Table Schema types that ccstudy does not
// read; naming them separately tells the user the schema is not wrong,
// only beyond what ccstudy handles.
var otherTableSchemaTypes = []string{"object", "array", "list", "date", "time", "datetime", "yearmonth", "duration", "geopoint", "geojson", "any"}

var validRoles = []string{RoleID, RoleOutcome, RoleCovariate, RoleDescription}

// ParseSchema decodes a Frictionless Table Schema and checks that ccstudy
// can load data with it: a non-empty list of uniquely named fields of the
// types integer, number, string, boolean or year (a missing type means
// string); roles among id, outcome, covariate, description with at most
// one outcome, which must be a 0/1 column; unique, non-empty categories;
// sane constraints (minimum ≤ maximum, enum values of the field's type);
// primaryKey and foreignKeys naming existing fields. missingValues
// defaults to ["", "NA"].
//
// Every problem is reported, not just the first, as a *SchemaError whose
// lines read `source: fields[3] ("novelty"): what is wrong (expected …)`.
func ParseSchema(b []byte, source string) (*Schema, error) {
	se := &SchemaError{Source: source}
	add := func(path, format string, args ...any) {
		se.Problems = append(se.Problems, SchemaProblem{Path: path, Message: fmt.Sprintf(format, args...)})
	}

	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		add("", "%s", jsonSyntaxMessage(b, err))
		return nil, se
	}
	if top == nil {
		add("", "not a Table Schema (expected a JSON object with a \"fields\" list)")
		return nil, se
	}

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
	decodeTop("description", &s.Description)
	decodeTop("missingValues", &s.MissingValues)
	decodeTop("primaryKey", &s.PrimaryKey)
	decodeTop("foreignKeys", &s.ForeignKeys)
	if _, ok := top["missingValues"]; !ok || s.MissingValues == nil {
		s.MissingValues = []string{"", "NA"}
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
			path = fmt.Sprintf("fields[%d] (%q)", i, name)
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
				msg := fmt.Sprintf("%q is not a field", n)
				if dym := didYouMean(n, names); dym != "" {
					msg += " (" + dym + ")"
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

	// A missing-value marker that is also a category would make that
	// category unreadable.
	for _, mv := range s.MissingValues {
		for i, f := range s.Fields {
			for _, c := range f.Categories {
				if mv != "" && c.Value == mv {
					add("missingValues", "%q is also a category of %s, which could then never be read (expected missing-value markers that are not data values)", mv, paths[i])
				}
			}
		}
	}

	if len(se.Problems) > 0 {
		return nil, se
	}
	return s, nil
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
		if dym := didYouMean(f.Type, supportedTypes); dym != "" {
			msg += "; " + dym
		}
		add(path, "%s", msg)
	}

	if f.Role != "" && !contains(validRoles, f.Role) {
		msg := fmt.Sprintf("role %q is not one of %s", f.Role, strings.Join(validRoles, ", "))
		if dym := didYouMean(f.Role, validRoles); dym != "" {
			msg += "; " + dym
		}
		add(path, "%s", msg)
	}

	numericType := f.Type == TypeInteger || f.Type == TypeNumber || f.Type == TypeYear

	// Categories.
	if len(f.Categories) > 0 && typeOK && f.Type != TypeString && f.Type != TypeInteger {
		add(path, "categories on a %s field (expected categories only on string or integer fields)", f.Type)
	}
	firstValue, firstLabel := map[string]int{}, map[string]int{}
	for i, c := range f.Categories {
		cp := fmt.Sprintf("%s.categories[%d]", path, i)
		if strings.TrimSpace(c.Value) == "" {
			add(cp, "empty value (every category needs a value as it appears in the data)")
			continue
		}
		if strings.TrimSpace(c.Value) != c.Value {
			add(cp, "value %q has leading or trailing spaces (cells are read without them, so it could never match)", c.Value)
		}
		if f.Type == TypeInteger {
			if _, err := strconv.ParseInt(c.Value, 10, 64); err != nil {
				add(cp, "value %q is not an integer (expected whole numbers in an integer field)", c.Value)
			}
		}
		if j, dup := firstValue[c.Value]; dup {
			add(cp, "value %q is also categories[%d] (expected each category once)", c.Value, j)
		} else {
			firstValue[c.Value] = i
		}
		if c.Label != "" {
			if j, dup := firstLabel[c.Label]; dup {
				add(cp, "label %q is also the label of categories[%d] (expected distinct labels)", c.Label, j)
			} else {
				firstLabel[c.Label] = i
			}
		}
	}

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

	// The outcome must be readable as 0/1.
	if f.Role == RoleOutcome && typeOK {
		if f.IsCategorical() || !(f.Type == TypeInteger || f.Type == TypeNumber || f.Type == TypeBoolean) {
			kind := "type " + strconv.Quote(f.Type)
			if f.IsCategorical() {
				kind = "a categorical field"
			}
			add(path, "role \"outcome\" on %s (expected type integer or boolean, coded 1 = case and 0 = control)", kind)
		} else {
			for _, v := range c.EnumRaw {
				if x, ok := enumNumber(f, v); ok && x != 0 && x != 1 {
					add(path, "role \"outcome\" with constraints.enum allowing %s (expected only 0 and 1: 1 = case, 0 = control)", anyToString(v))
				}
			}
		}
	}
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
	case TypeString:
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
		line, col := lineCol(b, se.Offset-1) // Offset is just past the bad byte
		return fmt.Sprintf("not valid JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("not a Table Schema: the document is %s (expected a JSON object with a \"fields\" list)", jsonKind(te.Value))
	}
	return "not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
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
