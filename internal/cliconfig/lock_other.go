//go:build !unix

package cliconfig

import (
	"context"
	"os"
)

// withLock takes no lock where the CLI SDK takes none either (Windows:
// persistor.go's windowsLockedRead/Write); the write is still atomic.
func withLock(ctx context.Context, path string, fn func(*os.File) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return classify(path, err)
	}
	defer f.Close()
	return fn(f)
}
