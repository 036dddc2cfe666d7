package main

import (
	"os"
	"testing"

	"github.com/kycgate/kycgate/ocr"
)

// TestMain runs the tests the way main runs the service: with one OpenMP
// thread per Tesseract call (see ocr.LimitOpenMP).
func TestMain(m *testing.M) {
	_ = ocr.LimitOpenMP()
	os.Exit(m.Run())
}
