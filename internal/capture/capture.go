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
