package address

import (
	"testing"

	"github.com/kycgate/kycgate/ocr"
)

func testEngine(t testing.TB) ocr.Engine {
	e, err := ocr.Default()
	if err != nil {
		t.Skipf("Tesseract not available: %v", err)
	}
	return e
}
