package dataset

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// benchCSV, when set, is where BenchmarkLoadWide writes its file (and
// the schema beside it, as NAME.schema.json), so that
// bench/load_compare.sh can time ccstudy and R on the very same bytes.
var benchCSV = flag.String("bench-csv", "", "also write BenchmarkLoadWide's CSV to this path")

// wideSchema is a 12-column study schema with the usual field types and
// constraints: a string primary key, an outcome, integers, numbers with
// bounds and missing values, categories, a boolean and a year.
const wideSchema = `{
  "name": "wide",
  "missingValues": ["", "NA"],
  "primaryKey": "id",
  "fields": [
    {"name": "id", "type": "string", "role": "id", "constraints": {"required": true, "unique": true}},
    {"name": "case", "type": "integer", "role": "outcome", "constraints": {"required": true, "enum": [0, 1]}},
    {"name": "age", "type": "integer", "role": "covariate", "constraints": {"minimum": 18, "maximum": 95}},
    {"name": "bmi", "type": "number", "role": "covariate", "constraints": {"minimum": 10, "maximum": 70}},
    {"name": "sex", "type": "string", "role": "covariate", "categories": [{"value": "female"}, {"value": "male"}]},
    {"name": "smoker", "type": "boolean", "role": "covariate"},
    {"name": "region", "type": "string", "role": "covariate", "categories": [{"value": "north"}, {"value": "south"}, {"value": "east"}, {"value": "west"}, {"value": "centre"}]},
    {"name": "year", "type": "year", "role": "covariate", "constraints": {"minimum": 1990, "maximum": 2025}},
    {"name": "income", "type": "number", "role": "covariate", "constraints": {"minimum": 0}},
    {"name": "score", "type": "number", "role": "covariate"},
    {"name": "visits", "type": "integer", "role": "covariate", "constraints": {"minimum": 0}},
    {"name": "exposure", "type": "number", "role": "covariate"}
  ]
}`

// wideCSV writes n rows for wideSchema from a seeded generator: about 5%
// of income and exposure are missing (NA or empty).
func wideCSV(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	b.Grow(n * 80)
	b.WriteString("id,case,age,bmi,sex,smoker,region,year,income,score,visits,exposure\n")
	sexes := []string{"female", "male"}
	regions := []string{"north", "south", "east", "west", "centre"}
	bools := []string{"true", "false", "1", "0"}
	var buf []byte
	for i := 0; i < n; i++ {
		buf = buf[:0]
		buf = append(buf, 'S')
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(rng.IntN(2)), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(18+rng.IntN(77)), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, 15+20*rng.Float64(), 'f', 1, 64)
		buf = append(buf, ',')
		buf = append(buf, sexes[rng.IntN(2)]...)
		buf = append(buf, ',')
		buf = append(buf, bools[rng.IntN(4)]...)
		buf = append(buf, ',')
		buf = append(buf, regions[rng.IntN(5)]...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(1990+rng.IntN(36)), 10)
		buf = append(buf, ',')
		if rng.IntN(20) == 0 {
			buf = append(buf, "NA"...)
		} else {
			buf = strconv.AppendFloat(buf, 1000*rng.ExpFloat64(), 'f', 2, 64)
		}
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, rng.NormFloat64(), 'g', 6, 64)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(rng.IntN(12)), 10)
		buf = append(buf, ',')
		if rng.IntN(20) != 0 {
			buf = strconv.AppendFloat(buf, rng.Float64(), 'f', 4, 64)
		}
		buf = append(buf, '\n')
		b.Write(buf)
	}
	return b.Bytes()
}

func wideSchemaOf(t testing.TB) *Schema {
	t.Helper()
	s, err := ParseSchema([]byte(wideSchema), "wide.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// BenchmarkLoadWide is load + validate of a 10^6-row, 12-column CSV
// read from a file, as `ccstudy validate --data` does.
func BenchmarkLoadWide(b *testing.B) {
	data := wideCSV(1, 1_000_000)
	path := filepath.Join(b.TempDir(), "wide.csv")
	if *benchCSV != "" {
		path = *benchCSV
		schema := strings.TrimSuffix(path, ".csv") + ".schema.json"
		if err := os.WriteFile(schema, []byte(wideSchema), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	s := wideSchemaOf(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		tab, err := Load(f, "wide.csv", s, LoadOptions{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if tab.NRows() != 1_000_000 {
			b.Fatalf("%d rows", tab.NRows())
		}
	}
}

// BenchmarkScanDecimal is the fast path of a number cell, on the cells of
// bench/compare_data.R's load.csv (four decimals, two to eight digits).
func BenchmarkScanDecimal(b *testing.B) {
	cells := []string{"9.741", "16.9652", "33.1193", "40.8539", "53.3482", "60.8936", "-0.5", "100", "7.25", "12.0001"}
	b.ReportAllocs()
	var sum float64
	for b.Loop() {
		for _, c := range cells {
			x, _ := scanDecimal(c)
			sum += x
		}
	}
	if sum == 0 {
		b.Fatal("no value")
	}
}
