package face

import (
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// tinyFaceReference is the output of testdata/tinyface/reference.mjs: what
// face-api.js's own TinyFaceDetector computes for whole images.
type tinyFaceReference struct {
	Images []struct {
		Name       string         `json:"name"`
		Width      int            `json:"width"`
		Height     int            `json:"height"`
		InputSize  int            `json:"inputSize"`
		Shape      []int          `json:"shape"`
		Output     []float64      `json:"output"`
		Detections []refDetection `json:"detections"`
	} `json:"images"`
}

// tinyFaceImages maps the names in reference.json to the shared images
// (face-api.js's own examples, MIT).
var tinyFaceImages = map[string]string{
	"bbt1":             "faces/face-api-js/test_images/bbt1.jpg",
	"face_rectangular": "faces/face-api-js/test_images/face_rectangular.png",
	"amy1":             "faces/face-api-js/identities/amy/amy1.png",
}

// TestTinyFaceMatchesFaceAPI checks the detector against face-api.js: the
// same input (zero padding after the image to a square, tfjs bilinear
// resize) must give the same raw outputs within 1e-4, and decoding them the
// same detections.
func TestTinyFaceMatchesFaceAPI(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	var ref tinyFaceReference
	readReference(t, "tinyface", &ref)
	if len(ref.Images) != len(tinyFaceImages) {
		t.Fatalf("reference has %d images, want %d", len(ref.Images), len(tinyFaceImages))
	}
	const tol = 1e-4
	for _, r := range ref.Images {
		t.Run(r.Name, func(t *testing.T) {
			img := referenceImage(t, filepath.Join(shared, tinyFaceImages[r.Name]), r.Width, r.Height)
			out := m.detector.forward(tfjsInput(padAfter(img), r.InputSize), r.InputSize)
			if got := []int{1, out.H, out.W, out.C}; len(r.Shape) != 4 || got[1] != r.Shape[1] || got[2] != r.Shape[2] || got[3] != r.Shape[3] {
				t.Fatalf("output shape %v, reference %v", got, r.Shape)
			}
			if d := maxAbsDiff(out.D, r.Output); d > tol {
				t.Errorf("raw output differs from face-api.js by %g (> %g)", d, tol)
			} else {
				t.Logf("raw output max |diff| %.2g", d)
			}
			side := float64(max(img.W, img.H))
			// face-api.js rounds the image's size in the input square to
			// whole pixels before scaling boxes back (its
			// computeReshapedDimensions), which stretches a non-square
			// image's boxes slightly; the Go boxes are exact.
			compareDetections(t, decodeTinyFace(out, side, 0.3), r.Detections, img, r.InputSize, tol)
		})
	}
}

// refDetection is a detection face-api.js returned: score and box (x0, y0,
// x1, y1) in its reshaped image coordinates.
type refDetection struct {
	Score float64    `json:"score"`
	Box   [4]float64 `json:"box"`
}

// compareDetections holds decoded detections to face-api.js's, after its
// scaling of boxes to the reshaped image (reshapeFactor).
func compareDetections(t *testing.T, dets []Box, want []refDetection, img *rgbImage, inputSize int, tol float64) {
	t.Helper()
	if len(dets) != len(want) {
		t.Fatalf("%d detections, face-api.js %d", len(dets), len(want))
	}
	side := float64(max(img.W, img.H))
	sx := reshapeFactor(img.W, side, inputSize)
	sy := reshapeFactor(img.H, side, inputSize)
	for i, d := range dets {
		got := [4]float64{d.Rect.X0 * sx, d.Rect.Y0 * sy, d.Rect.X1 * sx, d.Rect.Y1 * sy}
		for k := range got {
			if math.Abs(got[k]-want[i].Box[k]) > tol*side {
				t.Errorf("detection %d box %v, face-api.js %v", i, got, want[i].Box)
				break
			}
		}
		if math.Abs(d.Score-want[i].Score) > tol {
			t.Errorf("detection %d score %g, face-api.js %g", i, d.Score, want[i].Score)
		}
	}
}

// padAfter is face-api.js's padToSquare without centring: zeros after the
// image on its shorter side.
func padAfter(m *rgbImage) *rgbImage {
	side := max(m.W, m.H)
	out := &rgbImage{W: side, H: side, Pix: make([]uint8, side*side*3)}
	for y := 0; y < m.H; y++ {
		copy(out.Pix[y*side*3:], m.Pix[y*m.W*3:(y+1)*m.W*3])
	}
	return out
}

// reshapeFactor is how much face-api.js's rounding of an image side of n
// pixels (the longer one being side) in an input of size pixels scales its
// box coordinates.
func reshapeFactor(n int, side float64, size int) float64 {
	scaled := math.Round(float64(n) * float64(size) / side)
	return float64(size) / scaled * float64(n) / side
}

// BenchmarkDetectCNN is the TinyFaceDetector on a selfie-sized photo at
// the input sizes considered (docs/selfie.md).
func BenchmarkDetectCNN(b *testing.B) {
	m := testModels(b)
	img := toRGB(loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg")))
	for _, size := range []int{160, 224, 320, 416} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m.detectCNNMargin(img, size, 0, 0.5)
			}
		})
	}
}

// TestDetectorSweep compares pigo, the CNN detectors and pigo with the CNNs
// as fallback on the labelled boxes (the numbers in docs/selfie.md). It
// takes minutes on a loaded machine, so it runs only with
// KYCGATE_DETECT_SWEEP=1.
func TestDetectorSweep(t *testing.T) {
	if os.Getenv("KYCGATE_DETECT_SWEEP") == "" {
		t.Skip("set KYCGATE_DETECT_SWEEP=1 to run the detector comparison")
	}
	m := testModels(t)
	shared := sharedTestdata(t)
	orPigo := func(cnn func(image.Image) []Box) func(image.Image) []Box {
		return func(img image.Image) []Box {
			if b := Detect(img); len(b) > 0 {
				return b
			}
			return cnn(img)
		}
	}
	tiny := func(size int, minScore float64) func(image.Image) []Box {
		return func(img image.Image) []Box { return m.detectCNNMargin(toRGB(img), size, 0, minScore) }
	}
	ssd := func(img image.Image) []Box { return m.DetectSSD(img, 0.5) }
	detectors := []struct {
		name   string
		detect func(image.Image) []Box
	}{
		{"pigo", Detect},
		{"tiny 224 >0.5", tiny(224, 0.5)},
		{"tiny 416 >0.5", tiny(416, 0.5)},
		{"ssd >0.5", ssd},
		{"pigo, else tiny 224 >0.3", orPigo(tiny(224, 0.3))},
		{"pigo, else tiny 224 >0.5", orPigo(tiny(224, 0.5))},
		{"pigo, else tiny 416 >0.5", orPigo(tiny(416, 0.5))},
		{"pigo, else DetectCNN >0.5 (cascadeThenCNN)", m.cascadeThenCNN},
	}
	for _, d := range detectors {
		rep, err := evaluateDetection(shared, EvalOptions{}, d.detect)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-24s recall %.3f (%d/%d) false positives %d, on no-face images %d",
			d.name, rep.Recall(), rep.Found, rep.Faces, rep.FalsePositives, rep.NoFaceFalse)
	}
}
