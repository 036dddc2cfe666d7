//go:build cgo

package aamva

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"reflect"
	"strings"
	"testing"
)

// cardBack renders a synthetic licence back: a light, slightly textured
// background with the symbol placed like on a real card (lower half, about
// 85% of the width) and some dark text-like bars above it.
func cardBack(t testing.TB, payload []byte, moduleWidth int) *image.Gray {
	t.Helper()
	sym, err := Barcode(payload, moduleWidth)
	if err != nil {
		t.Fatal(err)
	}
	sw, sh := sym.Rect.Dx(), sym.Rect.Dy()
	w := sw * 100 / 85
	h := max(w*54/86, sh*2) // ID-1 aspect ratio
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Pix[y*img.Stride+x] = uint8(225 + (x*7+y*13)%20) // faint guilloche-like texture
		}
	}
	for i := 0; i < 4; i++ { // "text" lines
		y0 := h/20 + i*h/14
		for y := y0; y < y0+h/40; y++ {
			for x := w / 12; x < w/12+w/(2+i); x++ {
				img.Pix[y*img.Stride+x] = 60
			}
		}
	}
	ox, oy := (w-sw)/2, h-sh-h/20
	for y := 0; y < sh; y++ {
		copy(img.Pix[(oy+y)*img.Stride+ox:], sym.Pix[y*sym.Stride:y*sym.Stride+sw])
	}
	return img
}

// boxBlur applies a (2r+1)² box filter r times' worth of softness, a cheap
// stand-in for defocus.
func boxBlur(g *image.Gray, r int) *image.Gray {
	b := g.Bounds()
	dst := image.NewGray(b)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			sum, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					xx, yy := x+dx, y+dy
					if xx >= 0 && yy >= 0 && xx < b.Dx() && yy < b.Dy() {
						sum += int(g.Pix[yy*g.Stride+xx])
						n++
					}
				}
			}
			dst.Pix[y*dst.Stride+x] = uint8(sum / n)
		}
	}
	return dst
}

var fullEval = flag.Bool("full", false, "run the full decode-versus-degradation evaluation (slow)")

func TestBarcodeRoundTrip(t *testing.T) {
	for i, opt := range []EncodeOptions{{}, {Version: 1}, {Version: 3, CRLF: true}, {Version: 8, JurisdictionSubfile: true}} {
		want := synthetic(i)
		img := cardBack(t, Encode(want, opt), 2)
		got, err := Read(img)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		wf := want.Fields()
		if opt.Version == 1 {
			delete(wf, "issuing_country")
		}
		if !reflect.DeepEqual(got.Fields(), wf) {
			t.Errorf("%d:\n got %v\nwant %v", i, got.Fields(), wf)
		}
	}
}

// TestDecodeVersusDegradation reports decode success against rotation angle
// and blur, and guards the measured envelope: zxing-cpp 1.4 reads PDF417 at
// any multiple of 90° (plus the explicit turns in ReadPDF417) and within a
// few degrees of it, which is why the caller must pass the rectified
// document.
func TestDecodeVersusDegradation(t *testing.T) {
	n, angles := 1, []float64{0, 3, 5, 10, 90, 180, 270, 95}
	if *fullEval {
		n, angles = 6, []float64{0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 90, 180, 270, 93, 185}
	}
	type cond struct {
		angle float64
		blur  int
		scale int
	}
	rate := map[cond]float64{}
	var lines []string
	for _, scale := range []int{2, 3} {
		for _, blur := range []int{0, 1} {
			line := fmt.Sprintf("module %dpx blur r=%d:", scale, blur)
			for _, a := range angles {
				ok := 0
				for i := 0; i < n; i++ {
					want := synthetic(i)
					img := cardBack(t, Encode(want, EncodeOptions{Version: 10}), scale)
					if blur > 0 {
						img = boxBlur(img, blur)
					}
					if a != 0 {
						img = rotateBy(img, a, 120)
					}
					got, err := Read(img)
					if err == nil && reflect.DeepEqual(got.Fields(), want.Fields()) {
						ok++
					} else if err == nil {
						t.Errorf("angle %v: decoded but fields differ: %v", a, got.Fields())
					}
				}
				r := float64(ok) / float64(n)
				rate[cond{a, blur, scale}] = r
				line += fmt.Sprintf(" %g°=%.0f%%", a, 100*r)
			}
			lines = append(lines, line)
		}
	}
	t.Log("decode success vs rotation:\n" + strings.Join(lines, "\n"))
	// Guards at the measured level (see docs/identity.md): every condition
	// decodes, except that 2 px modules under blur are guarded upright and
	// at 90°/180° only (tilted, the bilinear resampling of the test's own
	// rotation blurs them further and results vary by symbol).
	for c, r := range rate {
		if c.scale == 2 && c.blur == 1 && c.angle != 0 && c.angle != 90 && c.angle != 180 {
			continue
		}
		if math.Abs(c.angle) <= 30 || math.Mod(c.angle, 90) == 0 {
			if r < 1 {
				t.Errorf("module %dpx blur %d angle %g°: success %.0f%%, want 100%%", c.scale, c.blur, c.angle, 100*r)
			}
		}
	}
}

func TestReadPDF417NoBarcode(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 31 % 256)
	}
	if _, err := ReadPDF417(img); err != ErrNoBarcode {
		t.Fatalf("err = %v, want ErrNoBarcode", err)
	}
	if _, err := ReadPDF417(image.NewGray(image.Rect(0, 0, 0, 0))); err == nil {
		t.Fatal("empty image: want an error")
	}
	// A colour image goes through the grey conversion.
	rgba := image.NewRGBA(image.Rect(0, 0, 50, 50))
	rgba.Set(1, 1, color.RGBA{255, 0, 0, 255})
	if _, err := ReadPDF417(rgba); err != ErrNoBarcode {
		t.Fatalf("rgba: err = %v", err)
	}
}

func BenchmarkRead(b *testing.B) {
	img := cardBack(b, Encode(synthetic(1), EncodeOptions{}), 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(img); err != nil {
			b.Fatal(err)
		}
	}
}
