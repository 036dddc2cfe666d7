package httpapi_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/blob"
	"github.com/kycgate/kycgate/envelope"
	"github.com/kycgate/kycgate/httpapi"
	"github.com/kycgate/kycgate/lockout"
	"github.com/kycgate/kycgate/sqlstore"
)

// env is a server on a real SQLite store and blob directory.
type env struct {
	t       testing.TB
	srv     *httptest.Server
	store   *sqlstore.Store
	blobDir string
	apiKey  string
}

func newEnv(t testing.TB, lock lockout.Policy) *env {
	t.Helper()
	dir := t.TempDir()
	key, err := envelope.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(context.Background(), filepath.Join(dir, "kycgate.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.SetJobInserter(nopJobs{})
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"), key)
	if err != nil {
		t.Fatal(err)
	}
	s := &httpapi.Server{Store: st, Blobs: blobs, Lock: lock, TokenKey: []byte("test-token-key"),
		NewChallenge: func() ([]string, error) { return []string{"blink", "turn_left"}, nil },
		Precheck: func(_ context.Context, kind kycgate.FileKind, data []byte) ([]kycgate.Finding, map[string]float64, *kycgate.DocumentReading, error) {
			if kind == kycgate.FileSelfie {
				// A doubtful hat, which a person decides.
				return []kycgate.Finding{{Code: kycgate.FaceOccluded, Step: kycgate.StepSelfie, Detail: "hat", Review: true}}, nil, nil, nil
			}
			return []kycgate.Finding{{Code: kycgate.ImageGlare, Step: kycgate.StepIDDocument}}, map[string]float64{"glare.fraction": 0.2}, nil, nil
		},
		Metrics: httpapi.NewMetrics(nil)}
	secret, k := httpapi.NewAPIKey("test", time.Now())
	if err := st.CreateAPIKey(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, store: st, blobDir: filepath.Join(dir, "blobs"), apiKey: secret}
}

// nopJobs accepts jobs without running them: these tests look at the API,
// not at the pipeline.
type nopJobs struct{}

func (nopJobs) InsertVerifyTx(context.Context, any, string) (int64, error)               { return 1, nil }
func (nopJobs) InsertNotificationsTx(context.Context, any, []kycgate.Notification) error { return nil }

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (e *env) do(method, path, cred string, body io.Reader, contentType string, hdr map[string]string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if cred != "" {
		req.Header.Set("Authorization", "Bearer "+cred)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func (e *env) createApplicant(level string) string {
	e.t.Helper()
	r := e.do("POST", "/v1/applicants", e.apiKey, strings.NewReader(`{"external_user_id":"user-`+fmt.Sprint(time.Now().UnixNano())+`","level":"`+level+`"}`), "application/json", nil)
	if r.status != 201 {
		e.t.Fatalf("create applicant: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

type part struct {
	name, filename string
	data           []byte
}

func multipartBody(t testing.TB, parts ...part) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		var pw io.Writer
		var err error
		if p.filename != "" {
			pw, err = w.CreateFormFile(p.name, p.filename)
		} else {
			pw, err = w.CreateFormField(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.data)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func pngBytes(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// bombPNG is a valid PNG header claiming 100000×100000 pixels.
func bombPNG() []byte {
	b := pngBytes(8, 8)
	// IHDR's width and height are at offsets 16 and 20; its CRC follows
	// the 13 bytes of data that start at offset 16.
	copy(b[16:], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

const declared = `{"surname":"SUN","given_names":"XIAOMING","native_name":"孙晓明","date_of_birth":"1960-06-28","sex":"M","nationality":"CHN","document_type":"passport","document_number":"E12345678"}`

func l2Parts() []part {
	return []part{{"personal_data", "", []byte(declared)}, {"document_front", "front.png", pngBytes(64, 40)}, {"selfie", "selfie.png", pngBytes(48, 48)}}
}

func blobCount(t *testing.T, dir string) int {
	n := 0
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestApplicantLifecycleErrors(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id := e.createApplicant("L2")
	tok := e.do("POST", "/v1/applicants/"+id+"/tokens", e.apiKey, nil, "", nil)
	if tok.status != 201 {
		t.Fatalf("token: %d %s", tok.status, tok.raw)
	}
	token := tok.body["token"].(string)
	other := e.createApplicant("L2")

	tests := []struct {
		name, method, path, cred, body, ctype string
		status                                int
		code                                  string
	}{
		{"no credential", "GET", "/v1/applicants/" + id, "", "", "", 401, "UNAUTHORIZED"},
		{"bad key", "GET", "/v1/applicants/" + id, "kg_nope", "", "", 401, "UNAUTHORIZED"},
		{"forged token", "GET", "/v1/applicants/" + id, token[:len(token)-2] + "00", "", "", 401, "UNAUTHORIZED"},
		{"token for another applicant", "GET", "/v1/applicants/" + other, token, "", "", 403, "FORBIDDEN"},
		{"applicant cannot create applicants", "POST", "/v1/applicants", token, `{"external_user_id":"x"}`, "application/json", 403, "FORBIDDEN"},
		{"unknown field", "POST", "/v1/applicants", e.apiKey, `{"external_user_id":"x","admin":true}`, "application/json", 400, "INVALID_INPUT"},
		{"wrong type", "POST", "/v1/applicants", e.apiKey, `{"external_user_id":42}`, "application/json", 400, "INVALID_INPUT"},
		{"malformed JSON", "POST", "/v1/applicants", e.apiKey, `{"external_user_id":`, "application/json", 400, "INVALID_INPUT"},
		{"trailing data", "POST", "/v1/applicants", e.apiKey, `{"external_user_id":"x"} {}`, "application/json", 400, "INVALID_INPUT"},
		{"unknown level", "POST", "/v1/applicants", e.apiKey, `{"external_user_id":"x","level":"L9"}`, "application/json", 422, "INVALID_INPUT"},
		{"injection string is just a string", "POST", "/v1/applicants", e.apiKey, `{"external_user_id":"x'); DROP TABLE applicants;--"}`, "application/json", 201, ""},
		{"missing applicant", "GET", "/v1/applicants/nope", e.apiKey, "", "", 404, "NOT_FOUND"},
		{"unknown endpoint", "GET", "/v1/nothing", e.apiKey, "", "", 404, "NOT_FOUND"},
		{"own status with token", "GET", "/v1/applicants/" + id, token, "", "", 200, ""},
		{"submission must be multipart", "POST", "/v1/applicants/" + id + "/submissions", token, `{}`, "application/json", 415, "UNSUPPORTED_MEDIA_TYPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			r := e.do(tt.method, tt.path, tt.cred, body, tt.ctype, nil)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.raw)
			}
			if tt.code != "" {
				if got := r.body["code"]; got != tt.code {
					t.Errorf("code %v, want %s", got, tt.code)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type %q", ct)
				}
			}
		})
	}
	// The injection attempt did not harm the table.
	if r := e.do("GET", "/v1/applicants/"+id, e.apiKey, nil, "", nil); r.status != 200 {
		t.Fatalf("applicants table damaged: %d", r.status)
	}
}

func TestSubmissionValidation(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id := e.createApplicant("L2")
	corrupt := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 40)...)
	tests := []struct {
		name   string
		parts  []part
		status int
		code   string
	}{
		{"corrupt image", []part{{"personal_data", "", []byte(declared)}, {"document_front", "f.png", corrupt}, {"selfie", "s.png", pngBytes(8, 8)}}, 400, "IMAGE_INVALID"},
		{"text file as image", []part{{"personal_data", "", []byte(declared)}, {"document_front", "f.png", []byte("hello")}, {"selfie", "s.png", pngBytes(8, 8)}}, 400, "IMAGE_INVALID"},
		{"decompression bomb", []part{{"personal_data", "", []byte(declared)}, {"document_front", "f.png", bombPNG()}, {"selfie", "s.png", pngBytes(8, 8)}}, 413, "IMAGE_TOO_LARGE"},
		{"missing selfie step", []part{{"personal_data", "", []byte(declared)}, {"document_front", "f.png", pngBytes(8, 8)}}, 422, "INVALID_INPUT"},
		{"unknown part", append(l2Parts(), part{"passport_scan", "x.png", pngBytes(8, 8)}), 400, "INVALID_INPUT"},
		{"malformed personal data", []part{{"personal_data", "", []byte(`{"surname":1}`)}}, 400, "INVALID_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(t, tt.parts...)
			r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil)
			if r.status != tt.status || r.body["code"] != tt.code {
				t.Fatalf("got %d %v, want %d %s: %s", r.status, r.body["code"], tt.status, tt.code, r.raw)
			}
			if n := blobCount(t, e.blobDir); n != 0 {
				t.Errorf("%d blobs left behind by a refused submission", n)
			}
		})
	}
	body, ct := multipartBody(t, l2Parts()...)
	r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil)
	if r.status != 202 {
		t.Fatalf("valid submission: %d %s", r.status, r.raw)
	}
	if n := blobCount(t, e.blobDir); n != 2 {
		t.Errorf("%d blobs stored, want 2", n)
	}
	body, ct = multipartBody(t, l2Parts()...)
	if r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil); r.status != 409 {
		t.Errorf("second submission while pending: %d, want 409", r.status)
	}
}

func TestIdempotentDoubleClick(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id := e.createApplicant("L2")
	const clicks = 4
	// A double click sends the same bytes twice.
	body, ct := multipartBody(t, l2Parts()...)
	raw, _ := io.ReadAll(body)
	var wg sync.WaitGroup
	results := make([]response, clicks)
	for i := range clicks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, bytes.NewReader(raw), ct, map[string]string{"Idempotency-Key": "click-1"})
		}()
	}
	wg.Wait()
	subs, err := e.store.ListSubmissions(context.Background(), id, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 {
		t.Fatalf("%d submissions from a double click, want 1", len(subs))
	}
	for i, r := range results {
		if r.status != 202 || r.body["id"] != subs[0].ID {
			t.Errorf("click %d: %d %s, want 202 replaying %s", i, r.status, r.raw, subs[0].ID)
		}
	}
	replays := 0
	for _, r := range results {
		if r.header.Get("Idempotent-Replayed") == "true" {
			replays++
		}
	}
	if replays != clicks-1 {
		t.Errorf("%d replays, want %d", replays, clicks-1)
	}
	other, ct := multipartBody(t, part{"personal_data", "", []byte(declared)})
	if r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, other, ct, map[string]string{"Idempotency-Key": "click-1"}); r.status != 422 || r.body["code"] != "IDEMPOTENCY_KEY_REUSED" {
		t.Errorf("key reused with another body: %d %s", r.status, r.raw)
	}
}

func TestLockoutAnswers429WithRetryAt(t *testing.T) {
	e := newEnv(t, lockout.Policy{MaxSubmissions: 2, Window: time.Hour, LockFor: 24 * time.Hour})
	id := e.createApplicant("L2")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		body, ct := multipartBody(t, l2Parts()...)
		r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil)
		if r.status != 202 {
			t.Fatalf("submission %d: %d %s", i, r.status, r.raw)
		}
		// Decide it as the worker would, so the applicant may submit again.
		d := &kycgate.Decision{SubmissionID: r.body["id"].(string), ApplicantID: id, Outcome: kycgate.Rejected, RejectType: kycgate.Retry,
			Findings:    []kycgate.Finding{{Code: kycgate.ImageBlurry, Step: kycgate.StepIDDocument}},
			FailedSteps: []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument, kycgate.StepSelfie}, CreatedAt: time.Now()}
		if err := e.store.RecordDecision(ctx, d, &kycgate.Message{ApplicantID: id, Subject: "s", Body: "b", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	body, ct := multipartBody(t, l2Parts()...)
	r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil)
	if r.status != 429 || r.body["code"] != "TOO_MANY_ATTEMPTS" {
		t.Fatalf("third submission: %d %s", r.status, r.raw)
	}
	if r.header.Get("Retry-After") == "" || r.body["retry_at"] == nil {
		t.Errorf("429 lacks Retry-After or retry_at: %v %s", r.header, r.raw)
	}
	st := e.do("GET", "/v1/applicants/"+id, e.apiKey, nil, "", nil)
	retryAt, _ := time.Parse(time.RFC3339Nano, r.body["retry_at"].(string))
	shown, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(st.body["retry_at"]))
	if st.body["locked"] != true || shown.Sub(retryAt).Abs() > time.Millisecond {
		t.Errorf("status does not show the lock: %s", st.raw)
	}
}

func TestPrecheckAndChallenge(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id := e.createApplicant("L2")
	body, ct := multipartBody(t, part{"kind", "", []byte("document_front")}, part{"file", "f.png", pngBytes(16, 16)})
	r := e.do("POST", "/v1/precheck", e.apiKey, body, ct, map[string]string{"Accept-Language": "zh-CN"})
	if r.status != 200 || r.body["ok"] != false {
		t.Fatalf("precheck: %d %s", r.status, r.raw)
	}
	f := r.body["findings"].([]any)[0].(map[string]any)
	if f["code"] != "IMAGE_GLARE" || !strings.Contains(f["message"].(string), "反光") {
		t.Errorf("precheck finding not localised: %v", f)
	}
	// A doubtful finding is shown but does not hold the applicant back.
	body, ct = multipartBody(t, part{"kind", "", []byte("selfie")}, part{"file", "f.png", pngBytes(16, 16)})
	r = e.do("POST", "/v1/precheck", e.apiKey, body, ct, nil)
	if r.status != 200 || r.body["ok"] != true || len(r.body["findings"].([]any)) != 1 || r.body["findings"].([]any)[0].(map[string]any)["review"] != true {
		t.Errorf("precheck of a selfie with a doubtful hat: %d %s", r.status, r.raw)
	} else if fix := r.body["findings"].([]any)[0].(map[string]any)["fix"].(string); !strings.HasPrefix(fix, "If you are wearing a hat") {
		t.Errorf("precheck orders a doubtful hat off rather than asking: %q", fix)
	}
	c := e.do("POST", "/v1/applicants/"+id+"/challenges", e.apiKey, nil, "", nil)
	if c.status != 201 || len(c.body["actions"].([]any)) != 2 || c.body["nonce"] == "" {
		t.Fatalf("challenge: %d %s", c.status, c.raw)
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	r := e.do("GET", "/openapi.json", "", nil, "", nil)
	if r.status != 200 || r.body["openapi"] != "3.1.0" {
		t.Fatalf("openapi: %d", r.status)
	}
	paths := r.body["paths"].(map[string]any)
	for _, p := range []string{"/v1/applicants", "/v1/applicants/{id}", "/v1/applicants/{id}/submissions", "/v1/applicants/{id}/messages", "/v1/precheck"} {
		if paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
	schemas := r.body["components"].(map[string]any)["schemas"].(map[string]any)
	for _, s := range []string{"ApplicantResponse", "Problem", "FindingView", "SubmissionResponse"} {
		if schemas[s] == nil {
			t.Errorf("openapi lacks schema %s", s)
		}
	}
	// The checked-in copy (docs/openapi.json) must be current.
	golden := filepath.Join("..", "docs", "openapi.json")
	var pretty bytes.Buffer
	json.Indent(&pretty, bytes.TrimSpace(r.raw), "", "  ")
	pretty.WriteByte('\n')
	if os.Getenv("UPDATE_OPENAPI") != "" {
		os.WriteFile(golden, pretty.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil || !bytes.Equal(want, pretty.Bytes()) {
		t.Errorf("docs/openapi.json is stale: run UPDATE_OPENAPI=1 go test ./httpapi -run OpenAPI")
	}
}

func TestManualReview(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id := e.createApplicant("L2")
	body, ct := multipartBody(t, l2Parts()...)
	r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil)
	if r.status != 202 {
		t.Fatalf("submission: %d %s", r.status, r.raw)
	}
	reject := `{"outcome":"REJECTED","findings":[{"code":"FACE_MISMATCH","step":"selfie"}]}`
	if r := e.do("POST", "/v1/applicants/"+id+"/review", e.apiKey, strings.NewReader(reject), "application/json", nil); r.status != 409 {
		t.Fatalf("review before any MANUAL_REVIEW: %d, want 409", r.status)
	}
	d := &kycgate.Decision{SubmissionID: r.body["id"].(string), ApplicantID: id, Outcome: kycgate.ManualReview,
		Findings: []kycgate.Finding{{Code: kycgate.FaceMismatch, Step: kycgate.StepSelfie, Review: true}}, CreatedAt: time.Now()}
	if err := e.store.RecordDecision(context.Background(), d, &kycgate.Message{ApplicantID: id, Subject: "s", Body: "b", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`{"outcome":"MAYBE"}`, `{"outcome":"REJECTED"}`, `{"outcome":"REJECTED","findings":[{"code":"NOPE","step":"selfie"}]}`, `{"outcome":"APPROVED","reject_type":"FINAL"}`} {
		if r := e.do("POST", "/v1/applicants/"+id+"/review", e.apiKey, strings.NewReader(bad), "application/json", nil); r.status != 422 {
			t.Errorf("review %s: %d, want 422", bad, r.status)
		}
	}
	rv := e.do("POST", "/v1/applicants/"+id+"/review", e.apiKey, strings.NewReader(reject), "application/json", nil)
	if rv.status != 201 || rv.body["outcome"] != "REJECTED" || rv.body["reject_type"] != "RETRY" {
		t.Fatalf("review: %d %s", rv.status, rv.raw)
	}
	st := e.do("GET", "/v1/applicants/"+id, e.apiKey, nil, "", nil)
	if st.body["status"] != "rejected_retry" || fmt.Sprint(st.body["required_steps"]) != "[selfie]" {
		t.Errorf("after review: %s", st.raw)
	}
}

func TestOperationsEndpointsAndBodyLimit(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id := e.createApplicant("L2")
	body, ct := multipartBody(t, l2Parts()...)
	if r := e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil); r.status != 202 {
		t.Fatalf("submission: %d", r.status)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if r := e.do("GET", p, "", nil, "", nil); r.status != 200 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	m := e.do("GET", "/metrics", "", nil, "", nil)
	for _, want := range []string{"kycgate_submissions_accepted_total 1", "kycgate_applicants_created_total 1", `route="POST /v1/applicants/{id}/submissions"`} {
		if !strings.Contains(string(m.raw), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(string(m.raw), id) {
		t.Error("/metrics exposes an applicant id")
	}
	huge := strings.NewReader(`{"external_user_id":"` + strings.Repeat("x", 200<<10) + `"}`)
	small := newEnv(t, lockout.Policy{})
	small.srv.Config.Handler = (&httpapi.Server{Store: small.store, MaxBodyBytes: 64 << 10}).Handler()
	if r := small.do("POST", "/v1/applicants", small.apiKey, huge, "application/json", nil); r.status != 413 || r.body["code"] != "BODY_TOO_LARGE" {
		t.Errorf("oversized body: %d %s", r.status, r.raw)
	}
}

func TestChallengeIsSpentOnSubmission(t *testing.T) {
	e := newEnv(t, lockout.Policy{})
	id, other := e.createApplicant("L2"), e.createApplicant("L2")
	challenge := func(applicant string) string {
		c := e.do("POST", "/v1/applicants/"+applicant+"/challenges", e.apiKey, nil, "", nil)
		return c.body["id"].(string)
	}
	withFrames := func(ch string) []part {
		return append(l2Parts(), part{"challenge_id", "", []byte(ch)}, part{"liveness_timestamps", "", []byte("[0,125]")},
			part{"liveness_frame", "f0.png", pngBytes(16, 16)}, part{"liveness_frame", "f1.png", pngBytes(16, 16)})
	}
	submit := func(parts []part) response {
		body, ct := multipartBody(t, parts...)
		return e.do("POST", "/v1/applicants/"+id+"/submissions", e.apiKey, body, ct, nil)
	}
	if r := submit(withFrames(challenge(other))); r.status != 422 || !strings.Contains(string(r.raw), "challenge_id") {
		t.Errorf("another applicant's challenge: %d %s", r.status, r.raw)
	}
	if r := submit(withFrames("no-such-challenge")); r.status != 422 {
		t.Errorf("unknown challenge: %d %s", r.status, r.raw)
	}
	ch := challenge(id)
	if r := submit(withFrames(ch)); r.status != 202 {
		t.Fatalf("valid challenge: %d %s", r.status, r.raw)
	}
	c, err := e.store.FindChallenge(context.Background(), ch)
	if err != nil || c.UsedAt == nil {
		t.Fatalf("challenge not spent: %+v %v", c, err)
	}
	if n := blobCount(t, e.blobDir); n != 4 {
		t.Errorf("%d blobs after one accepted submission with 2 frames, want 4 (refused ones cleaned up)", n)
	}
}
