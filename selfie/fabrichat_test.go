package selfie

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"github.com/kycgate/kycgate/face"
)

// TestDrawFabricHat checks where a hat of cloth goes on a real portrait,
// for seeds that draw every shape: over the top of the head, not over the
// eyes or the mouth; the same picture for the same seed; and, cropped,
// the photo's lower part unchanged below a cut through the crown.
func TestDrawFabricHat(t *testing.T) {
	img := loadShared(t, "liveness/liveportrait_d18_mouth_open/000.jpg")
	lm := portraitLandmarks(t, models(t), img)
	g := geomOf(img, &lm)
	b := img.Bounds()
	at := func(im image.Image, p face.Point) color.RGBA {
		o := im.Bounds().Min
		return color.RGBAModel.Convert(im.At(o.X+int(p.X), o.Y+int(p.Y))).(color.RGBA)
	}
	crown := face.Point{X: g.cx, Y: g.browY - 0.7*g.iod}
	mouth := face.Point{X: (lm[62].X + lm[66].X) / 2, Y: (lm[62].Y + lm[66].Y) / 2}
	for seed := range 3 * int(hatShapes) {
		hat := drawFabricHat(img, &lm, rand.New(rand.NewPCG(uint64(seed), 1)), false)
		for _, c := range []struct {
			name    string
			p       face.Point
			covered bool
		}{
			{"crown", crown, true},
			{"right eye", g.eyeR, false},
			{"left eye", g.eyeL, false},
			{"mouth", mouth, false},
		} {
			if changed := at(hat, c.p) != at(img, c.p); changed != c.covered {
				t.Errorf("seed %d: %s covered %v, want %v", seed, c.name, changed, c.covered)
			}
		}
		again := drawFabricHat(img, &lm, rand.New(rand.NewPCG(uint64(seed), 1)), false)
		if at(again, crown) != at(hat, crown) {
			t.Errorf("seed %d: another picture from the same seed", seed)
		}
		cut := drawFabricHat(img, &lm, rand.New(rand.NewPCG(uint64(seed), 1)), true)
		lost := b.Dy() - cut.Bounds().Dy()
		// The cut runs through the crown: above the brows, below the
		// top of the tallest hat.
		if top := g.browY - 2.6*g.iod; float64(lost) <= g.browY-float64(b.Min.Y)-2.6*g.iod && top > 0 || float64(lost) >= g.browY-float64(b.Min.Y) {
			t.Errorf("seed %d: cut %d px off a photo whose brows are at %.0f", seed, lost, g.browY)
		}
		below := face.Point{X: mouth.X, Y: mouth.Y - float64(lost)}
		if at(cut, below) != at(img, mouth) {
			t.Errorf("seed %d: the cropped photo's mouth moved", seed)
		}
	}
}

func bounds(img image.Image) any {
	if img == nil {
		return nil
	}
	return img.Bounds()
}

// TestCutAbove checks the bare head cut off by the frame: the photo from
// the line down, and nil when the photo ends below the line already.
func TestCutAbove(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 100))
	for y := range 100 {
		img.Pix[img.PixOffset(0, y)], img.Pix[img.PixOffset(0, y)+3] = uint8(y), 255
	}
	g := faceGeom{browY: 60, iod: 20}
	for _, tc := range []struct {
		name   string
		height float64
		want   int // rows kept; 0: nil
	}{
		{"through the forehead", 1, 60},
		{"above the crown", 2.5, 90},
		{"at the photo's top", 3, 0},
		{"above the photo", 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cut := cutAbove(img, g, tc.height)
			if tc.want == 0 {
				if cut != nil {
					t.Fatalf("got a %v photo, want none", cut.Bounds())
				}
				return
			}
			if cut == nil || cut.Bounds() != image.Rect(0, 0, 40, tc.want) {
				t.Fatalf("got %v, want 40×%d from the origin", bounds(cut), tc.want)
			}
			if r, _, _, _ := cut.At(0, 0).RGBA(); r>>8 != uint32(100-tc.want) {
				t.Errorf("top row is the photo's row %d, want %d", r>>8, 100-tc.want)
			}
		})
	}
}
