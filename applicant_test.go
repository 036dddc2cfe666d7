package kycgate

import (
	"errors"
	"fmt"
	"testing"
)

// TestTransitionsExhaustive checks every ordered pair of statuses against
// the lifecycle: what may happen, and that everything else is refused with
// CONFLICT.
func TestTransitionsExhaustive(t *testing.T) {
	allowed := map[[2]Status]bool{
		{StatusInit, StatusPending}:          true, // first submission
		{StatusPending, StatusApproved}:      true,
		{StatusPending, StatusRetry}:         true,
		{StatusPending, StatusFinal}:         true,
		{StatusPending, StatusManualReview}:  true,
		{StatusRetry, StatusPending}:         true, // resubmission of the failed steps
		{StatusManualReview, StatusApproved}: true, // reviewer decisions
		{StatusManualReview, StatusRetry}:    true,
		{StatusManualReview, StatusFinal}:    true,
		{StatusApproved, StatusPending}:      true, // moving up a level
		{StatusFinal, StatusInit}:            true, // operator reset
	}
	n := 0
	for _, from := range Statuses() {
		for _, to := range Statuses() {
			n++
			want := allowed[[2]Status{from, to}]
			if got := CanTransition(from, to); got != want {
				t.Errorf("%s → %s: allowed %v, want %v", from, to, got, want)
			}
			err := Transition(from, to)
			var de *Error
			if want && err != nil {
				t.Errorf("%s → %s: %v", from, to, err)
			}
			if !want && (!errors.As(err, &de) || de.Code != ErrConflict) {
				t.Errorf("%s → %s: got %v, want a CONFLICT", from, to, err)
			}
		}
	}
	if n != 36 {
		t.Fatalf("checked %d pairs, want all 36", n)
	}
}

func TestDecisionStatus(t *testing.T) {
	tests := []struct {
		d    Decision
		want Status
	}{
		{Decision{Outcome: Approved}, StatusApproved},
		{Decision{Outcome: ManualReview}, StatusManualReview},
		{Decision{Outcome: Rejected, RejectType: Retry}, StatusRetry},
		{Decision{Outcome: Rejected, RejectType: Final}, StatusFinal},
	}
	for _, tt := range tests {
		if got := tt.d.Status(); got != tt.want {
			t.Errorf("%s/%s → %s, want %s", tt.d.Outcome, tt.d.RejectType, got, tt.want)
		}
	}
}

func TestErrorCode(t *testing.T) {
	err := fmt.Errorf("submitting: %w", Errorf(string(TooManyAttempts), "locked"))
	if got := ErrorCode(err); got != string(TooManyAttempts) {
		t.Errorf("wrapped code %q", got)
	}
	if got := ErrorCode(errors.New("disk full")); got != ErrInternal {
		t.Errorf("plain error code %q", got)
	}
}

func TestPhotoProblem(t *testing.T) {
	ev := &Evidence{Findings: []Finding{{Code: FaceTooDark, Step: StepSelfie}, {Code: DataMismatch, Step: StepPersonalData}}}
	if ev.PhotoProblem(StepIDDocument) {
		t.Error("selfie and data findings are not document photo problems")
	}
	ev.Findings = append(ev.Findings, Finding{Code: ImageGlare, Step: StepIDDocument})
	if !ev.PhotoProblem(StepIDDocument) {
		t.Error("glare on the document is a photo problem")
	}
}

func ExampleCanTransition() {
	fmt.Println(CanTransition(StatusRetry, StatusPending), CanTransition(StatusFinal, StatusPending))
	// Output: true false
}
