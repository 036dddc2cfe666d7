// Package capture alters photos as other cameras and rooms would deliver
// them: darker with sensor noise, at a lower resolution, more compressed,
// under a contrasty tone curve. The face and liveness evaluations run their
// real photos through these too, so that what they measure holds beyond the
// shared clips' conditions; the selfie check lifts a photo's shadows with
// the same tone curve.
package capture

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand"

	xdraw "golang.org/x/image/draw"
)

// Darkened scales every channel by k and adds Gaussian noise of sd grey
// levels, deterministically for a seed: a dim room that auto exposure does
// not fully make up for.
func Darkened(img image.Image, k, sd float64, seed int64) image.Image {
	rng := rand.New(rand.NewSource(seed))
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	for i := 0; i < len(out.Pix); i += 4 {
		for c := range 3 {
			v := float64(out.Pix[i+c])*k + rng.NormFloat64()*sd
			out.Pix[i+c] = uint8(math.Max(0, math.Min(255, math.Round(v))))
		}
	}
	return out
}

// Contrasty applies the tone curve v → v^gamma (v from 0 to 1) to every
// channel: for gamma > 1, shadows darken far more than mid-tones and
// highlights barely move, as in a dim room where the camera's curve crushes
// the shadows, or a photo edited darker. Unlike Darkened, which keeps every
// ratio between two parts of the face, it deepens the ratio between a
// shadowed eye socket and lit skin (0.5 becomes 0.22 at gamma 2.2). For
// gamma < 1 it lifts the shadows instead, which the selfie check uses to
// tell a lens from a shadow. The result keeps img's bounds.
func Contrasty(img image.Image, gamma float64) *image.RGBA {
	var curve [256]uint8
	for v := range curve {
		curve[v] = uint8(math.Round(255 * math.Pow(float64(v)/255, gamma)))
	}
	b := img.Bounds()
	out := image.NewRGBA(b)
	draw.Draw(out, b, img, b.Min, draw.Src)
	for i := 0; i < len(out.Pix); i += 4 {
		for c := range 3 {
			out.Pix[i+c] = curve[out.Pix[i+c]]
		}
	}
	return out
}

// Scaled resizes img by k (bilinear).
func Scaled(img image.Image, k float64) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(b.Dx())*k)), max(1, int(float64(b.Dy())*k))))
	xdraw.BiLinear.Scale(out, out.Bounds(), img, b, draw.Src, nil)
	return out
}

// Cropped is the part of img within r, as a camera held closer would frame
// it: r is clipped to img, and the result starts at the origin.
func Cropped(img image.Image, r image.Rectangle) image.Image {
	r = r.Intersect(img.Bounds())
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// Tilted is img as a camera rolled by deg degrees (counter-clockwise)
// would take it: rotated about its centre, bilinearly, at the same size.
// The corners the picture no longer covers show it mirrored at its edges,
// a stand-in for the scene a tilted phone would see there, so that the
// framing (a face near an edge) stays as it was.
func Tilted(img image.Image, deg float64) image.Image {
	src := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(src, src.Bounds(), img, img.Bounds().Min, draw.Src)
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	out := image.NewRGBA(src.Bounds())
	a := deg * math.Pi / 180
	cos, sin := math.Cos(a), math.Sin(a)
	cx, cy := float64(w)/2, float64(h)/2
	// reflect folds a coordinate back into [0, n-1] as a mirror would.
	reflect := func(v float64, n int) float64 {
		last := float64(n - 1)
		if last <= 0 {
			return 0
		}
		v = math.Mod(math.Abs(v), 2*last)
		if v > last {
			v = 2*last - v
		}
		return v
	}
	for y := range h {
		for x := range w {
			// The source point that lands on (x, y): the inverse rotation,
			// counter-clockwise on screen where y grows downwards.
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			sx := reflect(cos*dx-sin*dy+cx-0.5, w)
			sy := reflect(sin*dx+cos*dy+cy-0.5, h)
			x0, y0 := int(sx), int(sy)
			x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
			fx, fy := sx-float64(x0), sy-float64(y0)
			o := out.PixOffset(x, y)
			for c := range 4 {
				at := func(px, py int) float64 { return float64(src.Pix[src.PixOffset(px, py)+c]) }
				v := (at(x0, y0)*(1-fx)+at(x1, y0)*fx)*(1-fy) + (at(x0, y1)*(1-fx)+at(x1, y1)*fx)*fy
				out.Pix[o+c] = uint8(math.Round(v))
			}
		}
	}
	return out
}

// Reduced scales img down so that its longer side is at most side pixels;
// a smaller image is returned as it is.
func Reduced(img image.Image, side int) image.Image {
	b := img.Bounds()
	k := float64(side) / float64(max(b.Dx(), b.Dy()))
	if k >= 1 {
		return img
	}
	return Scaled(img, k)
}

// Recompressed is img encoded as JPEG at quality q and decoded again.
func Recompressed(img image.Image, q int) image.Image {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return img
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		return img
	}
	return out
}

// Variant is one capture condition under the name an evaluation prints it
// with. Apply alters a photo; seed varies the sensor noise between the
// frames of a clip (variants without noise ignore it).
type Variant struct {
	Name  string
	Apply func(img image.Image, seed int64) image.Image
}

// SlightlyOutOfFocus is the capture variant of a lens slightly out of
// focus: σ = SlightDefocus of the photo's shorter side.
var SlightlyOutOfFocus = Variant{Name: "slightly out of focus", Apply: func(img image.Image, _ int64) image.Image {
	b := img.Bounds()
	return Defocused(img, SlightDefocus*float64(min(b.Dx(), b.Dy())))
}}

// SlightDefocus is the blur of SlightlyOutOfFocus, as a fraction of the
// photo's shorter side: 2 px on a 640-px photo, about 0.02 of the eye
// distance on a face filling half its width — short of the selfie check's
// IMAGE_BLURRY, but enough to soften the eyes (docs/selfie.md, eighth
// round).
const SlightDefocus = 0.003

// Defocused blurs img as an out-of-focus lens would, with a Gaussian of
// standard deviation sigma pixels (three box blurs in each direction, which
// approximate it closely).
func Defocused(img image.Image, sigma float64) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	if sigma <= 0 {
		return out
	}
	// Three box passes whose variances add up to sigma² (Kovesi, "Fast
	// almost-Gaussian filtering"): the first m of width wl, the others
	// of the next odd width.
	const n = 3
	wl := int(math.Sqrt(12*sigma*sigma/n + 1))
	if wl%2 == 0 {
		wl--
	}
	wl = max(wl, 1)
	m := int(math.Round((12*sigma*sigma - float64(n*wl*wl+4*n*wl+3*n)) / float64(-4*wl-4)))
	w, h := b.Dx(), b.Dy()
	buf := make([]float64, max(w, h))
	for pass := range n {
		r := wl / 2
		if pass >= m {
			r++
		}
		if r == 0 {
			continue
		}
		for y := range h {
			boxPass(out.Pix[y*out.Stride:], 4, w, r, buf)
		}
		for x := range w {
			boxPass(out.Pix[4*x:], out.Stride, h, r, buf)
		}
	}
	return out
}

// boxPass replaces each of the n pixels at pix[i*step] (RGB; alpha kept)
// by the mean of those within r of it, the edge pixels repeated.
func boxPass(pix []uint8, step, n, r int, buf []float64) {
	for c := range 3 {
		at := func(i int) float64 { return float64(pix[min(max(i, 0), n-1)*step+c]) }
		sum := 0.0
		for i := -r; i <= r; i++ {
			sum += at(i)
		}
		for i := range n {
			buf[i] = sum / float64(2*r+1)
			sum += at(i+r+1) - at(i-r)
		}
		for i := range n {
			pix[i*step+c] = uint8(math.Round(buf[i]))
		}
	}
}
