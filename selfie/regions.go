package selfie

import (
	"image"
	"math"
	"slices"

	"github.com/kycgate/kycgate/face"
)

// stats summarises the pixels of one face region.
type stats struct {
	N int
	// Y is mean luma, YStd its standard deviation (contrast), both 0–1.
	Y, YStd float64
	// Cb, Cr are mean chroma, -0.5..0.5 around grey.
	Cb, Cr float64
	// Skin is the share of pixels whose chroma is skin-like (any skin
	// tone; the test is on chroma only, so it holds in dim light).
	Skin float64
	// Inside is the share of the region that lies in the photo (0 when
	// too little of it does to be measured).
	Inside float64
	// SkinY is the mean luma of the skin-coloured pixels (0 when none).
	SkinY float64
	// Bright is the share of pixels brighter than the region's own 90th
	// percentile would be on skin: eye whites, specular highlights.
	Bright float64
	// Sat is mean chroma magnitude.
	Sat float64
	// Grad is the mean absolute horizontal+vertical luma gradient
	// (texture), GradMed its median: one long edge across a flat surface
	// (a brim) raises the mean but not the median; texture all over
	// (hair) raises both (GradMed: rankedStats only).
	Grad, GradMed float64
	// Other is the share of pixels that are not skin (chroma outside
	// the skin box, or too dark to tell), OtherSpread the spread of their
	// colour: luma std plus the std of each chroma channel. A lens or a
	// cover of any colour is one surface; the sclera, iris and lashes of
	// a bare eye are not (rankedStats only).
	Other, OtherSpread float64
	// Top is the 90th-percentile luma: the region's bright parts (an eye's
	// white, a lit lid) without single specular pixels (rankedStats only).
	Top float64
	// Low is the 5th-percentile luma: the region's darkest parts (an
	// eye's pupil, iris and lashes) without single dark pixels
	// (rankedStats only).
	Low float64
	// Vivid is the share of pixels of a saturated colour that no skin
	// or hair has: blue, green or purple (chroma magnitude above 0.06,
	// toward blue or away from red).
	Vivid float64
	// Dyed is the share of pixels of a strong, well-lit colour outside
	// the orange-to-yellow hues of skin and natural hair (isDyed): red,
	// magenta, green, blue, purple fabric.
	Dyed float64
}

// ycc returns Rec. 601 luma and chroma of a pixel, all scaled to 0–1
// (chroma centred on 0).
func ycc(img image.Image, x, y int) (float64, float64, float64) {
	r, g, b, _ := img.At(x, y).RGBA()
	rf, gf, bf := float64(r)/65535, float64(g)/65535, float64(b)/65535
	Y := 0.299*rf + 0.587*gf + 0.114*bf
	cb := -0.168736*rf - 0.331264*gf + 0.5*bf
	cr := 0.5*rf - 0.418688*gf - 0.081312*bf
	return Y, cb, cr
}

// isSkinChroma is a broad chroma box around human skin of every tone (Chai
// and Ngan's Cb 77–127, Cr 133–173 on the 0–255 scale), loosened a little
// because phone white balance drifts.
func isSkinChroma(cb, cr float64) bool {
	cb255, cr255 := cb*255+128, cr*255+128
	return cb255 >= 72 && cb255 <= 130 && cr255 >= 130 && cr255 <= 178
}

// isDyed tells whether a pixel (luma and chroma as ycc gives them) has
// a colour that skin and undyed hair do not: HSV value above 0.3 and
// saturation above 0.55, with a hue outside 8°–50°, where skin, lips in
// shadow, brown, auburn and blond hair lie. The value bar keeps out dark
// hair that a photo filter tints blue, whose chroma alone looks vivid.
func isDyed(Y, cb, cr float64) bool {
	r, g, b := Y+1.402*cr, Y-0.344136*cb-0.714136*cr, Y+1.772*cb
	hi, lo := max(r, g, b), min(r, g, b)
	if hi <= 0.3 || (hi-lo)/hi <= 0.55 {
		return false
	}
	var hue float64
	switch hi {
	case r:
		hue = 60 * math.Mod((g-b)/(hi-lo)+6, 6)
	case g:
		hue = 60 * ((b-r)/(hi-lo) + 2)
	default:
		hue = 60 * ((r-g)/(hi-lo) + 4)
	}
	return hue < 8 || hue > 50
}

// regionStats measures img inside r (clipped to the image), on a grid of at
// most ~48×48 samples; Top and GradMed stay 0 (see rankedStats).
func regionStats(img image.Image, r image.Rectangle) stats { return measureRegion(img, r, false) }

// rankedStats is regionStats plus Top and GradMed, which take two sorts of
// the samples: only for the regions whose rules use them.
func rankedStats(img image.Image, r image.Rectangle) stats { return measureRegion(img, r, true) }

func measureRegion(img image.Image, r image.Rectangle, ranked bool) stats {
	area := r.Dx() * r.Dy()
	r = r.Intersect(img.Bounds())
	var s stats
	if r.Dx() < 2 || r.Dy() < 2 {
		return s
	}
	s.Inside = float64(r.Dx()*r.Dy()) / float64(area)
	step := max(1, max(r.Dx(), r.Dy())/48)
	var ys, grads []float64
	var sum, sum2, scb, scr, ssat, sgrad, sskin float64
	var oy, oy2, ocb, ocb2, ocr, ocr2 float64
	others, vivid, dyed := 0, 0, 0
	skin, ng := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += step {
		for x := r.Min.X; x < r.Max.X; x += step {
			Y, cb, cr := ycc(img, x, y)
			ys = append(ys, Y)
			sum += Y
			sum2 += Y * Y
			scb += cb
			scr += cr
			sat := math.Hypot(cb, cr)
			ssat += sat
			if sat > 0.06 && (cb > 0.02 || cr < -0.02) {
				vivid++
			}
			if isDyed(Y, cb, cr) {
				dyed++
			}
			if Y > 0.08 && isSkinChroma(cb, cr) {
				skin++
				sskin += Y
			} else if ranked {
				others++
				oy, oy2 = oy+Y, oy2+Y*Y
				ocb, ocb2 = ocb+cb, ocb2+cb*cb
				ocr, ocr2 = ocr+cr, ocr2+cr*cr
			}
			if x+step < r.Max.X && y+step < r.Max.Y {
				Yx, _, _ := ycc(img, x+step, y)
				Yy, _, _ := ycc(img, x, y+step)
				d := math.Abs(Yx-Y) + math.Abs(Yy-Y)
				sgrad += d
				ng++
				if ranked {
					grads = append(grads, d)
				}
			}
		}
	}
	n := float64(len(ys))
	s.N = len(ys)
	s.Y = sum / n
	s.YStd = math.Sqrt(math.Max(0, sum2/n-s.Y*s.Y))
	s.Cb, s.Cr = scb/n, scr/n
	s.Sat = ssat / n
	s.Skin = float64(skin) / n
	s.Vivid = float64(vivid) / n
	s.Dyed = float64(dyed) / n
	if skin > 0 {
		s.SkinY = sskin / float64(skin)
	}
	if ng > 0 {
		s.Grad = sgrad / float64(ng)
	}
	if len(grads) > 0 {
		slices.Sort(grads)
		s.GradMed = grads[len(grads)/2]
	}
	bright := 0
	for _, v := range ys {
		if v > s.Y+0.25 && v > 0.45 {
			bright++
		}
	}
	s.Bright = float64(bright) / n
	if ranked && others > 0 {
		no := float64(others)
		sd := func(s, s2 float64) float64 { return math.Sqrt(math.Max(0, s2/no-(s/no)*(s/no))) }
		s.Other = no / n
		s.OtherSpread = sd(oy, oy2) + sd(ocb, ocb2) + sd(ocr, ocr2)
	}
	if ranked {
		slices.Sort(ys)
		s.Top = ys[min(len(ys)-1, len(ys)*9/10)]
		s.Low = ys[len(ys)/20]
	}
	return s
}

// chromaDist is the distance between two regions' mean chroma.
func chromaDist(a, b stats) float64 { return math.Hypot(a.Cb-b.Cb, a.Cr-b.Cr) }

// isGreyscale reports whether an image carries (almost) no colour, so
// chroma tests must be skipped.
func isGreyscale(img image.Image, r image.Rectangle) bool {
	return regionStats(img, r).Sat < 0.01
}

// rowEdge returns the strongest mean vertical luma step along a horizontal
// line inside r: for each row y, the mean |Y(x,y+d)−Y(x,y−d)| over x, and
// the maximum over rows divided by the region's luma spread. A cap's brim or
// band draws such a line straight across the forehead; skin, hair and
// wrinkles do not.
func rowEdge(img image.Image, r image.Rectangle) float64 {
	r = r.Intersect(img.Bounds())
	if r.Dx() < 4 || r.Dy() < 6 {
		return 0
	}
	stepX := max(1, r.Dx()/40)
	d := max(1, r.Dy()/12)
	best := 0.0
	for y := r.Min.Y + d; y < r.Max.Y-d; y += max(1, d/2) {
		var s float64
		n := 0
		for x := r.Min.X; x < r.Max.X; x += stepX {
			a, _, _ := ycc(img, x, y-d)
			b, _, _ := ycc(img, x, y+d)
			s += b - a
			n++
		}
		// Signed mean: a straight edge keeps its sign along the row,
		// texture cancels out.
		best = math.Max(best, math.Abs(s/float64(n)))
	}
	return best
}

// lensRim finds, below the eye at c, the strongest step from a darker band
// to a brighter one beneath it, and returns the two bands' luma (-1, -1
// when the search reaches outside the photo). The lower rim of a tinted
// lens draws that step across the upper cheek: the skin inside the lens is
// darkened by the tint, the skin below is not. A bare face has no such
// step there; clear glasses have a frame line but the same skin on both
// sides. Each band's luma is the median of its rows' medians across the
// middle of the eye, so a thin frame line does not count; and the darker
// band's is the brighter of two bands stacked above the rim, so that a
// thick frame, dark but with bare skin above it, does not count either.
func lensRim(img image.Image, c face.Point, iod float64) (inner, outer float64) {
	b := img.Bounds()
	x0, x1 := int(c.X-0.12*iod), int(math.Ceil(c.X+0.12*iod))
	// Rows from just above the eye's centre to 0.95 interocular
	// distances below it. The rim is looked for from 0.3 below the eye,
	// under the lashes and the shadow of the lower lid, which are as dark
	// as a lens on a bare face with dark eyes or eye make-up; the last
	// rows show whether the skin below it goes on.
	y0, y1 := int(c.Y-0.1*iod), int(math.Ceil(c.Y+0.95*iod))
	if x0 < b.Min.X || x1 > b.Max.X || y0 < b.Min.Y || y1 > b.Max.Y || x1-x0 < 4 {
		return -1, -1
	}
	stepX := max(1, (x1-x0)/24)
	rows := make([]float64, 0, y1-y0)
	line := make([]float64, 0, (x1-x0)/stepX+1)
	for y := y0; y < y1; y++ {
		line = line[:0]
		for x := x0; x < x1; x += stepX {
			Y, _, _ := ycc(img, x, y)
			line = append(line, Y)
		}
		slices.Sort(line)
		rows = append(rows, line[len(line)/2])
	}
	median := func(v []float64) float64 {
		s := slices.Clone(v)
		slices.Sort(s)
		return s[len(s)/2]
	}
	w, gap := max(2, int(0.1*iod)), max(1, int(0.03*iod))
	best := 0.0
	inner, outer = -1, -1
	for k := max(int(0.4*iod), gap+2*w); k+gap+2*w <= len(rows); k++ {
		a := max(median(rows[k-gap-w:k-gap]), median(rows[k-gap-2*w:k-gap-w]))
		z := median(rows[k+gap : k+gap+w])
		// Below a lens the cheek goes on; below a dark stripe of a
		// patterned mask comes the next one.
		if median(rows[k+gap+w:k+gap+2*w]) < 0.8*z {
			continue
		}
		if r := z / math.Max(a, 1e-3); r > best {
			best, inner, outer = r, a, z
		}
	}
	return inner, outer
}
