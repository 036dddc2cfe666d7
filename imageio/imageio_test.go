package imageio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/internal/testenv"
	"golang.org/x/image/bmp"
)

// halves returns a w×h image whose left half is red and right half blue.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifSegment builds an APP1 Exif segment whose IFD0 holds only the
// orientation tag, in the given byte order.
func exifSegment(orientation uint16, bo binary.ByteOrder) []byte {
	var tiff bytes.Buffer
	if bo == binary.LittleEndian {
		tiff.WriteString("II")
	} else {
		tiff.WriteString("MM")
	}
	_ = binary.Write(&tiff, bo, uint16(42))
	_ = binary.Write(&tiff, bo, uint32(8)) // IFD0 right after the header
	_ = binary.Write(&tiff, bo, uint16(1)) // one entry
	_ = binary.Write(&tiff, bo, uint16(0x0112))
	_ = binary.Write(&tiff, bo, uint16(3)) // SHORT
	_ = binary.Write(&tiff, bo, uint32(1))
	_ = binary.Write(&tiff, bo, orientation)
	_ = binary.Write(&tiff, bo, uint16(0))
	_ = binary.Write(&tiff, bo, uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withExif inserts an EXIF segment right after a JPEG's SOI marker.
func withExif(jpg []byte, orientation uint16, bo binary.ByteOrder) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exifSegment(orientation, bo)...)
	return append(out, jpg[2:]...)
}

// pngBomb returns a PNG whose header claims w×h pixels and whose IDAT is a
// tiny (valid zlib) stream: the classic decompression-bomb shape.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func code(err error) string {
	if err == nil {
		return ""
	}
	return kycgate.ErrorCode(err)
}

func TestDecodeFormats(t *testing.T) {
	src := halves(64, 32)
	var gifBuf, bmpBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, src, nil); err != nil {
		t.Fatal(err)
	}
	if err := bmp.Encode(&bmpBuf, src); err != nil {
		t.Fatal(err)
	}
	webpData, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		data   []byte
		format Format
		w, h   int
	}{
		{"jpeg", encJPEG(t, src), JPEG, 64, 32},
		{"png", encPNG(t, src), PNG, 64, 32},
		{"gif", gifBuf.Bytes(), GIF, 64, 32},
		{"bmp", bmpBuf.Bytes(), BMP, 64, 32},
		{"webp", webpData, WebP, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, f, err := Decode(bytes.NewReader(tc.data), DefaultLimits())
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if f != tc.format {
				t.Errorf("format = %q, want %q", f, tc.format)
			}
			if tc.w > 0 && (img.Bounds().Dx() != tc.w || img.Bounds().Dy() != tc.h) {
				t.Errorf("size = %v, want %d×%d", img.Bounds().Size(), tc.w, tc.h)
			}
			if img.Bounds().Empty() {
				t.Error("empty image")
			}
		})
	}
}

func TestDecodeRefusals(t *testing.T) {
	jpg := encJPEG(t, halves(256, 128))
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x00\x00")
	avif := []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf")
	tests := []struct {
		name     string
		data     []byte
		lim      Limits
		wantCode kycgate.ReasonCode
		wantMsg  string
	}{
		{"png bomb 100000x100000", pngBomb(100000, 100000), DefaultLimits(), kycgate.ImageTooLarge, "100000×100000"},
		{"png just over pixel limit", pngBomb(1001, 1000), Limits{MaxBytes: 1 << 20, MaxPixels: 1_000_000}, kycgate.ImageTooLarge, "pixel limit"},
		{"bytes over limit", jpg, Limits{MaxBytes: int64(len(jpg) - 1), MaxPixels: 1 << 30}, kycgate.ImageTooLarge, "bytes"},
		{"truncated jpeg", jpg[:len(jpg)/2], DefaultLimits(), kycgate.ImageInvalid, "corrupt or truncated"},
		{"jpeg header only", jpg[:20], DefaultLimits(), kycgate.ImageInvalid, "jpeg"},
		{"heic", heic, DefaultLimits(), kycgate.ImageInvalid, "HEIC/HEIF is not accepted; send JPEG, PNG, WebP"},
		{"avif", avif, DefaultLimits(), kycgate.ImageInvalid, "AVIF"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), DefaultLimits(), kycgate.ImageInvalid, "PDF"},
		{"tiff", []byte("II*\x00\x08\x00\x00\x00"), DefaultLimits(), kycgate.ImageInvalid, "TIFF"},
		{"text", []byte("hello, this is not an image"), DefaultLimits(), kycgate.ImageInvalid, "not a recognised image"},
		{"empty", nil, DefaultLimits(), kycgate.ImageInvalid, "not a recognised image"},
		{"png zero width", pngBomb(0, 10), DefaultLimits(), kycgate.ImageInvalid, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, _, err := Decode(bytes.NewReader(tc.data), tc.lim)
			if err == nil {
				t.Fatalf("Decode accepted it: %v", img.Bounds())
			}
			if got := code(err); got != string(tc.wantCode) {
				t.Errorf("code = %s, want %s (%v)", got, tc.wantCode, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tc.wantMsg)
			}
		})
	}
	var e *kycgate.Error
	_, _, err := Decode(bytes.NewReader(heic), DefaultLimits())
	if !errors.As(err, &e) {
		t.Fatalf("HEIC error is %T, want *kycgate.Error", err)
	}
}

func TestDecodeAppliesEXIFOrientation(t *testing.T) {
	// Stored 80×40, left half red. Each orientation says where that red
	// half must end up once displayed upright.
	jpg := encJPEG(t, halves(80, 40))
	isRed := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		return r > 0xC000 && g < 0x4000 && b < 0x4000
	}
	tests := []struct {
		o          uint16
		bo         binary.ByteOrder
		w, h       int
		redAt      image.Point // a pixel that must be red
		notRedAt   image.Point // a pixel that must not be red
		orientRead int
	}{
		{1, binary.BigEndian, 80, 40, image.Pt(10, 20), image.Pt(70, 20), 1},
		{3, binary.LittleEndian, 80, 40, image.Pt(70, 20), image.Pt(10, 20), 3},
		{6, binary.BigEndian, 40, 80, image.Pt(20, 10), image.Pt(20, 70), 6},    // rotated clockwise: left goes to top
		{8, binary.LittleEndian, 40, 80, image.Pt(20, 70), image.Pt(20, 10), 8}, // anticlockwise: left goes to bottom
		{2, binary.BigEndian, 80, 40, image.Pt(70, 20), image.Pt(10, 20), 2},
		{5, binary.BigEndian, 40, 80, image.Pt(20, 10), image.Pt(20, 70), 5},
		{7, binary.BigEndian, 40, 80, image.Pt(20, 70), image.Pt(20, 10), 7},
		{4, binary.BigEndian, 80, 40, image.Pt(10, 20), image.Pt(70, 20), 4},
		{9, binary.BigEndian, 80, 40, image.Pt(10, 20), image.Pt(70, 20), 1}, // invalid value ignored
	}
	for _, tc := range tests {
		data := withExif(jpg, tc.o, tc.bo)
		if got := Orientation(data); got != tc.orientRead {
			t.Errorf("orientation %d: Orientation = %d, want %d", tc.o, got, tc.orientRead)
		}
		img, _, err := Decode(bytes.NewReader(data), DefaultLimits())
		if err != nil {
			t.Fatalf("orientation %d: %v", tc.o, err)
		}
		if s := img.Bounds().Size(); s.X != tc.w || s.Y != tc.h {
			t.Errorf("orientation %d: size %v, want %d×%d", tc.o, s, tc.w, tc.h)
		}
		if !isRed(img.At(tc.redAt.X, tc.redAt.Y)) || isRed(img.At(tc.notRedAt.X, tc.notRedAt.Y)) {
			t.Errorf("orientation %d: red half not where expected", tc.o)
		}
	}
}

func TestOrientationOtherContainers(t *testing.T) {
	// PNG eXIf chunk inserted after IHDR.
	p := encPNG(t, halves(8, 4))
	tiff := exifSegment(6, binary.LittleEndian)[10:] // strip marker, length, "Exif\0\0"
	var chunk bytes.Buffer
	_ = binary.Write(&chunk, binary.BigEndian, uint32(len(tiff)))
	crc := crc32.NewIEEE()
	crc.Write([]byte("eXIf"))
	crc.Write(tiff)
	chunk.WriteString("eXIf")
	chunk.Write(tiff)
	_ = binary.Write(&chunk, binary.BigEndian, crc.Sum32())
	ihdrEnd := 8 + 8 + 13 + 4
	withChunk := append(append(append([]byte{}, p[:ihdrEnd]...), chunk.Bytes()...), p[ihdrEnd:]...)
	if got := Orientation(withChunk); got != 6 {
		t.Errorf("PNG eXIf orientation = %d, want 6", got)
	}
	img, _, err := Decode(bytes.NewReader(withChunk), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s != image.Pt(4, 8) {
		t.Errorf("PNG with orientation 6 decoded to %v, want 4×8", s)
	}
}

func TestDecodeReaderErrors(t *testing.T) {
	_, _, err := Decode(iotestErrReader{}, DefaultLimits())
	if code(err) != string(kycgate.ImageInvalid) {
		t.Errorf("failing reader: %v", err)
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func FuzzDecode(f *testing.F) {
	jpg := encJPEG(f, halves(16, 8))
	f.Add(jpg)
	f.Add(withExif(jpg, 6, binary.BigEndian))
	f.Add(withExif(jpg, 8, binary.LittleEndian))
	f.Add(encPNG(f, halves(16, 8)))
	f.Add(pngBomb(100000, 100000))
	f.Add([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"))
	if w, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp"); err == nil {
		f.Add(w)
	}
	var g bytes.Buffer
	_ = gif.Encode(&g, halves(8, 8), nil)
	f.Add(g.Bytes())
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, _, err := Decode(bytes.NewReader(data), lim)
		if err != nil {
			if c := code(err); c != string(kycgate.ImageInvalid) && c != string(kycgate.ImageTooLarge) {
				t.Fatalf("error code %s: %v", c, err)
			}
			return
		}
		if b := img.Bounds(); b.Empty() || b.Dx()*b.Dy() > lim.MaxPixels {
			t.Fatalf("accepted image of %v", b)
		}
	})
}

func FuzzOrientation(f *testing.F) {
	jpg := encJPEG(f, halves(8, 8))
	f.Add(withExif(jpg, 6, binary.BigEndian))
	f.Add(withExif(jpg, 3, binary.LittleEndian))
	f.Add(exifSegment(8, binary.BigEndian))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := Orientation(data); o < 1 || o > 8 {
			t.Fatalf("Orientation = %d", o)
		}
	})
}

// TestBuildsForWebAssembly proves the package stays free of cgo so the
// capture page can run it in the browser.
func TestBuildsForWebAssembly(t *testing.T) { testenv.BuildsForWebAssembly(t) }
