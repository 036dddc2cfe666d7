package liveness

import (
	"testing"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/face/facetest"
	"github.com/kycgate/kycgate/internal/testenv"
)

// testdata returns ../shared/testdata (relative to the repo root), or skips
// the test when it is absent.
func testdata(t testing.TB) string {
	t.Helper()
	return testenv.SharedTestdata(t)
}

// models loads the face models, skipping the test when they are not
// installed (facetest.Models).
func models(t testing.TB) *face.Models { return facetest.Models(t) }
