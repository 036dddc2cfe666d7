package selfie

import (
	"fmt"
	"image"
	"os"
	"slices"
	"testing"

	"github.com/kycgate/kycgate"
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
// other face) and writes hat_probe.txt, and, for the evaluation, one probe
// per fold of photos fitted on the others (hat_probe_foldK.txt), when
// KYCGATE_TRAIN_HAT_PROBE is set. It takes about two minutes.
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
	var fold []int
	for _, s := range samples {
		if f, ok := headAppearance(s.Image, m); ok {
			x = append(x, f)
			y = append(y, slices.Contains(s.Want, "FACE_OCCLUDED:hat"))
			fold = append(fold, hatProbeFold(s.Name))
		}
	}
	for k := range hatProbeFolds + 1 {
		var fx [][]float32
		var fy []bool
		for i := range x {
			if fold[i] != k {
				fx, fy = append(fx, x[i]), append(fy, y[i])
			}
		}
		probe, err := logreg.Fit(fx, fy, hatProbeC)
		if err != nil {
			t.Fatal(err)
		}
		name := hatProbeFile(k)
		comment := fmt.Sprintf("%s: logreg.Fit C=%g on face.Appearance of %d evaluation samples (%d hats); written by TestTrainHatProbe", name, hatProbeC, len(fx), count(fy))
		if err := os.WriteFile(name, []byte(formatProbe(probe, comment)), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log(comment)
	}
}

func count(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// headAppearance is what Analyze gives the hat probe for img: the
// appearance of the head square of its main face; false when no face's
// regions were placed, or the face was judged turned.
func headAppearance(img image.Image, m *face.Models) ([]float32, bool) {
	img = shrink(img, analyzeMaxSide)
	rep := Analyze(img, m, DefaultConfig())
	if rep.head.Dx() == 0 || rep.Metrics["turned_degrees"] != 0 {
		return nil, false
	}
	return m.Appearance(img, rep.head), true
}

func TestHatProbeParses(t *testing.T) {
	if _, err := hatProbes(); err != nil {
		t.Fatal(err)
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

// TestHatProbeFinds checks what the probe's score does on a bare face the
// rules find no hat on, with probes that see a hat everywhere or nowhere:
// at or over HatProbeFind a hat for manual review, below it nothing.
func TestHatProbeFinds(t *testing.T) {
	m := models(t)
	img := loadShared(t, "faces/face_recognition/obama.jpg")
	for _, tc := range []struct {
		bias   float64
		hat    bool
		review bool
	}{
		{10, true, true},
		{-10, false, false},
	} {
		cfg := DefaultConfig()
		cfg.hatProbe = &logreg.Model{Bias: tc.bias, Weights: make([]float64, face.AppearanceLen)}
		rep := Analyze(img, m, cfg)
		var hat *kycgate.Finding
		for i, f := range rep.Findings {
			if f.Code == kycgate.FaceOccluded && f.Detail == DetailHat {
				hat = &rep.Findings[i]
			}
		}
		if (hat != nil) != tc.hat || hat != nil && hat.Review != tc.review {
			t.Errorf("bias %g: findings %v, want a hat %v (review %v); hat_probe %.3f", tc.bias, rep.Codes(), tc.hat, tc.review, rep.Metrics["hat_probe"])
		}
	}
	if rep := Analyze(img, m, DefaultConfig()); slices.Contains(rep.Codes(), "FACE_OCCLUDED:hat") {
		t.Errorf("the shipped probe finds a hat on a bare face: hat_probe %.3f", rep.Metrics["hat_probe"])
	}
}
