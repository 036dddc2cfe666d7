package face

import (
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

var (
	mobileFaceNetOnce sync.Once
	mobileFaceNetTest *mobileFaceNet
	mobileFaceNetErr  error
)

// testMobileFaceNet loads MobileFaceNet from the models directory, or skips
// when it has not been installed (scripts/models.sh).
func testMobileFaceNet(t testing.TB) *mobileFaceNet {
	t.Helper()
	mobileFaceNetOnce.Do(func() {
		mobileFaceNetTest, mobileFaceNetErr = loadMobileFaceNet(testenv.ModelsDir(t))
	})
	if mobileFaceNetErr != nil {
		t.Skipf("MobileFaceNet not installed (scripts/models.sh): %v", mobileFaceNetErr)
	}
	return mobileFaceNetTest
}

// TestMobileFaceNetMatchesTFJS checks the Go forward pass (the tfgraph
// interpreter running the graph model) against TensorFlow.js running the
// same model.json on the same aligned chips (testdata/mobilefacenet,
// cut by arcFaceChip from face-api.js's amy1.png and face_recognition's
// obama.jpg; reference.mjs made reference.json).
func TestMobileFaceNetMatchesTFJS(t *testing.T) {
	net := testMobileFaceNet(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "mobilefacenet", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Chips []struct {
			Name      string    `json:"name"`
			Embedding []float64 `json:"embedding"`
		} `json:"chips"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Chips) < 2 {
		t.Fatalf("reference has %d chips, want 2", len(ref.Chips))
	}
	const tol = 1e-4
	for _, r := range ref.Chips {
		t.Run(r.Name, func(t *testing.T) {
			img := toRGB(loadImage(t, filepath.Join("testdata", "mobilefacenet", r.Name+".png")))
			if img.W != arcChipSize || img.H != arcChipSize {
				t.Fatalf("chip is %dx%d, want %d²", img.W, img.H, arcChipSize)
			}
			chip := make([]float32, len(img.Pix))
			for i, v := range img.Pix {
				chip[i] = float32(v)
			}
			d, err := net.forward(chip)
			if err != nil {
				t.Fatal(err)
			}
			if diff := maxAbsDiff(d, r.Embedding); diff > tol {
				t.Errorf("embedding differs from TensorFlow.js by %g (> %g)", diff, tol)
			} else {
				t.Logf("embedding max |diff| %.2g", diff)
			}
		})
	}
}

// TestArcFaceChipCentresTheFace checks the alignment: a chip cut from
// landmarks placed at the template itself (an image already aligned) is
// the image unchanged.
func TestArcFaceChipIdentity(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, arcChipSize, arcChipSize))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	var lm Landmarks
	for i, p := range arcFaceTemplate {
		p = Point{p.X + 0.5, p.Y + 0.5}
		switch i {
		case 0:
			for k := 36; k < 42; k++ {
				lm[k] = p
			}
		case 1:
			for k := 42; k < 48; k++ {
				lm[k] = p
			}
		case 2:
			lm[30] = p
		case 3:
			lm[48] = p
		case 4:
			lm[54] = p
		}
	}
	rgb := toRGB(img)
	chip, err := arcFaceChip(rgb, &lm)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range chip {
		if d := v - float32(rgb.Pix[i]); d > 1e-3 || d < -1e-3 {
			t.Fatalf("value %d: %v, want %v", i, v, rgb.Pix[i])
		}
	}
}

// BenchmarkMobileFaceNet is the embedding of one face (alignment and
// forward pass), to compare with BenchmarkEmbed (the dlib ResNet).
func BenchmarkMobileFaceNet(b *testing.B) {
	m := testModels(b)
	net := testMobileFaceNet(b)
	img := toRGB(loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg")))
	boxes := detectRGB(img, DetectThreshold)
	if len(boxes) == 0 {
		b.Fatal("no face")
	}
	lm, err := m.landmarksRGB(img, boxes[0].Rect)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		chip, err := arcFaceChip(img, &lm)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := net.forward(chip); err != nil {
			b.Fatal(err)
		}
	}
}
