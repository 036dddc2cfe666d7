package address

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// renderText draws text in black DejaVu Sans on white, as a phone scan of
// a printed bill would look after binarisation.
func renderText(t *testing.T, text string) []byte {
	raw, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Skipf("DejaVu font absent (fonts-dejavu-core): %v", err)
	}
	f, err := opentype.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 28, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(text, "\n")
	img := image.NewGray(image.Rect(0, 0, 1400, 60+len(lines)*40))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(40, 60+i*40)
		d.DrawString(l)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCheckEndToEnd runs the kycgate.Check on files as uploaded: a
// photographed (rendered) utility bill read through Tesseract, and a real
// PDF bill read through pdftotext.
func TestCheckEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR is slow")
	}
	c := &Check{Extractor: Extractor{OCR: testEngine(t), Lang: "eng"}}
	holder := &kycgate.PersonalData{Surname: "SMITH", GivenNames: "JOHN ALBERT"}
	bill := renderText(t, synthDoc("utility", "en", day("2026-10-12"), "MR JOHN ALBERT SMITH", 0))
	ev := func(data []byte, now string) *kycgate.Evidence {
		return &kycgate.Evidence{Declared: holder, Now: day(now), Metrics: map[string]float64{},
			Files: []kycgate.EvidenceFile{{File: kycgate.File{Kind: kycgate.FileProofOfAddress}, Data: data}}}
	}
	fs, err := c.Run(context.Background(), ev(bill, "2026-11-30"))
	if err != nil || len(fs) != 0 {
		t.Fatalf("fresh OCRed bill: findings %+v, err %v", fs, err)
	}
	fs, err = c.Run(context.Background(), ev(bill, "2027-02-01"))
	if err != nil || len(fs) != 1 || fs[0].Code != kycgate.AddressProofTooOld || fs[0].Detail != "issued:2026-10-12" {
		t.Fatalf("stale OCRed bill: findings %+v, err %v", fs, err)
	}

	pdf, err := os.ReadFile(filepath.Join(sharedDir(t), "proof_of_address", "invoice2data", "free_fiber.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	e := ev(pdf, "2015-08-01")
	e.Declared = &kycgate.PersonalData{Surname: "de Lattre", GivenNames: "Alexis"}
	if fs, err = c.Run(context.Background(), e); err != nil || len(fs) != 0 {
		t.Fatalf("free_fiber.pdf: findings %+v, err %v", fs, err)
	}
	e.Declared = holder
	if fs, err = c.Run(context.Background(), e); err != nil || len(fs) != 1 || fs[0].Code != kycgate.AddressProofNameMismatch {
		t.Fatalf("free_fiber.pdf for another applicant: findings %+v, err %v", fs, err)
	}

	// Garbage is unreadable, not an error of the check.
	if fs, err = c.Run(context.Background(), ev([]byte("%PDF-1.4 garbage"), "2026-11-30")); err != nil || len(fs) != 1 || fs[0].Code != kycgate.DocumentUnreadable {
		t.Fatalf("corrupt PDF: findings %+v, err %v", fs, err)
	}
}

func ExampleAnalyze() {
	text := "BRIGHTSPARK ENERGY\nYour electricity bill\nMR JOHN SMITH\nBill date: 12/10/2026\nMeter reading 23,114 kWh\nAmount due: 84.20"
	now := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	r := Analyze(text, &kycgate.PersonalData{Surname: "Smith", GivenNames: "John"}, now, Options{})
	fmt.Println(r.Kind, r.IssueDate.Format("2006-01-02"), r.NameFound)
	for _, f := range r.Findings(Options{}) {
		fmt.Println(f.Code, f.Detail)
	}
	// Output:
	// utility_bill 2026-10-12 true
	// ADDRESS_PROOF_TOO_OLD issued:2026-10-12
}
