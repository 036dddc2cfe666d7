package face

import (
	"image"
	"math"
)

// subImager is what every image type of the standard library implements.
type subImager interface {
	SubImage(r image.Rectangle) image.Image
}

// AppearanceSide is the side, in pixels, to which Appearance resizes its
// region: the SSD body's strides leave maps of 16², 8² and 4² cells.
const AppearanceSide = 128

// appearancePairs are the depthwise-separable pairs of the SSD body whose
// outputs Appearance pools: stride 8 (256 channels), 16 (512) and 32 (1024).
var appearancePairs = [...]int{5, 11, 13}

// AppearanceLen is the length of an Appearance vector: each pooled pair's
// channels twice, mean then maximum.
const AppearanceLen = 2 * (256 + 512 + 1024)

// Appearance describes what the square region r of img looks like, for
// linear probes that tell one kind of content from another (a hat from
// hair: docs/selfie.md). It runs the MobileNetV1 body of the SSD face
// detector on r resized to AppearanceSide pixels and returns, for three of
// its layers (fine to coarse), each channel's mean over the map followed by
// its maximum. The body was trained to find faces, but its layers respond
// to texture, edges and shapes in general. Parts of r outside img read as
// black.
func (m *Models) Appearance(img image.Image, r Rect) []float32 {
	return m.AppearanceBands(img, r, 1)
}

// AppearanceBands is Appearance pooled apart over bands horizontal bands
// of rows, top to bottom (1, 2 or 4: the coarsest map has 4 rows), so that
// a probe knows not only what the square shows but where: fabric above
// the forehead rather than hair beside the eyes (docs/selfie.md, "Where on
// the head the probe looks"). For each layer it gives each band's means
// and then its maxima: bands × AppearanceLen values.
func (m *Models) AppearanceBands(img image.Image, r Rect, bands int) []float32 {
	side := math.Max(r.Dx(), r.Dy())
	s := side / AppearanceSide
	// Only the square (and two pixels around it for the bilinear
	// samples) is converted, not the whole photo.
	src := img
	sq := image.Rect(int(math.Floor(r.X0))-2, int(math.Floor(r.Y0))-2, int(math.Ceil(r.X0+side))+2, int(math.Ceil(r.Y0+side))+2)
	if sub, ok := img.(subImager); ok && sq.Overlaps(img.Bounds()) {
		src = sub.SubImage(sq)
	}
	o := src.Bounds().Min
	pix := toRGB(src).warp(affine{A: s, C: r.X0 - float64(o.X), E: s, F: r.Y0 - float64(o.Y)}, AppearanceSide)
	x := newFmap(AppearanceSide, AppearanceSide, 3)
	for i, v := range pix {
		x.D[i] = v/127.5 - 1
	}
	out := make([]float32, 0, bands*AppearanceLen)
	next := 0
	m.ssd.body(x, func(pair int, f *fmap) {
		if next == len(appearancePairs) || pair != appearancePairs[next] {
			return
		}
		next++
		rows := f.H / bands
		for b := range bands {
			band := f.D[b*rows*f.W*f.C : (b+1)*rows*f.W*f.C]
			mean, peak := make([]float32, f.C), make([]float32, f.C)
			copy(peak, band[:f.C])
			for i := 0; i < len(band); i += f.C {
				for c, v := range band[i : i+f.C] {
					mean[c] += v
					peak[c] = max(peak[c], v)
				}
			}
			for c := range mean {
				mean[c] /= float32(rows * f.W)
			}
			out = append(append(out, mean...), peak...)
		}
	})
	return out
}
