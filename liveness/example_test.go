package liveness_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/kycgate/kycgate/liveness"
)

func ExampleNewChallenge() {
	// Production passes nil (crypto/rand); a fixed reader makes it repeatable.
	rng := bytes.NewReader(bytes.Repeat([]byte{42}, 64))
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	ch, err := liveness.NewChallenge(rng, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(ch.Actions) >= 2, ch.ExpiresAt.Sub(ch.IssuedAt))
	// Output: true 2m0s
}

func ExampleParseActions() {
	acts, err := liveness.ParseActions("blink,turn_left")
	fmt.Println(acts, err)
	_, err = liveness.ParseActions("wink")
	fmt.Println(err != nil)
	// Output:
	// [blink turn_left] <nil>
	// true
}

func ExampleTimestampsAtFPS() {
	fmt.Println(liveness.TimestampsAtFPS(4, 10))
	// Output: [0 100 200 300]
}
