package face

import (
	_ "embed"
	"image"
	"math"
	"sort"
	"sync"

	pigo "github.com/esimov/pigo/core"
)

// facefinder is pigo's frontal-face cascade, copied unchanged from
// github.com/esimov/pigo@v1.4.6/cascade/facefinder (MIT, Copyright (c) 2018
// Endre Simo; SHA-256 d8014993e7298c7b1865d1f8b855d6dbf4ec5c808bf879e2091ab6837abf90cd).
//
//go:embed facefinder
var facefinderCascade []byte

var (
	cascadeOnce sync.Once
	cascade     *pigo.Pigo
	cascadeErr  error
)

func classifier() (*pigo.Pigo, error) {
	cascadeOnce.Do(func() {
		cascade, cascadeErr = pigo.NewPigo().Unpack(facefinderCascade)
	})
	return cascade, cascadeErr
}

// Rect is an axis-aligned box in image pixels (floating point, so that
// scaling back from the detection image loses nothing).
type Rect struct{ X0, Y0, X1, Y1 float64 }

// Dx is the width.
func (r Rect) Dx() float64 { return r.X1 - r.X0 }

// Dy is the height.
func (r Rect) Dy() float64 { return r.Y1 - r.Y0 }

// Center is the middle of the box.
func (r Rect) Center() Point { return Point{(r.X0 + r.X1) / 2, (r.Y0 + r.Y1) / 2} }

func (r Rect) area() float64 { return math.Max(0, r.Dx()) * math.Max(0, r.Dy()) }

func (r Rect) intersect(s Rect) Rect {
	return Rect{math.Max(r.X0, s.X0), math.Max(r.Y0, s.Y0), math.Min(r.X1, s.X1), math.Min(r.Y1, s.Y1)}
}

// IoU is the intersection over union of two boxes.
func (r Rect) IoU(s Rect) float64 {
	i := r.intersect(s).area()
	if i <= 0 {
		return 0
	}
	return i / (r.area() + s.area() - i)
}

// Image returns the box rounded to integer pixels.
func (r Rect) Image() image.Rectangle {
	return image.Rect(int(math.Round(r.X0)), int(math.Round(r.Y0)), int(math.Round(r.X1)), int(math.Round(r.Y1)))
}

// Point is a position in image pixels.
type Point struct{ X, Y float64 }

// Box is a detected face.
type Box struct {
	Rect Rect
	// Score is pigo's cascade score summed over the merged detections;
	// higher is surer.
	Score float64
}

// Sure cascade boxes: a face scores at least SureMinScore and at least
// SureScoreRatio of the best box in the photo. People score 70–160 on the
// shared photos; the cascade's stray windows (a sweater, hands, a wall)
// 5–15, a tenth of the face beside them or less.
const (
	SureMinScore   = 12.0
	SureScoreRatio = 0.1
)

// MainFace picks the applicant's face among detected boxes: the widest of
// the sure ones (scoring at least minScore and ratio times the best box's
// score), since the applicant is nearest the camera; a stray window can be
// wider than the face but scores a tenth of it. sure marks the boxes that
// pass; the best-scoring box is the main face when none does. Boxes whose
// scores are not cascade scores (the CNNs' probabilities, all above their
// own bar) pass with minScore and ratio 0.
func MainFace(boxes []Box, minScore, ratio float64) (main Box, sure []bool) {
	if len(boxes) == 0 {
		return Box{}, nil
	}
	best := boxes[0]
	for _, b := range boxes[1:] {
		if b.Score > best.Score {
			best = b
		}
	}
	main = best
	sure = make([]bool, len(boxes))
	for i, b := range boxes {
		sure[i] = b.Score >= math.Max(minScore, ratio*best.Score)
		if sure[i] && b.Rect.Dx() > main.Rect.Dx() {
			main = b
		}
	}
	return main, sure
}

// Detection parameters, measured on the labelled boxes (docs/face.md).
const (
	// detectMaxSide is the longer side the image is reduced to before the
	// cascade runs: pigo's cost grows with the pixel count, and faces that
	// matter for KYC are far larger than its minimum window at this size.
	detectMaxSide = 640
	// detectMinFace is the smallest face searched for, in pixels of the
	// reduced image.
	detectMinFace = 20
	// DetectThreshold is the minimum score of a reported face.
	DetectThreshold = 5.0
	// detectBorder is the grey margin added on each side, as a fraction of
	// the reduced image's longer side.
	detectBorder = 0.2
	// nmsIoU suppresses a box overlapping a better one by more than this.
	nmsIoU = 0.3
	// nmsContained suppresses a box lying mostly inside a better one.
	nmsContained = 0.6
)

// Cascade scan steps: the window moves by cascadeShift of its size and
// grows by cascadeScale; detectMinFrac is the smallest face searched for as
// a share of the image's shorter side (smaller faces are useless for
// verification, and the small windows are most of the cascade's cost).
// Variables so that the evaluation can explore them; measured in
// docs/face.md.
var (
	cascadeShift  = 0.1
	cascadeScale  = 1.1
	detectMinFrac = 0.1
)

// Detect finds faces with pigo's cascade on a copy of img reduced to about
// 640 pixels, merges overlapping windows and returns the faces in image
// coordinates, best score first.
func Detect(img image.Image) []Box {
	return detectRGB(toRGB(img), DetectThreshold)
}

func detectRGB(m *rgbImage, threshold float64) []Box {
	return detectAngles(m, threshold, []float64{0})
}

// tiltAngles are the cascade rotations tried by detectTilted: ±11.25° and
// ±22.5° (pigo quantises angles to 1/32 of a turn).
var tiltAngles = []float64{1.0 / 32, 31.0 / 32, 2.0 / 32, 30.0 / 32}

// detectTilted looks for a tilted face. Rotated windows cost several times
// the upright ones, so it runs only where an upright search found nothing
// and a face is expected (a selfie or a portrait, not the FACE_MULTIPLE
// count).
func detectTilted(m *rgbImage, threshold float64) []Box {
	return detectAngles(m, threshold, tiltAngles)
}

func detectAngles(m *rgbImage, threshold float64, angles []float64) []Box {
	p, err := classifier()
	if err != nil || m.W < detectMinFace || m.H < detectMinFace {
		return nil
	}
	scale := 1.0
	if s := math.Max(float64(m.W), float64(m.H)); s > detectMaxSide {
		scale = detectMaxSide / s
	}
	w := int(math.Round(float64(m.W) * scale))
	h := int(math.Round(float64(m.H) * scale))
	gray := m.resizeGray(w, h)
	var boxes []Box
	for _, a := range angles {
		boxes = append(boxes, runCascadeAt(p, gray, w, h, 0, max(detectMinFace, int(float64(min(w, h))*detectMinFrac)), threshold, scale, a)...)
	}
	if len(angles) == 1 && angles[0] == 0 {
		// A grey border lets the cascade see a face that fills the frame
		// or touches its edge (close selfies, cropped portraits): its
		// windows must lie inside the image with a margin around the face.
		// Only large windows are searched (small faces were searched
		// above), which keeps this pass cheap.
		pad := int(math.Round(detectBorder * math.Max(float64(w), float64(h))))
		minSize := max(detectMinFace, min(w, h)/2)
		boxes = append(boxes, runCascade(p, padGray(gray, w, h, pad), w+2*pad, h+2*pad, pad, minSize, threshold, scale)...)
	}
	return suppress(boxes)
}

// suppress keeps the best of overlapping boxes (non-maximum suppression),
// also dropping boxes that sit mostly inside a better one, which the
// cascade produces for a face's parts.
func suppress(boxes []Box) []Box {
	sort.SliceStable(boxes, func(i, j int) bool { return boxes[i].Score > boxes[j].Score })
	var kept []Box
	for _, b := range boxes {
		ok := true
		for _, k := range kept {
			inter := b.Rect.intersect(k.Rect).area()
			if b.Rect.IoU(k.Rect) > nmsIoU || inter > nmsContained*math.Min(b.Rect.area(), k.Rect.area()) {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, b)
		}
	}
	return kept
}

// resizeGray returns the luma plane resampled to w×h by area averaging,
// summing each source row's luma into columns as it goes rather than
// building a full-size plane first.
func (m *rgbImage) resizeGray(w, h int) []uint8 {
	if w == m.W && h == m.H {
		return m.gray()
	}
	out := make([]uint8, w*h)
	xSpans, ySpans := areaSpans(m.W, w), areaSpans(m.H, h)
	cols := make([]int, m.W)
	for y, ys := range ySpans {
		clear(cols)
		for yy := ys[0]; yy < ys[1]; yy++ {
			for x := range cols {
				cols[x] += int(m.luma(yy*m.W + x))
			}
		}
		for x, xs := range xSpans {
			sum := 0
			for _, c := range cols[xs[0]:xs[1]] {
				sum += c
			}
			n := (xs[1] - xs[0]) * (ys[1] - ys[0])
			out[y*w+x] = uint8((sum + n/2) / n)
		}
	}
	return out
}

// areaSpans returns, for each of the n cells that in source pixels are
// reduced to, the pixels [from, to) it averages: at least one, neighbours
// sharing the pixel they split.
func areaSpans(in, n int) [][2]int {
	s := float64(in) / float64(n)
	spans := make([][2]int, n)
	for i := range spans {
		from := int(float64(i) * s)
		spans[i] = [2]int{from, min(in, max(from+1, int(math.Round(float64(i+1)*s))))}
	}
	return spans
}

// padGray surrounds a w×h plane with pad pixels of mid grey.
func padGray(g []uint8, w, h, pad int) []uint8 {
	if pad == 0 {
		return g
	}
	pw := w + 2*pad
	out := make([]uint8, pw*(h+2*pad))
	for i := range out {
		out[i] = 128
	}
	for y := 0; y < h; y++ {
		copy(out[(y+pad)*pw+pad:], g[y*w:(y+1)*w])
	}
	return out
}

// runCascade runs pigo over a w×h plane whose content starts pad pixels in,
// and returns the clustered detections above threshold in the coordinates
// of the original image (the plane being that image reduced by scale).
func runCascade(p *pigo.Pigo, gray []uint8, w, h, pad, minSize int, threshold, scale float64) []Box {
	return runCascadeAt(p, gray, w, h, pad, minSize, threshold, scale, 0)
}

// runCascadeAt is runCascade with the cascade rotated by angle (a fraction
// of a turn, pigo's unit).
func runCascadeAt(p *pigo.Pigo, gray []uint8, w, h, pad, minSize int, threshold, scale, angle float64) []Box {
	params := pigo.CascadeParams{
		MinSize:     minSize,
		MaxSize:     min(w, h),
		ShiftFactor: cascadeShift,
		ScaleFactor: cascadeScale,
		ImageParams: pigo.ImageParams{Pixels: gray, Rows: h, Cols: w, Dim: w},
	}
	dets := p.ClusterDetections(p.RunCascade(params, angle), 0.2)
	var boxes []Box
	for _, d := range dets {
		if float64(d.Q) < threshold {
			continue
		}
		half := float64(d.Scale) / 2
		col, row := float64(d.Col-pad), float64(d.Row-pad)
		boxes = append(boxes, Box{Rect: Rect{
			X0: (col - half) / scale, Y0: (row - half) / scale,
			X1: (col + half) / scale, Y1: (row + half) / scale,
		}, Score: float64(d.Q)})
	}
	return boxes
}
