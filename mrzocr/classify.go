package mrzocr

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/kycgate/kycgate/mrz"
)

//go:generate go run ./internal/genglyphs -font /usr/share/fonts/opentype/ocr-b/OCRBS.otf -out glyphs.bin

// glyphs.bin holds the OCR-B glyphs (public domain font, Debian fonts-ocr-b,
// OCRBS.otf) rendered by internal/genglyphs.
//
//go:embed glyphs.bin
var glyphData []byte

// Alphabet is the MRZ character set.
const Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// glyphSet is the decoded glyphs.bin.
type glyphSet struct {
	w, h, baseline, capTop int
	chars                  []byte
	alpha                  [][]float32 // 0..1 ink per pixel, w*h
}

func decodeGlyphs(b []byte) (*glyphSet, error) {
	if len(b) < 14 || string(b[:4]) != "MRZG" {
		return nil, fmt.Errorf("glyph table: bad header")
	}
	u := func(i int) int { return int(binary.LittleEndian.Uint16(b[4+2*i:])) }
	g := &glyphSet{w: u(1), h: u(2), baseline: u(3), capTop: u(4)}
	n := u(0)
	off := 14
	for i := 0; i < n; i++ {
		if off+2+g.w*g.h > len(b) {
			return nil, fmt.Errorf("glyph table: truncated at glyph %d", i)
		}
		g.chars = append(g.chars, b[off])
		a := make([]float32, g.w*g.h)
		for j := range a {
			a[j] = float32(b[off+2+j]) / 255
		}
		g.alpha = append(g.alpha, a)
		off += 2 + g.w*g.h
	}
	return g, nil
}

// sample returns the glyph's ink at a real position in glyph pixels (0 outside).
func (g *glyphSet) sample(k int, x, y float64) float32 {
	x -= 0.5
	y -= 0.5
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	at := func(xx, yy int) float32 {
		if xx < 0 || yy < 0 || xx >= g.w || yy >= g.h {
			return 0
		}
		return g.alpha[k][yy*g.w+xx]
	}
	a := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	b := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return a*(1-fy) + b*fy
}

// Cell frame: a character cell is resampled to frameW×frameH covering
// frameSpanX pitches across and frameSpanY cap heights down, centred on the
// cell's ink centre horizontally and the cap-height middle vertically.
const (
	frameW     = 16
	frameH     = 22
	frameSpanX = 1.0
	frameSpanY = 1.35
)

// template is one rendering of a glyph in the cell frame, normalised to zero
// mean and unit norm.
type template struct {
	class int // index into Alphabet
	v     [frameW * frameH]float32
}

type recogniser struct {
	glyphs    *glyphSet
	templates []template
	inkCX     []float64 // horizontal ink centre of each glyph, glyph pixels
	net       *mlp      // nil when classifier.bin is absent or stale
}

// classifier.bin holds the trained cell classifier (see TrainClassifier).
//
//go:generate go run ./internal/trainmlp -out classifier.bin
//go:embed classifier.bin
var classifierData []byte

// prepare computes per-glyph geometry used by rendering.
func (r *recogniser) prepare() {
	g := r.glyphs
	r.inkCX = make([]float64, len(g.chars))
	for k := range g.chars {
		var sx, sw float64
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				a := float64(g.alpha[k][y*g.w+x])
				sx += a * (float64(x) + 0.5)
				sw += a
			}
		}
		r.inkCX[k] = sx / sw
	}
}

var (
	recOnce sync.Once
	recInst *recogniser
	recErr  error
)

func getRecogniser() (*recogniser, error) {
	recOnce.Do(func() {
		g, err := decodeGlyphs(glyphData)
		if err != nil {
			recErr = err
			return
		}
		recInst = &recogniser{glyphs: g}
		recInst.prepare()
		if net, err := unmarshalMLP(classifierData); err == nil {
			recInst.net = net
		} else {
			recInst.build()
		}
	})
	return recInst, recErr
}

// glyph-space geometry of the frame
func (g *glyphSet) capH() float64 { return float64(g.baseline - g.capTop) }

// render draws glyph k into the frame with a horizontal offset dx and
// vertical offset dy (in frame pixels), blurred with a box of radius blur
// (glyph pixels), and with stroke weight adjusted by gamma.
func (r *recogniser) render(k int, dx, dy, scaleY float64, blur int, gamma float64) []float32 {
	g := r.glyphs
	pitch := float64(g.w)
	capH := g.capH()
	cx := r.inkCX[k]
	cy := float64(g.capTop) + capH/2
	stepX := frameSpanX * pitch / frameW
	stepY := frameSpanY * capH * scaleY / frameH
	out := make([]float32, frameW*frameH)
	for fy := 0; fy < frameH; fy++ {
		for fx := 0; fx < frameW; fx++ {
			x := cx + (float64(fx)+0.5-frameW/2-dx)*stepX
			y := cy + (float64(fy)+0.5-frameH/2-dy)*stepY
			var v float32
			n := 0
			for by := -blur; by <= blur; by++ {
				for bx := -blur; bx <= blur; bx++ {
					v += g.sample(k, x+float64(bx)*stepX/2, y+float64(by)*stepY/2)
					n++
				}
			}
			v /= float32(n)
			if gamma != 1 {
				v = float32(math.Pow(float64(v), gamma))
			}
			out[fy*frameW+fx] = v
		}
	}
	return out
}

func (r *recogniser) build() {
	for k := range r.glyphs.chars {
		for _, dy := range []float64{-0.7, 0, 0.7} {
			for _, sy := range []float64{0.9, 1.0, 1.1} {
				for _, blur := range []int{0, 1} {
					for _, gamma := range []float64{0.6, 1, 1.8} {
						v := r.render(k, 0, dy, sy, blur, gamma)
						var t template
						t.class = k
						copy(t.v[:], v)
						normalise(t.v[:])
						r.templates = append(r.templates, t)
					}
				}
			}
		}
	}
}

// normalise makes v zero-mean and unit-norm; a flat vector stays zero.
func normalise(v []float32) {
	var mean float32
	for _, x := range v {
		mean += x
	}
	mean /= float32(len(v))
	var ss float32
	for i := range v {
		v[i] -= mean
		ss += v[i] * v[i]
	}
	if ss < 1e-9 {
		for i := range v {
			v[i] = 0
		}
		return
	}
	inv := float32(1 / math.Sqrt(float64(ss)))
	for i := range v {
		v[i] *= inv
	}
}

// classScore is one class's fit to a cell.
type classScore struct {
	char byte
	conf float32 // classifier probability, or template correlation without a classifier
	cost float64 // lower is better: negative log-probability, or scaled template distance
}

// templateWeight scales (1 - correlation) into a cost when no trained
// classifier is available.
const templateWeight = 20.0

// classify scores every class against the (already normalised) cell vector,
// best first. The trained classifier decides when present; template
// correlation is the fallback (it confuses E/F, L/I and O/0 more often:
// 52/68 specimens exact against 61/68).
func (r *recogniser) classify(v []float32) []classScore {
	out := make([]classScore, len(Alphabet))
	if r.net != nil {
		hid := make([]float32, mlpHidden)
		logits := make([]float32, mlpOut)
		r.net.forward(v, hid, logits)
		for k, lp := range logProbs(logits) {
			out[k] = classScore{char: r.glyphs.chars[k], conf: float32(math.Exp(lp)), cost: -math.Max(lp, -30)}
		}
	} else {
		best := make([]float32, len(Alphabet))
		for i := range best {
			best[i] = -2
		}
		for ti := range r.templates {
			t := &r.templates[ti]
			var dot float32
			for i, x := range t.v {
				dot += x * v[i]
			}
			if dot > best[t.class] {
				best[t.class] = dot
			}
		}
		for k, c := range best {
			out[k] = classScore{char: r.glyphs.chars[k], conf: c, cost: templateWeight * float64(1-c)}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cost < out[j].cost })
	return out
}

// alternatives turns class scores into mrz alternatives: the best class costs
// 0, others their cost above the best; only classes within margin are kept.
func alternatives(sc []classScore, margin float64, maxK int) []mrz.Alternative {
	var out []mrz.Alternative
	for i, s := range sc {
		if i >= maxK || s.cost-sc[0].cost > margin {
			break
		}
		out = append(out, mrz.Alternative{Char: s.char, Cost: s.cost - sc[0].cost})
	}
	return out
}
