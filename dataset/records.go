package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Input formats Load and Infer recognise besides CSV.
const (
	formatCSV     = ""
	formatXLSX    = "xlsx"
	formatParquet = "parquet"
)

// DetectFormat names the format of a data file from its first bytes
// (PK\x03\x04, a ZIP archive, for xlsx; PAR1 for Parquet), else from the
// extension of its name; "" is CSV, as is any file named .csv or .txt.
func DetectFormat(source string, raw []byte) string {
	name := strings.ToLower(source)
	if strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".txt") {
		// Named as text: the CSV loader says what it is instead (a
		// workbook saved under a .csv name, a UTF-16 file, …).
		return formatCSV
	}
	switch {
	case bytes.HasPrefix(raw, []byte("PAR1")):
		return formatParquet
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")):
		return formatXLSX
	}
	switch {
	case strings.HasSuffix(name, ".parquet") || strings.HasSuffix(name, ".parq"):
		return formatParquet
	case strings.HasSuffix(name, ".xlsx") || strings.HasSuffix(name, ".xlsm"):
		return formatXLSX
	}
	return formatCSV
}

// recordFile is a data file other than CSV as the loader's record stream:
// the header and the data rows as text, with where each row and cell is
// in the original file.
type recordFile struct {
	// rows[0] is the header.
	rows [][]string
	// rowNum[i] is the number of rows[i] in the file, as messages and
	// Table.Lines give it (a sheet's row; a Parquet file's data row,
	// counted from 1, and 0 for its header, which is the file's schema).
	rowNum []int
	// position locates a cell for messages: rec indexes rows (-1: the
	// whole column), colIndex is 1-based (0: the whole row).
	position func(rec, colIndex int, col string) string
}

// readForeign reads an xlsx or Parquet file into records.
func readForeign(format string, raw []byte, source string, opts LoadOptions) (*recordFile, error) {
	switch format {
	case formatXLSX:
		return readXLSX(raw, source, opts.Sheet)
	case formatParquet:
		return readParquet(raw, source)
	}
	return nil, fmt.Errorf("%s: unknown format %q", source, format)
}

// rowRef finds the row numbers the loader's messages quote ("first at
// row 3", "the last at row 40"), which are lines of the CSV form.
var rowRef = regexp.MustCompile(`\brow (\d+)\b`)

// loadForeign loads an xlsx or Parquet file: its records go through the
// CSV loader unchanged (written as CSV, so every check is the same), and
// the rows and cells in the messages, Table.Lines and the warnings are
// mapped back to the original file's positions. SHA256 is the original
// file's.
func loadForeign(format string, raw []byte, source string, s *Schema, opts LoadOptions) (*Table, error) {
	rec, err := readForeign(format, raw, source, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	recOfLine := map[int]int{}
	line := 1
	for i, r := range rec.rows {
		before := buf.Len()
		if err := cw.Write(r); err != nil {
			return nil, err
		}
		cw.Flush()
		recOfLine[line] = i
		line += bytes.Count(buf.Bytes()[before:], []byte("\n"))
	}
	opts.Encoding = "" // the records are UTF-8 text
	opts.csvForm = true
	rowOf := func(line int) int {
		if i, ok := recOfLine[line]; ok {
			return rec.rowNum[i]
		}
		return line
	}
	fixRefs := func(msg string) string {
		return rowRef.ReplaceAllStringFunc(msg, func(m string) string {
			n, _ := strconv.Atoi(m[len("row "):])
			return "row " + strconv.Itoa(rowOf(n))
		})
	}
	t, err := Load(bytes.NewReader(buf.Bytes()), source, s, opts)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			for k := range ve.Problems {
				p := &ve.Problems[k]
				switch {
				case p.MoreRows > 0:
					p.Position = rec.position(-1, p.ColumnIndex, p.Column)
					p.Row = rowOf(p.Row)
				case p.Row > 0:
					i := recOfLine[p.Row]
					p.Position = rec.position(i, p.ColumnIndex, p.Column)
					p.Row = rec.rowNum[i]
				default:
					p.Position = rec.position(-1, 0, "")
				}
				p.Message = fixRefs(p.Message)
			}
		}
		return nil, err
	}
	for i, l := range t.Lines {
		t.Lines[i] = rowOf(l)
	}
	// Warnings name the header line as source:1:.
	for i, w := range t.Warnings {
		if rest, ok := strings.CutPrefix(w, source+":1:"); ok {
			if pos := rec.position(0, 0, ""); pos != "" {
				w = source + ":" + pos + ":" + rest
			} else {
				w = source + ":" + rest
			}
		}
		t.Warnings[i] = fixRefs(w)
	}
	sum := sha256.Sum256(raw)
	t.SHA256 = hex.EncodeToString(sum[:])
	return t, nil
}

// inferForeign drafts a schema from an xlsx or Parquet file's records.
func inferForeign(format string, raw []byte, source string, opts InferOptions) (*Inferred, error) {
	rec, err := readForeign(format, raw, source, LoadOptions{Sheet: opts.Sheet})
	if err != nil {
		return nil, err
	}
	return InferRecords(rec.rows[0], rec.rows[1:], source, opts)
}
