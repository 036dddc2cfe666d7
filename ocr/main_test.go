package ocr_test

import (
	"os"
	"testing"

	"github.com/kycgate/kycgate/ocr"
)

// TestMain restarts the test binary with OMP_THREAD_LIMIT=1 (see
// ocr.LimitOpenMP) so that tests and benchmarks measure what the service
// runs.
func TestMain(m *testing.M) {
	_ = ocr.LimitOpenMP()
	os.Exit(m.Run())
}
