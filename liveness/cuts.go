package liveness

import (
	"fmt"
	"sort"
)

// The issue's recipe for genuine sequences: "challenge sequences cut and
// reordered from the real clips (the right actions in the right order)".
// Each labelled action of a clip is cut out with the neutral moments around
// it, and the cuts of one clip (one person) are joined so that the actions
// come in the asked order, whatever their order in the recording. A burst
// joined this way is what an applicant who pauses between actions sends:
// each junction joins two still moments of the same face.

// actionCut is a stretch of one clip around one labelled action: frames
// [from, to).
type actionCut struct {
	action   Action
	from, to int
}

// cutMarginMS is how much of the recording is kept before and after each
// labelled action: enough still frames on either side for the blink and
// nod scores, which compare a frame with those up to 400 ms around it.
// tightMarginMS keeps about one frame of the stock clips on either side:
// a burst that starts and ends with the actions.
const (
	cutMarginMS   = 450
	tightMarginMS = 120
)

// maxCutsPerOrder caps the sequences made from one clip for one order of
// actions; the head-shake clip alone would give well over a hundred.
const maxCutsPerOrder = 4

// frameGap is the time between a clip's first two frames, the spacing its
// cuts are sent with (100 ms for a clip of one frame).
func frameGap(c Clip) int64 {
	if len(c.Frames) < 2 {
		return 100
	}
	return c.Frames[1].TimestampMS - c.Frames[0].TimestampMS
}

// clipCuts lists the stretches around each labelled action of c.
// Timestamps must already be those the sequence is sent with.
func clipCuts(c Clip, nods [][3]int, marginMS int64) []actionCut {
	gap := frameGap(c)
	margin := int((marginMS + gap - 1) / gap)
	around := func(a Action, first, last int) actionCut {
		return actionCut{a, max(0, first-margin), min(len(c.Frames), last+margin+1)}
	}
	var cuts []actionCut
	for _, l := range c.Labels {
		switch {
		case l.Action == "blink" && len(l.Frames) == 2:
			cuts = append(cuts, around(Blink, l.Frames[0], l.Frames[1]))
		case l.Action == "mouth_open" && len(l.Frames) == 2:
			cuts = append(cuts, around(OpenMouth, l.Frames[0], l.Frames[1]))
		case l.Action == "turn_extremes":
			for _, f := range l.Extremes { // facing image-left: the subject's right
				cuts = append(cuts, around(TurnRight, f, f))
			}
			for _, f := range l.Right {
				cuts = append(cuts, around(TurnLeft, f, f))
			}
		}
	}
	for _, cyc := range nods {
		cuts = append(cuts, around(Nod, cyc[0], cyc[2]))
	}
	sort.SliceStable(cuts, func(i, j int) bool { return cuts[i].from < cuts[j].from })
	return cuts
}

// cutSequences joins the cuts of each clip into genuine sequences: every
// pair of cuts of two different actions that share no frame, in both
// orders (at most maxCutsPerOrder per clip and order, spread over the
// clip), and every cut alone when its clip has one kind of action only;
// marginMS of the recording around each action, the sequences of the given
// kind.
func cutSequences(clips map[string]Clip, testdata string, marginMS int64, kind string) []Sequence {
	names := make([]string, 0, len(clips))
	for n := range clips {
		names = append(names, n)
	}
	sort.Strings(names)
	var seqs []Sequence
	for _, name := range names {
		c := clips[name]
		var nods [][3]int
		if name == "nodpigeon_head_nodding" {
			nods = nodCycles(testdata)
		}
		cuts := clipCuts(c, nods, marginMS)
		gap := frameGap(c)
		join := func(parts ...actionCut) {
			var frames []Frame
			var acts []Action
			label := name
			for _, p := range parts {
				frames = append(frames, c.Frames[p.from:p.to]...)
				acts = append(acts, p.action)
				label += fmt.Sprintf("[%d:%d]", p.from, p.to)
			}
			if len(frames) < DefaultConfig().MinFrames {
				return
			}
			seqs = append(seqs, Sequence{Name: label, Kind: kind,
				Challenge: evalChallenge("cut_"+label, acts...), Frames: retime(frames, gap)})
		}
		kinds := map[Action]bool{}
		for _, ct := range cuts {
			kinds[ct.action] = true
		}
		if len(kinds) == 1 {
			for _, ct := range cuts {
				join(ct)
			}
			continue
		}
		perOrder := map[[2]Action][][2]actionCut{}
		for _, a := range cuts {
			for _, b := range cuts {
				if a.action != b.action && (a.to <= b.from || b.to <= a.from) {
					k := [2]Action{a.action, b.action}
					perOrder[k] = append(perOrder[k], [2]actionCut{a, b})
				}
			}
		}
		orders := make([][2]Action, 0, len(perOrder))
		for k := range perOrder {
			orders = append(orders, k)
		}
		sort.Slice(orders, func(i, j int) bool {
			return string(orders[i][0])+string(orders[i][1]) < string(orders[j][0])+string(orders[j][1])
		})
		for _, k := range orders {
			pairs := perOrder[k]
			n := min(maxCutsPerOrder, len(pairs))
			for i := 0; i < n; i++ {
				p := pairs[i*len(pairs)/n]
				join(p[0], p[1])
			}
		}
	}
	return seqs
}
