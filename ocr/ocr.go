// Package ocr reads text off images. Recognition sits behind the small
// Engine interface so that the document-reading code is testable and can run
// without cgo; the production engine is Tesseract through gosseract
// (NewTesseract, built when cgo is available).
//
// Images handed to an Engine should already be prepared for OCR (see the
// prep sub-package): cropped to the text, grey, contrast-stretched and scaled
// so that the text is 25–40 px high, which is where Tesseract's LSTM models
// are most accurate.
package ocr

import (
	"context"
	"errors"
	"image"
	"strings"
)

// Page segmentation modes, numbered as in Tesseract so that values can be
// copied from its documentation.
const (
	PSMAuto        = 3  // fully automatic page segmentation
	PSMSingleCol   = 4  // one column of text of variable sizes
	PSMSingleBlock = 6  // one uniform block of text
	PSMSingleLine  = 7  // one text line
	PSMSingleWord  = 8  // one word
	PSMSparse      = 11 // as much text as possible, in no order
	PSMRawLine     = 13 // one line, bypassing Tesseract's layout heuristics
)

// Languages the engine is expected to have. Others may work if their
// traineddata is installed.
const (
	LangEnglish           = "eng"
	LangChinese           = "chi_sim"
	LangChineseAndEnglish = "chi_sim+eng"
)

// Options tune one recognition.
type Options struct {
	// Lang is a Tesseract language string such as "eng" or "chi_sim+eng";
	// empty means English.
	Lang string
	// PSM is the page segmentation mode; 0 means PSMSingleBlock.
	PSM int
	// Whitelist restricts the characters recognised; empty allows all.
	Whitelist string
}

// Word is one recognised word with its box in the input image's coordinates.
type Word struct {
	Text       string
	Box        image.Rectangle
	Confidence float64 // 0–100
	Line       int     // index of the text line, counted over the whole image
}

// Text is the result of one recognition.
type Text struct {
	// Text is the recognised text, words joined by spaces, lines by "\n".
	Text string
	// Confidence is the mean word confidence (0–100), weighted by word
	// length; 0 when nothing was recognised.
	Confidence float64
	Words      []Word
}

// Lines returns the recognised lines in reading order.
func (t Text) Lines() []string {
	var out []string
	for _, l := range strings.Split(t.Text, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// Engine recognises text. Implementations must be safe for concurrent use.
type Engine interface {
	Recognize(ctx context.Context, img image.Image, opt Options) (Text, error)
}

// ErrUnavailable is returned when no OCR engine can be built (no cgo, or
// Tesseract or its language data is not installed).
var ErrUnavailable = errors.New("ocr: engine unavailable")

// Assemble builds a Text from words: lines in order of their Line index,
// words separated by spaces, and a length-weighted mean confidence.
func Assemble(words []Word) Text {
	var b strings.Builder
	var confSum, weight float64
	line := -1
	for i, w := range words {
		if w.Text == "" {
			continue
		}
		if i > 0 && w.Line != line {
			b.WriteByte('\n')
		} else if i > 0 {
			b.WriteByte(' ')
		}
		line = w.Line
		b.WriteString(w.Text)
		n := float64(len([]rune(w.Text)))
		confSum += w.Confidence * n
		weight += n
	}
	t := Text{Text: strings.TrimSpace(b.String()), Words: words}
	if weight > 0 {
		t.Confidence = confSum / weight
	}
	return t
}
