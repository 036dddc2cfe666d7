package face

import (
	"math"
	"path/filepath"
	"testing"
)

// referenceFile is the output of testdata/reference/reference.mjs: what
// face-api.js's own JavaScript computes for whole images.
type referenceFile struct {
	Package string `json:"package"`
	Images  []struct {
		Name      string    `json:"name"`
		Width     int       `json:"width"`
		Height    int       `json:"height"`
		Landmarks []float64 `json:"landmarks"`
	} `json:"images"`
}

// referenceImages maps the names in reference.json to the shared images.
var referenceImages = map[string]string{
	"amy1":             "faces/face-api-js/identities/amy/amy1.png",
	"sheldon1":         "faces/face-api-js/identities/sheldon/sheldon1.png",
	"face_rectangular": "faces/face-api-js/test_images/face_rectangular.png",
}

// TestForwardMatchesFaceAPI checks the landmark network against
// face-api.js: the same input pipeline (centred zero padding to a square,
// tfjs bilinear resize) and network must give the same numbers within 1e-4.
func TestForwardMatchesFaceAPI(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	var ref referenceFile
	readReference(t, "reference", &ref)
	if len(ref.Images) < 3 {
		t.Fatalf("reference has %d images, want 3", len(ref.Images))
	}
	const tol = 1e-4
	for _, r := range ref.Images {
		t.Run(r.Name, func(t *testing.T) {
			img := toRGB(loadImage(t, filepath.Join(shared, referenceImages[r.Name])))
			if img.W != r.Width || img.H != r.Height {
				t.Fatalf("image is %dx%d, reference %dx%d", img.W, img.H, r.Width, r.Height)
			}
			raw := m.landmarks.forward(tfjsInput(img, 112))
			got := postProcessLandmarks(raw, 112, img.W, img.H)
			if d := maxAbsDiff(got, r.Landmarks); d > tol {
				t.Errorf("landmarks differ from face-api.js by %g (> %g)", d, tol)
			} else {
				t.Logf("landmarks max |diff| %.2g", d)
			}
		})
	}
}

// postProcessLandmarks is face-api.js's FaceLandmark68NetBase.postProcess:
// from the padded square's relative coordinates to the image's.
func postProcessLandmarks(out []float32, inputSize, w, h int) []float32 {
	s := float64(inputSize) / math.Max(float64(w), float64(h))
	sw, sh := float64(w)*s, float64(h)*s
	padX, padY := 0.0, 0.0
	if sw < sh {
		padX = math.Abs(sw-sh) / 2
	}
	if sh < sw {
		padY = math.Abs(sw-sh) / 2
	}
	res := make([]float32, len(out))
	for i, v := range out {
		if i%2 == 0 {
			res[i] = float32((float64(v)*float64(inputSize) - padX) / sw)
		} else {
			res[i] = float32((float64(v)*float64(inputSize) - padY) / sh)
		}
	}
	return res
}

func maxAbsDiff(a []float32, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(float64(a[i])-b[i]))
	}
	return m
}
