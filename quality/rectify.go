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
// image coordinates where pixel (0,0) spans [0,1)²) of img to a w×h image.
// The source is first box-shrunk by an integer factor so that bilinear
// sampling never skips source pixels: skipped pixels alias into false
// sharpness and false noise.
func rectify(img image.Image, corners [4][2]float64, w, h int) *image.RGBA {
	b := img.Bounds()
	qw, qh := quadSize(corners)
	k := int(math.Min(qw/float64(w), qh/float64(h)))
	var src *image.RGBA
	var off [2]float64
	if k >= 2 || !isRGBA(img) {
		if k < 1 {
			k = 1
		}
		// Only the quad's bounding box is shrunk.
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, c := range corners {
			minX, minY = math.Min(minX, c[0]), math.Min(minY, c[1])
			maxX, maxY = math.Max(maxX, c[0]), math.Max(maxY, c[1])
		}
		r := image.Rect(int(minX)-k, int(minY)-k, int(maxX)+k+1, int(maxY)+k+1).Add(b.Min).Intersect(b)
		if r.Empty() {
			r = b
		}
		src = downscaleRGBA(subImage(img, r), k)
		off = [2]float64{float64(r.Min.X - b.Min.X), float64(r.Min.Y - b.Min.Y)}
	} else {
		src = img.(*image.RGBA)
		k = 1
	}
	var q [4][2]float64
	for i, c := range corners {
		q[i] = [2]float64{(c[0] - off[0]) / float64(k), (c[1] - off[1]) / float64(k)}
	}
	H := squareToQuad(q)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	base := src.PixOffset(sb.Min.X, sb.Min.Y)
	stride := src.Stride
	maxX, maxY := float64(sw-1), float64(sh-1)
	du := 1 / float64(w)
	for y := 0; y < h; y++ {
		v := (float64(y) + 0.5) / float64(h)
		u := 0.5 * du
		// Numerators and denominator are affine in u: step them.
		nx := H[0]*u + H[1]*v + H[2]
		ny := H[3]*u + H[4]*v + H[5]
		nz := H[6]*u + H[7]*v + H[8]
		dnx, dny, dnz := H[0]*du, H[3]*du, H[6]*du
		o := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x := 0; x < w; x++ {
			iz := 1 / nz
			fx := nx*iz - 0.5
			fy := ny*iz - 0.5
			nx += dnx
			ny += dny
			nz += dnz
			if fx < 0 {
				fx = 0
			} else if fx > maxX {
				fx = maxX
			}
			if fy < 0 {
				fy = 0
			} else if fy > maxY {
				fy = maxY
			}
			x0, y0 := int(fx), int(fy)
			ax := int32((fx - float64(x0)) * 256)
			ay := int32((fy - float64(y0)) * 256)
			dx, dy := 4, stride
			if x0 >= sw-1 {
				dx = 0
			}
			if y0 >= sh-1 {
				dy = 0
			}
			i := base + y0*stride + 4*x0
			p00 := src.Pix[i : i+3 : i+3]
			p01 := src.Pix[i+dx : i+dx+3 : i+dx+3]
			p10 := src.Pix[i+dy : i+dy+3 : i+dy+3]
			p11 := src.Pix[i+dy+dx : i+dy+dx+3 : i+dy+dx+3]
			q := o[4*x : 4*x+4 : 4*x+4]
			for c := 0; c < 3; c++ {
				t := int32(p00[c])*(256-ax) + int32(p01[c])*ax
				b := int32(p10[c])*(256-ax) + int32(p11[c])*ax
				q[c] = uint8((t*(256-ay) + b*ay + 32768) >> 16)
			}
			q[3] = 255
		}
	}
	return out
}

func isRGBA(img image.Image) bool { _, ok := img.(*image.RGBA); return ok }

// subImage crops img to r without copying when the type allows it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return img
}
