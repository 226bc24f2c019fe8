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
