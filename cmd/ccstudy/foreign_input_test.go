package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
)

// pimaRecords reads the Pima CSV of testdata/foreign.
func pimaRecords(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile(testdataPath("foreign/pima/pima.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// writeXLSX saves recs as sheet "Pima" (numbers as numbers) after an
// empty "Notes" sheet, so the data is --sheet 2 or --sheet Pima.
func writeXLSX(t *testing.T, path string, recs [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Pima"); err != nil {
		t.Fatal(err)
	}
	for r, rec := range recs {
		for c, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var val any = v
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				val = x
			}
			if err := f.SetCellValue("Pima", cell, val); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// writeParquet saves recs as a Parquet file of text columns (the loader
// reads the numbers out of them as it does out of a CSV).
func writeParquet(t *testing.T, path string, recs [][]string) {
	t.Helper()
	group := parquet.Group{}
	for _, name := range recs[0] {
		group[name] = parquet.Optional(parquet.String())
	}
	schema := parquet.NewSchema("pima", group)
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	for _, r := range recs[1:] {
		row := make(parquet.Row, 0, len(r))
		for k, col := range schema.Columns() {
			j := indexOfName(recs[0], col[0])
			row = append(row, parquet.ValueOf(r[j]).Level(0, 1, k))
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func indexOfName(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// dataIdentity matches the lines of the JSON that name the input file.
var dataIdentity = regexp.MustCompile(`(?m)^\s*"(path|sha256)": .*$`)

// TestDataXLSXAndParquet: logit on the Pima data saved as xlsx (second
// sheet, chosen by --sheet) and as Parquet gives the JSON of the CSV,
// but for the file's path and hash; a bad cell is reported at its
// sheet cell or Parquet row; schema infer reads both.
func TestDataXLSXAndParquet(t *testing.T) {
	dir := t.TempDir()
	recs := pimaRecords(t)
	xlsx, pq := filepath.Join(dir, "pima.xlsx"), filepath.Join(dir, "pima.parquet")
	writeXLSX(t, xlsx, recs)
	writeParquet(t, pq, recs)
	schema := testdataPath("foreign/pima/pima.schema.json")
	base := []string{"logit", "--schema", schema, "--format", "json"}
	want, errOut, code := runCLI(t, "", append(base, "--data", testdataPath("foreign/pima/pima.csv"))...)
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"--data", xlsx, "--sheet", "Pima"}, {"--data", xlsx, "--sheet", "2"}, {"--data", pq}} {
		got, errOut, code := runCLI(t, "", append(base, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if dataIdentity.ReplaceAllString(got, "") != dataIdentity.ReplaceAllString(want, "") {
			t.Errorf("%v: the JSON differs from the CSV's beyond path and sha256", args)
		}
	}
	// The first sheet is empty: said so, exit 1.
	_, errOut, code = runCLI(t, "", "validate", "--schema", schema, "--data", xlsx)
	if code != 1 || !strings.Contains(errOut, "pima.xlsx:Notes: the sheet is empty") {
		t.Errorf("first (empty) sheet: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "", "validate", "--schema", schema, "--data", xlsx, "--sheet", "Pim")
	if code != 1 || !strings.Contains(errOut, `no sheet "Pim"`) {
		t.Errorf("--sheet Pim: exit %d: %s", code, errOut)
	}

	// A bad cell: glu (column C) of the 4th data row (sheet row 5).
	recs[4][2] = "high"
	writeXLSX(t, xlsx, recs)
	writeParquet(t, pq, recs)
	_, errOut, code = runCLI(t, "", "validate", "--schema", schema, "--data", xlsx, "--sheet", "Pima")
	if code != 1 || !strings.Contains(errOut, xlsx+":Pima!C5: ") {
		t.Errorf("xlsx bad cell: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "", "validate", "--schema", schema, "--data", pq)
	if code != 1 || !strings.Contains(errOut, pq+":row 4:column glu: ") {
		t.Errorf("parquet bad cell: exit %d: %s", code, errOut)
	}

	out, errOut, code := runCLI(t, "", "schema", "infer", pq, "--format", "json")
	if code != 0 || !strings.Contains(out, `"name": "glu"`) {
		t.Errorf("schema infer parquet: exit %d: %s\n%s", code, errOut, out)
	}
}
