// Package imageio decodes uploaded images in a way that cannot be abused:
// the byte size is bounded while reading, the pixel count is read from the
// header and refused before any pixel buffer is allocated (decompression
// bombs), formats the service does not support are recognised by their magic
// bytes and refused with a message naming the supported ones, corrupt or
// truncated files become IMAGE_INVALID, and a panic in a decoder is turned
// into IMAGE_INVALID rather than taking the worker down.
//
// It is pure Go (no cgo) so the browser capture page can run it compiled to
// WebAssembly.
package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"

	"github.com/kycgate/kycgate"
)

// Format names a decoded image format.
type Format string

// Formats that Decode accepts.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
	GIF  Format = "gif"
	BMP  Format = "bmp"
)

// Supported lists the accepted formats, in the words used in error messages.
const Supported = "JPEG, PNG, WebP, GIF or BMP"

// Limits bound what Decode accepts.
type Limits struct {
	// MaxBytes is the largest encoded file accepted.
	MaxBytes int64
	// MaxPixels is the largest width×height accepted, checked on the header
	// before decoding.
	MaxPixels int
}

// DefaultLimits returns 20 MB and 50 megapixels: a 48-MP phone camera's full
// resolution JPEG fits both, a decompression bomb does not, and decoding the
// largest accepted image needs at most ~200 MB of RGBA memory.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, MaxPixels: 50_000_000}
}

// Decode reads at most lim.MaxBytes from r, checks the format and dimensions,
// decodes the image and applies its EXIF orientation so the result is upright
// as the camera held it. Errors are *kycgate.Error with code IMAGE_INVALID or
// IMAGE_TOO_LARGE.
func Decode(r io.Reader, lim Limits) (image.Image, Format, error) {
	if lim.MaxBytes <= 0 || lim.MaxPixels <= 0 {
		d := DefaultLimits()
		if lim.MaxBytes <= 0 {
			lim.MaxBytes = d.MaxBytes
		}
		if lim.MaxPixels <= 0 {
			lim.MaxPixels = d.MaxPixels
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, "", kycgate.Errorf(string(kycgate.ImageInvalid), "reading image: %v", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, "", kycgate.Errorf(string(kycgate.ImageTooLarge),
			"image is larger than %d bytes", lim.MaxBytes)
	}
	return DecodeBytes(data, lim)
}

// DecodeBytes is Decode on a file already in memory (its length is still
// checked against lim.MaxBytes).
func DecodeBytes(data []byte, lim Limits) (img image.Image, f Format, err error) {
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, "", kycgate.Errorf(string(kycgate.ImageTooLarge),
			"image is larger than %d bytes", lim.MaxBytes)
	}
	if lim.MaxPixels <= 0 {
		lim.MaxPixels = DefaultLimits().MaxPixels
	}
	f, err = Sniff(data)
	if err != nil {
		return nil, "", err
	}
	cfg, err := DecodeConfig(data)
	if err != nil {
		return nil, f, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, f, kycgate.Errorf(string(kycgate.ImageInvalid), "%s image has no pixels (%d×%d)", f, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(lim.MaxPixels) {
		return nil, f, kycgate.Errorf(string(kycgate.ImageTooLarge),
			"image is %d×%d pixels, more than the %d-pixel limit", cfg.Width, cfg.Height, lim.MaxPixels)
	}
	defer func() {
		// Last line of defence: a decoder bug on hostile input must not
		// crash the worker or the browser page.
		if p := recover(); p != nil {
			img = nil
			err = kycgate.Errorf(string(kycgate.ImageInvalid), "%s image could not be decoded", f)
		}
	}()
	img, err = decoders[f](bytes.NewReader(data))
	if err != nil {
		return nil, f, kycgate.Errorf(string(kycgate.ImageInvalid), "%s image is corrupt or truncated: %v", f, err)
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, f, kycgate.Errorf(string(kycgate.ImageInvalid), "%s image size differs from its header", f)
	}
	if o := Orientation(data); o > 1 {
		img = Orient(img, o)
	}
	return img, f, nil
}

// DecodeConfig sniffs the format and reads the dimensions from the header,
// without decoding pixels.
func DecodeConfig(data []byte) (cfg image.Config, err error) {
	f, err := Sniff(data)
	if err != nil {
		return cfg, err
	}
	defer func() {
		if p := recover(); p != nil {
			err = kycgate.Errorf(string(kycgate.ImageInvalid), "%s header could not be read", f)
		}
	}()
	cfg, err = configs[f](bytes.NewReader(data))
	if err != nil {
		return cfg, kycgate.Errorf(string(kycgate.ImageInvalid), "%s header is corrupt or truncated: %v", f, err)
	}
	return cfg, nil
}

var decoders = map[Format]func(io.Reader) (image.Image, error){
	JPEG: jpeg.Decode, PNG: png.Decode, WebP: webp.Decode, GIF: gif.Decode, BMP: bmp.Decode,
}

var configs = map[Format]func(io.Reader) (image.Config, error){
	JPEG: jpeg.DecodeConfig, PNG: png.DecodeConfig, WebP: webp.DecodeConfig, GIF: gif.DecodeConfig, BMP: bmp.DecodeConfig,
}

// ErrUnsupported is wrapped by the error Sniff returns for a recognised but
// unsupported format (HEIC, AVIF, PDF, TIFF, JPEG XL).
var ErrUnsupported = errors.New("unsupported image format")

// Sniff identifies the format from the magic bytes. Recognised formats that
// are not supported, such as HEIC from iPhones, are refused with
// IMAGE_INVALID and a message naming the supported formats, so the
// applicant knows what to send instead.
func Sniff(data []byte) (Format, error) {
	has := func(off int, magic string) bool {
		return len(data) >= off+len(magic) && string(data[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\xff\xd8\xff"):
		return JPEG, nil
	case has(0, "\x89PNG\r\n\x1a\n"):
		return PNG, nil
	case has(0, "RIFF") && has(8, "WEBP"):
		return WebP, nil
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return GIF, nil
	case has(0, "BM"):
		return BMP, nil
	}
	if name := unsupportedName(data); name != "" {
		return "", &kycgate.Error{Code: string(kycgate.ImageInvalid),
			Message: fmt.Sprintf("%s: %s is not accepted; send %s", ErrUnsupported, name, Supported)}
	}
	return "", kycgate.Errorf(string(kycgate.ImageInvalid), "not a recognised image; send %s", Supported)
}

// unsupportedName names formats people commonly upload that are refused.
func unsupportedName(data []byte) string {
	has := func(off int, magic string) bool {
		return len(data) >= off+len(magic) && string(data[off:off+len(magic)]) == magic
	}
	switch {
	case has(4, "ftyp"):
		// ISO base media file: the major brand, then compatible brands.
		brands := data[8:min(len(data), 64)]
		switch {
		case bytes.Contains(brands, []byte("avif")), bytes.Contains(brands, []byte("avis")):
			return "AVIF"
		case bytes.Contains(brands, []byte("hei")), bytes.Contains(brands, []byte("hev")),
			bytes.Contains(brands, []byte("mif1")), bytes.Contains(brands, []byte("msf1")):
			return "HEIC/HEIF"
		}
		return "an ISO media (video) file"
	case has(0, "%PDF-"):
		return "PDF"
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return "TIFF"
	case has(0, "\xff\x0a"), has(0, "\x00\x00\x00\x0cJXL \r\n\x87\n"):
		return "JPEG XL"
	}
	return ""
}
