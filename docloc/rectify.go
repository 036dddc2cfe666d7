package docloc

import (
	"errors"
	"image"
	"image/color"
	"math"
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
	m, err := homography([4][2]float64{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}}, corners)
	if err != nil {
		return nil
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	b := img.Bounds()
	at := rgbaFunc(img)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := m.apply(float64(x)+0.5, float64(y)+0.5)
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

// mat3 is a 3×3 projective transform (row-major).
type mat3 [9]float64

func (m mat3) apply(x, y float64) (float64, float64) {
	w := m[6]*x + m[7]*y + m[8]
	return (m[0]*x + m[1]*y + m[2]) / w, (m[3]*x + m[4]*y + m[5]) / w
}

// homography solves the projective transform mapping src[i] to dst[i].
func homography(src, dst [4][2]float64) (mat3, error) {
	var A [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := src[i][0], src[i][1], dst[i][0], dst[i][1]
		A[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		A[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := 0; col < 8; col++ {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(A[r][col]) > math.Abs(A[piv][col]) {
				piv = r
			}
		}
		if math.Abs(A[piv][col]) < 1e-12 {
			return mat3{}, errors.New("docloc: degenerate quadrilateral")
		}
		A[col], A[piv] = A[piv], A[col]
		for r := 0; r < 8; r++ {
			if r == col {
				continue
			}
			f := A[r][col] / A[col][col]
			for k := col; k < 9; k++ {
				A[r][k] -= f * A[col][k]
			}
		}
	}
	var m mat3
	for i := 0; i < 8; i++ {
		m[i] = A[i][8] / A[i][i]
	}
	m[8] = 1
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return mat3{}, errors.New("docloc: degenerate quadrilateral")
		}
	}
	return m, nil
}
