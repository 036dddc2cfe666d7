package address

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/ocr"
)

// ErrUnreadable means the file is a PDF or image but no text could be read
// from it.
var ErrUnreadable = errors.New("no text could be read from the proof of address")

// Extractor turns an uploaded PDF or image into text.
//
// PDFs: the text layer via pdftotext (poppler-utils), which is exact and
// fast; a PDF without one (a scan) is rasterised with pdftoppm at 200 dpi
// and OCRed. Images go straight to OCR. Only the first MaxPages pages are
// read: the issue date, the holder and the document's title are on page 1.
type Extractor struct {
	// OCR reads scans and photos; nil means such files are unreadable.
	OCR ocr.Engine
	// Lang is the Tesseract language (default "eng+chi_sim").
	Lang string
	// MaxPages defaults to 2.
	MaxPages int
	// Timeout bounds each external command (default 30 s).
	Timeout time.Duration
}

func (x Extractor) pages() int {
	if x.MaxPages <= 0 {
		return 2
	}
	return x.MaxPages
}

func (x Extractor) timeout() time.Duration {
	if x.Timeout <= 0 {
		return 30 * time.Second
	}
	return x.Timeout
}

// minText is the fewest non-space characters a text layer must have to be
// used; scanned PDFs often carry a few stray characters.
const minText = 40

// Text returns the text of a PDF or image file.
func (x Extractor) Text(ctx context.Context, data []byte) (string, error) {
	if isPDF(data) {
		text, err := x.pdfText(ctx, data)
		if err != nil {
			return "", err
		}
		if countNonSpace(text) >= minText {
			return text, nil
		}
		imgs, err := x.rasterise(ctx, data)
		if err != nil {
			return "", err
		}
		return x.ocrImages(ctx, imgs)
	}
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	return x.ocrImages(ctx, []image.Image{img})
}

func isPDF(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("%PDF-"))
}

func (x Extractor) pdfText(ctx context.Context, data []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, x.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, "pdftotext", "-layout", "-q", "-f", "1", "-l", fmt.Sprint(x.pages()), "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("pdftotext (poppler-utils) is not installed: %w", err)
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("pdftotext: %w", ctx.Err())
		}
		// A corrupt or encrypted PDF: the applicant must upload another.
		return "", fmt.Errorf("%w: the PDF could not be read", ErrUnreadable)
	}
	return out.String(), nil
}

func (x Extractor) rasterise(ctx context.Context, data []byte) ([]image.Image, error) {
	if x.OCR == nil {
		return nil, fmt.Errorf("%w: scanned PDF and no OCR engine", ErrUnreadable)
	}
	dir, err := os.MkdirTemp("", "kycgate-poa-")
	if err != nil {
		return nil, fmt.Errorf("rasterising PDF: %w", err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, x.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, "pdftoppm", "-q", "-r", "200", "-f", "1", "-l", fmt.Sprint(x.pages()), "-gray", "-png", "-", filepath.Join(dir, "p"))
	cmd.Stdin = bytes.NewReader(data)
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("pdftoppm (poppler-utils) is not installed: %w", err)
		}
		return nil, fmt.Errorf("%w: the PDF could not be rasterised", ErrUnreadable)
	}
	names, err := filepath.Glob(filepath.Join(dir, "p*.png"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var imgs []image.Image
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		img, _, err := imageio.DecodeBytes(b, imageio.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("rasterised page: %w", err)
		}
		imgs = append(imgs, img)
	}
	return imgs, nil
}

func (x Extractor) ocrImages(ctx context.Context, imgs []image.Image) (string, error) {
	if x.OCR == nil {
		return "", fmt.Errorf("%w: image and no OCR engine", ErrUnreadable)
	}
	lang := x.Lang
	if lang == "" {
		lang = "eng+chi_sim"
	}
	// PSM 6 (one uniform block) read the dates of photographed receipts
	// and bills best here; when its text holds no date, a second pass with
	// PSM 4 (one column of varying sizes) is appended: the two fail on
	// different lines (measured on the SROIE receipts: 6 of 20 dates missed
	// with PSM 3 alone, see docs/identity.md).
	var parts []string
	for _, img := range imgs {
		t, err := x.OCR.Recognize(ctx, img, ocr.Options{Lang: lang, PSM: ocr.PSMSingleBlock})
		if err != nil {
			return "", fmt.Errorf("OCR: %w", err)
		}
		parts = append(parts, t.Text)
		if _, ok := IssueDate(t.Text, DayFirst, time.Now().AddDate(1, 0, 0)); !ok {
			t2, err := x.OCR.Recognize(ctx, img, ocr.Options{Lang: lang, PSM: ocr.PSMSingleCol})
			if err != nil {
				return "", fmt.Errorf("OCR: %w", err)
			}
			parts = append(parts, t2.Text)
		}
	}
	text := strings.Join(parts, "\n")
	if countNonSpace(text) < minText/2 {
		return "", fmt.Errorf("%w: no text found by OCR", ErrUnreadable)
	}
	return text, nil
}

func countNonSpace(s string) int {
	n := 0
	for _, r := range s {
		if r > ' ' {
			n++
		}
	}
	return n
}
