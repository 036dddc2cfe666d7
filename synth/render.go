package synth

import (
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font"
)

// Options adjusts a render.
type Options struct {
	// Portrait replaces the drawn portrait (e.g. a real face from the shared
	// test data); it is scaled into the portrait box.
	Portrait image.Image
	// Barcode is drawn on the back of a driver's licence (e.g. an AAMVA
	// PDF417 produced by the caller); without it a non-decodable stand-in
	// pattern is drawn.
	Barcode image.Image
	// Back selects the back of two-sided kinds (id_card: MRZ side;
	// driver_license: barcode side). cn_id_front/cn_id_back are separate
	// kinds and ignore it.
	Back bool
}

// Document is a flat rendering of one document face with its ground truth.
type Document struct {
	// Image is the document face; pixels outside rounded card corners are
	// transparent (alpha 0).
	Image *image.RGBA
	Kind  Kind
	// MRZ holds the lines printed on this face (nil when the face has none).
	MRZ []string
	// Fields holds the canonical value (Identity format: YYYY-MM-DD dates,
	// "M"/"F") of every field printed on this face, keyed by the names of
	// the declared-data contract: surname, given_names, native_name,
	// date_of_birth, sex, nationality, document_number, issuing_country,
	// date_of_issue, date_of_expiry, address, ethnicity, authority.
	Fields map[string]string
	// Zones holds, in Image pixels, the ink rectangle of each field printed
	// (same keys as Fields) and of "portrait", "mrz", "title", "barcode",
	// "chip" where present.
	Zones map[string]image.Rectangle
}

// Sizes at 300 dpi: ID-1 cards are 85.60×53.98 mm, a TD3 passport data
// page 125×88 mm, a household-register page 143×105 mm.
const (
	ID1Width, ID1Height           = 1012, 638
	TD3Width, TD3Height           = 1476, 1039
	RegisterWidth, RegisterHeight = 1689, 1240
	// MRZPitch is the ICAO 9303 character pitch (2.54 mm, 10 cpi) at 300 dpi.
	MRZPitch = 30.0
	// MRZLineSpacing is the distance between MRZ baselines (≈4.2 mm).
	MRZLineSpacing = 50
)

var (
	black     = color.RGBA{20, 20, 24, 255}
	darkBlue  = color.RGBA{20, 40, 110, 255}
	labelBlue = color.RGBA{40, 110, 190, 255}
	labelGrey = color.RGBA{90, 95, 110, 255}
	red       = color.RGBA{200, 30, 40, 255}
	white     = color.RGBA{255, 255, 255, 255}
)

// Render draws one face of a document of the given kind for id. The output
// depends only on its arguments: decoration is seeded from a hash of the
// identity, so the same call always gives the same pixels.
func Render(kind Kind, id Identity, opt Options) (*Document, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%+v|%v", kind, id, opt.Back)
	rng := rand.New(rand.NewSource(int64(h.Sum64())))
	w, ht := ID1Width, ID1Height
	switch kind {
	case Passport:
		w, ht = TD3Width, TD3Height
	case HouseholdRegister:
		w, ht = RegisterWidth, RegisterHeight
	case IDCard, CNIDFront, CNIDBack, DriverLicense, StudentCard, SocialSecurityCard, BankCard:
	default:
		return nil, fmt.Errorf("synth: unknown document kind %q", kind)
	}
	fc := newFaceCache(fs)
	defer fc.close()
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, ht)), fc: fc, zones: map[string]image.Rectangle{}, rng: rng}
	doc := &Document{Image: c.img, Kind: kind, Fields: map[string]string{}, Zones: c.zones}
	portrait := opt.Portrait
	if portrait == nil {
		portrait = Portrait(rng)
	}
	r := &renderer{c: c, fs: fs, id: id, doc: doc, portrait: portrait, opt: opt}
	switch kind {
	case Passport:
		r.passport()
	case IDCard:
		if opt.Back {
			r.idCardBack()
		} else {
			r.idCardFront()
		}
	case CNIDFront:
		r.cnFront()
	case CNIDBack:
		r.cnBack()
	case DriverLicense:
		if opt.Back {
			r.dlBack()
		} else {
			r.dlFront()
		}
	case HouseholdRegister:
		r.household()
	case StudentCard:
		r.student()
	case SocialSecurityCard:
		r.social()
	case BankCard:
		r.bank()
	}
	if kind != Passport && kind != HouseholdRegister {
		roundCorners(c.img, 37) // 3.18 mm at 300 dpi
	}
	return doc, nil
}

type renderer struct {
	c        *canvas
	fs       *fontSet
	id       Identity
	doc      *Document
	portrait image.Image
	opt      Options
}

func (r *renderer) sans(size float64) font.Face     { return r.c.fc.face(r.fs.sans, size) }
func (r *renderer) sansBold(size float64) font.Face { return r.c.fc.face(r.fs.sansBold, size) }
func (r *renderer) cjk(size float64) font.Face      { return r.c.fc.face(r.fs.cjk, size) }
func (r *renderer) cjkBold(size float64) font.Face  { return r.c.fc.face(r.fs.cjkBold, size) }

// ocrb returns the MRZ face sized so that capitals are ≈2.4 mm (ICAO
// OCR-B size 1) high at 300 dpi.
func (r *renderer) ocrb() font.Face {
	return r.c.fc.face(r.fs.ocrb, 40)
}

// set records a field value and draws it, registering the zone.
func (r *renderer) set(key, value string, f font.Face, x, y int, printed string, col color.Color) {
	r.doc.Fields[key] = value
	r.c.field(key, f, x, y, printed, col)
}

func (r *renderer) background(base color.RGBA, pattern color.RGBA) {
	b := r.c.img.Rect
	r.c.fill(b, base)
	r.c.guilloche(b, pattern, 28+r.c.rng.Intn(16), 0.35)
	r.c.rosette(float64(b.Dx())*(0.5+0.2*r.c.rng.Float64()), float64(b.Dy())*0.5, float64(b.Dy())*0.33, pattern, 0.3)
}

func (r *renderer) portraitBox(rect image.Rectangle) {
	r.c.pasteScaled(rect, r.portrait)
	r.c.zones["portrait"] = rect
}

// mrz draws the lines at ICAO pitch with the last baseline at lastBaseline.
func (r *renderer) mrz(lines []string, left, lastBaseline int) {
	f := r.ocrb()
	var zone image.Rectangle
	for i, l := range lines {
		y := lastBaseline - (len(lines)-1-i)*MRZLineSpacing
		zone = zone.Union(r.c.spaced(f, left, y, MRZPitch, l, black))
	}
	r.doc.MRZ = lines
	r.c.zones["mrz"] = zone
}

var monthsEN = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// dateParts splits YYYY-MM-DD; ok is false for anything else (e.g. 长期).
func dateParts(d string) (y, m, day int, ok bool) {
	t, err := time.Parse(isoDate, d)
	if err != nil {
		return 0, 0, 0, false
	}
	return t.Year(), int(t.Month()), t.Day(), true
}

// FormatDate prints an Identity date in the style of a document kind:
// "12 AUG 1990" (passport), "12.08.1990" (id_card), "08/12/1990" (US
// driver's licence), "1990.08.12" (Chinese documents). Non-dates pass
// through unchanged.
func FormatDate(kind Kind, d string) string {
	y, m, day, ok := dateParts(d)
	if !ok {
		return d
	}
	switch kind {
	case Passport:
		return fmt.Sprintf("%02d %s %04d", day, monthsEN[m-1], y)
	case IDCard:
		return fmt.Sprintf("%02d.%02d.%04d", day, m, y)
	case DriverLicense:
		return fmt.Sprintf("%02d/%02d/%04d", m, day, y)
	case BankCard:
		return fmt.Sprintf("%02d/%02d", m, y%100)
	}
	return fmt.Sprintf("%04d.%02d.%02d", y, m, day)
}

func sexWord(kind Kind, s string) string {
	switch kind {
	case CNIDFront, HouseholdRegister, StudentCard, SocialSecurityCard:
		switch s {
		case "M":
			return "男"
		case "F":
			return "女"
		}
	}
	return s
}

func fullLatinName(id Identity) string {
	return strings.TrimSpace(id.Surname + " " + id.GivenNames)
}

// --- passport (TD3) ---

func (r *renderer) passport() {
	c, id := r.c, r.id
	W, H := c.img.Rect.Dx(), c.img.Rect.Dy()
	r.background(color.RGBA{246, 242, 228, 255}, color.RGBA{190, 150, 170, 255})
	c.guilloche(image.Rect(0, 120, W, H-230), color.RGBA{140, 190, 170, 255}, 18, 0.25)
	c.fill(image.Rect(0, 0, W, 120), color.RGBA{120, 30, 50, 255})
	c.zones["title"] = c.text(r.sansBold(46), 80, 80, "PASSPORT / PASSEPORT", white)
	c.text(r.sansBold(34), W-420, 78, countryName(id.IssuingCountry), color.RGBA{240, 210, 140, 255})
	r.portraitBox(image.Rect(70, 170, 430, 650))
	lbl := r.sans(21)
	val := r.sansBold(33)
	x0, x1, x2 := 480, 820, 1120
	row := func(y int) int { return 190 + y*80 }
	c.text(lbl, x0, row(0), "Type / Type", labelGrey)
	c.text(val, x0, row(0)+38, "P", black)
	c.text(lbl, x1, row(0), "Code / Code", labelGrey)
	r.set("issuing_country", id.IssuingCountry, val, x1, row(0)+38, id.IssuingCountry, black)
	c.text(lbl, x2, row(0), "Passport No. / N° du passeport", labelGrey)
	r.set("document_number", id.DocumentNumber, val, x2, row(0)+38, id.DocumentNumber, red)
	c.text(lbl, x0, row(1), "Surname / Nom", labelGrey)
	r.set("surname", id.Surname, val, x0, row(1)+38, id.Surname, black)
	c.text(lbl, x0, row(2), "Given names / Prénoms", labelGrey)
	r.set("given_names", id.GivenNames, val, x0, row(2)+38, id.GivenNames, black)
	if id.NativeName != "" {
		r.set("native_name", id.NativeName, r.cjk(33), x1+150, row(2)+38, id.NativeName, black)
	}
	c.text(lbl, x0, row(3), "Nationality / Nationalité", labelGrey)
	r.set("nationality", id.Nationality, val, x0, row(3)+38, countryName(id.Nationality), black)
	c.text(lbl, x0, row(4), "Date of birth / Date de naissance", labelGrey)
	r.set("date_of_birth", id.DateOfBirth, val, x0, row(4)+38, FormatDate(Passport, id.DateOfBirth), black)
	c.text(lbl, x2, row(4), "Sex / Sexe", labelGrey)
	r.set("sex", id.Sex, val, x2, row(4)+38, id.Sex, black)
	c.text(lbl, x0, row(5), "Date of issue / Date de délivrance", labelGrey)
	r.set("date_of_issue", id.DateOfIssue, val, x0, row(5)+38, FormatDate(Passport, id.DateOfIssue), black)
	c.text(lbl, x2-180, row(5), "Authority / Autorité", labelGrey)
	r.set("authority", id.Authority, r.sansBold(24), x2-180, row(5)+38, id.Authority, black)
	c.text(lbl, x0, row(6), "Date of expiry / Date d'expiration", labelGrey)
	r.set("date_of_expiry", id.DateOfExpiry, val, x0, row(6)+38, FormatDate(Passport, id.DateOfExpiry), black)
	c.text(lbl, x2-180, row(6), "Holder's signature / Signature", labelGrey)
	c.text(r.c.fc.face(r.fs.sans, 40), x2-160, row(6)+45, signature(id), darkBlue)
	// MRZ clear zone: plain background, as ICAO requires.
	c.fill(image.Rect(0, H-230, W, H), color.RGBA{248, 246, 238, 255})
	r.mrz(MRZLines(Passport, id), (W-44*MRZPitch)/2, H-70)
}

func signature(id Identity) string {
	s := id.Surname
	if len(s) > 0 {
		s = s[:1] + strings.ToLower(s[1:])
	}
	if len(id.GivenNames) > 0 {
		s = id.GivenNames[:1] + ". " + s
	}
	return s
}

var countryNames = map[string]string{"UTO": "UTOPIA", "D": "DEUTSCHLAND", "FRA": "FRANCE", "NLD": "NEDERLAND",
	"ITA": "ITALIA", "ESP": "ESPAÑA", "GBR": "UNITED KINGDOM", "USA": "UNITED STATES", "CAN": "CANADA",
	"SWE": "SVERIGE", "POL": "POLSKA", "AUS": "AUSTRALIA", "CHN": "CHINA"}

func countryName(code string) string {
	if n, ok := countryNames[code]; ok {
		return n
	}
	return code
}

// --- TD1 identity card ---

func (r *renderer) idCardFront() {
	c, id := r.c, r.id
	W := c.img.Rect.Dx()
	r.background(color.RGBA{232, 240, 246, 255}, color.RGBA{150, 180, 210, 255})
	c.vgradient(image.Rect(0, 0, W, 95), color.RGBA{30, 80, 140, 255}, color.RGBA{60, 120, 180, 255})
	c.zones["title"] = c.text(r.sansBold(36), 40, 62, "IDENTITY CARD", white)
	c.text(r.sansBold(28), W-330, 60, countryName(id.IssuingCountry), white)
	r.portraitBox(image.Rect(40, 125, 300, 470))
	lbl, val := r.sans(17), r.sansBold(28)
	x := 330
	c.text(lbl, 690, 130, "Document No.", labelGrey)
	r.set("document_number", id.DocumentNumber, r.sansBold(30), 690, 168, id.DocumentNumber, red)
	c.text(lbl, x, 130, "Surname", labelGrey)
	r.set("surname", id.Surname, val, x, 166, id.Surname, black)
	c.text(lbl, x, 205, "Given names", labelGrey)
	r.set("given_names", id.GivenNames, val, x, 241, id.GivenNames, black)
	c.text(lbl, x, 280, "Date of birth", labelGrey)
	r.set("date_of_birth", id.DateOfBirth, val, x, 316, FormatDate(IDCard, id.DateOfBirth), black)
	c.text(lbl, 640, 280, "Sex", labelGrey)
	r.set("sex", id.Sex, val, 640, 316, id.Sex, black)
	c.text(lbl, 760, 280, "Nationality", labelGrey)
	r.set("nationality", id.Nationality, val, 760, 316, id.Nationality, black)
	c.text(lbl, x, 355, "Date of expiry", labelGrey)
	r.set("date_of_expiry", id.DateOfExpiry, val, x, 391, FormatDate(IDCard, id.DateOfExpiry), black)
	c.text(lbl, x, 520, "Signature", labelGrey)
	c.text(r.sans(36), x+20, 575, signature(id), darkBlue)
}

func (r *renderer) idCardBack() {
	c, id := r.c, r.id
	W, H := c.img.Rect.Dx(), c.img.Rect.Dy()
	r.background(color.RGBA{236, 242, 240, 255}, color.RGBA{160, 200, 190, 255})
	lbl, val := r.sans(17), r.sansBold(24)
	c.text(lbl, 40, 50, "Date of issue", labelGrey)
	r.set("date_of_issue", id.DateOfIssue, val, 40, 82, FormatDate(IDCard, id.DateOfIssue), black)
	c.text(lbl, 330, 50, "Authority", labelGrey)
	r.set("authority", id.Authority, val, 330, 82, id.Authority, black)
	if id.Address != "" {
		c.text(lbl, 40, 125, "Address", labelGrey)
		r.set("address", id.Address, val, 40, 157, id.Address, black)
	}
	c.fill(image.Rect(0, H-200, W, H), color.RGBA{244, 246, 244, 255})
	r.mrz(MRZLines(IDCard, id), (W-30*int(MRZPitch))/2, H-45)
}

// --- Chinese resident identity card ---

func (r *renderer) cnBackground() {
	r.background(color.RGBA{244, 244, 238, 255}, color.RGBA{170, 200, 220, 255})
	r.c.guilloche(r.c.img.Rect, color.RGBA{220, 180, 190, 255}, 22, 0.2)
}

func (r *renderer) cnFront() {
	c, id := r.c, r.id
	r.cnBackground()
	lbl, val := r.cjk(26), r.cjk(32)
	lx, vx := 70, 170
	c.text(lbl, lx, 115, "姓 名", labelBlue)
	r.set("native_name", id.NativeName, r.cjk(36), vx, 117, id.NativeName, black)
	c.text(lbl, lx, 190, "性 别", labelBlue)
	r.set("sex", id.Sex, val, vx, 192, sexWord(CNIDFront, id.Sex), black)
	c.text(lbl, 330, 190, "民 族", labelBlue)
	r.set("ethnicity", id.Ethnicity, val, 430, 192, id.Ethnicity, black)
	c.text(lbl, lx, 265, "出 生", labelBlue)
	if y, m, d, ok := dateParts(id.DateOfBirth); ok {
		r.doc.Fields["date_of_birth"] = id.DateOfBirth
		c.field("date_of_birth", val, vx, 267, strconv.Itoa(y), black)
		c.text(lbl, vx+85, 267, "年", labelBlue)
		c.field("date_of_birth", val, vx+135, 267, strconv.Itoa(m), black)
		c.text(lbl, vx+180, 267, "月", labelBlue)
		c.field("date_of_birth", val, vx+230, 267, strconv.Itoa(d), black)
		c.text(lbl, vx+280, 267, "日", labelBlue)
	}
	c.text(lbl, lx, 340, "住 址", labelBlue)
	r.doc.Fields["address"] = id.Address
	c.zones["address"] = c.wrapText(val, vx, 342, 450, 46, id.Address, black)
	c.text(lbl, lx, 560, "公民身份号码", labelBlue)
	r.doc.Fields["document_number"] = id.DocumentNumber
	c.zones["document_number"] = c.spaced(r.c.fc.face(r.fs.ocrb, 38), 330, 562, 31, id.DocumentNumber, black)
	r.portraitBox(image.Rect(660, 80, 940, 430))
}

func (r *renderer) cnBack() {
	c, id := r.c, r.id
	r.cnBackground()
	// National emblem stand-in: red disc, golden stars, gate silhouette.
	c.ellipse(170, 150, 92, 92, color.RGBA{215, 170, 50, 255})
	c.ellipse(170, 150, 80, 80, color.RGBA{200, 30, 35, 255})
	c.star(170, 115, 26, color.RGBA{250, 210, 60, 255})
	for i, a := range []float64{-0.9, -0.3, 0.3, 0.9} {
		_ = i
		c.star(170+52*math.Sin(a), 115-38*math.Cos(a)+20, 9, color.RGBA{250, 210, 60, 255})
	}
	c.fill(image.Rect(120, 175, 220, 205), color.RGBA{250, 210, 60, 255})
	t1 := c.text(r.cjkBold(50), 320, 140, "中华人民共和国", black)
	t2 := c.spaced(r.cjkBold(72), 300, 260, 110, "居民身份证", black)
	c.zones["title"] = t1.Union(t2)
	lbl, val := r.cjk(26), r.cjk(30)
	c.text(lbl, 200, 470, "签发机关", black)
	r.set("authority", id.Authority, val, 370, 472, id.Authority, black)
	c.text(lbl, 200, 548, "有效期限", black)
	validity := FormatDate(CNIDBack, id.DateOfIssue) + "-" + FormatDate(CNIDBack, id.DateOfExpiry)
	r.doc.Fields["date_of_issue"] = id.DateOfIssue
	r.doc.Fields["date_of_expiry"] = id.DateOfExpiry
	zone := c.text(val, 370, 550, validity, black)
	c.zones["date_of_issue"] = zone
	c.zones["date_of_expiry"] = zone
}

// --- US-style driver's licence ---

func (r *renderer) dlFront() {
	c, id := r.c, r.id
	W := c.img.Rect.Dx()
	r.background(color.RGBA{238, 236, 226, 255}, color.RGBA{200, 170, 120, 255})
	c.hgradient(image.Rect(0, 0, W, 100), color.RGBA{20, 60, 120, 255}, color.RGBA{120, 160, 200, 255})
	t := c.text(r.sansBold(40), 40, 62, id.Authority, white)
	t = t.Union(c.text(r.sansBold(26), 560, 62, "DRIVER LICENSE", color.RGBA{250, 220, 120, 255}))
	c.zones["title"] = t.Union(c.text(r.sansBold(22), W-100, 90, "USA", white))
	r.portraitBox(image.Rect(40, 130, 300, 470))
	lbl, val := r.sans(16), r.sansBold(27)
	x := 330
	c.text(lbl, x, 135, "4d DLN", red)
	r.set("document_number", id.DocumentNumber, r.sansBold(32), x+70, 140, id.DocumentNumber, red)
	c.text(lbl, x, 190, "1", red)
	r.set("surname", id.Surname, val, x+25, 195, id.Surname, black)
	c.text(lbl, x, 235, "2", red)
	r.set("given_names", id.GivenNames, val, x+25, 240, id.GivenNames, black)
	c.text(lbl, x, 280, "8", red)
	r.doc.Fields["address"] = id.Address
	parts := strings.SplitN(id.Address, ", ", 2)
	c.field("address", r.sansBold(22), x+25, 282, parts[0], black)
	if len(parts) > 1 {
		c.field("address", r.sansBold(22), x+25, 312, parts[1], black)
	}
	c.text(lbl, x, 365, "3 DOB", red)
	r.set("date_of_birth", id.DateOfBirth, val, x+70, 370, FormatDate(DriverLicense, id.DateOfBirth), black)
	c.text(lbl, x, 410, "4b EXP", red)
	r.set("date_of_expiry", id.DateOfExpiry, val, x+70, 415, FormatDate(DriverLicense, id.DateOfExpiry), black)
	c.text(lbl, x, 455, "4a ISS", red)
	r.set("date_of_issue", id.DateOfIssue, val, x+70, 460, FormatDate(DriverLicense, id.DateOfIssue), black)
	c.text(lbl, 720, 365, "15 SEX", red)
	r.set("sex", id.Sex, val, 800, 370, id.Sex, black)
	c.text(lbl, 720, 410, "9 CLASS", red)
	c.text(val, 820, 415, "C", black)
	c.text(lbl, 720, 455, "18 EYES", red)
	c.text(val, 820, 460, []string{"BRO", "BLU", "GRN", "HAZ"}[c.rng.Intn(4)], black)
	c.text(r.sans(38), 60, 560, signature(id), darkBlue)
}

func (r *renderer) dlBack() {
	c := r.c
	W, H := c.img.Rect.Dx(), c.img.Rect.Dy()
	r.background(color.RGBA{240, 240, 236, 255}, color.RGBA{190, 190, 170, 255})
	c.text(r.sans(18), 50, 60, "This license is the property of the issuing state. If found, return to any", labelGrey)
	c.text(r.sans(18), 50, 88, "office of the department of motor vehicles.", labelGrey)
	zone := image.Rect(60, 200, W-60, H-60)
	c.fill(zone, white)
	if r.opt.Barcode != nil {
		b := r.opt.Barcode.Bounds()
		// Keep the barcode's aspect ratio inside the zone.
		s := math.Min(float64(zone.Dx()-20)/float64(b.Dx()), float64(zone.Dy()-20)/float64(b.Dy()))
		w, h := int(float64(b.Dx())*s), int(float64(b.Dy())*s)
		dst := image.Rect(zone.Min.X+(zone.Dx()-w)/2, zone.Min.Y+(zone.Dy()-h)/2, 0, 0)
		dst.Max = dst.Min.Add(image.Pt(w, h))
		pasteNearest(c.img, dst, r.opt.Barcode)
		c.zones["barcode"] = dst
	} else {
		// A PDF417-like stand-in: start/stop patterns and random rows of
		// bars. It is not decodable.
		inner := zone.Inset(20)
		rows, cols := 18, 150
		cw, rh := inner.Dx()/cols, inner.Dy()/rows
		for y := 0; y < rows; y++ {
			for x := 0; x < cols; x++ {
				on := c.rng.Intn(2) == 0
				if x < 8 {
					on = x%2 == 0
				}
				if on {
					c.fill(image.Rect(inner.Min.X+x*cw, inner.Min.Y+y*rh, inner.Min.X+(x+1)*cw, inner.Min.Y+(y+1)*rh), black)
				}
			}
		}
		c.zones["barcode"] = inner
	}
}

// pasteNearest scales src into dst with nearest-neighbour sampling so that
// barcode modules stay sharp.
func pasteNearest(dst *image.RGBA, r image.Rectangle, src image.Image) {
	b := src.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		sy := b.Min.Y + (y-r.Min.Y)*b.Dy()/r.Dy()
		for x := r.Min.X; x < r.Max.X; x++ {
			sx := b.Min.X + (x-r.Min.X)*b.Dx()/r.Dx()
			dst.Set(x, y, src.At(sx, sy))
		}
	}
}

// --- refused kinds ---

func (r *renderer) household() {
	c, id := r.c, r.id
	W, H := c.img.Rect.Dx(), c.img.Rect.Dy()
	c.fill(c.img.Rect, color.RGBA{246, 240, 226, 255})
	c.guilloche(c.img.Rect, color.RGBA{225, 200, 170, 255}, 30, 0.25)
	t := c.spaced(r.cjkBold(40), W/2-150, 80, 75, "居民户口簿", color.RGBA{120, 60, 40, 255})
	t = t.Union(c.spaced(r.cjkBold(60), W/2-260, 170, 75, "常住人口登记卡", black))
	c.zones["title"] = t
	grid := image.Rect(90, 220, W-90, H-110)
	c.strokeRect(grid, 3, black)
	rows := 9
	rh := grid.Dy() / rows
	for i := 1; i < rows; i++ {
		c.fill(image.Rect(grid.Min.X, grid.Min.Y+i*rh, grid.Max.X, grid.Min.Y+i*rh+2), black)
	}
	cols := []int{grid.Min.X, grid.Min.X + 260, grid.Min.X + 800, grid.Min.X + 1060, grid.Max.X}
	for _, x := range cols[1:4] {
		c.fill(image.Rect(x, grid.Min.Y, x+2, grid.Min.Y+7*rh), black)
	}
	lbl, val := r.cjk(32), r.cjk(38)
	cell := func(row, col int, s string) (int, int) {
		x := cols[col] + 20
		y := grid.Min.Y + row*rh + rh/2 + 14
		if s != "" {
			c.text(lbl, x, y, s, black)
		}
		return x, y
	}
	x, y := cell(0, 0, "姓名")
	r.set("native_name", id.NativeName, val, x+260, y, id.NativeName, black)
	cell(0, 2, "户主或与户主关系")
	x, y = cell(0, 3, "")
	c.text(val, x, y, "户主", black)
	cell(1, 0, "曾用名")
	cell(1, 2, "性别")
	x, y = cell(1, 3, "")
	r.set("sex", id.Sex, val, x, y, sexWord(HouseholdRegister, id.Sex), black)
	cell(2, 0, "出生地")
	x, y = cell(2, 1, "")
	c.text(val, x, y, strings.SplitN(id.Address, "区", 2)[0]+"区", black)
	cell(2, 2, "民族")
	x, y = cell(2, 3, "")
	r.set("ethnicity", id.Ethnicity, val, x, y, id.Ethnicity, black)
	cell(3, 0, "出生日期")
	x, y = cell(3, 1, "")
	if yy, mm, dd, ok := dateParts(id.DateOfBirth); ok {
		r.set("date_of_birth", id.DateOfBirth, val, x, y, fmt.Sprintf("%d年%02d月%02d日", yy, mm, dd), black)
	}
	cell(4, 0, "公民身份号码")
	x, y = cell(4, 1, "")
	r.set("document_number", id.DocumentNumber, val, x, y, id.DocumentNumber, black)
	cell(5, 0, "住址")
	x, y = cell(5, 1, "")
	r.set("address", id.Address, val, x, y, id.Address, black)
	cell(6, 0, "宗教信仰")
	cell(7, 0, "承办人签章")
	cell(8, 0, "登记日期")
	x, y = cell(8, 1, "")
	c.text(val, x+260, y, FormatDate(HouseholdRegister, id.DateOfIssue), black)
	r.seal(float64(W-330), float64(grid.Min.Y+7*rh), 120, "户口专用章")
}

// seal draws a red official stamp (ring, star, text arc).
func (r *renderer) seal(cx, cy, radius float64, text string) {
	c := r.c
	sealRed := color.RGBA{220, 40, 40, 255}
	for t := 0.0; t < 2*math.Pi; t += 0.5 / radius {
		for w := -3.0; w <= 3; w++ {
			c.splat(cx+(radius+w)*math.Cos(t), cy+(radius+w)*math.Sin(t), sealRed, 0.6)
		}
	}
	c.star(cx, cy, radius*0.3, sealRed)
	c.text(r.cjk(radius*0.22), int(cx-radius*0.55), int(cy+radius*0.65), text, sealRed)
}

func (r *renderer) student() {
	c, id := r.c, r.id
	W := c.img.Rect.Dx()
	r.background(color.RGBA{240, 244, 250, 255}, color.RGBA{170, 180, 220, 255})
	c.fill(image.Rect(0, 0, W, 120), color.RGBA{25, 55, 130, 255})
	c.text(r.cjkBold(34), 40, 52, "北方理工大学", white)
	c.text(r.sans(18), 40, 90, "NORTHERN INSTITUTE OF TECHNOLOGY", white)
	c.zones["title"] = c.spaced(r.cjkBold(56), W-330, 84, 90, "学生证", white)
	r.portraitBox(image.Rect(40, 160, 290, 493))
	lbl, val := r.cjk(26), r.cjk(30)
	x := 330
	c.text(lbl, x, 190, "姓名", labelGrey)
	r.set("native_name", id.NativeName, val, x+120, 192, id.NativeName, black)
	c.text(lbl, x, 250, "性别", labelGrey)
	r.set("sex", id.Sex, val, x+120, 252, sexWord(StudentCard, id.Sex), black)
	c.text(lbl, x, 310, "学号", labelGrey)
	r.set("document_number", id.DocumentNumber, val, x+120, 312, id.DocumentNumber, black)
	c.text(lbl, x, 370, "学院", labelGrey)
	c.text(val, x+120, 372, []string{"计算机学院", "机械工程学院", "外国语学院", "经济管理学院"}[c.rng.Intn(4)], black)
	c.text(lbl, x, 430, "入学时间", labelGrey)
	c.text(val, x+120, 432, fmt.Sprintf("%s年9月", id.DocumentNumber[:4]), black)
	r.seal(float64(W-150), 500, 90, "学生处")
}

func (r *renderer) social() {
	c, id := r.c, r.id
	W := c.img.Rect.Dx()
	c.vgradient(c.img.Rect, color.RGBA{250, 250, 252, 255}, color.RGBA{200, 220, 240, 255})
	c.guilloche(c.img.Rect, color.RGBA{150, 180, 220, 255}, 26, 0.3)
	c.ellipse(80, 75, 40, 40, color.RGBA{200, 30, 35, 255})
	c.star(80, 75, 22, color.RGBA{250, 210, 60, 255})
	t := c.text(r.cjkBold(30), 140, 65, "中华人民共和国", darkBlue)
	t = t.Union(c.spaced(r.cjkBold(52), 140, 135, 64, "社会保障卡", red))
	t = t.Union(c.text(r.sans(18), 470, 65, "SOCIAL SECURITY CARD", darkBlue))
	c.zones["title"] = t
	chip := image.Rect(70, 200, 200, 300)
	c.fill(chip, color.RGBA{212, 175, 90, 255})
	c.strokeRect(chip, 2, color.RGBA{150, 120, 50, 255})
	c.zones["chip"] = chip
	r.portraitBox(image.Rect(W-270, 170, W-50, 460))
	lbl, val := r.cjk(24), r.cjk(28)
	c.text(lbl, 70, 380, "姓    名", black)
	r.set("native_name", id.NativeName, val, 250, 382, id.NativeName, black)
	c.text(lbl, 70, 440, "社会保障号码", black)
	r.set("document_number", id.DocumentNumber, val, 250, 442, id.DocumentNumber, black)
	c.text(lbl, 70, 500, "社会保障卡号", black)
	c.text(val, 250, 502, fmt.Sprintf("%c%08d", 'A'+rune(c.rng.Intn(26)), c.rng.Intn(100000000)), black)
	c.text(lbl, 70, 560, "发卡日期", black)
	r.set("date_of_issue", id.DateOfIssue, val, 250, 562, FormatDate(SocialSecurityCard, id.DateOfIssue), black)
}

func (r *renderer) bank() {
	c, id := r.c, r.id
	W, H := c.img.Rect.Dx(), c.img.Rect.Dy()
	palettes := [][2]color.RGBA{{{20, 40, 90, 255}, {60, 120, 180, 255}}, {{120, 20, 30, 255}, {210, 80, 60, 255}},
		{{20, 20, 24, 255}, {80, 80, 90, 255}}, {{10, 90, 70, 255}, {60, 170, 130, 255}}}
	p := palettes[c.rng.Intn(len(palettes))]
	c.hgradient(c.img.Rect, p[0], p[1])
	c.guilloche(c.img.Rect, color.RGBA{255, 255, 255, 255}, 20, 0.08)
	c.zones["title"] = c.text(r.cjkBold(40), 60, 90, "星河银行", white).Union(c.text(r.sansBold(26), 260, 88, "GALAXY BANK", white))
	chip := image.Rect(110, 200, 240, 300)
	c.fill(chip, color.RGBA{212, 175, 90, 255})
	c.strokeRect(chip, 2, color.RGBA{150, 120, 50, 255})
	c.fill(image.Rect(chip.Min.X, 248, chip.Max.X, 251), color.RGBA{150, 120, 50, 255})
	c.zones["chip"] = chip
	num := id.DocumentNumber
	var grouped strings.Builder
	for i, ch := range num {
		if i > 0 && i%4 == 0 {
			grouped.WriteByte(' ')
		}
		grouped.WriteRune(ch)
	}
	f := r.c.fc.face(r.fs.ocrb, 62)
	c.spaced(f, 82, 412, 44, grouped.String(), color.RGBA{30, 30, 30, 160})
	r.doc.Fields["document_number"] = num
	c.zones["document_number"] = c.spaced(f, 80, 410, 44, grouped.String(), color.RGBA{235, 235, 225, 255})
	c.text(r.sans(16), 420, 462, "VALID", white)
	c.text(r.sans(16), 420, 482, "THRU", white)
	r.set("date_of_expiry", id.DateOfExpiry, r.c.fc.face(r.fs.ocrb, 34), 500, 480, FormatDate(BankCard, id.DateOfExpiry), white)
	name := strings.ToUpper(fullLatinName(id))
	r.doc.Fields["surname"] = id.Surname
	r.doc.Fields["given_names"] = id.GivenNames
	zone := c.text(r.c.fc.face(r.fs.ocrb, 36), 80, 560, name, white)
	c.zones["surname"], c.zones["given_names"] = zone, zone
	c.ellipse(float64(W-170), float64(H-100), 50, 50, color.RGBA{230, 30, 40, 230})
	c.ellipse(float64(W-110), float64(H-100), 50, 50, color.RGBA{250, 160, 20, 200})
	c.text(r.sansBold(22), W-200, H-30, "UnionPay", white)
}
