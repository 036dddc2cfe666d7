package face

import (
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// repoRoot walks up from the test's directory to the directory with go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// sharedFaces returns ../shared/testdata (relative to the repo root) or
// skips the test when it is absent.
func sharedTestdata(t testing.TB) string {
	t.Helper()
	d := filepath.Join(repoRoot(t), "..", "shared", "testdata")
	if _, err := os.Stat(filepath.Join(d, "faces")); err != nil {
		t.Skipf("shared test data not found at %s", d)
	}
	return d
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
		dir := os.Getenv("KYCGATE_MODELS_DIR")
		if dir == "" {
			dir = filepath.Join(repoRoot(t), "models")
		}
		models, modelsErr = Load(dir)
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
