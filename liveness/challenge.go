package liveness

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
)

// Action is one thing the applicant is asked to do in front of the camera.
type Action string

// The actions a challenge draws from. Left and right are the subject's own:
// turning to one's left moves the face toward the right edge of an
// unmirrored camera frame (frames must be sent as the camera delivers them,
// not as the mirrored preview shows them).
const (
	Blink     Action = "blink"
	TurnLeft  Action = "turn_left"
	TurnRight Action = "turn_right"
	Nod       Action = "nod"
	OpenMouth Action = "open_mouth"
)

// Actions lists every action a challenge may ask for.
func Actions() []Action { return []Action{Blink, TurnLeft, TurnRight, Nod, OpenMouth} }

// DefaultTTL is how long a challenge stays valid. Two minutes is enough to
// read three instructions and perform them, and short enough that frames
// recorded for one challenge cannot be prepared for a later one.
const DefaultTTL = 2 * time.Minute

// Challenge is an issued liveness challenge: the actions to perform, in this
// order, before ExpiresAt. The nonce makes every challenge distinct even when
// the actions repeat; clients echo the ID, the nonce never leaves the server
// except in the challenge itself.
type Challenge struct {
	ID        string    `json:"id"`
	Actions   []Action  `json:"actions"`
	Nonce     string    `json:"nonce"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Used is set when frames were already verified against the challenge;
	// a used challenge is refused so captured frames cannot be replayed.
	Used bool `json:"used,omitempty"`
}

// NewChallenge draws 2 or 3 distinct actions in random order, a random ID and
// nonce, valid for DefaultTTL from now. rng is the randomness source: pass
// nil (crypto/rand) in production, a fixed reader in tests.
func NewChallenge(rng io.Reader, now time.Time) (Challenge, error) {
	if rng == nil {
		rng = rand.Reader
	}
	var buf [60]byte
	if _, err := io.ReadFull(rng, buf[:]); err != nil {
		return Challenge{}, fmt.Errorf("liveness: reading randomness for a challenge: %w", err)
	}
	var seed [32]byte
	copy(seed[:], buf[:32])
	r := mrand.New(mrand.NewChaCha8(seed))
	pool := Actions()
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	n := 2 + r.IntN(2)
	return Challenge{
		ID:        "lc_" + hex.EncodeToString(buf[32:44]),
		Actions:   pool[:n],
		Nonce:     hex.EncodeToString(buf[44:60]),
		IssuedAt:  now,
		ExpiresAt: now.Add(DefaultTTL),
	}, nil
}

// ParseActions reads a comma-separated action list such as
// "blink,turn_left" (the CLI's --challenge flag).
func ParseActions(s string) ([]Action, error) {
	var out []Action
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		if part == "" {
			continue
		}
		a := Action(part)
		if !a.Valid() {
			return nil, fmt.Errorf("liveness: unknown action %q (want one of blink, turn_left, turn_right, nod, open_mouth)", part)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("liveness: empty action list")
	}
	return out, nil
}

// Valid reports whether a is one of Actions().
func (a Action) Valid() bool {
	for _, b := range Actions() {
		if a == b {
			return true
		}
	}
	return false
}

// Record converts the challenge to the domain record the store keeps.
func (c Challenge) Record(applicantID string) *kycgate.Challenge {
	acts := make([]string, len(c.Actions))
	for i, a := range c.Actions {
		acts[i] = string(a)
	}
	return &kycgate.Challenge{
		ID: c.ID, ApplicantID: applicantID, Actions: acts, Nonce: c.Nonce,
		ExpiresAt: c.ExpiresAt, CreatedAt: c.IssuedAt,
	}
}

// FromRecord converts a stored challenge back. A record whose UsedAt is set
// is Used.
func FromRecord(r *kycgate.Challenge) (Challenge, error) {
	if r == nil {
		return Challenge{}, fmt.Errorf("liveness: no challenge record")
	}
	acts, err := ParseActions(strings.Join(r.Actions, ","))
	if err != nil {
		return Challenge{}, fmt.Errorf("liveness: challenge %s: %w", r.ID, err)
	}
	return Challenge{
		ID: r.ID, Actions: acts, Nonce: r.Nonce, IssuedAt: r.CreatedAt,
		ExpiresAt: r.ExpiresAt, Used: r.UsedAt != nil,
	}, nil
}
