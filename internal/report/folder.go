package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/ccstudy/ccstudy/internal/render"
)

// ownFiles are the entries of an out-dir that are the report's own:
// --force replaces them and leaves every other file alone.
var ownFiles = []string{"report.md", "report.html", "manifest.json", "tables", "figures"}

// CheckOutDir refuses an out-dir that is a file, or a non-empty folder
// without force, before any work is done.
func CheckOutDir(dir string, force bool) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: cannot write the report there: %v (expected a folder path for --out-dir)", dir, PathErr(err))
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder (expected a folder for --out-dir)", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: %v", dir, PathErr(err))
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("%s exists and is not empty (use --force to replace its report files; other files are left alone)", dir)
	}
	return nil
}

// Write writes report.md, report.html, tables/, figures/ and
// manifest.json into a temporary folder beside dir and moves them into
// place at the end, so an interrupted run never leaves a half report.
func (r *Report) Write(dir string) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create folder: %v", parent, PathErr(err))
	}
	tmp, err := os.MkdirTemp(parent, ".ccstudy-report-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", parent, PathErr(err))
	}
	defer os.RemoveAll(tmp) // empty after a successful move
	files := map[string][]byte{}
	svgs := map[string][]byte{}
	var figs []Figure
	for _, s := range r.Sections {
		if s.Status != statusOK {
			continue // a failed or skipped step has no tables or figures
		}
		var js bytes.Buffer
		if err := render.WriteJSON(&js, s.out.Result); err != nil {
			return err
		}
		files["tables/"+s.Name+".json"] = js.Bytes()
		for _, t := range s.out.Doc.Tables {
			var b bytes.Buffer
			if err := render.WriteTableCSV(&b, t, false, false); err != nil {
				return err
			}
			files["tables/"+SafeName(s.Name+"_"+t.Name)+".csv"] = b.Bytes()
		}
		for _, f := range s.out.Figures {
			if f.Err == nil {
				figs = append(figs, f)
			}
		}
	}
	rendered, err := renderFigures(figs)
	if err != nil {
		return err
	}
	for i, f := range figs {
		files["figures/"+f.Name+".svg"], files["figures/"+f.Name+".png"] = rendered[i][0], rendered[i][1]
		svgs[f.Name] = rendered[i][0]
	}
	md, err := r.Markdown()
	if err != nil {
		return err
	}
	files["report.md"] = md
	if files["report.html"], err = html(md, svgs, r.Lang); err != nil {
		return err
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
		return err
	}
	files["manifest.json"] = mj.Bytes()
	names = append(names, "manifest.json")
	for _, n := range names {
		p := filepath.Join(tmp, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("%s: %v", tmp, PathErr(err))
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return fmt.Errorf("%s: cannot write: %v", p, PathErr(err))
		}
	}
	return moveIntoPlace(tmp, dir)
}

// renderFigures encodes every figure as SVG and PNG on all cores (PNG
// encoding is most of a report's time); results keep the figures' order,
// so the output does not depend on scheduling.
func renderFigures(figs []Figure) ([][2][]byte, error) {
	out := make([][2][]byte, len(figs))
	errs := make([]error, len(figs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				svg, err := figs[i].Drawing.SVG()
				if err == nil {
					out[i][1], err = figs[i].Drawing.PNG()
				}
				out[i][0], errs[i] = svg, err
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

// moveIntoPlace renames the finished report folder to dir, or, when dir
// already exists (empty, or --force), replaces the report's own entries
// in it one by one and leaves any other file alone.
func moveIntoPlace(tmp, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Chmod(tmp, 0o755); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("%s: cannot write: %v", dir, PathErr(err))
		}
		return nil
	}
	old := filepath.Join(tmp, ".previous")
	if err := os.Mkdir(old, 0o755); err != nil {
		return err
	}
	for _, name := range ownFiles {
		src, dst := filepath.Join(tmp, name), filepath.Join(dir, name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if _, err := os.Stat(dst); err == nil {
			if err := os.Rename(dst, filepath.Join(old, name)); err != nil {
				return fmt.Errorf("%s: cannot replace: %v", dst, PathErr(err))
			}
		}
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("%s: cannot write: %v", dst, PathErr(err))
		}
	}
	return nil
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
