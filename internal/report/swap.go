package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// How a report replaces another as one step.
//
// The new report is written in full into DIR/.ccstudy-report-*/new (inside
// the target, so every rename stays on one file system). The swap then
// records a journal (which old files leave, which new files arrive, which
// folders it creates), moves the old report's own files into .../old,
// moves the new files in (manifest.json last) and commits by removing the
// journal. The old report's own files are the ones its manifest.json
// lists (and manifest.json): a user's file, inside tables/ and figures/
// too, is never moved, and one at a path the new report writes stops the
// swap before anything moves.
//
// A failed rename rolls the swap back. A crash (power loss, SIGKILL)
// leaves the journal, and the next `ccstudy report` into the folder rolls
// it back before anything else (CheckOutDir). SIGINT and SIGTERM wait for
// the swap to finish (interrupt.go). So the folder holds the old report
// or the new one, never a mix.

const journalName = "journal.json"

// journal is the record of a swap in progress; paths are slash-separated
// and relative to the out-dir.
type journal struct {
	Old  []string `json:"old"`
	New  []string `json:"new"`
	Dirs []string `json:"dirs"`
}

// writeFolder writes files (names in order, manifest.json last) into dir.
func writeFolder(fsys FS, dir string, files map[string][]byte, names []string) (err error) {
	var created []string
	if err := locked(func() (e error) { created, e = mkdirAll(fsys, dir); return e }); err != nil {
		removeEmpty(fsys, created)
		return fmt.Errorf("%s: cannot create the folder: %v", dir, PathErr(err))
	}
	var stage string
	if err := locked(func() (e error) { stage, e = fsys.MkdirTemp(dir, stagePattern); return e }); err != nil {
		removeEmpty(fsys, created)
		return fmt.Errorf("%s: cannot write: %v", dir, PathErr(err))
	}
	keepStage := false // a swap that could not be rolled back keeps its journal
	cleanup := func() {
		if !keepStage {
			fsys.RemoveAll(stage)
		}
		removeEmpty(fsys, created)
	}
	unregister := onInterrupt(cleanup)
	defer func() {
		unregister()
		if err != nil {
			cleanup()
		}
	}()
	newDir := filepath.Join(stage, "new")
	for _, n := range names {
		p := filepath.Join(newDir, filepath.FromSlash(n))
		if err := locked(func() error {
			if _, err := mkdirAll(fsys, filepath.Dir(p)); err != nil {
				return err
			}
			return fsys.WriteFile(p, files[n], 0o666)
		}); err != nil {
			return fmt.Errorf("%s: cannot write: %v", filepath.Join(dir, filepath.FromSlash(n)), PathErr(err))
		}
	}
	return locked(func() error {
		j, err := planSwap(fsys, dir, names)
		if err != nil {
			return err
		}
		if err := swap(fsys, dir, stage, j); err != nil {
			if rerr := rollback(fsys, dir, stage, j); rerr != nil {
				keepStage = true
				return fmt.Errorf("%v; restoring the previous report failed too (%v): it is kept in %s and the next 'ccstudy report --out-dir %s' restores it", err, PathErr(rerr), stage, dir)
			}
			return err
		}
		fsys.RemoveAll(stage) // the old report's files; the new one is committed
		removeEmpty(fsys, emptiedDirs(dir, j))
		return nil
	})
}

// planSwap lists the old report's own files and the folders the new one
// needs, and refuses paths the new report cannot take (a folder, or a
// parent that is a file) before anything moves.
func planSwap(fsys FS, dir string, names []string) (*journal, error) {
	j := &journal{New: names}
	old := map[string]bool{}
	if b, err := fsys.ReadFile(filepath.Join(dir, "manifest.json")); err == nil {
		var m struct {
			Files []ManifestFile `json:"files"`
		}
		if json.Unmarshal(b, &m) == nil {
			for _, f := range m.Files {
				old[f.Path] = true
			}
		}
		old["manifest.json"] = true
	}
	for _, n := range names {
		if old[n] {
			continue
		}
		if _, err := fsys.Lstat(filepath.Join(dir, filepath.FromSlash(n))); err == nil {
			return nil, fmt.Errorf("%s is not a file of the previous report (its manifest.json does not list it) and the new report writes one there; move it away and run again", filepath.Join(dir, filepath.FromSlash(n)))
		}
	}
	for n := range old {
		if !filepath.IsLocal(filepath.FromSlash(n)) || strings.HasPrefix(n, ".ccstudy-report-") {
			continue // not a path this tool writes
		}
		fi, err := fsys.Lstat(filepath.Join(dir, filepath.FromSlash(n)))
		switch {
		case err != nil:
			continue
		case fi.Mode().IsRegular():
			j.Old = append(j.Old, n)
		default:
			if contains(names, n) {
				return nil, fmt.Errorf("%s is not a regular file; the report writes a file there (move it away)", filepath.Join(dir, filepath.FromSlash(n)))
			}
		}
	}
	sort.Strings(j.Old)
	seen := map[string]bool{}
	for _, n := range names {
		for d := path.Dir(n); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			fi, err := fsys.Stat(filepath.Join(dir, filepath.FromSlash(d)))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				j.Dirs = append(j.Dirs, d)
			case err != nil:
				return nil, fmt.Errorf("%s: %v", filepath.Join(dir, filepath.FromSlash(d)), PathErr(err))
			case !fi.IsDir():
				return nil, fmt.Errorf("%s is not a folder; the report writes its files there (move it away)", filepath.Join(dir, filepath.FromSlash(d)))
			}
		}
	}
	sort.Strings(j.Dirs) // parents before children
	return j, nil
}

// swap moves the old files out and the new ones in, after recording j.
func swap(fsys FS, dir, stage string, j *journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := fsys.WriteFile(filepath.Join(stage, journalName), b, 0o666); err != nil {
		return fmt.Errorf("%s: cannot write: %v", dir, PathErr(err))
	}
	oldDir, newDir := filepath.Join(stage, "old"), filepath.Join(stage, "new")
	for _, n := range j.Old {
		p := filepath.Join(oldDir, filepath.FromSlash(n))
		if _, err := mkdirAll(fsys, filepath.Dir(p)); err != nil {
			return fmt.Errorf("%s: cannot write: %v", dir, PathErr(err))
		}
		if err := fsys.Rename(filepath.Join(dir, filepath.FromSlash(n)), p); err != nil {
			return fmt.Errorf("%s: cannot replace: %v", filepath.Join(dir, filepath.FromSlash(n)), PathErr(err))
		}
	}
	for _, d := range j.Dirs {
		if err := fsys.Mkdir(filepath.Join(dir, filepath.FromSlash(d)), 0o777); err != nil {
			return fmt.Errorf("%s: cannot create the folder: %v", filepath.Join(dir, filepath.FromSlash(d)), PathErr(err))
		}
	}
	for _, n := range j.New {
		dst := filepath.Join(dir, filepath.FromSlash(n))
		if err := fsys.Rename(filepath.Join(newDir, filepath.FromSlash(n)), dst); err != nil {
			return fmt.Errorf("%s: cannot write: %v", dst, PathErr(err))
		}
	}
	// The commit point: from here on the new report is the folder's.
	if err := fsys.Remove(filepath.Join(stage, journalName)); err != nil {
		return fmt.Errorf("%s: cannot write: %v", dir, PathErr(err))
	}
	return nil
}

// rollback undoes a swap recorded in j, in whatever state it stopped:
// new files still in place go back to the stage, folders the swap made
// go if empty, old files come back. It can run again after it failed.
func rollback(fsys FS, dir, stage string, j *journal) error {
	oldDir, newDir := filepath.Join(stage, "old"), filepath.Join(stage, "new")
	var first error
	note := func(err error) {
		if first == nil {
			first = err
		}
	}
	for i := len(j.New) - 1; i >= 0; i-- {
		n := filepath.FromSlash(j.New[i])
		src, dst := filepath.Join(dir, n), filepath.Join(newDir, n)
		if !exists(fsys, src) || exists(fsys, dst) {
			continue // never moved in (the file in dir, if any, is the old one)
		}
		if _, err := mkdirAll(fsys, filepath.Dir(dst)); err != nil {
			note(err)
			continue
		}
		if err := fsys.Rename(src, dst); err != nil {
			note(err)
		}
	}
	var dirs []string
	for _, d := range j.Dirs {
		dirs = append(dirs, filepath.Join(dir, filepath.FromSlash(d)))
	}
	removeEmpty(fsys, dirs)
	for _, n := range j.Old {
		src := filepath.Join(oldDir, filepath.FromSlash(n))
		if !exists(fsys, src) {
			continue // never moved out
		}
		if err := fsys.Rename(src, filepath.Join(dir, filepath.FromSlash(n))); err != nil {
			note(err)
		}
	}
	if first != nil {
		return first
	}
	if err := fsys.Remove(filepath.Join(stage, journalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return fsys.RemoveAll(stage)
}

// recoverStaging removes the staging folders an interrupted run left in
// dir, first rolling back a swap one was in the middle of (its journal
// is still there).
func recoverStaging(fsys FS, dir string) error {
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return nil // reported by the caller
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".ccstudy-report-") {
			continue
		}
		stage := filepath.Join(dir, e.Name())
		err := locked(func() error {
			b, err := fsys.ReadFile(filepath.Join(stage, journalName))
			if errors.Is(err, fs.ErrNotExist) {
				return fsys.RemoveAll(stage) // never swapped, or already committed
			}
			var j journal
			if err == nil {
				err = json.Unmarshal(b, &j)
			}
			if err != nil {
				return err
			}
			return rollback(fsys, dir, stage, &j)
		})
		if err != nil {
			return fmt.Errorf("%s: cannot restore the report an interrupted run was replacing: %v (the previous report's files are in %s)", dir, PathErr(err), stage)
		}
	}
	return nil
}

// emptiedDirs are the folders of the old report's files that the new one
// does not use (an old figures/ after a run without figures), parents
// first; removeEmpty removes those left empty.
func emptiedDirs(dir string, j *journal) []string {
	used := map[string]bool{}
	for _, n := range j.New {
		for d := path.Dir(n); d != "."; d = path.Dir(d) {
			used[d] = true
		}
	}
	set := map[string]bool{}
	for _, n := range j.Old {
		for d := path.Dir(n); d != "." && !used[d]; d = path.Dir(d) {
			set[d] = true
		}
	}
	var out []string
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	for i, d := range out {
		out[i] = filepath.Join(dir, filepath.FromSlash(d))
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
