package docloc

import (
	"image"
	"math"
	"sort"
)

// Print test: identity documents carry print (text, portrait, guilloche,
// MRZ); the blank sheets, boxes and screens of a cluttered desk are
// document-shaped but uniform inside. The test is taken on the
// full-resolution image, where even small print is visible (at the 512-px
// work scale it is not).
const (
	printGrid = 20 // samples across each axis of the outline's interior
	// printInset keeps samples off the outline (localisation error,
	// rounded corners, the document's own border).
	printInset = 0.08
	// printFloor is the smallest local luminance range (grey levels) that
	// counts as print whatever the noise.
	printFloor = 12
	// printNoiseFactor: a sample is print when its range exceeds this
	// many times the quietest quarter of the samples (blank paper: the
	// noise level of this photo, under this light).
	printNoiseFactor = 2.5
	// MinPrintDensity is the share of interior samples that must show
	// print for an outline to be a document. Sparse documents (a passport
	// page's lower half, a register's table) measure 0.2 and more; blank
	// objects measure under 0.03.
	MinPrintDensity = 0.06
)

// printDensity returns the share of sample points inside the quadrilateral
// c (input pixels, any winding) whose 5×5 neighbourhood, spaced to the
// outline's size, spans more luminance than noise does. Points outside the
// frame are skipped; with fewer than a quarter of them inside, the outline
// cannot be judged and 1 is returned.
func printDensity(luma func(x, y int) float32, b image.Rectangle, c [4][2]float64) float64 {
	uv := make([][2]float64, 0, printGrid*printGrid)
	for i := 0; i < printGrid; i++ {
		v := printInset + (1-2*printInset)*(float64(i)+0.5)/printGrid
		for j := 0; j < printGrid; j++ {
			u := printInset + (1-2*printInset)*(float64(j)+0.5)/printGrid
			uv = append(uv, [2]float64{u, v})
		}
	}
	d, ok := densityAt(luma, b, c, uv)
	if !ok {
		return 1
	}
	return d
}

// ringDensity is the print density of a ring just outside the outline
// (3–9 % of its size beyond each side); ok is false when too little of the
// ring lies in the frame.
func ringDensity(luma func(x, y int) float32, b image.Rectangle, c [4][2]float64) (float64, bool) {
	uv := make([][2]float64, 0, 3*4*printGrid)
	for _, o := range [3]float64{0.03, 0.06, 0.09} {
		for i := 0; i < printGrid; i++ {
			t := (float64(i) + 0.5) / printGrid
			uv = append(uv, [2]float64{t, -o}, [2]float64{t, 1 + o}, [2]float64{-o, t}, [2]float64{1 + o, t})
		}
	}
	return densityAt(luma, b, c, uv)
}

// densityAt measures print at the points uv, given in bilinear coordinates
// of the quad c (close enough to the perspective map for a density).
func densityAt(luma func(x, y int) float32, b image.Rectangle, c [4][2]float64, uv [][2]float64) (float64, bool) {
	W, H := b.Dx(), b.Dy()
	long := math.Max(math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1]), math.Hypot(c[3][0]-c[0][0], c[3][1]-c[0][1]))
	step := max(1, int(long/400)) // the window spans ≈ 1 % of the document
	ranges := make([]float64, 0, len(uv))
	for _, p := range uv {
		u, v := p[0], p[1]
		x := (1-u)*(1-v)*c[0][0] + u*(1-v)*c[1][0] + u*v*c[2][0] + (1-u)*v*c[3][0]
		y := (1-u)*(1-v)*c[0][1] + u*(1-v)*c[1][1] + u*v*c[2][1] + (1-u)*v*c[3][1]
		px, py := int(x), int(y)
		if px-2*step < 0 || py-2*step < 0 || px+2*step >= W || py+2*step >= H {
			continue
		}
		lo, hi := float32(255), float32(0)
		for dy := -2; dy <= 2; dy++ {
			for dx := -2; dx <= 2; dx++ {
				l := luma(b.Min.X+px+dx*step, b.Min.Y+py+dy*step)
				lo, hi = min(lo, l), max(hi, l)
			}
		}
		ranges = append(ranges, float64(hi-lo))
	}
	if len(ranges) < len(uv)/4 {
		return 0, false
	}
	sorted := append([]float64(nil), ranges...)
	sort.Float64s(sorted)
	thr := math.Max(printFloor, printNoiseFactor*sorted[len(sorted)/4])
	n := 0
	for _, r := range ranges {
		if r > thr {
			n++
		}
	}
	return float64(n) / float64(len(ranges)), true
}

const (
	// enclosingRatio: an enclosing outline needs at least this share of
	// the chosen outline's score to replace it.
	enclosingRatio = 0.5
	// surroundedShare: an outline is surrounded by print when the ring
	// around it holds at least this share of its own print density (a
	// document among other papers measures ≈ 0.4, a portrait box on a
	// licence ≈ 0.9).
	surroundedShare = 0.6
)

// whereThePrintEnds returns, instead of cands[bi] (whose print density is
// inside), a whole outline (every
// side in the frame, so that its surroundings can be seen) enclosing it
// when the chosen outline has print all around it (a portrait, header band
// or field box printed on the document) and the enclosing one has none
// around it (the document on its table): the document is where its print
// ends. This matters when the card's own edges are faint — a white licence
// on a white table — and its printed rectangles outscore it.
func whereThePrintEnds(cands []quad, bi int, inside float64, luma func(x, y int) float32, b image.Rectangle, kf float64) int {
	around, ok := ringDensity(luma, b, scaleCorners(cands[bi].corners, kf))
	if !ok || around < MinPrintDensity || around < surroundedShare*inside {
		return bi
	}
	best, bestScore := bi, 0.0
	for j := range cands {
		q := &cands[j]
		if j == bi || q.score < tune.found || q.score < enclosingRatio*cands[bi].score || q.score <= bestScore ||
			q.area < 1.5*cands[bi].area || q.visible < 1 || !encloses(q.corners, cands[bi].corners) {
			continue
		}
		c := scaleCorners(q.corners, kf)
		if printDensity(luma, b, c) < MinPrintDensity {
			continue
		}
		if out, ok := ringDensity(luma, b, c); ok && out < 0.5*around {
			best, bestScore = j, q.score
		}
	}
	return best
}

// encloses reports whether every corner of inner lies inside the convex
// quad outer, or within 2 work pixels outside it (a printed box may share
// a side with the document).
func encloses(outer, inner [4][2]float64) bool {
	orient := math.Copysign(1, polyArea2(outer))
	for _, p := range inner {
		for i := 0; i < 4; i++ {
			a, c := outer[i], outer[(i+1)%4]
			l := math.Hypot(c[0]-a[0], c[1]-a[1])
			if l == 0 {
				return false
			}
			d := orient * ((c[0]-a[0])*(p[1]-a[1]) - (c[1]-a[1])*(p[0]-a[0])) / l
			if d < -2 {
				return false
			}
		}
	}
	return true
}

// polyArea2 is twice the signed area of the quad c.
func polyArea2(c [4][2]float64) float64 {
	a := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		a += c[i][0]*c[j][1] - c[j][0]*c[i][1]
	}
	return a
}
