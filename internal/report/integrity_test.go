package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// errCrash stands for the process dying: from the crash on, no file
// operation reaches the disk.
var errCrash = errors.New("simulated crash")

// faultFS is the operating system's file system with faults injected:
// crashAfter > 0 makes every operation after that many changes fail
// (a crash, then nothing), failRename > 0 fails only that rename (an
// immutable file), failMkdirTemp fails MkdirTemp in one folder.
type faultFS struct {
	OSFS
	changes, crashAfter int
	renames, failRename int
	failMkdirTemp       string
}

func (f *faultFS) change() error {
	if f.crashAfter > 0 && f.changes >= f.crashAfter {
		return errCrash
	}
	f.changes++
	return nil
}

func (f *faultFS) crashed() bool { return f.crashAfter > 0 && f.changes >= f.crashAfter }

func (f *faultFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	if err := f.change(); err != nil {
		return err
	}
	return f.OSFS.WriteFile(name, data, perm)
}

func (f *faultFS) Mkdir(name string, perm fs.FileMode) error {
	if err := f.change(); err != nil {
		return err
	}
	return f.OSFS.Mkdir(name, perm)
}

func (f *faultFS) MkdirTemp(dir, pattern string) (string, error) {
	if filepath.Clean(dir) == f.failMkdirTemp {
		return "", &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.EACCES}
	}
	if err := f.change(); err != nil {
		return "", err
	}
	return f.OSFS.MkdirTemp(dir, pattern)
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if err := f.change(); err != nil {
		return err
	}
	f.renames++
	if f.renames == f.failRename {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EPERM}
	}
	return f.OSFS.Rename(oldpath, newpath)
}

func (f *faultFS) Remove(name string) error {
	if err := f.change(); err != nil {
		return err
	}
	return f.OSFS.Remove(name)
}

func (f *faultFS) RemoveAll(name string) error {
	if err := f.change(); err != nil {
		return err
	}
	return f.OSFS.RemoveAll(name)
}

// reportSet is a report's files as writeFolder takes them, with a
// manifest listing the others; tag makes each set's contents its own.
func reportSet(t *testing.T, tag string, names ...string) (map[string][]byte, []string) {
	t.Helper()
	files := map[string][]byte{}
	var man Manifest
	sort.Strings(names)
	for _, n := range names {
		files[n] = []byte(tag + " " + n)
		sum := sha256.Sum256(files[n])
		man.Files = append(man.Files, ManifestFile{Path: n, SHA256: hex.EncodeToString(sum[:])})
	}
	b, err := json.Marshal(man)
	if err != nil {
		t.Fatal(err)
	}
	files["manifest.json"] = b
	return files, append(names, "manifest.json")
}

// tree reads every file under dir (slash paths) and every folder (with
// a trailing slash), so an empty folder left behind shows too.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// userFiles are a user's own files in an out-dir, inside the report's
// folders too; no swap may touch them.
var userFiles = map[string]string{"notes.txt": "keep me", "tables/my_table.txt": "mine", "figures/sketch.txt": "mine too"}

// oldReport writes the old report (it has a figure the new one lacks,
// and a table the new one rewrites) and the user's files into a new
// folder, and returns the folder and its tree.
func oldReport(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	files, names := reportSet(t, "old", "report.md", "report.html", "tables/a.csv", "tables/old_only.csv", "figures/f1.svg")
	if err := writeFolder(OSFS{}, dir, files, names); err != nil {
		t.Fatal(err)
	}
	for n, c := range userFiles {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(n)), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, tree(t, dir)
}

func newSet(t *testing.T) (map[string][]byte, []string) {
	return reportSet(t, "new", "report.md", "report.html", "tables/a.csv", "tables/b.csv", "extra/deep/x.csv")
}

// newTree is what the folder must hold after the new report replaced the
// old one: the new files and the user's, and nothing of the old report.
func newTree(t *testing.T) map[string]string {
	files, _ := newSet(t)
	want := map[string]string{"tables/": "", "figures/": "", "extra/": "", "extra/deep/": ""}
	for n, b := range files {
		want[n] = string(b)
	}
	for n, c := range userFiles {
		want[n] = c
	}
	return want
}

// TestForceSwapCrashAtEveryStep: a crash after any number of file
// operations, followed by the next run's check of the folder, leaves
// exactly the old report or exactly the new one, the user's files, and
// no staging folder.
func TestForceSwapCrashAtEveryStep(t *testing.T) {
	files, names := newSet(t)
	wantNew := newTree(t)
	sawOld, sawNew := false, false
	for n := 1; ; n++ {
		dir, old := oldReport(t)
		f := &faultFS{crashAfter: n}
		err := writeFolder(f, dir, files, names)
		if err == nil && !f.crashed() {
			if !sameTree(tree(t, dir), wantNew) {
				t.Fatalf("completed swap: folder holds %v, want %v", tree(t, dir), wantNew)
			}
			if n < 5 || !sawOld {
				t.Fatalf("the swap finished after %d operations without a crash having left the old report", n)
			}
			break
		}
		if err := CheckOutDir(dir, true); err != nil { // the next run
			t.Fatalf("crash after %d operations: recovery: %v", n, err)
		}
		got := tree(t, dir)
		switch {
		case sameTree(got, old):
			sawOld = true
		case sameTree(got, wantNew):
			sawNew = true
		default:
			t.Fatalf("crash after %d operations left a mix:\n got %v\n old %v\n new %v", n, got, old, wantNew)
		}
	}
	if !sawNew {
		t.Errorf("no crash point left the new report (a crash after the commit must)")
	}
}

// TestForceSwapFailedRename: a rename that fails at any point of the swap
// (an immutable file or folder) rolls it back: the old report is intact,
// the user's files too, nothing is left behind, and the error names the
// path.
func TestForceSwapFailedRename(t *testing.T) {
	files, names := newSet(t)
	for k := 1; ; k++ {
		dir, old := oldReport(t)
		f := &faultFS{failRename: k}
		err := writeFolder(f, dir, files, names)
		if err == nil {
			if f.renames >= k {
				t.Fatalf("rename %d failed and the write succeeded", k)
			}
			if k < 5 {
				t.Fatalf("only %d renames in a swap of 7 files", f.renames)
			}
			break
		}
		if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "operation not permitted") {
			t.Errorf("rename %d: error %q does not name the path and the cause", k, err)
		}
		if got := tree(t, dir); !sameTree(got, old) {
			t.Fatalf("rename %d failed: folder holds %v, want the old report %v", k, got, old)
		}
	}
}

// TestForceKeepsUserFiles: a successful --force replaces only the old
// report's own files (its manifest's), removes those the new report does
// not write, and keeps a user's files inside tables/ and figures/.
func TestForceKeepsUserFiles(t *testing.T) {
	dir, _ := oldReport(t)
	files, names := newSet(t)
	if err := CheckOutDir(dir, true); err != nil {
		t.Fatal(err)
	}
	if err := writeFolder(OSFS{}, dir, files, names); err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, dir), newTree(t); !sameTree(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
}

// TestNewFolderFailureLeavesNothing: a write that fails into a folder the
// run created removes that folder (and the parents it created).
func TestNewFolderFailureLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	files, names := newSet(t)
	for _, k := range []int{1, 2, 3} {
		f := &faultFS{failRename: k}
		if err := writeFolder(f, filepath.Join(parent, "a", "b"), files, names); err == nil {
			t.Fatalf("rename %d failed and the write succeeded", k)
		}
		if got := tree(t, parent); len(got) != 0 {
			t.Errorf("rename %d failed: left %v", k, got)
		}
	}
}

// TestOutDirThroughSymlink: an out-dir that is a symbolic link to a
// folder elsewhere gets the report inside the link's target, and the
// staging folder is made there, not beside the link.
func TestOutDirThroughSymlink(t *testing.T) {
	base := t.TempDir()
	target, link := filepath.Join(base, "elsewhere"), filepath.Join(base, "link")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	f := &faultFS{failMkdirTemp: base} // a parent the user cannot write in
	if err := checkOutDir(f, link, false); err != nil {
		t.Fatalf("writable out-dir in an unwritable parent: %v", err)
	}
	files, names := newSet(t)
	if err := writeFolder(f, link, files, names); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(target, "tables", "a.csv")); err != nil || string(b) != "new tables/a.csv" {
		t.Errorf("report not in the link's target: %v %q", err, b)
	}
}

// TestCheckOutDirBeforeWork: a dangling link, a file, a folder that
// cannot be written in and a parent that is a file are refused by the
// check that runs before any analysis.
func TestCheckOutDirBeforeWork(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "plain")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(base, "dangling")
	if err := os.Symlink(filepath.Join(base, "missing"), dangling); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(base, "locked")
	if err := os.Mkdir(locked, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir, fail, want string
	}{
		{dangling, "", "symbolic link to a folder that does not exist"},
		{file, "", "is not a folder"},
		{filepath.Join(file, "sub"), "", "is a file"},
		{locked, locked, "permission denied"},
		{filepath.Join(locked, "new", "deeper"), locked, "permission denied"},
	} {
		err := checkOutDir(&faultFS{failMkdirTemp: c.fail}, c.dir, true)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.dir) {
			t.Errorf("%s: %v, want an error naming it with %q", c.dir, err, c.want)
		}
	}
	if err := checkOutDir(OSFS{}, filepath.Join(locked, "new", "deeper"), false); err != nil {
		t.Errorf("a new out-dir under a writable folder: %v", err)
	}
	if entries, _ := os.ReadDir(locked); len(entries) != 0 {
		t.Errorf("the check left %d entries behind", len(entries))
	}
}

// TestWriteFileModes: a new -o file has 0666 less the umask, an existing
// one keeps its mode, and nothing but the file is left in the folder.
func TestWriteFileModes(t *testing.T) {
	dir := t.TempDir()
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	p := filepath.Join(dir, "out.txt")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := WriteFile(p, write("one")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("new file: mode %v (%v), want 0640 under umask 027", fi.Mode().Perm(), err)
	}
	if err := os.Chmod(p, 0o604); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, write("two")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if b, _ := os.ReadFile(p); err != nil || fi.Mode().Perm() != 0o604 || string(b) != "two" {
		t.Errorf("existing file: mode %v, content %q (%v); want 0604, \"two\"", fi.Mode().Perm(), b, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the folder, want only the output", len(entries))
	}
}

// TestWriteFileSpecial: -o follows a symbolic link (the link stays),
// writes a FIFO and a device in place, refuses a folder and a link cycle,
// and names the user's path in a disk-full error.
func TestWriteFileSpecial(t *testing.T) {
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "table 1\n"); return err }

	target, link := filepath.Join(dir, "target.txt"), filepath.Join(dir, "link.txt")
	if err := os.Symlink("target.txt", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, write); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "table 1\n" {
		t.Errorf("link target: %q %v", b, err)
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := WriteFile(fifo, write); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "table 1\n" {
		t.Errorf("the FIFO's reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}

	if err := WriteFile(os.DevNull, write); err != nil {
		t.Errorf("%s: %v", os.DevNull, err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a device", os.DevNull)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		err := WriteFile("/dev/full", write)
		if err == nil || !strings.HasPrefix(err.Error(), "/dev/full: ") || !strings.Contains(err.Error(), "no space left") {
			t.Errorf("/dev/full: %v", err)
		}
	}

	// A full disk while writing the temporary file: the error names the
	// user's path, not the temporary one.
	full := filepath.Join(dir, "full.txt")
	err := WriteFile(full, func(w io.Writer) error {
		return &fs.PathError{Op: "write", Path: w.(interface{ Name() string }).Name(), Err: syscall.ENOSPC}
	})
	if err == nil || err.Error() != fmt.Sprintf("%s: cannot write: %v", full, syscall.ENOSPC) {
		t.Errorf("disk full: %v", err)
	}

	if err := WriteFile(dir, write); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a folder as -o: %v", err)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(a, write); err == nil || !strings.Contains(err.Error(), "too many levels") {
		t.Errorf("a link cycle: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := "a b fifo link.txt target.txt"; strings.Join(names, " ") != want {
		t.Errorf("folder holds %v, want %s (no temporary file)", names, want)
	}
}

// TestForceRefusesUnlistedFile: a file the previous report did not write
// (its manifest does not list it) at a path the new report writes is not
// overwritten: the swap stops before anything moves and says why.
func TestForceRefusesUnlistedFile(t *testing.T) {
	dir, _ := oldReport(t)
	mine := filepath.Join(dir, "tables", "b.csv") // the new report writes tables/b.csv
	if err := os.WriteFile(mine, []byte("my own b"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	files, names := newSet(t)
	err := writeFolder(OSFS{}, dir, files, names)
	if err == nil || !strings.Contains(err.Error(), mine) || !strings.Contains(err.Error(), "not a file of the previous report") {
		t.Errorf("a user's file where the new report writes: %v", err)
	}
	if got := tree(t, dir); !sameTree(got, before) {
		t.Errorf("folder changed: %v, want %v", got, before)
	}
}
