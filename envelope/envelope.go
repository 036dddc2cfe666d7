// Package envelope encrypts personal data and images at rest with envelope
// encryption: every object gets its own random 256-bit data key, the object is
// sealed with AES-256-GCM under that key, and the data key is itself sealed
// (wrapped) under the master key and stored next to the ciphertext.
//
// Per-object keys bound how much ciphertext one key protects (GCM's random
// nonces are safe for far more than one object's worth of messages) and make
// master-key rotation a matter of re-wrapping 60-byte headers rather than
// re-encrypting every image.
//
// Two formats share one header:
//
//   - Seal/Open: small values (database columns), one GCM message.
//   - NewWriter/NewReader: streams (blobs), cut into 64 KiB segments, each
//     its own GCM message whose nonce carries the segment counter and a
//     final-segment flag, so segments cannot be reordered, dropped or the
//     stream truncated without Open failing (the STREAM construction).
package envelope

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// KeySize is the size of the master key and of every data key.
const KeySize = 32

const (
	versionSealed byte = 1 // Seal: one GCM message
	versionStream byte = 2 // NewWriter: segmented GCM

	nonceSize   = 12
	tagSize     = 16
	wrappedSize = KeySize + tagSize
	headerSize  = 1 + nonceSize + wrappedSize // version | wrap nonce | wrapped data key

	// SegmentSize is the plaintext size of one stream segment.
	SegmentSize = 64 << 10
)

// ErrDecrypt is returned when a ciphertext does not authenticate: wrong
// master key, wrong associated data, or tampered or truncated bytes.
var ErrDecrypt = errors.New("envelope: message authentication failed")

// Key is a master key. It only ever wraps and unwraps data keys.
type Key struct {
	aead cipher.AEAD
}

// NewKey returns a master key from 32 raw bytes.
func NewKey(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("envelope: master key must be %d bytes, got %d", KeySize, len(raw))
	}
	aead, err := newGCM(raw)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead}, nil
}

// GenerateKey returns a fresh random master key (for tests and first runs).
func GenerateKey() (*Key, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("envelope: generating master key: %w", err)
	}
	return NewKey(raw)
}

// LoadOrCreateMasterKey reads the 32-byte master key at path, or, when the
// file does not exist, generates one and writes it with mode 0600. The key is
// written to a temporary file, synced, then hard-linked into place, so a
// second process starting at the same moment either wins the link or reads
// the complete key of the winner — never a half-written one. A key file
// readable by group or others is refused: the master key protects every
// applicant's data.
func LoadOrCreateMasterKey(path string) (*Key, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := createKeyFile(path); err != nil {
			return nil, err
		}
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("envelope: reading master key: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("envelope: stat master key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("envelope: master key %s has mode %v; it must not be readable by group or others (chmod 600)", path, st.Mode().Perm())
	}
	return NewKey(raw)
}

func createKeyFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("envelope: creating key directory: %w", err)
	}
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("envelope: generating master key: %w", err)
	}
	f, err := os.CreateTemp(dir, ".master-key-*")
	if err != nil {
		return fmt.Errorf("envelope: creating master key file: %w", err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("envelope: master key file mode: %w", err)
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return fmt.Errorf("envelope: writing master key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("envelope: syncing master key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("envelope: closing master key: %w", err)
	}
	if err := os.Link(f.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("envelope: installing master key: %w", err)
	}
	return nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	return aead, nil
}

// newDataKey makes a random data key and its header (version, wrap nonce,
// wrapped key). The header is bound to the version byte as associated data.
func (k *Key) newDataKey(version byte) (cipher.AEAD, []byte, error) {
	dk := make([]byte, KeySize)
	header := make([]byte, 1+nonceSize, headerSize)
	header[0] = version
	if _, err := rand.Read(dk); err != nil {
		return nil, nil, fmt.Errorf("envelope: data key: %w", err)
	}
	if _, err := rand.Read(header[1:]); err != nil {
		return nil, nil, fmt.Errorf("envelope: nonce: %w", err)
	}
	header = k.aead.Seal(header, header[1:1+nonceSize], dk, header[:1])
	aead, err := newGCM(dk)
	clear(dk)
	return aead, header, err
}

// openDataKey unwraps the data key of a header.
func (k *Key) openDataKey(header []byte) (cipher.AEAD, error) {
	dk, err := k.aead.Open(nil, header[1:1+nonceSize], header[1+nonceSize:headerSize], header[:1])
	if err != nil {
		return nil, ErrDecrypt
	}
	aead, err := newGCM(dk)
	clear(dk)
	return aead, err
}

// Seal encrypts plaintext under a fresh data key. aad (associated data) is
// authenticated but not stored: pass what the value belongs to (a table,
// column and row id) so a ciphertext copied to another row fails to open.
func (k *Key) Seal(plaintext, aad []byte) ([]byte, error) {
	aead, header, err := k.newDataKey(versionSealed)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("envelope: nonce: %w", err)
	}
	out := make([]byte, 0, headerSize+nonceSize+len(plaintext)+tagSize)
	out = append(out, header...)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// Open decrypts what Seal produced with the same aad.
func (k *Key) Open(ciphertext, aad []byte) ([]byte, error) {
	if len(ciphertext) < headerSize+nonceSize+tagSize || ciphertext[0] != versionSealed {
		return nil, ErrDecrypt
	}
	aead, err := k.openDataKey(ciphertext[:headerSize])
	if err != nil {
		return nil, err
	}
	nonce := ciphertext[headerSize : headerSize+nonceSize]
	pt, err := aead.Open(nil, nonce, ciphertext[headerSize+nonceSize:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// streamNonce is the nonce of segment i: 7 random prefix bytes, a 4-byte
// big-endian counter and a final flag byte.
func streamNonce(dst, prefix []byte, i uint32, final bool) []byte {
	dst = append(dst[:0], prefix...)
	dst = binary.BigEndian.AppendUint32(dst, i)
	if final {
		return append(dst, 1)
	}
	return append(dst, 0)
}

const prefixSize = nonceSize - 5

// Writer encrypts a stream segment by segment. Close writes the final
// segment and must be called; without it the stream does not open.
type Writer struct {
	w      io.Writer
	aead   cipher.AEAD
	aad    []byte
	prefix []byte
	nonce  []byte
	buf    []byte
	out    []byte
	seq    uint32
	err    error
}

// NewWriter starts an encrypted stream on w under a fresh data key.
func (k *Key) NewWriter(w io.Writer, aad []byte) (*Writer, error) {
	aead, header, err := k.newDataKey(versionStream)
	if err != nil {
		return nil, err
	}
	prefix := make([]byte, prefixSize)
	if _, err := rand.Read(prefix); err != nil {
		return nil, fmt.Errorf("envelope: nonce: %w", err)
	}
	if _, err := w.Write(append(header, prefix...)); err != nil {
		return nil, fmt.Errorf("envelope: writing header: %w", err)
	}
	return &Writer{w: w, aead: aead, aad: append([]byte(nil), aad...), prefix: prefix,
		buf: make([]byte, 0, SegmentSize), out: make([]byte, 0, SegmentSize+tagSize)}, nil
}

// Write buffers p and writes every full segment. A full segment is only
// written once more data follows, so the last segment is always the one
// marked final.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	for len(p) > 0 {
		if len(w.buf) == SegmentSize {
			if err := w.flush(false); err != nil {
				return n, err
			}
		}
		c := copy(w.buf[len(w.buf):SegmentSize], p)
		w.buf = w.buf[:len(w.buf)+c]
		p = p[c:]
		n += c
	}
	return n, nil
}

func (w *Writer) flush(final bool) error {
	if w.seq == ^uint32(0) {
		w.err = errors.New("envelope: stream too long")
		return w.err
	}
	w.nonce = streamNonce(w.nonce, w.prefix, w.seq, final)
	w.out = w.aead.Seal(w.out[:0], w.nonce, w.buf, w.aad)
	w.seq++
	w.buf = w.buf[:0]
	if _, err := w.w.Write(w.out); err != nil {
		w.err = fmt.Errorf("envelope: writing segment: %w", err)
		return w.err
	}
	return nil
}

// Close writes the final segment. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	err := w.flush(true)
	if err == nil {
		w.err = errors.New("envelope: write after close")
	}
	return err
}

// Reader decrypts a stream written by Writer. It returns ErrDecrypt on any
// tampering, including truncation, and never returns unauthenticated bytes.
type Reader struct {
	r      io.Reader
	aead   cipher.AEAD
	aad    []byte
	prefix []byte
	nonce  []byte
	in     []byte // one ciphertext segment plus one byte of look-ahead
	plain  []byte
	pbuf   []byte // backing store of plain, reused per segment
	seq    uint32
	done   bool
	err    error
}

// NewReader reads the stream header from r and unwraps its data key.
func (k *Key) NewReader(r io.Reader, aad []byte) (*Reader, error) {
	hdr := make([]byte, headerSize+prefixSize)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, ErrDecrypt
	}
	if hdr[0] != versionStream {
		return nil, ErrDecrypt
	}
	aead, err := k.openDataKey(hdr[:headerSize])
	if err != nil {
		return nil, err
	}
	return &Reader{r: r, aead: aead, aad: append([]byte(nil), aad...), prefix: hdr[headerSize:],
		in: make([]byte, 0, SegmentSize+tagSize+1)}, nil
}

// Read returns decrypted bytes.
func (r *Reader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.next()
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

// next decrypts one segment. It reads one byte beyond a full segment to
// learn whether the segment is the last one.
func (r *Reader) next() {
	want := SegmentSize + tagSize + 1
	n, err := io.ReadFull(r.r, r.in[len(r.in):want])
	r.in = r.in[:len(r.in)+n]
	final := false
	switch {
	case err == nil:
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		final = true
	default:
		r.err = fmt.Errorf("envelope: reading: %w", err)
		return
	}
	seg := r.in
	if !final {
		seg = r.in[:SegmentSize+tagSize]
	}
	if len(seg) < tagSize {
		r.err = ErrDecrypt
		return
	}
	r.nonce = streamNonce(r.nonce, r.prefix, r.seq, final)
	pt, err := r.aead.Open(seg[:0], r.nonce, seg, r.aad)
	if err != nil {
		r.err = ErrDecrypt
		return
	}
	r.seq++
	if final {
		r.done = true
		r.plain = pt
		r.in = r.in[:0]
		return
	}
	// Keep the look-ahead byte at the start of the buffer. pt aliases the
	// front of r.in, so copy it out of the way first.
	look := r.in[SegmentSize+tagSize]
	r.pbuf = append(r.pbuf[:0], pt...)
	r.plain = r.pbuf
	r.in = append(r.in[:0], look)
}
