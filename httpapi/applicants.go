package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/lockout"
	"github.com/kycgate/kycgate/reasons"
)

// CreateApplicantRequest creates an applicant for one of the operator's users.
type CreateApplicantRequest struct {
	ExternalUserID string `json:"external_user_id"`
	// Level is the target level: L1, L2 (default) or L3.
	Level string `json:"level,omitempty"`
	// Email receives notices (optional).
	Email string `json:"email,omitempty"`
	// Locale of notices: en (default) or zh-CN.
	Locale string `json:"locale,omitempty"`
}

// ApplicantResponse is an applicant's status as the applicant and the
// operator see it.
type ApplicantResponse struct {
	kycgate.Applicant
	// Locked is true while too many attempts lock the applicant; RetryAt is
	// the unlock time.
	Locked  bool       `json:"locked"`
	RetryAt *time.Time `json:"retry_at,omitempty"`
	// QueuePosition counts the submissions ahead of the pending one;
	// EstimatedWaitSeconds estimates the wait for its decision.
	QueuePosition        *int          `json:"queue_position,omitempty"`
	EstimatedWaitSeconds *float64      `json:"estimated_wait_seconds,omitempty"`
	LastDecision         *DecisionView `json:"last_decision,omitempty"`
}

// DecisionView is a decision with each finding explained in the reader's
// locale.
type DecisionView struct {
	kycgate.Decision
	Findings []FindingView `json:"findings"`
}

// FindingView is a finding with its message and fix-it guide.
type FindingView struct {
	kycgate.Finding
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// TokenResponse carries an applicant-scoped token for the capture flow.
type TokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// DecisionsResponse lists decisions, newest first.
type DecisionsResponse struct {
	Decisions []DecisionView `json:"decisions"`
}

// MessagesResponse lists inbox messages, newest first.
type MessagesResponse struct {
	Messages []*kycgate.Message `json:"messages"`
}

// ChallengeResponse is a liveness challenge: perform Actions in order while
// the capture page records frames, then submit them with the challenge id.
type ChallengeResponse struct {
	ID        string    `json:"id"`
	Actions   []string  `json:"actions"`
	Nonce     string    `json:"nonce"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) level(name kycgate.LevelName) (kycgate.Level, bool) {
	for _, l := range s.Levels {
		if l.Name == name {
			return l, true
		}
	}
	return kycgate.Level{}, false
}

func (s *Server) createApplicant(w http.ResponseWriter, r *http.Request) error {
	var req CreateApplicantRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		return err
	}
	var fe []FieldError
	req.ExternalUserID = strings.TrimSpace(req.ExternalUserID)
	if req.ExternalUserID == "" || len(req.ExternalUserID) > 128 {
		fe = append(fe, FieldError{"external_user_id", kycgate.ErrInvalidInput, "required, at most 128 characters"})
	}
	if req.Level == "" {
		req.Level = string(kycgate.Level2)
	}
	if _, ok := s.level(kycgate.LevelName(req.Level)); !ok {
		fe = append(fe, FieldError{"level", kycgate.ErrInvalidInput, "unknown level " + req.Level})
	}
	if req.Email != "" && (len(req.Email) > 254 || !strings.Contains(req.Email, "@") || strings.ContainsAny(req.Email, "\r\n <>")) {
		fe = append(fe, FieldError{"email", kycgate.ErrInvalidInput, "not an email address"})
	}
	if len(fe) > 0 {
		return &ValidationError{fe}
	}
	a := &kycgate.Applicant{ExternalUserID: req.ExternalUserID, Level: kycgate.LevelName(req.Level),
		Status: kycgate.StatusInit, Email: req.Email, Locale: reasons.NormalizeLocale(req.Locale)}
	if err := s.Store.CreateApplicant(r.Context(), a); err != nil {
		return err
	}
	if s.Metrics != nil {
		s.Metrics.applicants.Inc()
	}
	return s.writeStatus(w, r, a, http.StatusCreated)
}

func (s *Server) getApplicant(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Store.FindApplicant(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeStatus(w, r, a, http.StatusOK)
}

// history loads what the lock policy looks at.
func (s *Server) history(r *http.Request, a *kycgate.Applicant) (lockout.History, []*kycgate.Decision, error) {
	since := s.now().Add(-s.Lock.Window - time.Minute)
	subs, err := s.Store.ListSubmissions(r.Context(), a.ID, since)
	if err != nil {
		return lockout.History{}, nil, err
	}
	decs, err := s.Store.ListDecisions(r.Context(), a.ID)
	if err != nil {
		return lockout.History{}, nil, err
	}
	return lockout.History{LockedUntil: a.LockedUntil, Submissions: subs, Decisions: decs}, decs, nil
}

func (s *Server) status(r *http.Request, a *kycgate.Applicant) (*ApplicantResponse, error) {
	h, decs, err := s.history(r, a)
	if err != nil {
		return nil, err
	}
	resp := &ApplicantResponse{Applicant: *a}
	if until, locked := s.Lock.LockedUntil(s.now(), h); locked && a.Status != kycgate.StatusPending {
		u := until.UTC()
		resp.Locked, resp.RetryAt = true, &u
	}
	if len(decs) > 0 {
		resp.LastDecision = viewDecision(decs[0], r)
	}
	if a.Status == kycgate.StatusPending {
		subs, err := s.Store.ListSubmissions(r.Context(), a.ID, time.Time{})
		if err != nil {
			return nil, err
		}
		if len(subs) > 0 {
			pos, err := s.Store.QueuePosition(r.Context(), subs[0].ID)
			if err != nil {
				return nil, err
			}
			if pos >= 0 {
				wait := float64(pos+1) * s.AvgCheckSeconds
				resp.QueuePosition, resp.EstimatedWaitSeconds = &pos, &wait
			}
		}
	}
	return resp, nil
}

// writeStatus answers with the applicant's status.
func (s *Server) writeStatus(w http.ResponseWriter, r *http.Request, a *kycgate.Applicant, code int) error {
	resp, err := s.status(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, code, resp)
	return nil
}

func viewDecision(d *kycgate.Decision, r *http.Request) *DecisionView {
	v := &DecisionView{Decision: *d, Findings: viewFindings(d.Findings, r)}
	return v
}

func viewFindings(fs []kycgate.Finding, r *http.Request) []FindingView {
	out := make([]FindingView, 0, len(fs))
	locale := r.Header.Get("Accept-Language")
	for _, f := range fs {
		t := reasons.Describe(f, locale)
		out = append(out, FindingView{Finding: f, Message: t.Message, Fix: t.Fix})
	}
	return out
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Store.FindApplicant(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	exp := s.now().Add(s.TokenTTL).Truncate(time.Second)
	writeJSON(w, http.StatusCreated, TokenResponse{Token: s.IssueToken(a.ID, exp), ExpiresAt: exp.UTC()})
	return nil
}

func (s *Server) resetApplicant(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Store.ResetApplicant(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeStatus(w, r, a, http.StatusOK)
}

func (s *Server) listDecisions(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Store.FindApplicant(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	decs, err := s.Store.ListDecisions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	resp := DecisionsResponse{Decisions: []DecisionView{}}
	for _, d := range decs {
		resp.Decisions = append(resp.Decisions, *viewDecision(d, r))
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Store.FindApplicant(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	msgs, err := s.Store.ListMessages(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if msgs == nil {
		msgs = []*kycgate.Message{}
	}
	writeJSON(w, http.StatusOK, MessagesResponse{Messages: msgs})
	return nil
}

func (s *Server) createChallenge(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Store.FindApplicant(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if s.NewChallenge == nil {
		return kycgate.Errorf(kycgate.ErrConflict, "liveness is not configured")
	}
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return err
	}
	now := s.now()
	actions, err := s.NewChallenge()
	if err != nil {
		return err
	}
	c := &kycgate.Challenge{ApplicantID: a.ID, Actions: actions, Nonce: hex.EncodeToString(nonce[:]),
		ExpiresAt: now.Add(s.ChallengeTTL).UTC(), CreatedAt: now}
	if err := s.Store.CreateChallenge(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ChallengeResponse{ID: c.ID, Actions: slices.Clone(c.Actions), Nonce: c.Nonce, ExpiresAt: c.ExpiresAt})
	return nil
}
