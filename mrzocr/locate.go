package mrzocr

import (
	"math"
	"sort"
)

// component is a connected blob of dark pixels.
type component struct {
	minX, minY, maxX, maxY int
	area                   int
	cx, cy                 float64 // bounding-box centre
}

func (c *component) w() int { return c.maxX - c.minX + 1 }
func (c *component) h() int { return c.maxY - c.minY + 1 }

// components labels 8-connected dark regions (union-find over runs).
func components(bin []bool, w, h int) []component {
	labels := make([]int32, w*h)
	parent := []int32{0}
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if !bin[i] {
				continue
			}
			var l int32
			// neighbours already visited: W, NW, N, NE
			for _, n := range [4][2]int{{-1, 0}, {-1, -1}, {0, -1}, {1, -1}} {
				nx, ny := x+n[0], y+n[1]
				if nx < 0 || ny < 0 || nx >= w {
					continue
				}
				if nl := labels[ny*w+nx]; nl != 0 {
					if l == 0 {
						l = nl
					} else if nl != l {
						union(l, nl)
					}
				}
			}
			if l == 0 {
				l = int32(len(parent))
				parent = append(parent, l)
			}
			labels[i] = l
		}
	}
	idx := make(map[int32]int)
	var comps []component
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			l := labels[y*w+x]
			if l == 0 {
				continue
			}
			r := find(l)
			k, ok := idx[r]
			if !ok {
				k = len(comps)
				idx[r] = k
				comps = append(comps, component{minX: x, minY: y, maxX: x, maxY: y})
			}
			c := &comps[k]
			c.area++
			c.minX, c.maxX = min(c.minX, x), max(c.maxX, x)
			c.minY, c.maxY = min(c.minY, y), max(c.maxY, y)
		}
	}
	for i := range comps {
		c := &comps[i]
		c.cx = float64(c.minX+c.maxX+1) / 2
		c.cy = float64(c.minY+c.maxY+1) / 2
	}
	return comps
}

// textLine is a chain of glyph-sized components along a straight line.
type textLine struct {
	comps  []*component
	ux, uy float64 // unit direction along the line
	// offset of the line (glyph centres) along the normal (-uy, ux).
	s     float64
	t     []float64 // component centres projected on the direction
	pitch float64
	capH  float64
	cells int // estimated number of character cells spanned
	t0    float64
}

func (l *textLine) tFirst() float64 { return l.t[0] }
func (l *textLine) tLast() float64  { return l.t[len(l.t)-1] }

// findLines chains glyph-like components into straight text lines with a
// regular pitch. minCells is the fewest cells a returned line may span.
func findLines(comps []component, minCells int) []*textLine {
	var glyphs []*component
	for i := range comps {
		c := &comps[i]
		h, w := c.h(), c.w()
		if h < 5 || h > 150 || w > 2*h+2 || c.area < 8 {
			continue
		}
		if float64(c.area) > 0.95*float64(h*w) && w > 3 {
			continue // solid blocks are not glyphs
		}
		glyphs = append(glyphs, c)
	}
	sort.Slice(glyphs, func(i, j int) bool { return glyphs[i].cx < glyphs[j].cx })
	n := len(glyphs)
	right := make([]int, n)
	left := make([]int, n)
	for i := range right {
		right[i], left[i] = -1, -1
	}
	for i, a := range glyphs {
		best, bestD := -1, math.Inf(1)
		ha := float64(a.h())
		for j := i + 1; j < n; j++ {
			b := glyphs[j]
			hb := float64(b.h())
			hm := math.Max(ha, hb)
			dx := b.cx - a.cx
			if dx > 2.2*hm {
				if b.cx-a.cx > 2.2*150 {
					break
				}
				continue
			}
			if dx <= 0.3*math.Min(ha, hb) {
				continue
			}
			if r := hb / ha; r < 0.3 || r > 3.3 {
				continue
			}
			if math.Abs(b.cy-a.cy) > 0.45*hm+1 {
				continue
			}
			if b.minX-a.maxX > int(1.4*hm)+2 {
				continue
			}
			d := dx + 2*math.Abs(b.cy-a.cy)
			if d < bestD {
				best, bestD = j, d
			}
		}
		if best >= 0 {
			if left[best] < 0 {
				right[i] = best
				left[best] = i
			}
		}
	}
	var lines []*textLine
	for i := range glyphs {
		if left[i] >= 0 {
			continue
		}
		var chain []*component
		for k := i; k >= 0; k = right[k] {
			chain = append(chain, glyphs[k])
		}
		if len(chain) < 3 {
			continue
		}
		lines = append(lines, fitLine(chain))
	}
	lines = mergeLines(lines)
	var out []*textLine
	for _, l := range lines {
		if l.cells >= minCells && len(l.comps) >= minCells*2/3 {
			out = append(out, l)
		}
	}
	return out
}

// fitLine fits direction, offset and pitch to a chain of components.
func fitLine(chain []*component) *textLine {
	l := &textLine{comps: chain}
	hs := make([]float64, len(chain))
	for i, c := range chain {
		hs[i] = float64(c.h())
	}
	sorted := append([]float64(nil), hs...)
	sort.Float64s(sorted)
	l.capH = sorted[len(sorted)*3/4]
	// Fit centres of full-height glyphs (letters, digits); '<' and noise are lower.
	var xs, ys []float64
	for i, c := range chain {
		if hs[i] >= 0.8*l.capH {
			xs = append(xs, c.cx)
			ys = append(ys, c.cy)
		}
	}
	if len(xs) < 3 {
		xs, ys = xs[:0], ys[:0]
		for _, c := range chain {
			xs = append(xs, c.cx)
			ys = append(ys, c.cy)
		}
	}
	slope, icpt := fitLS(xs, ys)
	norm := math.Hypot(1, slope)
	l.ux, l.uy = 1/norm, slope/norm
	// offset along the normal (-uy, ux) of the line y = slope*x + icpt
	l.s = icpt * l.ux
	l.project()
	return l
}

func (l *textLine) project() {
	sort.Slice(l.comps, func(i, j int) bool {
		return l.comps[i].cx*l.ux+l.comps[i].cy*l.uy < l.comps[j].cx*l.ux+l.comps[j].cy*l.uy
	})
	l.t = l.t[:0]
	for _, c := range l.comps {
		l.t = append(l.t, c.cx*l.ux+c.cy*l.uy)
	}
	var gaps []float64
	for i := 1; i < len(l.t); i++ {
		gaps = append(gaps, l.t[i]-l.t[i-1])
	}
	sort.Float64s(gaps)
	if len(gaps) == 0 {
		return
	}
	l.pitch = gaps[len(gaps)/2]
	if l.pitch <= 0 {
		return
	}
	// Least-squares refinement of t = t0 + pitch*k with integer cell indices k.
	ks := make([]float64, len(l.t))
	for i, t := range l.t {
		ks[i] = math.Round((t - l.t[0]) / l.pitch)
	}
	if p, t0 := fitLS(ks, l.t); p > 0 && ks[len(ks)-1] > 3 {
		l.pitch, l.t0 = p, t0
	} else {
		l.t0 = l.t[0]
	}
	l.cells = int(math.Round((l.tLast()-l.t0)/l.pitch)) + 1
}

// mergeLines joins collinear chains with similar pitch that a gap split.
func mergeLines(lines []*textLine) []*textLine {
	sort.Slice(lines, func(i, j int) bool { return len(lines[i].comps) > len(lines[j].comps) })
	used := make([]bool, len(lines))
	var out []*textLine
	for i, a := range lines {
		if used[i] {
			continue
		}
		changed := true
		for changed {
			changed = false
			for j, b := range lines {
				if j == i || used[j] || a.pitch <= 0 {
					continue
				}
				// distance of b's glyph centres from a's line, along a's normal
				var off float64
				for _, c := range b.comps {
					off += -c.cx*a.uy + c.cy*a.ux - a.s
				}
				off /= float64(len(b.comps))
				if math.Abs(off) > 0.3*a.capH {
					continue
				}
				if b.pitch > 0 && math.Abs(b.pitch-a.pitch) > 0.2*a.pitch && len(b.comps) > 4 {
					continue
				}
				if r := b.capH / a.capH; r < 0.7 || r > 1.4 {
					continue
				}
				bt0 := b.comps[0].cx*a.ux + b.comps[0].cy*a.uy
				bt1 := b.comps[len(b.comps)-1].cx*a.ux + b.comps[len(b.comps)-1].cy*a.uy
				gap := math.Max(bt0-a.tLast(), a.tFirst()-bt1)
				if gap < 0 || gap > 8*a.pitch {
					continue
				}
				a.comps = append(a.comps, b.comps...)
				used[j] = true
				changed = true
				a.project()
			}
		}
		out = append(out, a)
	}
	return out
}

// fitLS fits y = a*x + b by least squares.
func fitLS(xs, ys []float64) (a, b float64) {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0, sy / n
	}
	a = (n*sxy - sx*sy) / den
	b = (sy - a*sx) / n
	return a, b
}

// band is a candidate MRZ: 2 or 3 parallel lines of the same pitch.
type band struct {
	lines []*textLine
	width int // characters per line
	pitch float64
	t0    float64 // projection of the first cell's centre
	capH  float64 // height of full-height glyphs (letters, digits)
	score float64
	grids []lineGrid
}

// lineGrid places the cells of one line: cell k lies at t = a + b·k + c·k²
// along the line and at normal offset s0 + s1·u + s2·u² with u = t - tm.
// The quadratic terms absorb perspective and page curvature in photos.
type lineGrid struct {
	a, b, c    float64
	tm         float64
	s0, s1, s2 float64
}

func (g lineGrid) t(k int) float64 {
	kf := float64(k)
	return g.a + g.b*kf + g.c*kf*kf
}

func (g lineGrid) s(t float64) float64 {
	u := t - g.tm
	return g.s0 + g.s1*u + g.s2*u*u
}

// fitGrid fits a line's quadratic cell-position model to its components'
// cell indices ks, and a quadratic normal-offset model to its full-height
// glyphs.
func fitGrid(l *textLine, ks []float64, width int) lineGrid {
	g := lineGrid{a: l.t0, b: l.pitch, s0: l.s}
	if a, b, c, ok := fitQuad(ks, l.t); ok && b > 0 && math.Abs(c)*float64(width*width) < 0.5*b*float64(width) {
		g.a, g.b, g.c = a, b, c
		// drop outliers (split or merged glyphs) and refit
		var k2, t2 []float64
		for i, k := range ks {
			if math.Abs(l.t[i]-g.t(int(k))) < 0.25*g.b {
				k2 = append(k2, k)
				t2 = append(t2, l.t[i])
			}
		}
		if len(k2) >= 6 {
			if a, b, c, ok := fitQuad(k2, t2); ok && b > 0 {
				g.a, g.b, g.c = a, b, c
			}
		}
	} else if b, a := fitLS(ks, l.t); b > 0 {
		g.a, g.b = a, b
	}
	g.tm = g.t(width / 2)
	// Glyph centres (OCR-B '<' is centred on the cap height too) against t;
	// the curvature term only when they span most of the line, else an
	// extrapolated parabola runs off the line.
	var us, ss []float64
	uMin, uMax := math.Inf(1), math.Inf(-1)
	for i, c := range l.comps {
		if float64(c.h()) < 0.6*l.capH {
			continue
		}
		u := l.t[i] - g.tm
		us = append(us, u)
		ss = append(ss, -c.cx*l.uy+c.cy*l.ux)
		uMin, uMax = math.Min(uMin, u), math.Max(uMax, u)
	}
	length := g.b * float64(width)
	switch {
	case len(us) >= 8 && uMax-uMin > 0.7*length:
		if s0, s1, s2, ok := fitQuad(us, ss); ok {
			span := length / 2
			if math.Abs(s2)*span*span < 0.4*l.capH {
				g.s0, g.s1, g.s2 = s0, s1, s2
			}
		}
	case len(us) >= 5 && uMax-uMin > 0.35*length:
		s1, s0 := fitLS(us, ss)
		if math.Abs(s1)*length < 0.5*l.capH {
			g.s0, g.s1 = s0, s1
		}
	}
	return g
}

// fitQuad fits y = a + b·x + c·x² by least squares.
func fitQuad(xs, ys []float64) (a, b, c float64, ok bool) {
	var m [3][4]float64
	for i, x := range xs {
		p := [3]float64{1, x, x * x}
		for r := 0; r < 3; r++ {
			for q := 0; q < 3; q++ {
				m[r][q] += p[r] * p[q]
			}
			m[r][3] += p[r] * ys[i]
		}
	}
	// Gaussian elimination with partial pivoting
	for col := 0; col < 3; col++ {
		piv := col
		for r := col + 1; r < 3; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[piv][col]) {
				piv = r
			}
		}
		m[col], m[piv] = m[piv], m[col]
		if math.Abs(m[col][col]) < 1e-12 {
			return 0, 0, 0, false
		}
		for r := 0; r < 3; r++ {
			if r == col {
				continue
			}
			f := m[r][col] / m[col][col]
			for q := col; q < 4; q++ {
				m[r][q] -= f * m[col][q]
			}
		}
	}
	return m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2], true
}

var mrzWidths = map[int][]int{3: {30}, 2: {36, 44}}

// findBands groups text lines into MRZ candidates, best first.
func findBands(lines []*textLine) []band {
	sort.Slice(lines, func(i, j int) bool { return lines[i].s < lines[j].s })
	var bands []band
	for i := range lines {
		for n := 2; n <= 3; n++ {
			group := []*textLine{lines[i]}
			for j := i + 1; j < len(lines) && len(group) < n; j++ {
				prev, b := group[len(group)-1], lines[j]
				a := lines[i]
				if math.Abs(b.pitch-a.pitch) > 0.12*a.pitch {
					continue
				}
				if math.Abs(a.ux*b.uy-a.uy*b.ux) > 0.05 {
					continue
				}
				d := b.s - prev.s
				if d < 1.15*a.capH || d > 4.6*a.capH {
					continue
				}
				// aligned left edges
				if math.Abs(b.t0-a.t0) > 3*a.pitch && math.Abs(b.tLast()-a.tLast()) > 3*a.pitch {
					continue
				}
				group = append(group, b)
			}
			if len(group) != n {
				continue
			}
			bands = append(bands, makeBand(group))
		}
	}
	sort.Slice(bands, func(i, j int) bool { return bands[i].score > bands[j].score })
	return bands
}

func makeBand(group []*textLine) band {
	// Project every line on one common direction: lines fitted separately
	// differ by a fraction of a degree, which shifts their t origins by
	// a sizeable part of a pitch far from the image origin.
	var ux, uy float64
	for _, l := range group {
		ux += l.ux * float64(len(l.comps))
		uy += l.uy * float64(len(l.comps))
	}
	n := math.Hypot(ux, uy)
	ux, uy = ux/n, uy/n
	copies := make([]*textLine, len(group))
	for i, l := range group {
		c := &textLine{comps: append([]*component(nil), l.comps...), ux: ux, uy: uy, capH: l.capH}
		var offs []float64
		for _, cp := range c.comps {
			if float64(cp.h()) >= 0.8*l.capH {
				offs = append(offs, -cp.cx*uy+cp.cy*ux)
			}
		}
		if len(offs) == 0 {
			for _, cp := range c.comps {
				offs = append(offs, -cp.cx*uy+cp.cy*ux)
			}
		}
		sort.Float64s(offs)
		c.s = offs[len(offs)/2]
		c.project()
		copies[i] = c
	}
	group = copies
	b := band{lines: group}
	// Cell indices by walking each line: consecutive glyphs are one cell
	// apart (every MRZ cell is printed, fillers included), gaps are rounded
	// with the local pitch, so perspective does not accumulate into an
	// off-by-one. Each line then gets a quadratic position model.
	ks := make([][]float64, len(group))
	cells := make([]int, len(group))
	for i, l := range group {
		ks[i] = walkCells(l)
		cells[i] = int(ks[i][len(ks[i])-1]) + 1
	}
	sortedCells := append([]int(nil), cells...)
	sort.Ints(sortedCells)
	med := float64(sortedCells[len(sortedCells)/2])
	best := 0
	for _, w := range mrzWidths[len(group)] {
		if best == 0 || math.Abs(float64(w)-med) < math.Abs(float64(best)-med) {
			best = w
		}
	}
	b.width = best
	// reference line: the one whose cell count is closest to the width
	ref := 0
	for i := range group {
		if abs(cells[i]-best) < abs(cells[ref]-best) {
			ref = i
		}
	}
	b.grids = make([]lineGrid, len(group))
	b.grids[ref] = fitGrid(group[ref], ks[ref], best)
	for i, l := range group {
		if i == ref {
			continue
		}
		rg := b.grids[ref]
		// MRZ lines are left-aligned on one grid: give each glyph the
		// nearest cell of the reference line's grid, and drop glyphs off
		// the grid (specks before or after the line, background texture).
		var keepK []float64
		var keepC []*component
		var keepT []float64
		for j, t := range l.t {
			k := nearestCell(rg, t, best)
			if k < 0 || math.Abs(t-rg.t(k)) > 0.4*rg.b {
				continue
			}
			keepK = append(keepK, float64(k))
			keepC = append(keepC, l.comps[j])
			keepT = append(keepT, t)
		}
		if len(keepK) < 3 {
			b.grids[i] = rg
			b.grids[i].s0 = l.s
			continue
		}
		l.comps, l.t, ks[i] = keepC, keepT, keepK
		last := int(ks[i][len(ks[i])-1])
		if ks[i][0] > 1 || last < best-3 {
			// A partial line: keep the reference line's pitch and
			// perspective, fit only the offset.
			g := rg
			var offs []float64
			for j, kf := range ks[i] {
				offs = append(offs, l.t[j]-(rg.b*kf+rg.c*kf*kf))
			}
			sort.Float64s(offs)
			g.a = offs[len(offs)/2]
			g.s0, g.s1, g.s2 = l.s, 0, 0
			g.tm = g.t(best / 2)
			full := fitGrid(l, ks[i], best)
			g.s0, g.s1, g.s2 = full.s0, full.s1, full.s2
			b.grids[i] = g
			continue
		}
		b.grids[i] = fitGrid(l, ks[i], best)
	}
	b.pitch = b.grids[ref].b + b.grids[ref].c*float64(best-1)
	b.t0 = b.grids[ref].a
	var nc int
	for _, l := range group {
		nc += len(l.comps)
	}
	var hs []float64
	for _, l := range group {
		for _, c := range l.comps {
			if float64(c.h()) >= 0.8*l.capH && float64(c.h()) <= 1.3*l.capH {
				hs = append(hs, float64(c.h()))
			}
		}
	}
	sort.Float64s(hs)
	if len(hs) > 0 {
		b.capH = hs[len(hs)/2]
	}
	fill := float64(nc) / float64(best*len(group))
	b.score = float64(len(group))*10 - math.Abs(med-float64(best)) - 5*math.Abs(1-fill)
	return b
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// nearestCell returns the cell of grid g (0..width-1) nearest to t, or -1
// when t lies more than a pitch outside the grid.
func nearestCell(g lineGrid, t float64, width int) int {
	if t < g.t(0)-g.b || t > g.t(width-1)+g.b {
		return -1
	}
	k := int(math.Round((t - g.a) / g.b))
	k = max(0, min(k, width-1))
	for step := 0; step < 8; step++ {
		switch {
		case k > 0 && math.Abs(t-g.t(k-1)) < math.Abs(t-g.t(k)):
			k--
		case k < width-1 && math.Abs(t-g.t(k+1)) < math.Abs(t-g.t(k)):
			k++
		default:
			return k
		}
	}
	return k
}

// walkCells assigns a cell index to every component of a line, in order.
func walkCells(l *textLine) []float64 {
	ks := make([]float64, len(l.t))
	p := l.pitch
	for i := 1; i < len(l.t); i++ {
		// local pitch from up to the last 6 cells
		j := i - 1
		for j > 0 && ks[i-1]-ks[j-1] <= 6 {
			j--
		}
		if dk := ks[i-1] - ks[j]; dk >= 3 {
			p = (l.t[i-1] - l.t[j]) / dk
		}
		step := math.Round((l.t[i] - l.t[i-1]) / p)
		ks[i] = ks[i-1] + step
	}
	return ks
}
