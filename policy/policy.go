// Package policy turns the findings of a submission's checks into a
// decision. Checks report what they see; the policy alone decides what it
// means for the applicant, so an operator can make a code FINAL, or send it
// to review, without touching a detector.
package policy

import (
	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/reasons"
)

// Policy maps findings to a decision.
type Policy struct {
	// Overrides replaces the catalogue's default reject type per code, e.g.
	// {"DOCUMENT_TYPE_NOT_ACCEPTED": "FINAL"}.
	Overrides map[kycgate.ReasonCode]kycgate.RejectType
	// ReviewCodes send a submission to manual review instead of rejecting it
	// when they are its only findings.
	ReviewCodes map[kycgate.ReasonCode]bool
}

// Decide returns the decision for findings, without ID or timestamps.
//
// No finding: APPROVED. Only findings marked for review (doubtful rather
// than failed): MANUAL_REVIEW. Otherwise REJECTED, FINAL if any failed
// finding's reject type is FINAL, else RETRY; the decision keeps every
// finding (review ones included) so the applicant fixes all at once, and
// FailedSteps lists the steps to submit again.
func (p *Policy) Decide(findings []kycgate.Finding) *kycgate.Decision {
	d := &kycgate.Decision{Findings: findings, Outcome: kycgate.Approved}
	if d.Findings == nil {
		d.Findings = []kycgate.Finding{}
	}
	failed := false
	review := false
	final := false
	for _, f := range findings {
		if f.Review || p.ReviewCodes[f.Code] {
			review = true
			continue
		}
		failed = true
		if p.rejectType(f.Code) == kycgate.Final {
			final = true
		}
	}
	switch {
	case failed:
		d.Outcome = kycgate.Rejected
		d.RejectType = kycgate.Retry
		if final {
			d.RejectType = kycgate.Final
		}
		d.FailedSteps = steps(findings)
	case review:
		d.Outcome = kycgate.ManualReview
	}
	return d
}

func (p *Policy) rejectType(code kycgate.ReasonCode) kycgate.RejectType {
	if rt, ok := p.Overrides[code]; ok {
		return rt
	}
	if e, ok := reasons.Lookup(code); ok && e.RejectType != "" {
		return e.RejectType
	}
	return kycgate.Retry
}

// steps returns the distinct steps of findings in first-seen order.
func steps(findings []kycgate.Finding) []kycgate.StepName {
	var out []kycgate.StepName
	seen := map[kycgate.StepName]bool{}
	for _, f := range findings {
		if f.Step != "" && !seen[f.Step] {
			seen[f.Step] = true
			out = append(out, f.Step)
		}
	}
	return out
}
