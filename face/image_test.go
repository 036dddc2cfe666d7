package face

import (
	"image"
	"image/draw"
	"math/rand/v2"
	"testing"
)

func TestToRGBYCbCrMatchesDraw(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio440} {
		full := image.NewYCbCr(image.Rect(0, 0, 37, 23), ratio)
		for i := range full.Y {
			full.Y[i] = uint8(r.IntN(256))
		}
		for i := range full.Cb {
			full.Cb[i], full.Cr[i] = uint8(r.IntN(256)), uint8(r.IntN(256))
		}
		for _, img := range []*image.YCbCr{full, full.SubImage(image.Rect(3, 5, 30, 20)).(*image.YCbCr)} {
			got := toRGB(img)
			b := img.Bounds()
			want := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
			draw.Draw(want, want.Bounds(), img, b.Min, draw.Src)
			for i := 0; i < b.Dx()*b.Dy(); i++ {
				for c := 0; c < 3; c++ {
					if got.Pix[i*3+c] != want.Pix[i*4+c] {
						t.Fatalf("ratio %v bounds %v pixel %d channel %d: %d, draw gives %d", ratio, b, i, c, got.Pix[i*3+c], want.Pix[i*4+c])
					}
				}
			}
		}
	}
}
