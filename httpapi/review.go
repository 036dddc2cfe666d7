package httpapi

import (
	"net/http"
	"slices"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/reasons"
)

// ReviewRequest is a reviewer's decision on a borderline submission.
type ReviewRequest struct {
	// Outcome is APPROVED or REJECTED.
	Outcome kycgate.Outcome `json:"outcome"`
	// RejectType is RETRY (default) or FINAL for a rejection.
	RejectType kycgate.RejectType `json:"reject_type,omitempty"`
	// Findings say why a submission is rejected, as the checks would: each
	// with a reason code and the step to submit again. They reach the
	// applicant with their fix-it guides.
	Findings []kycgate.Finding `json:"findings,omitempty"`
}

func (s *Server) review(w http.ResponseWriter, r *http.Request) error {
	var req ReviewRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		return err
	}
	a, err := s.Store.FindApplicant(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if a.Status != kycgate.StatusManualReview {
		return kycgate.Errorf(kycgate.ErrConflict, "the applicant is not waiting for manual review (status %s)", a.Status)
	}
	d := &kycgate.Decision{ApplicantID: a.ID, Outcome: req.Outcome, Findings: req.Findings, CreatedAt: s.now()}
	var fe []FieldError
	switch req.Outcome {
	case kycgate.Approved:
		if len(req.Findings) > 0 || req.RejectType != "" {
			fe = append(fe, FieldError{"findings", kycgate.ErrInvalidInput, "an approval carries no findings or reject type"})
		}
		d.Findings = []kycgate.Finding{}
	case kycgate.Rejected:
		d.RejectType = req.RejectType
		if d.RejectType == "" {
			d.RejectType = kycgate.Retry
		}
		if d.RejectType != kycgate.Retry && d.RejectType != kycgate.Final {
			fe = append(fe, FieldError{"reject_type", kycgate.ErrInvalidInput, "RETRY or FINAL"})
		}
		if len(req.Findings) == 0 {
			fe = append(fe, FieldError{"findings", kycgate.ErrInvalidInput, "a rejection names at least one finding, so the applicant knows what to fix"})
		}
		for _, f := range req.Findings {
			if _, ok := reasons.Lookup(f.Code); !ok || f.Step == "" {
				fe = append(fe, FieldError{"findings", kycgate.ErrInvalidInput, "each finding needs a known code and a step"})
				break
			}
			if !slices.Contains(d.FailedSteps, f.Step) {
				d.FailedSteps = append(d.FailedSteps, f.Step)
			}
		}
	default:
		fe = append(fe, FieldError{"outcome", kycgate.ErrInvalidInput, "APPROVED or REJECTED"})
	}
	if len(fe) > 0 {
		return &ValidationError{fe}
	}
	decs, err := s.Store.ListDecisions(r.Context(), a.ID)
	if err != nil {
		return err
	}
	if len(decs) == 0 {
		return kycgate.Errorf(kycgate.ErrConflict, "no decision to review")
	}
	d.SubmissionID = decs[0].SubmissionID
	if err := s.Store.RecordReview(r.Context(), d, reasons.RenderMessage(a, d)); err != nil {
		return err
	}
	if s.Metrics != nil {
		s.Metrics.ObserveDecision(d)
	}
	writeJSON(w, http.StatusCreated, viewDecision(d, r))
	return nil
}
