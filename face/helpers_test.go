package face

import (
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

// sharedTestdata returns ../shared/testdata (relative to the repo root), or
// skips the test when its faces folder is absent.
func sharedTestdata(t testing.TB) string {
	t.Helper()
	testenv.SharedTestdata(t, "faces")
	return testenv.SharedTestdata(t)
}

var (
	modelsOnce sync.Once
	models     *Models
	modelsErr  error
)

// testModels loads the weights from KYCGATE_MODELS_DIR or <repo>/models, or
// skips when they have not been installed (scripts/models.sh).
func testModels(t testing.TB) *Models {
	t.Helper()
	modelsOnce.Do(func() {
		models, modelsErr = Load(testenv.ModelsDir(t))
	})
	if modelsErr != nil {
		t.Skipf("face models not installed (scripts/models.sh): %v", modelsErr)
	}
	return models
}

func loadImage(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

// readReference decodes testdata/DIR/reference.json, the outputs of
// face-api.js's own JavaScript that the Go networks are checked against.
func readReference(t testing.TB, dir string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", dir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s reference: %v", dir, err)
	}
}

// referenceImage loads the image a reference was computed on and checks it
// has the reference's size, so that a changed file cannot pass unnoticed.
func referenceImage(t testing.TB, path string, w, h int) *rgbImage {
	t.Helper()
	img := toRGB(loadImage(t, path))
	if img.W != w || img.H != h {
		t.Fatalf("image is %dx%d, reference %dx%d", img.W, img.H, w, h)
	}
	return img
}
