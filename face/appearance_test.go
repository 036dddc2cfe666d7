package face

import (
	"image"
	"image/draw"
	"math"
	"path/filepath"
	"testing"
)

// TestAppearance checks that Appearance describes the region it is given,
// wherever it lies in the photo: the same square of a face, in the photo,
// in a larger canvas that holds the photo at an offset, and in a part of
// that canvas (a sub-image, its origin not at 0, 0), gives the same
// vector; a square of the backdrop beside the face gives another.
func TestAppearance(t *testing.T) {
	m := testModels(t)
	img := loadImage(t, filepath.Join(sharedTestdata(t), "faces", "face_recognition", "obama.jpg"))
	b := img.Bounds()
	off := image.Pt(37, 61)
	canvas := image.NewRGBA(image.Rect(0, 0, b.Dx()+2*off.X, b.Dy()+2*off.Y))
	draw.Draw(canvas, b.Add(off).Sub(b.Min), img, b.Min, draw.Src)

	faceSq := Rect{X0: 250, Y0: 150, X1: 650, Y1: 550}
	shifted := Rect{X0: faceSq.X0 + float64(off.X), Y0: faceSq.Y0 + float64(off.Y), X1: faceSq.X1 + float64(off.X), Y1: faceSq.Y1 + float64(off.Y)}
	a, c := m.Appearance(img, faceSq), m.Appearance(canvas, shifted)
	if len(a) != AppearanceLen || len(c) != AppearanceLen {
		t.Fatalf("lengths %d, %d, want %d", len(a), len(c), AppearanceLen)
	}
	if d := distance(a, c); d > 1e-3*norm(a) {
		t.Errorf("the same square at an offset differs by %.4g (norm %.4g)", d, norm(a))
	}
	// A photo that is a part of a larger one keeps that one's coordinates.
	part := canvas.SubImage(image.Rect(off.X+100, off.Y+50, off.X+b.Dx()-20, off.Y+b.Dy()-40))
	if d := distance(a, m.Appearance(part, shifted)); d > 1e-3*norm(a) {
		t.Errorf("the same square in a part of the photo differs by %.4g (norm %.4g)", d, norm(a))
	}
	backdrop := m.Appearance(img, Rect{X0: 0, Y0: 0, X1: 200, Y1: 200})
	if d := distance(a, backdrop); d < 0.2*norm(a) {
		t.Errorf("face and backdrop differ by only %.4g (norm %.4g)", d, norm(a))
	}
}

func distance(a, b []float32) float64 {
	s := 0.0
	for i := range a {
		d := float64(a[i] - b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

func norm(a []float32) float64 { return distance(a, make([]float32, len(a))) }

// TestAppearanceBands checks that pooling by bands keeps what Appearance
// pools and adds where it is: each layer's band means average to its mean
// over the whole map, their maxima peak at its maximum, and the bands of a
// face square (hair at the top, eyes at the bottom) differ.
func TestAppearanceBands(t *testing.T) {
	m := testModels(t)
	img := loadImage(t, filepath.Join(sharedTestdata(t), "faces", "face_recognition", "obama.jpg"))
	sq := Rect{X0: 250, Y0: 100, X1: 650, Y1: 500}
	whole := m.Appearance(img, sq)
	const bands = 4
	banded := m.AppearanceBands(img, sq, bands)
	if len(banded) != bands*AppearanceLen {
		t.Fatalf("length %d, want %d", len(banded), bands*AppearanceLen)
	}
	var wholeAt, bandAt int
	for _, c := range []int{256, 512, 1024} {
		layer := banded[bandAt : bandAt+bands*2*c]
		for ch := range c {
			var mean float64
			peak := float32(math.Inf(-1))
			for b := range bands {
				mean += float64(layer[b*2*c+ch]) / bands
				peak = max(peak, layer[b*2*c+c+ch])
			}
			if want := float64(whole[wholeAt+ch]); math.Abs(mean-want) > 1e-4*(1+math.Abs(want)) {
				t.Fatalf("layer of %d channels, channel %d: band means average %.6g, whole mean %.6g", c, ch, mean, want)
			}
			if want := whole[wholeAt+c+ch]; peak != want {
				t.Fatalf("layer of %d channels, channel %d: band maxima peak at %.6g, whole maximum %.6g", c, ch, peak, want)
			}
		}
		top, bottom := layer[:2*c], layer[(bands-1)*2*c:]
		if d := distance(top, bottom); d < 0.2*norm(top) {
			t.Errorf("layer of %d channels: top and bottom bands differ by only %.4g (norm %.4g)", c, d, norm(top))
		}
		wholeAt += 2 * c
		bandAt += bands * 2 * c
	}
}
