package capture

import (
	"image"
	"image/color"
	"testing"
)

func TestVariants(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(10, 10, color.RGBA{0, 0, 0, 255})

	d := Darkened(img, 0.5, 0, 1).(*image.RGBA)
	if got := d.Pix[4*(50*400+50)]; got != 100 {
		t.Errorf("darkened ×0.5 without noise: %d, want 100", got)
	}
	noisy := Darkened(img, 0.5, 2, 1).(*image.RGBA)
	again := Darkened(img, 0.5, 2, 1).(*image.RGBA)
	if string(noisy.Pix) != string(again.Pix) {
		t.Error("Darkened is not deterministic for a seed")
	}
	if b := Scaled(img, 0.5).Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Errorf("scaled ×0.5: %v", b)
	}
	if b := Reduced(img, 200).Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Errorf("reduced to 200: %v", b)
	}
	if Reduced(img, 1000) != image.Image(img) {
		t.Error("reducing a smaller image changed it")
	}
	if b := Recompressed(img, 20).Bounds(); b.Dx() != 400 || b.Dy() != 300 {
		t.Errorf("recompressed: %v", b)
	}
}
