package jobs_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/kycgate/kycgate/notify"
)

// smtpServer is a real SMTP server (go-smtp) that refuses the first fail
// messages with a temporary error, like a busy relay.
type smtpServer struct {
	mu       sync.Mutex
	fail     int
	attempts int
	subjects []string
	rcpts    []string
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSess{s: s}, nil }

type smtpSess struct {
	s  *smtpServer
	to string
}

func (x *smtpSess) Reset()                                    {}
func (x *smtpSess) Logout() error                             { return nil }
func (x *smtpSess) Mail(string, *smtp.MailOptions) error      { return nil }
func (x *smtpSess) Rcpt(to string, _ *smtp.RcptOptions) error { x.to = to; return nil }
func (x *smtpSess) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.attempts++
	if x.s.attempts <= x.s.fail {
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	x.s.subjects = append(x.s.subjects, m.Header.Get("Subject"))
	x.s.rcpts = append(x.s.rcpts, x.to)
	return nil
}

func (s *smtpServer) delivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subjects)
}

func startSMTP(t *testing.T, fail int) (*smtpServer, string) {
	s := &smtpServer{fail: fail}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s, ln.Addr().String()
}

// hookServer is the operator's endpoint: it verifies every signature and
// answers 503 to the first fail deliveries.
type hookServer struct {
	mu       sync.Mutex
	fail     int
	attempts int
	bad      int
	events   []notify.Payload
}

func startHook(t *testing.T, secret []byte, fail int) (*hookServer, string) {
	h := &hookServer{fail: fail}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		h.attempts++
		if err := notify.Verify(secret, r.Header.Get(notify.SignatureHeader), body, time.Now(), notify.DefaultTolerance); err != nil {
			h.bad++
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if h.attempts <= h.fail {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var p notify.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			h.bad++
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.events = append(h.events, p)
	}))
	t.Cleanup(srv.Close)
	return h, srv.URL
}

func (h *hookServer) delivered() []notify.Payload {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.Payload(nil), h.events...)
}
