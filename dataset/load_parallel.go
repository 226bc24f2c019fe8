package dataset

import (
	"encoding/csv"
	"hash/maphash"
	"io"
	"math/bits"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// A parallel load cuts the data rows into pieces at record boundaries,
// parses and checks each piece on its own core, and then replays, in
// file order, what needs the rows before it: duplicate keys and unique
// values, and the problems (whose cap and repeat summaries depend on
// their order). The result — table, problems, messages, row numbers —
// is the serial loader's exactly; TestParallelLoadIsSerial compares them.
//
// Boundaries: a newline is a record boundary when the number of quote
// marks before it is even. That holds in any file encoding/csv reads
// without error; a file with a quoting error is recognised (some piece
// then fails to parse, since a piece cut inside a quoted value runs into
// its end inside quotes) and read serially, so its messages are the
// serial ones too.

// keyRec is the primary key of one stored row, checked after the pieces.
type keyRec struct {
	line  int
	key   string
	hash  uint64 // of key, with the load's seed: picks the key's shard
	first int    // set by the key check: the line of an earlier same key, or 0
}

// piece is one part of the data rows.
type piece struct {
	text      string
	firstLine int // file line number of text's first line
	rows      int // lines in text: an upper bound on its records
	off       int // where its rows go in the table, before merging
	w         *loader
	failed    bool
}

// loadParallel loads the data rows (text[start:]) in pieces of about
// chunkBytes when there is more than one; it returns false, having
// changed nothing, when the file is small or must be read serially.
func (l *loader) loadParallel(text string, start, chunkBytes int) bool {
	if chunkBytes == 0 {
		chunkBytes = defaultChunkBytes
	}
	if chunkBytes < 0 || len(text)-start <= chunkBytes {
		return false
	}
	data := text[start:]        // cells are substrings of it: no copy per field
	l.seed = maphash.MakeSeed() // for sharding keys only: the result does not depend on it
	pieces := cutPieces(data, chunkBytes, 1+strings.Count(text[:start], "\n"))
	if len(pieces) < 2 {
		return false
	}
	total := 0
	for _, p := range pieces {
		p.off = total
		total += p.rows
	}
	// The whole table's storage, which the pieces fill in place; the
	// columns are restored to empty if the file is read serially after all.
	t := l.t
	empty := make([]*Column, len(t.Columns))
	for k, c := range t.Columns {
		cc := *c
		empty[k] = &cc
		c.Missing = make([]bool, total)
		if c.Num != nil {
			c.Num = make([]float64, total)
		}
		if c.Str != nil {
			c.Str = make([]string, total)
		}
	}
	t.Lines = make([]int, total)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pieces)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(pieces) {
					return
				}
				pieces[i].parse(l)
			}
		}()
	}
	wg.Wait()
	for _, p := range pieces {
		if p.failed {
			for k := range t.Columns {
				t.Columns[k] = empty[k]
			}
			t.Lines = nil
			return false
		}
	}
	l.merge(pieces)
	return true
}

// cutPieces cuts data into pieces of about size bytes at newlines outside
// quotes; firstLine is the file line of data's first byte.
func cutPieces(data string, size, firstLine int) []*piece {
	var starts []int
	parity := 0 // quote marks before pos, mod 2
	for pos := 0; pos < len(data); {
		starts = append(starts, pos)
		end := min(pos+size, len(data))
		parity ^= strings.Count(data[pos:end], `"`) & 1
		pos = end
		for pos < len(data) {
			i := strings.IndexByte(data[pos:], '\n')
			if i < 0 {
				pos = len(data)
				break
			}
			parity ^= strings.Count(data[pos:pos+i], `"`) & 1
			pos += i + 1
			if parity == 0 {
				break
			}
		}
	}
	pieces := make([]*piece, len(starts))
	line := firstLine
	for i, s := range starts {
		e := len(data)
		if i+1 < len(starts) {
			e = starts[i+1]
		}
		n := strings.Count(data[s:e], "\n")
		rows := n
		if !strings.HasSuffix(data[s:e], "\n") {
			rows++ // the last record has no newline
		}
		pieces[i] = &piece{text: data[s:e], firstLine: line, rows: rows}
		line += n
	}
	return pieces
}

// worker is a loader for one piece: it shares l's read-only state and
// has a recording problem list. Its columns are windows of l's, from
// row off with room for rows rows (a piece has no more records than
// lines), so the rows are stored in place and need no copy to merge.
func (l *loader) worker(off, rows int) *loader {
	w := *l
	w.ps = &problems{file: l.ps.file, record: true}
	w.deferred = true
	w.keys = nil
	w.keyRecs = nil
	if len(l.pk) > 0 {
		// Without a primary key this would be 40 bytes a line for nothing.
		w.keyRecs = make([]keyRec, 0, rows)
	}
	w.sawRows = false
	w.t = &Table{Lines: l.t.Lines[off : off : off+rows]}
	for _, c := range l.t.Columns {
		col := &Column{Field: c.Field, Missing: c.Missing[off : off : off+rows]}
		if c.Num != nil {
			col.Num = c.Num[off : off : off+rows]
		}
		if c.Str != nil {
			col.Str = c.Str[off : off : off+rows]
		}
		w.t.Columns = append(w.t.Columns, col)
	}
	return &w
}

// parse checks the piece's rows. Records are split here, exactly as
// encoding/csv splits them (CRLF or LF, blank lines skipped, a CR before
// the end of the file dropped, a field in quotes without quote marks
// inside it read as the text between them); from the first line that is
// anything else (a doubled quote mark, a quoted newline, a quoting
// error), the rest of the piece goes through encoding/csv.
func (p *piece) parse(l *loader) {
	w := l.worker(p.off, p.rows)
	p.w = w
	quoted := strings.IndexByte(p.text, '"') >= 0
	comma := byte(l.comma)
	rec := make([]string, 0, len(l.header))
	text, line := p.text, p.firstLine
	for ; len(text) > 0; line++ {
		rest := text
		var ln string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			ln, text = text[:i], text[i+1:]
		} else {
			ln, text = text, ""
		}
		ln = strings.TrimSuffix(ln, "\r")
		if ln == "" {
			continue
		}
		if quoted && strings.IndexByte(ln, '"') >= 0 {
			var ok bool
			if rec, ok = splitQuoted(rec[:0], ln, comma); !ok {
				p.parseCSV(w, rest, line, l.comma)
				return
			}
		} else {
			rec = splitLine(rec[:0], ln, comma)
		}
		w.row(rec, line)
	}
}

// parseCSV checks the records of text, the rest of the piece from file
// line firstLine, with encoding/csv.
func (p *piece) parseCSV(w *loader, text string, firstLine int, comma rune) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil { // a quoting error: the file is read serially
			p.failed = true
			return
		}
		line, _ := cr.FieldPos(0)
		w.row(rec, firstLine+line-1)
	}
}

// splitQuoted appends the cells of ln, one line holding a whole record,
// to rec, when every quote mark in it opens or closes a field in quotes
// ("abc" between delimiters or the line's ends), the cell being the text
// between them, as encoding/csv reads it. ok is false for anything else:
// a doubled quote mark, a quote left open (a newline in the value),
// text after a closing quote, a quote mark inside an unquoted field.
func splitQuoted(rec []string, ln string, comma byte) (_ []string, ok bool) {
	for i := 0; ; {
		if i < len(ln) && ln[i] == '"' {
			j := strings.IndexByte(ln[i+1:], '"')
			if j < 0 {
				return rec, false
			}
			end := i + 1 + j // the closing quote
			if end+1 < len(ln) && ln[end+1] != comma {
				return rec, false
			}
			rec = append(rec, ln[i+1:end])
			if end+1 == len(ln) {
				return rec, true
			}
			i = end + 2
		} else {
			cell := ln[i:]
			k := strings.IndexByte(cell, comma)
			if k >= 0 {
				cell = cell[:k]
			}
			if strings.IndexByte(cell, '"') >= 0 {
				return rec, false
			}
			rec = append(rec, cell)
			if k < 0 {
				return rec, true
			}
			i += k + 1
		}
		if i == len(ln) { // a delimiter ends the line: one more, empty cell
			return append(rec, ""), true
		}
	}
}

// splitLine appends the cells of ln, a record without quote marks, to
// rec. Cells are a few bytes long, too short for a strings.IndexByte call
// per cell to pay; the line is scanned eight bytes at a time instead, a
// comma being a zero byte of the word XOR eight commas.
func splitLine(rec []string, ln string, comma byte) []string {
	const lo7 = 0x7f7f7f7f7f7f7f7f
	commas := uint64(comma) * 0x0101010101010101
	from, i := 0, 0
	for ; i+8 <= len(ln); i += 8 {
		b := ln[i : i+8]
		y := (uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56) ^ commas
		// The high bit of each byte of y that is zero, exactly (no
		// borrow from one byte into the next).
		for z := ^((y&lo7 + lo7) | y | lo7); z != 0; z &= z - 1 {
			at := i + bits.TrailingZeros64(z)>>3
			rec = append(rec, ln[from:at])
			from = at + 1
		}
	}
	for ; i < len(ln); i++ {
		if ln[i] == comma {
			rec = append(rec, ln[from:i])
			from = i + 1
		}
	}
	return append(rec, ln[from:])
}

// merge appends the pieces' rows to l's table and replays their
// cross-row checks and problems in file order.
func (l *loader) merge(pieces []*piece) {
	// Close the gaps the pieces left (rows not stored, blank lines) by
	// moving each piece's rows down; a piece that outgrew its window
	// (it cannot, as records ≤ lines) is copied from where it went.
	n := 0
	for _, p := range pieces {
		l.sawRows = l.sawRows || p.w.sawRows
		m := len(p.w.t.Lines)
		moveDown(l.t.Lines[n:n+m], p.w.t.Lines)
		for k, c := range l.t.Columns {
			pc := p.w.t.Columns[k]
			moveDown(c.Missing[n:n+m], pc.Missing)
			if c.Num != nil {
				moveDown(c.Num[n:n+m], pc.Num)
			}
			if c.Str != nil {
				moveDown(c.Str[n:n+m], pc.Str)
			}
		}
		n += m
	}
	l.t.Lines = l.t.Lines[:n:n]
	for _, c := range l.t.Columns {
		c.Missing = c.Missing[:n:n]
		if c.Num != nil {
			c.Num = c.Num[:n:n]
		}
		if c.Str != nil {
			c.Str = c.Str[:n:n]
		}
	}
	if len(l.pk) > 0 {
		findDuplicateKeys(pieces)
	}
	for _, p := range pieces {
		ev := p.w.ps.events
		for _, kr := range p.w.keyRecs {
			for len(ev) > 0 && ev[0].row <= kr.line {
				l.replay(ev[0])
				ev = ev[1:]
			}
			if kr.first > 0 {
				l.duplicateKey(kr.key, kr.line, kr.first)
			}
		}
		for _, e := range ev {
			l.replay(e)
		}
	}
}

// moveDown copies src to dst unless it is there already.
func moveDown[T any](dst, src []T) {
	if len(src) > 0 && &dst[0] != &src[0] {
		copy(dst, src)
	}
}

// replay applies one recorded event to l.
func (l *loader) replay(e event) {
	switch e.op {
	case evProblem:
		l.ps.addKind(e.kind, e.row, e.col, e.colIndex, e.msg)
	case evUnique:
		l.checkUnique(l.seen[e.field], e.key, e.cell, e.row, e.col, e.colIndex)
	}
}

// findDuplicateKeys sets keyRec.first for every key seen on an earlier
// line. Keys are sharded by hash, one shard per core; each shard scans
// the keys in file order, so "first" is the serial loader's. A shard's
// table is open addressing on the hash the pieces already computed, so
// no key is hashed twice and no map grows a million times.
func findDuplicateKeys(pieces []*piece) {
	shards := runtime.GOMAXPROCS(0)
	total := 0
	for _, p := range pieces {
		total += len(p.w.keyRecs)
	}
	var wg sync.WaitGroup
	for s := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tab keyTable
			tab.init(total/shards + 1)
			for _, p := range pieces {
				for j := range p.w.keyRecs {
					kr := &p.w.keyRecs[j]
					if kr.hash%uint64(shards) == uint64(s) {
						tab.check(kr)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// keyTable is a set of keyRecs by key, with linear probing.
type keyTable struct {
	slots []*keyRec
	n     int
}

func (t *keyTable) init(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	t.slots = make([]*keyRec, size)
	t.n = 0
}

// check sets kr.first when a record with the same key is in the table
// and adds kr otherwise.
func (t *keyTable) check(kr *keyRec) {
	if 4*(t.n+1) > 3*len(t.slots) {
		old := t.slots
		t.init(len(old))
		for _, r := range old {
			if r != nil {
				t.insert(r)
			}
		}
	}
	mask := uint64(len(t.slots) - 1)
	for i := (kr.hash >> 16) & mask; ; i = (i + 1) & mask {
		r := t.slots[i]
		if r == nil {
			t.slots[i] = kr
			t.n++
			return
		}
		if r.hash == kr.hash && r.key == kr.key {
			kr.first = r.line
			return
		}
	}
}

func (t *keyTable) insert(kr *keyRec) {
	mask := uint64(len(t.slots) - 1)
	i := (kr.hash >> 16) & mask
	for t.slots[i] != nil {
		i = (i + 1) & mask
	}
	t.slots[i] = kr
	t.n++
}
