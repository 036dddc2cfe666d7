//go:build !cgo

package aamva

import (
	"errors"
	"image"
)

// Without cgo (WebAssembly, CGO_ENABLED=0) there is no PDF417 reader; the
// parser still works on payloads read elsewhere.

const zxingAvailable = false

// ErrNoDecoder is returned by barcode functions in builds without cgo.
var ErrNoDecoder = errors.New("aamva: PDF417 decoding needs cgo and libzxing")

func zxRead(*image.Gray, bool, bool) ([][]byte, error) { return nil, ErrNoDecoder }

func zxWrite(string, int, int, int, int) (*image.Gray, error) { return nil, ErrNoDecoder }
