package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/envelope"
)

func newStore(t testing.TB) (*FS, string) {
	t.Helper()
	k, err := envelope.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, err := NewFS(dir, k)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestPutGet(t *testing.T) {
	s, dir := newStore(t)
	ctx := context.Background()
	for _, size := range []int{0, 1, 100_000, 2 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			data := make([]byte, size)
			rand.Read(data)
			key, n, sum, err := s.Put(ctx, bytes.NewReader(data), 5<<20)
			if err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256(data)
			if n != int64(size) || sum != hex.EncodeToString(want[:]) {
				t.Fatalf("size %d sum %s", n, sum)
			}
			raw, err := os.ReadFile(filepath.Join(dir, key[:2], key))
			if err != nil {
				t.Fatal(err)
			}
			if size > 64 && bytes.Contains(raw, data[:64]) {
				t.Fatal("plaintext on disk")
			}
			rc, err := s.Get(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("Get: %d bytes, %v", len(got), err)
			}
			if err := s.Delete(ctx, key); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(ctx, key); kycgate.ErrorCode(err) != kycgate.ErrNotFound {
				t.Fatalf("after delete: %v", err)
			}
			if err := s.Delete(ctx, key); err != nil {
				t.Fatalf("second delete: %v", err)
			}
		})
	}
}

// endless is a reader that never ends, like a hostile upload.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	e.n += int64(len(p))
	return len(p), nil
}

func TestLimitWhileStreaming(t *testing.T) {
	s, dir := newStore(t)
	tests := []struct {
		size, limit int64
		ok          bool
	}{
		{1000, 1000, true},
		{1001, 1000, false},
		{0, 0, true},
		{1, 0, false},
		{3 << 20, 2 << 20, false},
	}
	for _, tc := range tests {
		_, n, _, err := s.Put(context.Background(), bytes.NewReader(make([]byte, tc.size)), tc.limit)
		if tc.ok && (err != nil || n != tc.size) {
			t.Errorf("size %d limit %d: n=%d err=%v", tc.size, tc.limit, n, err)
		}
		if !tc.ok && kycgate.ErrorCode(err) != string(kycgate.ImageTooLarge) {
			t.Errorf("size %d limit %d: err=%v, want IMAGE_TOO_LARGE", tc.size, tc.limit, err)
		}
	}
	src := &endless{}
	if _, _, _, err := s.Put(context.Background(), src, 1<<20); kycgate.ErrorCode(err) != string(kycgate.ImageTooLarge) {
		t.Fatalf("endless: %v", err)
	}
	if src.n > 1<<20+64<<10 {
		t.Fatalf("read %d bytes of an endless stream with a 1 MiB limit", src.n)
	}
	// Nothing half-written is left behind by the refused uploads.
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 2 {
		t.Fatalf("files left: %v (want the 2 accepted objects)", files)
	}
}

func TestKeysCannotEscape(t *testing.T) {
	s, dir := newStore(t)
	secret := filepath.Join(filepath.Dir(dir), "secret")
	os.WriteFile(secret, []byte("x"), 0o600)
	defer os.Remove(secret)
	for _, k := range []string{"", "../secret", "../../../../etc/passwd", strings.Repeat("a", 31) + "/",
		strings.Repeat("A", 32), strings.Repeat("a", 33), "..", "aa/../../secret00000000000000000"} {
		if _, err := s.Get(context.Background(), k); kycgate.ErrorCode(err) != kycgate.ErrNotFound {
			t.Errorf("Get(%q) = %v", k, err)
		}
		if err := s.Delete(context.Background(), k); err != nil {
			t.Errorf("Delete(%q) = %v", k, err)
		}
	}
	if _, err := os.Stat(secret); err != nil {
		t.Fatal("file outside the store was deleted")
	}
}

func TestTamperedObject(t *testing.T) {
	s, dir := newStore(t)
	key, _, _, err := s.Put(context.Background(), strings.NewReader("passport scan"), 100)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, key[:2], key)
	raw, _ := os.ReadFile(p)
	raw[len(raw)-3] ^= 0x40
	os.WriteFile(p, raw, 0o600)
	rc, err := s.Get(context.Background(), key)
	if err == nil {
		_, err = io.ReadAll(rc)
		rc.Close()
	}
	if !errors.Is(err, envelope.ErrDecrypt) {
		t.Fatalf("tampered object: %v", err)
	}
	// An object moved under another key does not open either: the key is
	// the associated data.
	key2, _, _, _ := s.Put(context.Background(), strings.NewReader("selfie"), 100)
	data2, _ := os.ReadFile(filepath.Join(dir, key2[:2], key2))
	os.WriteFile(p, data2, 0o600)
	rc, err = s.Get(context.Background(), key)
	if err == nil {
		_, err = io.ReadAll(rc)
		rc.Close()
	}
	if !errors.Is(err, envelope.ErrDecrypt) {
		t.Fatalf("swapped object: %v", err)
	}
}

func ExampleFS() {
	key, _ := envelope.GenerateKey()
	dir, _ := os.MkdirTemp("", "blobs")
	defer os.RemoveAll(dir)
	store, _ := NewFS(dir, key)
	k, size, sum, _ := store.Put(context.Background(), strings.NewReader("hello"), 1<<20)
	rc, _ := store.Get(context.Background(), k)
	b, _ := io.ReadAll(rc)
	rc.Close()
	fmt.Println(size, sum[:16], string(b))
	// Output: 5 2cf24dba5fb0a30e hello
}

// BenchmarkPut2MB stores a 2 MB object: encryption, SHA-256, write and
// (in the "sync" variant, the default) fsync before the rename.
func BenchmarkPut2MB(b *testing.B) {
	b.Run("sync", func(b *testing.B) { benchPut(b, false) })
	b.Run("nosync", func(b *testing.B) { benchPut(b, true) })
}

func benchPut(b *testing.B, noSync bool) {
	s, _ := newStore(b)
	s.NoSync = noSync
	data := make([]byte, 2<<20)
	rand.Read(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, _, err := s.Put(context.Background(), bytes.NewReader(data), 4<<20); err != nil {
			b.Fatal(err)
		}
	}
}
