package docloc

import (
	"image"
	"image/color"
	"math"
)

// plane is a float32 single-channel image.
type plane struct {
	w, h int
	p    []float32
}

func newPlane(w, h int) *plane { return &plane{w: w, h: h, p: make([]float32, w*h)} }

// work holds the downscaled image in an opponent colour space: luminance
// and two chroma channels. Chroma lets a white card be found on a
// light-grey table when their luminance is nearly equal but their tint is
// not.
type work struct {
	k         int // downscale factor: work pixel (x,y) covers input [k*x, k*x+k)
	l, cb, cr *plane
}

// downscale box-averages img by an integer factor k into luminance and
// chroma planes. Fast paths read *image.YCbCr (decoded JPEG), *image.RGBA,
// *image.NRGBA and *image.Gray directly; anything else goes through At.
func downscale(img image.Image, k int) *work {
	b := img.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	if w < 1 {
		w = 1
	}
	if h < 1 {
		h = 1
	}
	wk := &work{k: k, l: newPlane(w, h), cb: newPlane(w, h), cr: newPlane(w, h)}
	inv := 1 / float32(k*k)
	switch m := img.(type) {
	case *image.YCbCr:
		rowY := make([]uint32, w)
		rowCb := make([]uint32, w)
		rowCr := make([]uint32, w)
		// COffset is a row part plus a column part (each zero at m's
		// top-left corner) for every subsampling ratio, so the column
		// part of each block's chroma sample is computed once, not per
		// block row.
		colC := make([]int, w)
		for x := range colC {
			colC[x] = m.COffset(b.Min.X+x*k+k/2, m.Rect.Min.Y)
		}
		x0 := b.Min.X - m.Rect.Min.X
		for y := 0; y < h; y++ {
			clear(rowY)
			clear(rowCb)
			clear(rowCr)
			for dy := 0; dy < k; dy++ {
				sy := b.Min.Y + y*k + dy
				srcY := m.Y[(sy-m.Rect.Min.Y)*m.YStride+x0:][:w*k]
				for x := range rowY {
					rowY[x] += sumBytes(srcY[x*k : x*k+k])
				}
			}
			// chroma: one sample per block row is plenty; block rows that
			// share a (subsampled) chroma row read it once, weighted by
			// how many share it.
			for dy := 0; dy < k; {
				sy := b.Min.Y + y*k + dy
				rowC := m.COffset(m.Rect.Min.X, sy)
				n := 1
				for dy+n < k && m.COffset(m.Rect.Min.X, sy+n) == rowC {
					n++
				}
				dy += n
				srcCb, srcCr := m.Cb[rowC:], m.Cr[rowC:]
				wt := uint32(n * k)
				for x, co := range colC {
					rowCb[x] += uint32(srcCb[co]) * wt
					rowCr[x] += uint32(srcCr[co]) * wt
				}
			}
			o := y * w
			for x := 0; x < w; x++ {
				wk.l.p[o+x] = float32(rowY[x]) * inv
				wk.cb.p[o+x] = float32(rowCb[x])*inv - 128
				wk.cr.p[o+x] = float32(rowCr[x])*inv - 128
			}
		}
	case *image.RGBA:
		// Large factors read every other row of each block: the average
		// of k×k/2 pixels is still far below the noise that matters, and
		// memory traffic halves.
		step := 1
		if k >= 4 {
			step = 2
		}
		invS := inv * float32(step)
		sr := make([]uint32, w)
		sg := make([]uint32, w)
		sb := make([]uint32, w)
		for y := 0; y < h; y++ {
			for i := range sr {
				sr[i], sg[i], sb[i] = 0, 0, 0
			}
			for dy := 0; dy < k; dy += step {
				off := m.PixOffset(b.Min.X, b.Min.Y+y*k+dy)
				row := m.Pix[off : off+w*k*4]
				for x := 0; x < w; x++ {
					px := row[x*k*4 : (x+1)*k*4]
					var r, g, bl uint32
					for dx := 0; dx+2 < len(px); dx += 4 {
						r += uint32(px[dx])
						g += uint32(px[dx+1])
						bl += uint32(px[dx+2])
					}
					sr[x] += r
					sg[x] += g
					sb[x] += bl
				}
			}
			o := y * w
			for x := 0; x < w; x++ {
				r, g, bl := float32(sr[x])*invS, float32(sg[x])*invS, float32(sb[x])*invS
				wk.l.p[o+x] = 0.299*r + 0.587*g + 0.114*bl
				wk.cb.p[o+x] = -0.1687*r - 0.3313*g + 0.5*bl
				wk.cr.p[o+x] = 0.5*r - 0.4187*g - 0.0813*bl
			}
		}
	case *image.NRGBA:
		downscaleRGB(wk, w, h, k, func(x, y int) (uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			a := uint32(m.Pix[i+3])
			return uint32(m.Pix[i]) * a / 255, uint32(m.Pix[i+1]) * a / 255, uint32(m.Pix[i+2]) * a / 255
		}, b)
	case *image.Gray:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s uint32
				for dy := 0; dy < k; dy++ {
					o := m.PixOffset(b.Min.X+x*k, b.Min.Y+y*k+dy)
					for dx := 0; dx < k; dx++ {
						s += uint32(m.Pix[o+dx])
					}
				}
				wk.l.p[y*w+x] = float32(s) * inv
			}
		}
	default:
		downscaleRGB(wk, w, h, k, func(x, y int) (uint32, uint32, uint32) {
			r, g, bb, _ := img.At(x, y).RGBA()
			return r >> 8, g >> 8, bb >> 8
		}, b)
	}
	return wk
}

// sumBytes returns the sum of b, four bytes per step.
func sumBytes(b []uint8) uint32 {
	var s uint32
	for len(b) >= 4 {
		s += uint32(b[0]) + uint32(b[1]) + uint32(b[2]) + uint32(b[3])
		b = b[4:]
	}
	for _, v := range b {
		s += uint32(v)
	}
	return s
}

func downscaleRGB(wk *work, w, h, k int, at func(x, y int) (uint32, uint32, uint32), b image.Rectangle) {
	inv := 1 / float32(k*k)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sr, sg, sb uint32
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					r, g, bl := at(b.Min.X+x*k+dx, b.Min.Y+y*k+dy)
					sr += r
					sg += g
					sb += bl
				}
			}
			r, g, bl := float32(sr)*inv, float32(sg)*inv, float32(sb)*inv
			o := y*w + x
			wk.l.p[o] = 0.299*r + 0.587*g + 0.114*bl
			wk.cb.p[o] = -0.1687*r - 0.3313*g + 0.5*bl
			wk.cr.p[o] = 0.5*r - 0.4187*g - 0.0813*bl
		}
	}
}

// lumaFunc returns a function reading the luminance of one input pixel,
// specialised for the common concrete image types.
func lumaFunc(img image.Image) func(x, y int) float32 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float32 { return float32(m.Y[m.YOffset(x, y)]) }
	case *image.RGBA:
		return func(x, y int) float32 {
			i := m.PixOffset(x, y)
			return 0.299*float32(m.Pix[i]) + 0.587*float32(m.Pix[i+1]) + 0.114*float32(m.Pix[i+2])
		}
	case *image.NRGBA:
		return func(x, y int) float32 {
			i := m.PixOffset(x, y)
			a := float32(m.Pix[i+3]) / 255
			return a * (0.299*float32(m.Pix[i]) + 0.587*float32(m.Pix[i+1]) + 0.114*float32(m.Pix[i+2]))
		}
	case *image.Gray:
		return func(x, y int) float32 { return float32(m.Pix[m.PixOffset(x, y)]) }
	}
	return func(x, y int) float32 {
		g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
		return float32(g.Y)
	}
}

// bilinearLuma samples luminance at a continuous position (pixel centres at
// +0.5), clamped to the image.
func bilinearLuma(luma func(x, y int) float32, b image.Rectangle, x, y float64) float32 {
	x -= 0.5
	y -= 0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0)+b.Min.X, int(y0)+b.Min.Y
	cl := func(v, lo, hi int) int {
		if v < lo {
			return lo
		}
		if v > hi {
			return hi
		}
		return v
	}
	x1, y1 := cl(ix+1, b.Min.X, b.Max.X-1), cl(iy+1, b.Min.Y, b.Max.Y-1)
	ix, iy = cl(ix, b.Min.X, b.Max.X-1), cl(iy, b.Min.Y, b.Max.Y-1)
	return luma(ix, iy)*(1-fx)*(1-fy) + luma(x1, iy)*fx*(1-fy) + luma(ix, y1)*(1-fx)*fy + luma(x1, y1)*fx*fy
}
