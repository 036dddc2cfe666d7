package quality

import (
	"math"
)

// blurStats describes the sharpness of the strongest edges of a document
// image at the normalised scale.
//
// The measure is the 10–90 % rise distance of edge profiles sampled along
// the gradient direction: the width over which an edge goes from dark to
// light. Unlike the variance of the Laplacian it does not depend on how much
// text or texture the document has or on its contrast — a faint sharp edge
// and a strong sharp edge both rise within ~1–2 px — so one threshold holds
// across documents. Binning the widths by edge orientation separates motion
// blur (edges across the motion are smeared, edges along it are not) from
// defocus (all orientations smeared).
type blurStats struct {
	Width      float64 // median edge width over all orientations, px
	WidthMax   float64 // widest orientation bin's median, px
	WidthMin   float64 // narrowest orientation bin's median, px
	Edges      int     // edge profiles measured
	Anisotropy float64 // WidthMax / WidthMin: ≫1 for motion blur
	MotionDeg  float64 // orientation of the widest bin (degrees, 0 = horizontal gradient)
}

const (
	profileRadius = 10 // samples either side of an edge centre
	orientBins    = 8
	minContrast   = 24 // grey levels: weaker edges are noise or texture
	cellSize      = 12 // one candidate per orientation class per cell
)

// measureBlur computes blurStats on a luminance plane.
func measureBlur(p *plane) blurStats {
	w, h := p.w, p.h
	if w < 16 || h < 16 {
		return blurStats{}
	}
	// Only the magnitude is kept per pixel; the few pixels strong enough
	// to be edge candidates recompute their gradient with the same sobel
	// call, which is cheaper than writing two more planes.
	mag := make([]float32, w*h)
	// Histogram of magnitudes in half grey levels, for the strong-edge
	// threshold without sorting. Neighbouring pixels often fall in the
	// same bin; alternating between two histograms keeps consecutive
	// increments from waiting on each other.
	var hist [2][1024]int
	for y := 1; y < h-1; y++ {
		r0, r1, r2 := p.p[(y-1)*w:][:w], p.p[y*w:][:w], p.p[(y+1)*w:][:w]
		mr := mag[y*w:][:w]
		for x := 1; x < w-1; x++ {
			dx, dy := sobel(r0, r1, r2, x)
			m := float32(math.Sqrt(float64(dx*dx + dy*dy)))
			mr[x] = m
			hist[x&1][min(int(m*2), len(hist[0])-1)]++
		}
	}
	for i, c := range hist[1] {
		hist[0][i] += c
	}
	// Keep edges among the strongest: relative to the image's own strong
	// edges so that a low-contrast (but sharp) document still has
	// candidates, with an absolute floor against noise.
	total := (w - 2) * (h - 2)
	target, acc, q995 := int(0.995*float64(total)), 0, 0.0
	for i, c := range hist[0] {
		acc += c
		if acc > target {
			q995 = float64(i) / 2
			break
		}
	}
	thr := math.Max(4, 0.25*q995)

	type cand struct {
		x, y int
		m    float32
	}
	cw, ch := (w+cellSize-1)/cellSize, (h+cellSize-1)/cellSize
	best := make([]cand, cw*ch*4)
	thr32 := float32(thr)
	for y := 2; y < h-2; y++ {
		r0, r1, r2 := p.p[(y-1)*w:][:w], p.p[y*w:][:w], p.p[(y+1)*w:][:w]
		for x, m := range mag[y*w : (y+1)*w-2] {
			if x < 2 || m < thr32 {
				continue
			}
			i := y*w + x
			// Non-maximum suppression along the quantised gradient.
			gx, gy := sobel(r0, r1, r2, x)
			ax, ay := math.Abs(float64(gx)), math.Abs(float64(gy))
			var o, cls int
			switch {
			case ax > 2.414*ay:
				o, cls = 1, 0
			case ay > 2.414*ax:
				o, cls = w, 1
			case (gx > 0) == (gy > 0):
				o, cls = w+1, 2
			default:
				o, cls = w-1, 3
			}
			if m < mag[i-o] || m < mag[i+o] {
				continue
			}
			c := &best[((y/cellSize)*cw+x/cellSize)*4+cls]
			if m > c.m {
				*c = cand{x, y, m}
			}
		}
	}

	var all []float64
	var bins [orientBins][]float64
	var prof [2*profileRadius + 1]float64
	for _, c := range best {
		if c.m == 0 {
			continue
		}
		gx, gy := sobel(p.p[(c.y-1)*w:][:w], p.p[c.y*w:][:w], p.p[(c.y+1)*w:][:w], c.x)
		dx, dy := float64(gx)/float64(c.m), float64(gy)/float64(c.m)
		for t := -profileRadius; t <= profileRadius; t++ {
			prof[t+profileRadius] = float64(p.bilinear(float64(c.x)+float64(t)*dx, float64(c.y)+float64(t)*dy))
		}
		wd, ok := riseWidth(prof[:])
		if !ok {
			continue
		}
		all = append(all, wd)
		th := math.Atan2(dy, dx)
		if th < 0 {
			th += math.Pi
		}
		b := int(th/math.Pi*orientBins+0.5) % orientBins
		bins[b] = append(bins[b], wd)
	}
	st := blurStats{Edges: len(all)}
	if len(all) < 20 {
		return st
	}
	st.Width = median(all)
	st.WidthMin = math.Inf(1)
	minCount := max(12, len(all)/40)
	for b := range bins {
		if len(bins[b]) < minCount {
			continue
		}
		m := median(bins[b])
		if m > st.WidthMax {
			st.WidthMax = m
			st.MotionDeg = float64(b) * 180 / orientBins
		}
		st.WidthMin = math.Min(st.WidthMin, m)
	}
	if math.IsInf(st.WidthMin, 1) {
		st.WidthMin, st.WidthMax = st.Width, st.Width
	}
	st.Anisotropy = st.WidthMax / math.Max(st.WidthMin, 0.5)
	return st
}

// sobel returns the Sobel gradient, scaled to grey levels per pixel, at
// column x (1 ≤ x < len(r1)-1) of row r1 between rows r0 and r2.
func sobel(r0, r1, r2 []float32, x int) (dx, dy float32) {
	l, r := x-1, x+1
	dx = (r0[r] - r0[l] + 2*(r1[r]-r1[l]) + r2[r] - r2[l]) / 8
	dy = (r2[l] - r0[l] + 2*(r2[x]-r0[x]) + r2[r] - r0[r]) / 8
	return dx, dy
}

// riseWidth measures the 10–90 % rise distance of an increasing edge
// profile centred in prof. It walks from the centre to where the profile
// stops rising on either side (the plateaus, or a text stroke's far side),
// which bounds the contrast; ok is false when the contrast is too low to
// measure.
func riseWidth(prof []float64) (float64, bool) {
	c := len(prof) / 2
	const eps = 1.5 // tolerance for noise when walking the monotone part
	lo, hi := c, c
	for lo > 0 && prof[lo-1] <= prof[lo]+eps {
		lo--
	}
	for hi < len(prof)-1 && prof[hi+1] >= prof[hi]-eps {
		hi++
	}
	vlo, vhi := prof[lo], prof[hi]
	for i := lo; i <= hi; i++ {
		vlo = math.Min(vlo, prof[i])
		vhi = math.Max(vhi, prof[i])
	}
	contrast := vhi - vlo
	if contrast < minContrast {
		return 0, false
	}
	a, b := vlo+0.1*contrast, vlo+0.9*contrast
	// First crossing of a going up from lo, last crossing of b coming down
	// from hi; interpolate linearly between samples.
	xa := float64(lo)
	for i := lo; i < hi; i++ {
		if prof[i+1] >= a && prof[i] < a {
			xa = float64(i) + (a-prof[i])/(prof[i+1]-prof[i])
			break
		}
	}
	xb := float64(hi)
	for i := hi; i > lo; i-- {
		if prof[i-1] <= b && prof[i] > b {
			xb = float64(i-1) + (b-prof[i-1])/(prof[i]-prof[i-1])
			break
		}
	}
	wd := xb - xa
	if wd < 0.5 {
		wd = 0.5
	}
	return wd, true
}
