package docloc

import (
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"

	"github.com/kycgate/kycgate/internal/geom"
	"github.com/kycgate/kycgate/internal/testenv"
)

// drawnPhoto paints a light card with dark "text" strokes, seen through the
// homography to quad q, on a textured background. It needs no fonts, so
// the core tests run anywhere.
func drawnPhoto(w, h int, q [4][2]float64, bg, card color.RGBA, seed int64) *image.RGBA {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	const cw, ch = 856.0, 540.0
	m, _ := geom.Homography(q, [4][2]float64{{0, 0}, {cw, 0}, {cw, ch}, {0, ch}})
	// text lines on the card in card coordinates
	type bar struct{ x0, y0, x1, y1 float64 }
	var bars []bar
	for y := 60.0; y < ch-60; y += 55 {
		x := 300.0
		for x < cw-60 {
			l := 20 + rng.Float64()*80
			bars = append(bars, bar{x, y, math.Min(x+l, cw-60), y + 22})
			x += l + 15
		}
	}
	bars = append(bars, bar{50, 80, 260, 380}) // portrait box
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := uint8(rng.Intn(9))
			c := color.RGBA{bg.R + n, bg.G + n, bg.B + n, 255}
			// 4 sub-samples for anti-aliased edges
			in := 0
			var u, v float64
			for s := 0; s < 4; s++ {
				u, v = m.Apply(float64(x)+0.25+0.5*float64(s%2), float64(y)+0.25+0.5*float64(s/2))
				if u >= 0 && v >= 0 && u < cw && v < ch {
					in++
				}
			}
			if in > 0 {
				cc := card
				for _, b := range bars {
					if u >= b.x0 && u < b.x1 && v >= b.y0 && v < b.y1 {
						cc = color.RGBA{40, 40, 60, 255}
						break
					}
				}
				f := float64(in) / 4
				c = color.RGBA{uint8(float64(c.R)*(1-f) + float64(cc.R)*f), uint8(float64(c.G)*(1-f) + float64(cc.G)*f),
					uint8(float64(c.B)*(1-f) + float64(cc.B)*f), 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func cornerErr(a, b [4][2]float64) float64 {
	best := math.Inf(1)
	for s := 0; s < 4; s++ {
		d := 0.0
		for i := 0; i < 4; i++ {
			d = math.Max(d, math.Hypot(a[(i+s)%4][0]-b[i][0], a[(i+s)%4][1]-b[i][1]))
		}
		best = math.Min(best, d)
	}
	return best
}

func TestLocateDrawnCards(t *testing.T) {
	dark, light := color.RGBA{40, 45, 50, 255}, color.RGBA{205, 200, 190, 255}
	white := color.RGBA{245, 245, 240, 255}
	tests := []struct {
		name    string
		q       [4][2]float64
		bg      color.RGBA
		inside  bool
		missing int
	}{
		{"axis aligned", [4][2]float64{{100, 90}, {540, 90}, {540, 367}, {100, 367}}, dark, true, 0},
		{"rotated", [4][2]float64{{130, 60}, {560, 140}, {510, 410}, {80, 330}}, dark, true, 0},
		{"perspective", [4][2]float64{{150, 80}, {500, 100}, {560, 400}, {90, 380}}, dark, true, 0},
		{"light background", [4][2]float64{{120, 100}, {520, 80}, {540, 340}, {110, 370}}, light, true, 0},
		{"corner cut", [4][2]float64{{200, 60}, {680, 110}, {600, 400}, {150, 350}}, dark, false, 1},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img := drawnPhoto(640, 480, tc.q, tc.bg, white, int64(i))
			res, err := Locate(img)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Found {
				t.Fatalf("not found (confidence %.2f)", res.Confidence)
			}
			if e := cornerErr(res.Corners, tc.q); e > 2 {
				t.Errorf("corners %v, want %v (max error %.2f px)", res.Corners, tc.q, e)
			}
			if res.CornersInside != tc.inside || len(res.MissingCorners) != tc.missing {
				t.Errorf("inside=%v missing=%v, want inside=%v with %d missing", res.CornersInside, res.MissingCorners, tc.inside, tc.missing)
			}
			// clockwise on screen, starting nearest the origin
			if signedArea(res.Corners) <= 0 {
				t.Errorf("corners not clockwise: %v", res.Corners)
			}
		})
	}
}

// boxBlur blurs img in place with a (2r+1)² box, three times (≈ Gaussian
// σ ≈ r): a photo out of focus.
func boxBlur(img *image.RGBA, r int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]uint8, len(img.Pix))
	for pass := 0; pass < 6; pass++ {
		horizontal := pass%2 == 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				for c := 0; c < 3; c++ {
					sum, n := 0, 0
					for d := -r; d <= r; d++ {
						xx, yy := x, y
						if horizontal {
							xx += d
						} else {
							yy += d
						}
						if xx < 0 || yy < 0 || xx >= w || yy >= h {
							continue
						}
						sum += int(img.Pix[yy*img.Stride+xx*4+c])
						n++
					}
					tmp[y*img.Stride+x*4+c] = uint8(sum / n)
				}
				tmp[y*img.Stride+x*4+3] = 255
			}
		}
		copy(img.Pix, tmp)
	}
}

// TestCutNeedsEvidence: an outline is cut by the frame only when the
// document is seen to continue out of it. A whole card blurred so much that
// its side near the frame edge dissolves is not cut; a card whose whole
// side lies outside the frame is.
func TestCutNeedsEvidence(t *testing.T) {
	dark := color.RGBA{40, 45, 50, 255}
	white := color.RGBA{245, 245, 240, 255}
	tests := []struct {
		name    string
		q       [4][2]float64
		blur    int
		inside  bool
		missing int
	}{
		{"blurred whole card near the frame edge", [4][2]float64{{14, 90}, {470, 70}, {490, 360}, {18, 380}}, 4, true, 0},
		{"side out of frame", [4][2]float64{{-60, 90}, {420, 70}, {440, 360}, {-50, 380}}, 0, false, 2},
		{"blurred, side out of frame", [4][2]float64{{-60, 90}, {420, 70}, {440, 360}, {-50, 380}}, 4, false, 2},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img := drawnPhoto(640, 480, tc.q, dark, white, int64(10+i))
			if tc.blur > 0 {
				boxBlur(img, tc.blur)
			}
			res, err := Locate(img)
			if err != nil || !res.Found {
				t.Fatalf("found=%v err=%v", res.Found, err)
			}
			if res.CornersInside != tc.inside || len(res.MissingCorners) != tc.missing {
				t.Errorf("inside=%v missing=%v corners %v, want inside=%v with %d missing", res.CornersInside,
					res.MissingCorners, res.Corners, tc.inside, tc.missing)
			}
		})
	}
}

func signedArea(c [4][2]float64) float64 {
	s := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		s += c[i][0]*c[j][1] - c[j][0]*c[i][1]
	}
	return s / 2
}

func TestLocateNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	flat := image.NewRGBA(image.Rect(0, 0, 640, 480))
	noise := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for i := range flat.Pix {
		flat.Pix[i] = 128
		noise.Pix[i] = uint8(rng.Intn(256))
	}
	for name, img := range map[string]image.Image{"flat": flat, "noise": noise, "gray": image.NewGray(image.Rect(0, 0, 300, 300))} {
		res, err := Locate(img)
		if err != nil {
			t.Fatal(err)
		}
		if res.Found {
			t.Errorf("%s: found a document in an empty image: %+v", name, res)
		}
	}
}

func TestLocateRejectsBadInput(t *testing.T) {
	if _, err := Locate(nil); err == nil {
		t.Error("nil image accepted")
	}
	if _, err := Locate(image.NewRGBA(image.Rect(0, 0, 10, 10))); err == nil {
		t.Error("10x10 image accepted")
	}
}

func TestLocateSubImageAndTypes(t *testing.T) {
	q := [4][2]float64{{130, 60}, {560, 140}, {510, 410}, {80, 330}}
	img := drawnPhoto(640, 480, q, color.RGBA{40, 45, 50, 255}, color.RGBA{245, 245, 240, 255}, 3)
	// The same photo as a sub-image offset in a larger canvas: corners must
	// come back in the sub-image's coordinate space.
	big := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := 0; y < 480; y++ {
		copy(big.Pix[big.PixOffset(100, 50+y):big.PixOffset(740, 50+y)], img.Pix[img.PixOffset(0, y):img.PixOffset(640, y)])
	}
	sub := big.SubImage(image.Rect(100, 50, 740, 530))
	nrgba := image.NewNRGBA(img.Rect)
	copy(nrgba.Pix, img.Pix)
	for name, tc := range map[string]struct {
		img   image.Image
		shift float64
	}{"sub-image": {sub, 0}, "NRGBA": {nrgba, 0}} {
		res, err := Locate(tc.img)
		if err != nil || !res.Found {
			t.Fatalf("%s: found=%v err=%v", name, res.Found, err)
		}
		var want [4][2]float64
		off := tc.img.Bounds().Min
		for i := range q {
			want[i] = [2]float64{q[i][0] + float64(off.X), q[i][1] + float64(off.Y)}
		}
		if e := cornerErr(res.Corners, want); e > 2 {
			t.Errorf("%s: corners %v want %v", name, res.Corners, want)
		}
	}
}

func TestRectify(t *testing.T) {
	q := [4][2]float64{{150, 80}, {500, 100}, {560, 400}, {90, 380}}
	img := drawnPhoto(640, 480, q, color.RGBA{40, 45, 50, 255}, color.RGBA{245, 245, 240, 255}, 4)
	out := Rectify(img, q, 428, 270)
	if out == nil || out.Rect.Dx() != 428 || out.Rect.Dy() != 270 {
		t.Fatalf("Rectify returned %v", out)
	}
	// The portrait box (card x 50–260, y 80–380 of 856×540) must be dark
	// at its centre and the card margin light.
	at := func(u, v float64) uint8 { return out.RGBAAt(int(u/2), int(v/2)).G }
	if at(155, 230) > 90 {
		t.Errorf("portrait box centre is %d, want dark", at(155, 230))
	}
	if at(20, 20) < 200 || at(836, 520) < 200 {
		t.Errorf("card margins not light: %d %d", at(20, 20), at(836, 520))
	}
	if Rectify(img, q, 0, 10) != nil || Rectify(nil, q, 10, 10) != nil {
		t.Error("invalid arguments accepted")
	}
	if Rectify(img, [4][2]float64{}, 10, 10) != nil {
		t.Error("degenerate corners accepted")
	}
}

// TestBuildsForWasm proves the package is pure Go and compiles for the
// browser capture page.
func TestBuildsForWasm(t *testing.T) { testenv.BuildsForWebAssembly(t) }

func FuzzLocate(f *testing.F) {
	f.Add(uint16(64), uint16(48), []byte{0, 255, 128})
	f.Add(uint16(200), uint16(33), []byte{10, 20, 30, 40, 50})
	f.Fuzz(func(t *testing.T, w, h uint16, data []byte) {
		w, h = w%400+1, h%400+1
		img := image.NewRGBA(image.Rect(0, 0, int(w), int(h)))
		for i := range img.Pix {
			if len(data) > 0 {
				img.Pix[i] = data[i%len(data)] ^ uint8(i*7)
			}
		}
		res, err := Locate(img)
		if err == nil && res.Found {
			for _, c := range res.Corners {
				if math.IsNaN(c[0]) || math.IsNaN(c[1]) {
					t.Fatalf("NaN corner: %+v", res)
				}
			}
		}
		_ = Rectify(img, res.Corners, 16, 16)
	})
}
