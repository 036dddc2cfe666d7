package face

import (
	"errors"
	"image"
	"image/color"
	"math/rand"
	"path/filepath"
	"testing"
)

// TestAnalyzePortraitFallback holds the whole-image fallback of
// AnalyzePortrait to both sides of its chip checks: a tight face crop the
// cascade misses (leonard5: glasses, a wide smile, cut at the forehead) is
// analysed, through the CNN check, and matches the same person; images
// without a face are refused, whichever check they reach.
func TestAnalyzePortraitFallback(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	load := func(f string) image.Image { return loadImage(t, filepath.Join(shared, f)) }

	crop := load("faces/face-api-js/identities/leonard/leonard5.png")
	if len(Detect(crop)) > 0 {
		t.Log("leonard5 is detected directly now; the fallback is not exercised by it")
	}
	f, err := m.AnalyzePortrait(crop)
	if err != nil {
		t.Fatalf("AnalyzePortrait(leonard5) = %v, want a face", err)
	}
	same, err := m.AnalyzePortrait(load("faces/face-api-js/identities/leonard/leonard1.png"))
	if err != nil {
		t.Fatal(err)
	}
	if d := Distance(f.Descriptor, same.Descriptor); BandOf(d) == BandMismatch {
		t.Errorf("leonard5–leonard1 distance %.3f: rejected", d)
	}

	noise := image.NewRGBA(image.Rect(0, 0, 300, 400))
	rng := rand.New(rand.NewSource(1))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.Intn(256))
	}
	uniform := image.NewUniform(color.RGBA{200, 205, 210, 255})
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"white", load("faces/face-api-js/test_images/white.png")},
		{"dogs", load("faces/dlib/dogs.jpg")},
		// Its landmarks span 0.66 of the frame: it reaches both chip checks.
		{"document photo", load("documents/blur/180_HONOR-10_S.jpg")},
		{"sheet of paper", load("documents/corners/IMG_20230826_092914.jpg")},
		{"document on a table", load("documents/corners/test_image_2.jpg")},
		{"noise", noise},
		{"uniform", image.NewRGBA(image.Rect(0, 0, 300, 400))},
		{"uniform grey", &subImage{uniform, image.Rect(0, 0, 300, 400)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if f, err := m.AnalyzePortrait(tc.img); !errors.Is(err, ErrNoFace) {
				t.Errorf("AnalyzePortrait: %v, face %v; want ErrNoFace", err, f != nil)
			}
		})
	}
}

// subImage gives an unbounded image (image.Uniform) finite bounds.
type subImage struct {
	image.Image
	r image.Rectangle
}

func (s *subImage) Bounds() image.Rectangle { return s.r }
