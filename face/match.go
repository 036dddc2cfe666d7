package face

import (
	"fmt"
	"image"
)

// Band is the verdict of a face match.
type Band string

// Match bands.
const (
	BandMatch    Band = "match"
	BandReview   Band = "review"
	BandMismatch Band = "mismatch"
)

// Thresholds of the bands on the descriptor distance (docs/face.md),
// measured on the shared labelled photos: genuine pairs median 0.79, 95% at
// 1.04, largest 1.105; the closest impostors are same-sex, same-ethnicity
// look-alikes (K-pop singers), smallest 1.022, while among the Western
// photos no impostor lies below 1.21. A KYC impostor is such a look-alike
// holding someone else's document, so:
//   - MatchThreshold accepts automatically only below every impostor
//     measured, look-alikes included (about 93% of genuine pairs);
//   - MismatchThreshold rejects automatically only above every genuine
//     pair measured, with a margin of 0.1 (a cosine similarity of 0.28);
//   - in between a person looks.
const (
	MatchThreshold    = 1.00
	MismatchThreshold = 1.20
)

// Bands are the distance thresholds of the three verdicts, for operators
// who weigh manual-review volume against the risk of an automatic match
// differently (config face_match). The zero value means DefaultBands.
type Bands struct {
	// MatchBelow: a distance below it matches automatically.
	MatchBelow float64 `yaml:"match_below"`
	// MismatchFrom: a distance from it on is rejected as FACE_MISMATCH.
	MismatchFrom float64 `yaml:"mismatch_from"`
}

// DefaultBands are MatchThreshold and MismatchThreshold.
var DefaultBands = Bands{MatchBelow: MatchThreshold, MismatchFrom: MismatchThreshold}

// Validate reports thresholds that cannot order the bands. Descriptors are
// unit vectors, so distances lie in [0, 2].
func (b Bands) Validate() error {
	if b.MatchBelow <= 0 || b.MatchBelow > b.MismatchFrom || b.MismatchFrom > 2 {
		return fmt.Errorf("face match bands: want 0 < match_below (%v) <= mismatch_from (%v) <= 2", b.MatchBelow, b.MismatchFrom)
	}
	return nil
}

// orDefault is b, or DefaultBands when b is the zero value.
func (b Bands) orDefault() Bands {
	if b == (Bands{}) {
		return DefaultBands
	}
	return b
}

// Of returns the band of a descriptor distance.
func (b Bands) Of(d float64) Band {
	b = b.orDefault()
	switch {
	case d < b.MatchBelow:
		return BandMatch
	case d < b.MismatchFrom:
		return BandReview
	default:
		return BandMismatch
	}
}

// BandOf returns the band of a descriptor distance under DefaultBands.
func BandOf(d float64) Band { return DefaultBands.Of(d) }

// MinMatchEyeDistance is the smallest distance between the eye centres, in
// pixels, of two faces that may match automatically; a match between
// smaller faces goes to review. The embedding's chips put the eyes 35 px
// apart, so below 20 px a face is blown up almost twice and carries less
// of what tells look-alikes apart. Measured on face_pairs.csv with the
// second photo of each pair reduced to 200 px: the one impostor pair that
// fell in the match band (a K-pop look-alike, 0.961) had its small face's
// eyes 16.8 px apart; at full size it lies at 1.03, in review.
const MinMatchEyeDistance = 20.0

// bandOf is the band of two analysed faces at distance d: b.Of(d), except
// that a match between faces smaller than MinMatchEyeDistance is a review.
func (b Bands) bandOf(d float64, x, y *Face) Band {
	band := b.Of(d)
	if band == BandMatch && min(x.Landmarks.EyeDistance(), y.Landmarks.EyeDistance()) < MinMatchEyeDistance {
		return BandReview
	}
	return band
}

// MatchResult is the comparison of two photos' main faces.
type MatchResult struct {
	Distance float64
	Band     Band
	// A and B are the analysed faces of the two images.
	A, B *Face
}

// Match compares the face of a document portrait (AnalyzePortrait: the
// image may be a tight crop) with the main face of a selfie. It returns ErrNoFace (wrapped with which image) when
// either has no face.
func (m *Models) Match(portrait, selfie image.Image) (*MatchResult, error) {
	a, err := m.AnalyzePortrait(portrait)
	if err != nil {
		return nil, &NoFaceError{Image: "portrait", Err: err}
	}
	b, err := m.AnalyzeSelfie(selfie)
	if err != nil {
		return nil, &NoFaceError{Image: "selfie", Err: err}
	}
	d := Distance(a.Descriptor, b.Descriptor)
	return &MatchResult{Distance: d, Band: DefaultBands.bandOf(d, a, b), A: a, B: b}, nil
}

// MatchDocument compares the holder's face on a photographed document
// (DocumentFace) with the main face of a selfie: what `kycgate match
// DOCUMENT_IMAGE SELFIE` needs.
func (m *Models) MatchDocument(document, selfie image.Image) (*MatchResult, error) {
	a, err := m.DocumentFace(document)
	if err != nil {
		return nil, &NoFaceError{Image: "document", Err: err}
	}
	b, err := m.AnalyzeSelfie(selfie)
	if err != nil {
		return nil, &NoFaceError{Image: "selfie", Err: err}
	}
	d := Distance(a.Descriptor, b.Descriptor)
	return &MatchResult{Distance: d, Band: DefaultBands.bandOf(d, a, b), A: a, B: b}, nil
}

// NoFaceError says which image of a match had no usable face.
type NoFaceError struct {
	Image string // "portrait", "document" or "selfie"
	Err   error
}

func (e *NoFaceError) Error() string { return "face: " + e.Image + ": " + e.Err.Error() }
func (e *NoFaceError) Unwrap() error { return e.Err }
