// Package capture alters photos as other cameras and rooms would deliver
// them: darker with sensor noise, at a lower resolution, more compressed.
// The face and liveness evaluations run their real photos through these
// too, so that what they measure holds beyond the shared clips' conditions.
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

// Scaled resizes img by k (bilinear).
func Scaled(img image.Image, k float64) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(b.Dx())*k)), max(1, int(float64(b.Dy())*k))))
	xdraw.BiLinear.Scale(out, out.Bounds(), img, b, draw.Src, nil)
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
