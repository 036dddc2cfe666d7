package mrzocr

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
)

// TestDevDump writes the sampled cell frames of MRZ_IMG to /tmp/v/frames.png.
func TestDevDump(t *testing.T) {
	path := os.Getenv("MRZ_IMG")
	if path == "" {
		t.Skip()
	}
	img, err := loadImage(path)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := getRecogniser()
	g := toGray(img)
	s := workScale(g.w, g.h)
	work := g.resize(s)
	radius := max(8, max(work.w, work.h)/60)
	bin := work.binarise(radius, 0.12)
	comps := components(bin, work.w, work.h)
	lines := findLines(comps, 22)
	for _, l := range lines {
		fmt.Printf("line s=%.1f comps=%d pitch=%.2f capH=%.1f cells=%d t0=%.1f tLast=%.1f dir=(%.3f,%.3f)\n", l.s, len(l.comps), l.pitch, l.capH, l.cells, l.t0, l.tLast(), l.ux, l.uy)
	}
	bands := findBands(lines)
	for i, b := range bands {
		fmt.Printf("band %d: lines=%d width=%d pitch=%.2f t0=%.1f score=%.2f\n", i, len(b.lines), b.width, b.pitch, b.t0, b.score)
	}
	// binarised image
	bi := image.NewGray(image.Rect(0, 0, work.w, work.h))
	for i, v := range bin {
		if !v {
			bi.Pix[i] = 255
		}
	}
	f, _ := os.Create("/tmp/v/bin.png")
	png.Encode(f, bi)
	f.Close()
	if len(bands) == 0 {
		return
	}
	b := &bands[0]
	res := Options{}.readBand(rec, g, b, s)
	fmt.Println(res.Lines)
	_ = color.Gray{}
	// frames
	pitch := b.pitch / s
	capH := b.capH / s
	if capH <= 0 {
		capH = pitch * rec.glyphs.capH() / float64(rec.glyphs.w)
	}
	out := image.NewGray(image.Rect(0, 0, b.width*(frameW+2)*3, len(b.lines)*(frameH+2)*3))
	for li, l := range b.lines {
		ux, uy := l.ux, l.uy
		nx, ny := -uy, ux
		grid := b.grids[li]
		for k := 0; k < b.width; k++ {
			tt := grid.t(k) / s
			lineS := grid.s(grid.t(k)) / s
			tt += inkShift(g, tt, lineS, ux, uy, nx, ny, pitch, capH)
			cx, cy := tt*ux+lineS*nx, tt*uy+lineS*ny
			stepX := frameSpanX * pitch / frameW
			stepY := frameSpanY * capH / frameH
			for fy := 0; fy < frameH*3; fy++ {
				dv := (float64(fy)/3 + 0.5 - frameH/2) * stepY
				for fx := 0; fx < frameW*3; fx++ {
					du := (float64(fx)/3 + 0.5 - frameW/2) * stepX
					out.SetGray(k*(frameW+2)*3+fx, li*(frameH+2)*3+fy, color.Gray{uint8(g.bilinear(cx+du*ux+dv*nx, cy+du*uy+dv*ny))})
				}
			}
		}
	}
	f, _ = os.Create("/tmp/v/frames.png")
	png.Encode(f, out)
	f.Close()
}
