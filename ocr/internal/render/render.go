// Package render draws text lines with system fonts for OCR tests, so tests
// run on images generated at test time rather than stored files.
package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Font paths of Debian's fonts-dejavu-core and fonts-noto-cjk.
const (
	LatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	CJKFont   = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)

// Face loads the font at path (the Simplified-Chinese member of a
// collection) at size px.
func Face(path string, size float64) (font.Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f *sfnt.Font
	if strings.HasSuffix(path, ".ttc") {
		c, err := opentype.ParseCollection(data)
		if err != nil {
			return nil, err
		}
		for i := 0; i < c.NumFonts(); i++ {
			ff, err := c.Font(i)
			if err != nil {
				continue
			}
			name, _ := ff.Name(nil, sfnt.NameIDFamily)
			if f == nil || strings.HasSuffix(name, " SC") {
				f = ff
			}
		}
		if f == nil {
			return nil, fmt.Errorf("no font in %s", path)
		}
	} else if f, err = opentype.Parse(data); err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// Lines draws lines of text in black on white with a margin, one line every
// 1.5 × size pixels.
func Lines(face font.Face, size int, lines ...string) *image.RGBA {
	width := 0
	for _, l := range lines {
		width = max(width, font.MeasureString(face, l).Ceil())
	}
	lh := size * 3 / 2
	img := image.NewRGBA(image.Rect(0, 0, width+2*size, lh*len(lines)+size))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(size, size/2+lh*i+size)
		d.DrawString(l)
	}
	return img
}
