package face

import (
	"fmt"
	"image"
	"math"

	"golang.org/x/image/draw"

	"github.com/kycgate/kycgate/onnx"
)

// eyeStateModel is the eye open/closed classifier in the models directory:
// fr_eye.onnx of the npm package faceplugin-face-recognition-js@0.0.1, a
// small CNN on a 24×24 grey crop of one eye (pixels /255) whose first
// output is "closed". The package's own JavaScript uses it to see blinks.
const eyeStateModel = "fr_eye.onnx"

// eyeSize is the classifier's input side.
const eyeSize = 24

// minEyeWidth is the narrowest eye (corner to corner, in pixels) the
// classifier is asked about. Smaller eyes are blown up into its input and
// its answers are noise: on the shared head-shake and nod clips (eyes 10–19
// px wide) it calls open eyes closed in runs of frames, on the frontal
// clips (eyes 37–43 px) it calls only the blinks closed.
const minEyeWidth = 24

// eyeExposure is the luma the nose bridge is brought to before the eyes
// are classified. The classifier was not trained for exposure: on the
// shared blink clips darkened to half brightness it called open eyes
// closed (up to 0.95–0.98 outside blinks) until the crop was rescaled so
// that the skin beside the eyes has a normal exposure, as a camera's auto
// exposure would (0.23–0.57 outside blinks, ≥ 0.98 in them).
const eyeExposure = 0.6

// EyesClosed returns how likely the eyes of the face with landmarks lm are
// closed (0–1, the mean of both eyes), and false when they cannot be
// judged: eyes narrower than minEyeWidth, or a crop leaving the image.
func (m *Models) EyesClosed(img image.Image, lm Landmarks) (float64, bool, error) {
	nose := image.Rect(int(lm[39].X), int(lm[28].Y), int(lm[42].X), int(lm[30].Y))
	skin, ok := meanLuma(img, nose)
	if !ok || skin <= 0 {
		return 0, false, nil
	}
	gain := math.Max(0.5, math.Min(4, eyeExposure/skin))
	var sum float64
	for _, from := range []int{36, 42} {
		p, ok, err := m.eyeClosed(img, &lm, from, gain)
		if err != nil || !ok {
			return 0, false, err
		}
		sum += p
	}
	return sum / 2, true, nil
}

// eyeClosed classifies the eye whose six points start at index from, cut
// as the package's JavaScript cuts it: a square 1.6 eye widths wide around
// the mean of the four lid points.
func (m *Models) eyeClosed(img image.Image, lm *Landmarks, from int, gain float64) (float64, bool, error) {
	width := lm[from+3].X - lm[from].X
	if width < minEyeWidth {
		return 0, false, nil
	}
	c := Point{
		X: (lm[from+1].X + lm[from+2].X + lm[from+4].X + lm[from+5].X) / 4,
		Y: (lm[from+1].Y + lm[from+2].Y + lm[from+4].Y + lm[from+5].Y) / 4,
	}
	side := 1.6 * width
	r := image.Rect(int(c.X-side/2), int(c.Y-side/2), int(c.X+side/2), int(c.Y+side/2))
	if !r.In(img.Bounds()) {
		return 0, false, nil
	}
	crop := image.NewRGBA(image.Rect(0, 0, eyeSize, eyeSize))
	draw.BiLinear.Scale(crop, crop.Bounds(), img, r, draw.Src, nil)
	x := onnx.NewTensor(1, 1, eyeSize, eyeSize)
	for i := range x.Data {
		p := crop.Pix[4*i:]
		x.Data[i] = float32(math.Min(1, gain*luma(p[0], p[1], p[2])))
	}
	out, err := m.eyes.Run(map[string]*onnx.Tensor{"input": x})
	if err != nil {
		return 0, false, fmt.Errorf("face: eye state: %w", err)
	}
	v := out["output"].Data
	if len(v) != 2 {
		return 0, false, fmt.Errorf("face: eye state: %d outputs, want 2", len(v))
	}
	closed, open := float64(v[0]), float64(v[1])
	return 1 / (1 + math.Exp(open-closed)), true, nil // softmax of two
}

// luma is Rec. 601 luma in 0–1.
func luma(r, g, b uint8) float64 {
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 255
}

// meanLuma is the mean luma of img over r (false when r is empty or
// leaves the image), from an 8×8 reduction.
func meanLuma(img image.Image, r image.Rectangle) (float64, bool) {
	if r.Empty() || !r.In(img.Bounds()) {
		return 0, false
	}
	const n = 8
	small := image.NewRGBA(image.Rect(0, 0, n, n))
	draw.ApproxBiLinear.Scale(small, small.Bounds(), img, r, draw.Src, nil)
	var s float64
	for i := 0; i < len(small.Pix); i += 4 {
		s += luma(small.Pix[i], small.Pix[i+1], small.Pix[i+2])
	}
	return s / (n * n), true
}
