package envelope

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/iotest"
)

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := mustKey(t)
	other := mustKey(t)
	pt := []byte(`{"surname":"SUN","given_names":"XIAOMING"}`)
	ct, err := k.Seal(pt, []byte("applicant/1/email"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte("SUN")) {
		t.Fatal("ciphertext contains plaintext")
	}
	got, err := k.Open(ct, []byte("applicant/1/email"))
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	ct2, _ := k.Seal(pt, []byte("applicant/1/email"))
	if bytes.Equal(ct[:headerSize], ct2[:headerSize]) {
		t.Fatal("two seals share a wrapped data key")
	}
	tests := []struct {
		name string
		key  *Key
		ct   []byte
		aad  string
	}{
		{"wrong aad", k, ct, "applicant/2/email"},
		{"wrong key", other, ct, "applicant/1/email"},
		{"truncated", k, ct[:len(ct)-1], "applicant/1/email"},
		{"empty", k, nil, "applicant/1/email"},
		{"flipped body", k, flip(ct, len(ct)-20), "applicant/1/email"},
		{"flipped wrapped key", k, flip(ct, 20), "applicant/1/email"},
		{"stream header", k, append([]byte{versionStream}, ct[1:]...), "applicant/1/email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.key.Open(tc.ct, []byte(tc.aad)); !errors.Is(err, ErrDecrypt) {
				t.Fatalf("Open err = %v, want ErrDecrypt", err)
			}
		})
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

func seal(t testing.TB, k *Key, pt, aad []byte, chunk int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := k.NewWriter(&buf, aad)
	if err != nil {
		t.Fatal(err)
	}
	for len(pt) > 0 {
		n := min(chunk, len(pt))
		if _, err := w.Write(pt[:n]); err != nil {
			t.Fatal(err)
		}
		pt = pt[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStreamRoundTrip(t *testing.T) {
	k := mustKey(t)
	for _, size := range []int{0, 1, SegmentSize - 1, SegmentSize, SegmentSize + 1, 3*SegmentSize + 17, 2 << 20} {
		for _, chunk := range []int{1000, SegmentSize, 1 << 20} {
			t.Run(fmt.Sprintf("size%d/chunk%d", size, chunk), func(t *testing.T) {
				pt := make([]byte, size)
				rand.Read(pt)
				ct := seal(t, k, pt, []byte("blob-key"), chunk)
				segs := max(1, (size+SegmentSize-1)/SegmentSize)
				if size > 0 && size%SegmentSize == 0 {
					segs = size / SegmentSize
				}
				if want := headerSize + prefixSize + size + segs*tagSize; len(ct) != want {
					t.Fatalf("ciphertext %d bytes, want %d", len(ct), want)
				}
				r, err := k.NewReader(iotest.HalfReader(bytes.NewReader(ct)), []byte("blob-key"))
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("ReadAll: %d bytes, err %v", len(got), err)
				}
			})
		}
	}
}

func TestStreamTamper(t *testing.T) {
	k := mustKey(t)
	pt := make([]byte, 3*SegmentSize+100)
	rand.Read(pt)
	ct := seal(t, k, pt, []byte("a"), 4096)
	segLen := SegmentSize + tagSize
	body := headerSize + prefixSize
	swapped := append([]byte(nil), ct...)
	copy(swapped[body:body+segLen], ct[body+segLen:body+2*segLen])
	copy(swapped[body+segLen:body+2*segLen], ct[body:body+segLen])
	tests := []struct {
		name string
		ct   []byte
		aad  string
	}{
		{"wrong aad", ct, "b"},
		{"truncated at segment boundary", ct[:body+2*segLen], "a"},
		{"truncated mid segment", ct[:len(ct)-5], "a"},
		{"last segment dropped", append(append([]byte(nil), ct[:body+segLen]...), ct[body+2*segLen:]...), "a"},
		{"segments swapped", swapped, "a"},
		{"bit flipped", flip(ct, body+SegmentSize+3), "a"},
		{"extra bytes", append(append([]byte(nil), ct...), 0), "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := k.NewReader(bytes.NewReader(tc.ct), []byte(tc.aad))
			if err == nil {
				_, err = io.ReadAll(r)
			}
			if !errors.Is(err, ErrDecrypt) {
				t.Fatalf("err = %v, want ErrDecrypt", err)
			}
		})
	}
}

func TestLoadOrCreateMasterKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "master.key")
	k1, err := LoadOrCreateMasterKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 || st.Size() != KeySize {
		t.Fatalf("key file mode %v size %d", st.Mode().Perm(), st.Size())
	}
	ct, _ := k1.Seal([]byte("x"), nil)
	k2, err := LoadOrCreateMasterKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k2.Open(ct, nil); err != nil {
		t.Fatalf("reloaded key cannot open: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadOrCreateMasterKey(path); err == nil {
		t.Fatal("world-readable key accepted")
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("short"), 0o600)
	if _, err := LoadOrCreateMasterKey(path); err == nil {
		t.Fatal("short key accepted")
	}
}

// TestConcurrentKeyCreation: processes starting together agree on one key.
func TestConcurrentKeyCreation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	const n = 8
	keys := make([]*Key, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = LoadOrCreateMasterKey(path) })
	}
	wg.Wait()
	ct, _ := keys[0].Seal([]byte("x"), nil)
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if _, err := keys[i].Open(ct, nil); err != nil {
			t.Fatalf("key %d differs", i)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %d entries", len(entries))
	}
}

func FuzzOpen(f *testing.F) {
	k, _ := NewKey(make([]byte, KeySize))
	ct, _ := k.Seal([]byte("hello"), nil)
	f.Add(ct)
	f.Add(seal(f, k, []byte("hello"), nil, 10))
	f.Fuzz(func(t *testing.T, b []byte) {
		k.Open(b, nil)
		if r, err := k.NewReader(bytes.NewReader(b), nil); err == nil {
			io.ReadAll(r)
		}
	})
}

func ExampleKey_Seal() {
	key, _ := GenerateKey()
	ct, _ := key.Seal([]byte("1960-06-28"), []byte("applicants/a1/date_of_birth"))
	pt, _ := key.Open(ct, []byte("applicants/a1/date_of_birth"))
	fmt.Println(string(pt))
	// Output: 1960-06-28
}

func BenchmarkStream2MB(b *testing.B) {
	k := mustKey(b)
	pt := make([]byte, 2<<20)
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		w, _ := k.NewWriter(io.Discard, nil)
		w.Write(pt)
		w.Close()
	}
}
