package mrzocr

import (
	"fmt"
	"os"
	"testing"
)

func TestDevScores(t *testing.T) {
	path := os.Getenv("MRZ_IMG")
	if path == "" {
		t.Skip()
	}
	img, _ := loadImage(path)
	rec, _ := getRecogniser()
	g := toGray(img)
	s := workScale(g.w, g.h)
	work := g.resize(s)
	bin := work.binarise(max(8, max(work.w, work.h)/60), 0.12)
	bands := findBands(findLines(components(bin, work.w, work.h), 22))
	b := &bands[0]
	pitch := b.pitch / s
	capH := b.capH / s
	if capH <= 0 {
		capH = pitch * rec.glyphs.capH() / float64(rec.glyphs.w)
	}
	v := make([]float32, frameW*frameH)
	for li, l := range b.lines {
		ux, uy := l.ux, l.uy
		nx, ny := -uy, ux
		lineS := l.s / s
		for k := 9; k < 13; k++ {
			tt := b.t0/s + float64(k)*pitch
			tt += inkShift(g, tt, lineS, ux, uy, nx, ny, pitch, capH)
			cx, cy := tt*ux+lineS*nx, tt*uy+lineS*ny
			stepX := frameSpanX * pitch / frameW
			stepY := frameSpanY * capH / frameH
			for fy := 0; fy < frameH; fy++ {
				dv := (float64(fy) + 0.5 - frameH/2) * stepY
				for fx := 0; fx < frameW; fx++ {
					du := (float64(fx) + 0.5 - frameW/2) * stepX
					v[fy*frameW+fx] = 255 - g.bilinear(cx+du*ux+dv*nx, cy+du*uy+dv*ny)
				}
			}
			if k >= 10 && k < 12 && li == 0 {
				lo, hi := v[0], v[0]
				for _, x := range v {
					lo, hi = min(lo, x), max(hi, x)
				}
				for y := 0; y < frameH; y++ {
					for x := 0; x < frameW; x++ {
						fmt.Printf("%c", " .:-=+*#%@"[int((v[y*frameW+x]-lo)/(hi-lo+1e-3)*9.99)])
					}
					fmt.Println()
				}
			}
			normalise(v)
			sc := rec.classify(v)
			fmt.Printf("line %d cell %d: %c %.3f %c %.3f %c %.3f\n", li, k, sc[0].char, sc[0].corr, sc[1].char, sc[1].corr, sc[2].char, sc[2].corr)
		}
	}
}
