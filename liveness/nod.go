package liveness

import (
	"math"
	"slices"
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

// nodHoldMaxMS is the longest a nod may rest at its bottom (or top) and
// still count: a deliberate nod pauses there, often half a second or more.
const nodHoldMaxMS = 2500

// nodHoldFlat is how much a hold may move, as a fraction of its
// excursion: a head resting at the bottom of a nod moves by the
// landmarks' noise, a run across several nods by a whole nod.
const nodHoldFlat = 0.5

// nodScores measures, per frame, a nod down (down) and a nod up (up) as an
// excursion and return of two cues summed: the nose tip's height in the
// picture, in face heights (eye line to chin, the burst's median), and the
// pitch ratio (nose tip between eye line and chin, Shape.Pitch). A nod
// rotates the head about the neck, below and behind the face, so the whole
// face sinks in the picture while the nose tip, which stands out of it,
// sinks toward the chin: on the shared nodding clip, subsampled to 6 fps,
// the nose falls 0.16–0.58 face heights per nod while the pitch ratio
// changes only 0.04–0.18, about as much as in a head shake.
// A frame's score is that of the best hold it belongs to: a run of frames
// (one, for a brisk nod; up to nodHoldMaxMS, for a nod that pauses at its
// bottom) whose lowest excursion stands above the frames within
// nodWindowMS before and after the run (the side that stays closer to it;
// holdExcursion). So a slow drift of the head or a burst that nods
// throughout does not shift it, a run without frames on both sides scores
// 0 (a nod is seen going and coming back), and a slow rise, whose run
// edges sink into their neighbourhood, is no more a nod than before.
// Down and up are kept apart so that repeated nods stay separate events
// (the frames between two nods down are a nod up). NaN marks a frame
// without a face.
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
	score := func(dir float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			if math.IsNaN(sum[i]) {
				out[i] = math.NaN()
			}
		}
		for a := range sum {
			for b := a; b < n && !math.IsNaN(sum[b]) && ts[b]-ts[a] <= nodHoldMaxMS; b++ {
				// Each cue must move by itself, the same way, against
				// the same frames.
				if holdExcursion(drop, ts, a, b, dir) < nodCueMin || holdExcursion(pitch, ts, a, b, dir) < nodCueMin {
					continue
				}
				v := math.Max(0, holdExcursion(sum, ts, a, b, dir))
				if b > a && spread(sum[a:b+1]) > nodHoldFlat*v {
					// Not held: the run goes on moving (several nods).
					continue
				}
				for k := a; k <= b; k++ {
					out[k] = math.Max(out[k], v)
				}
			}
		}
		return out
	}
	return score(1), score(-1)
}

// holdExcursion is how far the frames a..b of x, in direction dir, all
// stand above the frames within nodWindowMS before a and after b: the
// lowest of dir·x[a..b] minus, of the lowest on each side, the higher (the
// side that returns less). It is −Inf without a frame with a value on
// either side.
func holdExcursion(x []float64, ts []int64, a, b int, dir float64) float64 {
	hold := math.Inf(1)
	for k := a; k <= b; k++ {
		hold = math.Min(hold, dir*x[k])
	}
	side := func(from, step int, t0 int64) float64 {
		low := math.Inf(1)
		for j := from; j >= 0 && j < len(x) && abs64(ts[j]-t0) <= nodWindowMS; j += step {
			if !math.IsNaN(x[j]) {
				low = math.Min(low, dir*x[j])
			}
		}
		return low
	}
	return hold - math.Max(side(a-1, -1, ts[a]), side(b+1, 1, ts[b]))
}

// spread is the range of xs (no NaN in it).
func spread(xs []float64) float64 {
	return slices.Max(xs) - slices.Min(xs)
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
