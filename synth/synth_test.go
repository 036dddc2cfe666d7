package synth

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/kycgate/kycgate/internal/geom"
)

// validMRZDigit recomputes a check digit independently of MRZCheckDigit's
// loop (value table lookup) so the test does not just mirror the code.
func validMRZDigit(field string, digit byte) bool {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	w := []int{7, 3, 1}
	sum := 0
	for i, r := range field {
		v := strings.IndexRune(alphabet, r)
		if r == '<' {
			v = 0
		}
		if v < 0 {
			return false
		}
		sum += v * w[i%3]
	}
	return byte('0'+sum%10) == digit
}

func TestMRZLinesICAOSpecimens(t *testing.T) {
	anna := Identity{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DateOfBirth: "1974-08-12", Sex: "F",
		Nationality: "UTO", IssuingCountry: "UTO", DateOfExpiry: "2012-04-15"}
	tests := []struct {
		name string
		kind Kind
		doc  string
		want []string
	}{
		{"TD1 ICAO 9303-5 specimen", IDCard, "D23145890", []string{
			"I<UTOD231458907<<<<<<<<<<<<<<<",
			"7408122F1204159UTO<<<<<<<<<<<6",
			"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}},
		{"TD3 ICAO 9303-4 specimen without personal number", Passport, "L898902C3", []string{
			"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := anna
			id.DocumentNumber = tc.doc
			got := MRZLines(tc.kind, id)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("MRZLines =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	if MRZLines(CNIDFront, anna) != nil {
		t.Error("cn_id_front must have no MRZ")
	}
}

func checkTD3(t *testing.T, l []string) {
	t.Helper()
	if len(l) != 2 || len(l[0]) != 44 || len(l[1]) != 44 {
		t.Fatalf("TD3 shape wrong: %q", l)
	}
	b := l[1]
	for _, f := range [][2]int{{0, 9}, {13, 19}, {21, 27}, {28, 42}} {
		if !validMRZDigit(b[f[0]:f[1]], b[f[1]]) {
			t.Errorf("TD3 check digit at %d wrong in %q", f[1], b)
		}
	}
	if !validMRZDigit(b[0:10]+b[13:20]+b[21:43], b[43]) {
		t.Errorf("TD3 composite wrong in %q", b)
	}
}

func checkTD1(t *testing.T, l []string) {
	t.Helper()
	if len(l) != 3 || len(l[0]) != 30 || len(l[1]) != 30 || len(l[2]) != 30 {
		t.Fatalf("TD1 shape wrong: %q", l)
	}
	if !validMRZDigit(l[0][5:14], l[0][14]) || !validMRZDigit(l[1][0:6], l[1][6]) || !validMRZDigit(l[1][8:14], l[1][14]) {
		t.Errorf("TD1 field check digit wrong: %q", l)
	}
	if !validMRZDigit(l[0][5:30]+l[1][0:7]+l[1][8:15]+l[1][18:29], l[1][29]) {
		t.Errorf("TD1 composite wrong: %q", l)
	}
}

func TestCNIDCheck(t *testing.T) {
	for _, n := range []string{"11010519491231002X", "440305196006281497"} {
		if got := CNIDCheck(n[:17]); got != n[17] {
			t.Errorf("CNIDCheck(%s) = %c, want %c", n[:17], got, n[17])
		}
	}
}

func TestRandomIdentityIsValid(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	for _, kind := range Kinds {
		for i := 0; i < 200; i++ {
			id := RandomIdentity(rng, kind)
			for _, d := range []string{id.DateOfBirth, id.DateOfIssue, id.DateOfExpiry} {
				if _, err := time.Parse(isoDate, d); err != nil && d != NoExpiry && !(kind == BankCard && d == "") {
					t.Fatalf("%s: bad date %q", kind, d)
				}
			}
			if id.DateOfExpiry != NoExpiry && id.DateOfExpiry <= "2026-12-01" {
				t.Fatalf("%s: expired identity %+v", kind, id)
			}
			switch kind {
			case Passport:
				checkTD3(t, MRZLines(kind, id))
			case IDCard:
				checkTD1(t, MRZLines(kind, id))
			case CNIDFront, CNIDBack, HouseholdRegister, SocialSecurityCard:
				n := id.DocumentNumber
				if len(n) != 18 || CNIDCheck(n[:17]) != n[17] {
					t.Fatalf("bad CN id %q", n)
				}
				if n[6:14] != strings.ReplaceAll(id.DateOfBirth, "-", "") {
					t.Fatalf("CN id %s does not encode birth date %s", n, id.DateOfBirth)
				}
				if male := (n[16]-'0')%2 == 1; male != (id.Sex == "M") {
					t.Fatalf("CN id %s parity disagrees with sex %s", n, id.Sex)
				}
			case BankCard:
				if len(id.DocumentNumber) != 16 || !LuhnValid(id.DocumentNumber) {
					t.Fatalf("bank card number %q not Luhn-valid", id.DocumentNumber)
				}
			}
		}
	}
}

func renderOrSkip(t testing.TB, kind Kind, id Identity, opt Options) *Document {
	t.Helper()
	doc, err := Render(kind, id, opt)
	if err != nil {
		if strings.Contains(err.Error(), "not found") {
			t.Skipf("fonts not installed: %v", err)
		}
		t.Fatal(err)
	}
	return doc
}

func TestRenderAllKinds(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, kind := range Kinds {
		for _, back := range []bool{false, true} {
			id := RandomIdentity(rng, kind)
			doc := renderOrSkip(t, kind, id, Options{Back: back})
			b := doc.Image.Rect
			if len(doc.Fields) == 0 && !(kind == DriverLicense && back) { // the back's data is in the barcode
				t.Errorf("%s back=%v: no fields", kind, back)
			}
			for k, z := range doc.Zones {
				if z.Empty() || !z.In(b) {
					t.Errorf("%s back=%v: zone %s %v empty or outside %v", kind, back, k, z, b)
				}
			}
			for k := range doc.Fields {
				if _, ok := doc.Zones[k]; !ok {
					t.Errorf("%s back=%v: field %s has no zone", kind, back, k)
				}
			}
			wantMRZ := kind == Passport || (kind == IDCard && back)
			if (doc.MRZ != nil) != wantMRZ {
				t.Errorf("%s back=%v: MRZ present=%v", kind, back, doc.MRZ != nil)
			}
			if wantMRZ {
				z := doc.Zones["mrz"]
				n := len(doc.MRZ[0])
				// Each line is n characters at the ICAO pitch.
				if math.Abs(float64(z.Dx())-float64(n)*MRZPitch) > MRZPitch {
					t.Errorf("%s: MRZ zone %d px wide, want ≈ %v", kind, z.Dx(), float64(n)*MRZPitch)
				}
				if !inkIn(doc.Image, z) {
					t.Errorf("%s: MRZ zone has no ink", kind)
				}
			}
			if kind != Passport && kind != HouseholdRegister {
				if doc.Image.RGBAAt(0, 0).A != 0 || doc.Image.RGBAAt(b.Dx()/2, b.Dy()/2).A != 255 {
					t.Errorf("%s: card corners should be transparent (rounded), centre opaque", kind)
				}
			}
		}
	}
}

// inkIn reports whether r contains dark pixels (text was drawn).
func inkIn(img *image.RGBA, r image.Rectangle) bool {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 200 {
				n++
			}
		}
	}
	return n > r.Dx()*r.Dy()/50
}

func TestRenderDeterministic(t *testing.T) {
	id := RandomIdentity(rand.New(rand.NewSource(3)), CNIDFront)
	a := renderOrSkip(t, CNIDFront, id, Options{})
	b := renderOrSkip(t, CNIDFront, id, Options{})
	if !bytes.Equal(a.Image.Pix, b.Image.Pix) {
		t.Fatal("two renders of the same identity differ")
	}
	id2 := id
	id2.NativeName = "王芳"
	c := renderOrSkip(t, CNIDFront, id2, Options{})
	if bytes.Equal(a.Image.Pix, c.Image.Pix) {
		t.Fatal("a different name rendered identical pixels")
	}
	cam := RandomCamera(rand.New(rand.NewSource(9)))
	cam.Width, cam.Height = 640, 480
	p1, c1, err := Photograph(a.Image, cam, rand.New(rand.NewSource(5)))
	if err != nil {
		t.Fatal(err)
	}
	p2, c2, _ := Photograph(a.Image, cam, rand.New(rand.NewSource(5)))
	if !bytes.Equal(p1.Pix, p2.Pix) || c1 != c2 {
		t.Fatal("photographs with the same seed differ")
	}
	p3, _, _ := Photograph(a.Image, cam, rand.New(rand.NewSource(6)))
	if bytes.Equal(p1.Pix, p3.Pix) {
		t.Fatal("photographs with different seeds are identical")
	}
}

// markerDoc is a plain card with a coloured square in each corner.
var markerColours = [4]color.RGBA{{255, 0, 0, 255}, {0, 200, 0, 255}, {0, 0, 255, 255}, {255, 0, 255, 255}}

func markerDoc(w, h, m int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	for i, o := range [4]image.Point{{0, 0}, {w - m, 0}, {w - m, h - m}, {0, h - m}} {
		for y := o.Y; y < o.Y+m; y++ {
			for x := o.X; x < o.X+m; x++ {
				img.SetRGBA(x, y, markerColours[i])
			}
		}
	}
	return img
}

func TestPhotographCornersMatchDrawnDocument(t *testing.T) {
	const dw, dh, m = 1012, 638, 80
	doc := markerDoc(dw, dh, m)
	cams := []Camera{
		{Width: 800, Height: 600, Background: BgDark},
		{Width: 800, Height: 600, Background: BgDark, Rotation: 12, TiltX: 15, TiltY: -12, Scale: 0.8},
		{Width: 600, Height: 800, Background: BgDark, Rotation: -20, TiltY: 20, OffsetX: 0.05},
		{Width: 800, Height: 600, Background: BgDark, Rotation: 5, TiltX: -10, CutCorner: 2, CutDepth: 0.1},
		{Width: 800, Height: 600, Background: BgDark, Rotation: 95, Scale: 0.5},
	}
	for ci, cam := range cams {
		img, corners, err := Photograph(doc, cam, rand.New(rand.NewSource(int64(ci))))
		if err != nil {
			t.Fatal(err)
		}
		h, err := geom.Homography([4][2]float64{{0, 0}, {dw, 0}, {dw, dh}, {0, dh}}, corners)
		if err != nil {
			t.Fatal(err)
		}
		outside := 0
		for _, c := range corners {
			if c[0] < 0 || c[1] < 0 || c[0] > float64(img.Rect.Dx()) || c[1] > float64(img.Rect.Dy()) {
				outside++
			}
		}
		if (cam.CutCorner != 0) != (outside > 0) {
			t.Errorf("camera %d: %d corners outside the frame, cut=%d", ci, outside, cam.CutCorner)
		}
		for i, o := range [4][2]float64{{0, 0}, {dw - m, 0}, {dw - m, dh - m}, {0, dh - m}} {
			wx, wy := h.Apply(o[0]+m/2, o[1]+m/2)
			if wx < 0 || wy < 0 || wx >= float64(img.Rect.Dx()) || wy >= float64(img.Rect.Dy()) {
				continue // this marker was cut off
			}
			gx, gy, n := markerCentroid(img, markerColours[i])
			if n < 50 {
				t.Errorf("camera %d: marker %d not found", ci, i)
				continue
			}
			if d := math.Hypot(gx-wx, gy-wy); d > 1.5 {
				t.Errorf("camera %d: marker %d at (%.1f,%.1f), corners imply (%.1f,%.1f): off by %.2f px", ci, i, gx, gy, wx, wy, d)
			}
		}
	}
}

func markerCentroid(img *image.RGBA, c color.RGBA) (x, y float64, n int) {
	for py := 0; py < img.Rect.Dy(); py++ {
		for px := 0; px < img.Rect.Dx(); px++ {
			p := img.RGBAAt(px, py)
			d := math.Abs(float64(p.R)-float64(c.R)) + math.Abs(float64(p.G)-float64(c.G)) + math.Abs(float64(p.B)-float64(c.B))
			if d < 60 {
				x += float64(px) + 0.5
				y += float64(py) + 0.5
				n++
			}
		}
	}
	if n > 0 {
		x /= float64(n)
		y /= float64(n)
	}
	return
}

func TestPhotographDefects(t *testing.T) {
	doc := markerDoc(1012, 638, 10)
	base := Camera{Width: 640, Height: 480, Background: BgDark}
	clean, _, err := Photograph(doc, base, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	glare := base
	glare.GlareX, glare.GlareY, glare.GlareRadius, glare.GlareStrength = 0.5, 0.5, 0.2, 1
	g, _, _ := Photograph(doc, glare, rand.New(rand.NewSource(1)))
	if c := g.RGBAAt(320, 240); c.R < 250 || c.G < 250 || c.B < 250 {
		t.Errorf("glare core not clipped white: %v", c)
	}
	dark := base
	dark.Exposure = 0.3
	d, _, _ := Photograph(doc, dark, rand.New(rand.NewSource(1)))
	if mean(d) > mean(clean)*0.45 {
		t.Errorf("exposure 0.3 gave mean %.1f vs clean %.1f", mean(d), mean(clean))
	}
	blur := base
	blur.DefocusSigma = 3
	b, _, _ := Photograph(doc, blur, rand.New(rand.NewSource(1)))
	if gradEnergy(b) > gradEnergy(clean)*0.5 {
		t.Errorf("defocus did not reduce gradients: %.1f vs %.1f", gradEnergy(b), gradEnergy(clean))
	}
	mo := base
	mo.MotionLength, mo.MotionAngle = 15, 30
	mb, _, _ := Photograph(doc, mo, rand.New(rand.NewSource(1)))
	if gradEnergy(mb) > gradEnergy(clean)*0.6 {
		t.Errorf("motion blur did not reduce gradients")
	}
	if _, _, err := Photograph(nil, base, rand.New(rand.NewSource(1))); err == nil {
		t.Error("nil document accepted")
	}
	huge := base
	huge.Width, huge.Height = 100000, 100000
	if _, _, err := Photograph(doc, huge, rand.New(rand.NewSource(1))); err == nil {
		t.Error("oversized frame accepted")
	}
	empty, err := PhotographEmpty(base, rand.New(rand.NewSource(1)))
	if err != nil || empty.Rect.Dx() != 640 {
		t.Fatalf("PhotographEmpty: %v", err)
	}
}

func mean(img *image.RGBA) float64 {
	s := 0.0
	for i := 0; i < len(img.Pix); i += 4 {
		s += float64(img.Pix[i]) + float64(img.Pix[i+1]) + float64(img.Pix[i+2])
	}
	return s / float64(len(img.Pix)/4*3)
}

func gradEnergy(img *image.RGBA) float64 {
	s := 0.0
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 1; x < w; x++ {
			d := float64(img.Pix[y*img.Stride+x*4+1]) - float64(img.Pix[y*img.Stride+(x-1)*4+1])
			s += d * d
		}
	}
	return s / float64(w*h)
}

func TestMissingFontError(t *testing.T) {
	saved := fontFiles["ocrb"]
	defer func() { fontFiles["ocrb"] = saved }()
	fontFiles["ocrb"] = struct {
		name string
		dirs []string
		pkg  string
	}{"NoSuchFont.otf", []string{t.TempDir()}, "fonts-ocr-b"}
	_, err := findFont("ocrb")
	if err == nil || !strings.Contains(err.Error(), "fonts-ocr-b") {
		t.Fatalf("want an error naming the package, got %v", err)
	}
}
