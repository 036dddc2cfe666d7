package selfie

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/imageio"
)

// BenchmarkAnalyze is one selfie's analysis (detection, landmarks, region
// tests; no embedding) on a clean face, which the cascade finds, on a
// masked one, for which the CNN detector runs, and on a masked one no
// detector finds at its usual bar, which takes every fallback down to the
// bordered SSD pass (docs/selfie.md).
func BenchmarkAnalyze(b *testing.B) {
	m := models(b)
	td := testdata(b)
	for _, c := range []struct{ name, file string }{
		{"clean", "faces/face_recognition/obama.jpg"},
		{"masked", "occlusion/face_mask_detection/0323.jpg"},
		{"unfound", "occlusion/face_mask_detection/0502.png"},
		// No face anywhere: every detector and turn is tried.
		{"no face", "faces/face-api-js/test_images/white.png"},
	} {
		data, err := os.ReadFile(filepath.Join(td, c.file))
		if err != nil {
			b.Fatal(err)
		}
		img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		cfg := DefaultConfig()
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Analyze(img, m, cfg)
			}
		})
	}
}
