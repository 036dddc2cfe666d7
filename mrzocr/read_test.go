package mrzocr

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycgate/kycgate/synth"
)

func loadSpecimen(t testing.TB, name string) image.Image {
	t.Helper()
	img, err := loadImage(filepath.Join(testdataDir(t), "mrz", name))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// turn returns img rotated q quarter turns clockwise, as a gray image.
func turn(img image.Image, q int) image.Image {
	g := toGray(img)
	g = rotated(g, q)
	out := image.NewGray(image.Rect(0, 0, g.w, g.h))
	for i, v := range g.pix {
		out.Pix[i] = uint8(v + 0.5)
	}
	return out
}

const (
	td3Line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	td3Line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

// TestReadOrientations: the ICAO specimen passport reads exactly upright,
// upside down and sideways, and the box maps back onto the MRZ.
func TestReadOrientations(t *testing.T) {
	img := loadSpecimen(t, "passporteye/tests_data/passport-td3.png")
	var upright image.Rectangle
	for q := 0; q < 4; q++ {
		t.Run(fmt.Sprintf("quarter_turns_%d", q), func(t *testing.T) {
			res, err := Read(turn(img, q))
			if err != nil {
				t.Fatal(err)
			}
			if !res.Found || res.Document == nil || !res.Document.Valid {
				t.Fatalf("not read: %+v", res)
			}
			if got := strings.Join(res.Lines, "\n"); got != td3Line1+"\n"+td3Line2 {
				t.Errorf("lines %q", res.Lines)
			}
			if res.Confidence < 0.9 {
				t.Errorf("confidence %.2f", res.Confidence)
			}
			if q == 0 {
				upright = res.Box
				// the MRZ is the bottom band of the data page
				b := img.Bounds()
				if upright.Min.Y < b.Dy()/2 || upright.Dx() < b.Dx()/2 {
					t.Errorf("box %v not the bottom band of %v", upright, b)
				}
			} else if q == 2 {
				// in the upside-down input the box is the upright one turned
				b := img.Bounds()
				want := image.Rect(b.Dx()-upright.Max.X, b.Dy()-upright.Max.Y, b.Dx()-upright.Min.X, b.Dy()-upright.Min.Y)
				if in := res.Box.Intersect(want); in.Dx()*in.Dy() < want.Dx()*want.Dy()/2 {
					t.Errorf("box %v does not match %v", res.Box, want)
				}
			}
		})
	}
}

// TestReadCroppedBox: reading just the reported box (with a margin) gives
// the same MRZ.
func TestReadCroppedBox(t *testing.T) {
	img := loadSpecimen(t, "fastmrz/td1.jpg")
	res, err := Read(img)
	if err != nil || res.Document == nil || !res.Document.Valid {
		t.Fatalf("read: %v %+v", err, res)
	}
	m := res.Box.Dy() / 2
	crop := res.Box.Inset(-m).Intersect(img.Bounds())
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(crop)
	res2, err := Read(sub)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res2.Lines, "|") != strings.Join(res.Lines, "|") {
		t.Errorf("crop read %q, full image %q", res2.Lines, res.Lines)
	}
	if !res.Box.In(crop) && res2.Box.Intersect(res.Box).Empty() {
		t.Errorf("crop box %v vs %v", res2.Box, res.Box)
	}
}

func TestReadNoMRZ(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range blank.Pix {
		blank.Pix[i] = 230
	}
	stripes := image.NewGray(image.Rect(0, 0, 400, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			if (x/7)%2 == 0 && (y/20)%2 == 0 {
				stripes.SetGray(x, y, color.Gray{20})
			} else {
				stripes.SetGray(x, y, color.Gray{240})
			}
		}
	}
	for name, img := range map[string]image.Image{"blank": blank, "stripes": stripes} {
		res, err := Read(img)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Document != nil && res.Document.Valid {
			t.Errorf("%s: valid MRZ %q in an image without one", name, res.Lines)
		}
	}
	if _, err := Read(image.NewGray(image.Rect(0, 0, 10, 10))); !errors.Is(err, ErrEmptyImage) {
		t.Errorf("tiny image: %v", err)
	}
	if _, err := Read(nil); !errors.Is(err, ErrEmptyImage) {
		t.Errorf("nil image: %v", err)
	}
}

func TestGlyphTable(t *testing.T) {
	g, err := decodeGlyphs(glyphData)
	if err != nil {
		t.Fatal(err)
	}
	if string(g.chars) != Alphabet {
		t.Fatalf("glyph order %q", g.chars)
	}
	for k, a := range g.alpha {
		var ink float32
		for _, v := range a {
			ink += v
		}
		// OCR-B glyphs cover 5–40 % of the cell; '8' and '<' are blank in OCRB.otf
		if frac := ink / float32(len(a)); frac < 0.03 || frac > 0.4 {
			t.Errorf("glyph %q ink fraction %.3f", g.chars[k], frac)
		}
	}
	if _, err := decodeGlyphs(glyphData[:20]); err == nil {
		t.Error("truncated table accepted")
	}
}

// TestClassifierWeights: the embedded classifier loads, and a short
// training run from scratch learns the glyphs (held-out accuracy).
func TestClassifierWeights(t *testing.T) {
	rec, err := getRecogniser()
	if err != nil {
		t.Fatal(err)
	}
	if rec.net == nil {
		t.Fatal("classifier.bin missing or stale; run go generate ./mrzocr")
	}
	if _, err := unmarshalMLP(classifierData[:100]); err == nil {
		t.Error("truncated weights accepted")
	}
	if testing.Short() {
		return
	}
	_, acc, err := TrainClassifier(io.Discard, TrainOptions{Seed: 3, Epochs: 2, SamplesPerClass: 20})
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.6 {
		t.Errorf("held-out accuracy after a short run %.2f, want ≥ 0.6", acc)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(make([]byte, 80*30))
	f.Add([]byte(strings.Repeat("\x00\xff\x10\x80", 1000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		const w = 80
		if len(data) < w*20 || len(data) > w*200 {
			return
		}
		img := image.NewGray(image.Rect(0, 0, w, len(data)/w))
		copy(img.Pix, data)
		res, err := Read(img)
		if err != nil && !errors.Is(err, ErrEmptyImage) {
			t.Fatal(err)
		}
		if err == nil && res == nil {
			t.Fatal("nil result")
		}
	})
}

func ExampleRead() {
	img, err := loadImage("../../shared/testdata/mrz/passporteye/tests_data/passport-td3.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := Read(img)
	if err != nil || res.Document == nil {
		fmt.Println("no MRZ", err)
		return
	}
	fmt.Println(res.Lines[0])
	fmt.Println(res.Document.Surname, res.Document.DocumentNumber, res.Document.Valid)
}

// TestQuadFollowsTheDocument: the corner cells of a generated page's MRZ
// are reported at the ends of its printed lines, and at the same document
// points whichever way the page is turned.
func TestQuadFollowsTheDocument(t *testing.T) {
	for _, c := range []struct {
		kind synth.Kind
		back bool
	}{{synth.Passport, false}, {synth.IDCard, true}} {
		id := synth.RandomIdentity(rand.New(rand.NewSource(3)), c.kind)
		doc, err := synth.Render(c.kind, id, synth.Options{Back: c.back})
		if err != nil {
			t.Skipf("synth: %v", err)
		}
		zone := doc.Zones["mrz"]
		var upright [4][2]float64
		for q := 0; q < 4; q++ {
			res, err := Read(turn(doc.Image, q))
			if err != nil || res.Document == nil || !res.Document.Valid {
				t.Fatalf("%s turned %d: not read (%v)", c.kind, q, err)
			}
			// Map the turned image's points back to the upright page.
			var got [4][2]float64
			b := doc.Image.Bounds()
			for i, p := range res.Quad {
				got[i] = unrotatePoint(p, q, b.Dx(), b.Dy())
			}
			if q == 0 {
				upright = got
				pitch := float64(zone.Dx()) / float64(len(doc.MRZ[0]))
				for i, want := range [4][2]float64{
					{float64(zone.Min.X) + pitch/2, 0}, {float64(zone.Max.X) - pitch/2, 0},
					{float64(zone.Max.X) - pitch/2, 0}, {float64(zone.Min.X) + pitch/2, 0},
				} {
					if d := math.Abs(got[i][0] - want[0]); d > pitch/2 {
						t.Errorf("%s corner %d at x=%.1f, want ≈ %.1f", c.kind, i, got[i][0], want[0])
					}
					if got[i][1] < float64(zone.Min.Y) || got[i][1] > float64(zone.Max.Y) {
						t.Errorf("%s corner %d at y=%.1f outside the MRZ %v", c.kind, i, got[i][1], zone)
					}
				}
				continue
			}
			for i := range got {
				if d := math.Hypot(got[i][0]-upright[i][0], got[i][1]-upright[i][1]); d > 2 {
					t.Errorf("%s turned %d: corner %d at %.1f,%.1f, upright %.1f,%.1f", c.kind, q, i,
						got[i][0], got[i][1], upright[i][0], upright[i][1])
				}
			}
		}
	}
}
