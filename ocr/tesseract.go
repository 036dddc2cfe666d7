//go:build cgo

package ocr

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"strconv"
	"sync"

	"github.com/otiai10/gosseract/v2"
)

// Tesseract is an Engine backed by libtesseract through gosseract. A
// gosseract client is not safe for concurrent use and loading a language
// model costs tens to hundreds of milliseconds, so clients are kept in a pool
// per language and reused.
type Tesseract struct {
	mu    sync.Mutex
	pools map[string]chan *gosseract.Client
	size  int
	// sem bounds the number of recognitions running at once across all
	// languages (each pins a CPU).
	sem chan struct{}
}

// NewTesseract returns a pooled Tesseract engine running at most
// concurrency recognitions at once (values < 1 mean 1). It checks that the
// English model loads, so a missing installation is reported here rather
// than on the first document.
func NewTesseract(concurrency int) (*Tesseract, error) {
	if concurrency < 1 {
		concurrency = 1
	}
	t := &Tesseract{pools: map[string]chan *gosseract.Client{}, size: concurrency, sem: make(chan struct{}, concurrency)}
	probe := image.NewGray(image.Rect(0, 0, 32, 32))
	draw.Draw(probe, probe.Bounds(), image.White, image.Point{}, draw.Src)
	if _, err := t.Recognize(context.Background(), probe, Options{Lang: LangEnglish, PSM: PSMSingleWord}); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return t, nil
}

var (
	defaultOnce   sync.Once
	defaultEngine *Tesseract
	defaultErr    error
)

// Default returns a process-wide Tesseract engine with one recognition at a
// time per CPU the caller is expected to use (2), built on first use.
func Default() (Engine, error) {
	defaultOnce.Do(func() { defaultEngine, defaultErr = NewTesseract(2) })
	if defaultErr != nil {
		return nil, defaultErr
	}
	return defaultEngine, nil
}

func (t *Tesseract) pool(lang string) chan *gosseract.Client {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.pools[lang]
	if !ok {
		p = make(chan *gosseract.Client, t.size)
		t.pools[lang] = p
	}
	return p
}

func (t *Tesseract) get(lang string) *gosseract.Client {
	select {
	case c := <-t.pool(lang):
		return c
	default:
	}
	c := gosseract.NewClient()
	c.Trim = true
	_ = c.SetLanguage(lang)
	_ = c.DisableOutput()
	// Inputs are crops without a resolution; a fixed DPI silences
	// Tesseract's "Invalid resolution" fallback and keeps its size
	// heuristics stable.
	_ = c.SetVariable("user_defined_dpi", "300")
	return c
}

func (t *Tesseract) put(lang string, c *gosseract.Client) {
	select {
	case t.pool(lang) <- c:
	default:
		_ = c.Close()
	}
}

// Close frees every pooled client. The engine must not be used afterwards.
func (t *Tesseract) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, p := range t.pools {
		for len(p) > 0 {
			_ = (<-p).Close()
		}
	}
	return nil
}

// Recognize runs Tesseract on img. The image is converted to 8-bit grey and
// handed over as PGM, which leptonica reads without decompression.
func (t *Tesseract) Recognize(ctx context.Context, img image.Image, opt Options) (Text, error) {
	if img == nil || img.Bounds().Empty() {
		return Text{}, fmt.Errorf("ocr: empty image")
	}
	lang := opt.Lang
	if lang == "" {
		lang = LangEnglish
	}
	psm := opt.PSM
	if psm == 0 {
		psm = PSMSingleBlock
	}
	select {
	case t.sem <- struct{}{}:
	case <-ctx.Done():
		return Text{}, ctx.Err()
	}
	defer func() { <-t.sem }()

	c := t.get(lang)
	ok := false
	defer func() {
		if ok {
			t.put(lang, c)
		} else {
			_ = c.Close()
		}
	}()
	_ = c.SetPageSegMode(gosseract.PageSegMode(psm))
	_ = c.SetVariable("tessedit_pageseg_mode", strconv.Itoa(psm))
	_ = c.SetWhitelist(opt.Whitelist)
	b := img.Bounds()
	if err := c.SetImageFromBytes(encodePGM(img)); err != nil {
		return Text{}, fmt.Errorf("ocr: set image: %w", err)
	}
	boxes, err := c.GetBoundingBoxesVerbose()
	if err != nil {
		return Text{}, fmt.Errorf("ocr: recognise (%s): %w", lang, err)
	}
	ok = true
	words := make([]Word, 0, len(boxes))
	for _, bx := range boxes {
		words = append(words, Word{
			Text:       bx.Word,
			Box:        bx.Box.Add(b.Min),
			Confidence: bx.Confidence,
			Line:       bx.BlockNum*10000 + bx.ParNum*100 + bx.LineNum,
		})
	}
	return Assemble(words), nil
}

// encodePGM writes img as a binary PGM (P5).
func encodePGM(img image.Image) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	hdr := fmt.Sprintf("P5\n%d %d\n255\n", w, h)
	out := make([]byte, len(hdr)+w*h)
	copy(out, hdr)
	px := out[len(hdr):]
	if g, ok := img.(*image.Gray); ok {
		for y := 0; y < h; y++ {
			copy(px[y*w:(y+1)*w], g.Pix[(y+b.Min.Y-g.Rect.Min.Y)*g.Stride+(b.Min.X-g.Rect.Min.X):])
		}
		return out
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			px[y*w+x] = uint8((19595*r + 38470*g + 7471*bb + 1<<15) >> 24)
		}
	}
	return out
}
