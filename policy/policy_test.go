package policy

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/kycgate/kycgate"
)

func TestDecide(t *testing.T) {
	blur := kycgate.Finding{Code: kycgate.ImageBlurry, Step: kycgate.StepIDDocument}
	mismatch := kycgate.Finding{Code: kycgate.DataMismatch, Step: kycgate.StepPersonalData, Fields: []string{"surname"}}
	doubt := kycgate.Finding{Code: kycgate.FaceMismatch, Step: kycgate.StepSelfie, Review: true}
	wrongType := kycgate.Finding{Code: kycgate.DocumentTypeNotAccepted, Step: kycgate.StepIDDocument}
	tests := []struct {
		name       string
		policy     Policy
		findings   []kycgate.Finding
		outcome    kycgate.Outcome
		rejectType kycgate.RejectType
		steps      []kycgate.StepName
	}{
		{"nothing found approves", Policy{}, nil, kycgate.Approved, "", nil},
		{"a failure rejects for retry", Policy{}, []kycgate.Finding{blur}, kycgate.Rejected, kycgate.Retry, []kycgate.StepName{kycgate.StepIDDocument}},
		{"every failed step is listed once", Policy{}, []kycgate.Finding{blur, mismatch, blur}, kycgate.Rejected, kycgate.Retry,
			[]kycgate.StepName{kycgate.StepIDDocument, kycgate.StepPersonalData}},
		{"doubt alone goes to review", Policy{}, []kycgate.Finding{doubt}, kycgate.ManualReview, "", nil},
		{"failure beats doubt", Policy{}, []kycgate.Finding{doubt, blur}, kycgate.Rejected, kycgate.Retry,
			[]kycgate.StepName{kycgate.StepSelfie, kycgate.StepIDDocument}},
		{"override makes a code final", Policy{Overrides: map[kycgate.ReasonCode]kycgate.RejectType{kycgate.DocumentTypeNotAccepted: kycgate.Final}},
			[]kycgate.Finding{blur, wrongType}, kycgate.Rejected, kycgate.Final, []kycgate.StepName{kycgate.StepIDDocument}},
		{"review codes route to review", Policy{ReviewCodes: map[kycgate.ReasonCode]bool{kycgate.ImageBlurry: true}},
			[]kycgate.Finding{blur}, kycgate.ManualReview, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.policy.Decide(tt.findings)
			if d.Outcome != tt.outcome || d.RejectType != tt.rejectType || !reflect.DeepEqual(d.FailedSteps, tt.steps) {
				t.Errorf("got %s/%s %v, want %s/%s %v", d.Outcome, d.RejectType, d.FailedSteps, tt.outcome, tt.rejectType, tt.steps)
			}
			if len(d.Findings) != len(tt.findings) {
				t.Errorf("decision keeps %d findings, want all %d", len(d.Findings), len(tt.findings))
			}
		})
	}
}

func ExamplePolicy_Decide() {
	p := Policy{}
	d := p.Decide([]kycgate.Finding{{Code: kycgate.ImageGlare, Step: kycgate.StepIDDocument}})
	fmt.Println(d.Outcome, d.RejectType, d.FailedSteps)
	// Output: REJECTED RETRY [id_document]
}
