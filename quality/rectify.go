package quality

import (
	"image"
	"math"
)

// quadSize returns the mean lengths of the top/bottom and left/right sides
// of a quadrilateral given clockwise from its top-left corner.
func quadSize(c [4][2]float64) (w, h float64) {
	d := func(a, b int) float64 { return math.Hypot(c[a][0]-c[b][0], c[a][1]-c[b][1]) }
	return (d(0, 1) + d(3, 2)) / 2, (d(0, 3) + d(1, 2)) / 2
}

// homography maps the unit square (0,0),(1,0),(1,1),(0,1) to the quad q
// (Heckbert's closed form), as a row-major 3×3 matrix.
func squareToQuad(q [4][2]float64) [9]float64 {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1]
	sx := x0 - x1 + x2 - x3
	sy := y0 - y1 + y2 - y3
	if math.Abs(sx) < 1e-9 && math.Abs(sy) < 1e-9 { // affine
		return [9]float64{x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1}
	}
	dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	if math.Abs(den) < 1e-12 {
		den = 1e-12
	}
	g := (sx*dy2 - dx2*sy) / den
	h := (dx1*sy - sx*dy1) / den
	return [9]float64{
		x1 - x0 + g*x1, x3 - x0 + h*x3, x0,
		y1 - y0 + g*y1, y3 - y0 + h*y3, y0,
		g, h, 1,
	}
}

// rectify warps the quadrilateral corners (clockwise from top-left, in
// image coordinates where pixel (0,0) spans [0,1)²) of img to a w×h
// image. It returns the luminance at full size and, at half size, the
// colour saturation (for glare). The luminance source is first box-shrunk by
// an integer factor so that bilinear sampling never skips source pixels:
// skipped pixels alias into false sharpness and false noise. JPEG input
// (YCbCr) is read from its Y plane directly, without colour conversion.
func rectify(img image.Image, corners [4][2]float64, w, h int) (*plane, *plane) {
	lum := rectifyLuma(img, corners, w, h)
	sat := warpSaturation(img, squareToQuad(corners), lum, max(1, w/2), max(1, h/2))
	return lum, sat
}

// rectifyLuma is rectify's luminance alone.
func rectifyLuma(img image.Image, corners [4][2]float64, w, h int) *plane {
	b := img.Bounds()
	qw, qh := quadSize(corners)
	k := max(1, int(math.Min(qw/float64(w), qh/float64(h))))
	// Only the quad's bounding box is read.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range corners {
		minX, minY = math.Min(minX, c[0]), math.Min(minY, c[1])
		maxX, maxY = math.Max(maxX, c[0]), math.Max(maxY, c[1])
	}
	clampI := func(v float64, lo, hi int) int {
		if v < float64(lo) {
			return lo
		}
		if v > float64(hi) {
			return hi
		}
		return int(v)
	}
	r := image.Rect(clampI(minX-float64(k), 0, b.Dx()), clampI(minY-float64(k), 0, b.Dy()),
		clampI(maxX+float64(k)+1, 0, b.Dx()), clampI(maxY+float64(k)+1, 0, b.Dy())).Add(b.Min)
	if r.Dx() < 1 || r.Dy() < 1 {
		r = b
	}
	k = max(1, min(k, r.Dx(), r.Dy()))
	g := grayRegion(img, r, k)
	off := [2]float64{float64(r.Min.X - b.Min.X), float64(r.Min.Y - b.Min.Y)}
	var q [4][2]float64
	for i, c := range corners {
		q[i] = [2]float64{(c[0] - off[0]) / float64(k), (c[1] - off[1]) / float64(k)}
	}
	return warpGray(g, squareToQuad(q), w, h)
}

// gray8 is an 8-bit single-channel image.
type gray8 struct {
	pix          []uint8
	stride, w, h int
}

// grayRegion returns the luminance of r, box-shrunk by k.
func grayRegion(img image.Image, r image.Rectangle, k int) gray8 {
	if k == 1 {
		switch m := img.(type) {
		case *image.YCbCr:
			return gray8{m.Y[m.YOffset(r.Min.X, r.Min.Y):], m.YStride, r.Dx(), r.Dy()}
		case *image.Gray:
			return gray8{m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride, r.Dx(), r.Dy()}
		}
	}
	w, h := r.Dx()/k, r.Dy()/k
	out := gray8{make([]uint8, w*h), w, w, h}
	n := uint32(k * k)
	switch m := img.(type) {
	case *image.YCbCr:
		boxSum(out, k, n, func(y int) []uint8 { return m.Y[m.YOffset(r.Min.X, r.Min.Y+y):] }, 1)
	case *image.Gray:
		boxSum(out, k, n, func(y int) []uint8 { return m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):] }, 1)
	case *image.RGBA:
		row := make([]uint8, r.Dx())
		boxSum(out, k, n, func(y int) []uint8 {
			src := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			for x := range row {
				p := src[4*x : 4*x+3 : 4*x+3]
				row[x] = uint8((299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000)
			}
			return row
		}, 1)
	default:
		row := make([]uint8, r.Dx())
		boxSum(out, k, n, func(y int) []uint8 {
			for x := range row {
				cr, cg, cb, _ := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
				row[x] = uint8((299*(cr>>8) + 587*(cg>>8) + 114*(cb>>8) + 500) / 1000)
			}
			return row
		}, 1)
	}
	return out
}

// boxSum fills out with k×k block means of the rows that row returns.
func boxSum(out gray8, k int, n uint32, row func(y int) []uint8, _ int) {
	acc := make([]uint32, out.w)
	for y := 0; y < out.h; y++ {
		clear(acc)
		for dy := 0; dy < k; dy++ {
			src := row(y*k + dy)
			for x := 0; x < out.w; x++ {
				var s uint32
				for _, v := range src[x*k : x*k+k] {
					s += uint32(v)
				}
				acc[x] += s
			}
		}
		o := out.pix[y*out.stride:]
		for x, s := range acc {
			o[x] = uint8((s + n/2) / n)
		}
	}
}

// warpGray samples src bilinearly through the homography H (unit square to
// source pixels) into a w×h plane.
func warpGray(src gray8, H [9]float64, w, h int) *plane {
	out := newPlane(w, h)
	if src.w < 1 || src.h < 1 {
		return out
	}
	maxX, maxY := float64(src.w-1), float64(src.h-1)
	// Locals, not fields, so that the loop keeps them in registers.
	pix, stride, lastX, lastY := src.pix, src.stride, src.w-1, src.h-1
	du := 1 / float64(w)
	for y := 0; y < h; y++ {
		v := (float64(y) + 0.5) / float64(h)
		u := 0.5 * du
		// Numerators and denominator are affine in u: step them.
		nx := H[0]*u + H[1]*v + H[2]
		ny := H[3]*u + H[4]*v + H[5]
		nz := H[6]*u + H[7]*v + H[8]
		dnx, dny, dnz := H[0]*du, H[3]*du, H[6]*du
		o := out.p[y*w : (y+1)*w]
		for x := range o {
			iz := 1 / nz
			fx := nx*iz - 0.5
			fy := ny*iz - 0.5
			nx += dnx
			ny += dny
			nz += dnz
			if !(fx > 0) { // also catches NaN
				fx = 0
			} else if fx > maxX {
				fx = maxX
			}
			if !(fy > 0) {
				fy = 0
			} else if fy > maxY {
				fy = maxY
			}
			x0, y0 := int(fx), int(fy)
			ax, ay := float32(fx-float64(x0)), float32(fy-float64(y0))
			dx, dy := 1, stride
			if x0 >= lastX {
				dx = 0
			}
			if y0 >= lastY {
				dy = 0
			}
			i := y0*stride + x0
			t := float32(pix[i])*(1-ax) + float32(pix[i+dx])*ax
			bb := float32(pix[i+dy])*(1-ax) + float32(pix[i+dy+dx])*ax
			o[x] = t*(1-ay) + bb*ay
		}
	}
	return out
}

// warpSaturation samples the colour saturation (max−min)/max of img at the
// nearest source pixel through H into a w×h plane (half of lum's size).
// Glare needs only this and luminance, and only at low resolution; pixels
// too dark to be glare (lum < 245) are not sampled and get saturation 1.
func warpSaturation(img image.Image, H [9]float64, lum *plane, w, h int) *plane {
	out := newPlane(w, h)
	b := img.Bounds()
	satAt := saturationFunc(img)
	for y := 0; y < h; y++ {
		v := (float64(y) + 0.5) / float64(h)
		y0, y1 := min(2*y, lum.h-1), min(2*y+1, lum.h-1)
		l0, l1 := lum.p[y0*lum.w:][:lum.w], lum.p[y1*lum.w:][:lum.w]
		o := out.p[y*w:][:w]
		for x := range o {
			x0, x1 := min(2*x, lum.w-1), min(2*x+1, lum.w-1)
			if l0[x0]+l0[x1]+l1[x0]+l1[x1] < 4*glareMinLuma {
				o[x] = 1
				continue
			}
			u := (float64(x) + 0.5) / float64(w)
			z := H[6]*u + H[7]*v + H[8]
			sx := int((H[0]*u+H[1]*v+H[2])/z) + b.Min.X
			sy := int((H[3]*u+H[4]*v+H[5])/z) + b.Min.Y
			sx = max(b.Min.X, min(sx, b.Max.X-1))
			sy = max(b.Min.Y, min(sy, b.Max.Y-1))
			o[x] = satAt(sx, sy)
		}
	}
	return out
}

// saturationFunc returns a function reading the colour saturation
// (max−min)/max of one pixel of img, specialised for the common concrete
// image types.
func saturationFunc(img image.Image) func(x, y int) float32 {
	sat := func(r, g, bl int32) float32 {
		mx, mn := max(r, g, bl), min(r, g, bl)
		if mx <= 0 {
			return 0
		}
		return float32(mx-mn) / float32(mx)
	}
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float32 {
			ci := m.COffset(x, y)
			r, g, bl := yccToRGB(m.Y[m.YOffset(x, y)], m.Cb[ci], m.Cr[ci])
			return sat(int32(r), int32(g), int32(bl))
		}
	case *image.RGBA:
		return func(x, y int) float32 {
			p := m.Pix[m.PixOffset(x, y):]
			return sat(int32(p[0]), int32(p[1]), int32(p[2]))
		}
	case *image.Gray:
		return func(x, y int) float32 { return 0 }
	}
	return func(x, y int) float32 {
		r, g, bl, _ := img.At(x, y).RGBA()
		return sat(int32(r>>8), int32(g>>8), int32(bl>>8))
	}
}
