package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
)

// Email is a rendered notice.
type Email struct {
	Subject string
	Text    string
	HTML    string
}

// Renderer writes the e-mail of a decision in the applicant's locale. The
// reasons package provides the text (reasons.RenderNotice); m is the inbox
// message recorded with the decision, possibly nil.
type Renderer func(a *kycgate.Applicant, d *kycgate.Decision, m *kycgate.Message) (Email, error)

// FromMessage renders the e-mail from the inbox message, so e-mail and
// inbox say the same words; the HTML part is the text, escaped, one
// paragraph per blank-line-separated block.
func FromMessage(a *kycgate.Applicant, d *kycgate.Decision, m *kycgate.Message) (Email, error) {
	if m == nil {
		return Email{}, fmt.Errorf("notify: no inbox message for decision %s", d.ID)
	}
	var h strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(m.Body), "\n\n") {
		h.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>\n") + "</p>\n")
	}
	return Email{Subject: m.Subject, Text: m.Body, HTML: h.String()}, nil
}

// TLSMode says how the SMTP connection is protected.
type TLSMode string

// TLS modes.
const (
	// TLSStartTLS upgrades with STARTTLS when the server offers it, and
	// requires it when credentials are configured (the default).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit connects over TLS from the start (port 465).
	TLSImplicit TLSMode = "tls"
	// TLSNone never encrypts (a local relay).
	TLSNone TLSMode = "none"
)

// SMTP sends e-mail notices through an SMTP server.
type SMTP struct {
	Addr     string // host:port
	From     string // "kycgate <noreply@example.com>"
	Username string
	Password string
	TLS      TLSMode
	// TLSConfig overrides the TLS client configuration (tests, private CAs).
	TLSConfig *tls.Config
	// Render defaults to FromMessage.
	Render  Renderer
	Timeout time.Duration // per send; default 30 s
	Clock   kycgate.Clock
}

// SendDecision renders and sends the notice of d to a's address.
func (s *SMTP) SendDecision(ctx context.Context, a *kycgate.Applicant, d *kycgate.Decision, m *kycgate.Message) error {
	if a.Email == "" {
		return nil
	}
	render := s.Render
	if render == nil {
		render = FromMessage
	}
	e, err := render(a, d, m)
	if err != nil {
		return err
	}
	return s.Send(ctx, a.Email, e)
}

// Send delivers one e-mail to one recipient.
func (s *SMTP) Send(ctx context.Context, to string, e Email) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("notify: sender address: %w", err)
	}
	rcpt, err := mail.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("notify: recipient address: %w", err)
	}
	clock := s.Clock
	if clock == nil {
		clock = kycgate.SystemClock{}
	}
	msg, err := buildMessage(from, rcpt, e, clock.Now())
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return s.deliver(ctx, from.Address, rcpt.Address, msg)
}

func (s *SMTP) deliver(ctx context.Context, from, to string, msg []byte) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("notify: SMTP address %q: %w", s.Addr, err)
	}
	tlsConf := s.TLSConfig
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: host}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("notify: connecting to SMTP server: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if s.TLS == TLSImplicit {
		conn = tls.Client(conn, tlsConf)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("notify: SMTP greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("notify: SMTP HELO: %w", err)
	}
	if s.TLS == "" || s.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConf); err != nil {
				return fmt.Errorf("notify: STARTTLS: %w", err)
			}
		} else if s.Username != "" {
			return errors.New("notify: SMTP server does not offer STARTTLS; refusing to send credentials in clear")
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("notify: SMTP auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("notify: SMTP MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("notify: SMTP RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("notify: SMTP DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("notify: SMTP DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("notify: SMTP DATA: %w", err)
	}
	return c.Quit()
}

// buildMessage writes a multipart/alternative message: text first, HTML
// second (clients show the last part they understand). Bodies are base64
// so any script and line length survives every relay; the subject is
// RFC 2047 encoded.
func buildMessage(from, to *mail.Address, e Email, now time.Time) ([]byte, error) {
	var rnd [12]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, err
	}
	boundary := "kycgate-" + hex.EncodeToString(rnd[:])
	domain := "kycgate.local"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		domain = from.Address[i+1:]
	}
	var b bytes.Buffer
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", from.String())
	hdr("To", to.String())
	// A line break in a subject would start a new header (injection).
	subject := strings.Join(strings.Fields(e.Subject), " ")
	hdr("Subject", mime.BEncoding.Encode("utf-8", subject))
	hdr("Date", now.Format(time.RFC1123Z))
	hdr("Message-ID", "<"+hex.EncodeToString(rnd[:])+"@"+domain+">")
	hdr("MIME-Version", "1.0")
	hdr("Auto-Submitted", "auto-generated")
	hdr("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	part := func(ctype, body string) {
		b.WriteString("--" + boundary + "\r\n")
		b.WriteString("Content-Type: " + ctype + "; charset=utf-8\r\n")
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString([]byte(body))
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	part("text/plain", e.Text)
	html := e.HTML
	if !strings.Contains(strings.ToLower(html), "<html") {
		html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n" + html + "</body></html>\n"
	}
	part("text/html", html)
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes(), nil
}
