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

// Field types of Table Schema that ccstudy reads. A date is kept as its
// text (checked against the field's format); it describes rows and never
// enters a model.
const (
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeString  = "string"
	TypeBoolean = "boolean"
	TypeYear    = "year"
	TypeDate    = "date"
)

// Roles a field may carry (a custom Table Schema property that other
// tools ignore). Analyses take their default outcome and covariates from
// them, so a user's own schema gets the same defaults as the study's.
const (
	RoleID          = "id"
	RoleOutcome     = "outcome"
	RoleCovariate   = "covariate"
	RoleDescription = "description"
	// RoleSubgroup marks a field to split the sample by when no --by is
	// given (subgroup and report): by level if categorical, at the median
	// if numeric. It does not enter the models.
	RoleSubgroup = "subgroup"
)

// Schema is a Frictionless Data Table Schema, with ccstudy's own
// properties (field roles, transform, event, titles and labels by
// language).
type Schema struct {
	Name        string `json:"name,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Titles holds the title in other languages, keyed by language code
	// ("zh", "en"); see DisplayTitle.
	Titles        map[string]string `json:"titles,omitempty"`
	MissingValues []string          `json:"missingValues"`
	PrimaryKey    StringOrList      `json:"primaryKey,omitempty"`
	ForeignKeys   []ForeignKey      `json:"foreignKeys,omitempty"`
	Fields        []*Field          `json:"fields"`
}

// ForeignKey is a Table Schema foreign key.
type ForeignKey struct {
	Fields    StringOrList `json:"fields"`
	Reference struct {
		Resource string       `json:"resource"`
		Fields   StringOrList `json:"fields"`
	} `json:"reference"`
}

// Field is one column of a Table Schema.
//
// Name and the category values are the codes: they are what the data
// holds and what JSON and CSV output keys on. Title, Titles, Label and
// Labels are only for display (DisplayTitle, Category.DisplayLabel).
type Field struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	// Format is the layout of a date field: "default" (YYYY-MM-DD), "any",
	// or a strftime pattern such as "%d/%m/%Y".
	Format      string            `json:"format,omitempty"`
	Role        string            `json:"role,omitempty"`
	Title       string            `json:"title,omitempty"`
	Titles      map[string]string `json:"titles,omitempty"`
	Description string            `json:"description,omitempty"`
	// Transform "log" asks analyses to use log(x) by default (custom property).
	Transform string `json:"transform,omitempty"`
	// Per reports this numeric field's odds ratios per Per units (custom
	// property; e.g. 10 for "per 10 years"), Unit names the unit
	// ("years").
	Per  *float64 `json:"per,omitempty"`
	Unit string   `json:"unit,omitempty"`
	// Event is the category of a two-level categorical outcome that marks
	// a case (custom property). Without it the second category is the
	// event. ParseSchema fills it in and moves the event level to second
	// place, so the loaded outcome is 0 for a control and 1 for a case.
	Event string `json:"event,omitempty"`
	// TrueValues and FalseValues are the spellings of a boolean field
	// (Table Schema; by default true/false and 1/0, in any case).
	TrueValues  []string `json:"trueValues,omitempty"`
	FalseValues []string `json:"falseValues,omitempty"`
	// DecimalChar and GroupChar are the decimal and thousands marks of a
	// number field (Table Schema; default "." and none). GroupChar also
	// applies to integers.
	DecimalChar string `json:"decimalChar,omitempty"`
	GroupChar   string `json:"groupChar,omitempty"`
	// BareNumber false lets a number carry leading and trailing text, as
	// in "95%" or "$12" (Table Schema; default true).
	BareNumber *bool `json:"bareNumber,omitempty"`
	// MissingValues, when set, replaces the schema's list for this field
	// (Table Schema v2).
	MissingValues []string `json:"missingValues,omitempty"`
	// Categories lists the levels of a categorical field; the first is the
	// reference level.
	Categories []Category `json:"categories,omitempty"`
	// CategoriesOrdered says the levels are ordinal (Table Schema v2); it
	// is kept for other tools and does not change the analyses.
	CategoriesOrdered bool        `json:"categoriesOrdered,omitempty"`
	Constraints       Constraints `json:"constraints,omitzero"`
}

// Constraints are the Table Schema constraints ccstudy enforces.
type Constraints struct {
	Required         bool     `json:"required,omitempty"`
	Unique           bool     `json:"unique,omitempty"`
	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum *float64 `json:"exclusiveMaximum,omitempty"`
	// MinLength, MaxLength (in characters) and Pattern (a regular
	// expression the whole value must match) apply to text fields.
	MinLength *int   `json:"minLength,omitempty"`
	MaxLength *int   `json:"maxLength,omitempty"`
	Pattern   string `json:"pattern,omitempty"`
	EnumRaw   []any  `json:"enum,omitempty"`
}

// Category is one level of a categorical field. Table Schema allows a
// bare value or a {value, label} object; ccstudy adds labels by language.
type Category struct {
	// Value is the code as it appears in the data.
	Value string `json:"value"`
	// Label is the display name; Labels holds it in other languages.
	Label  string            `json:"label,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	// number records that the value was written as a JSON number, so it
	// is written back as one.
	number bool
}

// Name is the code (the value): what term names, JSON and CSV keys use.
// Labels are for display only (DisplayLabel), so a study can show 男性
// in its tables and keep "sex[male]" as a stable key.
func (c Category) Name() string { return c.Value }

// DisplayLabel is the category's label in lang, falling back to the
// label of lang's primary subtag ("zh" for "zh-CN"), then to Label, then
// to the value (code).
func (c Category) DisplayLabel(lang string) string {
	if l := byLanguage(c.Labels, lang); l != "" {
		return l
	}
	if c.Label != "" {
		return c.Label
	}
	return c.Value
}

// DisplayTitle is the field's title in lang, falling back to the title
// of lang's primary subtag ("zh" for "zh-CN"), then to Title, then to the
// name (code).
func (f *Field) DisplayTitle(lang string) string {
	if t := byLanguage(f.Titles, lang); t != "" {
		return t
	}
	if f.Title != "" {
		return f.Title
	}
	return f.Name
}

// DisplayTitle is the schema's title in lang, falling back as
// Field.DisplayTitle does, and to the name when there is no title.
func (s *Schema) DisplayTitle(lang string) string {
	if t := byLanguage(s.Titles, lang); t != "" {
		return t
	}
	if s.Title != "" {
		return s.Title
	}
	return s.Name
}

// byLanguage looks lang up in m, then its primary subtag.
func byLanguage(m map[string]string, lang string) string {
	if len(m) == 0 || lang == "" {
		return ""
	}
	if v := m[lang]; v != "" {
		return v
	}
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		return m[lang[:i]]
	}
	return ""
}

// UnmarshalJSON accepts both a bare value and a {value, label, labels}
// object.
func (c *Category) UnmarshalJSON(b []byte) error {
	var obj struct {
		Value  any               `json:"value"`
		Label  string            `json:"label"`
		Labels map[string]string `json:"labels"`
	}
	v := any(nil)
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		v, c.Label, c.Labels = obj.Value, obj.Label, obj.Labels
	} else if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	_, c.number = v.(float64)
	c.Value = anyToString(v)
	return nil
}

// MarshalJSON writes a bare value when there is no label, else an
// object; a value read as a number is written as one.
func (c Category) MarshalJSON() ([]byte, error) {
	var v any = c.Value
	if c.number {
		v = json.Number(c.Value)
	}
	if c.Label == "" && len(c.Labels) == 0 {
		return json.Marshal(v)
	}
	return json.Marshal(struct {
		Value  any               `json:"value"`
		Label  string            `json:"label,omitempty"`
		Labels map[string]string `json:"labels,omitempty"`
	}{v, c.Label, c.Labels})
}

// StringOrList is a Table Schema property that may be a string or a list.
type StringOrList []string

// UnmarshalJSON accepts "a" or ["a", "b"].
func (s *StringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = StringOrList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("expected a string or a list of strings")
	}
	*s = many
	return nil
}

// MarshalJSON writes a single name as a string, as schemas usually do.
func (s StringOrList) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return json.Marshal(s[0])
	}
	return json.Marshal([]string(s))
}

// UnmarshalJSON reads a field; event may be written as a number when the
// categories are numbers.
func (f *Field) UnmarshalJSON(b []byte) error {
	type plain Field
	aux := struct {
		*plain
		Event any `json:"event"`
	}{plain: (*plain)(f)}
	if err := json.Unmarshal(b, &aux); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// Name the property as the schema spells it, not the
			// helper struct.
			te.Field = strings.TrimPrefix(te.Field, "plain.")
		}
		return err
	}
	switch aux.Event.(type) {
	case nil, string, float64:
	default:
		return &json.UnmarshalTypeError{Value: jsonTypeName(aux.Event), Type: reflect.TypeOf(""), Field: "event"}
	}
	f.Event = anyToString(aux.Event)
	return nil
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "value"
}

// IsCategorical reports whether the field has categories.
func (f *Field) IsCategorical() bool { return len(f.Categories) > 0 }

// IsBinary reports whether a non-categorical field only takes 0 and 1
// (boolean, or integer constrained to enum [0, 1] or minimum 0 maximum 1).
func (f *Field) IsBinary() bool {
	if f.IsCategorical() {
		return false
	}
	if f.Type == TypeBoolean {
		return true
	}
	if f.Type != TypeInteger {
		return false
	}
	if len(f.Constraints.EnumRaw) == 2 {
		a, b := anyToString(f.Constraints.EnumRaw[0]), anyToString(f.Constraints.EnumRaw[1])
		return (a == "0" && b == "1") || (a == "1" && b == "0")
	}
	c := f.Constraints
	return c.Minimum != nil && c.Maximum != nil && *c.Minimum == 0 && *c.Maximum == 1
}

// IsNumeric reports whether the field is read as a number (and is not
// categorical).
func (f *Field) IsNumeric() bool {
	if f.IsCategorical() {
		return false
	}
	switch f.Type {
	case TypeInteger, TypeNumber, TypeYear, TypeBoolean:
		return true
	}
	return false
}

// CategoryIndex returns the index of the category whose value or label is
// s. The categories of an integer or number field also match by value,
// so "0.50" and "1,5" (with decimalChar ",") find 0.5 and 1.5.
func (f *Field) CategoryIndex(s string) (int, bool) {
	if len(f.Categories) > smallCategoryList {
		// A long list is looked up in maps built once per list
		// (catindex.go): validating a column against 10^5 categories
		// would otherwise cost 10^5 comparisons per cell.
		return f.indexedCategory(s)
	}
	for i, c := range f.Categories {
		if c.Value == s {
			return i, true
		}
	}
	for i, c := range f.Categories {
		if c.Label == s {
			return i, true
		}
	}
	if f.Type != TypeInteger && f.Type != TypeNumber {
		return -1, false
	}
	x, msg := parseCell(f, s)
	if msg != "" {
		return -1, false
	}
	for i, c := range f.Categories {
		if y, ok := categoryNumber(f, c); ok && y == x {
			return i, true
		}
	}
	return -1, false
}

func categoryNumber(f *Field, c Category) (float64, bool) {
	if c.number {
		x, err := strconv.ParseFloat(c.Value, 64)
		return x, err == nil && (f.Type != TypeInteger || x == math.Trunc(x))
	}
	x, msg := parseCell(f, c.Value)
	return x, msg == ""
}

// CategoryCodes lists the category values (the codes in the data) in
// order: the keys of terms, levels and JSON.
func (f *Field) CategoryCodes() []string { return categoryValues(f) }

// CategoryNames lists the category codes in order (as CategoryCodes).
func (f *Field) CategoryNames() []string { return f.CategoryCodes() }

// CategoryLabels lists the categories' display labels in lang, in order.
func (f *Field) CategoryLabels(lang string) []string {
	out := make([]string, len(f.Categories))
	for i, c := range f.Categories {
		out[i] = c.DisplayLabel(lang)
	}
	return out
}

// Field returns the field called name.
func (s *Schema) Field(name string) (*Field, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// FieldNames lists the field names in order.
func (s *Schema) FieldNames() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

// FieldsWithRole lists the names of the fields that carry role, in order.
func (s *Schema) FieldsWithRole(role string) []string {
	var out []string
	for _, f := range s.Fields {
		if f.Role == role {
			out = append(out, f.Name)
		}
	}
	return out
}

// Outcome returns the name of the outcome field ("" if none is marked).
func (s *Schema) Outcome() string {
	if o := s.FieldsWithRole(RoleOutcome); len(o) > 0 {
		return o[0]
	}
	return ""
}

func anyToString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

func formatNumber(v float64, typ string) string {
	if typ == TypeInteger || typ == TypeYear || typ == TypeBoolean {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
