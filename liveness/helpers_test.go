package liveness

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/face"
)

func repoRoot(t testing.TB) string {
	t.Helper()
	d, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		p := filepath.Dir(d)
		if p == d {
			t.Fatal("go.mod not found")
		}
		d = p
	}
}

func testdata(t testing.TB) string {
	p := filepath.Join(repoRoot(t), "..", "shared", "testdata")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data not found at %s", p)
	}
	return p
}

func models(t testing.TB) *face.Models {
	dir := os.Getenv("KYCGATE_MODELS_DIR")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "models")
	}
	m, err := face.Load(dir)
	if errors.Is(err, face.ErrModelsMissing) {
		t.Skipf("face models not installed (run scripts/models.sh): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}
