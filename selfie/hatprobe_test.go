package selfie

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/logreg"
)

// hatProbeC is the probe's regularisation (logreg.Fit's C): chosen by
// five-fold cross-validation on the evaluation samples, and the best of
// 0.001, 0.01 and 0.1 from those samples to the web portraits
// (docs/selfie.md, "A learned second opinion on hats").
const hatProbeC = 0.01

// TestTrainHatProbe fits the hat probe on the evaluation samples (real
// photos and those generated from them: every labelled hat against every
// other face) and writes hat_probe.txt, when KYCGATE_TRAIN_HAT_PROBE is
// set. It takes about five minutes.
func TestTrainHatProbe(t *testing.T) {
	if os.Getenv("KYCGATE_TRAIN_HAT_PROBE") == "" {
		t.Skip("KYCGATE_TRAIN_HAT_PROBE not set")
	}
	m := models(t)
	samples, err := LoadSamples(testdata(t), m)
	if err != nil {
		t.Fatal(err)
	}
	var x [][]float32
	var y []bool
	for _, s := range samples {
		if f, ok := headAppearance(s.Image, m); ok {
			x = append(x, f)
			y = append(y, slices.Contains(s.Want, "FACE_OCCLUDED:hat"))
		}
	}
	probe, err := logreg.Fit(x, y, hatProbeC)
	if err != nil {
		t.Fatal(err)
	}
	hats := 0
	for _, h := range y {
		if h {
			hats++
		}
	}
	comment := fmt.Sprintf("hat probe: logreg.Fit C=%g on face.Appearance of %d evaluation samples (%d hats); written by TestTrainHatProbe", hatProbeC, len(x), hats)
	if err := os.WriteFile(filepath.Join("hat_probe.txt"), []byte(formatProbe(probe, comment)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log(comment)
}

// headAppearance is what Analyze gives the hat probe for img: the
// appearance of the head square of its main face, placed as the occlusion
// regions are; false when no face is judged upright.
func headAppearance(img image.Image, m *face.Models) ([]float32, bool) {
	img = shrink(img, analyzeMaxSide)
	rep := Analyze(img, m, DefaultConfig())
	if rep.Box == nil || rep.Metrics["turned_degrees"] != 0 {
		return nil, false
	}
	lm := rep.Landmarks
	if rep.Metrics["landmarks_rejected"] == 1 {
		lm = nil
	}
	return m.Appearance(img, placeRegions(*rep.Box, lm).head), true
}

func TestHatProbeParses(t *testing.T) {
	if _, err := hatProbe(); err != nil {
		t.Fatalf("hat_probe.txt: %v", err)
	}
	for name, text := range map[string]string{
		"empty":        "",
		"too short":    "# c\n1\n2\n",
		"not a number": "# c\nx\n",
	} {
		if _, err := parseProbe(text); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
