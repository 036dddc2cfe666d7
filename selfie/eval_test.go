package selfie

import (
	"bytes"
	"testing"
)

// TestEvaluate runs the labelled and generated selfies and guards the
// measured precision and recall (docs/selfie.md); a change that lowers any
// of them fails here.
func TestEvaluate(t *testing.T) {
	td := testdata(t)
	m := models(t)
	var out bytes.Buffer
	sum, err := Evaluate(&out, td, m)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	floors := []struct {
		cat               string
		precision, recall float64
	}{
		{"FACE_TOO_DARK", 0.98, 0.98}, // 1 FP: a VR headset darkens the skin box
		{"FACE_MULTIPLE", 1.0, 1.0},
		{"FACE_OCCLUDED:sunglasses", 1.0, 0.49},
		{"FACE_OCCLUDED:mask", 1.0, 0.74},
		{"FACE_OCCLUDED:hat", 0.95, 0.87}, // 1 FP: a hair fringe over a masked face
	}
	for _, f := range floors {
		s := sum.Scores[f.cat]
		if s.Precision() < f.precision || s.Recall() < f.recall {
			t.Errorf("%s: precision %.3f recall %.3f, want at least %.3f / %.3f", f.cat, s.Precision(), s.Recall(), f.precision, f.recall)
		}
	}
	if sum.EyeglassesPassed != sum.Eyeglasses || sum.Eyeglasses == 0 {
		t.Errorf("eyeglasses passed %d/%d, want all", sum.EyeglassesPassed, sum.Eyeglasses)
	}
}
