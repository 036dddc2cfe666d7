package synth

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand"

	xdraw "golang.org/x/image/draw"

	"github.com/kycgate/kycgate/internal/geom"
)

// Background names a kind of surface behind the document.
type Background string

// Backgrounds a phone photo of a document is typically taken on.
const (
	BgWood    Background = "wood"    // wood grain table
	BgCloth   Background = "cloth"   // woven fabric with soft folds
	BgDesk    Background = "desk"    // plain desk surface
	BgNoise   Background = "noise"   // coloured multi-scale texture
	BgDark    Background = "dark"    // near-black surface (high contrast)
	BgLight   Background = "light"   // near-white surface (low contrast: the hard case)
	BgClutter Background = "clutter" // desk with other objects: papers, pens, boxes
)

// Backgrounds lists every background kind.
var Backgrounds = []Background{BgWood, BgCloth, BgDesk, BgNoise, BgDark, BgLight, BgClutter}

// Camera describes a synthetic phone shot. The zero value is usable: it
// gives a 1600×1200 frame with the document centred at 70 % of the width,
// no tilt, neutral exposure and a desk background.
type Camera struct {
	Width, Height int // output size in pixels (0 → 1600×1200)

	// Scale is the document's width before tilt as a fraction of the frame
	// width (0 → 0.7). Without CutCorner the document is shrunk if needed so
	// that it stays fully inside the frame with a 2 % margin.
	Scale            float64
	Rotation         float64 // in-plane rotation, degrees, clockwise
	TiltX, TiltY     float64 // out-of-plane rotation about the horizontal / vertical axis, degrees
	FocalLength      float64 // pinhole focal length in output pixels (0 → 1.1 × max(Width, Height))
	OffsetX, OffsetY float64 // document centre offset as a fraction of the frame width / height

	// CutCorner pushes one corner out of the frame: 0 none, 1..4 the
	// document's top-left, top-right, bottom-right, bottom-left corner. The
	// corner leaves through the nearest frame edge by CutDepth × the
	// document diagonal.
	CutCorner int
	CutDepth  float64

	Background      Background
	BackgroundColor color.RGBA // base tint; zero → chosen at random

	LightGradient float64 // 0..1: how much darker the far side of the frame is
	LightAngle    float64 // direction of the gradient, degrees
	Exposure      float64 // multiplicative gain (0 → 1); > 1 clips highlights
	Gamma         float64 // tone curve out = in^(1/Gamma) (0 → 1); < 1 darkens mid-tones
	Shadow        float64 // 0..1 strength of the soft shadow the document casts

	// Glare is a specular highlight on the document's laminate: centre in
	// document coordinates (0..1), radius as a fraction of the document
	// width, strength 0..1 (≥ 0.7 clips the core to white).
	GlareX, GlareY, GlareRadius, GlareStrength float64

	DefocusSigma float64 // Gaussian blur sigma in output pixels
	MotionLength float64 // motion blur length in output pixels
	MotionAngle  float64 // motion direction, degrees
	Noise        float64 // sensor noise standard deviation on the 0..255 scale
	JPEGQuality  int     // 1..100 → JPEG round trip; 0 → none
}

// MaxPixels bounds the output frame (a 48 MP phone photo).
const MaxPixels = 48_000_000

func (cam *Camera) defaults() {
	if cam.Width <= 0 || cam.Height <= 0 {
		cam.Width, cam.Height = 1600, 1200
	}
	if cam.Scale <= 0 {
		cam.Scale = 0.7
	}
	if cam.Exposure <= 0 {
		cam.Exposure = 1
	}
	if cam.Gamma <= 0 {
		cam.Gamma = 1
	}
	if cam.FocalLength <= 0 {
		cam.FocalLength = 1.1 * math.Max(float64(cam.Width), float64(cam.Height))
	}
	if cam.Background == "" {
		cam.Background = BgDesk
	}
}

// RandomCamera draws a realistic clean phone shot: a landscape or portrait
// frame, the document filling 55–85 % of the width, a few degrees of
// rotation and tilt, mild light fall-off, low noise, high JPEG quality and
// no blur, glare or cut corner. Callers add one defect at a time.
func RandomCamera(rng *rand.Rand) Camera {
	cam := Camera{Width: 1600, Height: 1200}
	if rng.Intn(4) == 0 {
		cam.Width, cam.Height = 1200, 1600
	}
	cam.Scale = 0.55 + 0.3*rng.Float64()
	cam.Rotation = rng.NormFloat64() * 6
	cam.TiltX = (rng.Float64()*2 - 1) * 15
	cam.TiltY = (rng.Float64()*2 - 1) * 15
	cam.OffsetX = (rng.Float64()*2 - 1) * 0.06
	cam.OffsetY = (rng.Float64()*2 - 1) * 0.06
	cam.Background = Backgrounds[rng.Intn(len(Backgrounds))]
	cam.LightGradient = rng.Float64() * 0.3
	cam.LightAngle = rng.Float64() * 360
	cam.Exposure = 0.92 + 0.16*rng.Float64()
	cam.Gamma = 0.9 + 0.2*rng.Float64()
	cam.Shadow = rng.Float64() * 0.4
	cam.DefocusSigma = rng.Float64() * 0.5
	cam.Noise = 1 + rng.Float64()*3
	cam.JPEGQuality = 80 + rng.Intn(16)
	return cam
}

// Photograph places doc in a synthetic phone photo described by cam and
// returns the image and the document's four corners (its own top-left,
// top-right, bottom-right, bottom-left, i.e. clockwise) in output pixel
// coordinates, where the top-left corner of pixel (0,0) is (0,0). Corners
// of a cut document lie outside the frame. Transparent document pixels
// (rounded card corners) show the background. All randomness (background
// texture, noise) comes from rng.
func Photograph(doc image.Image, cam Camera, rng *rand.Rand) (*image.RGBA, [4][2]float64, error) {
	var corners [4][2]float64
	if doc == nil {
		return nil, corners, errors.New("synth: nil document image")
	}
	cam.defaults()
	if int64(cam.Width)*int64(cam.Height) > MaxPixels {
		return nil, corners, fmt.Errorf("synth: frame %dx%d exceeds %d pixels", cam.Width, cam.Height, MaxPixels)
	}
	db := doc.Bounds()
	dw, dh := float64(db.Dx()), float64(db.Dy())
	if dw < 2 || dh < 2 {
		return nil, corners, fmt.Errorf("synth: document image %dx%d too small", db.Dx(), db.Dy())
	}
	W, H := cam.Width, cam.Height
	corners = placeDocument(cam, dw, dh)

	p := newPlanes(W, H)
	paintBackground(p, cam, rng)

	// Shrink the document first when it is drawn much smaller than it was
	// rendered, so that bilinear sampling does not alias fine print.
	scale := math.Sqrt(quadArea(corners) / (dw * dh))
	src := toRGBA(doc)
	if scale < 0.7 {
		tw := int(math.Max(2, math.Round(dw*scale*1.3)))
		th := int(math.Max(2, math.Round(dh*scale*1.3)))
		small := image.NewRGBA(image.Rect(0, 0, tw, th))
		xdraw.CatmullRom.Scale(small, small.Rect, src, src.Rect, draw.Src, nil)
		src = small
	}
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	hm, err := geom.Homography([4][2]float64{{0, 0}, {sw, 0}, {sw, sh}, {0, sh}}, corners)
	if err != nil {
		return nil, corners, err
	}
	inv, err := hm.Inverse()
	if err != nil {
		return nil, corners, err
	}
	if cam.Shadow > 0 {
		castShadow(p, corners, cam.Shadow)
	}
	mask := composite(p, src, corners, inv, math.Sqrt(quadArea(corners)/(sw*sh)))
	light(p, cam)
	// Glare comes after the exposure so that its core is clipped white
	// whatever the lighting, as a specular reflection is.
	if cam.GlareRadius > 0 && cam.GlareStrength > 0 {
		gx, gy := hm.Apply(cam.GlareX*sw, cam.GlareY*sh)
		r := cam.GlareRadius * math.Hypot(corners[1][0]-corners[0][0], corners[1][1]-corners[0][1])
		addGlare(p, mask, gx, gy, r, cam.GlareStrength)
	}
	if cam.DefocusSigma > 0.05 {
		p.gaussian(cam.DefocusSigma)
	}
	if cam.MotionLength >= 1 {
		p.motion(cam.MotionLength, cam.MotionAngle)
	}
	if cam.Noise > 0 {
		s := float32(cam.Noise / 255)
		for i := range p.c[0] {
			l := s * float32(rng.NormFloat64()) * 0.7
			for k := 0; k < 3; k++ {
				p.c[k][i] += l + s*0.7*float32(rng.NormFloat64())
			}
		}
	}
	out := p.toRGBA()
	if cam.JPEGQuality > 0 {
		out, err = jpegRoundTrip(out, cam.JPEGQuality)
		if err != nil {
			return nil, corners, err
		}
	}
	return out, corners, nil
}

// PhotographEmpty renders cam's scene without any document: the negative
// images for "document not found" evaluations.
func PhotographEmpty(cam Camera, rng *rand.Rand) (*image.RGBA, error) {
	cam.defaults()
	if int64(cam.Width)*int64(cam.Height) > MaxPixels {
		return nil, fmt.Errorf("synth: frame %dx%d exceeds %d pixels", cam.Width, cam.Height, MaxPixels)
	}
	p := newPlanes(cam.Width, cam.Height)
	paintBackground(p, cam, rng)
	light(p, cam)
	if cam.DefocusSigma > 0.05 {
		p.gaussian(cam.DefocusSigma)
	}
	if cam.MotionLength >= 1 {
		p.motion(cam.MotionLength, cam.MotionAngle)
	}
	if cam.Noise > 0 {
		s := float32(cam.Noise / 255)
		for i := range p.c[0] {
			for k := 0; k < 3; k++ {
				p.c[k][i] += s * float32(rng.NormFloat64())
			}
		}
	}
	out := p.toRGBA()
	if cam.JPEGQuality > 0 {
		return jpegRoundTrip(out, cam.JPEGQuality)
	}
	return out, nil
}

func jpegRoundTrip(img *image.RGBA, q int) (*image.RGBA, error) {
	if q > 100 {
		q = 100
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("synth: jpeg encode: %w", err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		return nil, fmt.Errorf("synth: jpeg decode: %w", err)
	}
	return toRGBA(dec), nil
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

// placeDocument projects the document rectangle through the pinhole model
// of cam and returns its corners in the frame.
func placeDocument(cam Camera, dw, dh float64) [4][2]float64 {
	W, H := float64(cam.Width), float64(cam.Height)
	s := cam.Scale * W / dw
	rot := cam.Rotation * math.Pi / 180
	ax, ay := cam.TiltX*math.Pi/180, cam.TiltY*math.Pi/180
	f := cam.FocalLength
	var q [4][2]float64
	for i, p := range [4][2]float64{{0, 0}, {dw, 0}, {dw, dh}, {0, dh}} {
		x, y := (p[0]-dw/2)*s, (p[1]-dh/2)*s
		x, y = x*math.Cos(rot)-y*math.Sin(rot), x*math.Sin(rot)+y*math.Cos(rot)
		// tilt about the horizontal axis, then the vertical one
		y, z := y*math.Cos(ax), y*math.Sin(ax)
		x, z = x*math.Cos(ay)+z*math.Sin(ay), -x*math.Sin(ay)+z*math.Cos(ay)
		k := f / (f + z)
		q[i] = [2]float64{x * k, y * k}
	}
	cx, cy := W/2+cam.OffsetX*W, H/2+cam.OffsetY*H
	for i := range q {
		q[i][0] += cx
		q[i][1] += cy
	}
	// Keep the document inside the frame (with a 2 % margin) unless a cut
	// is requested: a clean photo never loses a corner by accident.
	m := 0.02 * math.Min(W, H)
	minX, minY, maxX, maxY := bbox(q)
	k := math.Min(1, math.Min((W-2*m)/(maxX-minX), (H-2*m)/(maxY-minY)))
	if k < 1 {
		mx, my := (minX+maxX)/2, (minY+maxY)/2
		for i := range q {
			q[i][0] = mx + (q[i][0]-mx)*k
			q[i][1] = my + (q[i][1]-my)*k
		}
		minX, minY, maxX, maxY = bbox(q)
	}
	dx, dy := 0.0, 0.0
	if minX < m {
		dx = m - minX
	} else if maxX > W-m {
		dx = W - m - maxX
	}
	if minY < m {
		dy = m - minY
	} else if maxY > H-m {
		dy = H - m - maxY
	}
	for i := range q {
		q[i][0] += dx
		q[i][1] += dy
	}
	if cam.CutCorner >= 1 && cam.CutCorner <= 4 {
		c := q[cam.CutCorner-1]
		depth := cam.CutDepth * math.Hypot(q[2][0]-q[0][0], q[2][1]-q[0][1])
		// distances to the left, right, top and bottom frame edges
		d := [4]float64{c[0], W - c[0], c[1], H - c[1]}
		best := 0
		for i := 1; i < 4; i++ {
			if d[i] < d[best] {
				best = i
			}
		}
		var tx, ty float64
		switch best {
		case 0:
			tx = -(c[0] + depth)
		case 1:
			tx = W + depth - c[0]
		case 2:
			ty = -(c[1] + depth)
		case 3:
			ty = H + depth - c[1]
		}
		for i := range q {
			q[i][0] += tx
			q[i][1] += ty
		}
	}
	return q
}

func bbox(q [4][2]float64) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	return
}

func quadArea(q [4][2]float64) float64 {
	a := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		a += q[i][0]*q[j][1] - q[j][0]*q[i][1]
	}
	return math.Abs(a) / 2
}

// composite draws src through the inverse homography onto p and returns the
// per-pixel document coverage (used to keep glare on the document).
func composite(p *planes, src *image.RGBA, q [4][2]float64, inv geom.Mat3, pxScale float64) []float32 {
	W, H := p.w, p.h
	mask := make([]float32, W*H)
	minX, minY, maxX, maxY := bbox(q)
	x0, y0 := clampInt(int(minX)-2, 0, W), clampInt(int(minY)-2, 0, H)
	x1, y1 := clampInt(int(maxX)+3, 0, W), clampInt(int(maxY)+3, 0, H)
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			u, v := inv.Apply(float64(x)+0.5, float64(y)+0.5)
			edge := math.Min(math.Min(u, sw-u), math.Min(v, sh-v))*pxScale + 0.5
			if edge <= 0 {
				continue
			}
			if edge > 1 {
				edge = 1
			}
			r, g, b, a := bilinearRGBA(src, u-0.5, v-0.5)
			alpha := a * edge
			i := y*W + x
			p.c[0][i] = p.c[0][i]*float32(1-alpha) + float32(r*edge)
			p.c[1][i] = p.c[1][i]*float32(1-alpha) + float32(g*edge)
			p.c[2][i] = p.c[2][i]*float32(1-alpha) + float32(b*edge)
			mask[i] = float32(alpha)
		}
	}
	return mask
}

// bilinearRGBA samples premultiplied colour in 0..1 at a continuous
// position (pixel centres at integers), clamping at the border.
func bilinearRGBA(img *image.RGBA, x, y float64) (r, g, b, a float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	var acc [4]float64
	for k, wt := range [4]float64{(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy} {
		px := clampInt(ix+k%2, 0, w-1)
		py := clampInt(iy+k/2, 0, h-1)
		o := py*img.Stride + px*4
		for c := 0; c < 4; c++ {
			acc[c] += wt * float64(img.Pix[o+c])
		}
	}
	return acc[0] / 255, acc[1] / 255, acc[2] / 255, acc[3] / 255
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// castShadow darkens the background under a blurred, offset copy of the
// document's outline, like a card lying on a table under a ceiling light.
func castShadow(p *planes, q [4][2]float64, strength float64) {
	W, H := p.w, p.h
	off := 0.008 * float64(W)
	var s [4][2]float64
	for i := range q {
		s[i] = [2]float64{q[i][0] + off, q[i][1] + off*1.3}
	}
	m := newPlanes(W, H)
	minX, minY, maxX, maxY := bbox(s)
	pts := [][2]float64{s[0], s[1], s[2], s[3]}
	for y := clampInt(int(minY), 0, H); y < clampInt(int(maxY)+1, 0, H); y++ {
		for x := clampInt(int(minX), 0, W); x < clampInt(int(maxX)+1, 0, W); x++ {
			if pointInPolygon(float64(x)+0.5, float64(y)+0.5, pts) {
				m.c[0][y*W+x] = 1
			}
		}
	}
	m.boxBlur1(0, int(0.01*float64(W))+1)
	for i := range m.c[0] {
		f := 1 - float32(strength)*m.c[0][i]
		for k := 0; k < 3; k++ {
			p.c[k][i] *= f
		}
	}
}

func addGlare(p *planes, mask []float32, gx, gy, r, strength float64) {
	W, H := p.w, p.h
	x0, x1 := clampInt(int(gx-3*r), 0, W), clampInt(int(gx+3*r)+1, 0, W)
	y0, y1 := clampInt(int(gy-3*r), 0, H), clampInt(int(gy+3*r)+1, 0, H)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := y*W + x
			if mask[i] == 0 {
				continue
			}
			d := math.Hypot(float64(x)+0.5-gx, float64(y)+0.5-gy) / r
			g := math.Min(1, 1.5*strength*math.Exp(-d*d))
			g *= float64(mask[i])
			for k := 0; k < 3; k++ {
				v := p.c[k][i]
				p.c[k][i] = v + (1-v)*float32(g)
			}
		}
	}
}

// light applies the illumination gradient, exposure gain and tone curve.
func light(p *planes, cam Camera) {
	W, H := p.w, p.h
	a := cam.LightAngle * math.Pi / 180
	ca, sa := math.Cos(a), math.Sin(a)
	half := 0.5 * math.Hypot(float64(W), float64(H))
	invGamma := 1 / cam.Gamma
	var lut [1025]float32
	for i := range lut {
		lut[i] = float32(math.Pow(float64(i)/1024, invGamma))
	}
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			t := ((float64(x)-float64(W)/2)*ca + (float64(y)-float64(H)/2)*sa) / half
			gain := float32(cam.Exposure * (1 - cam.LightGradient*(0.5+0.5*t)))
			i := y*W + x
			for k := 0; k < 3; k++ {
				v := p.c[k][i] * gain
				if v <= 0 {
					v = 0
				} else if v >= 1 {
					v = 1
				} else if invGamma != 1 {
					v = lut[int(v*1024)]
				}
				p.c[k][i] = v
			}
		}
	}
}
