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
	selfie, err := c.Models.AnalyzeSelfie(selfieImg)
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
// largest detected face whose landmarks fit its box (a ghost image or a
// hologram face is smaller), else a tilted one that passes verification,
// else the same on the photo turned by a quarter or a half (a passport
// photographed sideways); ErrNoFace when there is none. The face's box and
// landmarks are in the coordinates of the turned photo it was found on.
//
// Largeness alone is not enough: on the French residence card specimen the
// faint ghost image's box (79 px, cascade score 11) is larger than the
// portrait's (72 px, score 231), and the landmark net finds no face in it
// (eyes 4.6 px apart, 0.06 of the box, against 0.36 for the portrait).
func (m *Models) DocumentFace(img image.Image) (*Face, error) {
	rgb := toRGB(img)
	f, err := m.documentFaceUpright(rgb, false)
	for turns := 1; turns < 4 && errors.Is(err, ErrNoFace); turns++ {
		f, err = m.documentFaceUpright(rgb.rotated(turns), true)
	}
	return f, err
}

// documentFaceUpright is DocumentFace without turning the photo. With
// strict, used on turned photos, only a face whose landmarks fit its box
// and whose aligned chip the cascade confirms counts: a card turned
// sideways has no upright face, and the cascade's windows may still fire on
// its print (measured on Macao's ID card back: eyes 0.17 of the box; on a
// synthetic card with a blank portrait: a "face" in the text).
func (m *Models) documentFaceUpright(rgb *rgbImage, strict bool) (*Face, error) {
	boxes := detectRGB(rgb, DetectThreshold)
	if len(boxes) == 0 {
		if strict {
			return nil, ErrNoFace
		}
		return m.analyzeTilted(rgb)
	}
	// Landmarks for every box, the descriptor only for the one chosen.
	type candidate struct {
		box Box
		lm  Landmarks
	}
	var best, first *candidate
	for _, b := range boxes { // best score first
		lm, err := m.placeBox(rgb, b, strict)
		if strict && errors.Is(err, ErrNoFace) {
			continue
		}
		if err != nil {
			return nil, err
		}
		c := &candidate{b, lm}
		if first == nil {
			first = c
		}
		if lm.EyeDistance() < minEyeBoxRatio*b.Rect.Dx() {
			continue
		}
		if best == nil || b.Rect.area() > best.box.Rect.area() {
			best = c
		}
	}
	if best == nil && strict {
		return nil, ErrNoFace
	}
	if best == nil {
		best = first
	}
	return m.embedFace(rgb, best.box, best.lm)
}

// minEyeBoxRatio is the smallest eye distance, as a share of the detected
// box's width, of landmarks that found the face in the box: the cascade's
// boxes put the eyes 0.3–0.45 of the width apart, landmarks that collapse
// on a face the net cannot see come out below 0.1.
const minEyeBoxRatio = 0.2

var _ kycgate.Check = (*MatchCheck)(nil)
