package liveness

import (
	"math"
	"sort"
)

// Limit bounds how long one action may take, measured from the last neutral
// frame before it to the first neutral frame after it (so the capture's frame
// spacing is part of the measure, and an action seen in one frame at 8 fps
// spans 250 ms).
type Limit struct {
	MinMS, MaxMS int64
}

// Thresholds says when a signal counts as performing an action: it must
// pass On at least once and stays in the action while beyond Off
// (hysteresis, so noise around one threshold does not split one action in
// two).
type Thresholds struct {
	On, Off float64
}

// event is one contiguous excursion of an action's signal.
type event struct {
	action     Action
	start, end int // frame indices, inclusive
	peak       int
	amplitude  float64
	startMS    int64 // time of the neutral frame before (or extrapolated)
	endMS      int64 // time of the neutral frame after (or extrapolated)
}

func (e event) durationMS() int64 { return e.endMS - e.startMS }

// detectEvents finds the runs where dev ≥ th.Off containing a value ≥ th.On.
// NaN (no face in the frame) ends a run.
func detectEvents(a Action, ts []int64, dev []float64, th Thresholds) []event {
	n := len(dev)
	gap := medianGap(ts)
	var out []event
	for i := 0; i < n; {
		if math.IsNaN(dev[i]) || dev[i] < th.Off {
			i++
			continue
		}
		j := i
		peak := i
		for j+1 < n && !math.IsNaN(dev[j+1]) && dev[j+1] >= th.Off {
			j++
			if dev[j] > dev[peak] {
				peak = j
			}
		}
		if dev[peak] >= th.On {
			e := event{action: a, start: i, end: j, peak: peak, amplitude: dev[peak]}
			if i > 0 {
				e.startMS = ts[i-1]
			} else {
				e.startMS = ts[i] - gap
			}
			if j+1 < n {
				e.endMS = ts[j+1]
			} else {
				e.endMS = ts[j] + gap
			}
			out = append(out, e)
		}
		i = j + 1
	}
	return out
}

func medianGap(ts []int64) int64 {
	if len(ts) < 2 {
		return 0
	}
	g := make([]int64, 0, len(ts)-1)
	for i := 1; i < len(ts); i++ {
		g = append(g, ts[i]-ts[i-1])
	}
	sort.Slice(g, func(i, j int) bool { return g[i] < g[j] })
	return g[len(g)/2]
}

// ActionResult is what was found for one asked action.
type ActionResult struct {
	Action Action `json:"action"`
	// Status is "ok", "missing", "order", "too_fast" or "too_slow".
	Status     string  `json:"status"`
	StartMS    int64   `json:"start_ms,omitempty"`
	EndMS      int64   `json:"end_ms,omitempty"`
	DurationMS int64   `json:"duration_ms,omitempty"`
	Amplitude  float64 `json:"amplitude,omitempty"`
	// Frames are the first and last frame index of the action.
	Frames [2]int `json:"frames"`
}

// matchActions looks for the asked actions in order: each must begin after
// the previous one began. Among the candidates it takes the first whose
// duration is within limits; when every candidate is out of limits, the
// first one's fault (too fast, too slow) is reported. An action that only
// occurs before the previous one is out of order.
func matchActions(asked []Action, events map[Action][]event, limits map[Action]Limit) []ActionResult {
	out := make([]ActionResult, 0, len(asked))
	after := -1
	for _, a := range asked {
		var cands []event
		for _, e := range events[a] {
			if e.start > after {
				cands = append(cands, e)
			}
		}
		if len(cands) == 0 {
			st := "missing"
			if len(events[a]) > 0 {
				st = "order"
			}
			out = append(out, ActionResult{Action: a, Status: st, Frames: [2]int{-1, -1}})
			continue
		}
		lim := limits[a]
		chosen, status := cands[0], ""
		for _, e := range cands {
			if d := e.durationMS(); d >= lim.MinMS && (lim.MaxMS == 0 || d <= lim.MaxMS) {
				chosen, status = e, "ok"
				break
			}
		}
		if status == "" {
			if chosen.durationMS() < lim.MinMS {
				status = "too_fast"
			} else {
				status = "too_slow"
			}
		}
		after = chosen.start
		out = append(out, ActionResult{
			Action: a, Status: status, StartMS: chosen.startMS, EndMS: chosen.endMS,
			DurationMS: chosen.durationMS(), Amplitude: chosen.amplitude,
			Frames: [2]int{chosen.start, chosen.end},
		})
	}
	return out
}
