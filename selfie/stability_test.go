package selfie

import (
	"image"
	"slices"
	"strings"
	"testing"
)

// TestFindingsStableUnderOneLevel shifts every pixel of each real photo of
// the evaluation (not the generated ones) by one grey level up and down —
// what another JPEG decoder may do — and wants the same findings: no
// decision, detection included, may sit on a knife edge (docs/selfie.md
// lists the margins).
func TestFindingsStableUnderOneLevel(t *testing.T) {
	td := testdata(t)
	m := models(t)
	samples, err := LoadSamples(td, m)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	for _, s := range samples {
		if strings.Contains(s.Name, "+") {
			continue // generated: darkened, backlit or capped
		}
		rep := Analyze(s.Image, m, cfg)
		want := rep.Codes()
		for _, d := range []int{-1, 1} {
			shifted := Analyze(shiftLevels(s.Image, d), m, cfg)
			if got := shifted.Codes(); !slices.Equal(got, want) {
				t.Errorf("%s: %v, shifted by %+d grey level: %v", s.Name, want, d, got)
			}
		}
	}
}

// shiftLevels adds d to every colour channel, clamped to 0–255.
func shiftLevels(img image.Image, d int) image.Image {
	out := toNRGBA(img)
	for i := 0; i < len(out.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			out.Pix[i+c] = uint8(min(255, max(0, int(out.Pix[i+c])+d)))
		}
	}
	return out
}
