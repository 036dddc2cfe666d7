package docloc

import (
	"math"
)

// smooth applies a separable [1 4 6 4 1]/16 binomial filter (≈ Gaussian
// σ = 1), enough to suppress sensor noise and JPEG ringing before Sobel.
// tmp and out must hold w*h values; borders are clamped.
func smooth(p *plane, tmp, out []float32) {
	w, h := p.w, p.h
	cl := func(v, hi int) int {
		if v < 0 {
			return 0
		}
		if v > hi {
			return hi
		}
		return v
	}
	for y := 0; y < h; y++ {
		r := p.p[y*w : (y+1)*w]
		t := tmp[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			if x >= 2 && x < w-2 {
				// interior: no clamping
				for ; x < w-2; x++ {
					t[x] = (r[x-2] + 4*r[x-1] + 6*r[x] + 4*r[x+1] + r[x+2]) * (1.0 / 16)
				}
				x--
				continue
			}
			t[x] = (r[cl(x-2, w-1)] + 4*r[cl(x-1, w-1)] + 6*r[x] + 4*r[cl(x+1, w-1)] + r[cl(x+2, w-1)]) * (1.0 / 16)
		}
	}
	for y := 0; y < h; y++ {
		a, b, c, d, e := cl(y-2, h-1)*w, cl(y-1, h-1)*w, y*w, cl(y+1, h-1)*w, cl(y+2, h-1)*w
		ra, rb, rc, rd, re := tmp[a:a+w], tmp[b:b+w], tmp[c:c+w], tmp[d:d+w], tmp[e:e+w]
		o := out[c : c+w]
		for x := range o {
			o[x] = (ra[x] + 4*rb[x] + 6*rc[x] + 4*rd[x] + re[x]) * (1.0 / 16)
		}
	}
}

// gradients holds, per work pixel, the gradient of whichever channel
// (luminance or weighted chroma) changes most there.
type gradients struct {
	w, h   int
	gx, gy []float32
	mag    []float32
	low    float32 // edge threshold (hysteresis low)
	high   float32
}

// chromaWeight scales chroma gradients against luminance ones; chroma in
// Cb/Cr units has about half the range of luminance for the same visual
// contrast.
const chromaWeight = 1.6

func computeGradients(wk *work) *gradients {
	w, h := wk.l.w, wk.l.h
	g := &gradients{w: w, h: h, gx: make([]float32, w*h), gy: make([]float32, w*h), mag: make([]float32, w*h)}
	// mag holds the squared magnitude of the winning channel until the
	// square root is taken in place at the end.
	m2 := g.mag
	tmp := make([]float32, w*h)
	p := make([]float32, w*h)
	for c, ch := range []*plane{wk.l, wk.cb, wk.cr} {
		smooth(ch, tmp, p)
		wt := float32(0.25)
		if c > 0 {
			wt *= chromaWeight
		}
		for y := 1; y < h-1; y++ {
			r0, r1, r2 := p[(y-1)*w:][:w], p[y*w:][:w], p[(y+1)*w:][:w]
			mr, gxr, gyr := m2[y*w:][:w], g.gx[y*w:][:w], g.gy[y*w:][:w]
			for x := 1; x < w-1; x++ {
				a, b, cc := r0[x-1], r0[x], r0[x+1]
				d, f := r1[x-1], r1[x+1]
				gg, hh, ii := r2[x-1], r2[x], r2[x+1]
				gx := ((cc + 2*f + ii) - (a + 2*d + gg)) * wt
				gy := ((gg + 2*hh + ii) - (a + 2*b + cc)) * wt
				m := gx*gx + gy*gy
				if m > mr[x] {
					mr[x], gxr[x], gyr[x] = m, gx, gy
				}
			}
		}
	}
	for i, m := range m2 {
		g.mag[i] = float32(math.Sqrt(float64(m)))
	}
	// The thresholds adapt to the image: most pixels are flat background or
	// paper, so the median magnitude measures noise and fine texture. An
	// edge must stand well above it, but never need more than a contrast
	// any document border against any background has.
	// median by histogram (0.25 bins up to 64; larger values land in the
	// last bin, which the median of a real photo never reaches)
	var hist [257]int
	for _, m := range g.mag {
		b := int(m * 4)
		if b > 256 {
			b = 256
		}
		hist[b]++
	}
	med, acc := float32(0), 0
	for b, n := range hist {
		acc += n
		if acc*2 >= len(g.mag) {
			med = (float32(b) + 0.5) / 4
			break
		}
	}
	g.low = float32(math.Max(2, math.Min(18, 3*float64(med))))
	g.high = 2 * g.low
	return g
}

// edgePoint is a thinned edge pixel with its normal direction.
type edgePoint struct {
	x, y  float32
	theta float32 // normal angle in [0, π)
}

// thinEdges applies non-maximum suppression along the gradient and
// hysteresis (keep weak edges only when connected to strong ones).
func thinEdges(g *gradients) []edgePoint {
	w, h := g.w, g.h
	state := make([]uint8, w*h) // 0 none, 1 weak, 2 strong
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			m := g.mag[i]
			if m < g.low {
				continue
			}
			gx, gy := g.gx[i], g.gy[i]
			ax, ay := abs32(gx), abs32(gy)
			var n1, n2 float32
			switch {
			case ax > 2.414*ay: // horizontal gradient
				n1, n2 = g.mag[i-1], g.mag[i+1]
			case ay > 2.414*ax:
				n1, n2 = g.mag[i-w], g.mag[i+w]
			case (gx > 0) == (gy > 0):
				n1, n2 = g.mag[i-w-1], g.mag[i+w+1]
			default:
				n1, n2 = g.mag[i-w+1], g.mag[i+w-1]
			}
			if m < n1 || m <= n2 {
				continue
			}
			if m >= g.high {
				state[i] = 2
			} else {
				state[i] = 1
			}
		}
	}
	stack := make([]int, 0, 1024)
	for i, s := range state {
		if s == 2 {
			stack = append(stack, i)
		}
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range [8]int{-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1} {
			j := i + d
			if j >= 0 && j < len(state) && state[j] == 1 {
				state[j] = 2
				stack = append(stack, j)
			}
		}
	}
	pts := make([]edgePoint, 0, 4096)
	for i, s := range state {
		if s != 2 {
			continue
		}
		th := math.Atan2(float64(g.gy[i]), float64(g.gx[i]))
		if th < 0 {
			th += math.Pi
		}
		if th >= math.Pi {
			th -= math.Pi
		}
		pts = append(pts, edgePoint{x: float32(i%w) + 0.5, y: float32(i/w) + 0.5, theta: float32(th)})
	}
	return pts
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
