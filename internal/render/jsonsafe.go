package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
)

// marshalJSON encodes v as encoding/json does, except that non-finite
// numbers, which JSON cannot represent, become the strings "Inf" and
// "-Inf" (as R's jsonlite writes them) and null for NaN. A confidence
// limit that does not exist (separation) or an undefined statistic must
// not make the whole output fail.
func marshalJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	var uv *json.UnsupportedValueError
	if err == nil || !errors.As(err, &uv) {
		return b, err
	}
	var buf bytes.Buffer
	if err := encodeSafe(&buf, reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

// encodeSafe walks v like encoding/json: struct fields by their json tags
// (omitempty, "-", embedded structs promoted), maps with sorted keys,
// Marshaler implementations honoured when they succeed.
func encodeSafe(buf *bytes.Buffer, v reflect.Value) error {
	if !v.IsValid() {
		buf.WriteString("null")
		return nil
	}
	if v.Type().Implements(marshalerType) && !(v.Kind() == reflect.Pointer && v.IsNil()) {
		if b, err := v.Interface().(json.Marshaler).MarshalJSON(); err == nil {
			buf.Write(b)
			return nil
		}
		// Fall through: the Marshaler failed on a non-finite number
		// inside; encode the underlying value instead.
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		return encodeSafe(buf, v.Elem())
	case reflect.Float32, reflect.Float64:
		buf.WriteString(formatFloat(v.Float()))
		return nil
	case reflect.Struct:
		return encodeStruct(buf, v)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b, err := json.Marshal(v.Interface())
			buf.Write(b)
			return err
		}
		buf.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeSafe(buf, v.Index(i)); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case reflect.Map:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			kb, err := json.Marshal(k.Interface())
			if err != nil {
				return err
			}
			names[i] = strings.Trim(string(kb), `"`)
		}
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		sortByName(idx, names)
		buf.WriteByte('{')
		for n, i := range idx {
			if n > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(names[i])
			buf.Write(kb)
			buf.WriteByte(':')
			if err := encodeSafe(buf, v.MapIndex(keys[i])); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	}
	b, err := json.Marshal(v.Interface())
	buf.Write(b)
	return err
}

func sortByName(idx []int, names []string) {
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && names[idx[j]] < names[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}

func encodeStruct(buf *bytes.Buffer, v reflect.Value) error {
	buf.WriteByte('{')
	first := true
	var walk func(v reflect.Value) error
	walk = func(v reflect.Value) error {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			fv := v.Field(i)
			if f.Anonymous && name == "" {
				ev := fv
				if ev.Kind() == reflect.Pointer {
					if ev.IsNil() {
						continue
					}
					ev = ev.Elem()
				}
				if ev.Kind() == reflect.Struct {
					if err := walk(ev); err != nil {
						return err
					}
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if strings.Contains(opts, "omitempty") && isEmpty(fv) {
				continue
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			kb, _ := json.Marshal(name)
			buf.Write(kb)
			buf.WriteByte(':')
			if err := encodeSafe(buf, fv); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(v); err != nil {
		return err
	}
	buf.WriteByte('}')
	return nil
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// formatFloat writes a number as encoding/json does, and non-finite
// values as "Inf", "-Inf" or null.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "null"
	case math.IsInf(f, 1):
		return `"Inf"`
	case math.IsInf(f, -1):
		return `"-Inf"`
	}
	b, _ := json.Marshal(f)
	return string(b)
}
