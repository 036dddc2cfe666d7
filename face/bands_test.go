package face

import "testing"

func TestBands(t *testing.T) {
	custom := Bands{MatchBelow: 0.42, MismatchFrom: 0.6}
	tests := []struct {
		bands Bands
		d     float64
		want  Band
	}{
		{Bands{}, MatchThreshold - 0.01, BandMatch},
		{Bands{}, MatchThreshold, BandReview},
		{Bands{}, MismatchThreshold - 0.01, BandReview},
		{Bands{}, MismatchThreshold, BandMismatch},
		{custom, 0.41, BandMatch},
		{custom, 0.42, BandReview},
		{custom, 0.6, BandMismatch},
	}
	for _, tt := range tests {
		if got := tt.bands.Of(tt.d); got != tt.want {
			t.Errorf("%+v.Of(%v) = %s, want %s", tt.bands, tt.d, got, tt.want)
		}
	}
	for _, b := range []Bands{{}, {MatchBelow: 0.7, MismatchFrom: 0.6}, {MatchBelow: 0.3, MismatchFrom: 2.5}, {MatchBelow: -1, MismatchFrom: 0.6}} {
		if b.Validate() == nil {
			t.Errorf("%+v validated", b)
		}
	}
	if err := DefaultBands.Validate(); err != nil {
		t.Error(err)
	}
}

// TestBandsSmallFaces: a match between faces whose eyes are less than
// MinMatchEyeDistance apart goes to review; other bands are kept.
func TestBandsSmallFaces(t *testing.T) {
	faceOf := func(eyes float64) *Face {
		var f Face
		for i := 36; i < 42; i++ {
			f.Landmarks[i] = Point{X: 100, Y: 100}
			f.Landmarks[i+6] = Point{X: 100 + eyes, Y: 100}
		}
		return &f
	}
	tests := []struct {
		name         string
		d            float64
		eyesA, eyesB float64
		want         Band
	}{
		{"large faces match", MatchThreshold - 0.1, 60, 40, BandMatch},
		{"one small face: review", MatchThreshold - 0.1, 60, MinMatchEyeDistance - 1, BandReview},
		{"at the limit: match", MatchThreshold - 0.1, MinMatchEyeDistance, 80, BandMatch},
		{"small faces far apart: still mismatch", MismatchThreshold + 0.1, 10, 10, BandMismatch},
		{"small faces in review: review", MatchThreshold + 0.05, 10, 10, BandReview},
	}
	for _, tt := range tests {
		if got := DefaultBands.bandOf(tt.d, faceOf(tt.eyesA), faceOf(tt.eyesB)); got != tt.want {
			t.Errorf("%s: band %s, want %s", tt.name, got, tt.want)
		}
	}
}
