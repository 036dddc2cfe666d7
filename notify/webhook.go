// Package notify tells people about decisions: the applicant by e-mail
// (SMTP, localised, plain text and HTML) and the operator by a signed
// webhook. Both are called from jobs, which retry failures with backoff.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
)

// SignatureHeader carries the webhook signature:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>".
const SignatureHeader = "Kycgate-Signature"

// DefaultTolerance is how old (or how far in the future) a signed
// timestamp may be. Receivers refuse older deliveries, so a captured
// request cannot be replayed later.
const DefaultTolerance = 5 * time.Minute

// EventReviewed is the event sent when a decision is recorded.
const EventReviewed = "applicant.reviewed"

// Sign returns the signature header value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret []byte, ts string, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verification errors.
var (
	ErrSignatureFormat  = errors.New("notify: malformed signature header")
	ErrSignatureExpired = errors.New("notify: signature timestamp outside tolerance")
	ErrSignatureInvalid = errors.New("notify: signature does not match")
)

// Verify checks a webhook as a receiver should: the header parses, its
// timestamp is within tolerance of now, and one of its v1 signatures (there
// may be several while a secret is rotated) matches body. The comparison is
// constant-time.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrSignatureFormat
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrSignatureFormat
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrSignatureExpired
	}
	want := []byte(mac(secret, ts, body))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			return nil
		}
	}
	return ErrSignatureInvalid
}

// Payload is the webhook body. It names what was decided and why, by
// stable codes, and carries no personal data values (no names, numbers or
// the document values of DATA_MISMATCH): the operator reads those, if it
// must, through the API.
type Payload struct {
	ID             string             `json:"id"` // unique per event; receivers deduplicate on it
	Event          string             `json:"event"`
	CreatedAt      time.Time          `json:"created_at"`
	ApplicantID    string             `json:"applicant_id"`
	ExternalUserID string             `json:"external_user_id"`
	Level          kycgate.LevelName  `json:"level"`
	Status         kycgate.Status     `json:"status"`
	SubmissionID   string             `json:"submission_id"`
	DecisionID     string             `json:"decision_id"`
	Outcome        kycgate.Outcome    `json:"outcome"`
	RejectType     kycgate.RejectType `json:"reject_type,omitempty"`
	FailedSteps    []kycgate.StepName `json:"failed_steps,omitempty"`
	Findings       []PayloadFinding   `json:"findings"`
}

// PayloadFinding is a finding without its personal data values.
type PayloadFinding struct {
	Code   kycgate.ReasonCode `json:"code"`
	Step   kycgate.StepName   `json:"step"`
	Fields []string           `json:"fields,omitempty"`
	Detail string             `json:"detail,omitempty"`
}

// NewPayload builds the applicant.reviewed payload of a decision.
func NewPayload(a *kycgate.Applicant, d *kycgate.Decision) *Payload {
	p := &Payload{ID: "evt_" + d.ID, Event: EventReviewed, CreatedAt: d.CreatedAt, ApplicantID: a.ID,
		ExternalUserID: a.ExternalUserID, Level: a.Level, Status: d.Status(), SubmissionID: d.SubmissionID,
		DecisionID: d.ID, Outcome: d.Outcome, RejectType: d.RejectType, FailedSteps: d.FailedSteps,
		Findings: make([]PayloadFinding, 0, len(d.Findings))}
	for _, f := range d.Findings {
		p.Findings = append(p.Findings, PayloadFinding{Code: f.Code, Step: f.Step, Fields: f.Fields, Detail: f.Detail})
	}
	return p
}

// Webhook delivers signed payloads to the operator's endpoint.
type Webhook struct {
	URL    string
	Secret []byte
	// Client defaults to one with a 10 s timeout.
	Client *http.Client
	Clock  kycgate.Clock
}

// DeliverDecision posts the applicant.reviewed event. Any answer but 2xx is
// an error, so the job retries with backoff.
func (w *Webhook) DeliverDecision(ctx context.Context, a *kycgate.Applicant, d *kycgate.Decision) error {
	p := NewPayload(a, d)
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("notify: webhook payload: %w", err)
	}
	return w.Post(ctx, p.ID, p.Event, body)
}

// Post signs and sends one event body.
func (w *Webhook) Post(ctx context.Context, id, event string, body []byte) error {
	if w.URL == "" {
		return errors.New("notify: webhook URL not set")
	}
	clock := w.Clock
	if clock == nil {
		clock = kycgate.SystemClock{}
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "kycgate-webhook/1")
	req.Header.Set("Kycgate-Event", event)
	req.Header.Set("Kycgate-Delivery", id)
	req.Header.Set(SignatureHeader, Sign(w.Secret, clock.Now(), body))
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook delivery: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("notify: webhook endpoint answered %s", resp.Status)
	}
	return nil
}
