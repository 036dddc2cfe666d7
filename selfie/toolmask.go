package selfie

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/geom"
)

// MaskTheFace (github.com/aqeelanwar/MaskTheFace, MIT, commit caf4d6c) is
// the tool behind many public masked-face datasets: it warps a photo of a
// real mask onto six points of the face found from its landmarks. Its
// front-view templates (reduced to 256 px wide) and four of its textures
// (reduced to 160 px) are in masktheface/ with its licence, so that the
// evaluation scores masks as others generate them, not only as this
// package draws them (drawMask, drawRespirator).
//
//go:embed masktheface/*.png
var toolMaskFiles embed.FS

// toolMaskTemplate is one mask photo with its six anchors, MaskTheFace's
// masks.cfg points a–f scaled with the file: a and c where the mask meets
// the cheeks at the nose tip's height, b on the nose bridge, d and f on
// the jaw at the lower lip's height, e under the chin.
type toolMaskTemplate struct {
	file             string
	a, b, c, d, e, f face.Point
}

var toolMaskTemplates = []toolMaskTemplate{
	{"surgical.png", face.Point{X: 9.1, Y: 41.8}, face.Point{X: 132.3, Y: 9.5}, face.Point{X: 258.6, Y: 42.7}, face.Point{X: 10.8, Y: 138.8}, face.Point{X: 127.1, Y: 202.6}, face.Point{X: 258.6, Y: 139.2}},
	{"surgical_blue.png", face.Point{X: 8.7, Y: 40.1}, face.Point{X: 126.8, Y: 9.1}, face.Point{X: 247.7, Y: 40.9}, face.Point{X: 10.3, Y: 133.0}, face.Point{X: 121.8, Y: 194.1}, face.Point{X: 247.7, Y: 133.4}},
	{"surgical_green.png", face.Point{X: 9.1, Y: 41.8}, face.Point{X: 132.3, Y: 9.5}, face.Point{X: 258.6, Y: 42.7}, face.Point{X: 10.8, Y: 138.8}, face.Point{X: 127.1, Y: 202.6}, face.Point{X: 258.6, Y: 139.2}},
	{"N95.png", face.Point{X: 5.7, Y: 45.1}, face.Point{X: 123.8, Y: 1.9}, face.Point{X: 242.4, Y: 35.2}, face.Point{X: 4.9, Y: 107.9}, face.Point{X: 132.9, Y: 196.2}, face.Point{X: 244.3, Y: 107.9}},
	{"KN95.png", face.Point{X: 6.7, Y: 15.7}, face.Point{X: 137.4, Y: 1.7}, face.Point{X: 254.7, Y: 18.4}, face.Point{X: 25.1, Y: 113.9}, face.Point{X: 133.4, Y: 201.0}, face.Point{X: 224.8, Y: 107.2}},
	{"cloth.png", face.Point{X: 39.0, Y: 28.8}, face.Point{X: 129.6, Y: 2.2}, face.Point{X: 219.5, Y: 25.3}, face.Point{X: 52.8, Y: 103.4}, face.Point{X: 129.9, Y: 162.9}, face.Point{X: 209.0, Y: 99.5}},
	{"gas.png", face.Point{X: 47.6, Y: 62.2}, face.Point{X: 126.0, Y: 16.9}, face.Point{X: 215.6, Y: 62.6}, face.Point{X: 62.1, Y: 108.8}, face.Point{X: 125.4, Y: 158.7}, face.Point{X: 202.0, Y: 102.5}},
}

// toolMaskTextures and toolMaskColours are MaskTheFace's patterns (four of
// them) and its colour list, blended into a mask at half intensity, its
// default weight.
var (
	toolMaskTextures = []string{"tex_check_3.png", "tex_floral_10.png", "tex_polka.png", "tex_bananas.png"}
	toolMaskColours  = []uint32{
		0xfc1c1a, 0x177abc, 0x94b6d2, 0xa5ab81, 0xdd8047, 0x6b425e, 0xe26d5a,
		0xc92c48, 0x6a506d, 0xffc900, 0xffffff, 0x000000, 0x49ff00,
	}
)

// toolMaskImages decodes the embedded files once.
var toolMaskImages = sync.OnceValues(func() (map[string]*image.NRGBA, error) {
	out := map[string]*image.NRGBA{}
	files, err := toolMaskFiles.ReadDir("masktheface")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := toolMaskFiles.ReadFile("masktheface/" + f.Name())
		if err != nil {
			return nil, err
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("selfie: masktheface/%s: %w", f.Name(), err)
		}
		out[f.Name()] = toNRGBA(img)
	}
	return out, nil
})

// drawToolMask puts one of MaskTheFace's masks on the face as the tool
// does: a template drawn at random, plain, coloured or patterned, its
// brightness and saturation moved toward the photo's, warped by the
// least-squares homography from its six anchors to the same six points
// of the face (toolMaskAnchors). nil when the templates cannot be read
// or the anchors give no transform.
func drawToolMask(img image.Image, lm *face.Landmarks, rng *rand.Rand) image.Image {
	images, err := toolMaskImages()
	if err != nil {
		return nil
	}
	t := pick(rng, toolMaskTemplates)
	tpl := images[t.file]
	switch rng.IntN(3) {
	case 1:
		hex := pick(rng, toolMaskColours)
		c := rgb{float64(hex>>16) / 255, float64(hex>>8&0xff) / 255, float64(hex&0xff) / 255}
		tpl = blendTemplate(tpl, func(int, int) rgb { return c })
	case 2:
		tex := images[pick(rng, toolMaskTextures)]
		tw, th := tex.Bounds().Dx(), tex.Bounds().Dy()
		w, h := tpl.Bounds().Dx(), tpl.Bounds().Dy()
		// The texture stretched over the whole template, as cv2.resize.
		tpl = blendTemplate(tpl, func(x, y int) rgb { return getRGB(tex, x*tw/w, y*th/h) })
	}
	tpl = matchBrightness(tpl, img)

	src := [][2]float64{}
	for _, p := range []face.Point{t.a, t.b, t.c, t.f, t.e, t.d} {
		src = append(src, [2]float64{p.X, p.Y})
	}
	dst := [][2]float64{}
	for _, p := range toolMaskAnchors(lm) {
		dst = append(dst, [2]float64{p.X, p.Y})
	}
	h, err := geom.FitHomography(src, dst)
	if err != nil {
		return nil
	}
	inv, err := h.Inverse()
	if err != nil {
		return nil
	}
	out := toNRGBA(img)
	tb := tpl.Bounds()
	// Where the template lands: the bounding box of its corners.
	area := image.Rectangle{}
	for _, c := range [][2]float64{{0, 0}, {float64(tb.Dx()), 0}, {0, float64(tb.Dy())}, {float64(tb.Dx()), float64(tb.Dy())}} {
		x, y := h.Apply(c[0], c[1])
		area = area.Union(image.Rect(int(math.Floor(x)), int(math.Floor(y)), int(math.Ceil(x))+1, int(math.Ceil(y))+1))
	}
	area = area.Intersect(out.Bounds())
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			tx, ty := inv.Apply(float64(x)+0.5, float64(y)+0.5)
			c, a := sampleNRGBA(tpl, tx-0.5, ty-0.5)
			if a > 0 {
				blend(out, x, y, c, a)
			}
		}
	}
	return out
}

// toolMaskAnchors are MaskTheFace's six points on the face, in the order
// a, b, c, f, e, d (get_six_points in its utils/aux_functions.py): the
// jaw crossed at the nose tip's height by a line parallel to the eyes (a,
// c), the middle of the nose bridge (b), the jaw crossed at the lower
// lip's lowest point (d, f) and the chin where the face's midline meets it
// (e).
func toolMaskAnchors(lm *face.Landmarks) [6]face.Point {
	l, r := lm.LeftEye(), lm.RightEye()
	noseLen := lm[30].Y - lm[27].Y
	across := func(dy float64, fallback [2]int) (face.Point, face.Point) {
		pts := jawCrossings(lm, face.Point{X: l.X, Y: l.Y + dy}, face.Point{X: r.X, Y: r.Y + dy})
		if len(pts) < 2 {
			return lm[fallback[0]], lm[fallback[1]]
		}
		return pts[0], pts[len(pts)-1]
	}
	a, c := across(noseLen, [2]int{0, 16})
	lipLow := lm[57].Y
	for _, i := range []int{55, 56, 58, 59, 65, 66, 67} {
		lipLow = math.Max(lipLow, lm[i].Y)
	}
	d, f := across(lipLow-(l.Y+r.Y)/2, [2]int{5, 11})
	b := face.Point{X: (lm[27].X + lm[30].X) / 2, Y: (lm[27].Y + lm[30].Y) / 2}
	// The chin: the midline perpendicular to the eyes, and the line from
	// the top of the nose through the lower lip's middle, each crossed
	// with the jaw, averaged.
	var lip face.Point
	for _, i := range []int{54, 55, 56, 57, 58, 59, 48, 60, 67, 66, 65, 64} {
		lip.X += lm[i].X / 12
		lip.Y += lm[i].Y / 12
	}
	mid := face.Point{X: (l.X + r.X) / 2, Y: (l.Y+r.Y)/2 + noseLen/2}
	perp := face.Point{X: mid.X - (r.Y - l.Y), Y: mid.Y + (r.X - l.X)}
	e, n := face.Point{}, 0.0
	for _, line := range [][2]face.Point{{mid, perp}, {lm[27], lip}} {
		if pts := jawCrossings(lm, line[0], line[1]); len(pts) > 0 {
			e.X += pts[0].X
			e.Y += pts[0].Y
			n++
		}
	}
	if n == 0 {
		e = lm[8]
	} else {
		e.X, e.Y = e.X/n, e.Y/n
	}
	return [6]face.Point{a, b, c, f, e, d}
}

// jawCrossings returns where the line through p and q crosses the jaw
// (landmarks 0–16), in the jaw's order.
func jawCrossings(lm *face.Landmarks, p, q face.Point) []face.Point {
	var out []face.Point
	dx, dy := q.X-p.X, q.Y-p.Y
	for i := range 16 {
		s := lm[i]
		ex, ey := lm[i+1].X-s.X, lm[i+1].Y-s.Y
		den := dx*ey - dy*ex
		if den == 0 {
			continue
		}
		if u := ((s.X-p.X)*dy - (s.Y-p.Y)*dx) / den; u >= 0 && u <= 1 {
			out = append(out, face.Point{X: s.X + u*ex, Y: s.Y + u*ey})
		}
	}
	return out
}

// blendTemplate mixes each pixel of the template half and half with
// other(x, y), keeping its alpha (MaskTheFace's color_the_mask and
// texture_the_mask at their default weight).
func blendTemplate(tpl *image.NRGBA, other func(x, y int) rgb) *image.NRGBA {
	out := image.NewNRGBA(tpl.Bounds())
	for y := range tpl.Bounds().Dy() {
		for x := range tpl.Bounds().Dx() {
			c, o := getRGB(tpl, x, y), other(x, y)
			setRGB(out, x, y, rgb{(c[0] + o[0]) / 2, (c[1] + o[1]) / 2, (c[2] + o[2]) / 2})
			out.Pix[out.PixOffset(x, y)+3] = tpl.Pix[tpl.PixOffset(x, y)+3]
		}
	}
	return out
}

// matchBrightness scales the template's HSV value by 1 + (V̄photo −
// V̄template)/255 and its saturation by 1 − (the same)/255, as MaskTheFace
// does (its saturation step also measures the mean value), the means
// taken over every pixel of the photo and of the template.
func matchBrightness(tpl *image.NRGBA, img image.Image) *image.NRGBA {
	meanV := func(im image.Image) float64 {
		b := im.Bounds()
		var s float64
		step := max(1, b.Dx()/200)
		n := 0
		for y := b.Min.Y; y < b.Max.Y; y += step {
			for x := b.Min.X; x < b.Max.X; x += step {
				r, g, bl, _ := im.At(x, y).RGBA()
				s += float64(max(r, g, bl)) / 257
				n++
			}
		}
		return s / float64(max(n, 1))
	}
	delta := (meanV(img) - meanV(tpl)) / 255
	kv, ks := 1+delta, 1-delta
	out := image.NewNRGBA(tpl.Bounds())
	copy(out.Pix, tpl.Pix)
	for i := 0; i < len(out.Pix); i += 4 {
		c := rgb{float64(out.Pix[i]), float64(out.Pix[i+1]), float64(out.Pix[i+2])}
		v := math.Min(255, max(c[0], c[1], c[2])*kv)
		for k := range 3 {
			// The value scaled, then every channel's distance below it
			// (which sets saturation and keeps the hue) scaled.
			ch := math.Min(255, c[k]*kv)
			out.Pix[i+k] = clamp8(v - (v-ch)*ks)
		}
	}
	return out
}

// sampleNRGBA is the template's colour and alpha (both 0–1) at (x, y),
// bilinear; alpha 0 outside it.
func sampleNRGBA(im *image.NRGBA, x, y float64) (rgb, float64) {
	b := im.Bounds()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	var c rgb
	var a float64
	for _, s := range []struct {
		dx, dy int
		w      float64
	}{{0, 0, (1 - fx) * (1 - fy)}, {1, 0, fx * (1 - fy)}, {0, 1, (1 - fx) * fy}, {1, 1, fx * fy}} {
		px, py := x0+s.dx, y0+s.dy
		if !image.Pt(px, py).In(b) || s.w == 0 {
			continue
		}
		p := im.NRGBAAt(px, py)
		w := s.w * float64(p.A) / 255
		c[0] += w * float64(p.R)
		c[1] += w * float64(p.G)
		c[2] += w * float64(p.B)
		a += w
	}
	if a == 0 {
		return rgb{}, 0
	}
	return rgb{c[0] / a / 255, c[1] / a / 255, c[2] / a / 255}, a
}
