package kycgate

import (
	"context"
	"time"
)

// Message is a notice in an applicant's in-app inbox. Its text is rendered
// in the applicant's locale when the decision is recorded.
type Message struct {
	ID          string    `json:"id"`
	ApplicantID string    `json:"applicant_id"`
	DecisionID  string    `json:"decision_id,omitempty"`
	Subject     string    `json:"subject"`
	Body        string    `json:"body"`
	Findings    []Finding `json:"findings,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// APIKey authenticates an operator. Only the SHA-256 of the secret is stored.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	SecretHash string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Challenge is an active-liveness challenge: actions to perform in order,
// valid once and until it expires.
type Challenge struct {
	ID          string     `json:"id"`
	ApplicantID string     `json:"applicant_id"`
	Actions     []string   `json:"actions"`
	Nonce       string     `json:"nonce"`
	ExpiresAt   time.Time  `json:"expires_at"`
	UsedAt      *time.Time `json:"used_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

// IdempotentResponse is the first response to a POST with an
// Idempotency-Key; replays of the key return it unchanged.
type IdempotentResponse struct {
	Scope       string // who may replay it: an API key or applicant id
	Key         string
	RequestHash string // a replay with a different body is a CONFLICT
	StatusCode  int
	Body        []byte
	CreatedAt   time.Time
}

// Notification jobs the store enqueues with a decision.
type Notification struct {
	Kind        string // "email" or "webhook"
	ApplicantID string
	DecisionID  string
}

// Store persists the domain. One schema, two engines (SQLite and
// PostgreSQL). Methods return *Error with NOT_FOUND or CONFLICT where those
// apply. Everything that must not be lost happens in one transaction.
type Store interface {
	CreateApplicant(ctx context.Context, a *Applicant) error
	FindApplicant(ctx context.Context, id string) (*Applicant, error)
	// ResetApplicant lets an operator return a FINAL applicant to init.
	ResetApplicant(ctx context.Context, id string) (*Applicant, error)
	// LockApplicant sets (or, with nil, clears) the lock.
	LockApplicant(ctx context.Context, id string, until *time.Time) error

	// CreateSubmission stores the submission, moves the applicant to pending
	// and enqueues its verification job, all in one transaction: a submission
	// that was accepted always reaches a decision.
	CreateSubmission(ctx context.Context, s *Submission) error
	FindSubmission(ctx context.Context, id string) (*Submission, error)
	// ListSubmissions returns the applicant's submissions, newest first.
	ListSubmissions(ctx context.Context, applicantID string, since time.Time) ([]*Submission, error)
	// LatestPersonalData returns the newest declared data, or nil.
	LatestPersonalData(ctx context.Context, applicantID string) (*PersonalData, error)

	// RecordDecision stores the decision, moves the applicant, writes the
	// inbox message and enqueues the email and webhook jobs, once per
	// submission: a second call for the same submission is a no-op.
	RecordDecision(ctx context.Context, d *Decision, m *Message) error
	// RecordReview records a reviewer's APPROVED or REJECTED decision on a
	// submission whose automatic decision was MANUAL_REVIEW, with the same
	// effects as RecordDecision.
	RecordReview(ctx context.Context, d *Decision, m *Message) error
	// ListDecisions returns the applicant's decisions, newest first.
	ListDecisions(ctx context.Context, applicantID string) ([]*Decision, error)
	ListMessages(ctx context.Context, applicantID string) ([]*Message, error)

	CreateAPIKey(ctx context.Context, k *APIKey) error
	FindAPIKeyByHash(ctx context.Context, secretHash string) (*APIKey, error)

	CreateChallenge(ctx context.Context, c *Challenge) error
	// UseChallenge marks the challenge used; a second use is a CONFLICT.
	UseChallenge(ctx context.Context, id string, at time.Time) (*Challenge, error)
	// FindChallenge returns a challenge, used or not.
	FindChallenge(ctx context.Context, id string) (*Challenge, error)

	// SaveIdempotentResponse stores r unless the key exists; it returns the
	// stored response either way.
	SaveIdempotentResponse(ctx context.Context, r *IdempotentResponse) (*IdempotentResponse, error)
	FindIdempotentResponse(ctx context.Context, scope, key string) (*IdempotentResponse, error)

	// QueuePosition returns how many verification jobs are ahead of the
	// submission's, or -1 once it is being worked or done.
	QueuePosition(ctx context.Context, submissionID string) (int, error)
}
