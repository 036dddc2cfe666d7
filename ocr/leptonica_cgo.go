//go:build cgo

package ocr

// #cgo LDFLAGS: -llept
// #include <leptonica/allheaders.h>
import "C"

// Leptonica, under Tesseract, prints its own warnings ("Error in
// boxClipToRectangle: box outside rectangle") straight to stderr. They are
// harmless for OCR but break the service's structured log, so they are
// silenced once for the process.
func init() {
	C.setMsgSeverity(C.L_SEVERITY_NONE)
}
