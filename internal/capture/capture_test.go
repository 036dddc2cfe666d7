package capture

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestVariants(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(10, 10, color.RGBA{0, 0, 0, 255})

	d := Darkened(img, 0.5, 0, 1).(*image.RGBA)
	if got := d.Pix[4*(50*400+50)]; got != 100 {
		t.Errorf("darkened ×0.5 without noise: %d, want 100", got)
	}
	noisy := Darkened(img, 0.5, 2, 1).(*image.RGBA)
	again := Darkened(img, 0.5, 2, 1).(*image.RGBA)
	if string(noisy.Pix) != string(again.Pix) {
		t.Error("Darkened is not deterministic for a seed")
	}
	c := Contrasty(img, 2)
	if got := c.Pix[4*(50*400+50)]; got != 157 { // 255·(200/255)²
		t.Errorf("contrasty, gamma 2, on 200: %d, want 157", got)
	}
	if got := c.Pix[4*(10*400+10)]; got != 0 {
		t.Errorf("contrasty, gamma 2, on 0: %d, want 0", got)
	}
	// Shadows lifted (gamma 1/1.5), on a picture whose bounds do not
	// start at the origin: 0 and 255 stay, 32 → 64, 128 → 161.
	strip := image.NewRGBA(image.Rect(10, 20, 14, 21))
	copy(strip.Pix, []uint8{0, 0, 0, 255, 32, 32, 32, 255, 128, 128, 128, 255, 255, 255, 255, 255})
	lifted := Contrasty(strip, 1/1.5)
	if lifted.Bounds() != strip.Bounds() {
		t.Errorf("bounds %v, want %v", lifted.Bounds(), strip.Bounds())
	}
	for i, want := range []uint8{0, 64, 161, 255} {
		if got := lifted.Pix[4*i]; got != want {
			t.Errorf("lifted %d: %d, want %d", strip.Pix[4*i], got, want)
		}
	}
	if b := Scaled(img, 0.5).Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Errorf("scaled ×0.5: %v", b)
	}
	crop := Cropped(img, image.Rect(5, 5, 600, 50))
	if b := crop.Bounds(); b != image.Rect(0, 0, 395, 45) {
		t.Errorf("cropped to (5,5)-(600,50) of 400×300: %v, want (0,0)-(395,45)", b)
	}
	if r, _, _, _ := crop.At(5, 5).RGBA(); r != 0 {
		t.Errorf("cropped: the black pixel at (10,10) is not at (5,5)")
	}
	if b := Reduced(img, 200).Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Errorf("reduced to 200: %v", b)
	}
	if Reduced(img, 1000) != image.Image(img) {
		t.Error("reducing a smaller image changed it")
	}
	if b := Recompressed(img, 20).Bounds(); b.Dx() != 400 || b.Dy() != 300 {
		t.Errorf("recompressed: %v", b)
	}
}

// TestDefocused blurs a vertical step edge: the edge's 10–90 % rise must
// widen with sigma (about 2.56 σ for a Gaussian), flat areas and the image
// size must stay, and sigma 0 must copy.
func TestDefocused(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 40))
	for y := range 40 {
		for x := range 200 {
			v := uint8(40)
			if x >= 100 {
				v = 220
			}
			img.Set(x, y, color.RGBA{v, v, v, 255})
		}
	}
	if c := Defocused(img, 0).(*image.RGBA); string(c.Pix) != string(img.Pix) {
		t.Error("sigma 0 changed the image")
	}
	for _, sigma := range []float64{2, 5, 10} {
		d := Defocused(img, sigma).(*image.RGBA)
		if d.Bounds() != img.Bounds() {
			t.Fatalf("sigma %g: bounds %v", sigma, d.Bounds())
		}
		row := func(x int) float64 { return float64(d.Pix[4*(20*200+x)]) }
		if row(5) != 40 || row(195) != 220 {
			t.Errorf("sigma %g: flat areas changed to %v and %v", sigma, row(5), row(195))
		}
		// The 10 % and 90 % crossings, interpolated between pixels.
		cross := func(level float64) float64 {
			for x := 1; x < 200; x++ {
				if row(x) >= level {
					return float64(x-1) + (level-row(x-1))/(row(x)-row(x-1))
				}
			}
			return 200
		}
		rise := cross(40+0.9*180) - cross(40+0.1*180)
		if want := 2.56 * sigma; rise < 0.85*want || rise > 1.15*want {
			t.Errorf("sigma %g: 10–90 %% rise %.2f px, want about %.1f", sigma, rise, want)
		}
	}
}

// TestTilted rotates a picture with one dark dot right of its centre: the
// dot must move on the circle around the centre, the other way round for a
// negative angle, and the corners must show the picture mirrored, not
// black.
func TestTilted(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	for y := 147; y < 153; y++ {
		for x := 257; x < 263; x++ {
			img.Set(x, y, color.RGBA{0, 0, 0, 255})
		}
	}
	for _, deg := range []float64{15, -15} {
		r := Tilted(img, deg).(*image.RGBA)
		if r.Bounds() != img.Bounds() {
			t.Fatalf("%g°: bounds %v", deg, r.Bounds())
		}
		for _, p := range []image.Point{{0, 0}, {399, 0}, {0, 299}, {399, 299}} {
			if v := r.Pix[r.PixOffset(p.X, p.Y)]; v != 200 {
				t.Errorf("%g°: corner %v is %d, not the picture", deg, p, v)
			}
		}
		// The dot's centroid: the mean position of its dark pixels.
		var sx, sy, n float64
		for y := range 300 {
			for x := range 400 {
				if r.Pix[r.PixOffset(x, y)] < 100 {
					sx, sy, n = sx+float64(x)+0.5, sy+float64(y)+0.5, n+1
				}
			}
		}
		if n == 0 {
			t.Fatalf("%g°: the dot is gone", deg)
		}
		a := deg * math.Pi / 180
		// Counter-clockwise on screen: y grows downwards.
		wantX, wantY := 200+60*math.Cos(a), 150-60*math.Sin(a)
		if math.Hypot(sx/n-wantX, sy/n-wantY) > 1.5 {
			t.Errorf("%g°: dot at (%.1f, %.1f), want near (%.1f, %.1f)", deg, sx/n, sy/n, wantX, wantY)
		}
	}
}
