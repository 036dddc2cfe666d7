package docloc

import (
	"image"
	"image/color"
	"math"

	"github.com/kycgate/kycgate/internal/geom"
)

// Rectify warps the quadrilateral corners (clockwise from the document's
// top-left, in img's coordinates) to an upright w×h image with bilinear
// sampling. Parts of the quad outside img are filled with the nearest edge
// pixel. It returns nil when w or h is not positive or the corners are
// degenerate.
func Rectify(img image.Image, corners [4][2]float64, w, h int) *image.RGBA {
	if img == nil || w <= 0 || h <= 0 || w*h > 100_000_000 {
		return nil
	}
	m, err := geom.Homography([4][2]float64{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}}, corners)
	if err != nil {
		return nil
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	b := img.Bounds()
	at := rgbaFunc(img)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := m.Apply(float64(x)+0.5, float64(y)+0.5)
			c := bilinearRGBA(at, b, sx, sy)
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = c.R, c.G, c.B, 255
		}
	}
	return out
}

// rgbaFunc returns a fast pixel reader for common image types.
func rgbaFunc(img image.Image) func(x, y int) [3]float32 {
	switch m := img.(type) {
	case *image.RGBA:
		return func(x, y int) [3]float32 {
			i := m.PixOffset(x, y)
			return [3]float32{float32(m.Pix[i]), float32(m.Pix[i+1]), float32(m.Pix[i+2])}
		}
	case *image.YCbCr:
		return func(x, y int) [3]float32 {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			return [3]float32{float32(r), float32(g), float32(b)}
		}
	}
	return func(x, y int) [3]float32 {
		r, g, b, _ := img.At(x, y).RGBA()
		return [3]float32{float32(r >> 8), float32(g >> 8), float32(b >> 8)}
	}
}

func bilinearRGBA(at func(x, y int) [3]float32, b image.Rectangle, x, y float64) color.RGBA {
	x -= 0.5
	y -= 0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	cl := func(v, lo, hi int) int {
		if v < lo {
			return lo
		}
		if v > hi {
			return hi
		}
		return v
	}
	ix, iy := int(x0)+b.Min.X, int(y0)+b.Min.Y
	x1, y1 := cl(ix+1, b.Min.X, b.Max.X-1), cl(iy+1, b.Min.Y, b.Max.Y-1)
	ix, iy = cl(ix, b.Min.X, b.Max.X-1), cl(iy, b.Min.Y, b.Max.Y-1)
	p00, p10, p01, p11 := at(ix, iy), at(x1, iy), at(ix, y1), at(x1, y1)
	var c [3]uint8
	for k := 0; k < 3; k++ {
		v := p00[k]*(1-fx)*(1-fy) + p10[k]*fx*(1-fy) + p01[k]*(1-fx)*fy + p11[k]*fx*fy
		c[k] = uint8(math.Max(0, math.Min(255, float64(v)+0.5)))
	}
	return color.RGBA{c[0], c[1], c[2], 255}
}
