package mrzocr

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
)

// The cell classifier is a small multi-layer perceptron (cell frame →
// hidden ReLU layer → one logit per MRZ character) trained on OCR-B glyphs
// rendered with random geometric and photometric distortions. Template
// correlation alone confuses glyphs that differ in one small stroke (E/F,
// L/I, O/0); a discriminatively trained layer weighs exactly those strokes.
const (
	mlpIn     = frameW * frameH
	mlpHidden = 96
	mlpOut    = len(Alphabet)
)

type mlp struct {
	w1 []float32 // mlpHidden × mlpIn
	b1 []float32
	w2 []float32 // mlpOut × mlpHidden
	b2 []float32
}

func newMLP(rng *rand.Rand) *mlp {
	m := &mlp{
		w1: make([]float32, mlpHidden*mlpIn), b1: make([]float32, mlpHidden),
		w2: make([]float32, mlpOut*mlpHidden), b2: make([]float32, mlpOut),
	}
	s1 := float32(math.Sqrt(2 / float64(mlpIn)))
	for i := range m.w1 {
		m.w1[i] = float32(rng.NormFloat64()) * s1
	}
	s2 := float32(math.Sqrt(2 / float64(mlpHidden)))
	for i := range m.w2 {
		m.w2[i] = float32(rng.NormFloat64()) * s2
	}
	return m
}

// inputScale turns a unit-norm frame into roughly unit-variance inputs.
var inputScale = float32(math.Sqrt(mlpIn))

// forward computes hidden activations and output logits for a normalised cell vector.
func (m *mlp) forward(v []float32, hid, out []float32) {
	for h := 0; h < mlpHidden; h++ {
		w := m.w1[h*mlpIn : (h+1)*mlpIn]
		var s float32
		for i, x := range v {
			s += w[i] * x
		}
		s = s*inputScale + m.b1[h]
		if s < 0 {
			s = 0
		}
		hid[h] = s
	}
	for o := 0; o < mlpOut; o++ {
		w := m.w2[o*mlpHidden : (o+1)*mlpHidden]
		s := m.b2[o]
		for h, x := range hid {
			s += w[h] * x
		}
		out[o] = s
	}
}

// logProbs returns the log-softmax of the logits.
func logProbs(logits []float32) []float64 {
	mx := math.Inf(-1)
	for _, l := range logits {
		mx = math.Max(mx, float64(l))
	}
	var sum float64
	for _, l := range logits {
		sum += math.Exp(float64(l) - mx)
	}
	lse := mx + math.Log(sum)
	out := make([]float64, len(logits))
	for i, l := range logits {
		out[i] = float64(l) - lse
	}
	return out
}

func (m *mlp) marshal() []byte {
	var b []byte
	b = append(b, "MRZN"...)
	b = binary.LittleEndian.AppendUint16(b, mlpIn)
	b = binary.LittleEndian.AppendUint16(b, mlpHidden)
	b = binary.LittleEndian.AppendUint16(b, uint16(mlpOut))
	for _, p := range [][]float32{m.w1, m.b1, m.w2, m.b2} {
		for _, x := range p {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
	}
	return b
}

func unmarshalMLP(b []byte) (*mlp, error) {
	if len(b) < 10 || string(b[:4]) != "MRZN" {
		return nil, fmt.Errorf("classifier weights: bad header")
	}
	in, hid, out := int(binary.LittleEndian.Uint16(b[4:])), int(binary.LittleEndian.Uint16(b[6:])), int(binary.LittleEndian.Uint16(b[8:]))
	if in != mlpIn || hid != mlpHidden || out != mlpOut {
		return nil, fmt.Errorf("classifier weights: shape %d-%d-%d, want %d-%d-%d", in, hid, out, mlpIn, mlpHidden, mlpOut)
	}
	m := &mlp{
		w1: make([]float32, mlpHidden*mlpIn), b1: make([]float32, mlpHidden),
		w2: make([]float32, mlpOut*mlpHidden), b2: make([]float32, mlpOut),
	}
	off := 10
	for _, p := range [][]float32{m.w1, m.b1, m.w2, m.b2} {
		if off+4*len(p) > len(b) {
			return nil, fmt.Errorf("classifier weights: truncated")
		}
		for i := range p {
			p[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[off:]))
			off += 4
		}
	}
	return m, nil
}

// augment renders glyph k into v (frameW×frameH, ink 0..1 before
// normalisation) as a scanned or photographed MRZ cell looks after cell
// cutting: random offset, scale, shear and stroke weight; neighbouring glyphs
// intruding at the cell edges; Gaussian blur; loss of resolution (rendered
// small, then enlarged bilinearly as Read enlarges small prints); contrast,
// background gradient and noise.
func (r *recogniser) augment(rng *rand.Rand, k int, v []float32) {
	g := r.glyphs
	pitch := float64(g.w)
	capH := g.capH()
	const ss = 2 // supersampling of the working frame
	const W, H = frameW * ss, frameH * ss
	cx := r.inkCX[k] + rng.NormFloat64()*0.04*pitch
	cy := float64(g.capTop) + capH/2 + rng.NormFloat64()*0.04*capH
	sx := 1 + rng.NormFloat64()*0.06
	sy := 1 + rng.NormFloat64()*0.08
	shear := rng.NormFloat64() * 0.03
	stepX := frameSpanX * pitch * sx / W
	stepY := frameSpanY * capH * sy / H
	// stroke weight: threshold the anti-aliased glyph at a random level
	thr := float32(0.5 + rng.NormFloat64()*0.15)
	thr = min(max(thr, 0.15), 0.85)
	soft := float32(0.08 + rng.Float64()*0.2)
	left, right := rng.IntN(len(g.chars)), rng.IntN(len(g.chars))
	gap := pitch * (1 + rng.NormFloat64()*0.03)
	off := cx - r.inkCX[k]
	hi := make([]float32, W*H)
	for fy := 0; fy < H; fy++ {
		for fx := 0; fx < W; fx++ {
			u := (float64(fx) + 0.5 - W/2) * stepX
			w := (float64(fy) + 0.5 - H/2) * stepY
			x := cx + u + shear*w
			y := cy + w
			a := g.sample(k, x, y)
			if x-off < pitch*0.25 {
				a = max(a, g.sample(left, x+gap-off, y))
			}
			if x-off > pitch*0.75 {
				a = max(a, g.sample(right, x-gap-off, y))
			}
			a = (a-thr)/soft + 0.5
			hi[fy*W+fx] = min(max(a, 0), 1)
		}
	}
	// Gaussian blur, sigma up to 3 working pixels (1.5 frame pixels)
	if sigma := rng.Float64() * 3; sigma > 0.3 {
		hi = gaussBlur(hi, W, H, sigma)
	}
	// resolution loss: area-average down to r·frame size, enlarge bilinearly
	res := 0.35 + rng.Float64()*0.75
	if res > 1 {
		res = 1
	}
	lw, lh := max(3, int(math.Round(frameW*res))), max(4, int(math.Round(frameH*res)))
	low := make([]float32, lw*lh)
	for y := 0; y < lh; y++ {
		y0, y1 := y*H/lh, max((y+1)*H/lh, y*H/lh+1)
		for x := 0; x < lw; x++ {
			x0, x1 := x*W/lw, max((x+1)*W/lw, x*W/lw+1)
			var sum float32
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					sum += hi[yy*W+xx]
				}
			}
			low[y*lw+x] = sum / float32((y1-y0)*(x1-x0))
		}
	}
	lg := &gray{w: lw, h: lh, pix: low}
	for fy := 0; fy < frameH; fy++ {
		for fx := 0; fx < frameW; fx++ {
			v[fy*frameW+fx] = lg.bilinear((float64(fx)+0.5)*float64(lw)/frameW, (float64(fy)+0.5)*float64(lh)/frameH)
		}
	}
	contrast := float32(0.4 + 0.6*rng.Float64())
	noise := float32(rng.Float64() * 0.1)
	bgSlope := float32(rng.NormFloat64() * 0.08)
	bgSlopeY := float32(rng.NormFloat64() * 0.05)
	for i := range v {
		fx := float32(i%frameW)/frameW - 0.5
		fy := float32(i/frameW)/frameH - 0.5
		v[i] = v[i]*contrast + float32(rng.NormFloat64())*noise + bgSlope*fx + bgSlopeY*fy
	}
}

// gaussBlur blurs a w×h image with a separable Gaussian of the given sigma.
func gaussBlur(src []float32, w, h int, sigma float64) []float32 {
	rad := int(math.Ceil(2.5 * sigma))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var a float32
			for i, kv := range k {
				xx := min(max(x+i-rad, 0), w-1)
				a += kv * src[y*w+xx]
			}
			tmp[y*w+x] = a
		}
	}
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var a float32
			for i, kv := range k {
				yy := min(max(y+i-rad, 0), h-1)
				a += kv * tmp[yy*w+x]
			}
			out[y*w+x] = a
		}
	}
	return out
}

// TrainOptions controls classifier training (run by go generate).
type TrainOptions struct {
	Seed            uint64
	Epochs          int // passes over freshly generated samples
	SamplesPerClass int // per epoch
}

// TrainClassifier trains the cell classifier on augmented OCR-B renderings
// and returns its serialised weights (the content of classifier.bin) and
// its accuracy on a held-out augmented set. It prints progress to w.
func TrainClassifier(w io.Writer, o TrainOptions) ([]byte, float64, error) {
	g, err := decodeGlyphs(glyphData)
	if err != nil {
		return nil, 0, err
	}
	r := &recogniser{glyphs: g}
	r.prepare()
	rng := rand.New(rand.NewPCG(o.Seed, 0x6d727a))
	m := newMLP(rng)
	type sample struct {
		v     [mlpIn]float32
		class int
	}
	gen := func(n int) []sample {
		s := make([]sample, 0, n*mlpOut)
		for i := 0; i < n; i++ {
			for k := 0; k < mlpOut; k++ {
				var sm sample
				sm.class = k
				r.augment(rng, k, sm.v[:])
				normalise(sm.v[:])
				s = append(s, sm)
			}
		}
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return s
	}
	test := gen(40)
	// Adam state
	params := [][]float32{m.w1, m.b1, m.w2, m.b2}
	grads := make([][]float32, len(params))
	mom := make([][]float32, len(params))
	vel := make([][]float32, len(params))
	for i, p := range params {
		grads[i] = make([]float32, len(p))
		mom[i] = make([]float32, len(p))
		vel[i] = make([]float32, len(p))
	}
	const batch = 32
	lr := 2e-3
	var acc float64
	step := 0
	hid := make([]float32, mlpHidden)
	out := make([]float32, mlpOut)
	dOut := make([]float32, mlpOut)
	dHid := make([]float32, mlpHidden)
	for ep := 0; ep < o.Epochs; ep++ {
		train := gen(o.SamplesPerClass)
		var loss float64
		for bi := 0; bi+batch <= len(train); bi += batch {
			for _, gr := range grads {
				clear(gr)
			}
			for _, sm := range train[bi : bi+batch] {
				m.forward(sm.v[:], hid, out)
				lp := logProbs(out)
				loss -= lp[sm.class]
				for c := range dOut {
					dOut[c] = float32(math.Exp(lp[c]))
				}
				dOut[sm.class]--
				clear(dHid)
				for c := 0; c < mlpOut; c++ {
					d := dOut[c]
					grads[3][c] += d
					gw := grads[2][c*mlpHidden : (c+1)*mlpHidden]
					ww := m.w2[c*mlpHidden : (c+1)*mlpHidden]
					for h := range hid {
						gw[h] += d * hid[h]
						dHid[h] += d * ww[h]
					}
				}
				for h := 0; h < mlpHidden; h++ {
					if hid[h] <= 0 {
						continue
					}
					d := dHid[h]
					grads[1][h] += d
					gw := grads[0][h*mlpIn : (h+1)*mlpIn]
					for i, x := range sm.v {
						gw[i] += d * x * inputScale
					}
				}
			}
			step++
			b1c := 1 - math.Pow(0.9, float64(step))
			b2c := 1 - math.Pow(0.999, float64(step))
			for pi, p := range params {
				for i := range p {
					gr := grads[pi][i] / batch
					mom[pi][i] = 0.9*mom[pi][i] + 0.1*gr
					vel[pi][i] = 0.999*vel[pi][i] + 0.001*gr*gr
					mh := float64(mom[pi][i]) / b1c
					vh := float64(vel[pi][i]) / b2c
					p[i] -= float32(lr * mh / (math.Sqrt(vh) + 1e-8))
				}
			}
		}
		if ep == o.Epochs*2/3 {
			lr /= 4
		}
		correct := 0
		for _, sm := range test {
			m.forward(sm.v[:], hid, out)
			best := 0
			for c := range out {
				if out[c] > out[best] {
					best = c
				}
			}
			if best == sm.class {
				correct++
			}
		}
		acc = float64(correct) / float64(len(test))
		fmt.Fprintf(w, "epoch %d: train loss %.4f, held-out accuracy %.2f%%\n", ep+1, loss/float64(len(train)), 100*acc)
	}
	return m.marshal(), acc, nil
}
