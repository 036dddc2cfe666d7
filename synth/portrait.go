package synth

import (
	"image"
	"image/color"
	"math/rand"
)

// Portrait draws a plausible synthetic head-and-shoulders picture (3:4,
// 300×400 px) for a document's portrait box: plain background, shoulders,
// neck, face, hair, eyes, brows and mouth in randomised tones. It is a
// drawing, not a face photograph: face detectors may or may not fire on it,
// so face-matching evaluations should pass real faces via Options.Portrait.
func Portrait(rng *rand.Rand) image.Image {
	const w, h = 300, 400
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c := &canvas{img: img, rng: rng, zones: map[string]image.Rectangle{}}
	bgs := []color.RGBA{{236, 240, 245, 255}, {255, 255, 255, 255}, {205, 222, 240, 255}, {230, 230, 226, 255}}
	c.vgradient(img.Rect, bgs[rng.Intn(len(bgs))], bgs[rng.Intn(len(bgs))])
	skins := []color.RGBA{{241, 204, 177, 255}, {224, 172, 140, 255}, {198, 141, 104, 255}, {141, 90, 60, 255}, {250, 218, 196, 255}}
	hairs := []color.RGBA{{30, 24, 20, 255}, {70, 45, 30, 255}, {120, 80, 40, 255}, {200, 170, 110, 255}, {110, 110, 110, 255}}
	clothes := []color.RGBA{{40, 50, 80, 255}, {20, 20, 20, 255}, {120, 30, 40, 255}, {60, 90, 60, 255}, {200, 200, 205, 255}}
	skin := skins[rng.Intn(len(skins))]
	hair := hairs[rng.Intn(len(hairs))]
	cloth := clothes[rng.Intn(len(clothes))]
	cx := float64(w)/2 + rng.Float64()*16 - 8
	faceRX := 62 + rng.Float64()*14
	faceRY := faceRX * (1.25 + rng.Float64()*0.15)
	faceCY := 175 + rng.Float64()*15
	// shoulders and neck
	c.ellipse(cx, h+40, 150+rng.Float64()*20, 120, cloth)
	c.fill(image.Rect(int(cx-faceRX*0.45), int(faceCY+faceRY*0.6), int(cx+faceRX*0.45), int(faceCY+faceRY*1.35)), shade(skin, 0.9))
	// hair behind the head
	long := rng.Intn(2) == 0
	if long {
		c.ellipse(cx, faceCY+30, faceRX*1.25, faceRY*1.25, hair)
	}
	c.ellipse(cx, faceCY-faceRY*0.25, faceRX*1.12, faceRY*0.85, hair)
	// face and ears
	c.ellipse(cx-faceRX, faceCY+5, 12, 20, shade(skin, 0.95))
	c.ellipse(cx+faceRX, faceCY+5, 12, 20, shade(skin, 0.95))
	c.ellipse(cx, faceCY, faceRX, faceRY, skin)
	// fringe
	c.ellipse(cx, faceCY-faceRY*0.78, faceRX*0.95, faceRY*0.32, hair)
	// eyes, brows, nose, mouth
	eyeY := faceCY - faceRY*0.08
	dx := faceRX * 0.42
	for _, s := range []float64{-1, 1} {
		c.ellipse(cx+s*dx, eyeY, 11, 6, color.RGBA{250, 250, 250, 255})
		c.ellipse(cx+s*dx, eyeY, 5, 5, color.RGBA{60, 40, 30, 255})
		c.ellipse(cx+s*dx, eyeY-17, 16, 3.5, shade(hair, 0.8))
	}
	c.ellipse(cx, faceCY+faceRY*0.2, 6, 14, shade(skin, 0.85))
	c.ellipse(cx, faceCY+faceRY*0.52, faceRX*0.32, 6, color.RGBA{170, 80, 80, 255})
	return img
}

func shade(c color.RGBA, f float64) color.RGBA {
	s := func(v uint8) uint8 {
		x := float64(v) * f
		if x > 255 {
			x = 255
		}
		return uint8(x)
	}
	return color.RGBA{s(c.R), s(c.G), s(c.B), c.A}
}
