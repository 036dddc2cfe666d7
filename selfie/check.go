package selfie

import (
	"context"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/imageio"
)

// AnalyzeFile decodes an uploaded selfie (any format imageio accepts, EXIF
// orientation applied) and analyses it; the CLI's `kycgate face` prints the
// report. A file that is not an image is an error with code IMAGE_INVALID or
// IMAGE_TOO_LARGE.
func AnalyzeFile(data []byte, models *face.Models) (Report, error) {
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	if err != nil {
		return Report{}, err
	}
	return Analyze(img, models, DefaultConfig()), nil
}

// Check is the selfie-quality check of the verification pipeline.
type Check struct {
	Models *face.Models
	Config Config
}

// NewCheck returns a Check with DefaultConfig.
func NewCheck(models *face.Models) *Check { return &Check{Models: models, Config: DefaultConfig()} }

// Name implements kycgate.Check.
func (c *Check) Name() string { return "selfie" }

// Run analyses every selfie file of the submission. An undecodable file is
// an IMAGE_INVALID / IMAGE_TOO_LARGE finding on the selfie step, not an
// error: the applicant must send another photo.
func (c *Check) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	var out []kycgate.Finding
	for _, f := range ev.FilesOf(kycgate.FileSelfie) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img, _, err := imageio.DecodeBytes(f.Data, imageio.DefaultLimits())
		if err != nil {
			code := kycgate.ErrorCode(err)
			if code == "" {
				code = string(kycgate.ImageInvalid)
			}
			out = append(out, kycgate.Finding{Code: kycgate.ReasonCode(code), Step: kycgate.StepSelfie})
			continue
		}
		rep := Analyze(img, c.Models, c.Config)
		if ev.Metrics != nil {
			for k, v := range rep.Metrics {
				ev.Metrics["selfie."+k] = v
			}
		}
		out = append(out, rep.Findings...)
	}
	return out, nil
}
