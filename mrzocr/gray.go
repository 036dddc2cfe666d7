package mrzocr

import (
	"image"
	"math"
)

// gray is a float luminance image, 0 (black) to 255 (white).
type gray struct {
	w, h int
	pix  []float32
}

// bilinear samples g at a real position, clamping at the border.
func (g *gray) bilinear(x, y float64) float32 {
	x -= 0.5
	y -= 0.5
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	maxX, maxY := float64(g.w-1), float64(g.h-1)
	if x > maxX {
		x = maxX
	}
	if y > maxY {
		y = maxY
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, g.w-1), min(y0+1, g.h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	a := g.pix[y0*g.w+x0]*(1-fx) + g.pix[y0*g.w+x1]*fx
	b := g.pix[y1*g.w+x0]*(1-fx) + g.pix[y1*g.w+x1]*fx
	return a*(1-fy) + b*fy
}

// toGray converts any image to luminance, with fast paths for the decoders' types.
func toGray(img image.Image) *gray {
	b := img.Bounds()
	g := &gray{w: b.Dx(), h: b.Dy(), pix: make([]float32, b.Dx()*b.Dy())}
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < g.h; y++ {
			row := m.Y[(y+b.Min.Y-m.Rect.Min.Y)*m.YStride+(b.Min.X-m.Rect.Min.X):]
			for x := 0; x < g.w; x++ {
				g.pix[y*g.w+x] = float32(row[x])
			}
		}
	case *image.Gray:
		for y := 0; y < g.h; y++ {
			off := (y+b.Min.Y-m.Rect.Min.Y)*m.Stride + (b.Min.X - m.Rect.Min.X)
			for x := 0; x < g.w; x++ {
				g.pix[y*g.w+x] = float32(m.Pix[off+x])
			}
		}
	case *image.RGBA:
		for y := 0; y < g.h; y++ {
			off := (y+b.Min.Y-m.Rect.Min.Y)*m.Stride + (b.Min.X-m.Rect.Min.X)*4
			for x := 0; x < g.w; x++ {
				p := m.Pix[off+4*x:]
				g.pix[y*g.w+x] = 0.299*float32(p[0]) + 0.587*float32(p[1]) + 0.114*float32(p[2])
			}
		}
	case *image.NRGBA:
		for y := 0; y < g.h; y++ {
			off := (y+b.Min.Y-m.Rect.Min.Y)*m.Stride + (b.Min.X-m.Rect.Min.X)*4
			for x := 0; x < g.w; x++ {
				p := m.Pix[off+4*x:]
				// composite over white: transparent regions are background
				a := float32(p[3]) / 255
				l := 0.299*float32(p[0]) + 0.587*float32(p[1]) + 0.114*float32(p[2])
				g.pix[y*g.w+x] = l*a + 255*(1-a)
			}
		}
	default:
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				r, gg, bb, a := img.At(x+b.Min.X, y+b.Min.Y).RGBA()
				l := (0.299*float32(r) + 0.587*float32(gg) + 0.114*float32(bb)) / 257
				af := float32(a) / 65535
				g.pix[y*g.w+x] = l + 255*(1-af)
			}
		}
	}
	return g
}

// resize scales g by s (box-filtered when shrinking, bilinear when growing).
func (g *gray) resize(s float64) *gray {
	nw, nh := int(math.Round(float64(g.w)*s)), int(math.Round(float64(g.h)*s))
	nw, nh = max(nw, 1), max(nh, 1)
	out := &gray{w: nw, h: nh, pix: make([]float32, nw*nh)}
	if s >= 1 {
		for y := 0; y < nh; y++ {
			for x := 0; x < nw; x++ {
				out.pix[y*nw+x] = g.bilinear((float64(x)+0.5)/s, (float64(y)+0.5)/s)
			}
		}
		return out
	}
	inv := 1 / s
	for y := 0; y < nh; y++ {
		y0, y1 := int(float64(y)*inv), min(int(float64(y+1)*inv), g.h)
		y1 = max(y1, y0+1)
		for x := 0; x < nw; x++ {
			x0, x1 := int(float64(x)*inv), min(int(float64(x+1)*inv), g.w)
			x1 = max(x1, x0+1)
			var sum float32
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					sum += g.pix[yy*g.w+xx]
				}
			}
			out.pix[y*nw+x] = sum / float32((y1-y0)*(x1-x0))
		}
	}
	return out
}

// rotate180 returns g turned upside down.
func (g *gray) rotate180() *gray {
	out := &gray{w: g.w, h: g.h, pix: make([]float32, len(g.pix))}
	n := len(g.pix)
	for i, v := range g.pix {
		out.pix[n-1-i] = v
	}
	return out
}

// binarise marks pixels darker than their neighbourhood (local mean over a
// (2r+1)² window) by more than frac of that mean: dark print on a lighter,
// possibly uneven, background.
func (g *gray) binarise(r int, frac float32) []bool {
	w, h := g.w, g.h
	integ := make([]float64, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		var row float64
		for x := 0; x < w; x++ {
			row += float64(g.pix[y*w+x])
			integ[(y+1)*(w+1)+x+1] = integ[y*(w+1)+x+1] + row
		}
	}
	out := make([]bool, w*h)
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		for x := 0; x < w; x++ {
			x0, x1 := max(x-r, 0), min(x+r+1, w)
			sum := integ[y1*(w+1)+x1] - integ[y0*(w+1)+x1] - integ[y1*(w+1)+x0] + integ[y0*(w+1)+x0]
			mean := float32(sum / float64((y1-y0)*(x1-x0)))
			v := g.pix[y*w+x]
			out[y*w+x] = v < mean*(1-frac) && mean-v > 12
		}
	}
	return out
}

// rotateCW returns g turned a quarter turn clockwise: input (x, y) lands at
// (h-1-y, x).
func (g *gray) rotateCW() *gray {
	out := &gray{w: g.h, h: g.w, pix: make([]float32, len(g.pix))}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			out.pix[x*out.w+(g.h-1-y)] = g.pix[y*g.w+x]
		}
	}
	return out
}
