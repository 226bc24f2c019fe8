package main

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Command-level benchmarks of issue 14's list (make bench). Each builds
// its input before the timed loop; none runs under go test without -bench.

// benchMain runs ccstudy with args and fails the benchmark on a non-zero
// exit.
func benchMain(b *testing.B, args ...string) {
	b.Helper()
	var errb bytes.Buffer
	if code := Main(args, strings.NewReader(""), io.Discard, &errb); code != 0 {
		b.Fatalf("ccstudy %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
}

// logitBenchCSV writes n rows of bench/logit.R's design: y and 9
// standard-normal covariates X1..X9 with logit.R's true coefficients
// (its numbers are not R's draws, only the shape and the model).
func logitBenchCSV(b *testing.B, path string, n int) {
	beta := []float64{-0.5, 0.4, -0.3, 0.2, 0.1, 0, 0.25, -0.15, 0.05, 0.3}
	rng := rand.New(rand.NewPCG(20211, 10))
	var buf bytes.Buffer
	buf.Grow(n * 100)
	buf.WriteString("y,X1,X2,X3,X4,X5,X6,X7,X8,X9\n")
	row := make([]byte, 0, 128)
	x := make([]float64, 9)
	for i := 0; i < n; i++ {
		eta := beta[0]
		for j := range x {
			x[j] = rng.NormFloat64()
			eta += beta[j+1] * x[j]
		}
		y := 0
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y = 1
		}
		row = strconv.AppendInt(row[:0], int64(y), 10)
		for _, v := range x {
			row = append(row, ',')
			row = strconv.AppendFloat(row, v, 'g', 8, 64)
		}
		row = append(row, '\n')
		buf.Write(row)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLogitCommand1e6 is `ccstudy logit --ci wald` at 10^6 × 10
// (the full model and each covariate alone, loading included), the work
// bench/compare.sh times against the same glm calls in R.
func BenchmarkLogitCommand1e6(b *testing.B) {
	dir := b.TempDir()
	data := filepath.Join(dir, "logit1e6.csv")
	logitBenchCSV(b, data, 1_000_000)
	schema := filepath.Join("..", "..", "bench", "logit1e6.schema.json")
	b.ReportAllocs()
	for b.Loop() {
		benchMain(b, "logit", "--data", data, "--schema", schema, "--ci", "wald", "--format", "json")
	}
}

// BenchmarkClusterCommand1e5 is `ccstudy cluster` with its defaults on a
// 10^5-row simulated study (simulate --seed 7 --population 500000
// --cases 50000 --controls 50000): the large-n path (subsampled restarts
// refined on all rows, gap and bootstrap on subsamples, silhouette on a
// 5000-row subsample).
func BenchmarkClusterCommand1e5(b *testing.B) {
	dir := b.TempDir()
	benchMain(b, "simulate", "--seed", "7", "--population", "500000", "--cases", "50000",
		"--controls", "50000", "--out-dir", dir)
	data := filepath.Join(dir, "companies.csv")
	products := filepath.Join(dir, "products.csv")
	b.ReportAllocs()
	for b.Loop() {
		benchMain(b, "cluster", "--data", data, "--products", products, "--format", "json")
	}
}

// BenchmarkReport is the whole `ccstudy report` on the embedded study
// with its defaults (gap B = 500, bootstrap B = 200, every glm with
// profile CIs), written to a fresh folder each time.
func BenchmarkReport(b *testing.B) {
	root := b.TempDir()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		benchMain(b, "report", "--out-dir", filepath.Join(root, strconv.Itoa(i)))
	}
}

// load12CSV writes n rows shaped as bench/compare_data.R's load.csv for
// bench/load12.schema.json: an id r0000001…, a 0/1 outcome, six numbers
// rounded to 4 decimals, two counts and two categories (the values are
// this generator's draws, not R's; the shape and the text are the same).
func load12CSV(b *testing.B, path string, n int) {
	rng := rand.New(rand.NewPCG(14, 12))
	var buf bytes.Buffer
	buf.Grow(n * 72)
	buf.WriteString("id,y,x1,x2,x3,x4,x5,x6,n1,n2,c1,c2\n")
	c1 := []string{"a", "b", "c"}
	c2 := []string{"low", "mid", "high"}
	row := make([]byte, 0, 128)
	for i := 0; i < n; i++ {
		row = append(row[:0], 'r')
		id := strconv.Itoa(i + 1)
		row = append(row, strings.Repeat("0", max(0, 7-len(id)))...)
		row = append(row, id...)
		row = append(row, ',')
		row = strconv.AppendInt(row, int64(rng.IntN(10)/7), 10)
		for j := 1; j <= 6; j++ {
			x := math.Round((10*float64(j)+float64(j)*rng.NormFloat64())*1e4) / 1e4
			row = append(row, ',')
			row = strconv.AppendFloat(row, x, 'f', -1, 64)
		}
		row = append(row, ',')
		row = strconv.AppendInt(row, int64(rng.IntN(7)), 10)
		row = append(row, ',')
		row = strconv.AppendInt(row, int64(30+rng.IntN(21)), 10)
		row = append(row, ',')
		row = append(row, c1[rng.IntN(3)]...)
		row = append(row, ',')
		row = append(row, c2[rng.IntN(3)]...)
		row = append(row, '\n')
		buf.Write(row)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkValidate1e6 is the "validate 10^6×12 CSV" row of
// bench/compare.sh in process: `ccstudy validate --quiet` on a
// 10^6-row file of bench/load12.schema.json's shape (issue 14, item 3).
func BenchmarkValidate1e6(b *testing.B) {
	dir := b.TempDir()
	data := filepath.Join(dir, "load.csv")
	load12CSV(b, data, 1_000_000)
	schema := filepath.Join("..", "..", "bench", "load12.schema.json")
	b.ReportAllocs()
	for b.Loop() {
		benchMain(b, "validate", "--data", data, "--schema", schema, "--quiet")
	}
}
