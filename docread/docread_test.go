package docread

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/docclass"
	"github.com/kycgate/kycgate/synth"
)

func reader(t testing.TB) *Reader {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Skipf("reader unavailable: %v", err)
	}
	return r
}

func jpegOf(t testing.TB, img image.Image) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// photo renders kind for id and photographs it with a clean camera.
func photo(t testing.TB, kind synth.Kind, id synth.Identity, seed int64) image.Image {
	t.Helper()
	doc, err := synth.Render(kind, id, synth.Options{})
	if err != nil {
		t.Skipf("synth: %v", err)
	}
	rng := rand.New(rand.NewSource(seed))
	cam := synth.Camera{Width: 1600, Height: 1200, Scale: 0.8, Rotation: 2, TiltX: 4, Noise: 1.5, JPEGQuality: 90}
	img, _, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func declaredFrom(id synth.Identity, docType string) *kycgate.PersonalData {
	return &kycgate.PersonalData{Surname: id.Surname, GivenNames: id.GivenNames, NativeName: id.NativeName,
		DateOfBirth: id.DateOfBirth, Sex: id.Sex, Nationality: id.Nationality, DocumentType: docType,
		DocumentNumber: id.DocumentNumber, IssuingCountry: id.IssuingCountry}
}

func codes(fs []kycgate.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Code))
	}
	return out
}

func find(fs []kycgate.Finding, code kycgate.ReasonCode) *kycgate.Finding {
	for i := range fs {
		if fs[i].Code == code {
			return &fs[i]
		}
	}
	return nil
}

var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// The check on a passport photo: a clean match passes; a declared surname
// one letter off and a wrong birth date give DATA_MISMATCH naming exactly
// those fields with the document's values; an expired passport gives
// DOCUMENT_EXPIRED.
func TestCheckPassport(t *testing.T) {
	r := reader(t)
	rng := rand.New(rand.NewSource(11))
	id := synth.RandomIdentity(rng, synth.Passport)
	img := photo(t, synth.Passport, id, 1)
	check := &Check{Reader: r}
	run := func(decl *kycgate.PersonalData, data []byte) ([]kycgate.Finding, *kycgate.Evidence) {
		ev := &kycgate.Evidence{Declared: decl, Now: now, Files: []kycgate.EvidenceFile{
			{File: kycgate.File{Kind: kycgate.FileDocumentFront}, Data: data}}}
		fs, err := check.Run(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return fs, ev
	}
	data := jpegOf(t, img)
	fs, ev := run(declaredFrom(id, kycgate.DocPassport), data)
	if len(fs) != 0 {
		t.Fatalf("matching declaration: findings %+v", fs)
	}
	if ev.Document == nil || ev.Document.Type != kycgate.DocPassport || len(ev.Document.MRZ) != 2 || len(ev.Document.Portrait) == 0 {
		t.Fatalf("reading %+v", ev.Document)
	}

	decl := declaredFrom(id, kycgate.DocPassport)
	decl.Surname = id.Surname + "E"
	decl.DateOfBirth = "1901-01-01"
	fs, _ = run(decl, data)
	m := find(fs, kycgate.DataMismatch)
	if m == nil || len(m.Fields) != 2 || m.Fields[0] != "surname" || m.Fields[1] != "date_of_birth" ||
		m.DocumentValues["date_of_birth"] != id.DateOfBirth || m.Review {
		t.Errorf("mismatch finding %+v (all %v)", m, codes(fs))
	}

	decl = declaredFrom(id, kycgate.DocIDCard)
	fs, _ = run(decl, data)
	if f := find(fs, kycgate.DocumentTypeNotAccepted); f == nil || f.Detail != "passport" {
		t.Errorf("declared type: %v", fs)
	}

	old := id
	old.DateOfIssue, old.DateOfExpiry = "2010-01-01", "2020-01-01"
	fs, _ = run(declaredFrom(old, kycgate.DocPassport), jpegOf(t, photo(t, synth.Passport, old, 2)))
	if f := find(fs, kycgate.DocumentExpired); f == nil || f.DocumentValues["date_of_expiry"] != "2020-01-01" {
		t.Errorf("expired: %+v", fs)
	}

	fs, _ = run(nil, []byte("not an image"))
	if len(fs) != 1 || fs[0].Code != kycgate.ImageInvalid {
		t.Errorf("corrupt file: %+v", fs)
	}
}

// A Chinese ID front with the declared native name and number: a clean
// match; a declared number one digit off is a DATA_MISMATCH on
// document_number with the card's number.
func TestReadDeclaredChineseID(t *testing.T) {
	r := reader(t)
	rng := rand.New(rand.NewSource(21))
	id := synth.RandomIdentity(rng, synth.CNIDFront)
	img := photo(t, synth.CNIDFront, id, 3)
	decl := declaredFrom(id, kycgate.DocIDCard)
	reading, fs, err := r.ReadDeclared(context.Background(), []image.Image{img}, decl, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 || reading.Type != kycgate.DocIDCard || reading.Fields["native_name"] != id.NativeName {
		t.Fatalf("findings %v, reading %+v", fs, reading.Fields)
	}
	wrong := []byte(id.DocumentNumber)
	wrong[10] = '0' + (wrong[10]-'0'+1)%10
	decl.DocumentNumber = string(wrong)
	_, fs, err = r.ReadDeclared(context.Background(), []image.Image{img}, decl, now)
	if err != nil {
		t.Fatal(err)
	}
	if m := find(fs, kycgate.DataMismatch); m == nil || len(m.Fields) != 1 || m.DocumentValues["document_number"] != id.DocumentNumber {
		t.Errorf("number mismatch: %+v", fs)
	}
}

// Refused kinds are named in the finding; a blank image is unreadable.
func TestReadRefusedAndBlank(t *testing.T) {
	r := reader(t)
	rng := rand.New(rand.NewSource(31))
	id := synth.RandomIdentity(rng, synth.HouseholdRegister)
	_, fs, err := r.Read(context.Background(), photo(t, synth.HouseholdRegister, id, 4), kycgate.DocIDCard)
	if err != nil {
		t.Fatal(err)
	}
	if f := find(fs, kycgate.DocumentTypeNotAccepted); f == nil || f.Step != kycgate.StepIDDocument || f.Detail != "household_register" {
		t.Errorf("household register: %+v", fs)
	}
	blank := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range blank.Pix {
		blank.Pix[i] = 200
	}
	reading, fs, err := r.Read(context.Background(), blank, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Code != kycgate.DocumentUnreadable || reading.Type != string(docclass.Other) {
		t.Errorf("blank: %+v %+v", fs, reading)
	}
}

// combine: front printed fields disagreeing with the back's MRZ go to
// manual review; an MRZ check digit failure is DOCUMENT_NUMBER_INVALID.
func TestCombine(t *testing.T) {
	front := &face{Class: docclass.Result{Kind: docclass.IDCard, Score: 3},
		Fields: map[string]string{"surname": "DUBOIS", "date_of_birth": "1969-03-05", "document_number": "WMWK7854F"},
		Source: map[string]string{"surname": "printed", "date_of_birth": "printed", "document_number": "printed"}}
	back := &face{Class: docclass.Result{Kind: docclass.IDCard, Score: 8},
		Fields: map[string]string{"surname": "DUBOIS", "date_of_birth": "1969-03-06", "document_number": "WMWK7854F"},
		Source: map[string]string{"surname": "mrz", "date_of_birth": "mrz", "document_number": "mrz"},
		MRZ:    []string{"I<UTO...", "...", "DUBOIS<<MARC<<<"}, Invalid: []string{"date_of_birth"}}
	res := combine([]*face{front, back}, kycgate.DocIDCard)
	if res.reading.Fields["date_of_birth"] != "1969-03-06" {
		t.Errorf("MRZ must win over printed: %v", res.reading.Fields)
	}
	inc := find(res.findings, kycgate.DataMismatch)
	if inc == nil || !inc.Review || len(inc.Fields) != 1 || inc.Fields[0] != "date_of_birth" {
		t.Errorf("inconsistency: %+v", res.findings)
	}
	if inv := find(res.findings, kycgate.DocumentNumberInvalid); inv == nil || inv.Fields[0] != "date_of_birth" {
		t.Errorf("invalid: %+v", res.findings)
	}
	// An unrecognised second side does not refuse an accepted document.
	res = combine([]*face{back, {Class: docclass.Result{Kind: docclass.Other}}}, "")
	if find(res.findings, kycgate.DocumentTypeNotAccepted) != nil {
		t.Errorf("blank back refused the card: %+v", res.findings)
	}
}

func TestMRZTruncation(t *testing.T) {
	full := "P<UTOERIKSSON<<ANNA<MARIA<ELISABETH<CHRISTINA"
	if tr := mrzTruncation([]string{full, "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}); !tr["given_names"] || tr["surname"] {
		t.Errorf("full TD3 name field: %v", tr)
	}
	if tr := mrzTruncation([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", ""}); tr != nil {
		t.Errorf("short name: %v", tr)
	}
}

func ExampleRead() {
	img := image.NewRGBA(image.Rect(0, 0, 640, 400))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.Set(0, 0, color.Black)
	reading, findings, err := Read(context.Background(), img, kycgate.DocPassport)
	if err != nil {
		return // no OCR engine on this machine
	}
	fmt.Println(reading.Type, findings[0].Code)
	// Output: other DOCUMENT_UNREADABLE
}

// A printed number that differs from the MRZ only by an O/0 confusion is an
// OCR error, not an inconsistent document.
func TestCombineLookalikes(t *testing.T) {
	front := &face{Class: docclass.Result{Kind: docclass.IDCard, Score: 3},
		Fields: map[string]string{"document_number": "KTOP9B630"}, Source: map[string]string{"document_number": "printed"}}
	back := &face{Class: docclass.Result{Kind: docclass.IDCard, Score: 8},
		Fields: map[string]string{"document_number": "KT0P9B630"}, Source: map[string]string{"document_number": "mrz"}}
	if res := combine([]*face{front, back}, ""); find(res.findings, kycgate.DataMismatch) != nil {
		t.Errorf("look-alike flagged: %+v", res.findings)
	}
	front.Fields["document_number"] = "KT0P9B631"
	if res := combine([]*face{front, back}, ""); find(res.findings, kycgate.DataMismatch) == nil {
		t.Errorf("different number not flagged")
	}
}

// When the locator returns a quadrilateral that misses the document (here
// the photo's top-left quarter), the MRZ found anywhere in the photo still
// gives the page: the passport is read and its corners land near the true
// ones.
func TestRescueFromMRZ(t *testing.T) {
	base := reader(t)
	rng := rand.New(rand.NewSource(41))
	for _, c := range []struct {
		kind synth.Kind
		back bool
		want docclass.Kind
	}{{synth.Passport, false, docclass.Passport}, {synth.IDCard, true, docclass.IDCard}} {
		id := synth.RandomIdentity(rng, c.kind)
		doc, err := synth.Render(c.kind, id, synth.Options{Back: c.back})
		if err != nil {
			t.Skipf("synth: %v", err)
		}
		img, corners, err := synth.Photograph(doc.Image, synth.Camera{Width: 1600, Height: 1200, Scale: 0.75, Rotation: 5, TiltX: 10, TiltY: -8, Noise: 1.5, JPEGQuality: 90}, rng)
		if err != nil {
			t.Fatal(err)
		}
		r := *base
		r.Locate = func(image.Image) ([4][2]float64, bool, error) {
			return [4][2]float64{{0, 0}, {800, 0}, {800, 600}, {0, 600}}, true, nil
		}
		f, err := r.readFace(context.Background(), img)
		if err != nil {
			t.Fatal(err)
		}
		if f.Class.Kind != c.want || f.Fields["document_number"] != id.DocumentNumber {
			t.Errorf("%s: read %s %v", c.kind, f.Class.Kind, f.Fields)
		}
		diag := math.Hypot(corners[2][0]-corners[0][0], corners[2][1]-corners[0][1])
		for i, p := range f.Corners {
			if d := math.Hypot(p[0]-corners[i][0], p[1]-corners[i][1]); d > 0.03*diag {
				t.Errorf("%s corner %d at %.0f,%.0f, true %.0f,%.0f", c.kind, i, p[0], p[1], corners[i][0], corners[i][1])
			}
		}
	}
}

// A passport page whose printed birth date differs from its MRZ: the
// document's two readings disagree, so it goes to manual review naming the
// field with the MRZ's value, while the declared data (matching the MRZ,
// which check digits verify) is not a mismatch. The genuine page raises
// nothing.
func TestPassportVisualZoneCrossCheck(t *testing.T) {
	r := reader(t)
	id := synth.RandomIdentity(rand.New(rand.NewSource(51)), synth.Passport)
	genuine, err := synth.Render(synth.Passport, id, synth.Options{})
	if err != nil {
		t.Skipf("synth: %v", err)
	}
	printed := id
	printed.DateOfBirth = "1971-02-03"
	if printed.DateOfBirth == id.DateOfBirth {
		printed.DateOfBirth = "1972-02-03"
	}
	other, err := synth.Render(synth.Passport, printed, synth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The forged page: the other rendering above the MRZ, the genuine MRZ.
	forged := image.NewRGBA(genuine.Image.Bounds())
	mrzTop := genuine.Zones["mrz"].Min.Y - 20
	draw.Draw(forged, forged.Bounds(), genuine.Image, image.Point{}, draw.Src)
	draw.Draw(forged, image.Rect(0, 0, forged.Bounds().Dx(), mrzTop), other.Image, image.Point{}, draw.Src)

	for _, c := range []struct {
		name   string
		page   image.Image
		review []string
	}{{"genuine", genuine.Image, nil}, {"forged", forged, []string{"date_of_birth"}}} {
		rng := rand.New(rand.NewSource(5))
		img, _, err := synth.Photograph(c.page, synth.Camera{Width: 1600, Height: 1200, Scale: 0.8, Rotation: -3, TiltY: 6, Noise: 1.5, JPEGQuality: 90}, rng)
		if err != nil {
			t.Fatal(err)
		}
		_, fs, err := r.ReadDeclared(context.Background(), []image.Image{img}, declaredFrom(id, kycgate.DocPassport), now)
		if err != nil {
			t.Fatal(err)
		}
		m := find(fs, kycgate.DataMismatch)
		switch {
		case c.review == nil && m != nil:
			t.Errorf("%s: %+v", c.name, fs)
		case c.review != nil && (m == nil || !m.Review || fmt.Sprint(m.Fields) != fmt.Sprint(c.review) ||
			m.DocumentValues["date_of_birth"] != id.DateOfBirth || len(fs) != 1):
			t.Errorf("%s: want one review finding on %v with the MRZ's date, got %+v", c.name, c.review, fs)
		}
	}
}
