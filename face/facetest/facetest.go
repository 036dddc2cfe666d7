// Package facetest holds the test helper of the packages whose tests run
// the face models (selfie, liveness): the models loaded from the models
// directory, or the test skipped when they are not installed. Like
// internal/testenv it is only meant to be imported from _test.go files;
// package face's own tests cannot use it (it imports face).
package facetest

import (
	"errors"
	"testing"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/testenv"
)

// Models loads the face models from testenv.ModelsDir. It skips the test
// when they are not installed (scripts/models.sh), so a fresh clone's
// tests pass, and fails it on any other error: weights that are there but
// do not load are a defect, not a missing set-up step.
func Models(t testing.TB) *face.Models {
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
