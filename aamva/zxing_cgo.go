//go:build cgo

package aamva

// This file is the cgo shim over zxing-cpp (Debian libzxing-dev, 1.4). It
// only moves pixels and bytes across the boundary; everything else (which
// variants of the image to try, parsing) is pure Go in the other files.

/*
#cgo pkg-config: zxing
#cgo CXXFLAGS: -std=c++17
#cgo LDFLAGS: -lstdc++
#include <stdlib.h>
#include "zxing_shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// maxSymbols bounds how many PDF417 symbols one image may yield; a licence
// back has one, a few more tolerate clutter in the photo.
const maxSymbols = 8

// zxingAvailable says whether this build can decode barcodes.
const zxingAvailable = true

// zxRead decodes the PDF417 symbols in g and returns their raw bytes.
func zxRead(g *image.Gray, tryHarder, tryRotate bool) ([][]byte, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, nil
	}
	pix := g.Pix
	if g.Stride != w || g.Rect.Min != (image.Point{}) {
		pix = make([]byte, w*h)
		for y := 0; y < h; y++ {
			copy(pix[y*w:(y+1)*w], g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):])
		}
	}
	cpix := C.CBytes(pix)
	defer C.free(cpix)
	var out [maxSymbols]C.zx_bytes
	var errBuf [256]C.char
	n := C.zx_read_pdf417((*C.uchar)(cpix), C.int(w), C.int(h), cBool(tryHarder), cBool(tryRotate),
		&out[0], C.int(maxSymbols), &errBuf[0], C.int(len(errBuf)))
	if n < 0 {
		return nil, fmt.Errorf("zxing read: %s", C.GoString(&errBuf[0]))
	}
	res := make([][]byte, 0, int(n))
	for i := 0; i < int(n); i++ {
		res = append(res, C.GoBytes(unsafe.Pointer(out[i].data), out[i].len))
		C.zx_free(unsafe.Pointer(out[i].data))
	}
	return res, nil
}

// zxWrite encodes text (UTF-8; Latin-1 characters become single bytes in the
// symbol) as a PDF417 symbol of at least width x height pixels.
func zxWrite(text string, width, height, margin, ecc int) (*image.Gray, error) {
	if text == "" {
		return nil, errors.New("zxing write: empty payload")
	}
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	var out *C.uchar
	var ow, oh C.int
	var errBuf [256]C.char
	rc := C.zx_write_pdf417(ctext, C.int(len(text)), C.int(width), C.int(height), C.int(margin), C.int(ecc),
		&out, &ow, &oh, &errBuf[0], C.int(len(errBuf)))
	if rc != 0 {
		return nil, fmt.Errorf("zxing write: %s", C.GoString(&errBuf[0]))
	}
	defer C.zx_free(unsafe.Pointer(out))
	g := image.NewGray(image.Rect(0, 0, int(ow), int(oh)))
	copy(g.Pix, unsafe.Slice((*byte)(unsafe.Pointer(out)), int(ow)*int(oh)))
	return g, nil
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
