package quality

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/docloc"
)

// Assessment is the outcome of Assess.
type Assessment struct {
	// Findings are the quality problems found; empty means the photo is
	// good enough to read.
	Findings []kycgate.Finding
	// Metrics holds every measurement (names Metric*), for the decision
	// record and for tuning.
	Metrics map[string]float64
	// Document is where the document was found, in img's coordinates.
	Document docloc.Result
}

// locate finds the document; a variable so tests can count calls.
var locate = docloc.Locate

// Assess locates the document in img, then measures blur, glare, exposure
// and resolution on the rectified document. When no document is found it
// returns DOCUMENT_NOT_FOUND together with exposure findings on the whole
// frame (a dark or blown-out photo is the usual reason, and the applicant
// should be told). A cut-off corner gives DOCUMENT_CORNERS_MISSING and the
// visible part is still measured.
func Assess(img image.Image, opt Options) (*Assessment, error) {
	opt.defaults()
	if img == nil || img.Bounds().Empty() {
		return nil, kycgate.Errorf(string(kycgate.ImageInvalid), "empty image")
	}
	loc, err := locate(img)
	if errors.Is(err, docloc.ErrImage) {
		// Too small to hold a document at all.
		return &Assessment{Metrics: map[string]float64{MetricDocumentPx: 0}, Findings: []kycgate.Finding{
			{Code: kycgate.DocumentNotFound, Step: opt.Step},
			{Code: kycgate.ImageLowResolution, Step: opt.Step, Metrics: map[string]float64{
				MetricDocumentPx: 0, MetricThreshold: opt.Thresholds.MinDocumentPx}},
		}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("locating document: %w", err)
	}
	if !loc.Found {
		a, err := AssessRegion(img, *fullFrame2(img), opt)
		if err != nil {
			return nil, err
		}
		// Only exposure says something useful about a frame without a
		// document; blur or glare of the background would mislead.
		var keep []kycgate.Finding
		for _, f := range a.Findings {
			if f.Code == kycgate.ImageOverexposed || f.Code == kycgate.ImageUnderexposed {
				keep = append(keep, f)
			}
		}
		a.Findings = append([]kycgate.Finding{{Code: kycgate.DocumentNotFound, Step: opt.Step,
			Metrics: map[string]float64{"document_confidence": loc.Confidence}}}, keep...)
		a.Document = loc
		return a, nil
	}
	a, err := AssessRegion(img, loc.Corners, opt)
	if err != nil {
		return nil, err
	}
	a.Document = loc
	a.Metrics["document_confidence"] = loc.Confidence
	if !loc.CornersInside || len(loc.MissingCorners) > 0 {
		f := kycgate.Finding{Code: kycgate.DocumentCornersMissing, Step: opt.Step,
			Metrics: map[string]float64{"missing_corners": float64(len(loc.MissingCorners))}}
		a.Findings = append([]kycgate.Finding{f}, a.Findings...)
		if long, ok := cutDocumentLongSide(loc.Corners, loc.MissingCorners); ok {
			a.Metrics[MetricDocumentPxCut] = long
			if long >= opt.Thresholds.MinDocumentPx {
				a.Findings = slices.DeleteFunc(a.Findings, func(f kycgate.Finding) bool { return f.Code == kycgate.ImageLowResolution })
			}
		}
	}
	return a, nil
}

// cutDocumentLongSide estimates the long side, in photo pixels, of a
// document one of whose sides the frame cuts off (the two corners of one
// side missing). The located outline then ends at the frame, so its
// extent across the cut is only what is visible, and measuring resolution
// on it reported IMAGE_LOW_RESOLUTION on documents that had pixels enough
// (19 of the 20 false positives of the n=200 evaluation). The extent along
// the cut is whole; when it is the shorter one it is the document's short
// side, and the long side is taken as that of an ID-1 card on it (the
// card, licence and Chinese ID aspect; a passport page is squarer, so a
// low-resolution passport page cut at a side may go unreported until the
// retake, which the missing corners ask for anyway). ok is false for any
// other cut: a single missing corner is extrapolated from its sides.
func cutDocumentLongSide(corners [4][2]float64, missing []int) (float64, bool) {
	if len(missing) != 2 {
		return 0, false
	}
	w, h := quadSize(corners)
	var across, along float64
	switch m := [2]int{min(missing[0], missing[1]), max(missing[0], missing[1])}; m {
	case [2]int{1, 2}, [2]int{0, 3}: // the right or left side
		across, along = w, h
	case [2]int{0, 1}, [2]int{2, 3}: // the top or bottom side
		across, along = h, w
	default:
		return 0, false
	}
	if along >= across {
		return 0, false
	}
	return math.Max(across, along*id1Aspect), true
}

// id1Aspect is the long/short ratio of an ID-1 card (85.60 × 53.98 mm, ISO/IEC 7810).
const id1Aspect = 85.60 / 53.98

// AssessRegion measures the quadrilateral corners (clockwise from top-left,
// in img's pixel coordinates) as the document, without locating it. The
// capture page uses it when the applicant aligns the card with an on-screen
// guide; the evaluation uses it on real photos that are not documents.
func AssessRegion(img image.Image, corners [4][2]float64, opt Options) (*Assessment, error) {
	opt.defaults()
	if img == nil || img.Bounds().Empty() {
		return nil, kycgate.Errorf(string(kycgate.ImageInvalid), "empty image")
	}
	for _, c := range corners {
		if math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.IsInf(c[0], 0) || math.IsInf(c[1], 0) {
			return nil, kycgate.Errorf(kycgate.ErrInvalidInput, "corner is not a finite number")
		}
	}
	w, h, native := rectifiedSize(corners, opt.NormWidth)
	lum, sat := rectify(img, corners, w, h)
	f, m := measureDocument(lum, sat, native, opt)
	return &Assessment{Findings: f, Metrics: m,
		Document: docloc.Result{Found: true, Corners: corners, CornersInside: true, Confidence: 1}}, nil
}

func fullFrame2(img image.Image) *[4][2]float64 {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	return &[4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}
}
