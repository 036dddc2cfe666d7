package prep

import (
	"image"
	"image/color"
	"testing"
)

// A dark stroke on an illumination gradient: a global threshold cannot
// separate the stroke on the bright side from the background on the dark
// side; the local-mean threshold must.
func TestBinarizeUnevenLight(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 200, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 200; x++ {
			bg := 60 + x // 60 (dark) … 259 clipped (bright)
			v := min(bg, 255)
			if x%20 >= 8 && x%20 < 11 && y > 10 && y < 30 { // vertical strokes
				v = v * 55 / 100
			}
			g.SetGray(x, y, color.Gray{uint8(v)})
		}
	}
	b := Binarize(g, 15, 8)
	for x := 0; x < 200; x++ {
		stroke := x%20 >= 8 && x%20 < 11
		got := b.GrayAt(x, 20).Y == 0
		if stroke != got {
			t.Fatalf("x=%d: stroke=%v, black=%v", x, stroke, got)
		}
	}
	if b.GrayAt(100, 2).Y != 255 {
		t.Error("background above the strokes turned black")
	}
}

func TestStretch(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 100, 1))
	for x := 0; x < 100; x++ {
		g.Pix[x] = uint8(100 + x/2) // 100…149: a grey, low-contrast exposure
	}
	Stretch(g, 0.01, 0.99)
	if g.Pix[0] != 0 || g.Pix[99] != 255 {
		t.Errorf("ends %d, %d; want 0, 255", g.Pix[0], g.Pix[99])
	}
	flat := image.NewGray(image.Rect(0, 0, 10, 10))
	for i := range flat.Pix {
		flat.Pix[i] = 128 + uint8(i%3)
	}
	Stretch(flat, 0.01, 0.99)
	if flat.Pix[0] != 128 {
		t.Error("near-uniform image was stretched (noise amplified)")
	}
}

func TestForOCRScalesSmallText(t *testing.T) {
	img := image.NewRGBA(image.Rect(10, 10, 110, 30))
	g := ForOCR(img, 12)
	if g.Rect.Dx() != 300 || g.Rect.Dy() != 60 {
		t.Errorf("size %v, want 300×60 (×3 for 12 px lines)", g.Rect)
	}
	if g := ForOCR(img, 36); g.Rect.Dx() != 100 {
		t.Errorf("36 px text rescaled to %v", g.Rect)
	}
}

func TestCrop(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	c := Crop(img, 0.5, 0.5, 1.2, 1)
	if c.Bounds() != image.Rect(100, 50, 200, 100) {
		t.Errorf("crop %v", c.Bounds())
	}
}

func TestGrayOffsetBounds(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 20, 20))
	img.Set(15, 15, color.White)
	sub := img.SubImage(image.Rect(10, 10, 20, 20))
	g := Gray(sub)
	if g.Rect != image.Rect(0, 0, 10, 10) || g.GrayAt(5, 5).Y != 255 || g.GrayAt(4, 4).Y != 0 {
		t.Errorf("gray of sub-image wrong: %v %d", g.Rect, g.GrayAt(5, 5).Y)
	}
}

// Light strokes on a dark band and dark strokes on a light card must both
// come out dark on white.
func TestLocalContrastEitherPolarity(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 200, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 200; x++ {
			bg, ink := uint8(50), uint8(220) // left half: light text on a dark band
			if x >= 100 {
				bg, ink = 235, 30 // right half: dark text on a light card
			}
			v := bg
			if x%20 >= 8 && x%20 < 11 && y > 10 && y < 30 {
				v = ink
			}
			g.SetGray(x, y, color.Gray{v})
		}
	}
	c := LocalContrast(g, 41, 3)
	for _, x := range []int{29, 49, 129, 169} { // strokes, away from the halves' border
		if v := c.GrayAt(x, 20).Y; v > 60 {
			t.Errorf("stroke at x=%d: %d, want dark", x, v)
		}
	}
	for _, x := range []int{22, 45, 125, 165} { // background between strokes
		if v := c.GrayAt(x, 20).Y; v < 150 {
			t.Errorf("background at x=%d: %d, want light", x, v)
		}
	}
}
