//go:build !cgo || !unix

package ocr

// LimitOpenMP does nothing where Tesseract is not linked.
func LimitOpenMP() error { return nil }
