package aamva

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"

	xdraw "golang.org/x/image/draw"
)

// ErrNoBarcode is returned when no PDF417 symbol could be decoded.
var ErrNoBarcode = errors.New("aamva: no PDF417 barcode found")

// maxPixels bounds the images handed to the decoder (after upscaling) so a
// huge photo cannot make one attempt take seconds.
const maxPixels = 12_000_000

// ReadPDF417 decodes the PDF417 symbols in img and returns their raw
// payloads. zxing-cpp fails from about 4° of tilt, so img should be the
// rectified document (or the barcode region of it). It tries, in order and
// stopping at the first success: the image as given and turned by 180°
// (with zxing's TryHarder and TryRotate, together every quarter turn); the
// same after correcting a residual tilt estimated from the edge directions
// (estimateSkew), when that tilt is at least minDeskew; that image
// sharpened (defocus); then the unsharpened ones upscaled 2× (symbols whose
// modules are under ~2 px wide).
func ReadPDF417(img image.Image) ([][]byte, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, fmt.Errorf("aamva: empty image")
	}
	g := toGray(img)
	bases := []*image.Gray{g}
	if skew := estimateSkew(g); math.Abs(skew) >= minDeskew {
		bases = append(bases, rotateBy(g, -skew, 255))
	}
	// Defocus smears 1-module bars into grey; an unsharp mask restores the
	// contrast zxing's binariser needs (measured: 2 px modules under a 3×3
	// box blur go from 0% decoded to most angles; see docs/identity.md).
	bases = append(bases, unsharp(bases[len(bases)-1]))
	if b := g.Bounds(); b.Dx()*b.Dy()*4 <= maxPixels {
		n := len(bases)
		for _, b := range bases[:n-1] {
			bases = append(bases, upscale(b, 2))
		}
	}
	for _, base := range bases {
		// TryRotate covers 90° (it misses 270°, hence the explicit 180°).
		for _, turn := range []int{0, 180} {
			res, err := zxRead(rotate(base, turn), true, true)
			if err != nil {
				return nil, err
			}
			if len(res) > 0 {
				return res, nil
			}
		}
	}
	return nil, ErrNoBarcode
}

// Read decodes the barcode in img and parses the first payload that is an
// AAMVA DL/ID file.
func Read(img image.Image) (*License, error) {
	payloads, err := ReadPDF417(img)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, p := range payloads {
		l, err := Parse(p)
		if err == nil {
			return l, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// Barcode draws payload as a PDF417 symbol with modules moduleWidth pixels
// wide and a quiet zone of two modules, for tests and synthetic documents.
// Bytes above 0x7F are taken as Latin-1.
func Barcode(payload []byte, moduleWidth int) (*image.Gray, error) {
	if moduleWidth < 1 {
		moduleWidth = 1
	}
	runes := make([]rune, len(payload))
	for i, b := range payload {
		runes[i] = rune(b) // Latin-1 → Unicode code point
	}
	g, err := zxWrite(string(runes), 0, 0, 2, -1)
	if err != nil {
		return nil, err
	}
	if moduleWidth == 1 {
		return g, nil
	}
	return upscale(g, moduleWidth), nil
}

func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			g.Pix[y*g.Stride+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
		}
	}
	return g
}

// upscale enlarges g by an integer factor with bilinear interpolation,
// which keeps module edges where the binariser expects them.
func upscale(g *image.Gray, f int) *image.Gray {
	b := g.Bounds()
	dst := image.NewGray(image.Rect(0, 0, b.Dx()*f, b.Dy()*f))
	xdraw.BiLinear.Scale(dst, dst.Rect, g, b, xdraw.Src, nil)
	return dst
}

// rotate turns g clockwise by 0, 90, 180 or 270 degrees.
func rotate(g *image.Gray, deg int) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	at := func(x, y int) uint8 { return g.Pix[g.PixOffset(b.Min.X+x, b.Min.Y+y)] }
	switch deg {
	case 90:
		dst := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < w; y++ {
			for x := 0; x < h; x++ {
				dst.Pix[y*dst.Stride+x] = at(y, h-1-x)
			}
		}
		return dst
	case 180:
		dst := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dst.Pix[y*dst.Stride+x] = at(w-1-x, h-1-y)
			}
		}
		return dst
	case 270:
		dst := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < w; y++ {
			for x := 0; x < h; x++ {
				dst.Pix[y*dst.Stride+x] = at(w-1-y, x)
			}
		}
		return dst
	}
	return g
}

// minDeskew is the smallest estimated tilt (degrees) worth correcting:
// below it zxing reads the symbol as it is.
const minDeskew = 1.5

// estimateSkew returns the tilt, in degrees within [-45, 45), of the
// dominant edge direction of g modulo 90°. A PDF417 symbol's bars and row
// boundaries are the strongest straight edges on a licence back, so this
// is the symbol's tilt away from the nearest quarter turn. Gradients are
// taken on a copy at most 640 px wide; angles are weighted by gradient
// magnitude and histogrammed in 0.25° bins.
func estimateSkew(g *image.Gray) float64 {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	src := g
	if w > 640 {
		nh := max(1, h*640/w)
		src = image.NewGray(image.Rect(0, 0, 640, nh))
		xdraw.ApproxBiLinear.Scale(src, src.Rect, g, b, xdraw.Src, nil)
		w, h = 640, nh
	}
	const bins = 360 // 90° / 0.25°
	var hist [bins]float64
	at := func(x, y int) float64 { return float64(src.Pix[src.PixOffset(src.Rect.Min.X+x, src.Rect.Min.Y+y)]) }
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			gx := at(x+1, y-1) + 2*at(x+1, y) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x-1, y) - at(x-1, y+1)
			gy := at(x-1, y+1) + 2*at(x, y+1) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x, y-1) - at(x+1, y-1)
			mag := gx*gx + gy*gy
			if mag < 100*100 {
				continue // weak gradients are texture and noise
			}
			a := math.Atan2(gy, gx) * 180 / math.Pi // (-180, 180]
			a = math.Mod(a+360+45, 90) - 45         // [-45, 45)
			k := int((a + 45) * 4)
			if k >= 0 && k < bins {
				hist[k] += math.Sqrt(mag)
			}
		}
	}
	best, bestV := 0, -1.0
	for k := 0; k < bins; k++ {
		v := 0.0
		for d := -2; d <= 2; d++ { // smooth over ±0.5°
			v += hist[(k+d+bins)%bins]
		}
		if v > bestV {
			best, bestV = k, v
		}
	}
	if bestV <= 0 {
		return 0
	}
	return float64(best)/4 - 45 + 0.125
}

// rotateBy turns g by deg degrees about its centre (bilinear), on a canvas
// large enough to keep every corner, filling the new area with bg.
func rotateBy(g *image.Gray, deg float64, bg uint8) *image.Gray {
	b := g.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	th := deg * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	nw := int(math.Ceil(math.Abs(w*c) + math.Abs(h*s)))
	nh := int(math.Ceil(math.Abs(w*s) + math.Abs(h*c)))
	dst := image.NewGray(image.Rect(0, 0, nw, nh))
	cx, cy := w/2, h/2
	ncx, ncy := float64(nw)/2, float64(nh)/2
	for y := 0; y < nh; y++ {
		for x := 0; x < nw; x++ {
			dx, dy := float64(x)-ncx, float64(y)-ncy
			dst.Pix[y*dst.Stride+x] = bilinear(g, c*dx+s*dy+cx, -s*dx+c*dy+cy, bg)
		}
	}
	return dst
}

func bilinear(g *image.Gray, x, y float64, bg uint8) uint8 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	if x0 < 0 || y0 < 0 || x0+1 >= g.Rect.Dx() || y0+1 >= g.Rect.Dy() {
		return bg
	}
	fx, fy := x-float64(x0), y-float64(y0)
	o := g.PixOffset(g.Rect.Min.X+x0, g.Rect.Min.Y+y0)
	p00, p10 := float64(g.Pix[o]), float64(g.Pix[o+1])
	p01, p11 := float64(g.Pix[o+g.Stride]), float64(g.Pix[o+g.Stride+1])
	v := p00*(1-fx)*(1-fy) + p10*fx*(1-fy) + p01*(1-fx)*fy + p11*fx*fy
	return uint8(v + 0.5)
}

// unsharp returns g + 2·(g − mean3×3(g)), clamped: an unsharp mask of
// amount 2 over a 3×3 box (amount 1 recovered fewer blurred symbols).
func unsharp(g *image.Gray) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	at := func(x, y int) int {
		x = min(max(x, 0), w-1)
		y = min(max(y, 0), h-1)
		return int(g.Pix[g.PixOffset(b.Min.X+x, b.Min.Y+y)])
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					sum += at(x+dx, y+dy)
				}
			}
			v := 3*at(x, y) - 2*sum/9
			out.Pix[y*out.Stride+x] = uint8(min(max(v, 0), 255))
		}
	}
	return out
}
