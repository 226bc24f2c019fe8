package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/ccstudy/ccstudy/internal/render"
)

// stagePattern names the staging folder a report is written into, inside
// the out-dir itself so that the final renames never cross a file system
// (an out-dir that is a mount point or a symbolic link to another disk).
const stagePattern = ".ccstudy-report-*"

// CheckOutDir refuses, before any work is done, an out-dir the report
// cannot be written to: a file, a dangling symbolic link, a folder (or,
// for a new one, the nearest existing parent) that cannot be written, or
// a non-empty folder without force. It first restores the report a
// crashed run was replacing (see Write), so a folder is never left half
// old and half new.
func CheckOutDir(dir string, force bool) error { return checkOutDir(OSFS{}, dir, force) }

func checkOutDir(fsys FS, dir string, force bool) error {
	fi, err := fsys.Lstat(dir)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if fi, err = fsys.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s is a symbolic link to a folder that does not exist (expected a folder for --out-dir)", dir)
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return checkNewDir(fsys, dir)
	case err != nil:
		return fmt.Errorf("%s: cannot write the report there: %v (expected a folder path for --out-dir)", dir, PathErr(err))
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder (expected a folder for --out-dir)", dir)
	}
	if err := recoverStaging(fsys, dir); err != nil {
		return err
	}
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: cannot write the report there: %v", dir, PathErr(err))
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("%s exists and is not empty (use --force to replace its report files; other files are left alone)", dir)
	}
	return probeWritable(fsys, dir, dir)
}

// checkNewDir checks that a missing out-dir can be created: its nearest
// existing parent is a folder the user can write in.
func checkNewDir(fsys FS, dir string) error {
	for p := filepath.Dir(filepath.Clean(dir)); ; p = filepath.Dir(p) {
		fi, err := fsys.Stat(p)
		switch {
		case err == nil && fi.IsDir():
			return probeWritable(fsys, p, dir)
		case err == nil:
			return fmt.Errorf("%s: cannot create the folder: %s is a file (expected a folder path for --out-dir)", dir, p)
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("%s: cannot create the folder: %v", dir, PathErr(err))
		}
		if filepath.Dir(p) == p {
			return fmt.Errorf("%s: cannot create the folder (no parent exists)", dir)
		}
	}
}

// probeWritable creates and removes a folder in p, the only test of
// write access that holds for root, read-only mounts and ACLs alike.
func probeWritable(fsys FS, p, dir string) error {
	return locked(func() error { // an interruption waits: no probe is left
		probe, err := fsys.MkdirTemp(p, stagePattern)
		if err != nil {
			return fmt.Errorf("%s: cannot write the report there: %v", dir, PathErr(err))
		}
		return fsys.Remove(probe)
	})
}

// Write writes report.md, report.html, report.docx, tables.xlsx,
// tables/, figures/ and manifest.json into dir and returns the paths written (slash-separated,
// relative to dir). See writeFolder for how it stays atomic.
func (r *Report) Write(dir string) ([]string, error) {
	files, names, err := r.files()
	if err != nil {
		return nil, err
	}
	fsys := r.FS
	if fsys == nil {
		fsys = OSFS{}
	}
	if err := writeFolder(fsys, dir, files, names); err != nil {
		return nil, err
	}
	return names, nil
}

// files renders every file of the report in memory; names are sorted
// with manifest.json last.
func (r *Report) files() (map[string][]byte, []string, error) {
	files := map[string][]byte{}
	svgs := map[string][]byte{}
	var figs []Figure
	for _, s := range r.Sections {
		if s.Status != statusOK {
			continue // a failed or skipped step has no tables or figures
		}
		var js bytes.Buffer
		// Each step's JSON carries the synthetic label as --format json does.
		if err := render.Write(&js, "json", &render.Document{JSON: s.out.Result, Synthetic: r.syntheticNotice()}); err != nil {
			return nil, nil, err
		}
		files["tables/"+s.Name+".json"] = js.Bytes()
		for _, t := range s.out.Doc.Tables {
			var b bytes.Buffer
			// The rule of --format csv: the notice as "#" lines, then
			// the table as a "# name" block.
			if err := render.WriteCSV(&b, &render.Document{Preamble: append(r.preamble(), s.out.Doc.Preamble...), Tables: []render.Table{t}}); err != nil {
				return nil, nil, err
			}
			files["tables/"+SafeName(s.Name+"_"+t.Name)+".csv"] = b.Bytes()
		}
		for _, f := range s.out.Figures {
			if f.Err == nil {
				figs = append(figs, f)
			}
		}
	}
	formats := r.Figures.formats()
	rendered, err := renderFigures(figs, formats, r.Figures.DPI)
	if err != nil {
		return nil, nil, err
	}
	pngs := map[string][]byte{}
	for i, f := range figs {
		for j, format := range formats {
			files["figures/"+f.Name+"."+format] = rendered[i][j]
			switch format {
			case "svg":
				svgs[f.Name] = rendered[i][j]
			case "png":
				pngs[f.Name] = rendered[i][j]
			}
		}
	}
	md, err := r.Markdown()
	if err != nil {
		return nil, nil, err
	}
	files["report.md"] = md
	if files["report.html"], err = html(md, svgs, pngs, r.Lang); err != nil {
		return nil, nil, err
	}
	if files["report.docx"], err = r.docx(pngs); err != nil {
		return nil, nil, err
	}
	if files["tables.xlsx"], err = r.xlsx(); err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	man := r.manifest()
	for _, n := range names {
		sum := sha256.Sum256(files[n])
		man.Files = append(man.Files, ManifestFile{Path: n, SHA256: hex.EncodeToString(sum[:])})
	}
	var mj bytes.Buffer
	if err := render.WriteJSON(&mj, man); err != nil {
		return nil, nil, err
	}
	files["manifest.json"] = mj.Bytes()
	names = append(names, "manifest.json")
	return files, names, nil
}

// renderFigures encodes every figure in every format on all cores (PNG
// encoding is most of a report's time); out[i][j] is figure i in
// formats[j], so the output does not depend on scheduling.
func renderFigures(figs []Figure, formats []string, dpi map[string]int) ([][][]byte, error) {
	out := make([][][]byte, len(figs))
	errs := make([]error, len(figs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = make([][]byte, len(formats))
				for j, format := range formats {
					out[i][j], errs[i] = encodeFigure(figs[i].Drawing, format, dpi[format])
					if errs[i] != nil {
						break
					}
				}
			}
		}()
	}
	for i := range figs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", figs[i].Name, err)
		}
	}
	return out, nil
}

// encodeFigure renders d as format at dpi (0 for the default), through
// Encode when d has it.
func encodeFigure(d Drawing, format string, dpi int) ([]byte, error) {
	if e, ok := d.(Encoder); ok {
		return e.Encode(format, dpi)
	}
	switch format {
	case "svg":
		return d.SVG()
	case "png":
		return d.PNG()
	}
	return nil, fmt.Errorf("cannot be drawn as %s", format)
}

// PathErr drops the operation and path of a *fs.PathError: messages
// name the path themselves.
func PathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// SafeName keeps a name safe for every shell and file system:
// "log(rd_expenditure)" becomes "log_rd_expenditure" and
// "rd_expenditure@median" becomes "rd_expenditure_median".
func SafeName(s string) string {
	return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_")
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)
