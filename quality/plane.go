package quality

import (
	"image"
	"math"
	"sort"
)

// plane is a single-channel float image, row-major, values 0–255.
type plane struct {
	w, h int
	p    []float32
}

func newPlane(w, h int) *plane { return &plane{w: w, h: h, p: make([]float32, w*h)} }

// crop copies the w×h rectangle at (x0, y0).
func (p *plane) crop(x0, y0, w, h int) *plane {
	out := newPlane(w, h)
	for y := 0; y < h; y++ {
		copy(out.p[y*w:(y+1)*w], p.p[(y0+y)*p.w+x0:])
	}
	return out
}

// bilinear samples p at a real position, clamping to the border.
func (p *plane) bilinear(x, y float64) float32 {
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	if x > float64(p.w-1) {
		x = float64(p.w - 1)
	}
	if y > float64(p.h-1) {
		y = float64(p.h - 1)
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, p.w-1), min(y0+1, p.h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	a := p.p[y0*p.w+x0]*(1-fx) + p.p[y0*p.w+x1]*fx
	b := p.p[y1*p.w+x0]*(1-fx) + p.p[y1*p.w+x1]*fx
	return a*(1-fy) + b*fy
}

// luma returns the Rec. 601 luminance plane of img. JPEG decodes to YCbCr,
// whose Y plane is used directly.
func luma(img image.Image) *plane {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := newPlane(w, h)
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			row := m.Y[m.YOffset(b.Min.X, b.Min.Y+y):]
			o := out.p[y*w:]
			for x := 0; x < w; x++ {
				o[x] = float32(row[x])
			}
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			o := out.p[y*w:]
			for x := 0; x < w; x++ {
				o[x] = float32(row[x])
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			o := out.p[y*w:]
			for x := 0; x < w; x++ {
				r, g, bb := row[4*x], row[4*x+1], row[4*x+2]
				o[x] = 0.299*float32(r) + 0.587*float32(g) + 0.114*float32(bb)
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			o := out.p[y*w:]
			for x := 0; x < w; x++ {
				a := float32(row[4*x+3]) / 255
				r, g, bb := row[4*x], row[4*x+1], row[4*x+2]
				o[x] = a * (0.299*float32(r) + 0.587*float32(g) + 0.114*float32(bb))
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				out.p[y*w+x] = (0.299*float32(r) + 0.587*float32(g) + 0.114*float32(bb)) / 257
			}
		}
	}
	return out
}

// downscaleRGBA shrinks img by an integer factor k with a box filter (area
// average), which is both fast and free of the aliasing that point sampling
// would add — aliasing creates false sharpness.
func downscaleRGBA(img image.Image, k int) *image.RGBA {
	b := img.Bounds()
	// A block may not be larger than the image.
	k = max(1, min(k, b.Dx(), b.Dy()))
	w, h := b.Dx()/k, b.Dy()/k
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(k * k)
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			o := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				var sy uint32
				for dy := 0; dy < k; dy++ {
					row := m.Y[m.YOffset(b.Min.X+x*k, b.Min.Y+y*k+dy):]
					for dx := 0; dx < k; dx++ {
						sy += uint32(row[dx])
					}
				}
				// Chroma from the block's centre sample: colour is only
				// used for glare saturation, where this is plenty.
				ci := m.COffset(b.Min.X+x*k+k/2, b.Min.Y+y*k+k/2)
				r, g, bl := yccToRGB(uint8(sy/n), m.Cb[ci], m.Cr[ci])
				o[4*x], o[4*x+1], o[4*x+2], o[4*x+3] = r, g, bl, 255
			}
		}
	case *image.RGBA:
		if k == 1 {
			copy2(out, m)
			return out
		}
		for y := 0; y < h; y++ {
			o := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				var sr, sg, sb uint32
				for dy := 0; dy < k; dy++ {
					row := m.Pix[m.PixOffset(b.Min.X+x*k, b.Min.Y+y*k+dy):]
					for dx := 0; dx < k; dx++ {
						sr += uint32(row[4*dx])
						sg += uint32(row[4*dx+1])
						sb += uint32(row[4*dx+2])
					}
				}
				o[4*x], o[4*x+1], o[4*x+2], o[4*x+3] = uint8(sr/n), uint8(sg/n), uint8(sb/n), 255
			}
		}
	default:
		for y := 0; y < h; y++ {
			o := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				var sr, sg, sb uint32
				for dy := 0; dy < k; dy++ {
					for dx := 0; dx < k; dx++ {
						r, g, bl, _ := img.At(b.Min.X+x*k+dx, b.Min.Y+y*k+dy).RGBA()
						sr += r >> 8
						sg += g >> 8
						sb += bl >> 8
					}
				}
				o[4*x], o[4*x+1], o[4*x+2], o[4*x+3] = uint8(sr/n), uint8(sg/n), uint8(sb/n), 255
			}
		}
	}
	return out
}

func copy2(dst, src *image.RGBA) {
	b := src.Bounds()
	for y := 0; y < b.Dy(); y++ {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+4*b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
	}
}

func yccToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	yy := float32(y)
	fb, fr := float32(cb)-128, float32(cr)-128
	clamp := func(v float32) uint8 {
		if v < 0 {
			return 0
		}
		if v > 255 {
			return 255
		}
		return uint8(v + 0.5)
	}
	return clamp(yy + 1.402*fr), clamp(yy - 0.344136*fb - 0.714136*fr), clamp(yy + 1.772*fb)
}

// resizeRGBA resamples img to w×h with area averaging when shrinking and
// bilinear interpolation when enlarging.
func resizeRGBA(img image.Image, w, h int) *image.RGBA {
	b := img.Bounds()
	if k := min(b.Dx()/w, b.Dy()/h); k >= 2 {
		img = downscaleRGBA(img, k)
		b = img.Bounds()
	}
	src, ok := img.(*image.RGBA)
	if !ok {
		src = downscaleRGBA(img, 1)
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	sx, sy := float64(b.Dx())/float64(w), float64(b.Dy())/float64(h)
	for y := 0; y < h; y++ {
		fy := (float64(y)+0.5)*sy - 0.5
		fy = math.Max(0, math.Min(fy, float64(b.Dy()-1)))
		y0 := int(fy)
		y1 := min(y0+1, b.Dy()-1)
		wy := fy - float64(y0)
		o := out.Pix[y*out.Stride:]
		for x := 0; x < w; x++ {
			fx := (float64(x)+0.5)*sx - 0.5
			fx = math.Max(0, math.Min(fx, float64(b.Dx()-1)))
			x0 := int(fx)
			x1 := min(x0+1, b.Dx()-1)
			wx := fx - float64(x0)
			for c := 0; c < 4; c++ {
				a := float64(src.Pix[src.PixOffset(b.Min.X+x0, b.Min.Y+y0)+c])*(1-wx) + float64(src.Pix[src.PixOffset(b.Min.X+x1, b.Min.Y+y0)+c])*wx
				d := float64(src.Pix[src.PixOffset(b.Min.X+x0, b.Min.Y+y1)+c])*(1-wx) + float64(src.Pix[src.PixOffset(b.Min.X+x1, b.Min.Y+y1)+c])*wx
				o[4*x+c] = uint8(a*(1-wy) + d*wy + 0.5)
			}
		}
	}
	return out
}

// percentile returns the q-quantile (0–1) of a histogram of 256 bins.
func histPercentile(hist *[256]int, total int, q float64) float64 {
	target := int(q * float64(total))
	acc := 0
	for i, c := range hist {
		acc += c
		if acc > target {
			return float64(i)
		}
	}
	return 255
}

// median returns the median of v (v is reordered).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// quantile returns the q-quantile of v (v is reordered).
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	i := int(q * float64(len(v)-1))
	return v[i]
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
