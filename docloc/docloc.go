// Package docloc finds the quadrilateral of an identity document (card,
// passport page, sheet) in a photo taken on an arbitrary background, says
// whether all four corners are inside the frame, and warps the document to
// an upright rectangle.
//
// It is pure Go without cgo and builds for GOOS=js GOARCH=wasm, so that the
// capture page can run the same localisation in the browser that the
// server runs, and tell the applicant to retake a photo before submitting.
//
// Method: the image is box-downscaled to at most 512 px; Sobel gradients are
// taken on luminance and two chroma channels (keeping, per pixel, the
// channel that changes most, so a white card on a light table with a
// different tint is still found); edges are thinned by non-maximum
// suppression and hysteresis with thresholds adapted to the image's noise
// level; a Hough transform with orientation-restricted voting proposes
// straight lines; every pair of roughly parallel pairs of lines forms a
// candidate quadrilateral, scored by how much of its visible outline is
// backed by aligned edges, its area and how well its aspect ratio matches
// known documents; the winner's sides are re-fitted on the full-resolution
// image with sub-pixel edge profiles and robust line fits, and the corners
// are the sides' intersections — which also places a cut-off corner
// outside the frame where it belongs.
package docloc

import (
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
)

// Result is the outcome of Locate.
type Result struct {
	// Found is false when no document outline was detected
	// (DOCUMENT_NOT_FOUND).
	Found bool
	// Corners are the document's corners in input pixels (continuous
	// coordinates: the top-left corner of pixel (0,0) is (0,0)), clockwise,
	// starting with the corner nearest the image's top-left. A corner cut
	// off by the frame is extrapolated from the sides and lies outside it.
	Corners [4][2]float64
	// Confidence in [0,1] grows with the edge support of the outline.
	Confidence float64
	// CornersInside is false when a corner lies outside the frame or within
	// EdgeMargin of its edge, where it cannot be seen to be intact
	// (DOCUMENT_CORNERS_MISSING).
	CornersInside bool
	// MissingCorners lists the indices (into Corners) of those corners.
	MissingCorners []int
	// Aspect is the long/short side ratio of the outline (perspective not
	// removed): 1.586 for ID-1 cards, ≈1.42 for passport pages.
	Aspect float64
}

// Tunables, in fractions of the image so that they hold at any resolution.
const (
	// WorkSize is the long side of the downscaled image the search runs on.
	WorkSize = 512
	// EdgeMargin: a corner closer than this fraction of the short image side
	// to the frame edge counts as hidden.
	EdgeMargin = 0.004
	// FoundThreshold is the minimum outline score for Found, set by the
	// evaluation sweep: document outlines typically score 0.3–0.8,
	// texture without a document stays below it, rectangular objects
	// (sheets, boxes) among clutter may not.
	FoundThreshold = 0.18
	// MinImageSide rejects images too small to hold a readable document.
	MinImageSide = 32
	// maxPrintChecks bounds how many outlines, best first, are tested for
	// print before the photo is declared document-free.
	maxPrintChecks = 6
)

// ErrImage is returned for nil or degenerate images.
var ErrImage = errors.New("docloc: unusable image")

// Locate finds the document outline in img.
func Locate(img image.Image) (Result, error) {
	if img == nil {
		return Result{}, fmt.Errorf("%w: nil", ErrImage)
	}
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	if W < MinImageSide || H < MinImageSide {
		return Result{}, fmt.Errorf("%w: %dx%d is smaller than %d px", ErrImage, W, H, MinImageSide)
	}
	k := (max(W, H) + WorkSize - 1) / WorkSize
	if k < 1 {
		k = 1
	}
	wk := downscale(img, k)
	w, h := wk.l.w, wk.l.h
	g := computeGradients(wk)
	pts := thinEdges(g)
	minVotes := int(math.Max(12, 0.05*float64(min(w, h))))
	lines := append(houghLines(pts, w, h, minVotes), borderLines(w, h)...)
	for i := range lines {
		if lines[i].border {
			buildSupport(&lines[i], g)
			continue
		}
		lines[i] = refineLine(lines[i], pts)
		buildSupport(&lines[i], g)
	}
	cands := bestQuads(lines, w, h, 40)
	cands, lines = closeShortSides(cands, lines, g, wk, minSideFrac*float64(min(w, h)))
	rescore(cands, lines)
	if len(cands) == 0 {
		return Result{}, nil
	}
	luma := lumaFunc(img)
	kf := float64(k)
	// The best outline that encloses print is the document; blank sheets,
	// boxes and screens are passed over.
	bi, inside := -1, 0.0
	for i := 0; i < len(cands) && i < maxPrintChecks && cands[i].score >= tune.found; i++ {
		if inside = printDensity(luma, b, scaleCorners(cands[i].corners, kf)); inside >= MinPrintDensity {
			bi = i
			break
		}
	}
	if bi < 0 {
		return Result{Confidence: math.Min(1, cands[0].score/0.7), Aspect: cands[0].aspect}, nil
	}
	bi = whereThePrintEnds(cands, bi, inside, luma, b, kf)
	best := cands[bi]
	res := Result{Found: true, Confidence: math.Min(1, best.score/0.7), Aspect: best.aspect}
	// Refine each side on the full-resolution image.
	var full [4]line
	for i := 0; i < 4; i++ {
		a, c := best.corners[i], best.corners[(i+1)%4]
		coarse := lines[best.lines[i]]
		if coarse.border {
			full[i] = fullBorder(coarse, W, H)
			continue
		}
		fa, fc := [2]float64{a[0] * kf, a[1] * kf}, [2]float64{c[0] * kf, c[1] * kf}
		cl := newLine(coarse.theta, coarse.rho*kf)
		// A wide search first (the coarse line may be a degree off), then a
		// narrow one around the first fit.
		l1 := refineSide(luma, b, cl, fa, fc, 3*kf+4, 3*kf+3)
		full[i] = refineSide(luma, b, l1, fa, fc, kf+2, kf+2)
	}
	for i := 0; i < 4; i++ {
		x, y, ok := intersect(&full[(i+3)%4], &full[i])
		if !ok {
			x, y = best.corners[i][0]*kf, best.corners[i][1]*kf
		}
		res.Corners[i] = [2]float64{x, y}
	}
	res.Corners = orderCorners(res.Corners)
	margin := math.Max(1, EdgeMargin*float64(min(W, H)))
	res.CornersInside = true
	for i, c := range res.Corners {
		if c[0] < margin || c[1] < margin || c[0] > float64(W)-margin || c[1] > float64(H)-margin {
			res.CornersInside = false
			res.MissingCorners = append(res.MissingCorners, i)
		}
	}
	// Report corners in the image's own coordinate space.
	for i := range res.Corners {
		res.Corners[i][0] += float64(b.Min.X)
		res.Corners[i][1] += float64(b.Min.Y)
	}
	return res, nil
}

// scaleCorners maps work-image corners to input pixels.
func scaleCorners(c [4][2]float64, kf float64) [4][2]float64 {
	for i := range c {
		c[i][0] *= kf
		c[i][1] *= kf
	}
	return c
}

// fullBorder maps a work-image frame edge to the exact full-resolution
// frame edge (the work image may be a few pixels short after integer
// downscaling).
func fullBorder(l line, W, H int) line {
	if l.theta == 0 {
		if l.rho == 0 {
			return newLine(0, 0)
		}
		return newLine(0, float64(W))
	}
	if l.rho == 0 {
		return newLine(math.Pi/2, 0)
	}
	return newLine(math.Pi/2, float64(H))
}

// orderCorners rotates a clockwise quad so that it starts with the corner
// nearest the image origin (smallest x+y).
func orderCorners(c [4][2]float64) [4][2]float64 {
	start := 0
	for i := 1; i < 4; i++ {
		if c[i][0]+c[i][1] < c[start][0]+c[start][1] {
			start = i
		}
	}
	var out [4][2]float64
	for i := 0; i < 4; i++ {
		out[i] = c[(start+i)%4]
	}
	return out
}

// refineSide re-fits one side at full resolution: along the visible part
// of the coarse side it takes luminance profiles across the edge, locates
// the steepest step with sub-pixel precision, and fits a line to those
// points with outlier rejection. The coarse line is kept when too few
// points agree (e.g. an edge visible only in chroma).
func refineSide(luma func(x, y int) float32, b image.Rectangle, cl line, a, c [2]float64, R, maxShift float64) line {
	W, H := float64(b.Dx()), float64(b.Dy())
	t1, t2 := cl.param(a[0], a[1]), cl.param(c[0], c[1])
	if t1 > t2 {
		t1, t2 = t2, t1
	}
	if lo, hi, ok := cl.clip(W, H); ok {
		t1, t2 = math.Max(t1, lo), math.Min(t2, hi)
	}
	if t2-t1 < 10 {
		return cl
	}
	const samples = 40
	type pt struct{ x, y float64 }
	pts := make([]pt, 0, samples)
	steps := int(2*R/0.5) + 1
	prof := make([]float32, steps)
	for s := 0; s < samples; s++ {
		t := t1 + (t2-t1)*(0.08+0.84*float64(s)/(samples-1))
		px, py := cl.at(t)
		for j := 0; j < steps; j++ {
			o := -R + 0.5*float64(j)
			prof[j] = bilinearLuma(luma, b, px+o*cl.nx, py+o*cl.ny)
		}
		bestJ, bestD := -1, float32(0)
		for j := 1; j < steps-1; j++ {
			d := abs32(prof[j+1] - prof[j-1])
			if d > bestD {
				bestJ, bestD = j, d
			}
		}
		if bestJ <= 1 || bestJ >= steps-2 || bestD < 3 {
			continue
		}
		// parabola through the derivative around the peak
		dm := abs32(prof[bestJ] - prof[bestJ-2])
		dp := abs32(prof[bestJ+2] - prof[bestJ])
		off := 0.0
		if den := float64(dm - 2*bestD + dp); den < 0 {
			off = 0.5 * float64(dm-dp) / den
			off = math.Max(-1, math.Min(1, off))
		}
		o := -R + 0.5*(float64(bestJ)+off)
		pts = append(pts, pt{px + o*cl.nx, py + o*cl.ny})
	}
	if len(pts) < samples/3 {
		return cl
	}
	fit := func(ps []pt) (line, bool) {
		var sx, sy, sxx, syy, sxy float64
		n := float64(len(ps))
		for _, p := range ps {
			sx += p.x
			sy += p.y
			sxx += p.x * p.x
			syy += p.y * p.y
			sxy += p.x * p.y
		}
		mx, my := sx/n, sy/n
		cxx, cyy, cxy := sxx/n-mx*mx, syy/n-my*my, sxy/n-mx*my
		ang := 0.5*math.Atan2(2*cxy, cxx-cyy) + math.Pi/2
		l := newLine(ang, 0)
		l.rho = mx*l.nx + my*l.ny
		// keep the normal pointing the same way as the coarse line
		if l.nx*cl.nx+l.ny*cl.ny < 0 {
			l = newLine(ang+math.Pi, 0)
			l.rho = mx*l.nx + my*l.ny
		}
		return l, true
	}
	cur, _ := fit(pts)
	for iter := 0; iter < 2; iter++ {
		res := make([]float64, len(pts))
		for i, p := range pts {
			res[i] = math.Abs(p.x*cur.nx + p.y*cur.ny - cur.rho)
		}
		sorted := append([]float64(nil), res...)
		sort.Float64s(sorted)
		tol := math.Max(0.75, 3*1.4826*sorted[len(sorted)/2])
		kept := pts[:0:0]
		for i, p := range pts {
			if res[i] <= tol {
				kept = append(kept, p)
			}
		}
		if len(kept) < samples/3 {
			return cl
		}
		cur, _ = fit(kept)
	}
	// Reject a refit that wandered off the coarse side (another edge).
	mid := (t1 + t2) / 2
	mx, my := cl.at(mid)
	if math.Abs(mx*cur.nx+my*cur.ny-cur.rho) > maxShift || math.Abs(cur.nx*cl.ny-cur.ny*cl.nx) > math.Sin(3*math.Pi/180) {
		return cl
	}
	return cur
}
