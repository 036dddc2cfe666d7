package face

import (
	"context"
	"errors"
	"image"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
)

// MatchCheck is the kycgate.Check comparing the selfie with the document's
// portrait. It emits FACE_MISMATCH (step selfie) when the distance reaches
// Bands.MismatchFrom, the same code marked for review in the band between
// Bands.MatchBelow and Bands.MismatchFrom, and FACE_NOT_FOUND (step
// id_document) when the document shows no face. A selfie without a face is
// left to the selfie-quality check, which reports it; an undecodable file to
// the image checks.
type MatchCheck struct {
	Models *Models
	// Bands are the verdicts' thresholds; the zero value is DefaultBands.
	Bands Bands
}

// Name is "face_match"; metrics are face_match.distance and friends.
func (c *MatchCheck) Name() string { return "face_match" }

// Metric names recorded in Evidence.Metrics.
const (
	MetricDistance      = "face_match.distance"
	MetricDocumentFaces = "face_match.document_faces"
	// MetricEyeDistance is the smaller of the two faces' eye distances in
	// pixels (MinMatchEyeDistance).
	MetricEyeDistance = "face_match.min_eye_distance"
)

// Run compares the first selfie with ev.Document.Portrait or, when the
// document reader left none, with the face found on the first
// document_front image.
func (c *MatchCheck) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	if c.Models == nil {
		return nil, errors.New("face_match: models not loaded")
	}
	selfies := ev.FilesOf(kycgate.FileSelfie)
	if len(selfies) == 0 {
		return nil, nil
	}
	selfieImg, _, err := imageio.DecodeBytes(selfies[0].Data, imageio.DefaultLimits())
	if err != nil {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, found, err := c.documentFace(ctx, ev)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, nil // no document image: nothing to compare with
	}
	if ev.Metrics == nil {
		ev.Metrics = map[string]float64{}
	}
	if doc == nil {
		ev.Metrics[MetricDocumentFaces] = 0
		return []kycgate.Finding{{
			Code:   kycgate.FaceNotFound,
			Step:   kycgate.StepIDDocument,
			Detail: "document_portrait",
		}}, nil
	}
	ev.Metrics[MetricDocumentFaces] = 1
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	selfie, _, err := c.Models.Analyze(selfieImg)
	if errors.Is(err, ErrNoFace) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := Distance(doc.Descriptor, selfie.Descriptor)
	ev.Metrics[MetricDistance] = d
	bands := c.Bands.orDefault()
	eyes := min(doc.Landmarks.EyeDistance(), selfie.Landmarks.EyeDistance())
	ev.Metrics[MetricEyeDistance] = eyes
	metrics := map[string]float64{
		"distance":           d,
		"match_threshold":    bands.MatchBelow,
		"mismatch_threshold": bands.MismatchFrom,
		"min_eye_distance":   eyes,
	}
	switch bands.bandOf(d, doc, selfie) {
	case BandMismatch:
		return []kycgate.Finding{{Code: kycgate.FaceMismatch, Step: kycgate.StepSelfie, Metrics: metrics}}, nil
	case BandReview:
		f := kycgate.Finding{Code: kycgate.FaceMismatch, Step: kycgate.StepSelfie, Metrics: metrics, Review: true}
		if bands.Of(d) == BandMatch {
			// Close enough, but too small a face to accept unseen.
			f.Detail = "small_face"
		}
		return []kycgate.Finding{f}, nil
	}
	return nil, nil
}

// documentFace analyses the portrait the document reader cut out, or else
// looks for the largest-scoring face on the front of the document. found is
// false when there is no document image at all; face is nil when there is
// one without a face.
func (c *MatchCheck) documentFace(ctx context.Context, ev *kycgate.Evidence) (face *Face, found bool, err error) {
	if ev.Document != nil && len(ev.Document.Portrait) > 0 {
		img, _, err := imageio.DecodeBytes(ev.Document.Portrait, imageio.DefaultLimits())
		if err == nil {
			f, err := c.Models.AnalyzePortrait(img)
			if err == nil {
				return f, true, nil
			}
			if !errors.Is(err, ErrNoFace) {
				return nil, true, err
			}
		}
		// A portrait that is unreadable or faceless: fall back to the
		// document itself, the reader may have cut the wrong area.
	}
	fronts := ev.FilesOf(kycgate.FileDocumentFront)
	if len(fronts) == 0 {
		if ev.Document != nil && len(ev.Document.Portrait) > 0 {
			return nil, true, nil
		}
		return nil, false, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, true, err
	}
	img, _, err := imageio.DecodeBytes(fronts[0].Data, imageio.DefaultLimits())
	if err != nil {
		return nil, false, nil
	}
	f, err := c.Models.DocumentFace(img)
	if errors.Is(err, ErrNoFace) {
		return nil, true, nil
	}
	return f, true, err
}

// DocumentFace finds the holder's face on a photographed document: the
// largest confident face (a ghost image or a hologram face is smaller),
// else a tilted one that passes verification; ErrNoFace when there is none.
func (m *Models) DocumentFace(img image.Image) (*Face, error) {
	rgb := toRGB(img)
	boxes := detectRGB(rgb, DetectThreshold)
	if len(boxes) == 0 {
		return m.analyzeTilted(rgb)
	}
	best := boxes[0]
	for _, b := range boxes[1:] {
		if b.Rect.area() > best.Rect.area() {
			best = b
		}
	}
	return m.analyzeBox(rgb, best, false)
}

var _ kycgate.Check = (*MatchCheck)(nil)
