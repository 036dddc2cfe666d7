// Command genglyphs renders the 37 MRZ glyphs (A–Z, 0–9, '<') of the OCR-B
// font into mrzocr/glyphs.bin, so the recogniser needs no font at run time
// (and builds for WebAssembly). Use OCRBS.otf: Debian's OCRB.otf leaves '8'
// and '<' blank. The font (Debian fonts-ocr-b) is public domain.
//
// File format (all integers little-endian uint16): "MRZG", count, width,
// height, baseline (rows from the top to the baseline), capTop (rows from the
// top to the top of 'H'), then per glyph: the character byte, one pad byte,
// and width*height alpha bytes.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"image"
	"image/draw"
	"log"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Alphabet is the MRZ character set in the order stored.
const Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

func main() {
	fontPath := flag.String("font", "/usr/share/fonts/opentype/ocr-b/OCRBS.otf", "OCR-B font file")
	out := flag.String("out", "glyphs.bin", "output file")
	size := flag.Float64("size", 64, "font size in pixels (em)")
	flag.Parse()
	data, err := os.ReadFile(*fontPath)
	if err != nil {
		log.Fatalf("read font: %v", err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		log.Fatalf("parse font: %v", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: *size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		log.Fatalf("face: %v", err)
	}
	m := face.Metrics()
	adv, ok := face.GlyphAdvance('H')
	if !ok {
		log.Fatal("no advance for H")
	}
	w := adv.Ceil()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	h := asc + desc
	hb, _, _ := face.GlyphBounds('H')
	capTop := asc + hb.Min.Y.Floor() // Min.Y is negative (above baseline)
	var buf bytes.Buffer
	buf.WriteString("MRZG")
	for _, v := range []uint16{uint16(len(Alphabet)), uint16(w), uint16(h), uint16(asc), uint16(capTop)} {
		_ = binary.Write(&buf, binary.LittleEndian, v)
	}
	for i := 0; i < len(Alphabet); i++ {
		c := Alphabet[i]
		img := image.NewAlpha(image.Rect(0, 0, w, h))
		d := font.Drawer{Dst: img, Src: image.Opaque, Face: face, Dot: fixed.P(0, asc)}
		d.DrawString(string(c))
		ink := 0
		for _, a := range img.Pix {
			ink += int(a)
		}
		if ink == 0 {
			log.Fatalf("glyph %q renders blank with %s (use OCRBS.otf)", c, *fontPath)
		}
		buf.WriteByte(c)
		buf.WriteByte(0)
		draw.Draw(image.NewAlpha(img.Rect), img.Rect, img, image.Point{}, draw.Src)
		buf.Write(img.Pix)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatalf("write: %v", err)
	}
	log.Printf("wrote %s: %d glyphs %dx%d baseline %d capTop %d", *out, len(Alphabet), w, h, asc, capTop)
}
