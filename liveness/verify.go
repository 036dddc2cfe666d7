package liveness

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"math"
	"slices"
	"time"

	"github.com/kycgate/kycgate"
)

// Frame is one captured frame of a liveness burst.
type Frame struct {
	Image image.Image
	// Data is the file as uploaded; its SHA-256 identifies the frame for
	// replay detection. When nil the decoded pixels are hashed instead.
	Data []byte
	// TimestampMS is the client's capture time in milliseconds since the
	// challenge was issued.
	TimestampMS int64
}

// Observation is what the face analyser saw in one frame.
type Observation struct {
	// Faces is how many faces were detected.
	Faces int
	// Box is the main (largest) face.
	Box image.Rectangle
	// Shape holds the main face's 68 landmarks; nil when there is no face.
	Shape *Shape
}

// FaceAnalyzer finds the main face of a frame with its landmarks and, when a
// recognition model is loaded, embeds it.
type FaceAnalyzer interface {
	Observe(img image.Image) (Observation, error)
	// Embed returns the identity embedding of the observed face, or nil
	// when no recognition model is available.
	Embed(img image.Image, o Observation) ([]float32, error)
	// Distance is the embedding distance above which two faces are
	// different people.
	SamePersonDistance() float64
}

// Tracker is an optional FaceAnalyzer extension: find the face of a frame
// starting from the previous frame's observation, cheaper than detecting.
// With recount it also runs the detector to count the faces in the frame.
type Tracker interface {
	Track(img image.Image, prev Observation, recount bool) (Observation, error)
}

// EyeStater is an optional FaceAnalyzer extension: how likely the observed
// face's eyes are closed (0–1), and false when they cannot be judged (too
// small, for one). A blink seen by it does not depend on how far the
// landmark points close the lids.
type EyeStater interface {
	EyesClosed(img image.Image, o Observation) (float64, bool, error)
}

// recountEvery is how often (in frames) detection runs while the face is
// tracked, so a second face entering the picture is counted.
const recountEvery = 6

// Config holds the thresholds of Verify. DefaultConfig documents each.
type Config struct {
	MinFrames int
	MinFPS    float64
	// MaxGapMS is the longest pause between frames: an action can hide in a
	// longer one.
	MaxGapMS int64
	// MaxNoFaceFraction is the share of frames allowed without a face.
	MaxNoFaceFraction float64
	// MinFaceLuma is the lowest acceptable median brightness (0–1) of the
	// face region.
	MinFaceLuma float64
	// StillResidual is the non-rigid landmark motion (RMS residual after the
	// best affine fit, in interocular distances) below which the whole clip
	// moved like a flat picture.
	StillResidual float64
	// StillBlinkAmplitude is the blink score above which the eyes closed and
	// opened beyond doubt, which no flat picture does: a still clip with such
	// a blink is a live face held still (the landmark net barely closes lids
	// behind glasses, so their points move rigidly).
	StillBlinkAmplitude float64
	// MaxJump is how far (in face widths) the face may move between two
	// consecutive frames before it counts as a different face.
	MaxJump float64
	// MaxOutOfSequence is the share of frames out of sequence (see
	// outOfSequence), and MinOutOfSequence their least number, that mark
	// the burst as reordered.
	MaxOutOfSequence float64
	MinOutOfSequence int
	// MaxSceneDisorder is the highest scene disorder (see sceneDisorder)
	// of a burst in capture order.
	MaxSceneDisorder float64
	// EmbedFrames is how many frames, spread over the clip, are embedded
	// to check the identity stays the same; only faces whose eyes are at
	// least MinEmbedIOD pixels apart are embedded.
	EmbedFrames int
	MinEmbedIOD float64
	Signals     map[Action]Thresholds
	Limits      map[Action]Limit
}

// DefaultConfig returns the thresholds measured on the shared clips (see
// docs/liveness.md).
func DefaultConfig() Config {
	return Config{
		MinFrames:         8,
		MinFPS:            8,
		MaxGapMS:          400,
		MaxNoFaceFraction: 0.25,
		MinFaceLuma:       0.12,
		StillResidual:     0.02,
		// Measured: a jittered still's false blink 0.115, blinks behind
		// glasses in a still head 0.385–0.396.
		StillBlinkAmplitude: 0.25,
		MaxJump:             0.6,
		EmbedFrames:         4,
		MaxOutOfSequence:    0.1,
		// Cuts of the nodding clip, laughing at 6 fps, hold up to 2 frames
		// whose mouth opens and closes between neighbours; shuffled bursts
		// hold 3–8 (and fail on the scene too).
		MinOutOfSequence: 3,
		// face.MinMatchEyeDistance: smaller faces embed too loosely to tell
		// people apart (the nodding clip at half resolution, eyes 14 px
		// apart, measures 1.21–1.26 between frames of one person).
		MinEmbedIOD: 20,
		// Measured (docs/liveness.md): genuine cuts 1.10–1.27, a real
		// capture of a screen replay 1.39, stills jittered like a shaking
		// hand up to 1.69; frames shuffled from the real clips 2.54–4.18.
		// 2.0 lies about midway (geometrically) between 1.69 and 2.54.
		MaxSceneDisorder: 2.0,
		Signals: map[Action]Thresholds{
			// blinkScore: EAR dip plus eye-region brightening and loss of
			// tint, relative to the open eye within 400 ms either side.
			Blink:     {On: 0.09, Off: 0.05},
			OpenMouth: {On: 0.45, Off: 0.25},
			TurnLeft:  {On: 0.20, Off: 0.10},
			TurnRight: {On: 0.20, Off: 0.10},
			// nodScores: nose drop in face heights plus pitch ratio change,
			// against the frames within 400 ms either side.
			Nod: {On: 0.13, Off: 0.065},
		},
		Limits: map[Action]Limit{
			Blink: {MinMS: 80, MaxMS: 1000},
			// Asked to open the mouth, people hold it open (the fix text
			// asks for about a second): 1300–1400 ms in the shared clip;
			// the same opening sped up by dropping frames lasts 700 ms
			// (twice as fast) or 500 ms (three times; docs/liveness.md).
			OpenMouth: {MinMS: 900, MaxMS: 8000},
			TurnLeft:  {MinMS: 200, MaxMS: 8000},
			TurnRight: {MinMS: 200, MaxMS: 8000},
			Nod:       {MinMS: 200, MaxMS: 8000},
		},
	}
}

// Verifier checks liveness bursts against challenges.
type Verifier struct {
	Faces  FaceAnalyzer
	Seen   SeenFrames // may be nil: no cross-challenge replay check
	Config Config
}

// NewVerifier returns a verifier with DefaultConfig.
func NewVerifier(faces FaceAnalyzer, seen SeenFrames) *Verifier {
	return &Verifier{Faces: faces, Seen: seen, Config: DefaultConfig()}
}

// Result is the outcome of one verification.
type Result struct {
	Passed   bool               `json:"passed"`
	Findings []kycgate.Finding  `json:"findings"`
	Metrics  map[string]float64 `json:"metrics"`
	Actions  []ActionResult     `json:"actions,omitempty"`
	// FrameHashes are the SHA-256 of every frame, for the replay store.
	FrameHashes []string `json:"-"`
}

func (r *Result) fail(detail string, metrics map[string]float64) {
	r.Findings = append(r.Findings, kycgate.Finding{
		Code: kycgate.LivenessFailed, Step: kycgate.StepSelfie, Detail: detail, Metrics: metrics,
	})
}

// Details lists the findings' details in order.
func (r *Result) Details() []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Detail)
	}
	return out
}

// frameState is the per-frame measurement.
type frameState struct {
	obs  Observation
	luma float64
	// eyeLum is the eye regions' mean luma over the nose bridge's: it
	// rises when the lids cover the dark iris.
	eyeLum float64
	// eyeTint is how much less red than the nose bridge the eye regions
	// are: sclera and iris are not skin-coloured, a closed lid is, so it
	// falls when the eyes close whatever the iris's colour or brightness.
	eyeTint float64
	// eyesClosed is EyeStater's answer, NaN when there is none.
	eyesClosed float64
	// scene is the frame's luma thumbnail and sceneMask its cells covered
	// by the face (see sceneDisorder).
	scene     []float32
	sceneMask []bool
	ear       float64
	mar       float64
	yaw       float64
	pitch     float64
}

// Verify checks frames against ch at time now. It never returns an error
// for bad input: every problem is a finding. err is only for a failing
// replay store or face model.
func (v *Verifier) Verify(ctx context.Context, ch Challenge, frames []Frame, now time.Time) (Result, error) {
	res, err := v.verify(ctx, ch, frames, now)
	res.Passed = err == nil && len(res.Findings) == 0
	return res, err
}

func (v *Verifier) verify(ctx context.Context, ch Challenge, frames []Frame, now time.Time) (Result, error) {
	cfg := v.Config
	res := Result{Metrics: map[string]float64{}}

	if ch.Used {
		res.fail("challenge_used", nil)
		return res, nil
	}
	if now.After(ch.ExpiresAt) {
		res.fail("expired", map[string]float64{"expired_for_s": now.Sub(ch.ExpiresAt).Seconds()})
		return res, nil
	}
	if len(ch.Actions) == 0 {
		return res, fmt.Errorf("liveness: challenge %s has no actions", ch.ID)
	}
	n := len(frames)
	res.Metrics["frames"] = float64(n)
	if n < cfg.MinFrames {
		res.fail("frames", map[string]float64{"frames": float64(n), "min_frames": float64(cfg.MinFrames)})
		return res, nil
	}

	// Timing: strictly increasing timestamps inside the challenge window,
	// at the frame rate the action detection needs.
	ts := make([]int64, n)
	var maxGap int64
	for i, f := range frames {
		ts[i] = f.TimestampMS
		if i > 0 {
			if ts[i] <= ts[i-1] {
				res.fail("timestamps", map[string]float64{"frame": float64(i)})
				return res, nil
			}
			maxGap = max(maxGap, ts[i]-ts[i-1])
		}
	}
	window := ch.ExpiresAt.Sub(ch.IssuedAt).Milliseconds()
	if ts[0] < 0 || ts[n-1] > window {
		res.fail("expired", map[string]float64{"last_frame_ms": float64(ts[n-1]), "window_ms": float64(window)})
		return res, nil
	}
	fps := float64(n-1) / (float64(ts[n-1]-ts[0]) / 1000)
	res.Metrics["fps"] = fps
	res.Metrics["max_gap_ms"] = float64(maxGap)
	if fps < cfg.MinFPS || maxGap > cfg.MaxGapMS {
		res.fail("fps", map[string]float64{"fps": fps, "min_fps": cfg.MinFPS,
			"max_gap_ms": float64(maxGap), "max_allowed_gap_ms": float64(cfg.MaxGapMS)})
	}

	// Replay: a frame twice in the burst, or seen in an earlier challenge.
	res.FrameHashes = make([]string, n)
	seenHere := map[string]bool{}
	dup := 0
	for i, f := range frames {
		h := FrameHash(f)
		res.FrameHashes[i] = h
		if seenHere[h] {
			dup++
		}
		seenHere[h] = true
	}
	pix := map[string]bool{}
	for _, f := range frames {
		if f.Image == nil {
			continue
		}
		h := pixelHash(f.Image)
		if pix[h] {
			dup++
		}
		pix[h] = true
	}
	if v.Seen != nil {
		old, err := v.Seen.Seen(ctx, ch.ID, res.FrameHashes)
		if err != nil {
			return res, fmt.Errorf("liveness: replay lookup: %w", err)
		}
		if err := v.Seen.Remember(ctx, ch.ID, res.FrameHashes); err != nil {
			return res, fmt.Errorf("liveness: remembering frames: %w", err)
		}
		dup += old
		res.Metrics["frames_seen_before"] = float64(old)
	}
	if dup > 0 {
		res.fail("replayed_frames", map[string]float64{"replayed_frames": float64(dup)})
	}

	// Faces and landmarks.
	st, err := v.observe(ctx, frames)
	if err != nil {
		return res, err
	}
	noFace, multi := 0, 0
	var lumas []float64
	for _, x := range st {
		switch {
		case x.obs.Shape == nil:
			noFace++
		default:
			if x.obs.Faces > 1 {
				multi++
			}
			lumas = append(lumas, x.luma)
		}
	}
	res.Metrics["no_face_frames"] = float64(noFace)
	allLuma := make([]float64, n)
	for i := range st {
		allLuma[i] = st[i].luma
	}
	faceLuma := quantile(lumas, 0.5)
	if len(lumas) == 0 {
		faceLuma = quantile(allLuma, 0.5)
	}
	res.Metrics["face_luma"] = faceLuma
	if faceLuma < cfg.MinFaceLuma {
		res.fail("too_dark", map[string]float64{"face_luma": faceLuma, "min_face_luma": cfg.MinFaceLuma})
	}
	if float64(noFace) > cfg.MaxNoFaceFraction*float64(n) {
		res.fail("no_face", map[string]float64{"no_face_frames": float64(noFace), "frames": float64(n)})
		return res, nil
	}
	if float64(multi) > cfg.MaxNoFaceFraction*float64(n) {
		res.fail("multiple_faces", map[string]float64{"multiple_face_frames": float64(multi)})
	}

	// One and the same face: no jumps between consecutive frames, and the
	// same identity at spread-out frames.
	changed, err := v.faceChanged(frames, st, &res)
	if err != nil {
		return res, err
	}
	if changed {
		res.fail("face_changed", map[string]float64{
			"max_jump": res.Metrics["max_jump"], "max_embedding_distance": res.Metrics["max_embedding_distance"]})
	}

	// Action signals relative to this clip's own neutral face.
	events, base := detectAll(st, ts, cfg)
	res.Metrics["ear_baseline"] = base[Blink]
	res.Metrics["mar_baseline"] = base[OpenMouth]
	res.Metrics["nod_score_max"] = base[Nod]
	res.Actions = matchActions(ch.Actions, events, cfg.Limits)

	// A flat picture moves only affinely: measure the largest non-rigid
	// deformation against the first face.
	nonRigid := v.nonRigid(st)
	res.Metrics["nonrigid"] = nonRigid
	still := nonRigid < cfg.StillResidual && !clearBlink(events[Blink], cfg.StillBlinkAmplitude)
	if still {
		res.fail("still_photo", map[string]float64{"nonrigid": nonRigid, "still_below": cfg.StillResidual})
	}
	out := outOfSequence(st)
	res.Metrics["out_of_sequence_frames"] = float64(out)
	disorder, judged := sceneDisorder(st)
	if judged {
		res.Metrics["scene_disorder"] = disorder
	}
	if float64(out) >= math.Max(float64(cfg.MinOutOfSequence), cfg.MaxOutOfSequence*float64(n)) || (judged && disorder > cfg.MaxSceneDisorder) {
		res.fail("reordered_frames", map[string]float64{"out_of_sequence_frames": float64(out),
			"scene_disorder": disorder, "max_scene_disorder": cfg.MaxSceneDisorder})
	}
	ordered := false
	for _, ar := range res.Actions {
		res.Metrics[string(ar.Action)+".duration_ms"] = float64(ar.DurationMS)
		res.Metrics[string(ar.Action)+".amplitude"] = ar.Amplitude
		switch ar.Status {
		case "ok":
		case "order":
			if !ordered {
				res.fail("order", nil)
				ordered = true
			}
		case "missing":
			if !still { // a still picture explains every missing action
				res.fail(string(ar.Action)+":missing", nil)
			}
		default:
			lim := cfg.Limits[ar.Action]
			res.fail(string(ar.Action)+":"+ar.Status, map[string]float64{
				"duration_ms": float64(ar.DurationMS), "min_ms": float64(lim.MinMS), "max_ms": float64(lim.MaxMS)})
		}
	}
	return res, nil
}

// clearBlink reports whether one of the blink events reaches amplitude.
func clearBlink(blinks []event, amplitude float64) bool {
	return slices.ContainsFunc(blinks, func(e event) bool { return e.amplitude >= amplitude })
}

// faceChanged tracks the face box from frame to frame and compares
// embeddings of frames spread over the clip.
func (v *Verifier) faceChanged(frames []Frame, st []frameState, res *Result) (bool, error) {
	cfg := v.Config
	var prev *Observation
	maxJump := 0.0
	for i := range st {
		o := &st[i].obs
		if o.Shape == nil {
			continue
		}
		if prev != nil {
			w := float64(max(prev.Box.Dx(), 1))
			c0 := boxCenter(prev.Box)
			c1 := boxCenter(o.Box)
			j := dist(c0, c1) / w
			ratio := float64(o.Box.Dx()) / w
			if ratio < 1 {
				ratio = 1 / ratio
			}
			j = math.Max(j, ratio-1)
			maxJump = math.Max(maxJump, j)
		}
		prev = o
	}
	res.Metrics["max_jump"] = maxJump
	changed := maxJump > cfg.MaxJump
	var idx []int
	for i := range st {
		if sh := st[i].obs.Shape; sh != nil && sh.IOD() >= cfg.MinEmbedIOD {
			idx = append(idx, i)
		}
	}
	k := cfg.EmbedFrames
	if k < 2 || len(idx) < 2 {
		return changed, nil
	}
	// One frame from each of k equal stretches of the burst, the one
	// nearest the burst's neutral pose (yaw 0, its median pitch): a
	// turned or nodding head's embedding drifts from the frontal one, a
	// swapped face's differs at any pose.
	pitches := make([]float64, len(idx))
	for n, i := range idx {
		pitches[n] = st[i].pitch
	}
	neutralPitch := quantile(pitches, 0.5)
	offPose := func(i int) float64 { return math.Abs(st[i].yaw) + math.Abs(st[i].pitch-neutralPitch) }
	var embs [][]float32
	for j := range k {
		seg := idx[j*len(idx)/k : max((j+1)*len(idx)/k, j*len(idx)/k+1)]
		best := seg[0]
		for _, i := range seg[1:] {
			if offPose(i) < offPose(best) {
				best = i
			}
		}
		e, err := v.Faces.Embed(frames[best].Image, st[best].obs)
		if err != nil {
			return false, fmt.Errorf("liveness: embedding frame %d: %w", best, err)
		}
		if e == nil {
			return changed, nil
		}
		embs = append(embs, e)
	}
	maxD := 0.0
	for a := range embs {
		for b := a + 1; b < len(embs); b++ {
			maxD = math.Max(maxD, euclid(embs[a], embs[b]))
		}
	}
	res.Metrics["max_embedding_distance"] = maxD
	return changed || maxD > v.Faces.SamePersonDistance(), nil
}

func euclid(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var s float64
	for i := range a {
		d := float64(a[i] - b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

// nonRigid is the 90th percentile, over frames, of the affine-fit residual
// of each face against the first one. The percentile (not the maximum) keeps
// one badly placed landmark set from making a picture look alive, while a
// live clip's blinks, mouth and head turns still lift it.
func (v *Verifier) nonRigid(st []frameState) float64 {
	var ref *Shape
	var rs []float64
	for i := range st {
		s := st[i].obs.Shape
		if s == nil {
			continue
		}
		if ref == nil {
			ref = s
			continue
		}
		rs = append(rs, affineResidual(ref, s))
	}
	if len(rs) == 0 {
		return 0
	}
	return quantile(rs, 0.9)
}

// outOfSequence counts frames that real motion does not produce:
//
//   - a face far from both neighbours while the neighbours agree (a frame
//     taken from elsewhere in the recording), unless the head turns or
//     nods back at that frame: at 6–10 fps a head shake's extreme lies
//     between two frames of the same pose, and dim or small faces make the
//     landmarks of such frames differ enough to be counted;
//   - the mouth opening and closing again from one frame to the next by
//     more than 0.45 MAR each way while the head holds its pose: a mouth
//     takes several frames to open or close at ≥ 8 fps, so shuffled
//     mouth-action frames zig-zag. While the head turns, the 2-D mouth
//     points of a half-profile jump by as much (MAR 0.11 → 0.79 → 0.25
//     measured in the head-shake clip), so those frames are not judged.
//
// Head turns are not used: a real head shake reverses every few frames at
// the frame rates measured, so shuffled shake frames look like a shake.
func outOfSequence(st []frameState) int {
	count := 0
	for i := 1; i+1 < len(st); i++ {
		a, b, c := st[i-1].obs.Shape, st[i].obs.Shape, st[i+1].obs.Shape
		if a == nil || b == nil || c == nil {
			continue
		}
		dab, dbc, dac := shapeDist(a, b), shapeDist(b, c), shapeDist(a, c)
		spike := dab > 0.15 && dbc > 0.15 && dac < 0.35*math.Min(dab, dbc) &&
			!reversal(a.Yaw(), b.Yaw(), c.Yaw()) && !reversal(a.Pitch(), b.Pitch(), c.Pitch())
		m1, m2 := st[i].mar-st[i-1].mar, st[i+1].mar-st[i].mar
		mouth := m1*m2 < 0 && math.Abs(m1) > 0.45 && math.Abs(m2) > 0.45 && steadyPose(a, b, c)
		if spike || mouth {
			count++
		}
	}
	return count
}

// minReversal is how far (in Yaw or Pitch units) a pose must go past both
// neighbouring frames' to count as the head reversing: a still head's pose
// wavers by about 0.02, a head shake's extremes measured 0.27–0.30 past
// their neighbours.
const minReversal = 0.1

// reversal reports whether the pose b, between a and c, lies beyond both
// in the same direction by at least minReversal: the head turned back.
func reversal(a, b, c float64) bool {
	return (b-a)*(b-c) > 0 && math.Min(math.Abs(b-a), math.Abs(b-c)) >= minReversal
}

// steadyPose reports whether the head's yaw and pitch change by less than
// minReversal over three consecutive frames.
func steadyPose(a, b, c *Shape) bool {
	return math.Abs(b.Yaw()-a.Yaw()) < minReversal && math.Abs(c.Yaw()-b.Yaw()) < minReversal &&
		math.Abs(b.Pitch()-a.Pitch()) < minReversal && math.Abs(c.Pitch()-b.Pitch()) < minReversal
}

// shapeDist is the RMS landmark displacement between two shapes in
// interocular distances.
func shapeDist(a, b *Shape) float64 {
	iod := (a.IOD() + b.IOD()) / 2
	if iod == 0 {
		return 0
	}
	var s float64
	for i := range a {
		d := dist(a[i], b[i])
		s += d * d
	}
	return math.Sqrt(s/float64(len(a))) / iod
}

// FrameHash is the hex SHA-256 of the frame's file, or of its pixels when
// the file is not at hand.
func FrameHash(f Frame) string {
	if f.Data != nil {
		h := sha256.Sum256(f.Data)
		return hex.EncodeToString(h[:])
	}
	if f.Image == nil {
		return ""
	}
	return pixelHash(f.Image)
}

// pixelHash hashes the decoded pixels, so the same frame re-wrapped in a
// different file is still recognised.
func pixelHash(img image.Image) string {
	h := sha256.New()
	switch m := img.(type) {
	case *image.YCbCr:
		h.Write(m.Y)
		h.Write(m.Cb)
		h.Write(m.Cr)
		return "px:" + hex.EncodeToString(h.Sum(nil))
	case *image.RGBA:
		h.Write(m.Pix)
		return "px:" + hex.EncodeToString(h.Sum(nil))
	case *image.Gray:
		h.Write(m.Pix)
		return "px:" + hex.EncodeToString(h.Sum(nil))
	}
	b := img.Bounds()
	row := make([]byte, 0, b.Dx()*3)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row = row[:0]
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			row = append(row, byte(r>>8), byte(g>>8), byte(bb>>8))
		}
		h.Write(row)
	}
	return "px:" + hex.EncodeToString(h.Sum(nil))
}

// meanLuma is the mean Rec. 601 luma (0–1) of img inside r, sampled on a
// grid of at most ~64×64 points.
func meanLuma(img image.Image, r image.Rectangle) float64 {
	luma, _ := regionColour(img, r)
	return luma
}

// regionColour samples img inside r on a grid of at most ~64×64 points and
// returns the mean Rec. 601 luma (0–1) and the mean redness, (R−G)/(R+G+B):
// skin is markedly redder than the white and iris of an eye.
func regionColour(img image.Image, r image.Rectangle) (luma, redness float64) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return 0, 0
	}
	step := max(1, max(r.Dx(), r.Dy())/64)
	cnt := 0
	for y := r.Min.Y; y < r.Max.Y; y += step {
		for x := r.Min.X; x < r.Max.X; x += step {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			fr, fg, fb := float64(cr), float64(cg), float64(cb)
			luma += (0.299*fr + 0.587*fg + 0.114*fb) / 65535
			if sum := fr + fg + fb; sum > 0 {
				redness += (fr - fg) / sum
			}
			cnt++
		}
	}
	return luma / float64(cnt), redness / float64(cnt)
}

func boxCenter(r image.Rectangle) Point {
	return Point{X: float64(r.Min.X+r.Max.X) / 2, Y: float64(r.Min.Y+r.Max.Y) / 2}
}

// observe runs the face analyser over every frame, tracking the face from
// frame to frame when the analyser can.
func (v *Verifier) observe(ctx context.Context, frames []Frame) ([]frameState, error) {
	st := make([]frameState, len(frames))
	tr, canTrack := v.Faces.(Tracker)
	eyes, canSeeEyes := v.Faces.(EyeStater)
	for i, f := range frames {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if f.Image == nil {
			continue
		}
		var o Observation
		var err error
		if canTrack && i > 0 && st[i-1].obs.Shape != nil {
			o, err = tr.Track(f.Image, st[i-1].obs, i%recountEvery == 0)
		} else {
			o, err = v.Faces.Observe(f.Image)
		}
		if err != nil {
			return nil, fmt.Errorf("liveness: frame %d: %w", i, err)
		}
		st[i].obs = o
		st[i].eyesClosed = math.NaN()
		st[i].scene = sceneThumbnail(f.Image)
		st[i].sceneMask = sceneMask(f.Image.Bounds(), o.Box)
		if o.Shape == nil {
			st[i].luma = meanLuma(f.Image, f.Image.Bounds())
			continue
		}
		s := o.Shape
		st[i].luma = meanLuma(f.Image, o.Box)
		st[i].ear, st[i].mar, st[i].yaw, st[i].pitch = s.EAR(), s.MAR(), s.Yaw(), s.Pitch()
		st[i].eyeLum, st[i].eyeTint = eyeAppearance(f.Image, s)
		if canSeeEyes {
			p, ok, err := eyes.EyesClosed(f.Image, o)
			if err != nil {
				return nil, fmt.Errorf("liveness: frame %d: %w", i, err)
			}
			if ok {
				st[i].eyesClosed = p
			}
		}
	}
	return st, nil
}

// detectAll turns the per-frame measurements into action events. Each
// signal is taken relative to the clip's own neutral face: EAR against its
// 75th percentile (eyes are open most of the time), MAR against its 20th
// (the mouth is mostly closed), yaw against frontalYaw. A nod is judged
// against the frames just before and after it instead (nodScores); its
// entry in the returned map is the largest nod score, having no baseline.
func detectAll(st []frameState, ts []int64, cfg Config) (map[Action][]event, map[Action]float64) {
	n := len(st)
	var ears, mars, yaws []float64
	for _, s := range st {
		if s.obs.Shape != nil {
			ears = append(ears, s.ear)
			mars = append(mars, s.mar)
			yaws = append(yaws, s.yaw)
		}
	}
	base := map[Action]float64{
		Blink: quantile(ears, 0.75), OpenMouth: quantile(mars, 0.2), TurnLeft: frontalYaw(yaws, cfg.Signals[TurnLeft].Off),
	}
	base[TurnRight] = base[TurnLeft]
	perFrame := []Action{Blink, OpenMouth, TurnLeft, TurnRight}
	closedRun := closedRuns(st, ts)
	dev := map[Action][]float64{}
	for _, a := range perFrame {
		dev[a] = make([]float64, n)
	}
	for i, s := range st {
		if s.obs.Shape == nil {
			for _, a := range perFrame {
				dev[a][i] = math.NaN()
			}
			continue
		}
		dev[OpenMouth][i] = s.mar - base[OpenMouth]
		dev[Blink][i] = blinkScore(st, ts, i)
		if closedRun[i] {
			// Seen shut between two open looks: a blink whatever the
			// landmarks say.
			dev[Blink][i] = math.Max(dev[Blink][i], cfg.Signals[Blink].On)
		}
		dev[TurnLeft][i] = s.yaw - base[TurnLeft]
		dev[TurnRight][i] = -(s.yaw - base[TurnLeft])
	}
	events := map[Action][]event{}
	for _, a := range perFrame {
		events[a] = detectEvents(a, ts, dev[a], cfg.Signals[a])
	}
	down, up := nodScores(st, ts)
	events[Nod] = nodEvents(ts, down, up, cfg.Signals[Nod])
	base[Nod] = maxScore(down, up)
	return events, base
}

// frontalYaw is the yaw of the applicant's face held straight: the median
// of the half of the frames nearest to frontal (yaw 0). Not the median of
// all frames: an applicant who turns and holds the turn for most of the
// burst, as the challenge allows (up to MaxMS), would move that median to
// the turned pose, and the turn would vanish against it. The nearer half
// still absorbs what makes a straight face read off zero (an asymmetric
// jaw line, a camera held to one side). But a head that turns both ways
// and is seldom caught straight (a head shake, a burst cut tightly around
// two turns) has no such half: when at least a quarter of the frames lie
// beyond side on each side (the turn signals' Off threshold: turned, if
// only just), and each side's median is a turn (twice side), the straight
// face is midway between the two medians (tight cuts of the shared head
// shake otherwise put it at ±0.13–0.22, where one of the turns vanishes
// against it).
func frontalYaw(yaws []float64, side float64) float64 {
	var left, right []float64
	for _, y := range yaws {
		switch {
		case y > side:
			left = append(left, y)
		case y < -side:
			right = append(right, y)
		}
	}
	if 4*len(left) >= len(yaws) && 4*len(right) >= len(yaws) {
		l, r := quantile(left, 0.5), quantile(right, 0.5)
		// Both sides turned, not a straight face read off zero (a camera
		// to one side) on one of them.
		if l >= 2*side && r <= -2*side {
			return (l + r) / 2
		}
	}
	near := append([]float64(nil), yaws...)
	slices.SortFunc(near, func(a, b float64) int { return cmp.Compare(math.Abs(a), math.Abs(b)) })
	return quantile(near[:(len(near)+1)/2], 0.5)
}

// Eye-state thresholds (EyeStater's probability of closed eyes), measured
// on the shared frontal blink clips at full and half brightness: blinks
// 0.98–1.00, open eyes outside blinks at most 0.57 (eyeglasses 0.44–0.57).
const (
	eyesShut = 0.9
	eyesOpen = 0.65
)

// closedRuns marks the frames of every run of shut eyes (eyesShut or more,
// consecutive frames with a face) that is bounded on both sides, within
// blinkWindowMS, by a frame whose eyes are open (eyesOpen or less): a
// blink seen closing and opening. A burst that starts or ends with shut
// eyes, or eyes the EyeStater cannot judge, marks nothing.
func closedRuns(st []frameState, ts []int64) []bool {
	marked := make([]bool, len(st))
	for i := 0; i < len(st); {
		if !(st[i].eyesClosed >= eyesShut) {
			i++
			continue
		}
		j := i
		for j+1 < len(st) && st[j+1].eyesClosed >= eyesShut {
			j++
		}
		before, after := i-1, j+1
		if before >= 0 && after < len(st) &&
			st[before].eyesClosed <= eyesOpen && st[after].eyesClosed <= eyesOpen &&
			ts[i]-ts[before] <= blinkWindowMS && ts[after]-ts[j] <= blinkWindowMS {
			for k := i; k <= j; k++ {
				marked[k] = true
			}
		}
		i = j + 1
	}
	return marked
}

// blinkWindowMS is how far before and after a frame the open-eye reference
// is taken: longer than a blink's closed phase (100–300 ms), shorter than
// a squint or a head movement.
const blinkWindowMS = 400

// blinkScore measures a blink as a short dip: how far the EAR falls below
// the open eye just before and just after (the lower of the two, so a
// lasting change such as the squint of a wide-open mouth does not count),
// plus how much the eye regions brighten and lose their tint against the
// same references. The landmark net closes the lid points only partly (EAR
// falls 4–17 % on the shared clips), so the appearance terms carry much of
// the signal.
func blinkScore(st []frameState, ts []int64, i int) float64 {
	// A blink is seen closing and opening again: at the burst's first and
	// last frame a closed eye may be the end or the start of a blink
	// outside it (or a burst started mid-blink), so one side is not enough.
	before, after := openEye(st, ts, i, -1), openEye(st, ts, i, +1)
	if before.frames == 0 || after.frames == 0 {
		return 0
	}
	ref := openEyeRef{ear: math.Min(before.ear, after.ear), lum: math.Max(before.lum, after.lum),
		tint: math.Min(before.tint, after.tint)}
	if ref.ear <= 0 {
		return 0
	}
	score := 1 - st[i].ear/ref.ear
	if ref.lum > 0 && st[i].eyeLum > 0 {
		score += st[i].eyeLum/ref.lum - 1
	}
	return score + ref.tint - st[i].eyeTint
}

// openEyeRef is the most open-looking eye within blinkWindowMS on one side
// of a frame (frames is how many frames with a face it saw there): the
// highest EAR, the darkest and the most tinted eye regions.
type openEyeRef struct {
	frames         int
	ear, lum, tint float64
}

func openEye(st []frameState, ts []int64, i, dir int) openEyeRef {
	ref := openEyeRef{ear: math.Inf(-1), lum: math.Inf(1), tint: math.Inf(-1)}
	for j := i + dir; j >= 0 && j < len(st) && abs64(ts[j]-ts[i]) <= blinkWindowMS; j += dir {
		if st[j].obs.Shape == nil {
			continue
		}
		ref.frames++
		ref.ear = math.Max(ref.ear, st[j].ear)
		ref.lum = math.Min(ref.lum, st[j].eyeLum)
		ref.tint = math.Max(ref.tint, st[j].eyeTint)
	}
	return ref
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// eyeAppearance measures both eye regions (the middle of each eye's
// landmark box) against the nose bridge, so lighting changes cancel out:
// lum is their mean luma over the bridge's, tint the bridge's redness minus
// theirs.
func eyeAppearance(img image.Image, s *Shape) (lum, tint float64) {
	var luma, red float64
	for _, from := range []int{36, 42} {
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for k := from; k < from+6; k++ {
			minX, maxX = math.Min(minX, s[k].X), math.Max(maxX, s[k].X)
			minY, maxY = math.Min(minY, s[k].Y), math.Max(maxY, s[k].Y)
		}
		w := maxX - minX
		cy := (minY + maxY) / 2
		l, r := regionColour(img, image.Rect(int(minX+0.1*w), int(cy-0.25*w), int(maxX-0.1*w), int(cy+0.25*w)))
		luma += l / 2
		red += r / 2
	}
	refLuma, refRed := regionColour(img, image.Rect(int(s[39].X), int(s[28].Y), int(s[42].X), int(s[30].Y)))
	if refLuma <= 0 {
		return 0, 0
	}
	return luma / refLuma, refRed - red
}
