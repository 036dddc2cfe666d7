//go:build cgo

package imageio

// #cgo LDFLAGS: -lturbojpeg
// #include <turbojpeg.h>
import "C"

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"unsafe"
)

// Where cgo is available, JPEGs decode with libjpeg-turbo straight into
// YCbCr planes: a 12-megapixel phone photo takes about a third of the time
// image/jpeg needs, which is most of the budget of a document check. The
// browser build (no cgo) keeps image/jpeg.
func init() { decoders[JPEG] = decodeJPEGTurbo }

// turboMinPixels is the size from which libjpeg-turbo decodes. Its IDCT
// rounds chroma differently from image/jpeg's by ±1 on a few per cent of
// samples, and some selfie measures were calibrated on image/jpeg's output
// close enough to their thresholds to notice. Below this size image/jpeg is
// fast anyway (≈ 12 ms per megapixel), so the evaluated path is kept there
// until those measures are made robust to it.
const turboMinPixels = 4_000_000

var turboRatios = map[C.int]image.YCbCrSubsampleRatio{
	C.TJSAMP_444: image.YCbCrSubsampleRatio444,
	C.TJSAMP_422: image.YCbCrSubsampleRatio422,
	C.TJSAMP_420: image.YCbCrSubsampleRatio420,
	C.TJSAMP_440: image.YCbCrSubsampleRatio440,
}

// decodeJPEGTurbo decodes large YCbCr JPEGs with libjpeg-turbo and hands
// everything else (small photos, greyscale, CMYK, 4:1:1) and every error to
// image/jpeg, so what is accepted or refused does not depend on the build.
func decodeJPEGTurbo(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height >= turboMinPixels {
		if img, err := decodeYCbCrTurbo(data); err == nil {
			return img, nil
		}
	}
	return jpeg.Decode(bytes.NewReader(data))
}

// errTurbo sends a file to image/jpeg, which words its errors.
var errTurbo = errors.New("imageio: not decoded by libjpeg-turbo")

// decodeYCbCrTurbo decodes a YCbCr JPEG into an image.YCbCr with
// libjpeg-turbo, or returns errTurbo.
func decodeYCbCrTurbo(data []byte) (*image.YCbCr, error) {
	if len(data) == 0 {
		return nil, errTurbo
	}
	h := C.tjInitDecompress()
	if h == nil {
		return nil, errTurbo
	}
	defer C.tjDestroy(h)
	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	var w, ht, sub, cs C.int
	if C.tjDecompressHeader3(h, src, C.ulong(len(data)), &w, &ht, &sub, &cs) != 0 || cs != C.TJCS_YCbCr || w <= 0 || ht <= 0 {
		return nil, errTurbo
	}
	ratio, ok := turboRatios[sub]
	if !ok {
		return nil, errTurbo
	}
	// One buffer, planes one after another, rows unpadded. libjpeg-turbo
	// pads the luma plane to whole chroma samples (an odd width or height
	// with 4:2:0 gets one more column or row), which image.YCbCr takes as
	// a wider stride over the same rectangle.
	size := int(C.tjBufSizeYUV2(w, 1, ht, sub))
	yw, yh := int(C.tjPlaneWidth(0, w, sub)), int(C.tjPlaneHeight(0, ht, sub))
	cw, ch := int(C.tjPlaneWidth(1, w, sub)), int(C.tjPlaneHeight(1, ht, sub))
	if size != yw*yh+2*cw*ch {
		return nil, errTurbo
	}
	buf := make([]byte, size)
	if C.tjDecompressToYUV2(h, src, C.ulong(len(data)), (*C.uchar)(unsafe.Pointer(&buf[0])), w, 1, ht, 0) != 0 {
		return nil, errTurbo // corrupt, truncated, or a warning
	}
	return &image.YCbCr{
		Y: buf[:yw*yh], Cb: buf[yw*yh : yw*yh+cw*ch], Cr: buf[yw*yh+cw*ch:],
		YStride: yw, CStride: cw, SubsampleRatio: ratio, Rect: image.Rect(0, 0, int(w), int(ht)),
	}, nil
}
