package docread

import (
	"testing"

	"github.com/kycgate/kycgate"
)

func TestWithoutPhotoConsequences(t *testing.T) {
	blur := kycgate.Finding{Code: kycgate.ImageBlurry, Step: kycgate.StepIDDocument}
	notAccepted := kycgate.Finding{Code: kycgate.DocumentTypeNotAccepted, Step: kycgate.StepIDDocument}
	unreadable := kycgate.Finding{Code: kycgate.DocumentUnreadable, Step: kycgate.StepIDDocument}
	mismatch := kycgate.Finding{Code: kycgate.DataMismatch, Step: kycgate.StepPersonalData}
	tests := []struct {
		name     string
		earlier  []kycgate.Finding
		readType string
		in       []kycgate.Finding
		want     int
	}{
		{"sharp photo keeps every finding", nil, "other", []kycgate.Finding{notAccepted, unreadable}, 2},
		{"blurred and unrecognised: the blur explains it", []kycgate.Finding{blur}, "other", []kycgate.Finding{notAccepted, unreadable}, 0},
		{"blurred but recognised refused kind stays", []kycgate.Finding{blur}, "household_register", []kycgate.Finding{notAccepted}, 1},
		{"blurred but read: the mismatch stays", []kycgate.Finding{blur}, "passport", []kycgate.Finding{mismatch}, 1},
		{"selfie problems do not count", []kycgate.Finding{{Code: kycgate.FaceTooDark, Step: kycgate.StepSelfie}}, "other", []kycgate.Finding{notAccepted}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &kycgate.Evidence{Findings: tt.earlier}
			if got := withoutPhotoConsequences(ev, tt.in, tt.readType); len(got) != tt.want {
				t.Errorf("kept %v, want %d findings", got, tt.want)
			}
		})
	}
}
