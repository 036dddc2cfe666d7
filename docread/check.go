package docread

import (
	"context"
	"errors"
	"fmt"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/docclass"
	"github.com/kycgate/kycgate/imageio"
)

// Check is the kycgate.Check named "document": it reads the submission's
// document_front and document_back files, fills ev.Document and reports the
// id_document findings, then compares the declared data and the expiry.
type Check struct {
	Reader *Reader
}

// NewCheck returns the document check with the production Reader.
func NewCheck() (*Check, error) {
	r, err := New()
	if err != nil {
		return nil, err
	}
	return &Check{Reader: r}, nil
}

// Name implements kycgate.Check.
func (c *Check) Name() string { return "document" }

// Run implements kycgate.Check. Undecodable files give IMAGE_INVALID or
// IMAGE_TOO_LARGE findings (the applicant must upload again); only
// failures of the machinery (OCR not loading) are errors.
func (c *Check) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	files := append(ev.FilesOf(kycgate.FileDocumentFront), ev.FilesOf(kycgate.FileDocumentBack)...)
	if len(files) == 0 {
		return nil, nil
	}
	var findings []kycgate.Finding
	var faces []*face
	for _, file := range files {
		img, _, err := imageio.DecodeBytes(file.Data, imageio.DefaultLimits())
		if err != nil {
			var ke *kycgate.Error
			if errors.As(err, &ke) {
				findings = append(findings, kycgate.Finding{Code: kycgate.ReasonCode(ke.Code), Step: kycgate.StepIDDocument,
					Detail: string(file.Kind) + ": " + ke.Message})
				continue
			}
			return nil, fmt.Errorf("document: decode %s: %w", file.Kind, err)
		}
		f, err := c.Reader.readFace(ctx, img)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			findings = append(findings, kycgate.Finding{Code: kycgate.DocumentUnreadable, Step: kycgate.StepIDDocument,
				Detail: string(file.Kind) + ": " + err.Error()})
			continue
		}
		faces = append(faces, f)
	}
	if len(faces) == 0 {
		return withoutPhotoConsequences(ev, findings, ""), nil
	}
	declaredType := ""
	if ev.Declared != nil {
		declaredType = ev.Declared.DocumentType
	}
	res := combine(faces, declaredType)
	findings = append(findings, res.findings...)
	ev.Document = res.reading
	if ev.Metrics == nil {
		ev.Metrics = map[string]float64{}
	}
	for _, f := range faces {
		ev.Metrics["document.classification_score"] = f.Class.Score
		if f.OCRConfidence > 0 {
			ev.Metrics["document.ocr_confidence"] = f.OCRConfidence
		}
	}
	ev.Metrics["document.fields_read"] = float64(len(res.reading.Fields))
	findings = append(findings, c.Reader.afterReading(res, ev.Declared, ev.Now)...)
	return withoutPhotoConsequences(ev, findings, res.reading.Type), nil
}

// withoutPhotoConsequences drops what follows from a photo an earlier check
// already reported as blurred, glaring, cut or not found: the document is
// unreadable, or nothing recognisable is on it. The photo's finding says
// how to retake it; "not an accepted document" would send the applicant
// looking for another document.
func withoutPhotoConsequences(ev *kycgate.Evidence, fs []kycgate.Finding, readType string) []kycgate.Finding {
	if !ev.PhotoProblem(kycgate.StepIDDocument) {
		return fs
	}
	var out []kycgate.Finding
	for _, f := range fs {
		unrecognised := f.Code == kycgate.DocumentTypeNotAccepted && readType == string(docclass.Other)
		if f.Code == kycgate.DocumentUnreadable || unrecognised {
			continue
		}
		out = append(out, f)
	}
	return out
}

func accepted(r *kycgate.DocumentReading) bool {
	switch r.Type {
	case kycgate.DocPassport, kycgate.DocIDCard, kycgate.DocDriverLicense:
		return true
	}
	return false
}

var _ kycgate.Check = (*Check)(nil)
