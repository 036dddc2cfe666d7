//go:build !cgo

package ocr

// Default reports ErrUnavailable: Tesseract needs cgo.
func Default() (Engine, error) { return nil, ErrUnavailable }
