package docloc

import (
	"math"
	"sort"
)

// line is an infinite straight line x·cosθ + y·sinθ = ρ in work pixels,
// with a profile of how much of it is backed by edges.
type line struct {
	theta, rho float64 // normal angle in [0, π), offset
	nx, ny     float64 // unit normal
	votes      int
	// Support profile: sample i sits at parameter t0+i along the direction
	// (-ny, nx); cum[i] counts supported samples before i, so the support
	// of any segment is O(1).
	t0  float64
	cum []int32
	// border marks the frame's own edges, offered as sides so that a
	// document with a whole side cut off still forms a quad; their corners
	// are then reported missing.
	border bool
	// inferred marks a side with no line of its own, closed where the two
	// sides next to it stop (see closeShortSides).
	inferred bool
}

func newLine(theta, rho float64) line {
	return line{theta: theta, rho: rho, nx: math.Cos(theta), ny: math.Sin(theta)}
}

func (l *line) at(t float64) (float64, float64) {
	return l.rho*l.nx - t*l.ny, l.rho*l.ny + t*l.nx
}

func (l *line) param(x, y float64) float64 { return -x*l.ny + y*l.nx }

// clip returns the parameter range of the line inside [0,w]×[0,h].
func (l *line) clip(w, h float64) (t1, t2 float64, ok bool) {
	t1, t2 = math.Inf(-1), math.Inf(1)
	// x(t) = ρnx - t·ny ∈ [0,w];  y(t) = ρny + t·nx ∈ [0,h]
	for _, c := range [2]struct{ p0, dp, lo, hi float64 }{
		{l.rho * l.nx, -l.ny, 0, w}, {l.rho * l.ny, l.nx, 0, h}} {
		if math.Abs(c.dp) < 1e-12 {
			if c.p0 < c.lo || c.p0 > c.hi {
				return 0, 0, false
			}
			continue
		}
		a, b := (c.lo-c.p0)/c.dp, (c.hi-c.p0)/c.dp
		if a > b {
			a, b = b, a
		}
		t1, t2 = math.Max(t1, a), math.Min(t2, b)
	}
	return t1, t2, t2 > t1
}

// support returns the number of supported samples and the visible length
// of the segment between parameters a and b.
func (l *line) support(a, b float64) (count, visible float64) {
	if a > b {
		a, b = b, a
	}
	n := len(l.cum) - 1
	if n <= 0 {
		return 0, 0
	}
	lo := int(math.Ceil(a - l.t0))
	hi := int(math.Floor(b - l.t0))
	if lo < 0 {
		lo = 0
	}
	if hi > n-1 {
		hi = n - 1
	}
	if hi < lo {
		return 0, 0
	}
	return float64(l.cum[hi+1]-l.cum[lo]) / supportUnit, float64(hi - lo + 1)
}

const (
	thetaBins = 180
	maxLines  = 40
)

// houghLines finds the strongest straight lines among the edge points.
// Each point votes only for orientations within ±2° of its own gradient
// normal, which removes most spurious votes and makes voting cheap.
func houghLines(pts []edgePoint, w, h int, minVotes int) []line {
	D := int(math.Ceil(math.Hypot(float64(w), float64(h)))) + 1
	nr := 2*D + 1
	acc := make([]int32, thetaBins*nr)
	var cosT, sinT [thetaBins]float64
	for i := range cosT {
		a := float64(i) * math.Pi / thetaBins
		cosT[i], sinT[i] = math.Cos(a), math.Sin(a)
	}
	for _, p := range pts {
		tb := int(float64(p.theta) / math.Pi * thetaBins)
		for d := -2; d <= 2; d++ {
			t := tb + d
			if t < 0 {
				t += thetaBins
			} else if t >= thetaBins {
				t -= thetaBins
			}
			r := int(math.Round(float64(p.x)*cosT[t]+float64(p.y)*sinT[t])) + D
			acc[t*nr+r]++
		}
	}
	type peak struct{ t, r, v int }
	var peaks []peak
	for t := 0; t < thetaBins; t++ {
		for r := 1; r < nr-1; r++ {
			v := int(acc[t*nr+r])
			if v < minVotes {
				continue
			}
			isMax := true
			for dt := -1; dt <= 1 && isMax; dt++ {
				tt := t + dt
				mirror := false // θ±π is the same line with ρ negated
				if tt < 0 {
					tt, mirror = tt+thetaBins, true
				} else if tt >= thetaBins {
					tt, mirror = tt-thetaBins, true
				}
				for dr := -2; dr <= 2; dr++ {
					if dt == 0 && dr == 0 {
						continue
					}
					rr := r + dr
					if mirror {
						rr = 2*D - r - dr
					}
					if rr < 0 || rr >= nr {
						continue
					}
					u := int(acc[tt*nr+rr])
					if u > v || (u == v && (dt < 0 || (dt == 0 && dr < 0))) {
						isMax = false
						break
					}
				}
			}
			if isMax {
				peaks = append(peaks, peak{t, r, v})
			}
		}
	}
	sort.Slice(peaks, func(a, b int) bool { return peaks[a].v > peaks[b].v })
	var lines []line
	for _, p := range peaks {
		th := float64(p.t) * math.Pi / thetaBins
		rho := float64(p.r - D)
		dup := false
		for _, l := range lines {
			if nearSameLine(l.theta, l.rho, th, rho) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		l := newLine(th, rho)
		l.votes = p.v
		lines = append(lines, l)
		if len(lines) >= maxLines {
			break
		}
	}
	return lines
}

// nearSameLine reports whether two (θ, ρ) lines are within 3° and 5 px,
// considering the wrap-around at θ = π.
func nearSameLine(t1, r1, t2, r2 float64) bool {
	dt := math.Abs(t1 - t2)
	if dt > math.Pi/2 {
		dt = math.Pi - dt
		r2 = -r2
	}
	return dt < 3*math.Pi/180 && math.Abs(r1-r2) < 5
}

// refineLine fits a total-least-squares line to the edge points near l
// whose orientation agrees, correcting the Hough quantisation.
func refineLine(l line, pts []edgePoint) line {
	var sx, sy, sxx, syy, sxy, n float64
	for _, p := range pts {
		d := float64(p.x)*l.nx + float64(p.y)*l.ny - l.rho
		if math.Abs(d) > 2 {
			continue
		}
		dt := math.Abs(float64(p.theta) - l.theta)
		if dt > math.Pi/2 {
			dt = math.Pi - dt
		}
		if dt > 6*math.Pi/180 {
			continue
		}
		x, y := float64(p.x), float64(p.y)
		sx += x
		sy += y
		sxx += x * x
		syy += y * y
		sxy += x * y
		n++
	}
	if n < 5 {
		return l
	}
	mx, my := sx/n, sy/n
	cxx, cyy, cxy := sxx/n-mx*mx, syy/n-my*my, sxy/n-mx*my
	// direction = principal eigenvector; normal is perpendicular
	ang := 0.5 * math.Atan2(2*cxy, cxx-cyy)
	th := ang + math.Pi/2
	for th < 0 {
		th += math.Pi
	}
	for th >= math.Pi {
		th -= math.Pi
	}
	nl := newLine(th, 0)
	nl.rho = mx*nl.nx + my*nl.ny
	// Keep the refinement only if it stays close to the peak; otherwise a
	// crossing edge has pulled it away.
	if !nearSameLine(l.theta, l.rho, nl.theta, nl.rho) {
		return l
	}
	nl.votes = l.votes
	return nl
}

// buildSupport samples the line every work pixel inside the frame and marks
// samples where an edge aligned with the line lies within ±2 px.
func buildSupport(l *line, g *gradients) {
	if l.border {
		w, h := float64(g.w), float64(g.h)
		t1, t2, _ := l.clip(w, h)
		n := int(t2-t1) + 1
		l.t0 = t1
		l.cum = make([]int32, n+1)
		for i := range l.cum {
			l.cum[i] = int32(i) * supportUnit
		}
		return
	}
	w, h := float64(g.w), float64(g.h)
	t1, t2, ok := l.clip(w, h)
	if !ok {
		l.cum = []int32{0}
		return
	}
	n := int(t2-t1) + 1
	l.t0 = t1
	l.cum = make([]int32, n+1)
	for i := 0; i < n; i++ {
		x, y := l.at(t1 + float64(i))
		// Soft support: an aligned edge exactly on the line counts fully,
		// one or two pixels off counts less, so that of two nearly
		// identical lines the one that fits the edge wins.
		hit := int32(0)
		for _, o := range [5]float64{0, -1, 1, -2, 2} {
			px, py := int(x+o*l.nx), int(y+o*l.ny)
			if px < 1 || py < 1 || px >= g.w-1 || py >= g.h-1 {
				continue
			}
			j := py*g.w + px
			m := g.mag[j]
			if m < g.low {
				continue
			}
			dot := float64(g.gx[j])*l.nx + float64(g.gy[j])*l.ny
			if math.Abs(dot) >= 0.94*float64(m) { // within ≈ 20°
				hit = supportWeight[int(math.Abs(o))]
				break
			}
		}
		l.cum[i+1] = l.cum[i] + hit
	}
}

// supportWeight is the support credited (out of supportUnit) to an edge 0,
// 1 or 2 px from the line.
var supportWeight = [3]int32{4, 3, 1}

const supportUnit = 4

// intersect returns the intersection of two lines.
func intersect(a, b *line) (float64, float64, bool) {
	det := a.nx*b.ny - a.ny*b.nx
	if math.Abs(det) < 1e-9 {
		return 0, 0, false
	}
	return (a.rho*b.ny - a.ny*b.rho) / det, (a.nx*b.rho - a.rho*b.nx) / det, true
}

// lineThrough returns the line through two points.
func lineThrough(a, b [2]float64) line {
	th := math.Atan2(b[1]-a[1], b[0]-a[0]) + math.Pi/2
	for th < 0 {
		th += math.Pi
	}
	for th >= math.Pi {
		th -= math.Pi
	}
	l := newLine(th, 0)
	l.rho = a[0]*l.nx + a[1]*l.ny
	return l
}

// borderLines returns the four frame edges of a w×h image.
func borderLines(w, h int) []line {
	ls := []line{newLine(0, 0), newLine(0, float64(w)), newLine(math.Pi/2, 0), newLine(math.Pi/2, float64(h))}
	for i := range ls {
		ls[i].border = true
	}
	return ls
}
