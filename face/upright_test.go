package face

import (
	"image"
	"image/color"
	"image/draw"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/imageio"
)

// TestUpright checks the two ways a photo's orientation is found. The
// cascade (Upright): a real portrait delivered on either side or upside
// down is turned back (the orientation that undoes the turn, the original
// size, its face found as it stands), an upright one is left as it is, and
// a masked face the cascade does not see upright is not turned on the
// strength of a weak window in a turned copy. The CNN (TurnedCNN), for
// half-hidden faces the cascade sees in no orientation: a masked face on
// its side is turned back, also when both quarter turns show a face (one
// is then upside down); as delivered upright, nothing is turned.
func TestUpright(t *testing.T) {
	td := sharedTestdata(t)
	portrait := loadImage(t, filepath.Join(td, "faces", "face_recognition", "obama.jpg"))
	masked := loadImage(t, filepath.Join(td, "faces", "masked", "rwmfd_0001_0020.jpg"))
	capAndMask := loadImage(t, filepath.Join(td, "occlusion", "face_mask_detection", "0999.png"))
	maskedSide := loadImage(t, filepath.Join(td, "faces", "masked", "rwmfd_0001_0010.jpg"))
	sunglasses := loadImage(t, filepath.Join(td, "occlusion", "glasses_detector", "demo_0.jpg"))
	maskedBoth := loadImage(t, filepath.Join(td, "faces", "masked", "rwmfd_0001_0002.jpg"))
	for _, tc := range []struct {
		name     string
		img      image.Image
		cnn      bool // TurnedCNN rather than Upright
		turnedBy int  // EXIF orientation that turned the photo
		wantUndo int  // orientation to apply; 1 for none
		wantFace bool
	}{
		{"upright portrait", portrait, false, 1, 1, true},
		{"portrait turned clockwise", portrait, false, 8, 6, true},
		{"portrait turned anticlockwise", portrait, false, 6, 8, true},
		{"portrait upside down", portrait, false, 3, 3, true},
		{"masked face, upright", masked, false, 1, 1, false},
		// Seen by the cascade both ways up: 62 the right way, 47 upside down.
		{"masked face on its side", maskedBoth, false, 6, 8, true},
		{"CNN: cap and mask, turned anticlockwise", capAndMask, true, 6, 8, true},
		{"CNN: cap and mask, turned clockwise", capAndMask, true, 8, 6, true},
		{"CNN: masked, turned anticlockwise", maskedSide, true, 6, 8, true},
		{"CNN: cap and mask, upright", capAndMask, true, 1, 1, false},
		// Upside down, the face scores 0.91 against 0.92: the landmarks decide.
		{"CNN: sunglasses on its side, seen both ways up", sunglasses, true, 6, 8, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := imageio.Orient(tc.img, tc.turnedBy)
			turn, bar := Upright, TurnedMinScore
			if tc.cnn {
				if len(Detect(in)) > 0 {
					t.Fatal("the cascade finds this face: not a case for TurnedCNN")
				}
				m := testModels(t)
				turn = func(img image.Image) (image.Image, int, []Box) { return m.TurnedCNN(img, 0.5) }
				bar = 0.5
			}
			out, o, boxes := turn(in)
			if o != tc.wantUndo {
				t.Fatalf("orientation %d, want %d", o, tc.wantUndo)
			}
			if o != 1 && out.Bounds().Size() != tc.img.Bounds().Size() {
				t.Errorf("size %v, want the original %v", out.Bounds().Size(), tc.img.Bounds().Size())
			}
			if tc.wantFace && bestScore(boxes) < bar {
				t.Errorf("faces %v: the face not found as it stands", boxes)
			}
			if tc.cnn && o == 1 && len(boxes) != 0 {
				t.Errorf("faces %v without a turn", boxes)
			}
		})
	}
}

// TestAnalyzeSelfieTurned checks that a selfie delivered on its side is
// described as the upright one: the same face, so the match with the
// document does not depend on how the phone was held.
func TestAnalyzeSelfieTurned(t *testing.T) {
	m := testModels(t)
	img := loadImage(t, filepath.Join(sharedTestdata(t), "faces", "face_recognition", "obama.jpg"))
	upright, err := m.AnalyzeSelfie(img)
	if err != nil {
		t.Fatal(err)
	}
	turned, err := m.AnalyzeSelfie(imageio.Orient(img, 6))
	if err != nil {
		t.Fatal(err)
	}
	if d := Distance(upright.Descriptor, turned.Descriptor); d > 0.05 {
		t.Errorf("distance between the upright and the turned selfie %.3f, want the same face (< 0.05)", d)
	}
}

// TestUprightScenery checks the CNN's second opinion on a turn: in a
// full-length photo whose face is half hidden (the lower half of the face
// painted over, as a mask would), the cascade finds an upside-down "face"
// in the scenery, and only the CNN stops the photo from being turned.
func TestUprightScenery(t *testing.T) {
	m := testModels(t)
	img := loadImage(t, filepath.Join(sharedTestdata(t), "faces", "go-face", "chaeyeon.jpg"))
	boxes := Detect(img)
	if len(boxes) == 0 {
		t.Fatal("no face in the test photo")
	}
	masked := image.NewNRGBA(img.Bounds())
	draw.Draw(masked, masked.Bounds(), img, img.Bounds().Min, draw.Src)
	f := bestBox(boxes).Rect
	cover := image.Rect(int(f.X0), int((f.Y0+f.Y1)/2), int(f.X1), int(f.Y1+0.1*f.Dy()))
	draw.Draw(masked, cover, image.NewUniform(color.NRGBA{R: 40, G: 60, B: 120, A: 255}), image.Point{}, draw.Src)

	if _, o, _ := Upright(masked); o == 1 {
		t.Fatal("the cascade alone no longer turns this photo: the test shows nothing")
	}
	if _, o, _ := m.Upright(masked); o != 1 {
		t.Errorf("turned by orientation %d, want the photo as delivered", o)
	}
	// A real turn is still confirmed.
	if _, o, _ := m.Upright(imageio.Orient(img, 6)); o != 8 {
		t.Errorf("clean photo on its side: orientation %d, want 8", o)
	}
}
