package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand"
)

// planes is a float RGB image (0..1 per channel) used while simulating the
// camera, so that lighting, blur and noise do not quantise at every step.
type planes struct {
	w, h int
	c    [3][]float32
}

func newPlanes(w, h int) *planes {
	p := &planes{w: w, h: h}
	for k := range p.c {
		p.c[k] = make([]float32, w*h)
	}
	return p
}

func (p *planes) toRGBA() *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
	for i := 0; i < p.w*p.h; i++ {
		for k := 0; k < 3; k++ {
			v := p.c[k][i]*255 + 0.5
			if v < 0 {
				v = 0
			} else if v > 255 {
				v = 255
			}
			out.Pix[i*4+k] = uint8(v)
		}
		out.Pix[i*4+3] = 255
	}
	return out
}

// gaussian blurs every channel with a separable kernel of the given sigma.
func (p *planes) gaussian(sigma float64) {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := -r; i <= r; i++ {
		k[i+r] = float32(math.Exp(-float64(i*i) / (2 * sigma * sigma)))
		sum += k[i+r]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, p.w*p.h)
	for c := 0; c < 3; c++ {
		src := p.c[c]
		for y := 0; y < p.h; y++ {
			row := src[y*p.w : (y+1)*p.w]
			for x := 0; x < p.w; x++ {
				var acc float32
				for i := -r; i <= r; i++ {
					acc += k[i+r] * row[clampInt(x+i, 0, p.w-1)]
				}
				tmp[y*p.w+x] = acc
			}
		}
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				var acc float32
				for i := -r; i <= r; i++ {
					acc += k[i+r] * tmp[clampInt(y+i, 0, p.h-1)*p.w+x]
				}
				src[y*p.w+x] = acc
			}
		}
	}
}

// motion averages each pixel along a line of the given length and angle,
// the blur of a hand moving during the exposure.
func (p *planes) motion(length, angleDeg float64) {
	a := angleDeg * math.Pi / 180
	n := int(math.Ceil(length)) + 1
	dx, dy := math.Cos(a), math.Sin(a)
	for c := 0; c < 3; c++ {
		src := p.c[c]
		dst := make([]float32, len(src))
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				var acc float32
				for i := 0; i < n; i++ {
					t := (float64(i)/float64(n-1) - 0.5) * length
					acc += sampleBilinear(src, p.w, p.h, float64(x)+t*dx, float64(y)+t*dy)
				}
				dst[y*p.w+x] = acc / float32(n)
			}
		}
		p.c[c] = dst
	}
}

func sampleBilinear(s []float32, w, h int, x, y float64) float32 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0), int(y0)
	ix0, ix1 := clampInt(ix, 0, w-1), clampInt(ix+1, 0, w-1)
	iy0, iy1 := clampInt(iy, 0, h-1), clampInt(iy+1, 0, h-1)
	return s[iy0*w+ix0]*(1-fx)*(1-fy) + s[iy0*w+ix1]*fx*(1-fy) + s[iy1*w+ix0]*(1-fx)*fy + s[iy1*w+ix1]*fx*fy
}

// boxBlur1 blurs one channel with three passes of a box filter of radius r
// (≈ Gaussian), cheap for large radii.
func (p *planes) boxBlur1(c, r int) {
	s := p.c[c]
	tmp := make([]float32, len(s))
	for pass := 0; pass < 3; pass++ {
		for y := 0; y < p.h; y++ {
			var acc float32
			row := s[y*p.w : (y+1)*p.w]
			for x := -r; x < p.w; x++ {
				if x == -r {
					for i := -r; i <= r; i++ {
						acc += row[clampInt(i, 0, p.w-1)]
					}
				} else {
					acc += row[clampInt(x+r, 0, p.w-1)] - row[clampInt(x-r-1, 0, p.w-1)]
				}
				if x >= 0 {
					tmp[y*p.w+x] = acc / float32(2*r+1)
				}
			}
		}
		for x := 0; x < p.w; x++ {
			var acc float32
			for y := -r; y < p.h; y++ {
				if y == -r {
					for i := -r; i <= r; i++ {
						acc += tmp[clampInt(i, 0, p.h-1)*p.w+x]
					}
				} else {
					acc += tmp[clampInt(y+r, 0, p.h-1)*p.w+x] - tmp[clampInt(y-r-1, 0, p.h-1)*p.w+x]
				}
				if y >= 0 {
					s[y*p.w+x] = acc / float32(2*r+1)
				}
			}
		}
	}
}

// valueNoise returns smooth random values in 0..1 on a grid of the given
// cell size, interpolated with a smoothstep.
func valueNoise(rng *rand.Rand, w, h int, cell float64) []float32 {
	gw, gh := int(float64(w)/cell)+2, int(float64(h)/cell)+2
	g := make([]float32, gw*gh)
	for i := range g {
		g[i] = rng.Float32()
	}
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		fy := float64(y) / cell
		iy := int(fy)
		ty := float32(fy - float64(iy))
		ty = ty * ty * (3 - 2*ty)
		for x := 0; x < w; x++ {
			fx := float64(x) / cell
			ix := int(fx)
			tx := float32(fx - float64(ix))
			tx = tx * tx * (3 - 2*tx)
			a := g[iy*gw+ix]*(1-tx) + g[iy*gw+ix+1]*tx
			b := g[(iy+1)*gw+ix]*(1-tx) + g[(iy+1)*gw+ix+1]*tx
			out[y*w+x] = a*(1-ty) + b*ty
		}
	}
	return out
}

func rgbf(c color.RGBA) [3]float32 {
	return [3]float32{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255}
}

func paintBackground(p *planes, cam Camera, rng *rand.Rand) {
	W, H := p.w, p.h
	base := cam.BackgroundColor
	pickC := func(cs ...color.RGBA) color.RGBA {
		if base != (color.RGBA{}) {
			return base
		}
		return cs[rng.Intn(len(cs))]
	}
	low := valueNoise(rng, W, H, math.Max(8, float64(W)/6))
	fine := valueNoise(rng, W, H, 2.5)
	switch cam.Background {
	case BgWood:
		b := rgbf(pickC(color.RGBA{150, 100, 60, 255}, color.RGBA{190, 140, 90, 255}, color.RGBA{110, 70, 40, 255}, color.RGBA{205, 170, 120, 255}))
		a := (rng.Float64()*2 - 1) * 0.4
		ca, sa := float32(math.Cos(a)), float32(math.Sin(a))
		lam := float32(6 + rng.Float64()*10)
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				i := y*W + x
				q := -float32(x)*sa + float32(y)*ca
				ring := float32(math.Sin(float64(q/lam + 6*low[i])))
				f := 0.82 + 0.1*ring + 0.12*fine[i]
				for k := 0; k < 3; k++ {
					p.c[k][i] = b[k] * f
				}
			}
		}
	case BgCloth:
		b := rgbf(pickC(color.RGBA{70, 90, 140, 255}, color.RGBA{150, 60, 60, 255}, color.RGBA{90, 120, 90, 255}, color.RGBA{180, 170, 150, 255}, color.RGBA{60, 60, 65, 255}))
		per := 3 + rng.Float64()*3
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				i := y*W + x
				weave := float32(0.5 + 0.25*(math.Sin(2*math.Pi*float64(x)/per)+math.Sin(2*math.Pi*float64(y)/per)))
				f := (0.7 + 0.4*low[i]) * (0.85 + 0.2*weave)
				for k := 0; k < 3; k++ {
					p.c[k][i] = b[k] * f
				}
			}
		}
	case BgNoise:
		mids := []([]float32){valueNoise(rng, W, H, 40), valueNoise(rng, W, H, 40), valueNoise(rng, W, H, 40)}
		for i := 0; i < W*H; i++ {
			for k := 0; k < 3; k++ {
				p.c[k][i] = 0.15 + 0.5*mids[k][i] + 0.2*low[i] + 0.15*fine[i]
			}
		}
	case BgDark, BgLight, BgDesk, BgClutter:
		var b [3]float32
		switch cam.Background {
		case BgDark:
			b = rgbf(pickC(color.RGBA{30, 30, 34, 255}, color.RGBA{45, 35, 30, 255}, color.RGBA{20, 28, 40, 255}))
		case BgLight:
			b = rgbf(pickC(color.RGBA{235, 235, 232, 255}, color.RGBA{222, 226, 230, 255}, color.RGBA{240, 236, 226, 255}))
		default:
			b = rgbf(pickC(color.RGBA{120, 125, 130, 255}, color.RGBA{200, 200, 195, 255}, color.RGBA{90, 110, 130, 255}, color.RGBA{160, 150, 135, 255}, color.RGBA{60, 62, 66, 255}))
		}
		for i := 0; i < W*H; i++ {
			f := 0.92 + 0.12*low[i] + 0.04*fine[i]
			for k := 0; k < 3; k++ {
				p.c[k][i] = b[k] * f
			}
		}
		if cam.Background == BgClutter {
			paintClutter(p, rng)
		}
	default:
		for k := 0; k < 3; k++ {
			for i := range p.c[k] {
				p.c[k][i] = 0.5
			}
		}
	}
}

// paintClutter scatters other objects on the desk: sheets of paper, pens,
// a phone, a box edge — strong straight edges that a localiser must not
// mistake for the document.
func paintClutter(p *planes, rng *rand.Rand) {
	W, H := float64(p.w), float64(p.h)
	n := 3 + rng.Intn(5)
	for o := 0; o < n; o++ {
		cx, cy := rng.Float64()*W, rng.Float64()*H
		a := rng.Float64() * math.Pi
		var hw, hh float64
		if rng.Intn(2) == 0 { // pen
			hw, hh = 0.1*W+rng.Float64()*0.1*W, 4+rng.Float64()*6
		} else { // paper / object
			hw, hh = 0.08*W+rng.Float64()*0.2*W, 0.05*H+rng.Float64()*0.2*H
		}
		col := [3]float32{rng.Float32(), rng.Float32(), rng.Float32()}
		if rng.Intn(2) == 0 {
			g := 0.8 + 0.2*rng.Float32()
			col = [3]float32{g, g, g * 0.97}
		}
		ca, sa := math.Cos(a), math.Sin(a)
		var pts [][2]float64
		for _, s := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
			x, y := s[0]*hw, s[1]*hh
			pts = append(pts, [2]float64{cx + x*ca - y*sa, cy + x*sa + y*ca})
		}
		var q [4][2]float64
		copy(q[:], pts)
		minX, minY, maxX, maxY := bbox(q)
		for y := clampInt(int(minY), 0, p.h); y < clampInt(int(maxY)+1, 0, p.h); y++ {
			for x := clampInt(int(minX), 0, p.w); x < clampInt(int(maxX)+1, 0, p.w); x++ {
				if pointInPolygon(float64(x)+0.5, float64(y)+0.5, pts) {
					for k := 0; k < 3; k++ {
						p.c[k][y*p.w+x] = col[k]
					}
				}
			}
		}
	}
}
