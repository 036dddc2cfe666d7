package selfie

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/imageio"
)

// BenchmarkAnalyze is one selfie's analysis (detection, landmarks, region
// tests; no embedding) on a clean face, which the cascade finds, and on a
// masked one, for which the CNN detector runs (docs/selfie.md).
func BenchmarkAnalyze(b *testing.B) {
	m := models(b)
	td := testdata(b)
	for _, c := range []struct{ name, file string }{
		{"clean", "faces/face_recognition/obama.jpg"},
		{"masked", "occlusion/face_mask_detection/0323.jpg"},
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
