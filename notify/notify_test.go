package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/reasons"
)

// ---- a real SMTP server for the tests ----

type received struct {
	from, to string
	data     []byte
	authUser string
	tls      bool
}

type smtpBackend struct {
	mu   sync.Mutex
	msgs []received
	user string // required credentials, if set
	pass string
}

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{b: b, conn: c}, nil
}

func (b *smtpBackend) all() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

type smtpSession struct {
	b    *smtpBackend
	conn *smtp.Conn
	cur  received
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.b.user || password != s.b.pass {
			return errors.New("invalid credentials")
		}
		s.cur.authUser = username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.cur.authUser == "" {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.cur.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.cur.to = to; return nil }

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	_, s.cur.tls = s.conn.TLSConnectionState()
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// startSMTP starts a go-smtp server on a free port; with TLS it offers
// STARTTLS and requires the given credentials.
func startSMTP(t *testing.T, withTLS bool, user, pass string) (*smtpBackend, string, *x509.CertPool) {
	t.Helper()
	be := &smtpBackend{user: user, pass: pass}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	var pool *x509.CertPool
	if withTLS {
		srv.TLSConfig, pool = selfSigned(t)
	} else {
		srv.AllowInsecureAuth = true
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return be, ln.Addr().String(), pool
}

// parsed is a received message taken apart like a mail client would.
type parsed struct {
	subject, text, html string
	header              mail.Header
}

func parseMessage(t *testing.T, raw []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var p parsed
	p.header = m.Header
	dec := new(mime.WordDecoder)
	if p.subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", mt, err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes Content-Transfer-Encoding? only quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(part)
		if part.Header.Get("Content-Transfer-Encoding") == "base64" {
			body = decodeB64(t, string(body))
		}
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct {
		case "text/plain":
			p.text = string(body)
		case "text/html":
			p.html = string(body)
		}
	}
	return p
}

func decodeB64(t *testing.T, s string) []byte {
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var rejected = &kycgate.Decision{ID: "dec-1", SubmissionID: "sub-1", ApplicantID: "app-1", Outcome: kycgate.Rejected,
	RejectType: kycgate.Retry, FailedSteps: []kycgate.StepName{kycgate.StepIDDocument, kycgate.StepSelfie},
	Findings: []kycgate.Finding{
		{Code: kycgate.ImageBlurry, Step: kycgate.StepIDDocument, Metrics: map[string]float64{"sharpness": 12}},
		{Code: kycgate.DataMismatch, Step: kycgate.StepIDDocument, Fields: []string{"surname"}, DocumentValues: map[string]string{"surname": "SUNN"}},
		{Code: kycgate.FaceOccluded, Step: kycgate.StepSelfie, Detail: "sunglasses"},
	}}

// reasonsRenderer renders like the service does, with the reasons
// catalogue, so the test sees real localised text.
func reasonsRenderer(a *kycgate.Applicant, d *kycgate.Decision, _ *kycgate.Message) (Email, error) {
	n := reasons.RenderNotice(d, a.Locale)
	return Email{Subject: n.Subject, Text: n.Text, HTML: n.HTML}, nil
}

func TestSMTPDelivery(t *testing.T) {
	tests := []struct {
		name        string
		tls         bool
		user, pass  string
		locale      string
		wantSubject string
		wantText    string
		wantErr     bool
	}{
		{name: "plain relay, English", locale: "en", wantSubject: "Action needed: fix and resubmit your verification", wantText: "sunglasses"},
		{name: "STARTTLS with auth, Chinese", tls: true, user: "kyc", pass: "s3cret", locale: "zh-CN",
			wantSubject: "身份认证需要修改后重新提交", wantText: "只需重新提交"},
		{name: "wrong password", tls: true, user: "kyc", pass: "other", locale: "en", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			be, addr, pool := startSMTP(t, tc.tls, "kyc", "s3cret")
			if !tc.tls {
				be.user = ""
			}
			s := &SMTP{Addr: addr, From: "kycgate <noreply@kycgate.example>", Username: tc.user, Password: tc.pass,
				Render: reasonsRenderer}
			if tc.tls {
				s.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
			} else {
				s.TLS = TLSNone
			}
			a := &kycgate.Applicant{ID: "app-1", Email: "Xiaoming Sun <sun@example.test>", Locale: tc.locale}
			err := s.SendDecision(context.Background(), a, rejected, nil)
			if tc.wantErr {
				if err == nil || len(be.all()) != 0 {
					t.Fatalf("err %v, %d messages", err, len(be.all()))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			msgs := be.all()
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			m := msgs[0]
			if m.from != "noreply@kycgate.example" || m.to != "sun@example.test" || m.tls != tc.tls || m.authUser != tc.user {
				t.Fatalf("envelope %+v", m)
			}
			p := parseMessage(t, m.data)
			if p.subject != tc.wantSubject {
				t.Fatalf("subject %q, want %q", p.subject, tc.wantSubject)
			}
			if !strings.Contains(p.text, tc.wantText) || strings.Count(p.text, "\n1. ") != 1 || !strings.Contains(p.text, "3. ") {
				t.Fatalf("text part lacks findings:\n%s", p.text)
			}
			if !strings.Contains(p.html, "<li>") || strings.Count(p.html, "<li>") != 3 || !strings.Contains(p.html, "<!DOCTYPE html>") {
				t.Fatalf("html part:\n%s", p.html)
			}
			if p.header.Get("Message-ID") == "" || p.header.Get("Date") == "" {
				t.Fatal("missing Message-ID or Date")
			}
		})
	}
}

func TestSMTPRefusesCleartextCredentials(t *testing.T) {
	be, addr, _ := startSMTP(t, false, "kyc", "s3cret")
	s := &SMTP{Addr: addr, From: "noreply@kycgate.example", Username: "kyc", Password: "s3cret", Render: reasonsRenderer}
	err := s.SendDecision(context.Background(), &kycgate.Applicant{Email: "a@example.test"}, rejected, nil)
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(be.all()) != 0 {
		t.Fatalf("err %v", err)
	}
}

func TestSubjectInjection(t *testing.T) {
	be, addr, _ := startSMTP(t, false, "", "")
	s := &SMTP{Addr: addr, From: "noreply@kycgate.example", TLS: TLSNone}
	err := s.Send(context.Background(), "a@example.test", Email{Subject: "Hi\r\nBcc: victim@example.test", Text: "t", HTML: "<p>t</p>"})
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, be.all()[0].data)
	if p.header.Get("Bcc") != "" || p.subject != "Hi Bcc: victim@example.test" {
		t.Fatalf("subject %q, Bcc %q", p.subject, p.header.Get("Bcc"))
	}
	if err := s.Send(context.Background(), "not an address", Email{}); err == nil {
		t.Fatal("bad recipient accepted")
	}
}

func TestFromMessage(t *testing.T) {
	m := &kycgate.Message{Subject: "S", Body: "First <line>\nsecond\n\nNext para"}
	e, err := FromMessage(nil, rejected, m)
	if err != nil {
		t.Fatal(err)
	}
	if e.Text != m.Body || e.HTML != "<p>First &lt;line&gt;<br>\nsecond</p>\n<p>Next para</p>\n" {
		t.Fatalf("%q", e.HTML)
	}
	if _, err := FromMessage(nil, rejected, nil); err == nil {
		t.Fatal("nil message rendered")
	}
}

// ---- webhooks ----

func TestSignVerify(t *testing.T) {
	secret := []byte("whsec_test")
	body := []byte(`{"event":"applicant.reviewed"}`)
	now := time.Unix(1_760_000_000, 0)
	h := Sign(secret, now, body)
	if !strings.HasPrefix(h, "t=1760000000,v1=") || len(h) != len("t=1760000000,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	// Known answer, computed independently with:
	// printf '1760000000.{"event":"applicant.reviewed"}' | openssl dgst -sha256 -hmac whsec_test
	if want := "t=1760000000,v1=771528dd5e503bd4df42e811878ea507bbd54fec7300f5bcf84d5791829a039a"; h != want {
		t.Fatalf("Sign = %q, want %q", h, want)
	}
	tests := []struct {
		name   string
		header string
		body   []byte
		now    time.Time
		secret []byte
		want   error
	}{
		{"valid", h, body, now, secret, nil},
		{"valid 4 min later", h, body, now.Add(4 * time.Minute), secret, nil},
		{"too old", h, body, now.Add(6 * time.Minute), secret, ErrSignatureExpired},
		{"from the future", h, body, now.Add(-6 * time.Minute), secret, ErrSignatureExpired},
		{"body changed", h, []byte(`{"event":"applicant.reviewed" }`), now, secret, ErrSignatureInvalid},
		{"wrong secret", h, body, now, []byte("other"), ErrSignatureInvalid},
		{"rotated: second signature matches", "t=1760000000,v1=" + strings.Repeat("0", 64) + "," + strings.TrimPrefix(h, "t=1760000000,"), body, now, secret, nil},
		{"timestamp changed", strings.Replace(h, "t=1760000000", "t=1760000001", 1), body, now, secret, ErrSignatureInvalid},
		{"no signature", "t=1760000000", body, now, secret, ErrSignatureFormat},
		{"no timestamp", strings.TrimPrefix(h, "t=1760000000,"), body, now, secret, ErrSignatureFormat},
		{"garbage", "hello", body, now, secret, ErrSignatureFormat},
		{"empty", "", body, now, secret, ErrSignatureFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Verify(tc.secret, tc.header, tc.body, tc.now, DefaultTolerance); !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("t=1760000000,v1=abc", []byte("{}"))
	f.Add("", []byte(nil))
	f.Add("t=-99999999999999999999,v1=", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		if Verify([]byte("k"), header, body, time.Unix(1_760_000_000, 0), DefaultTolerance) == nil {
			// Only a real signature may verify.
			if !strings.Contains(header, mac([]byte("k"), strings.TrimPrefix(strings.Split(header, ",")[0], "t="), body)) {
				t.Fatalf("forged header verified: %q", header)
			}
		}
	})
}

func TestWebhookDelivery(t *testing.T) {
	secret := []byte("whsec_live")
	var mu sync.Mutex
	var got []Payload
	fail := 1
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := Verify(secret, r.Header.Get(SignatureHeader), body, time.Now(), DefaultTolerance); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if fail > 0 {
			fail--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("Kycgate-Event") != EventReviewed || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "headers", http.StatusBadRequest)
			return
		}
		if strings.Contains(string(body), "SUNN") || strings.Contains(string(body), "sun@example.test") {
			http.Error(w, "personal data in webhook", http.StatusTeapot)
			return
		}
		var p Payload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got = append(got, p)
	}))
	defer srv.Close()
	a := &kycgate.Applicant{ID: "app-1", ExternalUserID: "ext-42", Level: kycgate.Level2, Email: "sun@example.test"}
	wrong := &Webhook{URL: srv.URL, Secret: []byte("not the secret")}
	if err := wrong.DeliverDecision(context.Background(), a, rejected); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrongly signed delivery: %v", err)
	}
	w := &Webhook{URL: srv.URL, Secret: secret}
	if err := w.DeliverDecision(context.Background(), a, rejected); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("first delivery should see 503: %v", err)
	}
	if err := w.DeliverDecision(context.Background(), a, rejected); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	p := got[0]
	if p.Event != EventReviewed || p.ApplicantID != "app-1" || p.ExternalUserID != "ext-42" || p.Outcome != kycgate.Rejected ||
		p.RejectType != kycgate.Retry || p.Status != kycgate.StatusRetry || len(p.Findings) != 3 ||
		p.Findings[1].Fields[0] != "surname" || p.Findings[2].Detail != "sunglasses" || p.ID != "evt_dec-1" {
		t.Fatalf("payload %+v", p)
	}
	if err := (&Webhook{URL: "http://127.0.0.1:1", Secret: secret}).DeliverDecision(context.Background(), a, rejected); err == nil {
		t.Fatal("delivery to a closed port succeeded")
	}
}

func ExampleVerify() {
	secret := []byte("whsec_example")
	body := []byte(`{"event":"applicant.reviewed"}`)
	sent := time.Unix(1_760_000_000, 0)
	header := Sign(secret, sent, body)
	fmt.Println(Verify(secret, header, body, sent.Add(time.Minute), DefaultTolerance))
	fmt.Println(Verify(secret, header, body, sent.Add(10*time.Minute), DefaultTolerance))
	// Output:
	// <nil>
	// notify: signature timestamp outside tolerance
}
