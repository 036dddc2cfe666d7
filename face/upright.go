package face

import (
	"image"
	"image/draw"

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
// upright are the turns tried, and a turn wins only with a face of that
// score and twice the best upright one. Faces it scores lower (small,
// masked) are left as delivered.
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
	out, orientation := img, 1
	for _, o := range []int{6, 8, 3} {
		turned := imageio.Orient(img, o)
		tb := Detect(turned)
		s := bestScore(tb)
		if s < TurnedMinScore || s <= 2*best || confirm != nil && !confirm(turned, bestBox(tb)) {
			continue
		}
		out, orientation, boxes, best = turned, o, tb, s
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
// and the faces, best first, when exactly one of the two turns shows a face
// above minScore; otherwise orientation 1 and no faces. Call it only when
// no face was found as delivered: the detector scores a face upside down
// almost as high as upright (two of 26 occluded photos within 0.01), and
// the two quarter turns of a photo lying on its side are one upright and
// one upside down, so when both show a face nothing is decided.
func (m *Models) TurnedCNN(img image.Image, minScore float64) (image.Image, int, []Box) {
	var out image.Image
	orientation, found := 1, []Box(nil)
	for _, o := range []int{6, 8} {
		turned := imageio.Orient(img, o)
		boxes := m.detectTiny(toRGB(turned), minScore)
		if len(boxes) == 0 {
			continue
		}
		if found != nil {
			return img, 1, nil
		}
		out, orientation, found = turned, o, boxes
	}
	if found == nil {
		return img, 1, nil
	}
	return out, orientation, found
}

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
