package liveness

import (
	"bytes"
	"context"
	"image/png"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
)

func TestCheckRun(t *testing.T) {
	frames, ff := script(100, clip(Blink, TurnLeft), 9)
	var files []kycgate.EvidenceFile
	for _, f := range frames {
		var buf bytes.Buffer
		if err := png.Encode(&buf, f.Image); err != nil {
			t.Fatal(err)
		}
		files = append(files, kycgate.EvidenceFile{
			File: kycgate.File{Kind: kycgate.FileLivenessFrame, CapturedAtMS: f.TimestampMS}, Data: buf.Bytes()})
	}
	ch := challenge(Blink, TurnLeft)
	used := false
	lookup := func(_ context.Context, id string, at time.Time) (*kycgate.Challenge, error) {
		if id != ch.ID {
			return nil, kycgate.Errorf(kycgate.ErrNotFound, "no challenge %s", id)
		}
		if used {
			return nil, kycgate.Errorf(kycgate.ErrConflict, "challenge %s already used", id)
		}
		used = true
		r := ch.Record("app_1")
		r.UsedAt = &at
		return r, nil
	}
	c := &Check{Verifier: NewVerifier(ff, NewMemorySeen()), Lookup: lookup}
	ev := &kycgate.Evidence{Now: t0.Add(10 * time.Second), Metrics: map[string]float64{},
		Submission: &kycgate.Submission{ChallengeID: ch.ID}, Files: files}
	tests := []struct {
		name, challengeID, want string
	}{
		{"first use passes", ch.ID, ""},
		{"second use", ch.ID, "challenge_used"},
		{"unknown challenge", "lc_nope", "no_challenge"},
		{"no challenge", "", "no_challenge"},
	}
	for _, tc := range tests {
		ev.Submission.ChallengeID = tc.challengeID
		fs, err := c.Run(context.Background(), ev)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		switch {
		case tc.want == "" && len(fs) != 0:
			t.Errorf("%s: findings %+v", tc.name, fs)
		case tc.want != "" && (len(fs) != 1 || fs[0].Detail != tc.want || fs[0].Code != kycgate.LivenessFailed || fs[0].Step != kycgate.StepSelfie):
			t.Errorf("%s: want %s, got %+v", tc.name, tc.want, fs)
		}
	}
	if c.Name() != "liveness" || ev.Metrics["liveness.fps"] != 10 {
		t.Errorf("name %q metrics %v", c.Name(), ev.Metrics)
	}
}
