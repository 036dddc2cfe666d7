package liveness

import (
	"bytes"
	"strings"
	"testing"
)

// TestEvaluate guards the evaluation's numbers (docs/liveness.md): no
// attack sequence passes, and the genuine pass rate and the detection of the
// labelled actions stay at or above what was measured (13/13 genuine, every
// labelled blink, mouth opening, turn and nod, no action in the stationary
// clip).
func TestEvaluate(t *testing.T) {
	td := testdata(t)
	fm := FaceModels{models(t)}
	var out bytes.Buffer
	sum, err := Evaluate(&out, td, fm)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for kind, n := range sum.Passed {
		if !strings.HasPrefix(kind, "genuine") && kind != "too_fast_dropped_single" && n > 0 {
			t.Errorf("%d %s attack sequences passed, want 0", n, kind)
		}
	}
	// Genuine sequences under other capture conditions (captureVariants):
	// every one passes (half brightness, half resolution, JPEG quality 30,
	// tilted, out of focus, contrasty), the windows 13/13 and the cuts
	// 24/24.
	for _, cv := range captureVariants {
		for kind, least := range map[string]int{"genuine": 13, "genuine_cut": 24} {
			kind += ", " + cv.Name
			if p, n := sum.Passed[kind], sum.Total[kind]; n < least || p < n {
				t.Errorf("%s passed %d/%d, want all of at least %d", kind, p, n, least)
			}
		}
	}
	// Bursts sped up two- and threefold by dropping frames: every one
	// answering a challenge of two actions fails (above; the mouth, held
	// 1300–1400 ms, lasts 700 or 500 ms sped up, under OpenMouth's
	// 900 ms). What still passes are lone blinks, whose sped-up durations
	// (132–200 ms threefold) are those of a person in a hurry, not beyond
	// one (docs/liveness.md); the server never asks for one action alone.
	// Guard the measured 6 of 6 as a ceiling.
	if n := sum.Total["too_fast_dropped"]; n < 8 {
		t.Errorf("%d too_fast_dropped sequences of two actions, want at least 8", n)
	}
	if n := sum.Passed["too_fast_dropped_single"]; n > 6 || sum.Total["too_fast_dropped_single"] < 6 {
		t.Errorf("too_fast_dropped_single: %d/%d passed, want at most 6 of at least 6", n, sum.Total["too_fast_dropped_single"])
	}
	// The recipe for genuine sequences: cuts of one clip joined in
	// the asked order (cuts.go), 24/24 measured.
	if g, n := sum.Passed["genuine_cut"], sum.Total["genuine_cut"]; n < 24 || float64(g) < 0.95*float64(n) {
		t.Errorf("genuine_cut passed %d/%d, want at least 95%% of at least 24", g, n)
	}
	// The same cuts with about one frame around each action: 26/26
	// measured once the straight pose of a head turning both ways lies
	// between the two sides (frontalYaw).
	if g, n := sum.Passed["genuine_tight_cut"], sum.Total["genuine_tight_cut"]; n < 26 || float64(g) < 0.95*float64(n) {
		t.Errorf("genuine_tight_cut passed %d/%d, want at least 95%% of at least 26", g, n)
	}
	if sum.Total["reordered"] < 13 {
		t.Errorf("%d reordered sequences, want the 13 shuffled genuine ones", sum.Total["reordered"])
	}
	if g, n := sum.Passed["genuine"], sum.Total["genuine"]; n < 13 || float64(g) < 0.95*float64(n) {
		t.Errorf("genuine passed %d/%d, want at least 95%% of at least 13", g, n)
	}
	floors := map[string]float64{"blink": 1, "mouth_open": 1, "nod": 1, "turn_left": 1, "turn_right": 1,
		"stationary_no_turn_left": 1, "stationary_no_turn_right": 1, "stationary_no_open_mouth": 1, "stationary_no_nod": 1}
	for kind, floor := range floors {
		d, l := sum.Detected[kind], sum.Labelled[kind]
		if l == 0 || float64(d) < floor*float64(l) {
			t.Errorf("%s detected %d/%d, want at least %.0f%%", kind, d, l, 100*floor)
		}
	}
}
