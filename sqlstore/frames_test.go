package sqlstore_test

import (
	"context"
	"testing"
)

func TestFrameHashes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		fh := e.st.FrameHashes()
		if err := fh.Remember(ctx, "ch-1", []string{"a", "b", "c", ""}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			challenge string
			hashes    []string
			want      int
		}{
			{"the same burst again (a job retry) is not a replay", "ch-1", []string{"a", "b", "c"}, 0},
			{"frames of ch-1 answering ch-2 are a replay", "ch-2", []string{"a", "x", "c"}, 2},
			{"fresh frames", "ch-2", []string{"x", "y"}, 0},
			{"nothing to look up", "ch-2", nil, 0},
		}
		for _, tt := range tests {
			n, err := fh.Seen(ctx, tt.challenge, tt.hashes)
			if err != nil || n != tt.want {
				t.Errorf("%s: %d, %v; want %d", tt.name, n, err, tt.want)
			}
		}
		// A hash keeps its first challenge.
		if err := fh.Remember(ctx, "ch-2", []string{"a", "x"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := fh.Seen(ctx, "ch-2", []string{"a"}); n != 1 {
			t.Errorf("re-remembering moved hash a to ch-2")
		}
	})
}
