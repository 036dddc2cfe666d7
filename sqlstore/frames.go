package sqlstore

import (
	"context"
	"strings"
)

// FrameHashes remembers the SHA-256 of every liveness frame submitted and
// the challenge it answered. It implements liveness.SeenFrames on the
// store's database, so the replay defence holds across workers and
// restarts.
type FrameHashes struct{ s *Store }

// FrameHashes returns the store's frame-hash memory.
func (s *Store) FrameHashes() *FrameHashes { return &FrameHashes{s} }

// Seen returns how many of hashes were remembered for a challenge other
// than challengeID; the same burst verified again (a job retry) does not
// count its own frames.
func (f *FrameHashes) Seen(ctx context.Context, challengeID string, hashes []string) (int, error) {
	if len(hashes) == 0 {
		return 0, nil
	}
	args := make([]any, 0, len(hashes)+1)
	args = append(args, challengeID)
	for _, h := range hashes {
		args = append(args, h)
	}
	q := `SELECT COUNT(*) FROM liveness_frames WHERE challenge_id <> ? AND hash IN (?` + strings.Repeat(", ?", len(hashes)-1) + `)`
	var n int
	if err := f.s.reader().queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// Remember records hashes as answering challengeID. A hash remembered
// before keeps its first challenge.
func (f *FrameHashes) Remember(ctx context.Context, challengeID string, hashes []string) error {
	now := micros(f.s.clock.Now())
	return f.s.inTx(ctx, func(q querier, _ any) error {
		for _, h := range hashes {
			if h == "" {
				continue
			}
			if _, err := q.exec(ctx, `INSERT INTO liveness_frames (hash, challenge_id, created_at) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
				h, challengeID, now); err != nil {
				return err
			}
		}
		return nil
	})
}
