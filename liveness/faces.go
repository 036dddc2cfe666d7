package liveness

import (
	"image"
	"math"

	"github.com/kycgate/kycgate/face"
)

// FaceModels is the FaceAnalyzer backed by package face: pigo detection,
// face-api.js's 68-point landmarks and 128-d descriptors.
type FaceModels struct{ Models *face.Models }

// Observe implements FaceAnalyzer: the largest detected face and its
// landmarks.
func (f FaceModels) Observe(img image.Image) (Observation, error) {
	boxes := face.Detect(img)
	if len(boxes) == 0 {
		return Observation{}, nil
	}
	main := boxes[0]
	for _, b := range boxes[1:] {
		if b.Rect.Dx() > main.Rect.Dx() {
			main = b
		}
	}
	n := 0
	for _, b := range boxes {
		if b.Rect.Dx() >= 0.45*main.Rect.Dx() {
			n++
		}
	}
	lm, err := f.Models.Landmarks(img, main)
	if err != nil {
		// An empty box: treat the frame as faceless rather than fail.
		return Observation{Faces: n, Box: main.Rect.Image()}, nil
	}
	s := Shape(lm)
	return Observation{Faces: n, Box: main.Rect.Image(), Shape: &s}, nil
}

// Embed implements FaceAnalyzer.
func (f FaceModels) Embed(img image.Image, o Observation) ([]float32, error) {
	if o.Shape == nil {
		return nil, nil
	}
	d, err := f.Models.Embed(img, face.Landmarks(*o.Shape))
	if err != nil {
		return nil, err
	}
	return d[:], nil
}

// SamePersonDistance implements FaceAnalyzer with face-api.js's 0.6.
func (FaceModels) SamePersonDistance() float64 { return 0.6 }

// Track implements Tracker: the face is looked for where the previous
// frame's landmarks were, skipping detection. At 8 fps and more a face moves
// a fraction of its size between frames, and the landmark network re-centres
// its crop on the face by itself.
func (f FaceModels) Track(img image.Image, prev Observation) (Observation, error) {
	if prev.Shape == nil {
		return f.Observe(img)
	}
	lm := face.Landmarks(*prev.Shape)
	b := lm.Bounds()
	side := math.Max(b.Dx(), b.Dy()) * 1.25
	c := b.Center()
	c.Y -= 0.12 * side
	box := face.Box{Rect: face.Rect{X0: c.X - side/2, Y0: c.Y - side/2, X1: c.X + side/2, Y1: c.Y + side/2}}
	next, err := f.Models.Landmarks(img, box)
	if err != nil {
		return f.Observe(img)
	}
	s := Shape(next)
	nb := next.Bounds()
	if s.IOD() < 0.2*b.Dx() || nb.Dx() > 2*b.Dx() || nb.Dx() < 0.5*b.Dx() {
		return f.Observe(img) // lost the face: detect again
	}
	return Observation{Faces: prev.Faces, Box: nb.Image(), Shape: &s}, nil
}
