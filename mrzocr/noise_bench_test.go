package mrzocr

import (
	"image"
	"math/rand/v2"
	"testing"
)

// BenchmarkReadNoise bounds the time spent on an image full of texture (no
// MRZ), where component labelling and line search see the most candidates.
func BenchmarkReadNoise(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewGray(image.Rect(0, 0, 1000, 800))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(img); err != nil {
			b.Fatal(err)
		}
	}
}
