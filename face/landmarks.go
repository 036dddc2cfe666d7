package face

import (
	"errors"
	"image"
	"math"
)

// Landmarks are the 68 points of the iBUG 300-W scheme (jaw 0–16, brows
// 17–26, nose 27–35, eyes 36–47, mouth 48–67), in image pixels.
type Landmarks [68]Point

// landmarkInput is the side of the landmark network's input.
const landmarkInput = 112

// Framing of the landmark crop, measured on face-api.js's own crops (the
// reference images): the landmarks' bounding box fills about 85% of the
// square the network was trained on, centred.
const (
	landmarkBoxScale = 1.18
	// detectionBoxScale and detectionBoxShift turn pigo's box, which
	// reaches up to the forehead, into the first landmark crop: on the
	// labelled photos the landmarks span 0.8 of its side and their centre
	// lies 0.17 of its side below the box's.
	detectionBoxScale = 0.95
	detectionBoxShift = 0.17
	// maxRefineStep bounds how much one pass may grow or shrink the crop,
	// so that a poor first pass cannot run away.
	maxRefineStep = 1.33
	// landmarkPasses is the most passes run; landmarkSettled the change of
	// the crop, as a share of its side, below which no further pass runs.
	landmarkPasses  = 3
	landmarkSettled = 0.04
)

// ErrEmptyBox is returned for a box with no area or far outside the image.
var ErrEmptyBox = errors.New("face: empty box")

// Landmarks places the 68 points on the face in box. It runs the network
// on a square crop around the box, then re-centres the crop on the points
// found and runs it again, so that the result depends little on how the
// detector framed the face.
func (m *Models) Landmarks(img image.Image, box Box) (Landmarks, error) {
	return m.landmarksRGB(toRGB(img), box.Rect)
}

func (m *Models) landmarksRGB(img *rgbImage, r Rect) (Landmarks, error) {
	var lm Landmarks
	if !(r.Dx() > 1 && r.Dy() > 1) {
		return lm, ErrEmptyBox
	}
	// A box far outside or far larger than the image is a caller's error
	// (and would make the sampling arithmetic overflow).
	limit := 4 * float64(max(img.W, img.H))
	if !(math.Abs(r.X0) < limit && math.Abs(r.Y0) < limit && r.Dx() < limit && r.Dy() < limit) {
		return lm, ErrEmptyBox
	}
	side := math.Max(r.Dx(), r.Dy())
	c := r.Center()
	c.Y += side * detectionBoxShift
	return m.refineLandmarks(img, c, side*detectionBoxScale), nil
}

// refineLandmarks runs the landmark passes from the square of centre c and
// the given side.
func (m *Models) refineLandmarks(img *rgbImage, c Point, side float64) Landmarks {
	var lm Landmarks
	for pass := 0; pass < landmarkPasses; pass++ {
		lm = m.landmarksInSquare(img, c, side)
		b := lm.Bounds()
		next := math.Max(b.Dx(), b.Dy()) * landmarkBoxScale
		next = math.Min(math.Max(next, side/maxRefineStep), side*maxRefineStep)
		nc := b.Center()
		// Stop once the crop has settled: another pass would see nearly
		// the same pixels.
		settled := math.Hypot(nc.X-c.X, nc.Y-c.Y) < landmarkSettled*side && math.Abs(next-side) < landmarkSettled*side
		c, side = nc, next
		if settled {
			break
		}
	}
	return lm
}

// landmarksInSquare runs the network on the square of the given centre and
// side.
func (m *Models) landmarksInSquare(img *rgbImage, c Point, side float64) Landmarks {
	s := side / landmarkInput
	t := affine{A: s, C: c.X - side/2, E: s, F: c.Y - side/2}
	out := m.landmarks.forward(img.warp(t, landmarkInput))
	var lm Landmarks
	for i := range lm {
		lm[i] = Point{
			X: c.X - side/2 + float64(out[2*i])*side,
			Y: c.Y - side/2 + float64(out[2*i+1])*side,
		}
	}
	return lm
}

// Bounds is the bounding box of the points.
func (l *Landmarks) Bounds() Rect {
	r := Rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range l {
		r.X0 = math.Min(r.X0, p.X)
		r.Y0 = math.Min(r.Y0, p.Y)
		r.X1 = math.Max(r.X1, p.X)
		r.Y1 = math.Max(r.Y1, p.Y)
	}
	return r
}

// mean returns the centroid of points i..j-1.
func (l *Landmarks) mean(i, j int) Point {
	var p Point
	for k := i; k < j; k++ {
		p.X += l[k].X
		p.Y += l[k].Y
	}
	n := float64(j - i)
	return Point{p.X / n, p.Y / n}
}

// LeftEye and RightEye are the centres of the eyes as seen in the image
// (LeftEye is the person's right eye, points 36–41).
func (l *Landmarks) LeftEye() Point  { return l.mean(36, 42) }
func (l *Landmarks) RightEye() Point { return l.mean(42, 48) }

// EyeDistance is the distance between the eye centres in pixels: the
// face's scale in the picture.
func (l *Landmarks) EyeDistance() float64 {
	a, b := l.LeftEye(), l.RightEye()
	return math.Hypot(b.X-a.X, b.Y-a.Y)
}
