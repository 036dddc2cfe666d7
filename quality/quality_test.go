package quality

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/internal/testenv"
	"github.com/kycgate/kycgate/synth"
)

// testDoc renders one synthetic ID card once per test binary.
var testDoc = sync.OnceValues(func() (*synth.Document, error) {
	rng := rand.New(rand.NewSource(3))
	return synth.Render(synth.IDCard, synth.RandomIdentity(rng, synth.IDCard), synth.Options{})
})

// photo photographs the test card with a clean camera changed by edit.
func photo(t testing.TB, seed int64, edit func(*synth.Camera)) (*image.RGBA, [4][2]float64) {
	t.Helper()
	doc, err := testDoc()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(seed))
	cam := synth.RandomCamera(rng)
	cam.Width, cam.Height = 1600, 1200
	cam.Scale, cam.Rotation, cam.TiltX, cam.TiltY = 0.7, 4, 5, -5
	cam.OffsetX, cam.OffsetY = 0, 0
	cam.Exposure, cam.DefocusSigma, cam.MotionLength = 1, 0.3, 0
	if edit != nil {
		edit(&cam)
	}
	img, corners, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		t.Fatal(err)
	}
	return img, corners
}

func codes(fs []kycgate.Finding) []kycgate.ReasonCode {
	var out []kycgate.ReasonCode
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func hasCode(fs []kycgate.Finding, c kycgate.ReasonCode) *kycgate.Finding {
	for i := range fs {
		if fs[i].Code == c {
			return &fs[i]
		}
	}
	return nil
}

// TestMeasuresOnTrueCorners checks each measure on the document region
// given by the true corners, one defect at a time.
func TestMeasuresOnTrueCorners(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*synth.Camera)
		want   kycgate.ReasonCode // "" = no finding at all
		detail string
	}{
		{"clean", nil, "", ""},
		{"defocus", func(c *synth.Camera) { c.DefocusSigma = 3 }, kycgate.ImageBlurry, "defocus"},
		{"motion", func(c *synth.Camera) { c.MotionLength, c.MotionAngle = 14, 30 }, kycgate.ImageBlurry, "motion"},
		{"glare", func(c *synth.Camera) {
			c.GlareX, c.GlareY, c.GlareRadius, c.GlareStrength = 0.6, 0.4, 0.15, 0.9
		}, kycgate.ImageGlare, ""},
		{"overexposed", func(c *synth.Camera) { c.Exposure = 1.8 }, kycgate.ImageOverexposed, ""},
		{"underexposed", func(c *synth.Camera) { c.Exposure, c.Noise = 0.2, 4 }, kycgate.ImageUnderexposed, ""},
		{"low resolution", func(c *synth.Camera) { c.Width, c.Height, c.Scale = 640, 480, 0.7 }, kycgate.ImageLowResolution, ""},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, corners := photo(t, int64(i), tc.edit)
			a, err := AssessRegion(img, corners, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(a.Findings) != 0 {
					t.Fatalf("clean photo got %v (metrics %s)", codes(a.Findings), keyMetrics(a.Metrics))
				}
				return
			}
			f := hasCode(a.Findings, tc.want)
			if f == nil {
				t.Fatalf("want %s, got %v (metrics %s)", tc.want, codes(a.Findings), keyMetrics(a.Metrics))
			}
			if len(a.Findings) != 1 {
				t.Errorf("want only %s, got %v", tc.want, codes(a.Findings))
			}
			if tc.detail != "" && f.Detail != tc.detail {
				t.Errorf("detail = %q, want %q", f.Detail, tc.detail)
			}
			if _, ok := f.Metrics[MetricThreshold]; !ok || len(f.Metrics) != 2 {
				t.Errorf("finding metrics %v lack the metric and its threshold", f.Metrics)
			}
		})
	}
}

// TestBlurWidthGrowsWithBlur checks the blur measure is monotone in the
// defocus applied, on the same document and framing.
func TestBlurWidthGrowsWithBlur(t *testing.T) {
	prev := 0.0
	for _, sigma := range []float64{0.3, 1.2, 2.5, 4} {
		img, corners := photo(t, 11, func(c *synth.Camera) { c.DefocusSigma = sigma })
		a, err := AssessRegion(img, corners, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w := a.Metrics[MetricBlurWidthMax]
		if w <= prev {
			t.Errorf("sigma %.1f: edge width %.2f not above %.2f", sigma, w, prev)
		}
		prev = w
	}
}

// TestBlurScaleInvariant photographs the same card at two resolutions: the
// measure, taken at the normalised width, must agree within 20 %.
func TestBlurScaleInvariant(t *testing.T) {
	small, cs := photo(t, 5, func(c *synth.Camera) { c.Width, c.Height = 1600, 1200 })
	big, cb := photo(t, 5, func(c *synth.Camera) { c.Width, c.Height = 3200, 2400; c.FocalLength = 0 })
	as, err := AssessRegion(small, cs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ab, err := AssessRegion(big, cb, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ws, wb := as.Metrics[MetricBlurWidth], ab.Metrics[MetricBlurWidth]
	if r := ws / wb; r < 0.8 || r > 1.25 {
		t.Errorf("edge width %.2f at 1600 px vs %.2f at 3200 px", ws, wb)
	}
}

// TestAssessLocates runs the whole path (docloc included) on photos with
// and without a document.
func TestAssessLocates(t *testing.T) {
	img, truth := photo(t, 21, nil)
	a, err := Assess(img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Document.Found {
		t.Fatalf("document not found: %v", codes(a.Findings))
	}
	for i := range truth {
		if d := dist(a.Document.Corners[i], truth[i]); d > 20 {
			t.Errorf("corner %d off by %.1f px", i, d)
		}
	}
	if len(a.Findings) != 0 {
		t.Errorf("clean photo got %v", codes(a.Findings))
	}

	rng := rand.New(rand.NewSource(4))
	cam := synth.RandomCamera(rng)
	cam.Background = synth.BgDesk
	empty, err := synth.PhotographEmpty(cam, rng)
	if err != nil {
		t.Fatal(err)
	}
	a, err = Assess(empty, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if hasCode(a.Findings, kycgate.DocumentNotFound) == nil {
		t.Errorf("empty desk: got %v, want DOCUMENT_NOT_FOUND", codes(a.Findings))
	}

	tiny := image.NewGray(image.Rect(0, 0, 16, 16))
	a, err = Assess(tiny, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if hasCode(a.Findings, kycgate.DocumentNotFound) == nil || hasCode(a.Findings, kycgate.ImageLowResolution) == nil {
		t.Errorf("16×16 image: got %v", codes(a.Findings))
	}
}

func dist(a, b [2]float64) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return sqrt(dx*dx + dy*dy)
}

// TestRealBlurPhotos checks the blur measure on real camera photos: every
// sharp one passes, every defocused or motion-blurred one is caught.
func TestRealBlurPhotos(t *testing.T) {
	td := FindSharedTestdata()
	if td == "" {
		t.Skip("../shared/testdata not found")
	}
	samples, err := RealSamples(td)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range samples {
		if !strings.HasPrefix(s.Class, "real-") || s.Class == "real-dark" {
			continue
		}
		n++
		a, err := AssessRegion(s.Image, *s.Region, Options{})
		if err != nil {
			t.Fatal(err)
		}
		blurry := hasCode(a.Findings, kycgate.ImageBlurry) != nil
		if blurry != !s.Clean() {
			t.Errorf("%s (%s): blurry=%v, edge width %.2f", s.Name, s.Class, blurry, a.Metrics[MetricBlurWidthMax])
		}
	}
	if n < 9 {
		t.Errorf("only %d blur photos found", n)
	}
}

// TestRealDarkPhotos: the real underexposed phone photos are reported.
func TestRealDarkPhotos(t *testing.T) {
	td := FindSharedTestdata()
	if td == "" {
		t.Skip("../shared/testdata not found")
	}
	samples, err := RealSamples(td)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		if s.Class != "real-dark" {
			continue
		}
		a, err := AssessRegion(s.Image, *s.Region, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if hasCode(a.Findings, kycgate.ImageUnderexposed) == nil {
			t.Errorf("%s: got %v, mean %.1f", s.Name, codes(a.Findings), a.Metrics[MetricMean])
		}
	}
}

func TestDocumentCheck(t *testing.T) {
	img, _ := photo(t, 31, nil)
	var good bytes.Buffer
	if err := jpeg.Encode(&good, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	blurImg, _ := photo(t, 32, func(c *synth.Camera) { c.DefocusSigma = 4 })
	var blurry bytes.Buffer
	if err := jpeg.Encode(&blurry, blurImg, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	ev := &kycgate.Evidence{Files: []kycgate.EvidenceFile{
		{File: kycgate.File{Step: kycgate.StepIDDocument, Kind: kycgate.FileDocumentFront}, Data: good.Bytes()},
		{File: kycgate.File{Step: kycgate.StepIDDocument, Kind: kycgate.FileDocumentBack}, Data: blurry.Bytes()},
		{File: kycgate.File{Step: kycgate.StepIDDocument, Kind: kycgate.FileDocumentBack}, Data: heic},
		{File: kycgate.File{Step: kycgate.StepSelfie, Kind: kycgate.FileSelfie}, Data: []byte("not looked at")},
	}}
	var check kycgate.Check = DocumentCheck{}
	if check.Name() != "quality" {
		t.Errorf("Name = %q", check.Name())
	}
	fs, err := check.Run(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	got := codes(fs)
	if len(got) != 2 || hasCode(fs, kycgate.ImageBlurry) == nil || hasCode(fs, kycgate.ImageInvalid) == nil {
		t.Errorf("findings %v, want IMAGE_BLURRY (back) and IMAGE_INVALID (HEIC)", got)
	}
	for _, f := range fs {
		if f.Step != kycgate.StepIDDocument {
			t.Errorf("finding %s has step %q", f.Code, f.Step)
		}
	}
	if ev.Document == nil || len(ev.Document.Corners) != 4 {
		t.Fatalf("document corners not recorded: %+v", ev.Document)
	}
	if _, ok := ev.Metrics["quality.document_front."+MetricBlurWidthMax]; !ok {
		t.Errorf("metrics not recorded: %v", ev.Metrics)
	}
	if _, ok := ev.Metrics["quality.document_back."+MetricBlurWidthMax]; !ok {
		t.Errorf("back metrics not recorded")
	}
}

// TestBuildsForWebAssembly proves the package stays pure Go for the capture
// page.
func TestBuildsForWebAssembly(t *testing.T) { testenv.BuildsForWebAssembly(t) }

func FuzzAssessRegion(f *testing.F) {
	f.Add(uint8(40), uint8(30), 0.0, 0.0, 40.0, 0.0, 40.0, 30.0, 0.0, 30.0)
	f.Add(uint8(41), uint8(30), 2.0, 1.0, 39.0, 0.0, 40.0, 29.0, 0.0, 30.0)
	f.Add(uint8(8), uint8(8), -1e6, 5.0, 1e6, 5.0, 3.0, 3.0, 3.0, 3.0)
	f.Fuzz(func(t *testing.T, w, h uint8, x0, y0, x1, y1, x2, y2, x3, y3 float64) {
		if w == 0 || h == 0 {
			return
		}
		// Odd widths exercise the JPEG (YCbCr) path, even ones RGBA.
		var img image.Image
		if w%2 == 1 {
			m := image.NewYCbCr(image.Rect(0, 0, int(w), int(h)), image.YCbCrSubsampleRatio420)
			for i := range m.Y {
				m.Y[i] = uint8(i * 31)
			}
			img = m
		} else {
			m := image.NewRGBA(image.Rect(0, 0, int(w), int(h)))
			for i := range m.Pix {
				m.Pix[i] = uint8(i * 31)
			}
			img = m
		}
		c := [4][2]float64{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}}
		a, err := AssessRegion(img, c, Options{NormWidth: 64})
		if err == nil && a.Metrics == nil {
			t.Fatal("no metrics")
		}
	})
}

// TestCutDocumentLongSide checks the long side estimated for a document
// cut off at one side: the whole extent along the cut, when it is the
// shorter, is an ID-1 card's short side.
func TestCutDocumentLongSide(t *testing.T) {
	// A 700 × 440 px card whose right side the frame cuts at x = 560.
	rightCut := [4][2]float64{{0, 0}, {560, 0}, {560, 440}, {0, 440}}
	// The same card cut at its bottom: 700 wide, 300 of its height seen.
	bottomCut := [4][2]float64{{0, 0}, {700, 0}, {700, 300}, {0, 300}}
	// A card in portrait, 440 × 700, cut at the right at x = 300: the
	// whole extent (700) is the long side already.
	portraitCut := [4][2]float64{{0, 0}, {300, 0}, {300, 700}, {0, 700}}
	for _, tc := range []struct {
		name    string
		corners [4][2]float64
		missing []int
		want    float64
		ok      bool
	}{
		{"right side cut", rightCut, []int{1, 2}, 440 * id1Aspect, true},
		{"right side cut, corners listed the other way", rightCut, []int{2, 1}, 440 * id1Aspect, true},
		{"bottom side cut", bottomCut, []int{2, 3}, 0, false},
		{"portrait card cut at the side", portraitCut, []int{1, 2}, 0, false},
		{"one corner, extrapolated", rightCut, []int{1}, 0, false},
		{"opposite corners", rightCut, []int{0, 2}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := cutDocumentLongSide(tc.corners, tc.missing)
			if ok != tc.ok || math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("cutDocumentLongSide = %.1f, %v; want %.1f, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestAssessCutDocumentResolution checks a card pushed out of the frame at
// its right side: only its left part is seen, fewer than 640 px long,
// but its whole height shows a card of pixels enough, so only the missing
// corners are reported; the same card photographed smaller is also too
// small.
func TestAssessCutDocumentResolution(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scale  float64
		lowRes bool
	}{
		{"card of 700 px cut at the side", 0.7, false},
		{"card of 450 px cut at the side", 0.45, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, truth := photo(t, 5, func(c *synth.Camera) {
				c.Width, c.Height = 1000, 750
				c.Scale, c.Rotation, c.TiltX, c.TiltY = tc.scale, 0, 0, 0
				c.CutCorner, c.CutDepth = 2, 0.15
			})
			a, err := Assess(img, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tw, th := quadSize(truth)
			t.Logf("document %.0f × %.0f px, seen %.0f px long, estimated %.0f: %v", tw, th, a.Metrics[MetricDocumentPx], a.Metrics[MetricDocumentPxCut], codes(a.Findings))
			if hasCode(a.Findings, kycgate.DocumentCornersMissing) == nil {
				t.Fatalf("got %v, want DOCUMENT_CORNERS_MISSING", codes(a.Findings))
			}
			if got := hasCode(a.Findings, kycgate.ImageLowResolution) != nil; got != tc.lowRes {
				t.Errorf("IMAGE_LOW_RESOLUTION %v, want %v", got, tc.lowRes)
			}
		})
	}
}
