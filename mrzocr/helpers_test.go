package mrzocr

import (
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

// testdataDir returns ../shared/testdata relative to the repository root, or
// skips when its mrz folder is absent.
func testdataDir(t testing.TB) string {
	t.Helper()
	testenv.SharedTestdata(t, "mrz")
	return testenv.SharedTestdata(t)
}
