package quality

import (
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

func sqrt(x float64) float64 { return math.Sqrt(x) }
