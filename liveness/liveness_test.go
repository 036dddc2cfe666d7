package liveness

import (
	"bytes"
	"context"
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// neutral is a frontal 68-point face, 200 px between the eyes' outer
// corners, built from the iBUG layout's proportions.
func neutral() Shape {
	var s Shape
	for i := 0; i <= 16; i++ { // jaw: a half ellipse
		a := math.Pi * float64(i) / 16
		s[i] = Point{X: 300 - 150*math.Cos(a), Y: 300 + 170*math.Sin(a)*0.9}
	}
	for i := 0; i < 5; i++ { // brows
		s[17+i] = Point{X: 190 + float64(i)*22, Y: 240 - 10*math.Sin(math.Pi*float64(i)/4)}
		s[22+i] = Point{X: 322 + float64(i)*22, Y: 240 - 10*math.Sin(math.Pi*float64(i)/4)}
	}
	for i := 0; i < 4; i++ { // nose bridge
		s[27+i] = Point{X: 300, Y: 270 + float64(i)*22}
	}
	for i := 0; i < 5; i++ { // nose base
		s[31+i] = Point{X: 280 + float64(i)*10, Y: 345 + 4*math.Abs(float64(i-2))*-1}
	}
	eye := func(at int, cx float64) {
		s[at] = Point{X: cx - 25, Y: 275}
		s[at+1] = Point{X: cx - 9, Y: 267}
		s[at+2] = Point{X: cx + 9, Y: 267}
		s[at+3] = Point{X: cx + 25, Y: 275}
		s[at+4] = Point{X: cx + 9, Y: 283}
		s[at+5] = Point{X: cx - 9, Y: 283}
	}
	eye(36, 245)
	eye(42, 355)
	for i := 0; i < 12; i++ { // outer lip
		a := 2 * math.Pi * float64(i) / 12
		s[48+i] = Point{X: 300 - 50*math.Cos(a), Y: 400 - 14*math.Sin(a)}
	}
	for i := 0; i < 8; i++ { // inner lip, closed
		a := 2 * math.Pi * float64(i) / 8
		s[60+i] = Point{X: 300 - 35*math.Cos(a), Y: 400 - 1*math.Sin(a)}
	}
	return s
}

// pose returns the neutral face with eyes closed by closure (0–1), mouth
// opened by open (0–1), nose and inner face shifted by yaw (fraction of
// face width, + toward image right) and the nose tip by pitch.
func pose(closure, open, yaw, pitch float64) Shape {
	s := neutral()
	for _, e := range []int{36, 42} {
		for _, k := range []int{1, 2} {
			s[e+k].Y += 8 * closure
		}
		for _, k := range []int{4, 5} {
			s[e+k].Y -= 8 * closure
		}
	}
	for i := 61; i <= 63; i++ {
		s[i].Y -= 25 * open
	}
	for i := 65; i <= 67; i++ {
		s[i].Y += 25 * open
	}
	for i := 17; i < 68; i++ {
		s[i].X += yaw * 300 * 0.5
	}
	for i := 27; i <= 35; i++ {
		s[i].Y += pitch * 120 * float64(i-26) / 9
	}
	return s
}

// fakeFaces maps each frame (by its first pixel's value) to a shape.
type fakeFaces struct{ shapes []Shape }

func (f *fakeFaces) Observe(img image.Image) (Observation, error) {
	i := int(img.(*image.Gray).Pix[0]) | int(img.(*image.Gray).Pix[1])<<8
	s := f.shapes[i]
	return Observation{Faces: 1, Box: image.Rect(0, 0, 8, 8), Shape: &s}, nil
}
func (f *fakeFaces) Embed(image.Image, Observation) ([]float32, error) { return nil, nil }
func (f *fakeFaces) SamePersonDistance() float64                       { return 0.6 }

// script builds frames at the given spacing from per-frame poses, with a
// little landmark jitter so the clip is not rigid by construction.
func script(gapMS int64, poses []Shape, seed uint64) ([]Frame, *fakeFaces) {
	rng := rand.New(rand.NewPCG(seed, 7))
	ff := &fakeFaces{}
	var frames []Frame
	for i, p := range poses {
		for k := range p {
			p[k].X += rng.NormFloat64() * 0.6
			p[k].Y += rng.NormFloat64() * 0.6
		}
		ff.shapes = append(ff.shapes, p)
		img := image.NewGray(image.Rect(0, 0, 8, 8))
		for j := range img.Pix {
			img.Pix[j] = 128
		}
		img.Pix[0], img.Pix[1] = uint8(i), uint8(i>>8)
		img.Pix[2] = uint8(seed)
		frames = append(frames, Frame{Image: img, TimestampMS: 100 + int64(i)*gapMS})
	}
	return frames, ff
}

// seq concatenates segments: n frames of a pose, or a ramp between poses.
func hold(n int, s Shape) []Shape {
	out := make([]Shape, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func ramp(n int, a, b [4]float64) []Shape {
	var out []Shape
	for i := 0; i < n; i++ {
		t := float64(i+1) / float64(n+1)
		var p [4]float64
		for k := range p {
			p[k] = a[k] + (b[k]-a[k])*t
		}
		out = append(out, pose(p[0], p[1], p[2], p[3]))
	}
	return out
}

// act is kind performed briskly, its peak held for 2 frames.
func act(kind Action) []Shape {
	if kind == OpenMouth {
		// A mouth asked to open is held open (Limits[OpenMouth]).
		return heldAct(kind, 5)
	}
	return heldAct(kind, 2)
}

// heldAct is kind performed with its peak held for n frames.
func heldAct(kind Action, n int) []Shape {
	z := [4]float64{}
	var peak [4]float64
	switch kind {
	case Blink:
		peak = [4]float64{1, 0, 0, 0}
	case OpenMouth:
		peak = [4]float64{0, 1, 0, 0}
	case TurnLeft:
		peak = [4]float64{0, 0, 0.35, 0}
	case TurnRight:
		peak = [4]float64{0, 0, -0.35, 0}
	case Nod:
		peak = [4]float64{0, 0, 0, 0.25}
	}
	out := ramp(2, z, peak)
	out = append(out, hold(n, pose(peak[0], peak[1], peak[2], peak[3]))...)
	return append(out, ramp(2, peak, z)...)
}

// bob is the neutral face carried down by up to 40 px (0.22 face heights)
// and back over 7 frames, as when the camera dips: the face sinks in the
// picture but the head does not pitch.
func bob() []Shape {
	var out []Shape
	for _, dy := range []float64{0, 15, 30, 40, 30, 15, 0} {
		s := pose(0, 0, 0, 0)
		for k := range s {
			s[k].Y += dy
		}
		out = append(out, s)
	}
	return out
}

func clip(actions ...Action) []Shape {
	out := hold(6, pose(0, 0, 0, 0))
	for _, a := range actions {
		out = append(out, act(a)...)
		out = append(out, hold(5, pose(0, 0, 0, 0))...)
	}
	return out
}

// heldTurn is a face seen with a yaw offset (an asymmetric jaw line, a
// camera to one side) that turns by yaw, holds the turn for n frames
// (more than half the burst when n is large), turns back and blinks.
func heldTurn(offset, yaw float64, n int) []Shape {
	straight, turned := [4]float64{0, 0, offset, 0}, [4]float64{0, 0, offset + yaw, 0}
	out := hold(5, pose(0, 0, offset, 0))
	out = append(out, ramp(2, straight, turned)...)
	out = append(out, hold(n, pose(0, 0, offset+yaw, 0))...)
	out = append(out, ramp(2, turned, straight)...)
	out = append(out, hold(3, pose(0, 0, offset, 0))...)
	for _, s := range act(Blink) {
		for k := 17; k < 68; k++ {
			s[k].X += offset * 300 * 0.5
		}
		out = append(out, s)
	}
	return append(out, hold(4, pose(0, 0, offset, 0))...)
}

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func challenge(actions ...Action) Challenge {
	return Challenge{ID: "lc_test", Actions: actions, IssuedAt: t0, ExpiresAt: t0.Add(DefaultTTL)}
}

func TestVerifySynthetic(t *testing.T) {
	tests := []struct {
		name   string
		asked  []Action
		done   []Shape
		gapMS  int64
		mutate func([]Frame)
		now    time.Duration
		want   string // "" passes; else a detail that must be among the findings
	}{
		{"blink then turn left", []Action{Blink, TurnLeft}, clip(Blink, TurnLeft), 100, nil, 10 * time.Second, ""},
		{"three actions", []Action{OpenMouth, Nod, TurnRight}, clip(OpenMouth, Nod, TurnRight), 100, nil, 10 * time.Second, ""},
		{"wrong order", []Action{TurnLeft, Blink}, clip(Blink, TurnLeft), 100, nil, 10 * time.Second, "order"},
		{"missing action", []Action{Blink, Nod}, clip(Blink, OpenMouth), 100, nil, 10 * time.Second, "nod:missing"},
		{"camera dip is not a nod", []Action{OpenMouth, Nod}, append(clip(OpenMouth, Blink, OpenMouth), append(bob(), hold(5, pose(0, 0, 0, 0))...)...), 100, nil, 10 * time.Second, "nod:missing"},
		{"left is not right", []Action{TurnRight, Blink}, clip(TurnLeft, Blink), 100, nil, 10 * time.Second, "turn_right:missing"},
		{"turn held for most of the burst", []Action{TurnLeft, Blink}, heldTurn(0, 0.35, 27), 100, nil, 10 * time.Second, ""},
		{"turn held, camera to one side", []Action{TurnRight, Blink}, heldTurn(0.1, -0.35, 27), 100, nil, 10 * time.Second, ""},
		{"held turn the other way", []Action{TurnRight, Blink}, heldTurn(0, 0.35, 27), 100, nil, 10 * time.Second, "turn_right:missing"},
		{"nod held 1 s at the bottom", []Action{Blink, Nod}, append(clip(Blink), append(heldAct(Nod, 10), hold(5, pose(0, 0, 0, 0))...)...), 100, nil, 10 * time.Second, ""},
		{"nod held 2 s at the bottom", []Action{Nod, OpenMouth}, append(hold(6, pose(0, 0, 0, 0)), append(heldAct(Nod, 20), clip(OpenMouth)...)...), 100, nil, 10 * time.Second, ""},
		{"nod held past nodHoldMaxMS", []Action{Blink, Nod}, append(clip(Blink), append(heldAct(Nod, 30), hold(5, pose(0, 0, 0, 0))...)...), 100, nil, 10 * time.Second, "nod:missing"},
		{"head lowered and kept down", []Action{Blink, Nod}, append(clip(Blink), append(ramp(2, [4]float64{}, [4]float64{0, 0, 0, 0.25}), hold(12, pose(0, 0, 0, 0.25))...)...), 100, nil, 10 * time.Second, "nod:missing"},
		{"too fast", []Action{TurnLeft, OpenMouth}, clip(TurnLeft, OpenMouth), 15, nil, 10 * time.Second, "turn_left:too_fast"},
		{"too slow frame rate", []Action{Blink, TurnLeft}, clip(Blink, TurnLeft), 200, nil, 10 * time.Second, "fps"},
		{"still picture", []Action{Blink, TurnLeft}, hold(40, pose(0, 0, 0, 0)), 100, nil, 10 * time.Second, "still_photo"},
		{"expired", []Action{Blink, TurnLeft}, clip(Blink, TurnLeft), 100, nil, 3 * time.Minute, "expired"},
		{"timestamps go back", []Action{Blink, TurnLeft}, clip(Blink, TurnLeft), 100,
			func(f []Frame) { f[10].TimestampMS, f[11].TimestampMS = f[11].TimestampMS, f[10].TimestampMS }, 10 * time.Second, "timestamps"},
		{"duplicated frame", []Action{Blink, TurnLeft}, clip(Blink, TurnLeft), 100,
			func(f []Frame) { f[20].Image = f[19].Image }, 10 * time.Second, "replayed_frames"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			frames, ff := script(tc.gapMS, tc.done, 1)
			if tc.mutate != nil {
				tc.mutate(frames)
			}
			v := NewVerifier(ff, nil)
			res, err := v.Verify(context.Background(), challenge(tc.asked...), frames, t0.Add(tc.now))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(res.Details(), ",")
			if tc.want == "" {
				if !res.Passed {
					t.Fatalf("want pass, got %s (actions %+v, metrics %v)", got, res.Actions, res.Metrics)
				}
				return
			}
			if res.Passed || !strings.Contains(","+got+",", ","+tc.want+",") {
				t.Fatalf("want %s, got %q (actions %+v)", tc.want, got, res.Actions)
			}
		})
	}
}

func TestReplayAcrossChallenges(t *testing.T) {
	frames, ff := script(100, clip(Blink, TurnLeft), 3)
	for i := range frames {
		frames[i].Data = []byte{byte(i), 1, 2, 3}
	}
	v := NewVerifier(ff, NewMemorySeen())
	first := challenge(Blink, TurnLeft)
	res, err := v.Verify(context.Background(), first, frames, t0.Add(10*time.Second))
	if err != nil || !res.Passed {
		t.Fatalf("first use: %v %v", err, res.Details())
	}
	// Verifying the same burst again for the same challenge (a job retry)
	// is not a replay; sending it for another challenge is.
	res, _ = v.Verify(context.Background(), first, frames, t0.Add(11*time.Second))
	if !res.Passed {
		t.Fatalf("retry: %v", res.Details())
	}
	second := challenge(Blink, TurnLeft)
	second.ID = "lc_other"
	res, _ = v.Verify(context.Background(), second, frames, t0.Add(12*time.Second))
	if res.Passed || !strings.Contains(strings.Join(res.Details(), ","), "replayed_frames") {
		t.Fatalf("replay: %v", res.Details())
	}
}

func TestNewChallenge(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		rng := bytes.NewReader(bytes.Repeat([]byte{byte(i), byte(i * 7), byte(i * 13)}, 40))
		c, err := NewChallenge(rng, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Actions) < 2 || len(c.Actions) > 3 {
			t.Fatalf("%d actions", len(c.Actions))
		}
		dup := map[Action]bool{}
		for _, a := range c.Actions {
			if !a.Valid() || dup[a] {
				t.Fatalf("bad actions %v", c.Actions)
			}
			dup[a] = true
		}
		if c.ExpiresAt.Sub(c.IssuedAt) != DefaultTTL || c.Nonce == "" || c.ID == "" {
			t.Fatalf("bad challenge %+v", c)
		}
		key := ""
		for _, a := range c.Actions {
			key += string(a) + ","
		}
		seen[key] = true
		back, err := FromRecord(c.Record("app_1"))
		if err != nil || len(back.Actions) != len(c.Actions) {
			t.Fatalf("round trip: %v %+v", err, back)
		}
	}
	if len(seen) < 10 {
		t.Fatalf("only %d distinct action orders in 50 challenges", len(seen))
	}
	if _, err := NewChallenge(bytes.NewReader(nil), t0); err == nil {
		t.Fatal("empty randomness accepted")
	}
}

func TestParseActions(t *testing.T) {
	got, err := ParseActions("blink, TURN_LEFT,open_mouth")
	if err != nil || len(got) != 3 || got[1] != TurnLeft {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := ParseActions("wink"); err == nil {
		t.Fatal("unknown action accepted")
	}
}

// TestFrontalYaw checks where the face held straight is put: among the
// frames nearest yaw 0 when the head rests there, and midway between the
// two sides when it turns both ways without a straight frame (a head
// shake cut tightly, measured in the shared clip: −0.31 −0.21 0.25 0.30
// −0.15 −0.25 0.31 −0.26 0.42 0.25 −0.38 −0.22 0.44 0.27).
func TestFrontalYaw(t *testing.T) {
	for _, tc := range []struct {
		name     string
		yaws     []float64
		min, max float64
	}{
		{"still, straight", []float64{0.01, -0.02, 0.0, 0.03, -0.01, 0.02}, -0.02, 0.02},
		{"one turn held for most of the burst", []float64{0.02, 0.01, 0.5, 0.52, 0.55, 0.5, 0.48, 0.03}, -0.01, 0.05},
		{"camera to one side, a turn the other way", []float64{0.15, 0.16, 0.14, 0.15, -0.2, -0.25, 0.15, 0.16}, 0.13, 0.17},
		{"tight head-shake cut", []float64{-0.31, -0.21, 0.25, 0.30, -0.15, -0.25, 0.31, -0.26, 0.42, 0.25, -0.38, -0.22, 0.44, 0.27}, -0.05, 0.08},
	} {
		if got := frontalYaw(tc.yaws, DefaultConfig().Signals[TurnLeft].Off); got < tc.min || got > tc.max {
			t.Errorf("%s: frontal yaw %.3f, want %.2f–%.2f", tc.name, got, tc.min, tc.max)
		}
	}
}
