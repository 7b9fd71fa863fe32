// Package cliconfig reads and updates the ibmcloud CLI's session file
// ($IBMCLOUD_HOME/.bluemix/config.json) without ever damaging it: the file
// is only written after it was read and parsed as a JSON object, only the
// token keys change (every other key keeps its exact bytes, including keys
// the CLI SDK's struct does not know), and the write is atomic (temp file +
// rename, same permissions) under the lock the CLI SDK takes.
//
// The CLI SDK's own persistor (ibm-cloud-cli-sdk
// bluemix/configuration/persistor.go) replaces a file it cannot parse with a
// blank one and rewrites the whole struct on every change; ks-doctor never
// lets it write.
package cliconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/config_helpers"
)

// Path is where the CLI keeps its session: IBMCLOUD_CONFIG_HOME, else
// IBMCLOUD_HOME/.ibmcloud when it exists, else IBMCLOUD_HOME/.bluemix
// (config_helpers.ConfigFilePath, which reads the environment only).
func Path() string { return config_helpers.ConfigFilePath() }

// ErrNoConfig means config.json does not exist: nobody logged in here.
var ErrNoConfig = errors.New("the ibmcloud CLI has no config.json")

// BrokenError means config.json exists but cannot be read, or does not hold
// a JSON object. The file is left exactly as it is.
type BrokenError struct {
	Path string
	Err  error
}

func (e *BrokenError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *BrokenError) Unwrap() error { return e.Err }

// Pair is the session's token pair as config.json holds it: IAMToken
// ("Bearer eyJ...") and IAMRefreshToken.
type Pair struct{ Access, Refresh string }

// Token keys of config.json (core_config.BXConfigData).
const (
	keyAccess  = "IAMToken"
	keyRefresh = "IAMRefreshToken"
)

// Check says whether config.json can be used: nil, ErrNoConfig, or a
// *BrokenError. It reads under the CLI's lock, so a write by the CLI in
// progress is not mistaken for a broken file, and never writes. A file the
// user cannot open for writing is broken too: the CLI SDK opens it so to
// take its lock, and panics when it cannot.
func Check(ctx context.Context, path string) error {
	if _, err := Read(ctx, path); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return &BrokenError{Path: path, Err: err}
	}
	return f.Close()
}

// Read returns the token pair saved in config.json.
func Read(ctx context.Context, path string) (Pair, error) {
	var p Pair
	err := withLock(ctx, path, func(*os.File) error {
		b, err := readObject(path)
		if err != nil {
			return err
		}
		if p, err = tokensOf(b); err != nil {
			return &BrokenError{Path: path, Err: err}
		}
		return nil
	})
	return p, err
}

// Update locks config.json, reads the pair it holds and calls fn with it.
// When fn returns save, the pair it returns replaces the token keys and
// nothing else. fn may make a network call: the lock is held meanwhile, so
// concurrent ks-doctor runs refresh one after another and each sees the
// pair the previous one saved; fn must bound its own duration (the CLI SDK
// gives up waiting for the lock after 30 s).
func Update(ctx context.Context, path string, fn func(saved Pair) (next Pair, save bool, err error)) error {
	return withLock(ctx, path, func(f *os.File) error {
		b, err := readObject(path)
		if err != nil {
			return err
		}
		saved, err := tokensOf(b)
		if err != nil {
			return &BrokenError{Path: path, Err: err}
		}
		next, save, err := fn(saved)
		if err != nil || !save || next == saved {
			return err
		}
		out, err := splice(b, map[string]string{keyAccess: next.Access, keyRefresh: next.Refresh})
		if err != nil {
			return &BrokenError{Path: path, Err: err}
		}
		st, err := f.Stat()
		if err != nil {
			return err
		}
		return writeAtomic(path, out, st.Mode().Perm())
	})
}

// readObject reads config.json and checks that it is one JSON object.
func readObject(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, classify(path, err)
	}
	if _, err := members(b); err != nil {
		return nil, &BrokenError{Path: path, Err: err}
	}
	return b, nil
}

func classify(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(filepath.Dir(path)); serr == nil || errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrNoConfig, path)
		}
	}
	return &BrokenError{Path: path, Err: err}
}

// tokensOf reads the two token keys; other keys are not decoded at all.
func tokensOf(b []byte) (Pair, error) {
	var v struct {
		IAMToken, IAMRefreshToken json.RawMessage
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return Pair{}, err
	}
	var p Pair
	for _, f := range []struct {
		raw json.RawMessage
		dst *string
	}{{v.IAMToken, &p.Access}, {v.IAMRefreshToken, &p.Refresh}} {
		if len(f.raw) == 0 || string(f.raw) == "null" {
			continue
		}
		if err := json.Unmarshal(f.raw, f.dst); err != nil {
			return Pair{}, fmt.Errorf("token key is not a string: %w", err)
		}
	}
	return p, nil
}

// writeAtomic replaces path with data: a temp file beside it, synced,
// renamed over it, so a reader sees the old file or the new one, never a
// truncated one.
func writeAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".config.json.ks-doctor-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// File is config.json at a path, as a token store (ibm.TokenStore).
type File string

func (f File) Read(ctx context.Context) (Pair, error) { return Read(ctx, string(f)) }
func (f File) Update(ctx context.Context, fn func(saved Pair) (Pair, bool, error)) error {
	return Update(ctx, string(f), fn)
}
