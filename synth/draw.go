package synth

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// canvas wraps the document image with the drawing primitives the layouts
// need and records the zone of every field drawn.
type canvas struct {
	img   *image.RGBA
	fc    *faceCache
	zones map[string]image.Rectangle
	rng   *rand.Rand // seeded from the identity: decoration only
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// vgradient fills r with a vertical gradient from top to bottom colour.
func (c *canvas) vgradient(r image.Rectangle, top, bottom color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		t := float64(y-r.Min.Y) / math.Max(1, float64(r.Dy()-1))
		col := lerpRGBA(top, bottom, t)
		for x := r.Min.X; x < r.Max.X; x++ {
			c.img.SetRGBA(x, y, col)
		}
	}
}

// hgradient fills r with a horizontal gradient, used for bank-card faces.
func (c *canvas) hgradient(r image.Rectangle, left, right color.RGBA) {
	for x := r.Min.X; x < r.Max.X; x++ {
		t := float64(x-r.Min.X) / math.Max(1, float64(r.Dx()-1))
		col := lerpRGBA(left, right, t)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			c.img.SetRGBA(x, y, col)
		}
	}
}

func lerpRGBA(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

// blend paints col over pixel (x, y) with coverage a in [0,1].
func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if !(image.Point{x, y}.In(c.img.Rect)) || a <= 0 {
		return
	}
	if a > 1 {
		a = 1
	}
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+4 : i+4]
	p[0] = uint8(float64(p[0])*(1-a) + float64(col.R)*a + 0.5)
	p[1] = uint8(float64(p[1])*(1-a) + float64(col.G)*a + 0.5)
	p[2] = uint8(float64(p[2])*(1-a) + float64(col.B)*a + 0.5)
}

// splat paints an anti-aliased point at a sub-pixel position.
func (c *canvas) splat(x, y float64, col color.RGBA, a float64) {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	c.blend(ix, iy, col, a*(1-fx)*(1-fy))
	c.blend(ix+1, iy, col, a*fx*(1-fy))
	c.blend(ix, iy+1, col, a*(1-fx)*fy)
	c.blend(ix+1, iy+1, col, a*fx*fy)
}

// guilloche draws families of interleaved sine curves across r, the fine
// line security printing seen behind the data on real documents. It gives
// the document realistic high-frequency texture that blur measures and
// edge detectors must cope with.
func (c *canvas) guilloche(r image.Rectangle, col color.RGBA, lines int, alpha float64) {
	w, h := float64(r.Dx()), float64(r.Dy())
	f1 := 2 + c.rng.Float64()*3
	f2 := 5 + c.rng.Float64()*6
	amp := h / float64(lines) * (1.5 + c.rng.Float64())
	for k := 0; k < lines; k++ {
		y0 := float64(r.Min.Y) + (float64(k)+0.5)*h/float64(lines)
		ph := float64(k) * 0.35
		for x := 0.0; x < w; x += 0.7 {
			t := x / w * 2 * math.Pi
			y := y0 + amp*math.Sin(f1*t+ph) + 0.4*amp*math.Sin(f2*t-2*ph)
			if y >= float64(r.Min.Y) && y < float64(r.Max.Y) {
				c.splat(float64(r.Min.X)+x, y, col, alpha)
			}
		}
	}
}

// rosette draws a polar guilloche centred at (cx, cy).
func (c *canvas) rosette(cx, cy, radius float64, col color.RGBA, alpha float64) {
	n := 6 + c.rng.Intn(10)
	for k := 0; k < 12; k++ {
		ph := float64(k) * math.Pi / 12 / float64(n) * 2
		rr := radius * (0.55 + 0.035*float64(k))
		steps := int(2 * math.Pi * radius * 1.5)
		for i := 0; i < steps; i++ {
			th := float64(i) / float64(steps) * 2 * math.Pi
			rad := rr * (1 + 0.18*math.Sin(float64(n)*th+ph))
			c.splat(cx+rad*math.Cos(th), cy+rad*math.Sin(th), col, alpha)
		}
	}
}

// text draws s with its baseline starting at (x, y) and returns the bounding
// rectangle of the ink plus the advance.
func (c *canvas) text(f font.Face, x, y int, s string, col color.Color) image.Rectangle {
	d := &font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y)}
	b, _ := d.BoundString(s)
	d.DrawString(s)
	return image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil())
}

// spaced draws s with a fixed pitch between character origins, the way
// MRZs and ID numbers are printed, and returns the covered rectangle
// (pitch cells × line height).
func (c *canvas) spaced(f font.Face, x, y int, pitch float64, s string, col color.Color) image.Rectangle {
	m := f.Metrics()
	src := image.NewUniform(col)
	i := 0
	for _, r := range s {
		d := &font.Drawer{Dst: c.img, Src: src, Face: f,
			Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round((float64(x) + float64(i)*pitch) * 64)), Y: fixed.I(y)}}
		d.DrawString(string(r))
		i++
	}
	return image.Rect(x, y-m.Ascent.Ceil(), x+int(math.Ceil(float64(i)*pitch)), y+m.Descent.Ceil())
}

// field draws a value and records its zone under key.
func (c *canvas) field(key string, f font.Face, x, y int, s string, col color.Color) {
	r := c.text(f, x, y, s, col)
	if old, ok := c.zones[key]; ok {
		r = r.Union(old)
	}
	c.zones[key] = r
}

// wrapText draws s wrapped to maxWidth, one rune at a time (CJK text has no
// spaces), and returns the union of the lines drawn.
func (c *canvas) wrapText(f font.Face, x, y, maxWidth, lineHeight int, s string, col color.Color) image.Rectangle {
	var line []rune
	var out image.Rectangle
	flush := func() {
		if len(line) == 0 {
			return
		}
		out = out.Union(c.text(f, x, y, string(line), col))
		y += lineHeight
		line = line[:0]
	}
	for _, r := range s {
		if font.MeasureString(f, string(append(line, r))).Ceil() > maxWidth {
			flush()
		}
		line = append(line, r)
	}
	flush()
	return out
}

// roundCorners clears the alpha outside rounded corners of radius r so the
// photographed card shows the ID-1 corner radius (3.18 mm).
func roundCorners(img *image.RGBA, r float64) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	n := int(math.Ceil(r))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Hypot(r-px, r-py) - r
			a := math.Max(0, math.Min(1, 0.5-d))
			if a >= 1 {
				continue
			}
			for _, p := range [][2]int{{x, y}, {b.Dx() - 1 - x, y}, {x, b.Dy() - 1 - y}, {b.Dx() - 1 - x, b.Dy() - 1 - y}} {
				i := img.PixOffset(b.Min.X+p[0], b.Min.Y+p[1])
				for k := 0; k < 4; k++ {
					img.Pix[i+k] = uint8(float64(img.Pix[i+k]) * a)
				}
			}
		}
	}
	_ = w
	_ = h
}

// pasteScaled draws src scaled into r with a high-quality kernel.
func (c *canvas) pasteScaled(r image.Rectangle, src image.Image) {
	xdraw.CatmullRom.Scale(c.img, r, src, src.Bounds(), draw.Over, nil)
}

// ellipse fills an anti-aliased ellipse.
func (c *canvas) ellipse(cx, cy, rx, ry float64, col color.RGBA) {
	for y := int(cy - ry - 1); y <= int(cy+ry+1); y++ {
		for x := int(cx - rx - 1); x <= int(cx+rx+1); x++ {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			d := (math.Sqrt(dx*dx+dy*dy) - 1) * math.Min(rx, ry)
			c.blend(x, y, col, 0.5-d)
		}
	}
}

// star fills a five-pointed star (emblem decorations).
func (c *canvas) star(cx, cy, r float64, col color.RGBA) {
	var pts [10][2]float64
	for i := 0; i < 10; i++ {
		rad := r
		if i%2 == 1 {
			rad = r * 0.4
		}
		th := -math.Pi/2 + float64(i)*math.Pi/5
		pts[i] = [2]float64{cx + rad*math.Cos(th), cy + rad*math.Sin(th)}
	}
	c.polygon(pts[:], col)
}

// polygon fills a polygon with 4×4 supersampled coverage.
func (c *canvas) polygon(pts [][2]float64, col color.RGBA) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	for y := int(minY); y <= int(maxY); y++ {
		for x := int(minX); x <= int(maxX); x++ {
			n := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					if pointInPolygon(float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4, pts) {
						n++
					}
				}
			}
			c.blend(x, y, col, float64(n)/16)
		}
	}
}

func pointInPolygon(x, y float64, pts [][2]float64) bool {
	in := false
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		if (pts[i][1] > y) != (pts[j][1] > y) &&
			x < (pts[j][0]-pts[i][0])*(y-pts[i][1])/(pts[j][1]-pts[i][1])+pts[i][0] {
			in = !in
		}
	}
	return in
}

// strokeRect draws a 1–n px rectangle outline.
func (c *canvas) strokeRect(r image.Rectangle, width int, col color.Color) {
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+width), col)
	c.fill(image.Rect(r.Min.X, r.Max.Y-width, r.Max.X, r.Max.Y), col)
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Min.X+width, r.Max.Y), col)
	c.fill(image.Rect(r.Max.X-width, r.Min.Y, r.Max.X, r.Max.Y), col)
}
