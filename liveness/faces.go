package liveness

import (
	"image"
	"math"

	"github.com/kycgate/kycgate/face"
)

// FaceModels is the FaceAnalyzer backed by package face: pigo detection,
// face-api.js's 68-point landmarks and face's 512-d descriptors.
type FaceModels struct{ Models *face.Models }

// Observe implements FaceAnalyzer: the largest detected face and its
// landmarks.
func (f FaceModels) Observe(img image.Image) (Observation, error) {
	boxes := face.Detect(img)
	if len(boxes) == 0 {
		return Observation{}, nil
	}
	main, sure := face.MainFace(boxes, face.SureMinScore, face.SureScoreRatio)
	lm, err := f.Models.Landmarks(img, main)
	if err != nil {
		// An empty box: treat the frame as faceless rather than fail.
		return Observation{Faces: countFaces(boxes, sure, main.Rect), Box: main.Rect.Image()}, nil
	}
	return observation(lm, countFaces(boxes, sure, main.Rect)), nil
}

// observation is a found face. Its Box is the landmarks' bounding box
// whether the face was detected or tracked, so boxes of consecutive frames
// compare like with like.
func observation(lm face.Landmarks, faces int) Observation {
	s := Shape(lm)
	return Observation{Faces: faces, Box: lm.Bounds().Image(), Shape: &s}
}

// countFaces counts the detected faces at least 0.45 as wide as the main
// face, among the sure ones (face.MainFace) and the main face itself:
// smaller ones are background people, and unsure ones stray windows, which
// do not matter for who performs the challenge.
func countFaces(boxes []face.Box, sure []bool, main face.Rect) int {
	n := 0
	for i, b := range boxes {
		if b.Rect == main || sure[i] && b.Rect.Dx() >= 0.45*main.Dx() {
			n++
		}
	}
	return n
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

// EyesClosed implements EyeStater with face's eye-state network.
func (f FaceModels) EyesClosed(img image.Image, o Observation) (float64, bool, error) {
	if o.Shape == nil {
		return 0, false, nil
	}
	return f.Models.EyesClosed(img, face.Landmarks(*o.Shape))
}

// SamePersonDistance implements FaceAnalyzer: the burst's frames are one
// person unless they lie as far apart as a selfie and a portrait of
// different people (face.MismatchThreshold). Bursts cut from the real
// clips, small faces turned or pitched, measure up to 1.06
// (docs/liveness.md), the photos of one person in the face evaluation up
// to 1.105; a face swapped mid-burst measures 1.43. The selfie is matched
// against the document's portrait with the stricter bands of package face.
func (FaceModels) SamePersonDistance() float64 { return face.MismatchThreshold }

// trackBoxScale and trackBoxShift turn the previous frame's landmark
// bounds into the box handed to face.Models.Landmarks so that its first
// crop is the one its refinement settles on for those landmarks (the
// landmarks' bounds ×1.18, centred; face turns a detection box into a crop
// by ×0.95 and 0.17 of the side downwards): when the face moved less than
// 4 % of its size, one network pass is enough instead of two or three.
// Should face's framing constants change, tracking stays correct and only
// costs another pass.
const (
	trackBoxScale = 1.18 / 0.95
	trackBoxShift = 0.17
)

// Track implements Tracker: the face is looked for where the previous
// frame's landmarks were, skipping detection. At 8 fps and more a face moves
// a fraction of its size between frames, and the landmark network re-centres
// its crop on the face by itself. When the landmarks no longer look like the
// previous face (lost), the frame is detected afresh. With recount, the
// detector also counts the faces; the tracked face counts even where the
// detector misses it (a turned head).
func (f FaceModels) Track(img image.Image, prev Observation, recount bool) (Observation, error) {
	if prev.Shape == nil {
		return f.Observe(img)
	}
	lm := face.Landmarks(*prev.Shape)
	b := lm.Bounds()
	side := math.Max(b.Dx(), b.Dy()) * trackBoxScale
	c := b.Center()
	c.Y -= trackBoxShift * side
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
	faces := prev.Faces
	if recount {
		boxes := face.Detect(img)
		main, tracked := nb, false
		for _, d := range boxes {
			if d.Rect.IoU(nb) > 0.3 {
				main, tracked = d.Rect, true
			}
		}
		_, sure := face.MainFace(boxes, face.SureMinScore, face.SureScoreRatio)
		faces = countFaces(boxes, sure, main)
		if !tracked {
			faces++
		}
	}
	return observation(next, faces), nil
}
