package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// FS is the file operations the report writer uses. Report.Write uses the
// operating system's (OSFS); tests inject faults through it: a rename that
// fails, or a crash after which nothing more reaches the disk.
type FS interface {
	Lstat(name string) (fs.FileInfo, error)
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	WriteFile(name string, data []byte, perm fs.FileMode) error
	Mkdir(name string, perm fs.FileMode) error
	MkdirTemp(dir, pattern string) (string, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	RemoveAll(name string) error
}

// OSFS is the operating system's file system.
type OSFS struct{}

func (OSFS) Lstat(name string) (fs.FileInfo, error)        { return os.Lstat(name) }
func (OSFS) Stat(name string) (fs.FileInfo, error)         { return os.Stat(name) }
func (OSFS) ReadFile(name string) ([]byte, error)          { return os.ReadFile(name) }
func (OSFS) ReadDir(name string) ([]fs.DirEntry, error)    { return os.ReadDir(name) }
func (OSFS) Mkdir(name string, perm fs.FileMode) error     { return os.Mkdir(name, perm) }
func (OSFS) MkdirTemp(dir, pattern string) (string, error) { return os.MkdirTemp(dir, pattern) }
func (OSFS) Rename(oldpath, newpath string) error          { return os.Rename(oldpath, newpath) }
func (OSFS) Remove(name string) error                      { return os.Remove(name) }
func (OSFS) RemoveAll(name string) error                   { return os.RemoveAll(name) }

// WriteFile creates name with perm (less the umask) and syncs it, so a
// report whose manifest is in place has its files on disk too.
func (OSFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// exists reports whether name exists (without following a final link).
func exists(fsys FS, name string) bool {
	_, err := fsys.Lstat(name)
	return err == nil
}

// mkdirAll creates dir and its missing parents and returns the folders it
// created, outermost first, so a failed run can remove exactly those.
func mkdirAll(fsys FS, dir string) ([]string, error) {
	fi, err := fsys.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return nil, &fs.PathError{Op: "mkdir", Path: dir, Err: errors.New("exists and is not a folder")}
		}
		return nil, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var created []string
	if parent := filepath.Dir(dir); parent != dir {
		if created, err = mkdirAll(fsys, parent); err != nil {
			return created, err
		}
	}
	if err := fsys.Mkdir(dir, 0o777); err != nil {
		return created, err
	}
	return append(created, dir), nil
}

// removeEmpty removes the folders in dirs, innermost first, that are
// empty; a folder holding anything (a user's file) stays.
func removeEmpty(fsys FS, dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		if entries, err := fsys.ReadDir(dirs[i]); err == nil && len(entries) == 0 {
			fsys.Remove(dirs[i])
		}
	}
}
