package quality

import (
	"image"
	"math"
	"slices"
)

// Reblur measures how blurred region r of img (clipped to the image) is,
// after shrinking it to at most maxWidth pixels wide (it is never
// enlarged): how much of its detail survives a further slight blur, the
// 95th percentile of the luma gradient after a [1 2 1] smoothing in both
// directions over that before (the re-blur measure of Crété-Roffet et al.,
// 2007). A sharp region loses much of its finest detail (0.6–0.85); a
// blurred one has none left to lose and keeps nearly all (→ 1). Unlike the
// edge widths of IMAGE_BLURRY on documents it needs no edge of a given
// contrast, so it holds on faces, whose few strong edges heavy blur
// removes. Shrinking a region to a fixed width makes the measure relative
// to its size: a face defocused by 3 px at 300 px wide is as blurred, for
// what it shows, as one defocused by 1 px at 100 px. 0 for a region under
// 16 px or without any detail.
func Reblur(img image.Image, r image.Rectangle, maxWidth int) float64 {
	r = r.Intersect(img.Bounds())
	if r.Dx() < 16 || r.Dy() < 16 || maxWidth < 16 {
		return 0
	}
	s := math.Min(1, float64(maxWidth)/float64(r.Dx()))
	w, h := max(1, int(math.Round(float64(r.Dx())*s))), max(1, int(math.Round(float64(r.Dy())*s)))
	x0, y0 := float64(r.Min.X-img.Bounds().Min.X), float64(r.Min.Y-img.Bounds().Min.Y)
	x1, y1 := x0+float64(r.Dx()), y0+float64(r.Dy())
	lum := rectifyLuma(img, [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, w, h)
	return gradientQ95(smooth121(lum)) / math.Max(gradientQ95(lum), 1e-6)
}

// smooth121 returns p smoothed by the [1 2 1]/4 kernel in both directions,
// the border pixels repeated.
func smooth121(p *plane) *plane {
	tmp, out := newPlane(p.w, p.h), newPlane(p.w, p.h)
	for y := range p.h {
		row, t := p.p[y*p.w:][:p.w], tmp.p[y*p.w:][:p.w]
		for x := range row {
			t[x] = (row[max(x-1, 0)] + 2*row[x] + row[min(x+1, p.w-1)]) / 4
		}
	}
	for y := range p.h {
		up, mid, down := tmp.p[max(y-1, 0)*p.w:][:p.w], tmp.p[y*p.w:][:p.w], tmp.p[min(y+1, p.h-1)*p.w:][:p.w]
		o := out.p[y*p.w:][:p.w]
		for x := range o {
			o[x] = (up[x] + 2*mid[x] + down[x]) / 4
		}
	}
	return out
}

// gradientQ95 is the 95th percentile of the central-difference gradient
// magnitude over p's inner pixels.
func gradientQ95(p *plane) float64 {
	if p.w < 3 || p.h < 3 {
		return 0
	}
	g := make([]float64, 0, (p.w-2)*(p.h-2))
	for y := 1; y < p.h-1; y++ {
		for x := 1; x < p.w-1; x++ {
			i := y*p.w + x
			g = append(g, math.Hypot(float64(p.p[i+1]-p.p[i-1]), float64(p.p[i+p.w]-p.p[i-p.w])))
		}
	}
	slices.Sort(g)
	return g[int(0.95*float64(len(g)-1))]
}
