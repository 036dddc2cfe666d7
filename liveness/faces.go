package liveness

import (
	"image"

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
