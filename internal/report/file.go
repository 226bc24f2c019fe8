package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// maxLinks bounds how many symbolic links WriteFile follows (as Linux's
// ELOOP limit does), so a link cycle is an error rather than a hang.
const maxLinks = 40

// WriteFile writes what write produces to path, as `-o FILE` promises:
//
//   - a regular file (or a new one) appears only when the whole output
//     was written: write goes to a temporary file in the same folder,
//     which is synced and renamed over path (github.com/google/renameio);
//     a new file gets 0666 less the umask, an existing one keeps its mode;
//   - a symbolic link is followed and its target replaced, not the link;
//   - anything else (a device such as /dev/null or /dev/stdout, a FIFO) is
//     opened and written directly: replacing it would destroy it;
//   - errors name path, never the temporary file.
//
// On SIGINT/SIGTERM (HandleInterrupts) the temporary file is removed.
func WriteFile(path string, write func(io.Writer) error) error {
	target, err := resolveLinks(path)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", path, PathErr(err))
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a folder (expected a file path for the output)", path)
	case err == nil && !fi.Mode().IsRegular():
		return writeDirect(path, target, write)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: cannot write: %v", path, PathErr(err))
	}
	var pf *renameio.PendingFile
	if err := locked(func() (e error) {
		pf, e = renameio.NewPendingFile(target, renameio.WithTempDir(filepath.Dir(target)),
			renameio.WithPermissions(0o666), renameio.WithExistingPermissions())
		return e
	}); err != nil {
		return fmt.Errorf("%s: cannot write: %v", path, PathErr(err))
	}
	unregister := onInterrupt(func() { pf.Cleanup() })
	defer func() {
		unregister()
		pf.Cleanup() // a no-op once the file is in place
	}()
	if err := write(pf); err != nil {
		return outputErr(path, err)
	}
	if err := locked(pf.CloseAtomicallyReplace); err != nil {
		return outputErr(path, err)
	}
	return nil
}

// writeDirect writes to a device or FIFO in place.
func writeDirect(path, target string, write func(io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", path, PathErr(err))
	}
	err = write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return outputErr(path, err)
	}
	return nil
}

// outputErr names path in an I/O error on the temporary file ("no space
// left on device"); other errors (from rendering) pass through.
func outputErr(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: cannot write: %v", path, pe.Err)
	}
	return err
}

// resolveLinks follows symbolic links from path to the file they name,
// which need not exist yet (a link to a new file creates that file).
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", &fs.PathError{Op: "open", Path: path, Err: errors.New("too many levels of symbolic links")}
}
