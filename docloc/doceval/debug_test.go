package doceval

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"os"
	"testing"

	"github.com/kycgate/kycgate/docloc"
	"github.com/kycgate/kycgate/synth"
)

func drawQuad(img *image.RGBA, c [4][2]float64, col color.RGBA) {
	for i := 0; i < 4; i++ {
		a, b := c[i], c[(i+1)%4]
		for t := 0.0; t <= 1; t += 0.0005 {
			x, y := int(a[0]+(b[0]-a[0])*t), int(a[1]+(b[1]-a[1])*t)
			for d := -1; d <= 1; d++ {
				if (image.Point{x + d, y}).In(img.Rect) {
					img.SetRGBA(x+d, y, col)
				}
			}
		}
	}
}

func TestDebugDump(t *testing.T) {
	set := os.Getenv("DOCLOC_DEBUG_SET")
	if set == "" {
		t.Skip()
	}
	var idx []int
	fmt.Sscan(os.Getenv("DOCLOC_DEBUG_I"), &idx)
	for _, i := range []int{0, 1, 2, 3, 8, 10} {
		cfg := Config{Seed: 1, Width: 1280, Height: 960}
		salt := map[string]int64{"clean": 1, "cut": 2, "negative": 3}[set]
		rng := rand.New(rand.NewSource(cfg.Seed*1_000_003 + salt*100_000 + int64(i)))
		cam := synth.RandomCamera(rng)
		if cam.Width > cam.Height {
			cam.Width, cam.Height = cfg.Width, cfg.Height
		} else {
			cam.Width, cam.Height = cfg.Height, cfg.Width
		}
		var img *image.RGBA
		var corners [4][2]float64
		if set == "negative" {
			img, _ = synth.PhotographEmpty(cam, rng)
		} else {
			kind := synth.Kinds[i%len(synth.Kinds)]
			id := synth.RandomIdentity(rng, kind)
			doc, _ := synth.Render(kind, id, synth.Options{Back: rng.Intn(2) == 0})
			if set == "cut" {
				cam.CutCorner = 1 + rng.Intn(4)
				cam.CutDepth = 0.02 + 0.13*rng.Float64()
			}
			img, corners, _ = synth.Photograph(doc.Image, cam, rng)
		}
		res, _ := docloc.Locate(img)
		t.Logf("%s %d: truth %v res %+v", set, i, corners, res)
		drawQuad(img, corners, color.RGBA{0, 255, 0, 255})
		if res.Found {
			drawQuad(img, res.Corners, color.RGBA{255, 0, 0, 255})
		}
		f, _ := os.Create(fmt.Sprintf("/tmp/dbg-%s-%d.png", set, i))
		png.Encode(f, img)
		f.Close()
	}
}
