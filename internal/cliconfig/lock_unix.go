//go:build unix

package cliconfig

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// withLock runs fn holding an exclusive flock(2) on config.json itself: the
// lock the CLI SDK takes around every read and write of the file
// (ibm-cloud-cli-sdk bluemix/configuration/persistor.go: gofrs/flock on the
// file's own path, TryLockContext polling every 100 ms for up to 30 s).
// The file is opened read-only and never created. Since writes replace the
// file by rename, the lock is retaken when the path names another file
// than the one locked.
func withLock(ctx context.Context, path string, fn func(*os.File) error) error {
	for {
		f, err := os.Open(path)
		if err != nil {
			return classify(path, err)
		}
		if err := flockContext(ctx, f); err != nil {
			f.Close()
			return err
		}
		held, err := f.Stat()
		now, serr := os.Stat(path)
		if err == nil && serr == nil && os.SameFile(held, now) {
			err = fn(f)
			syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			f.Close()
			return err
		}
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		if serr != nil {
			return classify(path, serr)
		}
	}
}

// flockContext polls for the lock until ctx ends.
func flockContext(ctx context.Context, f *os.File) error {
	wait := 5 * time.Millisecond
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}
