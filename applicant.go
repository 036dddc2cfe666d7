package kycgate

import (
	"context"
	"time"
)

// StepName names one step of a level: a unit that is submitted, checked and,
// after a RETRY rejection, asked for again on its own.
type StepName string

// The steps kycgate knows.
const (
	StepPersonalData   StepName = "personal_data"    // L1: declared identity data
	StepIDDocument     StepName = "id_document"      // L2: identity document images
	StepSelfie         StepName = "selfie"           // L2: selfie and liveness frames
	StepProofOfAddress StepName = "proof_of_address" // L3: bank statement or utility bill
)

// LevelName names a verification level.
type LevelName string

// Default level names. Levels are configurable; these are the defaults.
const (
	Level1 LevelName = "L1"
	Level2 LevelName = "L2"
	Level3 LevelName = "L3"
)

// Level is an ordered list of steps an applicant must pass. A higher level
// includes the steps of lower ones, so moving up keeps the steps passed.
type Level struct {
	Name  LevelName  `json:"name"`
	Steps []StepName `json:"steps"`
}

// DefaultLevels returns the three standard levels.
func DefaultLevels() []Level {
	return []Level{
		{Name: Level1, Steps: []StepName{StepPersonalData}},
		{Name: Level2, Steps: []StepName{StepPersonalData, StepIDDocument, StepSelfie}},
		{Name: Level3, Steps: []StepName{StepPersonalData, StepIDDocument, StepSelfie, StepProofOfAddress}},
	}
}

// Status is where an applicant stands in verification.
type Status string

// Applicant statuses.
const (
	StatusInit         Status = "init"           // created, nothing submitted yet
	StatusPending      Status = "pending"        // a submission is queued or being checked
	StatusApproved     Status = "approved"       // every step of the target level passed
	StatusRetry        Status = "rejected_retry" // rejected; fix the failed steps and resubmit
	StatusFinal        Status = "rejected_final" // rejected; no resubmission until an operator resets
	StatusManualReview Status = "manual_review"  // waiting for a reviewer
)

// Applicant is a person being verified on behalf of an operator's user.
type Applicant struct {
	ID             string    `json:"id"`
	ExternalUserID string    `json:"external_user_id"`
	Level          LevelName `json:"level"`
	Status         Status    `json:"status"`
	// PassedSteps are the steps already approved; they are not asked again.
	PassedSteps []StepName `json:"passed_steps"`
	// RequiredSteps are the steps still to submit for the target level.
	RequiredSteps []StepName `json:"required_steps"`
	// LockedUntil is set while too many attempts lock the applicant out.
	LockedUntil *time.Time `json:"locked_until,omitempty"`
	// Locale chooses the language of notices: "en" or "zh-CN".
	Locale string `json:"locale"`
	// Email receives notices; it is personal data and encrypted at rest.
	Email     string    `json:"email,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// transitions lists every allowed status change. Anything else is a bug or
// an attempt to skip a step, and is refused.
var transitions = map[Status][]Status{
	StatusInit:         {StatusPending},
	StatusPending:      {StatusApproved, StatusRetry, StatusFinal, StatusManualReview},
	StatusRetry:        {StatusPending},
	StatusManualReview: {StatusApproved, StatusRetry, StatusFinal},
	StatusApproved:     {StatusPending}, // moving up a level
	StatusFinal:        {StatusInit},    // operator reset
}

// CanTransition reports whether an applicant may move from one status to
// another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Statuses returns every status, for exhaustive tests and documentation.
func Statuses() []Status {
	return []Status{StatusInit, StatusPending, StatusApproved, StatusRetry, StatusFinal, StatusManualReview}
}

// Transition checks that from → to is allowed and returns a CONFLICT error
// naming both when it is not.
func Transition(from, to Status) error {
	if !CanTransition(from, to) {
		return Errorf(ErrConflict, "applicant cannot move from %s to %s", from, to)
	}
	return nil
}

// ApplicantService manages applicants.
type ApplicantService interface {
	CreateApplicant(ctx context.Context, a *Applicant) error
	FindApplicantByID(ctx context.Context, id string) (*Applicant, error)
}
