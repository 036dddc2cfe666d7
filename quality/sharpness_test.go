package quality

import (
	"image"
	"math"
	"testing"

	"github.com/kycgate/kycgate/synth"
)

// cornersRect is the bounding rectangle of a photographed document.
func cornersRect(c [4][2]float64) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range c {
		x0, y0, x1, y1 = math.Min(x0, p[0]), math.Min(y0, p[1]), math.Max(x1, p[0]), math.Max(y1, p[1])
	}
	return image.Rect(int(x0), int(y0), int(x1), int(y1))
}

// TestReblurGrowsWithBlur checks that the re-blur ratio rises
// with the defocus applied, from the 0.6–0.85 of sharp detail towards 1.
func TestReblurGrowsWithBlur(t *testing.T) {
	prev := 0.0
	for _, sigma := range []float64{0.3, 1.2, 2.5, 4} {
		img, corners := photo(t, 11, func(c *synth.Camera) { c.DefocusSigma = sigma })
		rb := Reblur(img, cornersRect(corners), 400)
		t.Logf("sigma %.1f: reblur %.3f", sigma, rb)
		if rb <= prev {
			t.Errorf("sigma %.1f: reblur %.3f not above %.3f", sigma, rb, prev)
		}
		if sigma < 1 && rb > 0.85 {
			t.Errorf("sharp photo: reblur %.3f, want ≤ 0.85", rb)
		}
		prev = rb
	}
	if prev < 0.9 {
		t.Errorf("sigma 4: reblur %.3f, want > 0.9", prev)
	}
}

// TestReblurScaleInvariant measures the same card photographed at two
// resolutions, each shrunk to the same width: the measures must agree.
func TestReblurScaleInvariant(t *testing.T) {
	small, cs := photo(t, 5, func(c *synth.Camera) { c.Width, c.Height = 1600, 1200 })
	big, cb := photo(t, 5, func(c *synth.Camera) { c.Width, c.Height = 3200, 2400; c.FocalLength = 0 })
	rs, rb := Reblur(small, cornersRect(cs), 300), Reblur(big, cornersRect(cb), 300)
	if d := math.Abs(rs - rb); d > 0.05 {
		t.Errorf("reblur %.3f at 1600 px vs %.3f at 3200 px", rs, rb)
	}
}

// TestReblurDegenerate checks regions too small or outside the image, and
// a region without detail, give 0, not a panic or NaN.
func TestReblurDegenerate(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 100, 100))
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, 10, 10),
		image.Rect(200, 200, 300, 300),
		image.Rect(-50, -50, 5, 5),
		image.Rect(90, 0, 200, 100),
	} {
		if rb := Reblur(img, r, 64); rb != 0 {
			t.Errorf("%v: reblur %v, want 0", r, rb)
		}
	}
	if rb := Reblur(img, img.Bounds(), 64); rb != 0 {
		t.Errorf("flat image: reblur %v, want 0", rb)
	}
}
