package quality

import (
	"math"
)

// exposureStats summarises the tones of the document region.
type exposureStats struct {
	Mean        float64 // mean luminance, 0–255
	P02, P50    float64 // percentiles of luminance
	P98         float64
	ClippedHigh float64 // fraction of pixels ≥ 250
	ClippedLow  float64 // fraction of pixels ≤ 5
	Noise       float64 // sensor noise σ in grey levels (Immerkær, flat areas only)
	SNR         float64 // (P98 − P02) / Noise: tonal range in noise units
	// Paper is the 90th percentile of the unclipped pixels: the brightness
	// of the document's background print where it is not blown out.
	Paper float64
}

// measureExposure computes exposureStats on a luminance plane.
func measureExposure(p *plane) exposureStats {
	var hist [256]int
	var sum float64
	for _, v := range p.p {
		i := int(v + 0.5)
		if i > 255 {
			i = 255
		} else if i < 0 {
			i = 0
		}
		hist[i]++
		sum += float64(v)
	}
	n := len(p.p)
	if n == 0 {
		return exposureStats{}
	}
	st := exposureStats{Mean: sum / float64(n)}
	st.P02 = histPercentile(&hist, n, 0.02)
	st.P50 = histPercentile(&hist, n, 0.50)
	st.P98 = histPercentile(&hist, n, 0.98)
	hi, lo := 0, 0
	for i := 250; i < 256; i++ {
		hi += hist[i]
	}
	for i := 0; i <= 5; i++ {
		lo += hist[i]
	}
	if n-hi > 0 {
		st.Paper = histPercentile(&hist, n-hi, 0.90)
	}
	st.ClippedHigh = float64(hi) / float64(n)
	st.ClippedLow = float64(lo) / float64(n)
	st.Noise = noiseSigma(p)
	st.SNR = (st.P98 - st.P02) / math.Max(st.Noise, 0.5)
	return st
}

// noiseSigma estimates the noise standard deviation with Immerkær's
// Laplacian-difference operator, summed only over flat pixels (small
// gradient) so that print and edges do not count as noise. Clipped pixels
// are skipped too: clipping hides noise.
func noiseSigma(p *plane) float64 {
	w, h := p.w, p.h
	var sum float64
	var cnt int
	for y := 1; y < h-1; y += 2 {
		r0, r1, r2 := p.p[(y-1)*w:], p.p[y*w:], p.p[(y+1)*w:]
		for x := 1; x < w-1; x += 2 {
			c := r1[x]
			if c >= 250 || c <= 5 {
				continue
			}
			gx := r1[x+1] - r1[x-1]
			gy := r2[x] - r0[x]
			if gx*gx+gy*gy > 400 { // an edge, not noise
				continue
			}
			v := r0[x-1] - 2*r0[x] + r0[x+1] - 2*r1[x-1] + 4*c - 2*r1[x+1] + r2[x-1] - 2*r2[x] + r2[x+1]
			sum += math.Abs(float64(v))
			cnt++
		}
	}
	if cnt < 100 {
		return 0
	}
	return math.Sqrt(math.Pi/2) / 6 * sum / float64(cnt)
}

// glareStats describes specular highlights on the document.
type glareStats struct {
	Fraction float64 // area of glare blobs / document area
	Largest  float64 // area of the largest blob / document area
	Blobs    int
}

// measureGlare finds specular blobs: connected regions of clipped, colourless
// pixels markedly brighter than the document's paper. Requiring the excess
// over the paper level keeps a white, well-exposed card from counting as
// glare; requiring connected blobs of a minimum size keeps white print and
// small highlights on a hologram from counting.
func measureGlare(lum, sat *plane, ex exposureStats) glareStats {
	// Work at half resolution (the saturation plane's): blobs are large.
	w, h := sat.w, sat.h
	if w < 4 || h < 4 {
		return glareStats{}
	}
	// A glare blob must stand clearly above the paper; when the paper
	// itself is nearly white the question is exposure, not glare.
	minL := float32(math.Max(245, ex.Paper+12))
	// Skip the 3 % margin, as the exposure measures do.
	mx, my := w*3/100, h*3/100
	mask := make([]bool, w*h)
	inner := 0
	for y := my; y < h-my; y++ {
		y0, y1 := min(2*y, lum.h-1), min(2*y+1, lum.h-1)
		for x := mx; x < w-mx; x++ {
			x0, x1 := min(2*x, lum.w-1), min(2*x+1, lum.w-1)
			l := (lum.p[y0*lum.w+x0] + lum.p[y0*lum.w+x1] + lum.p[y1*lum.w+x0] + lum.p[y1*lum.w+x1]) / 4
			mask[y*w+x] = l >= minL && sat.p[y*w+x] <= 0.12
			inner++
		}
	}
	total := float64(max(inner, 1))
	minBlob := int(0.001 * total)
	var st glareStats
	var stack []int
	seen := make([]bool, w*h)
	for i, m := range mask {
		if !m || seen[i] {
			continue
		}
		area := 0
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			area++
			x, y := j%w, j/w
			for _, n := range [4]int{j - 1, j + 1, j - w, j + w} {
				if n < 0 || n >= len(mask) || seen[n] || !mask[n] {
					continue
				}
				nx, ny := n%w, n/w
				if abs(nx-x)+abs(ny-y) != 1 {
					continue
				}
				seen[n] = true
				stack = append(stack, n)
			}
		}
		if area < minBlob {
			continue
		}
		st.Blobs++
		f := float64(area) / total
		st.Fraction += f
		st.Largest = math.Max(st.Largest, f)
	}
	return st
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
