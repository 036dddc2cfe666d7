package docread

import (
	"github.com/kycgate/kycgate/internal/geom"
	"github.com/kycgate/kycgate/mrz"
	"github.com/kycgate/kycgate/mrzocr"
)

// mrzPage is where an MRZ lies on its page: ICAO 9303 fixes the page size,
// the character pitch (2.54 mm) and the zone's place at the bottom of the
// page, so the MRZ's corner cells, found in a photo, locate the whole page
// even when its outline was not found. Millimetres from the page's top
// left; cells in the order of mrzocr.Result.Quad. The positions are those
// of the generated pages (synth), measured with mrzocr; ICAO allows about
// ±1 mm.
type mrzPage struct {
	width, height float64
	cells         [4][2]float64
}

var mrzPages = map[mrz.Format]mrzPage{
	// TD3 passport data page, 125 × 88 mm: 2 lines of 44 cells.
	mrz.TD3: {125, 88, [4][2]float64{{7.6, 76.6}, {117.2, 76.6}, {117.2, 80.8}, {7.6, 80.8}}},
	// TD1 card, 85.6 × 53.98 mm: 3 lines of 30 cells.
	mrz.TD1: {85.6, 53.98, [4][2]float64{{5.97, 40.5}, {79.63, 40.5}, {79.63, 48.9}, {5.97, 48.9}}},
}

// pageFromMRZ returns the page's corners in the image the MRZ was read
// from (clockwise from the page's top left), or false for an MRZ layout
// whose page is not modelled. The homography through the four corner
// cells extrapolates to the page's far edge well because mrzocr places
// them on a grid fitted to every glyph of their lines: measured on 12
// generated photos (±15° tilt), the page corners land within 0.4–1.7 % of
// the page diagonal of the true ones.
func pageFromMRZ(res *mrzocr.Result) ([4][2]float64, bool) {
	if res == nil || res.Document == nil {
		return [4][2]float64{}, false
	}
	p, ok := mrzPages[res.Document.Format]
	if !ok {
		return [4][2]float64{}, false
	}
	h, err := geom.Homography(p.cells, res.Quad)
	if err != nil {
		return [4][2]float64{}, false
	}
	var q [4][2]float64
	for i, c := range [4][2]float64{{0, 0}, {p.width, 0}, {p.width, p.height}, {0, p.height}} {
		q[i][0], q[i][1] = h.Apply(c[0], c[1])
	}
	return q, true
}
