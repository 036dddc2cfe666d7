// Package prep prepares image regions for OCR: grey conversion, contrast
// stretching, adaptive binarisation and upscaling of small text. It is pure
// Go so that the same preparation runs in the browser build.
//
// Tesseract's LSTM recogniser is most accurate on dark text on a light
// background with a cap height of roughly 25–40 px; phone photos of cards
// give 10–20 px text with uneven light, which is what these steps correct.
package prep

import (
	"image"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Gray converts img to 8-bit luma (BT.601), with its bounds moved to origin.
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			o := y * out.Stride
			for x := 0; x < b.Dx(); x++ {
				r, g, bb := uint32(src.Pix[i]), uint32(src.Pix[i+1]), uint32(src.Pix[i+2])
				out.Pix[o+x] = uint8((299*r + 587*g + 114*bb + 500) / 1000)
				i += 4
			}
		}
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			o := y * out.Stride
			for x := 0; x < b.Dx(); x++ {
				r, g, bb := uint32(src.Pix[i]), uint32(src.Pix[i+1]), uint32(src.Pix[i+2])
				out.Pix[o+x] = uint8((299*r + 587*g + 114*bb + 500) / 1000)
				i += 4
			}
		}
	default:
		draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	}
	return out
}

// MinChannel converts img to grey by taking, per pixel, the darkest of its
// red, green and blue channels. Coloured ink (the red document number of a
// licence, blue labels) then comes out as dark as black ink, while pale
// tinted backgrounds stay light, which luma conversion does not achieve:
// pure red has a luma of only 30 %.
func MinChannel(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if src, ok := img.(*image.RGBA); ok {
		for y := 0; y < b.Dy(); y++ {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			o := y * out.Stride
			for x := 0; x < b.Dx(); x++ {
				out.Pix[o+x] = min(src.Pix[i], src.Pix[i+1], src.Pix[i+2])
				i += 4
			}
		}
		return out
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			out.Pix[y*out.Stride+x] = uint8(min(r, g, bb) >> 8)
		}
	}
	return out
}

// Crop returns the part of img inside the fractional rectangle
// (x0,y0)-(x1,y1) of its bounds, clamped to them. The result shares pixels
// with img when img supports SubImage.
func Crop(img image.Image, x0, y0, x1, y1 float64) image.Image {
	b := img.Bounds()
	r := image.Rect(
		b.Min.X+int(math.Round(x0*float64(b.Dx()))), b.Min.Y+int(math.Round(y0*float64(b.Dy()))),
		b.Min.X+int(math.Round(x1*float64(b.Dx()))), b.Min.Y+int(math.Round(y1*float64(b.Dy()))),
	).Intersect(b)
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// Stretch maps the lo-th and hi-th percentiles of g's histogram (0–1) to
// black and white, in place. Faded print and grey phone exposures become
// full-contrast text; percentiles rather than min/max ignore specks.
func Stretch(g *image.Gray, lo, hi float64) {
	var hist [256]int
	n := 0
	for y := 0; y < g.Rect.Dy(); y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		for _, v := range row {
			hist[v]++
		}
		n += len(row)
	}
	if n == 0 {
		return
	}
	pct := func(p float64) int {
		target := int(p * float64(n))
		acc := 0
		for v := 0; v < 256; v++ {
			acc += hist[v]
			if acc > target {
				return v
			}
		}
		return 255
	}
	a, b := pct(lo), pct(hi)
	if b-a < 16 { // nearly uniform: stretching would amplify noise only
		return
	}
	var lut [256]uint8
	for v := range lut {
		s := (v - a) * 255 / (b - a)
		lut[v] = uint8(max(0, min(255, s)))
	}
	for y := 0; y < g.Rect.Dy(); y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		for i, v := range row {
			row[i] = lut[v]
		}
	}
}

// Binarize thresholds g against its local mean (a window of win×win pixels)
// minus offset, which removes uneven illumination and coloured or guilloché
// backgrounds that a global threshold leaves in. Pixels darker than the
// local mean by more than offset become black, the rest white.
func Binarize(g *image.Gray, win, offset int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, g.Rect.Dx(), g.Rect.Dy()))
	forEachLocalMean(g, win, func(i int, v, mean int64) {
		if v+int64(offset) < mean {
			out.Pix[i] = 0
		} else {
			out.Pix[i] = 255
		}
	})
	return out
}

// LocalContrast draws every pixel dark in proportion to how far it lies
// from its local mean (a win×win window), whichever its polarity: light
// text on a dark band (a licence's yellow title on blue) and dark text on
// a light card both come out dark on white, which is what Tesseract reads.
// gain scales the difference (3 turns a difference of 85 grey levels into
// black).
func LocalContrast(g *image.Gray, win int, gain float64) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, g.Rect.Dx(), g.Rect.Dy()))
	forEachLocalMean(g, win, func(i int, v, mean int64) {
		d := math.Abs(float64(v - mean))
		out.Pix[i] = uint8(math.Max(0, 255-gain*d))
	})
	return out
}

// forEachLocalMean calls fn with the index into a packed w×h output, the
// pixel value and the mean of the win×win window around it (clipped at the
// borders), computed from an integral image.
func forEachLocalMean(g *image.Gray, win int, fn func(i int, v, mean int64)) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w == 0 || h == 0 {
		return
	}
	win = max(win, 3)
	// Integral image of one extra row and column.
	ii := make([]int64, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		var rowSum int64
		row := g.Pix[y*g.Stride:]
		for x := 0; x < w; x++ {
			rowSum += int64(row[x])
			ii[(y+1)*(w+1)+x+1] = ii[y*(w+1)+x+1] + rowSum
		}
	}
	r := win / 2
	for y := 0; y < h; y++ {
		y0, y1 := max(0, y-r), min(h, y+r+1)
		for x := 0; x < w; x++ {
			x0, x1 := max(0, x-r), min(w, x+r+1)
			sum := ii[y1*(w+1)+x1] - ii[y0*(w+1)+x1] - ii[y1*(w+1)+x0] + ii[y0*(w+1)+x0]
			fn(y*w+x, int64(g.Pix[y*g.Stride+x]), sum/int64((y1-y0)*(x1-x0)))
		}
	}
}

// Scale resizes g by factor with Catmull-Rom interpolation (bilinear when
// shrinking, where it is as good and cheaper).
func Scale(g *image.Gray, factor float64) *image.Gray {
	w := max(1, int(math.Round(float64(g.Rect.Dx())*factor)))
	h := max(1, int(math.Round(float64(g.Rect.Dy())*factor)))
	out := image.NewGray(image.Rect(0, 0, w, h))
	var k xdraw.Interpolator = xdraw.CatmullRom
	if factor < 1 {
		k = xdraw.BiLinear
	}
	k.Scale(out, out.Bounds(), g, g.Rect, draw.Src, nil)
	return out
}

// ForOCR is the usual chain for a text region whose text lines are about
// lineHeight pixels high: grey, contrast stretch, and a scale that brings
// the lines to about 36 px (upscaling small text, downscaling huge text).
// It returns grey rather than binary: Tesseract's LSTM reads grey better
// than a hard threshold on anti-aliased or slightly blurred text.
func ForOCR(img image.Image, lineHeight float64) *image.Gray {
	return ForOCRGray(Gray(img), lineHeight)
}

// ForOCRGray is ForOCR on an already grey image, which it may modify.
func ForOCRGray(g *image.Gray, lineHeight float64) *image.Gray {
	Stretch(g, 0.01, 0.99)
	if lineHeight > 0 {
		f := 36 / lineHeight
		if f > 1.15 || f < 0.6 {
			g = Scale(g, math.Min(f, 4))
		}
	}
	return g
}
