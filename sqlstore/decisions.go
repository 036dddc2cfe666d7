package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/kycgate/kycgate"
)

// failedSteps is what a RETRY asks for again: the decision's FailedSteps,
// else the steps of its findings, else every step of the submission.
func failedSteps(d *kycgate.Decision, sub *kycgate.Submission) []kycgate.StepName {
	if len(d.FailedSteps) > 0 {
		return d.FailedSteps
	}
	var out []kycgate.StepName
	for _, f := range d.Findings {
		if f.Step != "" && !slices.Contains(out, f.Step) {
			out = append(out, f.Step)
		}
	}
	if len(out) == 0 {
		out = append(out, sub.Steps...)
	}
	return out
}

// RecordDecision stores the automatic decision, moves the applicant, writes
// the inbox message and enqueues the e-mail and webhook jobs in one
// transaction. A second decision for the same submission is a no-op (the
// unique (submission_id, kind) decides the race), so a verification job that runs twice
// decides once. Approved and RETRY decisions add the submission's steps
// that passed to the applicant's passed steps.
func (s *Store) RecordDecision(ctx context.Context, d *kycgate.Decision, m *kycgate.Message) error {
	return s.recordDecision(ctx, d, m, "auto")
}

// RecordReview records a reviewer's decision on a submission whose
// automatic decision was MANUAL_REVIEW, with the same effects as
// RecordDecision (status, passed steps, inbox, e-mail and webhook). It is
// a CONFLICT unless the applicant is in manual review for that submission;
// a second review of the same submission is a no-op. A reviewer may not
// send it back to review.
func (s *Store) RecordReview(ctx context.Context, d *kycgate.Decision, m *kycgate.Message) error {
	if d.Outcome == kycgate.ManualReview {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "a review must approve or reject")
	}
	return s.recordDecision(ctx, d, m, "review")
}

func (s *Store) recordDecision(ctx context.Context, d *kycgate.Decision, m *kycgate.Message, kind string) error {
	if d.ID == "" {
		d.ID = newID()
	}
	now := s.now()
	d.CreatedAt = now
	if d.Findings == nil {
		d.Findings = []kycgate.Finding{}
	}
	findings, err := s.seal([]byte(mustJSON(d.Findings)), "decisions", "findings", d.ID)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(q querier, raw any) error {
		subRow := q.queryRow(ctx, `SELECT `+submissionCols+` FROM submissions WHERE id = ?`, d.SubmissionID)
		sub, err := s.scanSubmission(subRow)
		if isNoRows(err) {
			return notFound("submission", d.SubmissionID)
		}
		if err != nil {
			return err
		}
		d.ApplicantID = sub.ApplicantID
		a, err := s.findApplicant(ctx, q, sub.ApplicantID)
		if err != nil {
			return err
		}
		if kind == "review" {
			var auto string
			err := q.queryRow(ctx, `SELECT outcome FROM decisions WHERE submission_id = ? AND kind = 'auto'`, d.SubmissionID).Scan(&auto)
			if err != nil && !isNoRows(err) {
				return err
			}
			if auto != string(kycgate.ManualReview) {
				return kycgate.Errorf(kycgate.ErrConflict, "submission %s is not waiting for review", d.SubmissionID)
			}
		}
		var failed []kycgate.StepName
		if d.Outcome == kycgate.Rejected {
			failed = failedSteps(d, sub)
			d.FailedSteps = failed
		}
		n, err := q.exec(ctx, `INSERT INTO decisions (id, submission_id, kind, applicant_id, outcome, reject_type, findings_enc, failed_steps, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id, kind) DO NOTHING`,
			d.ID, d.SubmissionID, kind, d.ApplicantID, string(d.Outcome), string(d.RejectType), findings,
			mustJSON(nonNil(failed)), micros(now))
		if err != nil {
			return fmt.Errorf("sqlstore: insert decision: %w", err)
		}
		if n == 0 {
			return nil // already decided: the first decision stands
		}
		to := d.Status()
		if err := kycgate.Transition(a.Status, to); err != nil {
			return err
		}
		passed := a.PassedSteps
		switch {
		case d.Outcome == kycgate.Approved, d.Outcome == kycgate.Rejected && d.RejectType != kycgate.Final:
			for _, st := range sub.Steps {
				if !slices.Contains(failed, st) && !slices.Contains(passed, st) {
					passed = append(passed, st)
				}
			}
		}
		// A step that failed now is no longer passed, even if an earlier
		// level passed it: the applicant resubmits it.
		passed = slices.DeleteFunc(slices.Clone(passed), func(st kycgate.StepName) bool { return slices.Contains(failed, st) })
		if _, err := q.exec(ctx, `UPDATE applicants SET status = ?, passed_steps = ?, failed_steps = ?, updated_at = ? WHERE id = ?`,
			string(to), mustJSON(nonNil(passed)), mustJSON(nonNil(failed)), micros(now), a.ID); err != nil {
			return err
		}
		if m != nil {
			if err := s.insertMessage(ctx, q, m, d, now); err != nil {
				return err
			}
		}
		if s.jobs != nil {
			return s.jobs.InsertNotificationsTx(ctx, raw, []kycgate.Notification{
				{Kind: "email", ApplicantID: a.ID, DecisionID: d.ID},
				{Kind: "webhook", ApplicantID: a.ID, DecisionID: d.ID},
			})
		}
		return nil
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Store) insertMessage(ctx context.Context, q querier, m *kycgate.Message, d *kycgate.Decision, now time.Time) error {
	if m.ID == "" {
		m.ID = newID()
	}
	m.ApplicantID, m.DecisionID, m.CreatedAt = d.ApplicantID, d.ID, now
	if m.Findings == nil {
		m.Findings = d.Findings
	}
	body, err := s.seal([]byte(m.Body), "messages", "body", m.ID)
	if err != nil {
		return err
	}
	fs, err := s.seal([]byte(mustJSON(nonNil(m.Findings))), "messages", "findings", m.ID)
	if err != nil {
		return err
	}
	_, err = q.exec(ctx, `INSERT INTO messages (id, applicant_id, decision_id, subject, body_enc, findings_enc, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, m.ApplicantID, m.DecisionID, m.Subject, body, fs, micros(now))
	if err != nil {
		return fmt.Errorf("sqlstore: insert message: %w", err)
	}
	return nil
}

// ListDecisions returns the applicant's decisions, newest first.
func (s *Store) ListDecisions(ctx context.Context, applicantID string) ([]*kycgate.Decision, error) {
	rs, err := s.reader().query(ctx, `SELECT id, submission_id, applicant_id, outcome, reject_type, findings_enc, failed_steps, created_at
		FROM decisions WHERE applicant_id = ? ORDER BY created_at DESC, id DESC`, applicantID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list decisions: %w", err)
	}
	defer rs.Close()
	var out []*kycgate.Decision
	for rs.Next() {
		var (
			d               kycgate.Decision
			outcome, rt, fs string
			enc             []byte
			created         int64
		)
		if err := rs.Scan(&d.ID, &d.SubmissionID, &d.ApplicantID, &outcome, &rt, &enc, &fs, &created); err != nil {
			return nil, err
		}
		d.Outcome, d.RejectType, d.CreatedAt = kycgate.Outcome(outcome), kycgate.RejectType(rt), fromMicros(created)
		pt, err := s.open(enc, "decisions", "findings", d.ID)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(pt, &d.Findings); err != nil {
			return nil, fmt.Errorf("sqlstore: decision %s findings: %w", d.ID, err)
		}
		if err := json.Unmarshal([]byte(fs), &d.FailedSteps); err != nil {
			return nil, fmt.Errorf("sqlstore: decision %s failed steps: %w", d.ID, err)
		}
		if len(d.FailedSteps) == 0 {
			d.FailedSteps = nil
		}
		out = append(out, &d)
	}
	return out, rs.Err()
}

// ListMessages returns the applicant's inbox, newest first.
func (s *Store) ListMessages(ctx context.Context, applicantID string) ([]*kycgate.Message, error) {
	rs, err := s.reader().query(ctx, `SELECT id, applicant_id, decision_id, subject, body_enc, findings_enc, created_at
		FROM messages WHERE applicant_id = ? ORDER BY created_at DESC, id DESC`, applicantID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list messages: %w", err)
	}
	defer rs.Close()
	var out []*kycgate.Message
	for rs.Next() {
		var (
			m         kycgate.Message
			body, fnd []byte
			created   int64
		)
		if err := rs.Scan(&m.ID, &m.ApplicantID, &m.DecisionID, &m.Subject, &body, &fnd, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMicros(created)
		pt, err := s.open(body, "messages", "body", m.ID)
		if err != nil {
			return nil, err
		}
		m.Body = string(pt)
		if pt, err = s.open(fnd, "messages", "findings", m.ID); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(pt, &m.Findings); err != nil {
			return nil, fmt.Errorf("sqlstore: message %s findings: %w", m.ID, err)
		}
		out = append(out, &m)
	}
	return out, rs.Err()
}

// ---- API keys ----

// CreateAPIKey stores the key; only its hash is kept.
func (s *Store) CreateAPIKey(ctx context.Context, k *kycgate.APIKey) error {
	if k.SecretHash == "" {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "API key without secret hash")
	}
	if k.ID == "" {
		k.ID = newID()
	}
	k.CreatedAt = s.now()
	n, err := s.writer().exec(ctx, `INSERT INTO api_keys (id, name, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, k.ID, k.Name, k.SecretHash, micros(k.CreatedAt), optMicros(k.RevokedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create API key: %w", err)
	}
	if n == 0 {
		return kycgate.Errorf(kycgate.ErrConflict, "API key exists")
	}
	return nil
}

// FindAPIKeyByHash returns the key with that secret hash, revoked or not
// (the caller refuses revoked keys), or NOT_FOUND.
func (s *Store) FindAPIKeyByHash(ctx context.Context, secretHash string) (*kycgate.APIKey, error) {
	var (
		k       kycgate.APIKey
		created int64
		revoked *int64
	)
	err := s.reader().queryRow(ctx, `SELECT id, name, secret_hash, created_at, revoked_at FROM api_keys WHERE secret_hash = ?`,
		secretHash).Scan(&k.ID, &k.Name, &k.SecretHash, &created, &revoked)
	if isNoRows(err) {
		return nil, kycgate.Errorf(kycgate.ErrNotFound, "API key not found")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find API key: %w", err)
	}
	k.CreatedAt, k.RevokedAt = fromMicros(created), fromOptMicros(revoked)
	return &k, nil
}

// RevokeAPIKey marks the key revoked.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) error {
	n, err := s.writer().exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, micros(s.now()), id)
	if err != nil {
		return fmt.Errorf("sqlstore: revoke API key: %w", err)
	}
	if n == 0 {
		return notFound("API key", id)
	}
	return nil
}

// ---- challenges ----

// CreateChallenge stores a liveness challenge.
func (s *Store) CreateChallenge(ctx context.Context, c *kycgate.Challenge) error {
	if c.ID == "" {
		c.ID = newID()
	}
	c.CreatedAt = s.now()
	c.UsedAt = nil
	_, err := s.writer().exec(ctx, `INSERT INTO challenges (id, applicant_id, actions, nonce, expires_at, used_at, created_at)
		VALUES (?, ?, ?, ?, ?, NULL, ?)`, c.ID, c.ApplicantID, mustJSON(nonNil(c.Actions)), c.Nonce, micros(c.ExpiresAt), micros(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create challenge: %w", err)
	}
	return nil
}

// UseChallenge marks the challenge used at at and returns it. A second use
// is a CONFLICT (also under concurrency: the conditional update decides),
// an unknown id NOT_FOUND. Expiry is the caller's to judge from ExpiresAt.
func (s *Store) UseChallenge(ctx context.Context, id string, at time.Time) (*kycgate.Challenge, error) {
	var out *kycgate.Challenge
	err := s.inTx(ctx, func(q querier, _ any) error {
		n, err := q.exec(ctx, `UPDATE challenges SET used_at = ? WHERE id = ? AND used_at IS NULL`, micros(at), id)
		if err != nil {
			return err
		}
		c, err := findChallenge(ctx, q, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return kycgate.Errorf(kycgate.ErrConflict, "challenge %s was already used", id)
		}
		out = c
		return nil
	})
	return out, err
}

// FindChallenge returns a challenge, used or not.
func (s *Store) FindChallenge(ctx context.Context, id string) (*kycgate.Challenge, error) {
	return findChallenge(ctx, s.reader(), id)
}

func findChallenge(ctx context.Context, q querier, id string) (*kycgate.Challenge, error) {
	var (
		c                kycgate.Challenge
		actions          string
		expires, created int64
		used             *int64
	)
	err := q.queryRow(ctx, `SELECT id, applicant_id, actions, nonce, expires_at, used_at, created_at FROM challenges WHERE id = ?`, id).
		Scan(&c.ID, &c.ApplicantID, &actions, &c.Nonce, &expires, &used, &created)
	if isNoRows(err) {
		return nil, notFound("challenge", id)
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(actions), &c.Actions); err != nil {
		return nil, fmt.Errorf("sqlstore: challenge %s actions: %w", id, err)
	}
	c.ExpiresAt, c.UsedAt, c.CreatedAt = fromMicros(expires), fromOptMicros(used), fromMicros(created)
	return &c, nil
}

// ---- idempotency ----

// SaveIdempotentResponse stores r unless (scope, key) exists and returns the
// stored response either way: the first writer wins a race.
func (s *Store) SaveIdempotentResponse(ctx context.Context, r *kycgate.IdempotentResponse) (*kycgate.IdempotentResponse, error) {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now()
	}
	body, err := s.seal(r.Body, "idempotent_responses", "body", r.Scope+"\x00"+r.Key)
	if err != nil {
		return nil, err
	}
	if _, err := s.writer().exec(ctx, `INSERT INTO idempotent_responses (scope, idem_key, request_hash, status_code, body_enc, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, idem_key) DO NOTHING`,
		r.Scope, r.Key, r.RequestHash, r.StatusCode, body, micros(r.CreatedAt)); err != nil {
		return nil, fmt.Errorf("sqlstore: save idempotent response: %w", err)
	}
	return s.findIdempotent(ctx, s.writer(), r.Scope, r.Key)
}

// FindIdempotentResponse returns the stored response or NOT_FOUND.
func (s *Store) FindIdempotentResponse(ctx context.Context, scope, key string) (*kycgate.IdempotentResponse, error) {
	return s.findIdempotent(ctx, s.reader(), scope, key)
}

func (s *Store) findIdempotent(ctx context.Context, q querier, scope, key string) (*kycgate.IdempotentResponse, error) {
	r := kycgate.IdempotentResponse{Scope: scope, Key: key}
	var (
		body    []byte
		created int64
	)
	err := q.queryRow(ctx, `SELECT request_hash, status_code, body_enc, created_at FROM idempotent_responses WHERE scope = ? AND idem_key = ?`,
		scope, key).Scan(&r.RequestHash, &r.StatusCode, &body, &created)
	if isNoRows(err) {
		return nil, kycgate.Errorf(kycgate.ErrNotFound, "no response stored for this idempotency key")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find idempotent response: %w", err)
	}
	if r.Body, err = s.open(body, "idempotent_responses", "body", scope+"\x00"+key); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMicros(created)
	return &r, nil
}
