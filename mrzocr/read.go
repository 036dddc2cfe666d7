// Package mrzocr finds and reads the machine-readable zone of an identity
// document in an image, without Tesseract: MRZ text is fixed-pitch OCR-B,
// so it locates the 2–3 lines of regularly spaced glyphs, cuts them into
// character cells on the pitch grid, and classifies each cell against
// templates rendered from the OCR-B font. Every cell keeps its close
// alternatives, and mrz.ParseAlternatives lets the check digits choose among
// them. Pure Go (no cgo), so it also builds for WebAssembly.
package mrzocr

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strings"

	"github.com/kycgate/kycgate/mrz"
)

// Result is the outcome of reading one image.
type Result struct {
	// Lines are the MRZ lines as read, after check-digit-driven correction.
	Lines []string
	// Document is the parsed MRZ (nil when no MRZ-shaped band was read).
	Document *mrz.Document
	// Found reports that an MRZ-shaped band (2–3 lines of fixed-pitch glyphs) was located.
	Found bool
	// Confidence is the mean classifier probability of the chosen characters (0–1).
	Confidence float64
	// Box bounds the MRZ in the input image's coordinates.
	Box image.Rectangle
	// Quad holds the centres of the MRZ's corner cells in the input
	// image's coordinates, in reading order of the document: first and
	// last cell of the first line, last and first cell of the last line
	// (clockwise from the document's top left, whatever the photo's
	// rotation). The MRZ's place on the page is fixed by ICAO 9303, so
	// these four points give the page's geometry.
	Quad [4][2]float64
}

// altMargin is the largest cost above the best at which a class is still
// offered to the check-digit solver as an alternative.
var altMargin = 8.0

// ErrEmptyImage is returned for images too small to hold an MRZ.
var ErrEmptyImage = errors.New("mrzocr: image too small")

// Options tunes Read.
type Options struct {
	// Parse holds the MRZ parsing options (reference time for the birth-date century).
	Parse mrz.Options
}

// Read locates and reads the MRZ in img.
func Read(img image.Image) (*Result, error) { return DefaultOptions().Read(img) }

// DefaultOptions returns the options Read uses.
func DefaultOptions() Options {
	return Options{Parse: mrz.Options{AlnumLetterCost: alnumLetterCost, MaxCorrectionCost: maxCorrectionCost}}
}

// maxCorrectionCost: see mrz.Options.MaxCorrectionCost.
var maxCorrectionCost = 15.0

// alnumLetterCost: see mrz.Options.AlnumLetterCost; in cost units of the
// classifier (nats plus weighted template distance).
var alnumLetterCost = 3.0

// Read locates and reads the MRZ in img. When no band yields a valid MRZ it
// retries with the image turned upside down and sideways.
func (o Options) Read(img image.Image) (*Result, error) {
	if img == nil {
		return nil, ErrEmptyImage
	}
	b := img.Bounds()
	if b.Dx() < 60 || b.Dy() < 20 {
		return nil, fmt.Errorf("%dx%d: %w", b.Dx(), b.Dy(), ErrEmptyImage)
	}
	rec, err := getRecogniser()
	if err != nil {
		return nil, fmt.Errorf("mrzocr: load glyph templates: %w", err)
	}
	g := toGray(img)
	res := o.readGray(rec, g)
	res.Box = res.Box.Add(b.Min)
	for i := range res.Quad {
		res.Quad[i][0] += float64(b.Min.X)
		res.Quad[i][1] += float64(b.Min.Y)
	}
	return res, nil
}

// readGray tries the upright image, then upside down, then sideways (a
// passport photographed in portrait), at two binarisation thresholds.
// Components are labelled once per threshold on the upright working image
// and turned with it: a quarter turn moves bounding boxes exactly.
func (o Options) readGray(rec *recogniser, g *gray) *Result {
	s := workScale(g.w, g.h)
	work := g
	if s != 1 {
		work = g.resize(s)
	}
	radius := max(8, max(work.w, work.h)/60)
	fracs := []float32{0.12, 0.06}
	comps := make([][]component, len(fracs))
	turned := map[int]*gray{0: g}
	best := &Result{}
	// A half turn maps lines onto lines, so an orientation whose opposite
	// found no band at a threshold cannot find one either.
	var noBands [2][2]bool
	for _, q := range []int{0, 2, 1, 3} {
		for fi, frac := range fracs {
			if q >= 2 && noBands[q%2][fi] {
				continue
			}
			if comps[fi] == nil {
				comps[fi] = components(work.binarise(radius, frac), work.w, work.h)
			}
			bands := findBands(findLines(turnComponents(comps[fi], q, work.w, work.h), 22))
			if len(bands) == 0 && q < 2 {
				noBands[q][fi] = true
			}
			for i := range bands {
				if i >= 3 {
					break
				}
				gq, ok := turned[q]
				if !ok {
					gq = rotated(g, q)
					turned[q] = gq
				}
				r := o.readBand(rec, gq, &bands[i], s)
				r.Box = unrotateBox(r.Box, q, g.w, g.h)
				for i, p := range r.Quad {
					r.Quad[i] = unrotatePoint(p, q, g.w, g.h)
				}
				if better(r, best) {
					best = r
				}
				if best.Document != nil && best.Document.Valid {
					return best
				}
			}
		}
	}
	return best
}

// turnComponents returns comps as they lie in the w×h image turned q
// quarter turns clockwise.
func turnComponents(comps []component, q, w, h int) []component {
	if q%4 == 0 {
		return comps
	}
	out := make([]component, len(comps))
	for i, c := range comps {
		n := c
		switch q % 4 {
		case 1: // (x, y) -> (h-1-y, x)
			n.minX, n.maxX, n.minY, n.maxY = h-1-c.maxY, h-1-c.minY, c.minX, c.maxX
		case 2:
			n.minX, n.maxX, n.minY, n.maxY = w-1-c.maxX, w-1-c.minX, h-1-c.maxY, h-1-c.minY
		case 3: // (x, y) -> (y, w-1-x)
			n.minX, n.maxX, n.minY, n.maxY = c.minY, c.maxY, w-1-c.maxX, w-1-c.minX
		}
		n.cx = float64(n.minX+n.maxX+1) / 2
		n.cy = float64(n.minY+n.maxY+1) / 2
		out[i] = n
	}
	return out
}

// better reports whether a is a better reading than b.
func better(a, b *Result) bool {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra > rb
	}
	return a.Confidence > b.Confidence
}

// rank orders readings: valid > more check digits passing > found > nothing.
func rank(r *Result) int {
	if r == nil || !r.Found {
		return 0
	}
	if r.Document == nil {
		return 1
	}
	if r.Document.Valid {
		return 100
	}
	n := 2
	for k, ok := range r.Document.Checks {
		if ok && k != mrz.CheckIssuingState && k != mrz.CheckNationality {
			n++
		}
	}
	return n
}

// workScale picks the scale at which glyph-sized components are found: small
// images are enlarged (fine print becomes separable blobs), huge ones shrunk.
func workScale(w, h int) float64 {
	m := float64(max(w, h))
	switch {
	case m < 900:
		return 1100 / m
	case m > 1800:
		return 1400 / m
	}
	return 1
}

// cell holds one character cell's class scores.
type cell struct {
	scores []classScore
}

// readBand samples and classifies every cell of a band in the original image
// g (band geometry is in working coordinates, scaled by s).
func (o Options) readBand(rec *recogniser, g *gray, b *band, s float64) *Result {
	res := &Result{Found: true}
	pitch := b.pitch / s
	capH := b.capH / s
	if capH <= 0 {
		capH = pitch * rec.glyphs.capH() / float64(rec.glyphs.w)
	}
	rows := make([][][]mrz.Alternative, len(b.lines))
	cells := make([][]cell, len(b.lines))
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	v := make([]float32, frameW*frameH)
	for li, l := range b.lines {
		ux, uy := l.ux, l.uy
		nx, ny := -uy, ux
		grid := b.grids[li]
		for k := 0; k < b.width; k++ {
			t := grid.t(k) / s
			lineS := grid.s(grid.t(k)) / s
			// The page geometry comes from the fitted grid, which every
			// glyph of the line supports, not from one cell's ink.
			if corner := quadCorner(li, len(b.lines), k, b.width); corner >= 0 {
				res.Quad[corner] = [2]float64{t*ux + lineS*nx, t*uy + lineS*ny}
			}
			// re-centre horizontally on the ink inside one pitch
			t += inkShift(g, t, lineS, ux, uy, nx, ny, pitch, capH)
			cx, cy := t*ux+lineS*nx, t*uy+lineS*ny
			minX, maxX = math.Min(minX, cx-pitch/2), math.Max(maxX, cx+pitch/2)
			minY, maxY = math.Min(minY, cy-capH/2), math.Max(maxY, cy+capH/2)
			stepX := frameSpanX * pitch / frameW
			stepY := frameSpanY * capH / frameH
			for fy := 0; fy < frameH; fy++ {
				dv := (float64(fy) + 0.5 - frameH/2) * stepY
				for fx := 0; fx < frameW; fx++ {
					du := (float64(fx) + 0.5 - frameW/2) * stepX
					x := cx + du*ux + dv*nx
					y := cy + du*uy + dv*ny
					v[fy*frameW+fx] = 255 - g.bilinear(x, y)
				}
			}
			normalise(v)
			sc := rec.classify(v)
			cells[li] = append(cells[li], cell{scores: sc})
			rows[li] = append(rows[li], alternatives(sc, altMargin, 4))
		}
	}
	res.Box = image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
	doc, err := o.Parse.ParseAlternatives(rows)
	if err != nil {
		// Not parseable as any layout: report the raw best reading.
		var lines []string
		for _, row := range rows {
			var sb strings.Builder
			for _, a := range row {
				sb.WriteByte(a[0].Char)
			}
			lines = append(lines, sb.String())
		}
		res.Lines = lines
		return res
	}
	res.Document = doc
	res.Lines = doc.Lines
	var sum float64
	var n int
	for li, line := range doc.Lines {
		for k := 0; k < len(line) && k < len(cells[li]); k++ {
			for _, sc := range cells[li][k].scores {
				if sc.char == line[k] {
					sum += float64(sc.conf)
					break
				}
			}
			n++
		}
	}
	if n > 0 {
		res.Confidence = math.Max(0, sum/float64(n))
	}
	return res
}

// quadCorner returns the index in Result.Quad of cell k of line li (of n
// lines of width cells), or -1 for a cell that is no corner.
func quadCorner(li, n, k, width int) int {
	switch {
	case li == 0 && k == 0:
		return 0
	case li == 0 && k == width-1:
		return 1
	case li == n-1 && k == width-1:
		return 2
	case li == n-1 && k == 0:
		return 3
	}
	return -1
}

// inkShift returns how far (along the line) the ink centre of the glyph
// nearest t lies from t: a few mean-shift steps with a triangular window one
// pitch wide, so a neighbour's ink at the window edge barely pulls. The shift
// is limited to 0.45 pitch.
func inkShift(g *gray, t, s, ux, uy, nx, ny, pitch, capH float64) float64 {
	const n = 32
	var cols [n]float64
	// ink profile over ±1 pitch around t
	lo := math.Inf(1)
	for i := 0; i < n; i++ {
		du := (float64(i)+0.5)/n*2*pitch - pitch
		var col float64
		for j := -4; j <= 4; j++ {
			dv := float64(j) / 8 * capH * 0.9
			x := (t+du)*ux + (s+dv)*nx
			y := (t+du)*uy + (s+dv)*ny
			col += 255 - float64(g.bilinear(x, y))
		}
		cols[i] = col
		lo = math.Min(lo, col)
	}
	shift := 0.0
	for iter := 0; iter < 4; iter++ {
		var sum, wsum float64
		for i, c := range cols {
			du := (float64(i)+0.5)/n*2*pitch - pitch
			d := math.Abs(du-shift) / (0.6 * pitch)
			if d >= 1 {
				continue
			}
			w := (c - lo) * (1 - d)
			sum += w * du
			wsum += w
		}
		if wsum <= 1e-6 {
			return 0
		}
		shift = sum / wsum
	}
	lim := 0.45 * pitch
	return math.Max(-lim, math.Min(lim, shift))
}

// rotated returns g turned q quarter turns clockwise.
func rotated(g *gray, q int) *gray {
	switch q % 4 {
	case 1:
		return g.rotateCW()
	case 2:
		return g.rotate180()
	case 3:
		return g.rotate180().rotateCW()
	}
	return g
}

// unrotatePoint maps a point of g turned q quarter turns clockwise back to
// g's coordinates (g is w×h; continuous coordinates, as unrotateBox).
func unrotatePoint(p [2]float64, q, w, h int) [2]float64 {
	x, y := p[0], p[1]
	switch q % 4 {
	case 1:
		return [2]float64{y, float64(h) - x}
	case 2:
		return [2]float64{float64(w) - x, float64(h) - y}
	case 3:
		return [2]float64{float64(w) - y, x}
	}
	return p
}

// unrotateBox maps a box found in g turned q quarter turns clockwise back to
// g's coordinates (g is w×h).
func unrotateBox(b image.Rectangle, q, w, h int) image.Rectangle {
	switch q % 4 {
	case 1: // (x, y) -> (h-y, x)
		return image.Rect(b.Min.Y, h-b.Max.X, b.Max.Y, h-b.Min.X)
	case 2:
		return image.Rect(w-b.Max.X, h-b.Max.Y, w-b.Min.X, h-b.Min.Y)
	case 3: // (x, y) -> (y, w-x)
		return image.Rect(w-b.Max.Y, b.Min.X, w-b.Min.Y, b.Max.X)
	}
	return b
}
