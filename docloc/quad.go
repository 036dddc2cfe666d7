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
	area    float64 // fraction of the frame
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
	minSide := 0.06 * math.Min(float64(w), float64(h))
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
			if !ok {
				continue
			}
			cand.area /= frame
			if cand.area < minAreaFrac || cand.area > 1.6 {
				continue
			}
			as := aspectScore(cand.aspect)
			if as == 0 {
				continue
			}
			cand.score = math.Pow(cand.meanSup, 1.5) * math.Sqrt(cand.minSup) * math.Pow(cand.area, tune.areaExponent) * as *
				math.Min(1, cand.visible/0.8)
			if nb > 0 {
				cand.score *= tune.borderPenalty
			}
			out = append(out, cand)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) > keep {
		out = out[:keep]
	}
	return out
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
		if ln.border {
			// The frame edge carries no evidence of its own: it counts as
			// partly supported and never as the weakest side.
			cnt += tune.borderSupport * v
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
	if sign > 0 { // make the order clockwise on screen (y down: clockwise has negative cross products)
		q.corners = [4][2]float64{c[0], c[3], c[2], c[1]}
		q.lines = [4]int{l[3], l[2], l[1], l[0]}
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
