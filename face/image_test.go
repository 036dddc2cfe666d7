package face

import (
	"image"
	"image/draw"
	"math"
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

// TestResizeGrayAveragesAreas checks the detector's reduced luma plane
// against the plain recipe: each output pixel the rounded mean of the
// full-size luma plane over its source block, block x spanning
// [⌊x·s⌋, max(⌊x·s⌋+1, round((x+1)·s))).
func TestResizeGrayAveragesAreas(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, size := range [][4]int{{37, 23, 20, 13}, {91, 113, 64, 80}, {50, 50, 49, 17}, {10, 10, 10, 10}, {8, 9, 3, 3}} {
		m := &rgbImage{W: size[0], H: size[1], Pix: make([]uint8, size[0]*size[1]*3)}
		for i := range m.Pix {
			m.Pix[i] = uint8(r.IntN(256))
		}
		w, h := size[2], size[3]
		got := m.resizeGray(w, h)
		g := m.gray()
		block := func(i, in, out int) (int, int) {
			s := float64(in) / float64(out)
			from := int(float64(i) * s)
			to := int(math.Round(float64(i+1) * s))
			return from, min(in, max(from+1, to))
		}
		for y := 0; y < h; y++ {
			y0, y1 := block(y, m.H, h)
			for x := 0; x < w; x++ {
				x0, x1 := block(x, m.W, w)
				sum, n := 0, 0
				for yy := y0; yy < y1; yy++ {
					for xx := x0; xx < x1; xx++ {
						sum += int(g[yy*m.W+xx])
						n++
					}
				}
				if want := uint8((sum + n/2) / n); got[y*w+x] != want {
					t.Fatalf("%dx%d → %dx%d: pixel (%d, %d) is %d, want %d", m.W, m.H, w, h, x, y, got[y*w+x], want)
				}
			}
		}
	}
}
