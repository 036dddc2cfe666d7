package face

import (
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
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
