package docloc

import (
	"math"
	"sort"
)

// quad is a candidate document outline made of four detected lines.
type quad struct {
	lines   [4]int        // side i runs from corner i to corner i+1 along lines[i]
	corners [4][2]float64 // work pixels, clockwise
	score   float64
	meanSup float64
	minSup  float64
	visible float64 // fraction of the perimeter inside the frame
	aspect  float64
	sides   [4]float64 // side lengths, work pixels
	area    float64    // fraction of the frame
	// set by rescore
	extension float64 // mean edge support on the sides' continuations past the corners
}

// Aspect ratios (long/short side) of the documents kycgate expects: ID-1
// cards (85.60×53.98 mm), the TD3 passport data page (125×88 mm), ISO 216
// paper (√2), US letter, TD2 (105×74 mm ≈ √2) and a square-ish page.
var knownAspects = []float64{1.586, 1.42, 1.414, 1.294, 1.5}

// aspectScore favours the known document shapes without excluding others:
// any sane rectangle keeps 0.45 of its score so unknown documents are
// still found when nothing better explains the edges.
func aspectScore(r float64) float64 {
	if r > 4 {
		return 0
	}
	best := 0.45
	for _, k := range knownAspects {
		d := math.Log(r / k)
		s := math.Exp(-d * d / (2 * 0.09 * 0.09))
		if s > best {
			best = s
		}
	}
	return best
}

// scoring holds the weights of the quad score. They are variables only so
// that the evaluation sweep in the tests can try alternatives; Locate
// always uses defaultScoring.
type scoring struct {
	areaExponent     float64 // prefer the outer outline over rectangles printed inside it
	borderSupport    float64 // support credited to a side lying on the frame edge
	borderPenalty    float64 // a cut-off outline needs more evidence than a whole one
	extensionPenalty float64 // score lost when the sides run on past every corner
	found            float64 // minimum score for Found
}

// defaultScoring was chosen by a sweep (TestSweep) over generated clean,
// cut-corner and document-free photos and the real photos.
var defaultScoring = scoring{areaExponent: 0.4, borderSupport: 0.75, borderPenalty: 0.9,
	extensionPenalty: 0.4, found: FoundThreshold}

var tune = defaultScoring

// Thresholds for quad candidates (work pixels / fractions).
const (
	minAreaFrac    = 0.02 // smaller than 2 % of the frame is not a usable document photo
	minVisibleFrac = 0.55 // at least this share of the outline must be in the frame
	minSideSupport = 0.3  // every visible side needs edges along ≥ 30 % of its length
	minMeanSupport = 0.5  // and the outline as a whole along ≥ 50 %
	minCornerAngle = 40.0 // degrees; perspective from a hand-held phone stays well inside
	maxParallelDev = 35.0 // opposite sides may converge by this much (perspective)
	minSideFrac    = 0.06 // shortest side, fraction of the short frame side
)

func angleBetween(t1, t2 float64) float64 {
	d := math.Abs(t1 - t2)
	if d > math.Pi/2 {
		d = math.Pi - d
	}
	return d * 180 / math.Pi
}

// bestQuads enumerates quads from two pairs of roughly parallel lines and
// returns the highest-scoring ones, best first.
func bestQuads(lines []line, w, h int, keep int) []quad {
	type pair struct{ a, b int }
	var pairs []pair
	minSep := 0.08 * math.Min(float64(w), float64(h))
	cx, cy := float64(w)/2, float64(h)/2
	for i := range lines {
		for j := i + 1; j < len(lines); j++ {
			if lines[i].border && lines[j].border {
				continue
			}
			if angleBetween(lines[i].theta, lines[j].theta) > maxParallelDev {
				continue
			}
			// separation measured through the frame centre
			di := cx*lines[i].nx + cy*lines[i].ny - lines[i].rho
			dj := cx*lines[j].nx + cy*lines[j].ny - lines[j].rho
			if lines[i].nx*lines[j].nx+lines[i].ny*lines[j].ny < 0 {
				dj = -dj
			}
			if math.Abs(di-dj) < minSep {
				continue
			}
			pairs = append(pairs, pair{i, j})
		}
	}
	frame := float64(w * h)
	minSide := minSideFrac * math.Min(float64(w), float64(h))
	var out []quad
	for pi := range pairs {
		p := pairs[pi]
		tp := meanTheta(lines[p.a].theta, lines[p.b].theta)
		for qi := pi + 1; qi < len(pairs); qi++ {
			q := pairs[qi]
			if q.a == p.a || q.a == p.b || q.b == p.a || q.b == p.b {
				continue
			}
			nb := 0
			for _, li := range [4]int{p.a, p.b, q.a, q.b} {
				if lines[li].border {
					nb++
				}
			}
			if nb > 1 {
				continue
			}
			if angleBetween(tp, meanTheta(lines[q.a].theta, lines[q.b].theta)) < 50 {
				continue
			}
			cand, ok := makeQuad(lines, [4]int{p.a, q.b, p.b, q.a}, w, h, minSide)
			if !ok || !scoreQuad(&cand, lines, frame) {
				continue
			}
			out = append(out, cand)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) <= keep {
		return out
	}
	// Outlines with a side on the frame edge are kept beyond the best
	// keep, up to keep/4 more: scored as cuts they rank low (truncated
	// sides, weak aspect prior), but closeShortSides may find them to be
	// whole documents whose fourth side is invisible.
	kept := out[:keep:keep]
	for _, q := range out[keep:] {
		if len(kept) >= keep+keep/4 {
			break
		}
		for _, li := range q.lines {
			if lines[li].border {
				kept = append(kept, q)
				break
			}
		}
	}
	return kept
}

// scoreQuad normalises q's area to the frame and scores it; false when
// the quad is implausible as a document.
func scoreQuad(q *quad, lines []line, frame float64) bool {
	q.area /= frame
	if q.area < minAreaFrac || q.area > 1.6 {
		return false
	}
	as := aspectScore(q.aspect)
	cut := -1 // the side lying on the frame edge, if any
	for i, li := range q.lines {
		if lines[li].border {
			cut = i
		}
	}
	if cut >= 0 {
		as = cutAspectScore(q.sides, cut)
	}
	if as == 0 {
		return false
	}
	q.score = math.Pow(q.meanSup, 1.5) * math.Sqrt(q.minSup) * math.Pow(q.area, tune.areaExponent) * as *
		math.Min(1, q.visible/0.8)
	for _, li := range q.lines {
		if lines[li].border || lines[li].inferred {
			q.score *= tune.borderPenalty
			break
		}
	}
	return true
}

// cutAspectScore is the aspect prior of an outline whose side cut lies on
// the frame edge: the two sides adjacent to it are truncated by the frame,
// so the document's true extent across the cut is at least what is seen.
// The prior is that of the best known aspect ratio the document can still
// have.
func cutAspectScore(sides [4]float64, cut int) float64 {
	along := (sides[cut] + sides[(cut+2)%4]) / 2
	across := (sides[(cut+1)%4] + sides[(cut+3)%4]) / 2 // a lower bound
	if along <= 0 {
		return 0
	}
	r := across / along
	if r <= knownAspects[0] { // the widest known shape is reachable
		return 1
	}
	return aspectScore(r)
}

func meanTheta(a, b float64) float64 {
	if math.Abs(a-b) > math.Pi/2 {
		if a < b {
			a += math.Pi
		} else {
			b += math.Pi
		}
	}
	m := (a + b) / 2
	if m >= math.Pi {
		m -= math.Pi
	}
	return m
}

// makeQuad intersects lines l[0]..l[3] (side i on l[i], corner i between
// sides i-1 and i) and measures it.
func makeQuad(lines []line, l [4]int, w, h int, minSide float64) (quad, bool) {
	var c [4][2]float64
	for i := 0; i < 4; i++ {
		x, y, ok := intersect(&lines[l[(i+3)%4]], &lines[l[i]])
		if !ok {
			return quad{}, false
		}
		c[i] = [2]float64{x, y}
	}
	// Corners far outside the frame mean the lines meet at a grazing angle
	// or belong to unrelated structures.
	W, H := float64(w), float64(h)
	for _, p := range c {
		if p[0] < -0.5*W || p[0] > 1.5*W || p[1] < -0.5*H || p[1] > 1.5*H {
			return quad{}, false
		}
	}
	// convexity and corner angles
	sign := 0.0
	for i := 0; i < 4; i++ {
		a, b, d := c[(i+3)%4], c[i], c[(i+1)%4]
		ux, uy := a[0]-b[0], a[1]-b[1]
		vx, vy := d[0]-b[0], d[1]-b[1]
		cross := ux*vy - uy*vx
		if sign == 0 {
			sign = math.Copysign(1, cross)
		} else if cross*sign <= 0 {
			return quad{}, false
		}
		nu, nv := math.Hypot(ux, uy), math.Hypot(vx, vy)
		if nu < minSide || nv < minSide {
			return quad{}, false
		}
		ang := math.Acos(math.Max(-1, math.Min(1, (ux*vx+uy*vy)/(nu*nv)))) * 180 / math.Pi
		if ang < minCornerAngle || ang > 180-minCornerAngle {
			return quad{}, false
		}
	}
	q := quad{lines: l, corners: c}
	var cnt, vis, total float64
	q.minSup = 1
	var lens [4]float64
	for i := 0; i < 4; i++ {
		ln := &lines[l[i]]
		a, b := c[i], c[(i+1)%4]
		lens[i] = math.Hypot(b[0]-a[0], b[1]-a[1])
		n, v := ln.support(ln.param(a[0], a[1]), ln.param(b[0], b[1]))
		if ln.border || ln.inferred {
			// The frame edge carries no evidence of its own, nor does a
			// side inferred from where the others end: it counts as partly
			// supported (an inferred side as supported as it is, if more)
			// and never as the weakest side.
			if ln.border {
				n = 0
			}
			cnt += math.Max(n, tune.borderSupport*v)
			vis += v
			total += lens[i]
			continue
		}
		cnt += n
		vis += v
		total += lens[i]
		if v >= 8 {
			if s := n / v; s < q.minSup {
				q.minSup = s
			}
		}
	}
	if vis < 1 || total < 1 {
		return quad{}, false
	}
	q.meanSup = cnt / vis
	q.visible = vis / total
	if q.visible < minVisibleFrac || q.minSup < minSideSupport || q.meanSup < minMeanSupport {
		return quad{}, false
	}
	r := (lens[0] + lens[2]) / (lens[1] + lens[3])
	if r < 1 {
		r = 1 / r
	}
	q.aspect = r
	q.area = polyArea(c)
	q.sides = lens
	if sign > 0 { // make the order clockwise on screen (y down: clockwise has negative cross products)
		q.corners = [4][2]float64{c[0], c[3], c[2], c[1]}
		q.lines = [4]int{l[3], l[2], l[1], l[0]}
		q.sides = [4]float64{lens[3], lens[2], lens[1], lens[0]}
	}
	return q, true
}

func polyArea(c [4][2]float64) float64 {
	a := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		a += c[i][0]*c[j][1] - c[j][0]*c[i][1]
	}
	return math.Abs(a) / 2
}

// rescore refines the ranking of the best candidates: corners must be real
// corners. At a document corner both sides stop, while at a rectangle
// printed inside the document (a portrait box, a header band, the MRZ clear
// zone) the document's own edges run on past the "corner". Support on the
// continuation of each side beyond its corners is penalised.
func rescore(cands []quad, lines []line) {
	for ci := range cands {
		q := &cands[ci]
		var ext, n float64
		for i := 0; i < 4; i++ {
			ln := &lines[q.lines[i]]
			if ln.border {
				continue
			}
			a, b := q.corners[i], q.corners[(i+1)%4]
			ta, tb := ln.param(a[0], a[1]), ln.param(b[0], b[1])
			dir := 1.0
			if tb < ta {
				dir = -1
			}
			length := math.Abs(tb - ta)
			e := math.Max(6, 0.12*length)
			for _, seg := range [2][2]float64{{ta - dir*2, ta - dir*(2+e)}, {tb + dir*2, tb + dir*(2+e)}} {
				cnt, vis := ln.support(seg[0], seg[1])
				if vis >= 3 {
					ext += cnt / vis
					n++
				}
			}
		}
		if n > 0 {
			q.extension = ext / n
		}
		q.score *= 1 - tune.extensionPenalty*q.extension
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
}

// minCutTail is how far (work pixels) a side may stop short of the frame
// edge and still be taken to run into it: the outermost pixel has no
// gradient and the support tolerance is ±2 px.
const minCutTail = 4

// closeShortSides checks the physics of a cut: a document is cut by the
// frame only where its sides are seen running into the frame edge. When
// both sides next to a frame-edge side stop short of it — a whole
// document whose fourth side is too blurred, washed out or faint to be
// found as a line — the outline is closed where they stop, by a side
// inferred through those two points, and rescored. When only one of them
// stops short, the frame may cut across a corner; that partial evidence is
// accepted only if the other side runs solidly into the frame edge and
// the outline does not enclose background along it, else the outline is
// dropped.
func closeShortSides(cands []quad, lines []line, g *gradients, wk *work, minSide float64) ([]quad, []line) {
	frame := float64(g.w * g.h)
	for ci := range cands {
		q := &cands[ci]
		cut := -1
		for i, li := range q.lines {
			if lines[li].border {
				cut = i
			}
		}
		if cut < 0 {
			continue
		}
		prev, next := (cut+3)%4, (cut+1)%4
		// side prev runs from corner prev to corner cut (on the frame
		// edge); side next from corner next (on the frame edge) onwards.
		e1, tail1 := sideEnd(&lines[q.lines[prev]], q.corners[prev], q.corners[cut])
		e2, tail2 := sideEnd(&lines[q.lines[next]], q.corners[(next+1)%4], q.corners[next])
		if tail1 < minCutTail && tail2 < minCutTail {
			continue // both sides run into the frame edge: a cut
		}
		if tail1 < minCutTail || tail2 < minCutTail {
			// One side stops short: the frame may cut across a corner
			// (the document's side between them too short to be seen as
			// a line). Partial evidence needs a second opinion: the
			// other side must run solidly into the frame edge (a
			// textured background can make a side seem to reach it),
			// and what lies along the frame edge must not be background.
			side, corner := prev, cut
			if tail2 < tail1 {
				side, corner = next, next
			}
			if !runsIntoFrame(&lines[q.lines[side]], q.corners[corner]) || cutShowsBackground(q, cut, wk) {
				q.score = 0
			}
			continue
		}
		l := lineThrough(e1, e2)
		l.inferred = true
		buildSupport(&l, g)
		lines = append(lines, l)
		idx := q.lines
		idx[cut] = len(lines) - 1
		nq, ok := makeQuad(lines, idx, g.w, g.h, minSide)
		if !ok || !scoreQuad(&nq, lines, frame) {
			q.score = 0
			continue
		}
		*q = nq
	}
	return cands, lines
}

// cutShowsBackground compares colours just inside the frame-edge side
// cut of q with colours just inside (document) and just outside
// (background) its other sides. A document cut by the frame continues
// out of it, so along the frame edge the outline must enclose document,
// not background.
func cutShowsBackground(q *quad, cut int, wk *work) bool {
	var cx, cy float64
	for _, c := range q.corners {
		cx += c[0] / 4
		cy += c[1] / 4
	}
	const off = 3 // work pixels from the side
	var doc, bg, edge [3][]float32
	sample := func(dst *[3][]float32, x, y float64) {
		px, py := int(x), int(y)
		if px < 0 || py < 0 || px >= wk.l.w || py >= wk.l.h {
			return
		}
		i := py*wk.l.w + px
		dst[0] = append(dst[0], wk.l.p[i])
		dst[1] = append(dst[1], chromaWeight*wk.cb.p[i])
		dst[2] = append(dst[2], chromaWeight*wk.cr.p[i])
	}
	for i := 0; i < 4; i++ {
		a, b := q.corners[i], q.corners[(i+1)%4]
		dx, dy := b[0]-a[0], b[1]-a[1]
		n := math.Hypot(dx, dy)
		if n < 1 {
			continue
		}
		nx, ny := -dy/n, dx/n
		if (cx-a[0])*nx+(cy-a[1])*ny < 0 {
			nx, ny = -nx, -ny // point inwards
		}
		for s := 0.15; s < 0.86; s += 0.05 {
			x, y := a[0]+s*dx, a[1]+s*dy
			if i == cut {
				sample(&edge, x+off*nx, y+off*ny)
				continue
			}
			sample(&doc, x+off*nx, y+off*ny)
			sample(&bg, x-off*nx, y-off*ny)
		}
	}
	if len(edge[0]) < 4 || len(doc[0]) < 4 || len(bg[0]) < 4 {
		return false
	}
	var dEdgeDoc, dEdgeBg, dDocBg float64
	for k := 0; k < 3; k++ {
		e, d, b := float64(median32(edge[k])), float64(median32(doc[k])), float64(median32(bg[k]))
		dEdgeDoc += (e - d) * (e - d)
		dEdgeBg += (e - b) * (e - b)
		dDocBg += (d - b) * (d - b)
	}
	// Only when document and background differ clearly can the edge be
	// told to be one or the other.
	return dDocBg > cutMinContrast*cutMinContrast && math.Sqrt(dEdgeBg) < 0.5*math.Sqrt(dEdgeDoc)
}

// cutMinContrast is the colour distance (luminance units) between
// document and background below which cutShowsBackground abstains.
const cutMinContrast = 12

func median32(v []float32) float32 {
	s := append([]float32(nil), v...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// runsIntoFrame reports whether line l is supported along its last
// cutRunIn work pixels up to the frame-edge point at: a document side cut
// by the frame, not chance texture.
func runsIntoFrame(l *line, at [2]float64) bool {
	t := l.param(at[0], at[1])
	c1, v1 := l.support(t, t+cutRunIn)
	c2, v2 := l.support(t-cutRunIn, t)
	// Only one direction lies inside the frame (the profile covers the
	// frame only).
	c, v := c1, v1
	if v2 > v1 {
		c, v = c2, v2
	}
	return v >= cutRunIn/2 && c >= 0.75*v
}

// cutRunIn is the stretch next to the frame edge (work pixels) along which
// a cut side must be solidly supported.
const cutRunIn = 12

// sideEnd walks line l from the frame-edge corner to back towards the
// inner corner from and returns the first point where the side is
// supported (≥ 60 % of the next 5 samples) and its distance from to: the
// length of the side's unsupported tail at the frame edge (the whole side
// when no point is).
func sideEnd(l *line, from, to [2]float64) ([2]float64, float64) {
	tf, tt := l.param(from[0], from[1]), l.param(to[0], to[1])
	dir := 1.0
	if tf < tt {
		dir = -1
	}
	n := int(math.Abs(tf - tt))
	for d := 0; d < n; d++ {
		a := tt + dir*float64(d)
		c, v := l.support(a, a+dir*4)
		if v >= 3 && c >= 0.6*v {
			x, y := l.at(a)
			return [2]float64{x, y}, float64(d)
		}
	}
	return from, float64(n)
}
