package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"

	"github.com/kycgate/kycgate"
)

// idempotent runs handle at most once per (principal, route, Idempotency-Key):
// a replay gets the first response, byte for byte, with
// Idempotent-Replayed: true. Requests sharing a key are serialised, so a
// double click never creates two submissions. A replay whose body differs
// from the first is refused: the key was reused for something else.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, handle func(http.ResponseWriter, *http.Request) error) error {
	p := principalFrom(r.Context())
	scope := p.scope() + " " + routeKey(r)
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "Idempotency-Key is longer than 255 characters")
	}
	unlock := s.idem.lock(scope + "\x00" + key)
	defer unlock()

	h := sha256.New()
	prev, err := s.Store.FindIdempotentResponse(r.Context(), scope, key)
	if err == nil {
		if _, err := io.Copy(h, r.Body); err != nil {
			return err
		}
		if hex.EncodeToString(h.Sum(nil)) != prev.RequestHash {
			return kycgate.Errorf("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with a different request body")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.StatusCode)
		_, _ = w.Write(prev.Body)
		return nil
	}
	if kycgate.ErrorCode(err) != kycgate.ErrNotFound {
		return err
	}

	r.Body = &hashingBody{ReadCloser: r.Body, h: h}
	rec := &bufferedResponse{header: http.Header{}, status: 200}
	if err := handle(rec, r); err != nil {
		writeError(rec, r, err)
	}
	_, _ = io.Copy(io.Discard, r.Body) // hash what the handler left unread
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
	// Server errors are not remembered: the client may retry them.
	if rec.status < 500 {
		_, err := s.Store.SaveIdempotentResponse(r.Context(), &kycgate.IdempotentResponse{
			Scope: scope, Key: key, RequestHash: hex.EncodeToString(h.Sum(nil)),
			StatusCode: rec.status, Body: rec.body.Bytes(), CreatedAt: s.now(),
		})
		if err != nil {
			s.Logger.Error("saving idempotent response", "err", err)
		}
	}
	return nil
}

type hashingBody struct {
	io.ReadCloser
	h hash.Hash
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.h.Write(p[:n])
	return n, err
}

// bufferedResponse holds a response until it is both sent and remembered.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(code int)        { b.status = code }
