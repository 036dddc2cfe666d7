package mrzocr

import (
	"context"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycgate/kycgate/mrz"
	"github.com/kycgate/kycgate/ocr"
)

// TestCompareTesseract reads the specimen MRZs with Tesseract (eng, MRZ
// whitelist) on the band this package located (with a margin), followed by
// mrz.ParseAndCorrect, and logs the exact-read count next to ours. It is a
// measurement, not a guard: run with MRZ_TESSERACT=1 (needs cgo and
// tesseract-ocr).
func TestCompareTesseract(t *testing.T) {
	if os.Getenv("MRZ_TESSERACT") == "" {
		t.Skip("set MRZ_TESSERACT=1 to compare with Tesseract")
	}
	eng, err := ocr.Default()
	if err != nil {
		t.Skipf("tesseract unavailable: %v", err)
	}
	td := testdataDir(t)
	b, err := os.ReadFile(filepath.Join(td, "mrz", "mrz_image_ground_truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gt groundTruth
	if err := json.Unmarshal(b, &gt); err != nil {
		t.Fatal(err)
	}
	var ours, tess, tessLines, lines, n int
	for _, it := range gt.Items {
		if !it.HasMRZ {
			continue
		}
		n++
		img, err := loadImage(filepath.Join(td, it.File))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(img)
		if err != nil {
			t.Fatal(err)
		}
		if equalLines(it.Lines, res.Lines) {
			ours++
		}
		lines += len(it.Lines)
		if !res.Found {
			continue
		}
		crop := res.Box.Inset(-res.Box.Dy() / 4).Intersect(img.Bounds())
		sub := img.(interface {
			SubImage(r image.Rectangle) image.Image
		}).SubImage(crop)
		txt, err := eng.Recognize(context.Background(), sub, ocr.Options{Lang: "eng", PSM: 6, Whitelist: Alphabet})
		if err != nil {
			t.Fatal(err)
		}
		var cand []string
		for _, l := range txt.Lines() {
			l = strings.ReplaceAll(l, " ", "")
			if len(l) >= 20 {
				cand = append(cand, l)
			}
		}
		if len(cand) > len(it.Lines) {
			cand = cand[len(cand)-len(it.Lines):]
		}
		got := cand
		if d, err := mrz.ParseAndCorrect(cand); err == nil {
			got = d.Lines
		}
		if equalLines(it.Lines, got) {
			tess++
		}
		for i := range it.Lines {
			if i < len(got) && got[i] == it.Lines[i] {
				tessLines++
			}
		}
	}
	t.Logf("specimens with an MRZ: %d; mrzocr exact %d; Tesseract (eng, whitelist, on the mrzocr band) + mrz.ParseAndCorrect exact %d, lines %d/%d", n, ours, tess, tessLines, lines)
}
