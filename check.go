package kycgate

import (
	"context"
	"time"
)

// Evidence is what the checks of one submission look at. Checks run in
// order; earlier ones may leave results for later ones (the document reading
// leaves the portrait for the face match).
type Evidence struct {
	Applicant  *Applicant
	Submission *Submission
	// Declared is the applicant's level-1 data, from this submission or the
	// last one that carried it.
	Declared *PersonalData
	// Files are the submission's files with their plaintext.
	Files []EvidenceFile
	// Now is the time of the check; expiry and address-proof age use its date.
	Now time.Time
	// Document is filled by the document checks.
	Document *DocumentReading
	// Metrics collects every measurement, named "check.metric", for the
	// decision record and /metrics.
	Metrics map[string]float64
	// Findings are those of the checks that ran before, so that a later
	// check does not restate a cause already reported (an unreadable
	// document whose photo is blurred).
	Findings []Finding
}

// PhotoProblem reports whether an earlier check found the photos of step
// unusable: blurred, glaring, badly exposed, too small, not found or cut.
func (e *Evidence) PhotoProblem(step StepName) bool {
	for _, f := range e.Findings {
		if f.Step != step {
			continue
		}
		switch f.Code {
		case ImageBlurry, ImageGlare, ImageOverexposed, ImageUnderexposed, ImageLowResolution,
			DocumentNotFound, DocumentCornersMissing, ImageInvalid, ImageTooLarge:
			return true
		}
	}
	return false
}

// EvidenceFile is a submitted file with its content.
type EvidenceFile struct {
	File
	Data []byte
}

// FilesOf returns the files of the given kind, in submission order.
func (e *Evidence) FilesOf(kind FileKind) []EvidenceFile {
	var out []EvidenceFile
	for _, f := range e.Files {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// DocumentReading is what was read off an identity document.
type DocumentReading struct {
	// Type is what the document was recognised as: passport, id_card,
	// driver_license, or a refused kind such as household_register.
	Type string `json:"type"`
	// Corners are the document's corners in the photo, clockwise from top left.
	Corners [][2]float64 `json:"corners,omitempty"`
	// Fields are the values read, keyed like PersonalData's JSON names, plus
	// date_of_expiry.
	Fields map[string]string `json:"fields,omitempty"`
	// MRZ holds the machine-readable zone's lines after correction.
	MRZ []string `json:"mrz,omitempty"`
	// Portrait is the holder's photo cut from the document, PNG-encoded.
	Portrait []byte `json:"-"`
}

// Check is one automatic verification step. It appends findings for what it
// finds wrong; an error means the check could not run (the job retries), not
// that the applicant failed.
type Check interface {
	// Name is short and stable: it prefixes the check's metrics.
	Name() string
	Run(ctx context.Context, ev *Evidence) ([]Finding, error)
}
