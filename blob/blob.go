// Package blob stores submitted files on the local filesystem, each object
// encrypted under its own data key (package envelope) so a copied data
// directory reveals nothing without the master key.
//
// Objects are written to a temporary file in the same directory and renamed
// into place after an fsync, so a crash leaves either the whole object or
// nothing under its key. Keys are random (128 bits, hex) and validated on
// every call, so a key can never name a path outside the store.
package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/envelope"
)

// FS is a kycgate.BlobStore on a local directory.
type FS struct {
	dir string
	key *envelope.Key
	// NoSync skips fsync before the rename. Only for tests and benchmarks on
	// throwaway data: without it a power cut can lose an accepted file.
	NoSync bool
}

var _ kycgate.BlobStore = (*FS)(nil)

// NewFS returns a blob store rooted at dir (created with mode 0700).
func NewFS(dir string, key *envelope.Key) (*FS, error) {
	if key == nil {
		return nil, errors.New("blob: nil master key")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("blob: creating %s: %w", dir, err)
	}
	return &FS{dir: dir, key: key}, nil
}

const keyLen = 32 // hex characters

// validKey reports whether k is a key this store could have made: exactly
// 32 lower-case hex characters, so no separators, dots or NULs.
func validKey(k string) bool {
	if len(k) != keyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// path spreads objects over 256 subdirectories so no directory grows huge.
func (s *FS) path(key string) string {
	return filepath.Join(s.dir, key[:2], key)
}

// countingWriter counts bytes and fails once more than limit were written,
// so an oversized upload stops at limit+1 bytes instead of filling the disk.
type countingWriter struct {
	n     int64
	limit int64
}

var errTooLarge = errors.New("too large")

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if c.limit >= 0 && c.n > c.limit {
		return 0, errTooLarge
	}
	return len(p), nil
}

// Put encrypts r into a new object. limit < 0 means no limit. Reading stops
// one byte past limit, with an IMAGE_TOO_LARGE error and nothing stored.
func (s *FS) Put(ctx context.Context, r io.Reader, limit int64) (key string, size int64, sum string, err error) {
	var raw [keyLen / 2]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", 0, "", fmt.Errorf("blob: key: %w", err)
	}
	key = hex.EncodeToString(raw[:])
	final := s.path(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return "", 0, "", fmt.Errorf("blob: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".tmp-*")
	if err != nil {
		return "", 0, "", fmt.Errorf("blob: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	enc, err := s.key.NewWriter(tmp, []byte(key))
	if err != nil {
		return "", 0, "", err
	}
	h := sha256.New()
	counter := &countingWriter{limit: limit}
	src := r
	if limit >= 0 {
		src = io.LimitReader(r, limit+1)
	}
	if _, err = io.Copy(io.MultiWriter(counter, h, enc), ctxReader{ctx, src}); err != nil {
		if errors.Is(err, errTooLarge) {
			return "", 0, "", kycgate.Errorf(string(kycgate.ImageTooLarge), "file exceeds %d bytes", limit)
		}
		return "", 0, "", fmt.Errorf("blob: writing object: %w", err)
	}
	if err = enc.Close(); err != nil {
		return "", 0, "", err
	}
	if !s.NoSync {
		if err = tmp.Sync(); err != nil {
			return "", 0, "", fmt.Errorf("blob: sync: %w", err)
		}
	}
	if err = tmp.Close(); err != nil {
		return "", 0, "", fmt.Errorf("blob: close: %w", err)
	}
	if err = os.Rename(tmp.Name(), final); err != nil {
		return "", 0, "", fmt.Errorf("blob: rename: %w", err)
	}
	if !s.NoSync {
		// The rename is only durable once the directory is synced; the
		// caller commits a database row naming this key right after.
		if err := syncDir(filepath.Dir(final)); err != nil {
			os.Remove(final)
			return "", 0, "", err
		}
	}
	return key, counter.n, hex.EncodeToString(h.Sum(nil)), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	return nil
}

// ctxReader stops a long copy when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Get returns the decrypted object. Reading returns envelope.ErrDecrypt if
// the file was tampered with or truncated.
func (s *FS) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if !validKey(key) {
		return nil, kycgate.Errorf(kycgate.ErrNotFound, "blob not found")
	}
	f, err := os.Open(s.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, kycgate.Errorf(kycgate.ErrNotFound, "blob not found")
	}
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	r, err := s.key.NewReader(f, []byte(key))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob %s: %w", key, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{r, f}, nil
}

// Delete removes the object; a missing object is not an error.
func (s *FS) Delete(ctx context.Context, key string) error {
	if !validKey(key) {
		return nil
	}
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}
