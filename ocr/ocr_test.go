package ocr_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/kycgate/kycgate/ocr"
	"github.com/kycgate/kycgate/ocr/internal/render"
	"github.com/kycgate/kycgate/ocr/prep"
)

func engine(t testing.TB) ocr.Engine {
	t.Helper()
	e, err := ocr.Default()
	if err != nil {
		t.Skipf("Tesseract not available: %v", err)
	}
	return e
}

func TestRecognizeRenderedText(t *testing.T) {
	e := engine(t)
	cases := []struct {
		name, font, lang, want, whitelist string
		psm                               int
	}{
		{"latin line", render.LatinFont, ocr.LangEnglish, "SPECIMEN 1960-06-28", "", ocr.PSMSingleLine},
		{"digits whitelist", render.LatinFont, ocr.LangEnglish, "44030519600628149X", "0123456789X", ocr.PSMSingleLine},
		{"chinese name", render.CJKFont, ocr.LangChinese, "姓名孙晓明", "", ocr.PSMSingleLine},
		{"chinese address", render.CJKFont, ocr.LangChinese, "广东省深圳市南山区科技园路1号", "", ocr.PSMSingleLine},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			face, err := render.Face(c.font, 32)
			if err != nil {
				t.Skipf("font: %v", err)
			}
			img := render.Lines(face, 32, c.want)
			got, err := e.Recognize(context.Background(), prep.ForOCR(img, 32), ocr.Options{Lang: c.lang, PSM: c.psm, Whitelist: c.whitelist})
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.ReplaceAll(got.Text, " ", ""); s != strings.ReplaceAll(c.want, " ", "") {
				t.Errorf("read %q, want %q", got.Text, c.want)
			}
			if got.Confidence < 60 {
				t.Errorf("confidence %.1f on clean text", got.Confidence)
			}
			if len(got.Words) == 0 || got.Words[0].Box.Empty() {
				t.Errorf("no word boxes: %+v", got.Words)
			}
		})
	}
}

// Pooled clients must give the same answers under concurrent use.
func TestRecognizeConcurrent(t *testing.T) {
	e := engine(t)
	face, err := render.Face(render.LatinFont, 32)
	if err != nil {
		t.Skip(err)
	}
	img := prep.ForOCR(render.Lines(face, 32, "L898902C3"), 32)
	var wg sync.WaitGroup
	errs := make(chan string, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := e.Recognize(context.Background(), img, ocr.Options{PSM: ocr.PSMSingleLine})
			if err != nil || got.Text != "L898902C3" {
				errs <- got.Text
			}
		}()
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Errorf("concurrent read %q", s)
	}
}

func TestRecognizeRejectsEmpty(t *testing.T) {
	e := engine(t)
	if _, err := e.Recognize(context.Background(), nil, ocr.Options{}); err == nil {
		t.Error("nil image accepted")
	}
}

func TestAssemble(t *testing.T) {
	txt := ocr.Assemble([]ocr.Word{
		{Text: "AB", Confidence: 90, Line: 1},
		{Text: "C", Confidence: 60, Line: 1},
		{Text: "DEF", Confidence: 30, Line: 2},
	})
	if txt.Text != "AB C\nDEF" {
		t.Errorf("text %q", txt.Text)
	}
	if want := (90*2 + 60 + 30*3) / 6.0; txt.Confidence != want {
		t.Errorf("confidence %v, want %v", txt.Confidence, want)
	}
	if l := txt.Lines(); len(l) != 2 || l[1] != "DEF" {
		t.Errorf("lines %q", l)
	}
}

func ExampleEngine() {
	e, err := ocr.Default()
	if err != nil {
		return // no Tesseract on this machine
	}
	face, _ := render.Face(render.LatinFont, 32)
	img := render.Lines(face, 32, "HELLO 123")
	txt, _ := e.Recognize(context.Background(), prep.ForOCR(img, 32), ocr.Options{Lang: "eng", PSM: ocr.PSMSingleLine})
	_ = txt.Text // "HELLO 123"
}
