package docloc_test

import (
	"image"
	"math/rand"
	"testing"

	"github.com/kycgate/kycgate/docloc"
	"github.com/kycgate/kycgate/synth"
)

// photo renders a passport page photographed in a w×h frame.
func photo(b *testing.B, w, h int) image.Image {
	rng := rand.New(rand.NewSource(11))
	id := synth.RandomIdentity(rng, synth.Passport)
	doc, err := synth.Render(synth.Passport, id, synth.Options{})
	if err != nil {
		b.Skipf("fonts not installed: %v", err)
	}
	cam := synth.RandomCamera(rng)
	cam.Width, cam.Height = w, h
	img, _, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		b.Fatal(err)
	}
	return img
}

func benchLocate(b *testing.B, w, h int) {
	img := photo(b, w, h)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := docloc.Locate(img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLocate1600x1200 is the live-capture size (target: well under
// 25 ms including quality assessment).
func BenchmarkLocate1600x1200(b *testing.B) { benchLocate(b, 1600, 1200) }

// BenchmarkLocate12MP is a full-resolution phone photo (4000×3000).
func BenchmarkLocate12MP(b *testing.B) { benchLocate(b, 4000, 3000) }
