package liveness

import (
	"context"
	"image"
	"testing"
	"time"
)

func FuzzParseActions(f *testing.F) {
	for _, s := range []string{"blink,turn_left", " NOD , open_mouth", "", ",,,", "turn_right,x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		acts, err := ParseActions(s)
		if err == nil {
			for _, a := range acts {
				if !a.Valid() {
					t.Fatalf("invalid action %q accepted", a)
				}
			}
		}
	})
}

// FuzzVerifyTimestamps feeds arbitrary timestamps: Verify must never panic
// and must refuse any burst whose timestamps do not strictly increase.
func FuzzVerifyTimestamps(f *testing.F) {
	f.Add(int64(0), int64(100), int64(-5), uint8(12))
	f.Add(int64(1<<62), int64(-1<<62), int64(7), uint8(9))
	f.Fuzz(func(t *testing.T, start, step, wobble int64, n uint8) {
		frames, ff := script(100, clip(Blink, TurnLeft), 5)
		if int(n) < len(frames) {
			frames = frames[:n]
		}
		increasing := true
		for i := range frames {
			frames[i].TimestampMS = start + int64(i)*step + wobble*int64(i%2)
			if i > 0 && frames[i].TimestampMS <= frames[i-1].TimestampMS {
				increasing = false
			}
		}
		frames = append(frames, Frame{Image: image.NewGray(image.Rect(0, 0, 1, 1)), TimestampMS: start})
		res, err := NewVerifier(ff, nil).Verify(context.Background(), challenge(Blink, TurnLeft), frames, t0.Add(time.Second))
		if err != nil {
			return
		}
		if !increasing && res.Passed {
			t.Fatal("non-increasing timestamps passed")
		}
	})
}
