package face

import "testing"

// TestMainFace checks the choice of the applicant's face: the widest sure
// box, not a wider stray cascade window scoring a tenth of the face.
func TestMainFace(t *testing.T) {
	box := func(x0, w, score float64) Box { return Box{Rect: Rect{x0, 0, x0 + w, w}, Score: score} }
	face, sweater := box(150, 212, 163), box(94, 324, 10)
	near, far := box(0, 300, 90), box(400, 200, 120)
	tests := []struct {
		name            string
		boxes           []Box
		minScore, ratio float64
		want            Box
		wantSure        []bool
	}{
		{"stray wider window", []Box{face, sweater}, SureMinScore, SureScoreRatio, face, []bool{true, false}},
		{"two people: the nearer one", []Box{far, near}, SureMinScore, SureScoreRatio, near, []bool{true, true}},
		{"CNN boxes: the widest", []Box{box(0, 100, 0.9), box(200, 150, 0.6)}, 0, 0, box(200, 150, 0.6), []bool{true, true}},
		{"nothing sure: the best", []Box{box(0, 100, 6), box(200, 150, 5)}, SureMinScore, SureScoreRatio, box(0, 100, 6), []bool{false, false}},
		{"no box", nil, SureMinScore, SureScoreRatio, Box{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, sure := MainFace(tt.boxes, tt.minScore, tt.ratio)
			if got != tt.want {
				t.Errorf("main %+v, want %+v", got, tt.want)
			}
			if len(sure) != len(tt.wantSure) {
				t.Fatalf("sure %v, want %v", sure, tt.wantSure)
			}
			for i := range sure {
				if sure[i] != tt.wantSure[i] {
					t.Errorf("sure %v, want %v", sure, tt.wantSure)
				}
			}
		})
	}
}
