package liveness

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// scene draws a 320×240 frame: a smooth background texture shifted by
// shift pixels, per-pixel noise of the given amplitude (0–255), and a flat
// face-sized square in the middle that the check must ignore.
func scene(shift float64, noise float64, rng *rand.Rand, faceGrey uint8) (image.Image, image.Rectangle) {
	img := image.NewGray(image.Rect(0, 0, 320, 240))
	face := image.Rect(130, 80, 190, 160)
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			fx := float64(x) + shift
			v := 128 + 50*math.Sin(fx/23) + 30*math.Cos(float64(y)/17+fx/41) + noise*(rng.Float64()-0.5)
			if image.Pt(x, y).In(face) {
				v = float64(faceGrey)
			}
			img.SetGray(x, y, color.Gray{Y: uint8(math.Max(0, math.Min(255, v)))})
		}
	}
	return img, face
}

func TestSceneDisorder(t *testing.T) {
	const n = 20
	shuffle := func(xs []int) []int { // the evaluation's stride permutation
		out := make([]int, len(xs))
		for i := range out {
			out[i] = xs[(i*7+3)%len(xs)]
		}
		return out
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for _, tc := range []struct {
		name        string
		drift       float64 // background shift per frame, px
		noise       float64
		faceGrey    func(i int) uint8 // the face changes every frame: it must not count
		order       []int
		wantOK      bool
		wantAbove   bool // disorder above DefaultConfig's limit
		wantBetween [2]float64
	}{
		{"drifting scene in order", 1.5, 4, func(i int) uint8 { return uint8(40 * (i % 5)) }, order, true, false, [2]float64{0.9, 1.5}},
		{"drifting scene shuffled", 1.5, 4, func(i int) uint8 { return uint8(40 * (i % 5)) }, shuffle(order), true, true, [2]float64{2, 20}},
		{"static scene, only noise, in order", 0, 8, func(int) uint8 { return 90 }, order, true, false, [2]float64{0.9, 2}},
		{"static scene, only noise, shuffled: no evidence", 0, 8, func(int) uint8 { return 90 }, shuffle(order), true, false, [2]float64{0.9, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			st := make([]frameState, n)
			for k, i := range tc.order {
				img, face := scene(float64(i)*tc.drift, tc.noise, rng, tc.faceGrey(i))
				st[k].scene = sceneThumbnail(img)
				st[k].sceneMask = sceneMask(img.Bounds(), face)
			}
			d, ok := sceneDisorder(st)
			t.Logf("disorder %.2f", d)
			if ok != tc.wantOK {
				t.Fatalf("judged = %v, want %v", ok, tc.wantOK)
			}
			if d < tc.wantBetween[0] || d > tc.wantBetween[1] {
				t.Errorf("disorder %.2f, want within %v", d, tc.wantBetween)
			}
			if above := d > DefaultConfig().MaxSceneDisorder; above != tc.wantAbove {
				t.Errorf("disorder %.2f above the limit = %v, want %v", d, above, tc.wantAbove)
			}
		})
	}
}

// TestSceneDisorderNeedsScene: a face filling the frame leaves no scene to
// judge, and frames without a thumbnail are skipped.
func TestSceneDisorderNeedsScene(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	st := make([]frameState, 10)
	for i := range st {
		img, _ := scene(float64(i), 4, rng, 90)
		st[i].scene = sceneThumbnail(img)
		st[i].sceneMask = sceneMask(img.Bounds(), image.Rect(40, 30, 280, 210))
	}
	if d, ok := sceneDisorder(st); ok {
		t.Errorf("face filling the frame judged (disorder %.2f)", d)
	}
	if _, ok := sceneDisorder(make([]frameState, 10)); ok {
		t.Error("frames without thumbnails judged")
	}
}
