package face

import "image"

// Band is the verdict of a face match.
type Band string

// Match bands.
const (
	BandMatch    Band = "match"
	BandReview   Band = "review"
	BandMismatch Band = "mismatch"
)

// Thresholds of the bands on the descriptor distance, calibrated on the
// labelled pairs (docs/face.md): below MatchThreshold the faces are the same
// person; from MismatchThreshold on they are not; in between a person looks.
const (
	MatchThreshold    = 0.45
	MismatchThreshold = 0.60
)

// BandOf returns the band of a descriptor distance.
func BandOf(d float64) Band {
	switch {
	case d < MatchThreshold:
		return BandMatch
	case d < MismatchThreshold:
		return BandReview
	default:
		return BandMismatch
	}
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
	b, _, err := m.Analyze(selfie)
	if err != nil {
		return nil, &NoFaceError{Image: "selfie", Err: err}
	}
	d := Distance(a.Descriptor, b.Descriptor)
	return &MatchResult{Distance: d, Band: BandOf(d), A: a, B: b}, nil
}

// MatchDocument compares the holder's face on a photographed document
// (DocumentFace) with the main face of a selfie: what `kycgate match
// DOCUMENT_IMAGE SELFIE` needs.
func (m *Models) MatchDocument(document, selfie image.Image) (*MatchResult, error) {
	a, err := m.DocumentFace(document)
	if err != nil {
		return nil, &NoFaceError{Image: "document", Err: err}
	}
	b, _, err := m.Analyze(selfie)
	if err != nil {
		return nil, &NoFaceError{Image: "selfie", Err: err}
	}
	d := Distance(a.Descriptor, b.Descriptor)
	return &MatchResult{Distance: d, Band: BandOf(d), A: a, B: b}, nil
}

// NoFaceError says which image of a match had no usable face.
type NoFaceError struct {
	Image string // "portrait", "document" or "selfie"
	Err   error
}

func (e *NoFaceError) Error() string { return "face: " + e.Image + ": " + e.Err.Error() }
func (e *NoFaceError) Unwrap() error { return e.Err }
