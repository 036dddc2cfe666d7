package docread

import (
	"image"
	"image/color"
	"math"

	xdraw "golang.org/x/image/draw"
)

// homography maps (u,v) in the unit square to the quadrilateral q
// (clockwise from top left), the classic square-to-quad projective map.
type homography [9]float64

func squareToQuad(q [4][2]float64) homography {
	x0, y0 := q[0][0], q[0][1]
	x1, y1 := q[1][0], q[1][1]
	x2, y2 := q[2][0], q[2][1]
	x3, y3 := q[3][0], q[3][1]
	sx := x0 - x1 + x2 - x3
	sy := y0 - y1 + y2 - y3
	if math.Abs(sx) < 1e-9 && math.Abs(sy) < 1e-9 { // affine
		return homography{x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0, 0, 1}
	}
	dx1, dx2 := x1-x2, x3-x2
	dy1, dy2 := y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	if den == 0 {
		den = 1e-12
	}
	g := (sx*dy2 - dx2*sy) / den
	h := (dx1*sy - sx*dy1) / den
	return homography{x1 - x0 + g*x1, x3 - x0 + h*x3, x0, y1 - y0 + g*y1, y3 - y0 + h*y3, y0, g, h, 1}
}

func (m homography) apply(u, v float64) (float64, float64) {
	w := m[6]*u + m[7]*v + m[8]
	return (m[0]*u + m[1]*v + m[2]) / w, (m[3]*u + m[4]*v + m[5]) / w
}

// rectify warps the quadrilateral q of img to a w×h upright image with
// bilinear sampling. When the quadrilateral is much larger than the output
// it averages a grid of samples per pixel so that fine print does not
// alias.
func rectify(img image.Image, q [4][2]float64, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	m := squareToQuad(q)
	srcW := math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1])
	ss := int(math.Ceil(srcW / float64(w)))
	ss = max(1, min(ss, 3))
	s := newSampler(img)
	inv := 1 / float64(ss*ss)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, b float64
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					u := (float64(x) + (float64(i)+0.5)/float64(ss)) / float64(w)
					v := (float64(y) + (float64(j)+0.5)/float64(ss)) / float64(h)
					sx, sy := m.apply(u, v)
					cr, cg, cb := s.bilinear(sx-0.5, sy-0.5)
					r, g, b = r+cr, g+cg, b+cb
				}
			}
			o := y*out.Stride + 4*x
			out.Pix[o] = uint8(r*inv + 0.5)
			out.Pix[o+1] = uint8(g*inv + 0.5)
			out.Pix[o+2] = uint8(b*inv + 0.5)
			out.Pix[o+3] = 255
		}
	}
	return out
}

// scaleFrame is rectify for the whole frame of a landscape image (nothing
// located): a plain resize, with a filter that widens when it shrinks.
// It costs a few tens of milliseconds where the projective warp with
// supersampling costs about 300 ms on a 1600×1200 photo.
func scaleFrame(img image.Image, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(out, out.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return out
}

// sampler reads pixels fast from the common decoded types.
type sampler struct {
	img  image.Image
	b    image.Rectangle
	rgba *image.RGBA
	ycc  *image.YCbCr
	gray *image.Gray
}

func newSampler(img image.Image) *sampler {
	s := &sampler{img: img, b: img.Bounds()}
	switch m := img.(type) {
	case *image.RGBA:
		s.rgba = m
	case *image.YCbCr:
		s.ycc = m
	case *image.Gray:
		s.gray = m
	}
	return s
}

func (s *sampler) at(x, y int) (float64, float64, float64) {
	x = min(max(x, s.b.Min.X), s.b.Max.X-1)
	y = min(max(y, s.b.Min.Y), s.b.Max.Y-1)
	switch {
	case s.rgba != nil:
		o := s.rgba.PixOffset(x, y)
		return float64(s.rgba.Pix[o]), float64(s.rgba.Pix[o+1]), float64(s.rgba.Pix[o+2])
	case s.gray != nil:
		v := float64(s.gray.Pix[s.gray.PixOffset(x, y)])
		return v, v, v
	case s.ycc != nil:
		yy := s.ycc.Y[s.ycc.YOffset(x, y)]
		ci := s.ycc.COffset(x, y)
		r, g, b := color.YCbCrToRGB(yy, s.ycc.Cb[ci], s.ycc.Cr[ci])
		return float64(r), float64(g), float64(b)
	}
	r, g, b, _ := s.img.At(x, y).RGBA()
	return float64(r >> 8), float64(g >> 8), float64(b >> 8)
}

func (s *sampler) bilinear(fx, fy float64) (float64, float64, float64) {
	x0, y0 := math.Floor(fx), math.Floor(fy)
	ax, ay := fx-x0, fy-y0
	ix, iy := int(x0), int(y0)
	r00, g00, b00 := s.at(ix, iy)
	r10, g10, b10 := s.at(ix+1, iy)
	r01, g01, b01 := s.at(ix, iy+1)
	r11, g11, b11 := s.at(ix+1, iy+1)
	lerp := func(a, b, c, d float64) float64 {
		return (a*(1-ax)+b*ax)*(1-ay) + (c*(1-ax)+d*ax)*ay
	}
	return lerp(r00, r10, r01, r11), lerp(g00, g10, g01, g11), lerp(b00, b10, b01, b11)
}

// canonicalSize picks the rectified size from the quadrilateral's aspect:
// ID-1 cards (85.6×54 mm, 1.586) at 1012×638 (300 dpi, the resolution the
// zones and OCR scales are tuned for); squarer pages (passport 1.42,
// household register 1.36) 1476 px wide at their measured aspect.
func canonicalSize(q [4][2]float64) (w, h int, aspect float64) {
	top := math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1])
	bottom := math.Hypot(q[2][0]-q[3][0], q[2][1]-q[3][1])
	left := math.Hypot(q[3][0]-q[0][0], q[3][1]-q[0][1])
	right := math.Hypot(q[2][0]-q[1][0], q[2][1]-q[1][1])
	if left+right == 0 {
		return 1012, 638, 0
	}
	aspect = (top + bottom) / (left + right)
	if aspect >= 1.5 {
		return 1012, 638, aspect
	}
	a := math.Max(aspect, 1.2)
	return 1476, int(1476 / a), aspect
}

// landscape reorders corners so that the first edge (top) is a long edge:
// a card photographed in portrait orientation is turned a quarter.
func landscape(q [4][2]float64) [4][2]float64 {
	top := math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1])
	left := math.Hypot(q[3][0]-q[0][0], q[3][1]-q[0][1])
	if top >= left*0.95 {
		return q
	}
	return [4][2]float64{q[3], q[0], q[1], q[2]}
}
