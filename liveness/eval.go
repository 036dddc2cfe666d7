package liveness

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/kycgate/kycgate/internal/capture"
)

// Sequence is one generated challenge response for the evaluation.
type Sequence struct {
	Name string
	// Kind is "genuine" (a window of one clip), "genuine_cut" and
	// "genuine_tight_cut" (cuts of one clip joined in the asked order,
	// cuts.go) or the attack: wrong_order, too_fast, too_fast_dropped,
	// too_fast_dropped_single, still_photo, spoof_clip, stationary,
	// replayed, reordered, duplicated_frame, face_changed, missing.
	Kind      string
	Challenge Challenge
	Frames    []Frame
}

// evalEpoch is the fixed issue time of the evaluation's challenges.
var evalEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func evalChallenge(id string, actions ...Action) Challenge {
	return Challenge{ID: id, Actions: actions, IssuedAt: evalEpoch, ExpiresAt: evalEpoch.Add(DefaultTTL)}
}

// retime gives the frames new timestamps gapMS apart, starting at 200 ms:
// the shared clips were subsampled below 8 fps, and "too fast" attacks
// compress a real action into a few milliseconds.
func retime(frames []Frame, gapMS int64) []Frame {
	out := make([]Frame, len(frames))
	for i, f := range frames {
		f.TimestampMS = 200 + int64(i)*gapMS
		out[i] = f
	}
	return out
}

// jitter makes a still-photo burst: the same picture n times with the small
// rotation, scale and shift of a hand-held print or phone.
func jitter(img image.Image, n int, gapMS int64) []Frame {
	var out []Frame
	b := img.Bounds()
	for i := 0; i < n; i++ {
		a := 0.03 * math.Sin(float64(i)*1.3)
		sc := 1 + 0.03*math.Cos(float64(i)*0.7)
		dst := image.NewRGBA(b)
		cx, cy := float64(b.Min.X+b.Max.X)/2, float64(b.Min.Y+b.Max.Y)/2
		c, s := sc*math.Cos(a), sc*math.Sin(a)
		dx, dy := 4*math.Sin(float64(i)), 3*math.Cos(float64(i)*0.5)
		m := f64.Aff3{c, -s, cx - c*cx + s*cy + dx, s, c, cy - s*cx - c*cy + dy}
		draw.BiLinear.Transform(dst, m, img, b, draw.Src, nil)
		out = append(out, Frame{Image: dst, TimestampMS: 200 + int64(i)*gapMS})
	}
	return out
}

// clipFiles are the real clips, with the frame gap used when their own
// sampling is below 8 fps (0 keeps the source timestamps).
var clipFiles = []struct {
	rel   string
	gapMS int64
}{
	{"liveness/liveportrait_d0_smile_blink.json", 0},
	{"liveness/liveportrait_d9_glasses_blink.json", 0},
	{"liveness/liveportrait_d18_mouth_open.json", 0},
	{"liveness/nodpigeon_head_turning.json", 110},
	{"liveness/nodpigeon_head_nodding.json", 110},
	{"liveness/nodpigeon_head_stationary.json", 110},
}

// Sequences generates the evaluation's genuine and attack sequences from
// the clips in testdata, deterministically.
func Sequences(testdata string) ([]Sequence, map[string]Clip, error) {
	clips := map[string]Clip{}
	for _, cf := range clipFiles {
		c, err := LoadClip(testdata, cf.rel)
		if err != nil {
			return nil, nil, err
		}
		if cf.gapMS > 0 {
			c.Frames = retime(c.Frames, cf.gapMS)
		}
		clips[c.Name] = c
	}
	var seqs []Sequence
	add := func(kind, name string, ch Challenge, frames []Frame) {
		seqs = append(seqs, Sequence{Name: name, Kind: kind, Challenge: ch, Frames: frames})
	}
	sub := func(c Clip, from, to int) []Frame {
		out := append([]Frame(nil), c.Frames[from:to]...)
		t0 := out[0].TimestampMS - 200
		for i := range out {
			out[i].TimestampMS -= t0
		}
		return out
	}
	var genuine []Sequence

	// d18: mouth open 3–12, blink 13, mouth open 21–32, blink 43.
	d18 := clips["liveportrait_d18_mouth_open"]
	d18Cuts := []struct {
		from, to int
		acts     []Action
	}{{0, 20, []Action{OpenMouth, Blink}}, {10, 34, []Action{Blink, OpenMouth}}, {14, 46, []Action{OpenMouth, Blink}}}
	for _, g := range d18Cuts {
		name := fmt.Sprintf("d18[%d:%d]", g.from, g.to)
		genuine = append(genuine, Sequence{Name: name, Kind: "genuine",
			Challenge: evalChallenge("g_"+name, g.acts...), Frames: sub(d18, g.from, g.to)})
	}
	// Head shake: windows of 16 frames; the challenge is the first two
	// turns in the window, in the order performed. The subject turning to
	// their right faces image-left.
	turn := clips["nodpigeon_head_turning"]
	var lefts, rights []int
	for _, l := range turn.Labels {
		if l.Action == "turn_extremes" {
			rights, lefts = l.Extremes, l.Right // image-left = turn_right
		}
	}
	for from := 0; from+16 <= len(turn.Frames); from += 4 {
		first, second := firstIn(lefts, from+1, from+15), firstIn(rights, from+1, from+15)
		if first < 0 || second < 0 {
			continue
		}
		acts := []Action{TurnLeft, TurnRight}
		if second < first {
			acts = []Action{TurnRight, TurnLeft}
		}
		name := fmt.Sprintf("turning[%d:%d]", from, from+16)
		genuine = append(genuine, Sequence{Name: name, Kind: "genuine",
			Challenge: evalChallenge("g_"+name, acts...), Frames: sub(turn, from, from+16)})
	}
	seqs = append(seqs, genuine...)
	cuts := cutSequences(clips, testdata, cutMarginMS, "genuine_cut")
	seqs = append(seqs, cuts...)
	// The same cuts with about one frame around each action.
	seqs = append(seqs, cutSequences(clips, testdata, tightMarginMS, "genuine_tight_cut")...)
	// Too fast by dropping frames (the recipe): every cut sequence
	// with one of each two frames dropped, and two of each three, at the
	// same frame spacing, so each action takes a half or a third of its
	// time. Only cuts of clips recorded at 10 fps or more: the nodpigeon
	// clips were subsampled to 6 fps, so each of their turns and nods
	// already spans one or two frames, and dropping frames leaves a burst
	// too short to judge rather than a faster one.
	// Cuts of a clip with one kind of action answer a one-action challenge,
	// which NewChallenge never issues (it draws 2 or 3 actions): they are
	// scored apart, as too_fast_dropped_single.
	for _, g := range cuts {
		gap := g.Frames[1].TimestampMS - g.Frames[0].TimestampMS
		if gap > 100 {
			continue
		}
		kind := "too_fast_dropped"
		if len(g.Challenge.Actions) < 2 {
			kind = "too_fast_dropped_single"
		}
		for _, every := range []int{2, 3} {
			var kept []Frame
			for i := 0; i < len(g.Frames); i += every {
				kept = append(kept, g.Frames[i])
			}
			add(kind, fmt.Sprintf("%s every %d frames", g.Name, every), evalChallenge(fmt.Sprintf("fd%d_%s", every, g.Name), g.Challenge.Actions...),
				retime(kept, gap))
		}
	}

	// Wrong order: the d18 cuts asked the other way round.
	add("wrong_order", "d18[0:20] blink,open_mouth", evalChallenge("o1", Blink, OpenMouth), sub(d18, 0, 20))
	add("wrong_order", "d18[14:46] blink,open_mouth", evalChallenge("o2", Blink, OpenMouth), sub(d18, 14, 46))
	// Too fast: every genuine sequence replayed at 15 ms per frame.
	for _, g := range genuine {
		add("too_fast", g.Name+" @15ms", evalChallenge("f_"+g.Name, g.Challenge.Actions...), retime(g.Frames, 15))
	}
	// Missing: the head shake asked to blink and open the mouth.
	add("missing", "turning[0:16] open_mouth,nod", evalChallenge("m1", OpenMouth, Nod), sub(turn, 0, 16))
	// Stationary control.
	stat := clips["nodpigeon_head_stationary"]
	for i, acts := range [][]Action{{TurnLeft, Nod}, {OpenMouth, TurnRight}, {Nod, Blink, TurnLeft}} {
		add("stationary", fmt.Sprintf("stationary[%d:%d]", i*20, i*20+20), evalChallenge(fmt.Sprintf("s%d", i), acts...), sub(stat, i*20, i*20+20))
	}
	// Face changed: one person opens the mouth, another blinks.
	d9 := clips["liveportrait_d9_glasses_blink"]
	mixed := append(append([]Frame(nil), d18.Frames[0:14]...), d9.Frames[0:24]...)
	add("face_changed", "d18[0:14]+d9[0:24]", evalChallenge("c1", OpenMouth, Blink), retime(mixed, 100))
	// Duplicated frame inside a genuine burst.
	dup := sub(d18, 0, 20)
	dup[8].Image, dup[8].Data = dup[7].Image, dup[7].Data
	add("duplicated_frame", "d18[0:20] frame 7 twice", evalChallenge("d1", OpenMouth, Blink), dup)

	// Stills: the first frame of every clip and the spoof photos, jittered.
	names := make([]string, 0, len(clips))
	for n := range clips {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		acts := [][]Action{{Blink, TurnLeft}, {OpenMouth, Nod}, {TurnRight, Blink}}[i%3]
		add("still_photo", n+"/000 jittered", evalChallenge("p_"+n, acts...), jitter(clips[n].Frames[0].Image, 12, 100))
	}
	var spoof struct {
		Images []struct {
			File  string `json:"file"`
			Label string `json:"label"`
		} `json:"images"`
	}
	if raw, err := os.ReadFile(filepath.Join(testdata, "spoof", "spoof_labels.json")); err == nil {
		if err := json.Unmarshal(raw, &spoof); err != nil {
			return nil, nil, fmt.Errorf("liveness: spoof labels: %w", err)
		}
	}
	for _, im := range spoof.Images {
		if im.Label != "spoof" {
			continue
		}
		c, err := loadImage(filepath.Join(testdata, "spoof", im.File))
		if err != nil {
			return nil, nil, err
		}
		add("still_photo", "spoof/"+im.File+" jittered", evalChallenge("p_"+im.File, Blink, TurnLeft), jitter(c, 12, 100))
	}
	// Spoof clips: a printed photo and a screen replay held to the camera.
	for _, rel := range []string{"spoof/silent_face_demo_print.json", "spoof/silent_face_demo_screen_replay.json"} {
		c, err := LoadClip(testdata, rel)
		if err != nil {
			return nil, nil, err
		}
		for i, acts := range [][]Action{{Blink, TurnLeft}, {OpenMouth, Nod}, {TurnRight, Blink}} {
			add("spoof_clip", fmt.Sprintf("%s %d", c.Name, i), evalChallenge(fmt.Sprintf("sc_%s_%d", c.Name, i), acts...), c.Frames)
		}
	}
	// Reordered: every genuine burst with its frames shuffled (a fixed
	// permutation) under fresh, increasing timestamps.
	for _, g := range genuine {
		sh := make([]Frame, len(g.Frames))
		for i := range sh {
			sh[i] = g.Frames[(i*7+3)%len(g.Frames)]
		}
		if len(g.Frames)%7 == 0 { // the stride must visit every frame
			continue
		}
		add("reordered", g.Name+" shuffled", evalChallenge("x_"+g.Name, g.Challenge.Actions...), retime(sh, 100))
	}
	// Replays: every genuine burst sent again for a new challenge with the
	// same actions (Evaluate verifies the genuine ones first).
	for _, g := range genuine {
		add("replayed", g.Name+" again", evalChallenge("r_"+g.Name, g.Challenge.Actions...), g.Frames)
	}
	return seqs, clips, nil
}

// widen extends the range ranges[kind] to the value of metric, when the
// verification measured it.
func widen(ranges map[string][2]float64, kind string, metrics map[string]float64, metric string) {
	d, ok := metrics[metric]
	if !ok {
		return
	}
	r, seen := ranges[kind]
	if !seen {
		r = [2]float64{d, d}
	}
	ranges[kind] = [2]float64{math.Min(r[0], d), math.Max(r[1], d)}
}

func firstIn(xs []int, from, to int) int {
	for _, x := range xs {
		if x >= from && x <= to {
			return x
		}
	}
	return -1
}

func loadImage(p string) (image.Image, error) {
	c, err := LoadClipFrame(p)
	if err != nil {
		return nil, err
	}
	return c.Image, nil
}

// LivenessSummary is the outcome of Evaluate.
type LivenessSummary struct {
	// Passed and Total per sequence kind.
	Passed, Total map[string]int
	// Detected and Labelled per labelled action kind of the real clips.
	Detected, Labelled map[string]int
	// SceneDisorder is the lowest and highest scene disorder measured per
	// sequence kind (where the scene could be judged), the measurements
	// behind Config.MaxSceneDisorder.
	SceneDisorder map[string][2]float64
	// FaceDistance is the lowest and highest largest embedding distance
	// between the burst's frames per sequence kind, the measurements behind
	// SamePersonDistance.
	FaceDistance map[string][2]float64
	// NodScore is the largest nod score (nodScores) per sequence kind:
	// none of the generated sequences nods, so it is the largest
	// excursion the nod threshold must stay above.
	NodScore map[string]float64
	// NodPeaks is the highest nod score inside each labelled nod of the
	// nodding clip, and ClipNodScore the highest in each clip without a
	// labelled nod: the margins on either side of the nod threshold.
	NodPeaks     []float64
	ClipNodScore map[string]float64
	Failures     []string
}

// Evaluate verifies every generated sequence (genuine ones first, with a
// shared replay memory) and checks that every labelled action of the real
// clips is detected within its interval; it writes the pass rates per kind
// to w.
func Evaluate(w io.Writer, testdata string, faces FaceAnalyzer) (LivenessSummary, error) {
	seqs, clips, err := Sequences(testdata)
	if err != nil {
		return LivenessSummary{}, err
	}
	sum := LivenessSummary{Passed: map[string]int{}, Total: map[string]int{}, Detected: map[string]int{}, Labelled: map[string]int{},
		SceneDisorder: map[string][2]float64{}, FaceDistance: map[string][2]float64{}, NodScore: map[string]float64{}, ClipNodScore: map[string]float64{}}
	// Frames recur across sequences (overlapping windows, retimed and
	// replayed copies): analyse each image once.
	faces = &memoFaces{FaceAnalyzer: faces, obs: map[image.Image]Observation{}}
	v := NewVerifier(faces, nil)
	now := evalEpoch.Add(time.Minute)
	ctx := context.Background()
	for _, s := range seqs {
		// Each sequence gets its own replay memory (the genuine windows
		// overlap); a replay attack's frames were seen for another
		// challenge before.
		seen := NewMemorySeen()
		if s.Kind == "replayed" {
			hs := make([]string, len(s.Frames))
			for i, f := range s.Frames {
				hs[i] = FrameHash(f)
			}
			if err := seen.Remember(ctx, "earlier_challenge", hs); err != nil {
				return sum, err
			}
		}
		v.Seen = seen
		res, err := v.Verify(ctx, s.Challenge, s.Frames, now)
		if err != nil {
			return sum, fmt.Errorf("liveness eval %s: %w", s.Name, err)
		}
		sum.Total[s.Kind]++
		widen(sum.SceneDisorder, s.Kind, res.Metrics, "scene_disorder")
		widen(sum.FaceDistance, s.Kind, res.Metrics, "max_embedding_distance")
		sum.NodScore[s.Kind] = math.Max(sum.NodScore[s.Kind], res.Metrics["nod_score_max"])
		if res.Passed {
			sum.Passed[s.Kind]++
		}
		if res.Passed != strings.HasPrefix(s.Kind, "genuine") {
			sum.Failures = append(sum.Failures, fmt.Sprintf("%s %s %v: passed=%v %v", s.Kind, s.Name, s.Challenge.Actions, res.Passed, res.Details()))
		}
	}

	// The genuine sequences again as other cameras and rooms would give
	// them: unseen captures are darker, smaller or more compressed than
	// these clips.
	for _, cv := range captureVariants {
		for _, s := range seqs {
			if s.Kind != "genuine" && s.Kind != "genuine_cut" {
				continue // the tight cuts are judged as captured only
			}
			kind := s.Kind + ", " + cv.Name
			frames := make([]Frame, len(s.Frames))
			for i, f := range s.Frames {
				frames[i] = Frame{Image: cv.Apply(f.Image, int64(i)), TimestampMS: f.TimestampMS}
			}
			v.Seen = NewMemorySeen()
			res, err := v.Verify(ctx, s.Challenge, frames, now)
			if err != nil {
				return sum, fmt.Errorf("liveness eval %s %s: %w", kind, s.Name, err)
			}
			sum.Total[kind]++
			if res.Passed {
				sum.Passed[kind]++
			} else {
				sum.Failures = append(sum.Failures, fmt.Sprintf("%s %s %v: passed=false %v", kind, s.Name, s.Challenge.Actions, res.Details()))
			}
		}
	}

	// Labelled actions inside the real clips.
	for _, cf := range clipFiles {
		name := strings.TrimSuffix(filepath.Base(cf.rel), ".json")
		c := clips[name]
		st, err := v.observe(ctx, c.Frames)
		if err != nil {
			return sum, err
		}
		ts := make([]int64, len(c.Frames))
		for i, f := range c.Frames {
			ts[i] = f.TimestampMS
		}
		events, _ := detectAll(st, ts, v.Config)
		hit := func(a Action, from, to int) bool {
			for _, e := range events[a] {
				if e.end >= from && e.start <= to {
					return true
				}
			}
			return false
		}
		check := func(kind string, a Action, from, to int) {
			sum.Labelled[kind]++
			if hit(a, from, to) {
				sum.Detected[kind]++
			} else {
				sum.Failures = append(sum.Failures, fmt.Sprintf("label %s %s [%d,%d] not detected", name, kind, from, to))
			}
		}
		for _, l := range c.Labels {
			switch {
			case l.Action == "blink" && len(l.Frames) == 2:
				check("blink", Blink, l.Frames[0], l.Frames[1])
			case l.Action == "mouth_open" && len(l.Frames) == 2:
				check("mouth_open", OpenMouth, l.Frames[0], l.Frames[1])
			case l.Action == "turn_extremes":
				for _, f := range l.Extremes { // facing image-left: the subject's right
					check("turn_right", TurnRight, f-1, f+1)
				}
				for _, f := range l.Right {
					check("turn_left", TurnLeft, f-1, f+1)
				}
			}
		}
		down, up := nodScores(st, ts)
		if name == "nodpigeon_head_nodding" {
			// A cycle is [up, down, up] and shares its up frames with its
			// neighbours, so the nod must peak between them.
			for _, cyc := range nodCycles(testdata) {
				sum.NodPeaks = append(sum.NodPeaks, maxScore(down[cyc[0]+1:cyc[2]], up[cyc[0]+1:cyc[2]]))
				sum.Labelled["nod"]++
				if peaksIn(events[Nod], cyc[0]+1, cyc[2]-1) {
					sum.Detected["nod"]++
				} else {
					sum.Failures = append(sum.Failures, fmt.Sprintf("label %s nod %v not detected", name, cyc))
				}
			}
		} else {
			sum.ClipNodScore[name] = maxScore(down, up)
		}
		if name == "nodpigeon_head_stationary" {
			for _, a := range []Action{TurnLeft, TurnRight, Nod, OpenMouth} {
				sum.Labelled["stationary_no_"+string(a)]++
				if len(events[a]) == 0 {
					sum.Detected["stationary_no_"+string(a)]++
				} else {
					sum.Failures = append(sum.Failures, fmt.Sprintf("stationary clip: %d %s events", len(events[a]), a))
				}
			}
		}
	}

	fmt.Fprintf(w, "liveness: %d sequences\n", len(seqs))
	kinds := make([]string, 0, len(sum.Total))
	for k := range sum.Total {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %-33s passed %3d / %3d   nod score ≤ %.3f", k, sum.Passed[k], sum.Total[k], sum.NodScore[k])
		if r, ok := sum.SceneDisorder[k]; ok {
			fmt.Fprintf(w, "   scene disorder %.2f–%.2f", r[0], r[1])
		}
		if r, ok := sum.FaceDistance[k]; ok {
			fmt.Fprintf(w, "   face distance %.2f–%.2f", r[0], r[1])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "labelled actions detected within their interval:")
	lk := make([]string, 0, len(sum.Labelled))
	for k := range sum.Labelled {
		lk = append(lk, k)
	}
	sort.Strings(lk)
	for _, k := range lk {
		fmt.Fprintf(w, "  %-26s %3d / %3d\n", k, sum.Detected[k], sum.Labelled[k])
	}
	fmt.Fprintf(w, "nod scores (threshold %.3f): labelled nods", v.Config.Signals[Nod].On)
	for _, p := range sum.NodPeaks {
		fmt.Fprintf(w, " %.3f", p)
	}
	fmt.Fprintf(w, "; clips without a nod:")
	for _, cf := range clipFiles {
		name := strings.TrimSuffix(filepath.Base(cf.rel), ".json")
		if sc, ok := sum.ClipNodScore[name]; ok {
			fmt.Fprintf(w, " %s %.3f", name, sc)
		}
	}
	fmt.Fprintln(w)
	for _, f := range sum.Failures {
		fmt.Fprintf(w, "  miss: %s\n", f)
	}
	return sum, nil
}

// peaksIn reports whether one of events peaks within frames [from, to].
func peaksIn(events []event, from, to int) bool {
	for _, e := range events {
		if e.peak >= from && e.peak <= to {
			return true
		}
	}
	return false
}

// nodCycles reads the nodding clip's cycles (nearest kept frames).
func nodCycles(testdata string) [][3]int {
	raw, err := os.ReadFile(filepath.Join(testdata, "liveness", "nodpigeon_head_nodding.json"))
	if err != nil {
		return nil
	}
	var meta struct {
		Actions []struct {
			Action string   `json:"action"`
			Cycles [][3]int `json:"cycles_nearest_kept_frames"`
		} `json:"actions"`
	}
	if json.Unmarshal(raw, &meta) != nil {
		return nil
	}
	for _, a := range meta.Actions {
		if a.Action == "nod_cycles" {
			return a.Cycles
		}
	}
	return nil
}

// captureVariants are the capture conditions the genuine sequences are
// also verified under.
var captureVariants = []capture.Variant{
	// Half the light with sensor noise (σ 1.5 grey levels): a dim room
	// that auto exposure does not fully make up for.
	{Name: "half brightness", Apply: func(img image.Image, seed int64) image.Image { return capture.Darkened(img, 0.5, 1.5, seed) }},
	// Half the resolution: a front camera at 320×240, or a face further away.
	{Name: "half resolution", Apply: func(img image.Image, _ int64) image.Image { return capture.Scaled(img, 0.5) }},
	// Heavy JPEG compression (quality 30), as a slow upload may send.
	{Name: "JPEG quality 30", Apply: func(img image.Image, _ int64) image.Image { return capture.Recompressed(img, 30) }},
	// A phone held at a slant: every frame turned by 15°.
	{Name: "camera tilted 15°", Apply: func(img image.Image, _ int64) image.Image { return capture.Tilted(img, 15) }},
	// A lens slightly out of focus: 2 px on a 640-px frame.
	capture.SlightlyOutOfFocus,
	// A contrasty tone curve (v^1.5): shadows crushed by a camera in a
	// dim room.
	{Name: "contrasty tone curve (gamma 1.5)", Apply: func(img image.Image, _ int64) image.Image { return capture.Contrasty(img, 1.5) }},
}

// memoFaces caches observations per image for the evaluation, where the
// same frames are verified many times.
type memoFaces struct {
	FaceAnalyzer
	obs map[image.Image]Observation
}

func (m *memoFaces) Observe(img image.Image) (Observation, error) {
	if o, ok := m.obs[img]; ok {
		return o, nil
	}
	o, err := m.FaceAnalyzer.Observe(img)
	if err == nil {
		m.obs[img] = o
	}
	return o, err
}

// EyesClosed forwards to the analyser when it sees eyes (EyeStater).
func (m *memoFaces) EyesClosed(img image.Image, o Observation) (float64, bool, error) {
	if e, ok := m.FaceAnalyzer.(EyeStater); ok {
		return e.EyesClosed(img, o)
	}
	return 0, false, nil
}

// Track uses the analyser's tracking the first time an image is seen.
func (m *memoFaces) Track(img image.Image, prev Observation, recount bool) (Observation, error) {
	if o, ok := m.obs[img]; ok {
		return o, nil
	}
	tr, ok := m.FaceAnalyzer.(Tracker)
	if !ok {
		return m.Observe(img)
	}
	o, err := tr.Track(img, prev, recount)
	if err == nil {
		m.obs[img] = o
	}
	return o, err
}
