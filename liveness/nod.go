package liveness

import (
	"math"
	"sort"
)

// nodWindowMS is how far before and after a frame the head's resting
// position is looked for: a brisk nod goes down and back within about
// 0.8 s, so its peak lies within this of a frame on each side where the
// head is back up (the same span as the blink window).
const nodWindowMS = 400

// nodCueMin is how far each of the two nod cues must itself move in the
// nod's direction, against the same frames: the nose alone moves when the
// camera or the body moves, and the pitch ratio alone with the landmarks'
// noise when the head turns, but not both together (docs/liveness.md).
const nodCueMin = 0.03

// nodScores measures, per frame, a nod down (down) and a nod up (up) as an
// excursion and return of two cues summed: the nose tip's height in the
// picture, in face heights (eye line to chin, the burst's median), and the
// pitch ratio (nose tip between eye line and chin, Shape.Pitch). A nod
// rotates the head about the neck, below and behind the face, so the whole
// face sinks in the picture while the nose tip, which stands out of it,
// sinks toward the chin: on the shared nodding clip, subsampled to 6 fps,
// the nose falls 0.16–0.58 face heights per nod while the pitch ratio
// changes only 0.04–0.18, about as much as in a head shake.
// Each excursion is taken against the frames within nodWindowMS on both
// sides (the side that stays closer to the peak), so a slow drift of the
// head or a burst that nods throughout does not shift it, and a frame
// without frames on both sides scores 0: a nod is seen going and coming
// back. Down and up are kept apart so that repeated nods stay separate
// events (the frames between two nods down are a nod up). NaN marks a
// frame without a face.
func nodScores(st []frameState, ts []int64) (down, up []float64) {
	n := len(st)
	var heights []float64
	for _, s := range st {
		if s.obs.Shape != nil {
			heights = append(heights, s.obs.Shape.FaceHeight())
		}
	}
	h := quantile(heights, 0.5)
	drop, pitch, sum := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, s := range st {
		if s.obs.Shape == nil || !(h > 0) {
			drop[i], pitch[i], sum[i] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		drop[i] = s.obs.Shape[30].Y / h
		pitch[i] = s.pitch
		sum[i] = drop[i] + pitch[i]
	}
	score := func(i int, dir float64) float64 {
		if excursion(drop, ts, i, dir) < nodCueMin || excursion(pitch, ts, i, dir) < nodCueMin {
			return 0
		}
		return math.Max(0, excursion(sum, ts, i, dir))
	}
	down, up = make([]float64, n), make([]float64, n)
	for i := range sum {
		if math.IsNaN(sum[i]) {
			down[i], up[i] = math.NaN(), math.NaN()
			continue
		}
		down[i], up[i] = score(i, 1), score(i, -1)
	}
	return down, up
}

// excursion is how far dir·x[i] stands above the frames within
// nodWindowMS before and after it: above the lowest of each side, and of
// the two the higher (the side that returns less). It is −Inf without a
// frame with a value on either side.
func excursion(x []float64, ts []int64, i int, dir float64) float64 {
	ref := math.Inf(-1)
	for _, step := range []int{-1, 1} {
		low := math.Inf(1)
		for j := i + step; j >= 0 && j < len(x) && abs64(ts[j]-ts[i]) <= nodWindowMS; j += step {
			if !math.IsNaN(x[j]) {
				low = math.Min(low, dir*x[j])
			}
		}
		ref = math.Max(ref, low)
	}
	return dir*x[i] - ref
}

// maxScore is the largest value in any of xss ignoring NaN (frames
// without a face), 0 when there is none.
func maxScore(xss ...[]float64) float64 {
	m := 0.0
	for _, xs := range xss {
		for _, x := range xs {
			if x > m {
				m = x
			}
		}
	}
	return m
}

// nodEvents are the nods down and up, in order of their start.
func nodEvents(ts []int64, down, up []float64, th Thresholds) []event {
	events := append(detectEvents(Nod, ts, down, th), detectEvents(Nod, ts, up, th)...)
	sort.Slice(events, func(i, j int) bool { return events[i].start < events[j].start })
	return events
}
