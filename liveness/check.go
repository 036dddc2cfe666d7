package liveness

import (
	"context"
	"fmt"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
)

// ChallengeLookup returns the stored challenge a submission answers. Wire
// Store.UseChallenge to it: the first use returns the challenge, a second
// use fails with CONFLICT, which the check reports as
// LIVENESS_FAILED/challenge_used.
type ChallengeLookup func(ctx context.Context, id string, at time.Time) (*kycgate.Challenge, error)

// Check is the liveness check of the verification pipeline: the
// submission's liveness_frame files, in capture order, against the
// challenge named by Submission.ChallengeID.
type Check struct {
	Verifier *Verifier
	Lookup   ChallengeLookup
}

// Name implements kycgate.Check.
func (c *Check) Name() string { return "liveness" }

// Run implements kycgate.Check.
func (c *Check) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	files := ev.FilesOf(kycgate.FileLivenessFrame)
	if len(files) == 0 || ev.Submission == nil {
		return nil, nil
	}
	fail := func(detail string) []kycgate.Finding {
		return []kycgate.Finding{{Code: kycgate.LivenessFailed, Step: kycgate.StepSelfie, Detail: detail}}
	}
	if ev.Submission.ChallengeID == "" {
		return fail("no_challenge"), nil
	}
	rec, err := c.Lookup(ctx, ev.Submission.ChallengeID, ev.Now)
	switch {
	case err == nil:
	case kycgate.ErrorCode(err) == kycgate.ErrConflict:
		return fail("challenge_used"), nil
	case kycgate.ErrorCode(err) == kycgate.ErrNotFound:
		return fail("no_challenge"), nil
	default:
		return nil, fmt.Errorf("liveness: challenge lookup: %w", err)
	}
	ch, err := FromRecord(rec)
	if err != nil {
		return fail("no_challenge"), nil
	}
	ch.Used = false // the lookup itself marked it used for this submission
	// Frames stay in upload order: Verify refuses timestamps that do not
	// increase, which is how reordered frames show.
	frames := make([]Frame, 0, len(files))
	for _, f := range files {
		img, _, err := imageio.DecodeBytes(f.Data, imageio.DefaultLimits())
		if err != nil {
			img = nil // counted as a frame without a face
		}
		frames = append(frames, Frame{Image: img, Data: f.Data, TimestampMS: f.CapturedAtMS})
	}
	// The frames are judged as of their submission: the job may run
	// minutes later, and a queue is no reason for a challenge to expire.
	at := ev.Now
	if !ev.Submission.CreatedAt.IsZero() {
		at = ev.Submission.CreatedAt
	}
	res, err := c.Verifier.Verify(ctx, ch, frames, at)
	if err != nil {
		return nil, err
	}
	if ev.Metrics != nil {
		for k, v := range res.Metrics {
			ev.Metrics["liveness."+k] = v
		}
	}
	return res.Findings, nil
}
