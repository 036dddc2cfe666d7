package liveness

import (
	"context"
	"sync"
)

// SeenFrames remembers the hashes of frames submitted for earlier
// challenges, so a burst recorded once cannot be sent again for a new
// challenge. The lead wires a store-backed implementation; MemorySeen serves
// tests and single-process use.
type SeenFrames interface {
	// Seen returns how many of hashes were remembered for a challenge
	// other than challengeID (so verifying the same burst again, as a job
	// retry does, does not count its own frames).
	Seen(ctx context.Context, challengeID string, hashes []string) (int, error)
	// Remember records hashes as used by challengeID.
	Remember(ctx context.Context, challengeID string, hashes []string) error
}

// MemorySeen is an in-memory SeenFrames. It grows without bound; a
// long-running service uses the store-backed one, which can expire entries.
type MemorySeen struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemorySeen returns an empty MemorySeen.
func NewMemorySeen() *MemorySeen { return &MemorySeen{m: map[string]string{}} }

// Seen implements SeenFrames.
func (s *MemorySeen) Seen(_ context.Context, challengeID string, hashes []string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range hashes {
		if c, ok := s.m[h]; ok && h != "" && c != challengeID {
			n++
		}
	}
	return n, nil
}

// Remember implements SeenFrames.
func (s *MemorySeen) Remember(_ context.Context, challengeID string, hashes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hashes {
		if _, ok := s.m[h]; !ok && h != "" {
			s.m[h] = challengeID
		}
	}
	return nil
}
