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
	// ClippedMinCell is the smallest share of clipped pixels among the
	// cells of a 3×3 grid over the document: high when clipping is spread
	// over the whole document (overexposure), near zero when it is a local
	// highlight (glare).
	ClippedMinCell float64
}

// measureExposure computes exposureStats on a luminance plane.
func measureExposure(p *plane) exposureStats {
	// Neighbouring pixels mostly share a grey level; alternating between
	// two histograms keeps consecutive increments from waiting on each
	// other.
	var hists [2][256]int
	var sum float64
	for j, v := range p.p {
		i := int(v + 0.5)
		if i > 255 {
			i = 255
		} else if i < 0 {
			i = 0
		}
		hists[j&1][i]++
		sum += float64(v)
	}
	hist := hists[0]
	for i, c := range hists[1] {
		hist[i] += c
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
	st.ClippedMinCell = 1
	for cy := 0; cy < 3; cy++ {
		for cx := 0; cx < 3; cx++ {
			x0, x1 := cx*p.w/3, (cx+1)*p.w/3
			y0, y1 := cy*p.h/3, (cy+1)*p.h/3
			c, n := 0, 0
			for y := y0; y < y1; y += 2 {
				for _, v := range p.p[y*p.w+x0 : y*p.w+x1] {
					if v >= 249.5 {
						c++
					}
					n++
				}
			}
			if n > 0 {
				st.ClippedMinCell = math.Min(st.ClippedMinCell, float64(c)/float64(n))
			}
		}
	}
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

// measureGlare finds specular blobs: connected regions of nearly clipped,
// colourless pixels, of a minimum size (small highlights on a hologram or
// white print do not count), surrounded on every side by a halo brighter
// than the document's median — a reflection fades out gradually, while a
// white printed panel (a portrait's background) ends at an edge.
func measureGlare(lum, sat *plane, ex exposureStats) glareStats {
	// Work at half resolution (the saturation plane's): blobs are large.
	w, h := sat.w, sat.h
	if w < 4 || h < 4 {
		return glareStats{}
	}
	const minL = glareMinLuma
	// Skip the 3 % margin, as the exposure measures do.
	mx, my := w*3/100, h*3/100
	mask := make([]bool, w*h)
	inner := 0
	for y := my; y < h-my; y++ {
		y0, y1 := min(2*y, lum.h-1), min(2*y+1, lum.h-1)
		l0, l1 := lum.p[y0*lum.w:][:lum.w], lum.p[y1*lum.w:][:lum.w]
		satRow, maskRow := sat.p[y*w:][:w], mask[y*w:][:w]
		for x := mx; x < w-mx; x++ {
			inner++
			// Saturation first: it is 1 wherever warpSaturation found the
			// pixel too dark, so most pixels need no luminance.
			if satRow[x] > 0.12 {
				continue
			}
			x0, x1 := min(2*x, lum.w-1), min(2*x+1, lum.w-1)
			maskRow[x] = (l0[x0]+l0[x1]+l1[x0]+l1[x1])/4 >= minL
		}
	}
	total := float64(max(inner, 1))
	minBlob := int(0.004 * total)
	var st glareStats
	var stack, blob, frontier, next []int
	// seen marks pixels already assigned to a blob; ring[i] == stamp marks
	// pixels already counted in the current blob's surrounding ring. Both
	// are allocated at the first glare pixel: most documents have none.
	var seen []bool
	var ring []int32
	stamp := int32(0)
	half := func(i int) float32 { // luminance at a half-size pixel
		x, y := i%w, i/w
		y0, y1 := min(2*y, lum.h-1), min(2*y+1, lum.h-1)
		x0, x1 := min(2*x, lum.w-1), min(2*x+1, lum.w-1)
		return (lum.p[y0*lum.w+x0] + lum.p[y0*lum.w+x1] + lum.p[y1*lum.w+x0] + lum.p[y1*lum.w+x1]) / 4
	}
	neighbours := func(j int) [4]int {
		x := j % w
		n := [4]int{-1, -1, j - w, j + w}
		if x > 0 {
			n[0] = j - 1
		}
		if x < w-1 {
			n[1] = j + 1
		}
		return n
	}
	for i, m := range mask {
		if !m {
			continue
		}
		if seen == nil {
			seen, ring = make([]bool, w*h), make([]int32, w*h)
		}
		if seen[i] {
			continue
		}
		blob = blob[:0]
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			blob = append(blob, j)
			for _, n := range neighbours(j) {
				if n < 0 || n >= len(mask) || seen[n] || !mask[n] {
					continue
				}
				seen[n] = true
				stack = append(stack, n)
			}
		}
		if len(blob) < minBlob {
			continue
		}
		// A specular reflection fades out over a halo: the ring just
		// outside the clipped core is still brighter than the paper. A
		// white printed area (a portrait's background, a blank panel)
		// ends at an edge, and the ring around it is paper and print.
		stamp++
		var cx, cy float64
		for _, j := range blob {
			ring[j] = stamp
			cx += float64(j % w)
			cy += float64(j / w)
		}
		cx /= float64(len(blob))
		cy /= float64(len(blob))
		// Ring brightness per side (right, below, left, above the blob's
		// centre), near (2–5 px) and far (12–20 px at half size): a
		// reflection fades out through a halo, so on (nearly) every side
		// the near ring is brighter than the far one. A white printed
		// panel ends at an edge: outside it, near and far are the same
		// paper.
		var near, far [4]float64
		var nNear, nFar [4]int
		frontier = append(frontier[:0], blob...)
		for d := 1; d <= 20; d++ {
			next = next[:0]
			for _, j := range frontier {
				for _, n := range neighbours(j) {
					if n < 0 || n >= len(mask) || ring[n] == stamp || mask[n] {
						continue
					}
					ring[n] = stamp
					next = append(next, n)
					if (d < 2 || d > 5) && d < 12 {
						continue
					}
					dx, dy := float64(n%w)-cx, float64(n/w)-cy
					var side int
					switch {
					case dx >= math.Abs(dy):
						side = 0
					case dy >= math.Abs(dx):
						side = 1
					case -dx >= math.Abs(dy):
						side = 2
					default:
						side = 3
					}
					if d <= 5 {
						near[side] += float64(half(n))
						nNear[side]++
					} else {
						far[side] += float64(half(n))
						nFar[side]++
					}
				}
			}
			frontier, next = next, frontier
		}
		haloSides := 0
		var sides []float64
		for k := range near {
			if nNear[k] == 0 || nFar[k] == 0 {
				haloSides++ // the document's edge: no evidence against
				continue
			}
			drop := near[k]/float64(nNear[k]) - far[k]/float64(nFar[k])
			sides = append(sides, drop)
			if drop >= glareHalo {
				haloSides++
			}
		}
		// Solidity: the blob's share of its own row spans. A specular core
		// is washed out completely; paper pushed to clipping by a light
		// gradient is riddled with the print that did not clip.
		spanMin := map[int]int{}
		spanMax := map[int]int{}
		for _, j := range blob {
			x, y := j%w, j/w
			if v, ok := spanMin[y]; !ok || x < v {
				spanMin[y] = x
			}
			if v, ok := spanMax[y]; !ok || x > v {
				spanMax[y] = x
			}
		}
		spans := 0
		for y, lo := range spanMin {
			spans += spanMax[y] - lo + 1
		}
		solidity := float64(len(blob)) / float64(spans)
		if debugGlare != nil {
			debugGlare(len(blob), float64(haloSides), solidity, ex.P50, sides)
		}
		// One side may meet a dark band (a card's header) or the frame.
		if haloSides < 3 || solidity < glareSolidity {
			continue
		}
		st.Blobs++
		f := float64(len(blob)) / total
		st.Fraction += f
		st.Largest = math.Max(st.Largest, f)
	}
	return st
}

// debugGlare, when set by a test, sees each candidate blob.
var debugGlare func(area int, ring, solidity, median float64, sides []float64)

// glareMinLuma is the luminance of (nearly) clipped, specular pixels.
const glareMinLuma = 245

// glareHalo is how much brighter the near ring around a blob must be than
// the far ring, on at least three sides, for the blob to be a reflection.
const glareHalo = 3

// glareSolidity is the smallest accepted share of a blob's row spans that
// the blob fills.
const glareSolidity = 0.85
