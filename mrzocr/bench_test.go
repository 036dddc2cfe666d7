package mrzocr

import (
	"image"
	"path/filepath"
	"testing"
)

// BenchmarkRead reads one specimen passport (TD3, 1334×880 photo of the data
// page) end to end; the target is ≤ 0.3 s per image on one core.
func BenchmarkRead(b *testing.B) {
	td := testdataDir(b)
	var imgs []image.Image
	for _, f := range []string{"passporteye/tests_data/passport-td3.jpg", "passporteye/testdata/100_pass-bdr.jpg", "arg0s1080/id_cards__Latvia.png", "fastmrz/td1.jpg"} {
		img, err := loadImage(filepath.Join(td, "mrz", f))
		if err != nil {
			b.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	if _, err := Read(imgs[0]); err != nil { // load templates and classifier outside the timing
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Read(imgs[i%len(imgs)])
		if err != nil || res.Document == nil || !res.Document.Valid {
			b.Fatalf("read failed: %v", err)
		}
	}
}
