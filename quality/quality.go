// Package quality measures whether a photo of an identity document is good
// enough to read: sharp (IMAGE_BLURRY), free of specular glare
// (IMAGE_GLARE), correctly exposed (IMAGE_OVEREXPOSED, IMAGE_UNDEREXPOSED)
// and large enough (IMAGE_LOW_RESOLUTION). Every measure is taken on the
// document region only — located, then rectified to a fixed scale — so a
// bright table or a blurred background does not decide the outcome, and one
// threshold holds whatever the camera resolution.
//
// The package is pure Go and builds for GOOS=js GOARCH=wasm, so the capture
// page can run the same checks in the browser before upload.
package quality

import (
	"math"

	"github.com/kycgate/kycgate"
)

// Thresholds decide when a measure becomes a finding. docs/quality.md gives
// the reason for each default.
type Thresholds struct {
	// BlurWidth is the largest accepted edge width (10–90 % rise, pixels at
	// the normalised document width) in the worst edge orientation.
	BlurWidth float64
	// MotionAnisotropy separates motion blur from defocus in the finding's
	// detail: widest/narrowest orientation width above it is "motion".
	MotionAnisotropy float64
	// GlareFraction is the largest accepted share of the document covered
	// by specular blobs.
	GlareFraction float64
	// OverClipped is the largest accepted share of clipped (≥ 250) pixels.
	OverClipped float64
	// OverMedian is the largest accepted median luminance.
	OverMedian float64
	// OverSpread is the smallest share of clipped pixels in every cell of
	// a 3×3 grid for clipping to count as overexposure rather than glare.
	OverSpread float64
	// UnderP98 is the smallest accepted 98th-percentile luminance: the
	// document's paper must reach it.
	UnderP98 float64
	// UnderMean is the smallest accepted mean luminance.
	UnderMean float64
	// MinSNR is the smallest accepted tonal range in noise units
	// ((P98 − P02) / σ): dark photos pushed bright by the phone are noisy.
	MinSNR float64
	// MinDocumentPx is the smallest accepted length of the document's long
	// side in the photo, in pixels.
	MinDocumentPx float64
}

// DefaultThresholds returns the thresholds calibrated in docs/quality.md.
func DefaultThresholds() Thresholds {
	return Thresholds{
		BlurWidth:        4.3,
		MotionAnisotropy: 1.6,
		GlareFraction:    0.01,
		OverClipped:      0.4,
		OverMedian:       250,
		OverSpread:       0.15,
		UnderP98:         120,
		UnderMean:        60,
		MinSNR:           10,
		MinDocumentPx:    640,
	}
}

// Options configure Assess.
type Options struct {
	// NormWidth is the long side, in pixels, the document is rectified to
	// before measuring (default 1000). Smaller documents are measured at
	// their own size rather than enlarged.
	NormWidth int
	// Thresholds; the zero value means DefaultThresholds().
	Thresholds Thresholds
	// Step is the step findings belong to (default id_document).
	Step kycgate.StepName
}

func (o *Options) defaults() {
	if o.NormWidth <= 0 {
		o.NormWidth = 1000
	}
	if o.Thresholds == (Thresholds{}) {
		o.Thresholds = DefaultThresholds()
	}
	if o.Step == "" {
		o.Step = kycgate.StepIDDocument
	}
}

// Metric names, as they appear in Assessment.Metrics and in findings.
const (
	MetricBlurWidth      = "blur_edge_width"
	MetricBlurWidthMax   = "blur_edge_width_max"
	MetricBlurAnisotropy = "blur_anisotropy"
	MetricBlurEdges      = "blur_edges"
	MetricGlareFraction  = "glare_fraction"
	MetricGlareLargest   = "glare_largest_blob"
	MetricMean           = "exposure_mean"
	MetricP02            = "exposure_p02"
	MetricP50            = "exposure_p50"
	MetricP98            = "exposure_p98"
	MetricClippedHigh    = "exposure_clipped_high"
	MetricClippedLow     = "exposure_clipped_low"
	MetricClippedMinCell = "exposure_clipped_min_cell"
	MetricNoise          = "noise_sigma"
	MetricSNR            = "exposure_snr"
	MetricDocumentPx     = "document_px"
	// MetricDocumentPxCut is the long side estimated for a document cut
	// off at one side (cutDocumentLongSide), judged instead of document_px.
	MetricDocumentPxCut = "document_px_cut"
	MetricThreshold     = "threshold"
)

// measureDocument runs every measure on a rectified document (its
// luminance, and its colour saturation at half size) whose long side
// measured nativePx pixels in the photo, and returns the findings and
// metrics.
func measureDocument(full, sat *plane, nativePx float64, opt Options) ([]kycgate.Finding, map[string]float64) {
	t := opt.Thresholds
	m := map[string]float64{MetricDocumentPx: nativePx}
	// Skip a 3 % margin: localisation error and rounded corners put some
	// background there.
	mx, my := full.w*3/100, full.h*3/100
	lp := full.crop(mx, my, full.w-2*mx, full.h-2*my)

	ex := measureExposure(lp)
	m[MetricMean], m[MetricP02], m[MetricP50], m[MetricP98] = ex.Mean, ex.P02, ex.P50, ex.P98
	m[MetricClippedHigh], m[MetricClippedLow] = ex.ClippedHigh, ex.ClippedLow
	m[MetricNoise], m[MetricSNR] = ex.Noise, ex.SNR
	m[MetricClippedMinCell] = ex.ClippedMinCell

	gl := measureGlare(full, sat, ex)
	m[MetricGlareFraction], m[MetricGlareLargest] = gl.Fraction, gl.Largest

	bl := measureBlur(full)
	m[MetricBlurWidth], m[MetricBlurWidthMax] = bl.Width, bl.WidthMax
	m[MetricBlurAnisotropy], m[MetricBlurEdges] = bl.Anisotropy, float64(bl.Edges)

	var out []kycgate.Finding
	add := func(code kycgate.ReasonCode, detail, metric string, threshold float64) {
		out = append(out, kycgate.Finding{Code: code, Step: opt.Step, Detail: detail,
			Metrics: map[string]float64{metric: m[metric], MetricThreshold: threshold}})
	}
	if nativePx < t.MinDocumentPx {
		add(kycgate.ImageLowResolution, "", MetricDocumentPx, t.MinDocumentPx)
	}
	// Overexposure clips the whole document; a large glare on a light
	// card can clip as much, but leaves its far side intact.
	over := (ex.ClippedHigh > t.OverClipped || ex.P50 > t.OverMedian) && ex.ClippedMinCell >= t.OverSpread
	under := ex.P98 < t.UnderP98 || ex.Mean < t.UnderMean || (ex.Noise > 0 && ex.SNR < t.MinSNR)
	switch {
	case over:
		if ex.P50 > t.OverMedian {
			add(kycgate.ImageOverexposed, "", MetricP50, t.OverMedian)
		} else {
			add(kycgate.ImageOverexposed, "", MetricClippedHigh, t.OverClipped)
		}
	case under:
		switch {
		case ex.P98 < t.UnderP98:
			add(kycgate.ImageUnderexposed, "dark", MetricP98, t.UnderP98)
		case ex.Mean < t.UnderMean:
			add(kycgate.ImageUnderexposed, "dark", MetricMean, t.UnderMean)
		default:
			add(kycgate.ImageUnderexposed, "noisy", MetricSNR, t.MinSNR)
		}
	}
	if !over && gl.Fraction > t.GlareFraction {
		add(kycgate.ImageGlare, "", MetricGlareFraction, t.GlareFraction)
	}
	// Blur is judged only with enough edges to measure, and not on a badly
	// exposed document: noise and clipping distort edge profiles, and the
	// exposure is what the applicant must fix first.
	if !over && !under && bl.Edges >= 20 && bl.WidthMax > t.BlurWidth {
		detail := "defocus"
		if bl.Anisotropy > t.MotionAnisotropy {
			detail = "motion"
		}
		add(kycgate.ImageBlurry, detail, MetricBlurWidthMax, t.BlurWidth)
	}
	return out, m
}

// rectifiedSize returns the rectified size for a quad: its own aspect, the
// long side min(native, norm).
func rectifiedSize(corners [4][2]float64, norm int) (w, h int, nativePx float64) {
	qw, qh := quadSize(corners)
	nativePx = math.Max(qw, qh)
	long := math.Min(nativePx, float64(norm))
	s := long / nativePx
	w, h = int(math.Round(qw*s)), int(math.Round(qh*s))
	return max(w, 8), max(h, 8), nativePx
}
