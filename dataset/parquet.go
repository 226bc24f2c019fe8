package dataset

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// readParquet reads a Parquet file as records: the header is the names
// of its columns, each row a data row (positions in messages count the
// data rows from 1, as `row 14:column age`).
//
// Only flat files are read: each column a top-level field, required or
// optional, not a list, map or group. Values are written as the loader
// reads text: a null is an empty cell (missing under the default
// missingValues), integers and decimals in full, floating-point numbers
// in their shortest round-trip form, booleans as true/false, DATE as
// 2024-03-14, TIMESTAMP in ISO 8601 (UTC when the file says so), text
// as it is.
func readParquet(raw []byte, source string) (*recordFile, error) {
	f, err := parquet.OpenFile(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable Parquet file: %v", source, err)
	}
	cols := f.Root().Columns()
	header := make([]string, len(cols))
	conv := make([]func(parquet.Value) string, len(cols))
	for j, c := range cols {
		header[j] = c.Name()
		if !c.Leaf() || c.MaxRepetitionLevel() > 0 {
			return nil, fmt.Errorf("%s: column %q is a nested or repeated field (expected flat columns: one value per row, as DuckDB and Spark write a table of scalars)", source, c.Name())
		}
		conv[j] = parquetText(c.Type())
	}
	rec := &recordFile{rows: [][]string{header}, rowNum: []int{0}}
	buf := make([]parquet.Row, 256)
	n := 0
	for _, rg := range f.RowGroups() {
		rows := rg.Rows()
		for {
			k, err := rows.ReadRows(buf)
			for _, row := range buf[:k] {
				n++
				out := make([]string, len(cols))
				for _, v := range row {
					if j := v.Column(); j >= 0 && j < len(cols) && !v.IsNull() {
						out[j] = conv[j](v)
					}
				}
				rec.rows = append(rec.rows, out)
				rec.rowNum = append(rec.rowNum, n)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("%s: row %d: reading: %v", source, n+1, err)
			}
		}
		rows.Close()
	}
	rec.position = func(i, colIndex int, col string) string {
		var parts []string
		if i > 0 {
			parts = append(parts, "row "+strconv.Itoa(rec.rowNum[i]))
		}
		if colIndex > 0 {
			if col == "" && colIndex <= len(header) {
				col = header[colIndex-1]
			}
			parts = append(parts, "column "+col)
		}
		return strings.Join(parts, ":")
	}
	return rec, nil
}

// parquetText returns the function that writes a value of type t as text.
func parquetText(t parquet.Type) func(parquet.Value) string {
	lt := t.LogicalType()
	if lt != nil {
		switch l := lt.Value.(type) {
		case *format.DateType:
			return func(v parquet.Value) string {
				return time.Unix(int64(v.Int32())*86400, 0).UTC().Format("2006-01-02")
			}
		case *format.TimestampType:
			unit := time.Millisecond
			switch l.Unit.Value.(type) {
			case *format.MicroSeconds:
				unit = time.Microsecond
			case *format.NanoSeconds:
				unit = time.Nanosecond
			}
			return func(v parquet.Value) string {
				ts := time.Unix(0, 0).Add(time.Duration(v.Int64()) * unit).UTC()
				if l.IsAdjustedToUTC {
					return ts.Format(time.RFC3339Nano)
				}
				return ts.Format("2006-01-02T15:04:05.999999999")
			}
		case *format.DecimalType:
			scale := int(l.Scale)
			return func(v parquet.Value) string { return decimalText(v, scale) }
		}
	}
	switch t.Kind() {
	case parquet.Boolean:
		return func(v parquet.Value) string { return strconv.FormatBool(v.Boolean()) }
	case parquet.Int32:
		if lt != nil {
			if it, ok := lt.Value.(*format.IntType); ok && !it.IsSigned {
				return func(v parquet.Value) string { return strconv.FormatUint(uint64(uint32(v.Int32())), 10) }
			}
		}
		return func(v parquet.Value) string { return strconv.FormatInt(int64(v.Int32()), 10) }
	case parquet.Int64:
		if lt != nil {
			if it, ok := lt.Value.(*format.IntType); ok && !it.IsSigned {
				return func(v parquet.Value) string { return strconv.FormatUint(uint64(v.Int64()), 10) }
			}
		}
		return func(v parquet.Value) string { return strconv.FormatInt(v.Int64(), 10) }
	case parquet.Float:
		return func(v parquet.Value) string { return strconv.FormatFloat(float64(v.Float()), 'g', -1, 32) }
	case parquet.Double:
		return func(v parquet.Value) string { return strconv.FormatFloat(v.Double(), 'g', -1, 64) }
	}
	return func(v parquet.Value) string { return string(v.ByteArray()) }
}

// decimalText writes a DECIMAL value (an int32, int64 or big-endian
// two's-complement byte array scaled by 10^-scale) exactly.
func decimalText(v parquet.Value, scale int) string {
	var x big.Int
	switch v.Kind() {
	case parquet.Int32:
		x.SetInt64(int64(v.Int32()))
	case parquet.Int64:
		x.SetInt64(v.Int64())
	default:
		b := v.ByteArray()
		x.SetBytes(b)
		if len(b) > 0 && b[0]&0x80 != 0 { // negative: subtract 2^(8·len)
			x.Sub(&x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
		}
	}
	s := x.String()
	if scale <= 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= scale {
		s = "0" + s
	}
	s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}
