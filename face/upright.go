package face

import (
	"image"

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
	boxes := Detect(img)
	best := bestScore(boxes)
	if best >= TurnedMinScore {
		return img, 1, boxes
	}
	out, orientation := img, 1
	for _, o := range []int{6, 8, 3} {
		turned := imageio.Orient(img, o)
		tb := Detect(turned)
		if s := bestScore(tb); s >= TurnedMinScore && s > 2*best {
			out, orientation, boxes, best = turned, o, tb, s
		}
	}
	return out, orientation, boxes
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

func bestScore(boxes []Box) float64 {
	best := 0.0
	for _, b := range boxes {
		best = max(best, b.Score)
	}
	return best
}

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
	up, _, boxes := Upright(img)
	// Upright's cascade boxes are Analyze's: not run a second time.
	f, _, err := m.analyzeDetected(toRGB(up), boxes)
	return f, err
}
