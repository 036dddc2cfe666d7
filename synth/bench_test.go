package synth

import (
	"math/rand"
	"testing"
)

func BenchmarkRender(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	id := RandomIdentity(rng, CNIDFront)
	if _, err := Render(CNIDFront, id, Options{}); err != nil {
		b.Skip(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Render(CNIDFront, id, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPhotograph(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	id := RandomIdentity(rng, Passport)
	doc, err := Render(Passport, id, Options{})
	if err != nil {
		b.Skip(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Photograph(doc.Image, RandomCamera(rng), rng); err != nil {
			b.Fatal(err)
		}
	}
}
