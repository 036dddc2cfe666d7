package quality

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
)

// DocumentCheck is the kycgate.Check that assesses every document image of a
// submission (kinds document_front and document_back). It decodes each file
// safely (imageio), turns undecodable or oversized files into IMAGE_INVALID
// / IMAGE_TOO_LARGE findings, runs Assess, stores the front's corners in
// ev.Document.Corners and every metric in ev.Metrics as
// "quality.<kind>.<metric>".
type DocumentCheck struct {
	// Limits bound decoding; the zero value means imageio.DefaultLimits().
	Limits imageio.Limits
	// Options are passed to Assess.
	Options Options
}

// Name implements kycgate.Check.
func (DocumentCheck) Name() string { return "quality" }

// Run implements kycgate.Check.
func (c DocumentCheck) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	lim := c.Limits
	if lim == (imageio.Limits{}) {
		lim = imageio.DefaultLimits()
	}
	if ev.Metrics == nil {
		ev.Metrics = map[string]float64{}
	}
	var out []kycgate.Finding
	for _, kind := range []kycgate.FileKind{kycgate.FileDocumentFront, kycgate.FileDocumentBack} {
		for i, f := range ev.FilesOf(kind) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			opt := c.Options
			if opt.Step == "" {
				opt.Step = f.Step
			}
			if opt.Step == "" {
				opt.Step = kycgate.StepIDDocument
			}
			img, _, err := imageio.Decode(bytes.NewReader(f.Data), lim)
			if err != nil {
				var ke *kycgate.Error
				if !errors.As(err, &ke) {
					return nil, fmt.Errorf("decoding %s: %w", kind, err)
				}
				out = append(out, kycgate.Finding{Code: kycgate.ReasonCode(ke.Code), Step: opt.Step, Detail: ke.Message})
				continue
			}
			a, err := Assess(img, opt)
			if err != nil {
				var ke *kycgate.Error
				if errors.As(err, &ke) {
					out = append(out, kycgate.Finding{Code: kycgate.ReasonCode(ke.Code), Step: opt.Step, Detail: ke.Message})
					continue
				}
				return nil, fmt.Errorf("assessing %s: %w", kind, err)
			}
			prefix := "quality." + string(kind) + "."
			if i > 0 {
				prefix = fmt.Sprintf("quality.%s.%d.", kind, i)
			}
			for k, v := range a.Metrics {
				ev.Metrics[prefix+k] = v
			}
			if kind == kycgate.FileDocumentFront && i == 0 && a.Document.Found {
				if ev.Document == nil {
					ev.Document = &kycgate.DocumentReading{}
				}
				ev.Document.Corners = make([][2]float64, 4)
				copy(ev.Document.Corners, a.Document.Corners[:])
			}
			out = append(out, a.Findings...)
		}
	}
	return out, nil
}

var _ kycgate.Check = DocumentCheck{}
