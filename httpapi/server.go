// Package httpapi is kycgate's HTTP API: /v1 JSON endpoints for operators
// and applicants, RFC 9457 errors, idempotent POSTs, OpenAPI 3.1 at
// /openapi.json generated from the handlers' types, health and metrics.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/lockout"
)

// Server serves the API. Fill the fields, then call Handler.
type Server struct {
	Store  kycgate.Store
	Blobs  kycgate.BlobStore
	Levels []kycgate.Level
	Lock   lockout.Policy
	// TokenKey signs applicant tokens; derive it from the master key.
	TokenKey []byte
	// TokenTTL is the lifetime of applicant tokens (default 1 h).
	TokenTTL time.Duration
	// ValidatePersonalData checks level-1 data on entry; nil accepts all.
	ValidatePersonalData func(p *kycgate.PersonalData, today time.Time) []FieldError
	// Precheck runs the image checks synchronously for POST /v1/precheck.
	// Image errors (IMAGE_INVALID, IMAGE_TOO_LARGE) come back as *kycgate.Error.
	Precheck func(ctx context.Context, kind kycgate.FileKind, data []byte) ([]kycgate.Finding, map[string]float64, *kycgate.DocumentReading, error)
	// NewChallenge draws the actions of a liveness challenge.
	NewChallenge func() ([]string, error)
	// ChallengeTTL is how long a liveness challenge is valid (default 2 min).
	ChallengeTTL time.Duration
	// Ready reports whether dependencies (database) answer.
	Ready func(ctx context.Context) error
	// MaxFileBytes limits one uploaded file; MaxBodyBytes a whole request.
	MaxFileBytes int64
	MaxBodyBytes int64
	// MaxPixels refuses images larger than this before decoding.
	MaxPixels int
	// AvgCheckSeconds estimates the wait behind each queued submission.
	AvgCheckSeconds float64
	Clock           kycgate.Clock
	Logger          *slog.Logger
	Metrics         *Metrics

	idem keyedMutex
	keys keyCache
}

// route is one endpoint: its handler and what the OpenAPI document says of it.
type route struct {
	method, path, summary string
	auth                  authKind
	request               any // zero value of the JSON body type, or multipartBody
	response              any
	status                int
	handle                func(w http.ResponseWriter, r *http.Request) error
}

type authKind int

const (
	authNone authKind = iota
	authOperator
	authApplicant // an applicant token or an operator key
)

func (s *Server) routes() []route {
	return []route{
		{"POST", "/v1/applicants", "Create an applicant", authOperator, CreateApplicantRequest{}, ApplicantResponse{}, 201, s.createApplicant},
		{"GET", "/v1/applicants/{id}", "Get an applicant's status, lock and queue position", authApplicant, nil, ApplicantResponse{}, 200, s.getApplicant},
		{"POST", "/v1/applicants/{id}/tokens", "Issue an applicant-scoped token for the capture flow", authOperator, nil, TokenResponse{}, 201, s.createToken},
		{"POST", "/v1/applicants/{id}/review", "Decide a submission waiting for manual review (operator)", authOperator, ReviewRequest{}, DecisionView{}, 201, s.review},
		{"POST", "/v1/applicants/{id}/reset", "Reset a FINAL-rejected applicant (operator)", authOperator, nil, ApplicantResponse{}, 200, s.resetApplicant},
		{"POST", "/v1/applicants/{id}/submissions", "Submit steps: personal data and files (multipart)", authApplicant, multipartBody{}, SubmissionResponse{}, 202, s.createSubmission},
		{"GET", "/v1/applicants/{id}/decisions", "List decisions, newest first", authApplicant, nil, DecisionsResponse{}, 200, s.listDecisions},
		{"GET", "/v1/applicants/{id}/messages", "List inbox messages, newest first", authApplicant, nil, MessagesResponse{}, 200, s.listMessages},
		{"POST", "/v1/applicants/{id}/challenges", "Issue a liveness challenge", authApplicant, nil, ChallengeResponse{}, 201, s.createChallenge},
		{"POST", "/v1/precheck", "Check one photo now, storing nothing", authApplicant, multipartBody{}, PrecheckResult{}, 200, s.precheck},
	}
}

// Handler returns the API's HTTP handler.
func (s *Server) Handler() http.Handler {
	s.defaults()
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.method+" "+rt.path, s.wrap(rt))
	}
	doc := s.OpenAPI()
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, doc) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if s.Ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := s.Ready(ctx); err != nil {
				writeJSON(w, 503, map[string]string{"status": "unavailable"})
				return
			}
		}
		writeJSON(w, 200, map[string]string{"status": "ready"})
	})
	if s.Metrics != nil {
		mux.Handle("GET /metrics", s.Metrics.Handler())
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, kycgate.Errorf(kycgate.ErrNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return mux
}

func (s *Server) defaults() {
	if s.Clock == nil {
		s.Clock = kycgate.SystemClock{}
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.Levels == nil {
		s.Levels = kycgate.DefaultLevels()
	}
	if s.TokenTTL == 0 {
		s.TokenTTL = time.Hour
	}
	if s.ChallengeTTL == 0 {
		s.ChallengeTTL = 2 * time.Minute
	}
	if s.MaxFileBytes == 0 {
		s.MaxFileBytes = 20 << 20
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = 100 << 20
	}
	if s.MaxPixels == 0 {
		s.MaxPixels = 50_000_000
	}
	if s.AvgCheckSeconds == 0 {
		s.AvgCheckSeconds = 2
	}
}

func (s *Server) now() time.Time { return s.Clock.Now() }

// wrap adds authentication, body limits, panic recovery, logging (no
// personal data: method, route, status, duration) and metrics.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		defer func() {
			if p := recover(); p != nil {
				s.Logger.Error("panic", "route", rt.path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				writeError(rec, r, errors.New("panic"))
			}
			s.Logger.Info("request", "method", r.Method, "route", rt.path, "status", rec.status, "ms", time.Since(start).Milliseconds())
			if s.Metrics != nil {
				s.Metrics.observeRequest(rt.method+" "+rt.path, rec.status, time.Since(start))
			}
		}()
		r.Body = http.MaxBytesReader(rec, r.Body, s.MaxBodyBytes)
		if rt.auth != authNone {
			p, err := s.authenticate(r)
			if err == nil && rt.auth == authOperator && p.operator == nil {
				err = kycgate.Errorf(kycgate.ErrForbidden, "this endpoint needs an operator API key")
			}
			if err == nil {
				if id := r.PathValue("id"); id != "" && !p.canAccess(id) {
					err = kycgate.Errorf(kycgate.ErrForbidden, "the token is for another applicant")
				}
			}
			if err != nil {
				writeError(rec, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		var err error
		if rt.method == "POST" && r.Header.Get("Idempotency-Key") != "" {
			err = s.idempotent(rec, r, rt.handle)
		} else {
			err = rt.handle(rec, r)
		}
		if err != nil {
			if kycgate.ErrorCode(err) == kycgate.ErrInternal {
				var mbe *http.MaxBytesError
				var ve *ValidationError
				if !errors.As(err, &mbe) && !errors.As(err, &ve) {
					s.Logger.Error("request failed", "route", rt.path, "err", err)
				}
			}
			writeError(rec, r, err)
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// decodeJSON reads one JSON object into v, refusing unknown fields, trailing
// data and wrong types with INVALID_INPUT.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return kycgate.Errorf(kycgate.ErrInvalidInput, "empty body: a JSON object is required")
		}
		return kycgate.Errorf(kycgate.ErrInvalidInput, "malformed JSON: %v", err)
	}
	if dec.More() {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "malformed JSON: data after the object")
	}
	return nil
}

// keyedMutex serialises requests that share an idempotency key, so a double
// click waits for the first request and replays its response.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		l.users--
		if l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

func routeKey(r *http.Request) string {
	return r.Method + " " + strings.TrimSuffix(r.URL.Path, "/")
}
