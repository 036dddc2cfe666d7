package liveness

import (
	"errors"
	"testing"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/testenv"
)

// testdata returns ../shared/testdata (relative to the repo root), or skips
// the test when it is absent.
func testdata(t testing.TB) string {
	t.Helper()
	return testenv.SharedTestdata(t)
}

// models loads the face models, skipping the test when they are not
// installed.
func models(t testing.TB) *face.Models {
	t.Helper()
	m, err := face.Load(testenv.ModelsDir(t))
	if errors.Is(err, face.ErrModelsMissing) {
		t.Skipf("face models not installed (run scripts/models.sh): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}
