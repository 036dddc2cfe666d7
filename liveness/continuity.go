package liveness

import (
	"image"
	"math"
)

// Scene continuity: a camera films the applicant and whatever is around
// them — background, shoulders, hair, light — and all of it changes
// smoothly with time (the body sways, a hand-held phone drifts, light
// shifts). So in a real burst each frame's surroundings look most like its
// neighbours' in time. Frames reordered or shuffled from a recording break
// this: the frame next in the burst was taken long before or after, while
// the frame taken just before it sits elsewhere in the burst. This holds
// whatever the head does, also for a head shake, whose face poses repeat
// every few frames and so cannot show the order themselves.

// sceneGrid is the side of the luma thumbnail each frame is reduced to; each
// cell averages sceneCellSamples² pixels, which evens out sensor and JPEG
// noise.
const (
	sceneGrid        = 48
	sceneCellSamples = 4
)

// sceneFaceMargin grows the face box by this share of its size on each side
// before its cells are left out of the scene: hair and neck move with the
// head.
const sceneFaceMargin = 1.0 / 3

// minSceneCells is the share of the thumbnail that must lie outside both
// faces for two frames to be compared: a face filling the picture leaves
// too little scene to judge.
const minSceneCells = 0.25

// sceneThumbnail reduces img to a sceneGrid×sceneGrid grid of mean luma
// (0–1).
func sceneThumbnail(img image.Image) []float32 {
	b := img.Bounds()
	luma := lumaAt(img)
	out := make([]float32, sceneGrid*sceneGrid)
	const n = sceneGrid * sceneCellSamples
	for gy := 0; gy < sceneGrid; gy++ {
		for gx := 0; gx < sceneGrid; gx++ {
			var s float64
			for dy := 0; dy < sceneCellSamples; dy++ {
				y := b.Min.Y + ((gy*sceneCellSamples+dy)*2+1)*b.Dy()/(2*n)
				for dx := 0; dx < sceneCellSamples; dx++ {
					x := b.Min.X + ((gx*sceneCellSamples+dx)*2+1)*b.Dx()/(2*n)
					s += luma(x, y)
				}
			}
			out[gy*sceneGrid+gx] = float32(s / (sceneCellSamples * sceneCellSamples))
		}
	}
	return out
}

// lumaAt returns a Rec. 601 luma (0–1) reader for img, reading the Y plane
// directly for decoded JPEGs.
func lumaAt(img image.Image) func(x, y int) float64 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float64 { return float64(m.Y[m.YOffset(x, y)]) / 255 }
	case *image.Gray:
		return func(x, y int) float64 { return float64(m.Pix[m.PixOffset(x, y)]) / 255 }
	}
	return func(x, y int) float64 {
		r, g, b, _ := img.At(x, y).RGBA()
		return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 65535
	}
}

// sceneMask marks the thumbnail cells covered by the face box grown by
// sceneFaceMargin; nil when the frame has no face.
func sceneMask(bounds, face image.Rectangle) []bool {
	if face.Empty() {
		return nil
	}
	grow := image.Pt(int(float64(face.Dx())*sceneFaceMargin), int(float64(face.Dy())*sceneFaceMargin))
	r := image.Rectangle{Min: face.Min.Sub(grow), Max: face.Max.Add(grow)}
	mask := make([]bool, sceneGrid*sceneGrid)
	for gy := 0; gy < sceneGrid; gy++ {
		for gx := 0; gx < sceneGrid; gx++ {
			c := image.Pt(bounds.Min.X+(2*gx+1)*bounds.Dx()/(2*sceneGrid), bounds.Min.Y+(2*gy+1)*bounds.Dy()/(2*sceneGrid))
			mask[gy*sceneGrid+gx] = c.In(r)
		}
	}
	return mask
}

// sceneDistance is the mean absolute luma difference of two thumbnails over
// the cells outside both faces, or NaN when too few cells remain.
func sceneDistance(a, b []float32, maskA, maskB []bool) float64 {
	if a == nil || b == nil {
		return math.NaN()
	}
	var s float64
	n := 0
	for i := range a {
		if (maskA != nil && maskA[i]) || (maskB != nil && maskB[i]) {
			continue
		}
		s += math.Abs(float64(a[i] - b[i]))
		n++
	}
	if float64(n) < minSceneCells*float64(len(a)) {
		return math.NaN()
	}
	return s / float64(n)
}

// sceneDisorder is the mean scene distance between consecutive frames over
// the mean distance from each frame to its most similar other frame. In a
// real burst a frame's most similar frame is a neighbour in time, so the
// ratio stays near 1 (noise makes it 1.1–1.6 when the scene hardly
// changes); reordered frames drive it up to the typical distance between
// frames taken far apart. ok is false when fewer than half the consecutive
// pairs could be compared.
func sceneDisorder(st []frameState) (ratio float64, ok bool) {
	n := len(st)
	var adjacent, nearest float64
	adjacentN, nearestN := 0, 0
	for i := 0; i < n; i++ {
		best := math.Inf(1)
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			d := sceneDistance(st[i].scene, st[j].scene, st[i].sceneMask, st[j].sceneMask)
			if math.IsNaN(d) {
				continue
			}
			best = math.Min(best, d)
			if j == i+1 {
				adjacent += d
				adjacentN++
			}
		}
		if !math.IsInf(best, 1) {
			nearest += best
			nearestN++
		}
	}
	if adjacentN == 0 || 2*adjacentN < n-1 || nearest <= 0 {
		return 0, false
	}
	return (adjacent / float64(adjacentN)) / (nearest / float64(nearestN)), true
}
