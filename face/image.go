package face

import (
	"image"
	"image/draw"
	"math"
)

// rgbImage is an image as packed 8-bit RGB, the form every step here reads.
type rgbImage struct {
	W, H int
	Pix  []uint8
}

// toRGB converts any image to packed RGB (alpha is dropped, colours taken
// as premultiplied over black).
func toRGB(img image.Image) *rgbImage {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := &rgbImage{W: w, H: h, Pix: make([]uint8, w*h*3)}
	if yc, ok := img.(*image.YCbCr); ok && ycbcrToRGB(yc, out) {
		return out
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	} else if b.Min != (image.Point{}) {
		rgba = rgba.SubImage(b).(*image.RGBA)
	}
	for y := 0; y < h; y++ {
		row := rgba.Pix[y*rgba.Stride:]
		o := out.Pix[y*w*3:]
		for x := 0; x < w; x++ {
			o[x*3], o[x*3+1], o[x*3+2] = row[x*4], row[x*4+1], row[x*4+2]
		}
	}
	return out
}

// rotated returns m turned clockwise by turns quarter turns (1–3).
func (m *rgbImage) rotated(turns int) *rgbImage {
	w, h := m.W, m.H
	if turns%2 == 1 {
		w, h = h, w
	}
	out := &rgbImage{W: w, H: h, Pix: make([]uint8, len(m.Pix))}
	for y := 0; y < m.H; y++ {
		for x := 0; x < m.W; x++ {
			var nx, ny int
			switch turns % 4 {
			case 1:
				nx, ny = m.H-1-y, x
			case 2:
				nx, ny = m.W-1-x, m.H-1-y
			case 3:
				nx, ny = y, m.W-1-x
			default:
				nx, ny = x, y
			}
			copy(out.Pix[(ny*w+nx)*3:(ny*w+nx)*3+3], m.Pix[(y*m.W+x)*3:(y*m.W+x)*3+3])
		}
	}
	return out
}

// ycbcrToRGB converts a decoded JPEG (every liveness frame) straight into
// out, without draw's RGBA copy, with color.YCbCrToRGB's integer arithmetic
// (the conversion draw uses too) written out so that the compiler keeps it
// in the loop. It reports false for chroma subsamplings it does not handle.
func ycbcrToRGB(yc *image.YCbCr, out *rgbImage) bool {
	hs, vs := 0, 0 // log2 of the luma pixels per chroma pixel, across and down
	switch yc.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	default:
		return false
	}
	b, r := yc.Bounds(), yc.Rect
	for y := 0; y < out.H; y++ {
		Y := b.Min.Y + y
		yOff := (Y-r.Min.Y)*yc.YStride - r.Min.X
		cOff := (Y>>vs-r.Min.Y>>vs)*yc.CStride - r.Min.X>>hs
		o := out.Pix[y*out.W*3 : (y+1)*out.W*3]
		for x := 0; x < out.W; x++ {
			X := b.Min.X + x
			ci := cOff + X>>hs
			yy := int32(yc.Y[yOff+X]) * 0x10101
			cb, cr := int32(yc.Cb[ci])-128, int32(yc.Cr[ci])-128
			p := o[x*3 : x*3+3 : x*3+3]
			p[0] = clampShift16(yy + 91881*cr)
			p[1] = clampShift16(yy - 22554*cb - 46802*cr)
			p[2] = clampShift16(yy + 116130*cb)
		}
	}
	return true
}

// clampShift16 is v>>16 clamped to 0–255, as color.YCbCrToRGB rounds.
func clampShift16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// gray returns the luma plane (BT.601) of the image.
func (m *rgbImage) gray() []uint8 {
	g := make([]uint8, m.W*m.H)
	for i := range g {
		g[i] = m.luma(i)
	}
	return g
}

// luma is pixel i's luma (BT.601), rounded.
func (m *rgbImage) luma(i int) uint8 {
	p := m.Pix[i*3 : i*3+3 : i*3+3]
	return uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
}

// bilinear samples channel values at (x, y) in pixel-centre coordinates
// (pixel i covers [i, i+1), its centre at i+0.5 ⇒ sample at x-0.5); outside
// the image the value is 0, like the zero padding of face-api.js.
func (m *rgbImage) bilinear(x, y float64, out *[3]float64) {
	x -= 0.5
	y -= 0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	out[0], out[1], out[2] = 0, 0, 0
	for dy := 0; dy < 2; dy++ {
		yy := iy + dy
		wy := fy
		if dy == 0 {
			wy = 1 - fy
		}
		if yy < 0 || yy >= m.H || wy == 0 {
			continue
		}
		for dx := 0; dx < 2; dx++ {
			xx := ix + dx
			wx := fx
			if dx == 0 {
				wx = 1 - fx
			}
			if xx < 0 || xx >= m.W || wx == 0 {
				continue
			}
			p := m.Pix[(yy*m.W+xx)*3:]
			w := wx * wy
			out[0] += w * float64(p[0])
			out[1] += w * float64(p[1])
			out[2] += w * float64(p[2])
		}
	}
}

// affine maps output pixel coordinates to source coordinates:
// src = (A·x + B·y + C, D·x + E·y + F).
type affine struct{ A, B, C, D, E, F float64 }

// warp fills a size×size RGB tensor (pixel values as float32) by sampling
// the source through t. When one output pixel spans several source pixels it
// averages a grid of bilinear samples, so that down-scaling does not alias.
func (m *rgbImage) warp(t affine, size int) []float32 {
	scale := math.Max(math.Hypot(t.A, t.D), math.Hypot(t.B, t.E))
	n := int(math.Ceil(scale))
	if n < 1 {
		n = 1
	}
	if n > 3 {
		// Beyond 3×3 samples the gain is invisible to the networks and
		// the cost is not.
		n = 3
	}
	out := make([]float32, size*size*3)
	var s [3]float64
	inv := 1 / float64(n*n)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var acc [3]float64
			for sy := 0; sy < n; sy++ {
				oy := float64(y) + (float64(sy)+0.5)/float64(n)
				for sx := 0; sx < n; sx++ {
					ox := float64(x) + (float64(sx)+0.5)/float64(n)
					sx, sy := t.A*ox+t.B*oy+t.C-0.5, t.D*ox+t.E*oy+t.F-0.5
					if sx >= 0 && sy >= 0 && sx < float64(m.W-1) && sy < float64(m.H-1) {
						// Inside the image, all four neighbours exist:
						// bilinear's arithmetic without its edge tests.
						ix, iy := int(sx), int(sy)
						fx, fy := sx-float64(ix), sy-float64(iy)
						p := m.Pix[(iy*m.W+ix)*3 : (iy*m.W+ix)*3+3*m.W+6]
						q := p[3*m.W:]
						w00, w01, w10, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
						for c := 0; c < 3; c++ {
							acc[c] += w00*float64(p[c]) + w01*float64(p[3+c]) + w10*float64(q[c]) + w11*float64(q[3+c])
						}
						continue
					}
					m.bilinear(sx+0.5, sy+0.5, &s)
					acc[0] += s[0]
					acc[1] += s[1]
					acc[2] += s[2]
				}
			}
			o := out[(y*size+x)*3:]
			o[0] = float32(acc[0] * inv)
			o[1] = float32(acc[1] * inv)
			o[2] = float32(acc[2] * inv)
		}
	}
	return out
}

// tfjsInput reproduces face-api.js's NetInput.toBatchTensor for an image
// tensor: pad the shorter side with zeros to a square (the larger half of
// the padding after the image), then tf.image.resizeBilinear without
// corner alignment or half-pixel centres. It exists to check the networks
// against face-api.js on whole images.
func tfjsInput(m *rgbImage, size int) []float32 {
	side := m.W
	if m.H > side {
		side = m.H
	}
	diff := side - m.W
	if m.W > m.H {
		diff = side - m.H
	}
	after := int(math.Floor(float64(diff)*0.5 + 0.5))
	before := diff - after
	offX, offY := 0, 0
	if m.H > m.W {
		offX = before
	} else {
		offY = before
	}
	at := func(y, x, c int) float64 {
		x -= offX
		y -= offY
		if x < 0 || y < 0 || x >= m.W || y >= m.H {
			return 0
		}
		return float64(m.Pix[(y*m.W+x)*3+c])
	}
	out := make([]float32, size*size*3)
	scale := float64(side) / float64(size)
	for r := 0; r < size; r++ {
		fr := scale * float64(r)
		r0 := int(math.Floor(fr))
		r1 := int(math.Min(float64(side-1), math.Ceil(fr)))
		rf := fr - float64(r0)
		for c := 0; c < size; c++ {
			fc := scale * float64(c)
			c0 := int(math.Floor(fc))
			c1 := int(math.Min(float64(side-1), math.Ceil(fc)))
			cf := fc - float64(c0)
			for ch := 0; ch < 3; ch++ {
				tl, tr := at(r0, c0, ch), at(r0, c1, ch)
				bl, br := at(r1, c0, ch), at(r1, c1, ch)
				top := tl + (tr-tl)*cf
				bot := bl + (br-bl)*cf
				out[(r*size+c)*3+ch] = float32(top + (bot-top)*rf)
			}
		}
	}
	return out
}
