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
