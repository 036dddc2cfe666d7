package face

import (
	"math"
	"path/filepath"
	"testing"
)

// ssdReference is the output of testdata/ssd/reference.mjs.
type ssdReference struct {
	Images []struct {
		Name   string    `json:"name"`
		Width  int       `json:"width"`
		Height int       `json:"height"`
		Scores []float64 `json:"scores"`
		Priors []struct {
			Index int        `json:"index"`
			Box   [4]float64 `json:"box"`
		} `json:"priors"`
		Detections []refDetection `json:"detections"`
	} `json:"images"`
}

// TestSSDMatchesFaceAPI checks SsdMobilenetv1 against face-api.js on the
// same input (zero padding after the image, tfjs bilinear resize to 512):
// every prior's face probability and the decoded boxes of the likely ones
// within 1e-4, and the same detections.
func TestSSDMatchesFaceAPI(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	var ref ssdReference
	readReference(t, "ssd", &ref)
	if len(ref.Images) == 0 {
		t.Fatal("reference has no images")
	}
	const tol = 1e-4
	for _, r := range ref.Images {
		t.Run(r.Name, func(t *testing.T) {
			img := referenceImage(t, filepath.Join(shared, tinyFaceImages[r.Name]), r.Width, r.Height)
			boxes, scores := m.ssd.forward(tfjsInput(padAfter(img), ssdInput))
			if d := maxAbsDiff(scores, r.Scores); d > tol {
				t.Errorf("scores differ from face-api.js by %g (> %g)", d, tol)
			} else {
				t.Logf("scores max |diff| %.2g", d)
			}
			worst := 0.0
			for _, p := range r.Priors {
				worst = math.Max(worst, maxAbsDiff(boxes[4*p.Index:4*p.Index+4], p.Box[:]))
			}
			if worst > tol {
				t.Errorf("boxes of the %d likely priors differ by %g (> %g)", len(r.Priors), worst, tol)
			} else {
				t.Logf("boxes max |diff| %.2g", worst)
			}
			side := float64(max(img.W, img.H))
			compareDetections(t, decodeSSD(boxes, scores, side, 0.3), r.Detections, img, ssdInput, tol)
		})
	}
}

// BenchmarkDetectSSD is SsdMobilenetv1 on a selfie-sized photo.
func BenchmarkDetectSSD(b *testing.B) {
	m := testModels(b)
	img := loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg"))
	for i := 0; i < b.N; i++ {
		m.DetectSSD(img, 0.5)
	}
}
