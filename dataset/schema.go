package dataset

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

//go:embed schemas/*.json
var schemaFS embed.FS

// Field types of Table Schema that ccstudy reads.
const (
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeString  = "string"
	TypeBoolean = "boolean"
	TypeYear    = "year"
)

// Roles a field may carry (a custom Table Schema property that other
// tools ignore). Analyses take their default outcome and covariates from
// them, so a user's own schema gets the same defaults as the study's.
const (
	RoleID          = "id"
	RoleOutcome     = "outcome"
	RoleCovariate   = "covariate"
	RoleDescription = "description"
)

// Schema is a Frictionless Data Table Schema.
type Schema struct {
	Name          string       `json:"name,omitempty"`
	Title         string       `json:"title,omitempty"`
	Description   string       `json:"description,omitempty"`
	Fields        []*Field     `json:"fields"`
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    StringOrList `json:"primaryKey,omitempty"`
	ForeignKeys   []ForeignKey `json:"foreignKeys,omitempty"`
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
type Field struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Role        string `json:"role,omitempty"`
	// Transform "log" asks analyses to use log(x) by default (custom property).
	Transform   string      `json:"transform,omitempty"`
	Constraints Constraints `json:"constraints,omitempty"`
	// Categories lists the levels of a categorical field; the first is the
	// reference level.
	Categories []Category `json:"categories,omitempty"`
}

// Constraints are the Table Schema constraints ccstudy enforces.
type Constraints struct {
	Required         bool     `json:"required,omitempty"`
	Unique           bool     `json:"unique,omitempty"`
	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum *float64 `json:"exclusiveMaximum,omitempty"`
	EnumRaw          []any    `json:"enum,omitempty"`
}

// Category is one level of a categorical field. Table Schema allows a
// bare value or a {value, label} object.
type Category struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
}

// Name is the label if there is one, else the value: the name used in
// term names and tables.
func (c Category) Name() string {
	if c.Label != "" {
		return c.Label
	}
	return c.Value
}

// UnmarshalJSON accepts both a bare value and a {value, label} object.
func (c *Category) UnmarshalJSON(b []byte) error {
	var obj struct {
		Value any    `json:"value"`
		Label string `json:"label"`
	}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		c.Value, c.Label = anyToString(obj.Value), obj.Label
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.Value = anyToString(v)
	return nil
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

// CategoryIndex returns the index of the category whose value or label is s.
func (f *Field) CategoryIndex(s string) (int, bool) {
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
	return -1, false
}

// CategoryNames lists the category names in order.
func (f *Field) CategoryNames() []string {
	out := make([]string, len(f.Categories))
	for i, c := range f.Categories {
		out[i] = c.Name()
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

// BuiltinSchema returns the embedded study schema "companies" or "products".
func BuiltinSchema(name string) (*Schema, error) {
	b, err := BuiltinSchemaJSON(name)
	if err != nil {
		return nil, err
	}
	return ParseSchema(b, "embedded:"+name)
}

// BuiltinSchemaJSON returns the raw JSON of an embedded study schema.
func BuiltinSchemaJSON(name string) ([]byte, error) {
	b, err := schemaFS.ReadFile("schemas/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("no built-in schema %q (expected companies or products)", name)
	}
	return b, nil
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
