package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"io"
	"math/rand"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/httpapi"
	"github.com/kycgate/kycgate/notify"
	"github.com/kycgate/kycgate/sqlstore"
	"github.com/kycgate/kycgate/sqlstore/sqlstoretest"
	"github.com/kycgate/kycgate/synth"
)

// mailbox is an SMTP server for the test: it keeps every message it gets.
type mailbox struct {
	mu   sync.Mutex
	msgs []string
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: m}, nil }

type mailSession struct{ box *mailbox }

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailSession) Reset()                               {}
func (s *mailSession) Logout() error                        { return nil }
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, string(b))
	s.box.mu.Unlock()
	return err
}

func (m *mailbox) all() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.msgs...)
}

// hookSink receives webhooks and keeps those whose signature verifies.
type hookSink struct {
	mu       sync.Mutex
	verified []notify.Payload
	bad      int
}

const hookSecret = "whsec_test"

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := notify.Verify([]byte(hookSecret), r.Header.Get("Kycgate-Signature"), body, time.Now(), 5*time.Minute); err != nil {
		h.bad++
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var p notify.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		h.bad++
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.verified = append(h.verified, p)
}

func (h *hookSink) payloads() []notify.Payload {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.Payload(nil), h.verified...)
}

// TestLifecycle runs the whole verification lifecycle on each engine, with
// the real checks, a real SMTP server and a webhook receiver that verifies
// signatures: create an applicant, submit a document photo with a wrong
// surname, get REJECTED/RETRY naming the field and the document's value (in
// the inbox, by email and by webhook), resubmit only the personal data, get
// APPROVED.
func TestLifecycle(t *testing.T) {
	if _, err := os.Stat(modelsDir()); err != nil {
		t.Skipf("face models not fetched (%v): run scripts/models.sh", err)
	}
	for _, engine := range sqlstoretest.Engines() {
		t.Run(string(engine), func(t *testing.T) { testLifecycle(t, engine) })
	}
}

func testLifecycle(t *testing.T, engine sqlstore.Engine) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	box := &mailbox{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpSrv := smtp.NewServer(box)
	smtpSrv.Domain = "localhost"
	go smtpSrv.Serve(ln)
	defer smtpSrv.Close()
	sink := &hookSink{}
	hookSrv := httptest.NewServer(sink)
	defer hookSrv.Close()

	cfg := defaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = sqlstoretest.DSN(t, engine)
	cfg.ModelsDir = modelsDir()
	cfg.Levels = []kycgate.Level{{Name: "DOC", Steps: []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument}}}
	cfg.SMTP.Addr, cfg.SMTP.TLS = ln.Addr().String(), "none"
	cfg.Webhook.URL, cfg.Webhook.Secret = hookSrv.URL, hookSecret
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	svc, err := openService(ctx, &cfg, newLogger(io.Discard), true)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if err := svc.runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer svc.runner.Stop(context.Background())
	api, err := svc.api()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	secret, key := httpapi.NewAPIKey("test", time.Now())
	if err := svc.store.CreateAPIKey(ctx, key); err != nil {
		t.Fatal(err)
	}

	// A synthetic passport, photographed.
	rng := rand.New(rand.NewSource(7))
	id := synth.RandomIdentity(rng, synth.Passport)
	doc, err := synth.Render(synth.Passport, id, synth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	photo, _, err := synth.Photograph(doc.Image, synth.RandomCamera(rng), rng)
	if err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, photo, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	declared := kycgate.PersonalData{Surname: id.Surname + "X", GivenNames: id.GivenNames, DateOfBirth: id.DateOfBirth,
		Sex: id.Sex, Nationality: id.Nationality, DocumentType: kycgate.DocPassport, DocumentNumber: id.DocumentNumber}

	c := &client{t: t, base: srv.URL, key: secret}
	var created httpapi.ApplicantResponse
	c.json("POST", "/v1/applicants", `{"external_user_id":"u-1","level":"DOC","email":"applicant@example.com"}`, 201, &created)

	// Level-1 data is validated on entry: nothing is stored.
	for _, tc := range []struct {
		edit func(*kycgate.PersonalData)
		code string
	}{
		{func(p *kycgate.PersonalData) { p.DocumentNumber = "NOT/A/PASSPORT/NO" }, "DOCUMENT_NUMBER_INVALID"},
		{func(p *kycgate.PersonalData) { p.DateOfBirth = "2999-01-01" }, "INVALID_INPUT"},
		{func(p *kycgate.PersonalData) { p.Nationality = "XYZ" }, "INVALID_INPUT"},
	} {
		bad := declared
		tc.edit(&bad)
		var prob httpapi.Problem
		c.multipart("/v1/applicants/"+created.ID+"/submissions", 422, &prob, map[string][]byte{"personal_data": mustJSON(t, bad), "document_front": jpg.Bytes()})
		if prob.Code != tc.code || len(prob.Errors) == 0 {
			t.Errorf("invalid declared data: %+v, want %s", prob, tc.code)
		}
	}

	// First attempt: the surname is off by one letter.
	var sub httpapi.SubmissionResponse
	c.multipart("/v1/applicants/"+created.ID+"/submissions", 202, &sub, map[string][]byte{"personal_data": mustJSON(t, declared), "document_front": jpg.Bytes()})
	st := c.waitDecided(created.ID, 1)
	d := st.LastDecision
	if d.Outcome != kycgate.Rejected || d.RejectType != kycgate.Retry {
		t.Fatalf("first decision %s/%s, want REJECTED/RETRY: %+v", d.Outcome, d.RejectType, d.Findings)
	}
	var mismatch *httpapi.FindingView
	for i, f := range d.Findings {
		if f.Code == kycgate.DataMismatch {
			mismatch = &d.Findings[i]
		}
	}
	if mismatch == nil || !contains(mismatch.Fields, "surname") || mismatch.DocumentValues["surname"] != id.Surname {
		t.Fatalf("no DATA_MISMATCH naming the surname %q: %+v", id.Surname, d.Findings)
	}
	if st.Status != kycgate.StatusRetry || !equalSteps(st.RequiredSteps, []kycgate.StepName{kycgate.StepPersonalData}) {
		t.Fatalf("after the mismatch: status %s, required %v; want only personal_data", st.Status, st.RequiredSteps)
	}
	var msgs httpapi.MessagesResponse
	c.json("GET", "/v1/applicants/"+created.ID+"/messages", "", 200, &msgs)
	if len(msgs.Messages) != 1 || !strings.Contains(msgs.Messages[0].Body, id.Surname) {
		t.Fatalf("inbox: %+v", msgs.Messages)
	}
	waitFor(t, "email", func() bool { return len(box.all()) == 1 })
	if text := plainText(t, box.all()[0]); !strings.Contains(text, "Surname: the document says \""+id.Surname+"\"") {
		t.Errorf("email does not name the field and the document's value:\n%s", text)
	}
	waitFor(t, "webhook", func() bool { return len(sink.payloads()) == 1 })

	// Second attempt: only the personal data, corrected.
	declared.Surname = id.Surname
	c.multipart("/v1/applicants/"+created.ID+"/submissions", 202, &sub, map[string][]byte{"personal_data": mustJSON(t, declared)})
	st = c.waitDecided(created.ID, 2)
	if st.LastDecision.Outcome != kycgate.Approved || st.Status != kycgate.StatusApproved {
		t.Fatalf("second decision %s (status %s), want APPROVED: %+v", st.LastDecision.Outcome, st.Status, st.LastDecision.Findings)
	}
	waitFor(t, "second email and webhook", func() bool { return len(box.all()) == 2 && len(sink.payloads()) == 2 })
	if p := sink.payloads()[1]; p.Outcome != kycgate.Approved {
		t.Errorf("webhook outcome %q", p.Outcome)
	}
	if sink.bad != 0 {
		t.Errorf("%d webhooks failed verification", sink.bad)
	}
}

type client struct {
	t         *testing.T
	base, key string
}

func (c *client) do(req *http.Request, status int, out any) {
	c.t.Helper()
	req.Header.Set("Authorization", "Bearer "+c.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		c.t.Fatalf("%s %s: %d, want %d: %s", req.Method, req.URL.Path, res.StatusCode, status, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			c.t.Fatalf("%s: %v", body, err)
		}
	}
}

func (c *client) json(method, path, body string, status int, out any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	c.do(req, status, out)
}

func (c *client) multipart(path string, status int, out any, parts map[string][]byte) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for name, data := range parts {
		var pw io.Writer
		if name == "personal_data" {
			pw, _ = w.CreateFormField(name)
		} else {
			pw, _ = w.CreateFormFile(name, name+".jpg")
		}
		pw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	c.do(req, status, out)
}

// waitDecided polls the status until the applicant has n decisions.
func (c *client) waitDecided(id string, n int) httpapi.ApplicantResponse {
	c.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var st httpapi.ApplicantResponse
		c.json("GET", "/v1/applicants/"+id, "", 200, &st)
		var ds httpapi.DecisionsResponse
		c.json("GET", "/v1/applicants/"+id+"/decisions", "", 200, &ds)
		if st.Status != kycgate.StatusPending && len(ds.Decisions) == n {
			return st
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no decision %d after 2 minutes (status %s)", n, st.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// plainText returns the text/plain part of a multipart email, decoded.
func plainText(t *testing.T, raw string) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no text/plain part: %v", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			var r io.Reader = p
			if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
				r = base64.NewDecoder(base64.StdEncoding, p)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}

// modelsDir is KYCGATE_MODELS_DIR, or models/ at the repository root.
func modelsDir() string {
	if d := os.Getenv("KYCGATE_MODELS_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "models")
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func equalSteps(a, b []kycgate.StepName) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
