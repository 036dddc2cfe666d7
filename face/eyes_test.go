package face

import (
	"fmt"
	"image"
	"image/draw"
	"path/filepath"
	"testing"
)

// TestEyesClosed checks the eye-state network on the shared blink clip:
// the blink frames shut, the frames around them open, also at half
// brightness (eyeExposure), and eyes too small to judge are not judged.
func TestEyesClosed(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	frame := func(clip string, i int) image.Image {
		return loadImage(t, filepath.Join(shared, "liveness", clip, fmt.Sprintf("%03d.jpg", i)))
	}
	half := func(img image.Image) image.Image {
		b := img.Bounds()
		out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
		for i := range out.Pix {
			if i%4 != 3 {
				out.Pix[i] /= 2
			}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		img    image.Image
		closed bool
	}{
		{"d18 blink", frame("liveportrait_d18_mouth_open", 13), true},
		{"d18 before the blink", frame("liveportrait_d18_mouth_open", 10), false},
		{"d18 second blink", frame("liveportrait_d18_mouth_open", 43), true},
		{"d18 after it", frame("liveportrait_d18_mouth_open", 40), false},
		{"d9 blink behind glasses", frame("liveportrait_d9_glasses_blink", 13), true},
		{"d9 open behind glasses", frame("liveportrait_d9_glasses_blink", 5), false},
		{"d18 blink, half brightness", half(frame("liveportrait_d18_mouth_open", 13)), true},
		{"d18 open, half brightness", half(frame("liveportrait_d18_mouth_open", 10)), false},
		{"d9 open, half brightness", half(frame("liveportrait_d9_glasses_blink", 5)), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, err := m.Analyze(tc.img)
			if err != nil {
				t.Fatal(err)
			}
			p, ok, err := m.EyesClosed(tc.img, f.Landmarks)
			if err != nil || !ok {
				t.Fatalf("EyesClosed = %v, %v, %v", p, ok, err)
			}
			if tc.closed && p < 0.9 || !tc.closed && p > 0.65 {
				t.Errorf("P(closed) = %.3f, want closed=%v", p, tc.closed)
			}
		})
	}
	// The head-shake clip's eyes are 10–12 px wide: not judged.
	img := frame("nodpigeon_head_turning", 0)
	f, _, err := m.Analyze(img)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok, err := m.EyesClosed(img, f.Landmarks); ok || err != nil {
		t.Errorf("EyesClosed on 11-px eyes = %.3f, %v, %v; want not judged", p, ok, err)
	}
}
