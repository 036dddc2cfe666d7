// Package lockout decides when too many attempts lock an applicant out
// (cause 5 of the mission): too many submissions in a short window, or too
// many failed decisions in a row.
//
// The decision is a pure function of the applicant's history, so the status
// endpoint and the submission endpoint always agree on the unlock time.
package lockout

import (
	"time"

	"github.com/kycgate/kycgate"
)

// Policy is the lock policy. Zero values disable a rule.
type Policy struct {
	// MaxSubmissions in Window lock the applicant: the next attempt is refused.
	MaxSubmissions int           `json:"max_submissions" yaml:"max_submissions"`
	Window         time.Duration `json:"window" yaml:"window"`
	// MaxConsecutiveFailures rejected decisions in a row lock the applicant.
	MaxConsecutiveFailures int `json:"max_consecutive_failures" yaml:"max_consecutive_failures"`
	// LockFor is how long a lock lasts.
	LockFor time.Duration `json:"lock_for" yaml:"lock_for"`
}

// DefaultPolicy: 5 submissions in 10 minutes, or 5 rejections in a row,
// lock for 24 hours.
func DefaultPolicy() Policy {
	return Policy{MaxSubmissions: 5, Window: 10 * time.Minute, MaxConsecutiveFailures: 5, LockFor: 24 * time.Hour}
}

// History is what the policy looks at.
type History struct {
	// LockedUntil is the applicant's stored lock; history before it was
	// already punished and no longer counts once it has passed.
	LockedUntil *time.Time
	// Submissions and Decisions, newest first.
	Submissions []*kycgate.Submission
	Decisions   []*kycgate.Decision
}

// LockedUntil returns when the applicant may submit again, and whether it is
// locked at now. A new attempt at now counts as one more submission.
func (p Policy) LockedUntil(now time.Time, h History) (time.Time, bool) {
	var since time.Time
	if h.LockedUntil != nil {
		if now.Before(*h.LockedUntil) {
			return *h.LockedUntil, true
		}
		since = *h.LockedUntil
	}
	if p.MaxConsecutiveFailures > 0 {
		n := 0
		var last time.Time
		for _, d := range h.Decisions {
			if !d.CreatedAt.After(since) || d.Outcome != kycgate.Rejected {
				break
			}
			if n == 0 {
				last = d.CreatedAt
			}
			n++
		}
		if n >= p.MaxConsecutiveFailures {
			until := last.Add(p.LockFor)
			return until, now.Before(until)
		}
	}
	if p.MaxSubmissions > 0 && p.Window > 0 {
		from := now.Add(-p.Window)
		if from.Before(since) {
			from = since
		}
		n := 0
		for _, s := range h.Submissions {
			if s.CreatedAt.After(from) {
				n++
			}
		}
		if n >= p.MaxSubmissions {
			return now.Add(p.LockFor), true
		}
	}
	return time.Time{}, false
}
