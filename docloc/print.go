package docloc

import (
	"image"
	"math"
	"sort"
)

// Print test: identity documents carry print (text, portrait, guilloche,
// MRZ); the blank sheets, boxes and screens of a cluttered desk are
// document-shaped but uniform inside. The test is taken on the
// full-resolution image, where even small print is visible (at the 512-px
// work scale it is not).
const (
	printGrid = 20 // samples across each axis of the outline's interior
	// printInset keeps samples off the outline (localisation error,
	// rounded corners, the document's own border).
	printInset = 0.08
	// printFloor is the smallest local luminance range (grey levels) that
	// counts as print whatever the noise.
	printFloor = 12
	// printNoiseFactor: a sample is print when its range exceeds this
	// many times the quietest quarter of the samples (blank paper: the
	// noise level of this photo, under this light).
	printNoiseFactor = 2.5
	// MinPrintDensity is the share of interior samples that must show
	// print for an outline to be a document. Sparse documents (a passport
	// page's lower half, a register's table) measure 0.2 and more; blank
	// objects measure under 0.03.
	MinPrintDensity = 0.06
)

// printDensity returns the share of sample points inside the quadrilateral
// c (input pixels, any winding) whose 5×5 neighbourhood, spaced to the
// outline's size, spans more luminance than noise does. Points outside the
// frame are skipped; with fewer than a quarter of them inside, the outline
// cannot be judged and 1 is returned.
func printDensity(luma func(x, y int) float32, b image.Rectangle, c [4][2]float64) float64 {
	W, H := b.Dx(), b.Dy()
	long := math.Max(math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1]), math.Hypot(c[3][0]-c[0][0], c[3][1]-c[0][1]))
	step := max(1, int(long/400)) // the window spans ≈ 1 % of the document
	ranges := make([]float64, 0, printGrid*printGrid)
	for i := 0; i < printGrid; i++ {
		v := printInset + (1-2*printInset)*(float64(i)+0.5)/printGrid
		for j := 0; j < printGrid; j++ {
			u := printInset + (1-2*printInset)*(float64(j)+0.5)/printGrid
			// bilinear position in the quad (close enough to the
			// perspective map for a density)
			x := (1-u)*(1-v)*c[0][0] + u*(1-v)*c[1][0] + u*v*c[2][0] + (1-u)*v*c[3][0]
			y := (1-u)*(1-v)*c[0][1] + u*(1-v)*c[1][1] + u*v*c[2][1] + (1-u)*v*c[3][1]
			px, py := int(x), int(y)
			if px-2*step < 0 || py-2*step < 0 || px+2*step >= W || py+2*step >= H {
				continue
			}
			lo, hi := float32(255), float32(0)
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					l := luma(b.Min.X+px+dx*step, b.Min.Y+py+dy*step)
					lo, hi = min(lo, l), max(hi, l)
				}
			}
			ranges = append(ranges, float64(hi-lo))
		}
	}
	if len(ranges) < printGrid*printGrid/4 {
		return 1
	}
	sorted := append([]float64(nil), ranges...)
	sort.Float64s(sorted)
	thr := math.Max(printFloor, printNoiseFactor*sorted[len(sorted)/4])
	n := 0
	for _, r := range ranges {
		if r > thr {
			n++
		}
	}
	return float64(n) / float64(len(ranges))
}
