package face

import (
	"image"
	"image/draw"
	"math"

	"github.com/kycgate/kycgate/imageio"
)

// Upright returns img turned by a quarter or half turn when that shows a
// face the upright one does not, with the EXIF orientation (imageio.Orient)
// that turned it (6 or 8 for a photo lying on its side, 3 for one upside
// down, 1 for img itself) and the cascade's faces (Detect) in the returned
// image. A photo arrives turned when an app strips its EXIF orientation or
// the phone is held sideways; the landmark net then fits a face to
// whatever it is given, and regions placed on it measure hair as a cap or
// a cheek as a lens.
//
// The judge is the upright-trained cascade: on the 68 real evaluation
// photos a face it sees scores 19–280 upright and at most 16 turned
// (23 once blurred), while the CNN detectors score turned faces as high as
// upright ones. Only when the cascade finds no face of TurnedMinScore
// upright are the turns tried; a turn needs a face of that score and twice
// the best upright one, and of such turns the one whose face scores
// highest wins. Faces it scores lower (small, masked) are left as
// delivered.
func Upright(img image.Image) (image.Image, int, []Box) {
	return upright(img, nil)
}

// Upright is the package's Upright with a second opinion on a turn: the
// TinyFaceDetector must see a face where the cascade found one in the
// turned photo. The cascade alone sometimes finds an upside-down "face"
// in the scenery (a crowd, a carpet) of a photo whose real face it misses
// because a mask hides half of it — a full-length photo, masked, scored
// 36 upside down against 6.5 upright, and was then judged upside down.
// The CNN, which sees faces in any orientation, confirms a real turned
// face and not the scenery.
func (m *Models) Upright(img image.Image) (image.Image, int, []Box) {
	return upright(img, func(turned image.Image, face Box) bool {
		// Around the face, so that a small one (a full-length photo)
		// is large enough for the detector's input.
		r := face.Rect
		side := turnConfirmCrop * max(r.Dx(), r.Dy())
		cx, cy := (r.X0+r.X1)/2, (r.Y0+r.Y1)/2
		b := turned.Bounds()
		crop := image.Rect(int(cx-side/2), int(cy-side/2), int(cx+side/2), int(cy+side/2)).Add(b.Min).Intersect(b)
		around := image.NewRGBA(image.Rect(0, 0, crop.Dx(), crop.Dy()))
		draw.Draw(around, around.Bounds(), turned, crop.Min, draw.Src)
		dx, dy := float64(crop.Min.X-b.Min.X), float64(crop.Min.Y-b.Min.Y)
		for _, c := range m.detectTiny(toRGB(around), turnConfirmScore) {
			x, y := (c.Rect.X0+c.Rect.X1)/2+dx, (c.Rect.Y0+c.Rect.Y1)/2+dy
			if x > r.X0 && x < r.X1 && y > r.Y0 && y < r.Y1 {
				return true
			}
		}
		return false
	})
}

// turnConfirmCrop is the side of the square around a turned face that the
// CNN is shown, in the face box's sides.
const turnConfirmCrop = 3.0

// turnConfirmScore is the TinyFaceDetector score that confirms a turned
// face: face-api.js's default face bar.
const turnConfirmScore = 0.5

// upright is Upright; confirm, when not nil, must also accept the turned
// photo's best face.
func upright(img image.Image, confirm func(turned image.Image, face Box) bool) (image.Image, int, []Box) {
	boxes := Detect(img)
	best := bestScore(boxes)
	if best >= TurnedMinScore {
		return img, 1, boxes
	}
	// The turn whose face scores highest wins: a masked face may also
	// score above the bar upside down (47 against 62 the right way up).
	out, orientation, turnBest := img, 1, 0.0
	for _, o := range []int{6, 8, 3} {
		turned := imageio.Orient(img, o)
		tb := Detect(turned)
		s := bestScore(tb)
		if s < TurnedMinScore || s <= 2*best || s <= turnBest || confirm != nil && !confirm(turned, bestBox(tb)) {
			continue
		}
		out, orientation, boxes, turnBest = turned, o, tb, s
	}
	return out, orientation, boxes
}

func bestBox(boxes []Box) Box {
	var best Box
	for _, b := range boxes {
		if b.Score > best.Score {
			best = b
		}
	}
	return best
}

// TurnedCNN looks for a face the cascade cannot judge — half hidden by a
// mask or sunglasses — in img turned a quarter turn either way (EXIF
// orientations 6 and 8), with the TinyFaceDetector's passes (DetectCNN
// without its SSD fallback). It returns the turned image, its orientation
// and the faces, best first, when one turn shows a face above minScore and
// the other does not, or both do and the landmarks decide (steadierFace);
// otherwise orientation 1 and no faces. Call it only when no face was found
// as delivered. The detector is no judge of which way up a face is: it
// scores one upside down almost as high as upright (two of 26 occluded
// photos within 0.01), and the two quarter turns of a photo lying on its
// side are one upright and one upside down.
func (m *Models) TurnedCNN(img image.Image, minScore float64) (image.Image, int, []Box) {
	type candidate struct {
		img         image.Image
		orientation int
		boxes       []Box
	}
	var found []candidate
	for _, o := range []int{6, 8} {
		turned := imageio.Orient(img, o)
		if boxes := m.detectTiny(toRGB(turned), minScore); len(boxes) > 0 {
			found = append(found, candidate{turned, o, boxes})
		}
	}
	switch {
	case len(found) == 1:
		return found[0].img, found[0].orientation, found[0].boxes
	case len(found) == 2:
		a, b := m.landmarkSpread(found[0].img, found[0].boxes[0]), m.landmarkSpread(found[1].img, found[1].boxes[0])
		if a < steadierFace*b {
			return found[0].img, found[0].orientation, found[0].boxes
		}
		if b < steadierFace*a {
			return found[1].img, found[1].orientation, found[1].boxes
		}
	}
	return img, 1, nil
}

// steadierFace is how much steadier (landmarkSpread) the landmarks of one
// of two candidate faces must be for it to be taken as the upright one. The
// landmark net, trained on upright faces, fits an upright face the same
// way from any framing, and an upside-down one differently from each: on
// the eight occluded photos whose two turns both showed a face, the upright
// one's spread was 2.1–480 times smaller (0.006–0.071 against 0.040–2.87
// interocular distances).
const steadierFace = 0.5

// landmarkSpread is how far the landmarks move when the landmark net is
// started from the crops of spreadScales around box: the mean distance of
// each point from its place in the middle crop, in interocular distances
// there. +Inf when the net fails.
func (m *Models) landmarkSpread(img image.Image, box Box) float64 {
	lms, err := m.LandmarksCentred(img, box, spreadScales...)
	if err != nil {
		return math.Inf(1)
	}
	mid := lms[len(lms)/2]
	iod := math.Hypot(mid[45].X-mid[36].X, mid[45].Y-mid[36].Y)
	if iod <= 0 {
		return math.Inf(1)
	}
	var sum float64
	for _, l := range lms {
		for k := range l {
			sum += math.Hypot(l[k].X-mid[k].X, l[k].Y-mid[k].Y)
		}
	}
	return sum / float64(len(lms)*len(mid)) / iod
}

// spreadScales are the crops landmarkSpread starts the landmark net from,
// as in LandmarksCentred: tight to loose around a detector's box.
var spreadScales = []float64{0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5}

// TurnedMinScore is the cascade score a face needs for Upright to take its
// orientation as the photo's: above the 23 of the strongest window measured
// in a turned photo, below most upright faces (46–280; image_T1 19,
// obama_partial_face 30).
const TurnedMinScore = 30.0

func bestScore(boxes []Box) float64 { return bestBox(boxes).Score }

// TurnDegrees is the clockwise turn, in degrees, that EXIF orientation o
// (1, 3, 6 or 8) applies.
func TurnDegrees(o int) int {
	switch o {
	case 6:
		return 90
	case 3:
		return 180
	case 8:
		return 270
	}
	return 0
}

// AnalyzeSelfie is Analyze on the selfie turned as Upright turns it, so
// that a selfie delivered on its side is compared with the document as
// the selfie check judges it, not as the landmark net would misread it.
func (m *Models) AnalyzeSelfie(img image.Image) (*Face, error) {
	up, _, boxes := m.Upright(img)
	// Upright's cascade boxes are Analyze's: not run a second time.
	f, _, err := m.analyzeDetected(toRGB(up), boxes)
	return f, err
}
