package selfie

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/internal/capture"
)

// BenchmarkAnalyze is one selfie's analysis (detection, landmarks, region
// tests; no embedding) on a clean face, which the cascade finds, on a
// masked one, for which the CNN detector runs, and on a masked one no
// detector finds at its usual bar, which takes every fallback down to the
// bordered SSD pass (docs/selfie.md); and on the clean face with the camera
// rolled, which is judged a second time levelled.
func BenchmarkAnalyze(b *testing.B) {
	m := models(b)
	td := testdata(b)
	for _, c := range []struct {
		name, file string
		tilt       float64 // degrees the camera is rolled by
	}{
		{"clean", "faces/face_recognition/obama.jpg", 0},
		// Rolled by 20°: the lens's rim is looked for again with the
		// eyes level (SunglassesLevelRoll).
		{"rolled", "faces/face_recognition/obama.jpg", 20},
		{"masked", "occlusion/face_mask_detection/0323.jpg", 0},
		{"unfound", "occlusion/face_mask_detection/0502.png", 0},
		// No face anywhere: every detector and turn is tried.
		{"no face", "faces/face-api-js/test_images/white.png", 0},
	} {
		data, err := os.ReadFile(filepath.Join(td, c.file))
		if err != nil {
			b.Fatal(err)
		}
		img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		if c.tilt != 0 {
			img = capture.Tilted(img, c.tilt)
		}
		cfg := DefaultConfig()
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Analyze(img, m, cfg)
			}
		})
	}
}
