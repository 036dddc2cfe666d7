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

// TestDetectSSDBorder checks the bordered pass on real photos: on a clean
// portrait it boxes the same face as the plain pass (the border is mapped
// back to image coordinates), and on a tight masked selfie that the plain
// pass scores below face-api.js's 0.5 the border lifts it above (the case it
// is for, docs/selfie.md).
func TestDetectSSDBorder(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	t.Run("same face", func(t *testing.T) {
		img := loadImage(t, filepath.Join(shared, "faces/face_recognition/obama.jpg"))
		plain, framed := m.DetectSSD(img, 0.5), m.DetectSSDBorder(img, 0.3, 0.5)
		if len(plain) == 0 || len(framed) == 0 {
			t.Fatalf("no face: plain %v, bordered %v", plain, framed)
		}
		if iou := plain[0].Rect.IoU(framed[0].Rect); iou < 0.6 {
			t.Errorf("bordered box %v, plain %v: IoU %.2f, want >= 0.6", framed[0].Rect, plain[0].Rect, iou)
		}
	})
	t.Run("tight masked selfie", func(t *testing.T) {
		img := loadImage(t, filepath.Join(shared, "occlusion/face_mask_detection/0502.png"))
		plain, framed := m.DetectSSD(img, 0.05), m.DetectSSDBorder(img, 0.3, 0.05)
		if len(plain) == 0 || len(framed) == 0 {
			t.Fatalf("no candidate: plain %v, bordered %v", plain, framed)
		}
		if plain[0].Score >= 0.5 || framed[0].Score < 0.5 {
			t.Errorf("score plain %.2f, bordered %.2f: want below / above 0.5", plain[0].Score, framed[0].Score)
		}
	})
}

// TestLandmarksCentred checks that on a clean face the centred crops give
// the points Landmarks gives from pigo's box, at every scale: within 0.1 of
// the interocular distance at the eyes, nose tip and chin.
func TestLandmarksCentred(t *testing.T) {
	m := testModels(t)
	img := loadImage(t, filepath.Join(sharedTestdata(t), "faces/face_recognition/obama.jpg"))
	boxes, ssd := Detect(img), m.DetectSSD(img, 0.5)
	if len(boxes) == 0 || len(ssd) == 0 {
		t.Fatal("no face")
	}
	ref, err := m.Landmarks(img, boxes[0])
	if err != nil {
		t.Fatal(err)
	}
	scales := []float64{1.0, 1.2, 1.4}
	got, err := m.LandmarksCentred(img, ssd[0], scales...)
	if err != nil || len(got) != len(scales) {
		t.Fatalf("got %d landmark sets, err %v", len(got), err)
	}
	iod := ref.EyeDistance()
	for i, lm := range got {
		for _, p := range []struct {
			name      string
			ref, have Point
		}{
			{"right eye", ref.LeftEye(), lm.LeftEye()},
			{"left eye", ref.RightEye(), lm.RightEye()},
			{"nose tip", ref[30], lm[30]},
			{"chin", ref[8], lm[8]},
		} {
			if d := math.Hypot(p.have.X-p.ref.X, p.have.Y-p.ref.Y) / iod; d > 0.1 {
				t.Errorf("scale %.1f: %s %.2f IOD from Landmarks'", scales[i], p.name, d)
			}
		}
	}
	if _, err := m.LandmarksCentred(img, Box{}, 1); err == nil {
		t.Error("empty box: no error")
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
