package imageio

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// Orientation returns the EXIF orientation (1–8) of a JPEG, PNG (eXIf chunk)
// or WebP (EXIF chunk) file, or 1 when there is none or it cannot be read.
// Phones store most photos sideways with orientation 6 or 8; ignoring it
// would hand the document detector a rotated card.
//
// The parser is deliberately small: it reads only IFD0's tag 0x0112 and
// checks every offset against the data, so hostile EXIF cannot make it read
// out of bounds (FuzzOrientation).
func Orientation(data []byte) int {
	var tiff []byte
	switch {
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xD8:
		tiff = jpegExif(data)
	case len(data) >= 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n":
		tiff = pngExif(data)
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		tiff = webpExif(data)
	}
	if o := tiffOrientation(tiff); o >= 1 && o <= 8 {
		return o
	}
	return 1
}

// jpegExif walks the JPEG marker segments before the image data and returns
// the TIFF payload of the first APP1 "Exif" segment.
func jpegExif(data []byte) []byte {
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD9 || marker == 0xDA { // end of image, start of scan
			return nil
		}
		if marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return seg[6:]
		}
		i += 2 + n
	}
	return nil
}

// pngExif returns the eXIf chunk of a PNG.
func pngExif(data []byte) []byte {
	i := 8
	for i+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 {
			return nil
		}
		if typ == "eXIf" {
			return data[i+8 : i+8+n]
		}
		if typ == "IDAT" || typ == "IEND" {
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpExif returns the EXIF chunk of an extended WebP.
func webpExif(data []byte) []byte {
	i := 12
	for i+8 <= len(data) {
		typ := string(data[i : i+4])
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || n > len(data)-i-8 {
			return nil
		}
		if typ == "EXIF" {
			p := data[i+8 : i+8+n]
			if len(p) >= 6 && string(p[:6]) == "Exif\x00\x00" {
				p = p[6:]
			}
			return p
		}
		i += 8 + n + n&1
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 0
	}
	n := int64(bo.Uint16(t[ifd:]))
	for k := int64(0); k < n; k++ {
		e := ifd + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		switch bo.Uint16(t[e+2:]) { // type
		case 3: // SHORT
			return int(bo.Uint16(t[e+8:]))
		case 4: // LONG, seen in some writers
			return int(bo.Uint32(t[e+8:]))
		}
		return 0
	}
	return 0
}

// Orient returns img transformed so that an image stored with EXIF
// orientation o is displayed upright. o outside 2–8 returns img unchanged.
func Orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	// src maps a destination pixel to its source pixel (both zero-based).
	var dw, dh int
	var src func(x, y int) (int, int)
	switch o {
	case 2: // mirrored horizontally
		dw, dh, src = w, h, func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // rotated 180°
		dw, dh, src = w, h, func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // mirrored vertically
		dw, dh, src = w, h, func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // transposed
		dw, dh, src = h, w, func(x, y int) (int, int) { return y, x }
	case 6: // stored rotated 90° counter-clockwise: rotate 90° clockwise
		dw, dh, src = h, w, func(x, y int) (int, int) { return y, h - 1 - x }
	case 7: // transversed
		dw, dh, src = h, w, func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8: // stored rotated 90° clockwise: rotate 90° counter-clockwise
		dw, dh, src = h, w, func(x, y int) (int, int) { return w - 1 - y, x }
	}
	if g, ok := img.(*image.Gray); ok {
		dst := image.NewGray(image.Rect(0, 0, dw, dh))
		for y := 0; y < dh; y++ {
			row := dst.Pix[y*dst.Stride:]
			for x := 0; x < dw; x++ {
				sx, sy := src(x, y)
				row[x] = g.Pix[sy*g.Stride+sx]
			}
		}
		return dst
	}
	// Everything else goes through RGBA: one conversion, then a 4-byte copy
	// per pixel.
	rgba, ok := img.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		rgba = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		row := dst.Pix[y*dst.Stride:]
		for x := 0; x < dw; x++ {
			sx, sy := src(x, y)
			copy(row[4*x:4*x+4], rgba.Pix[sy*rgba.Stride+4*sx:])
		}
	}
	return dst
}
