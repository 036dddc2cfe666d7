package lockout

import (
	"fmt"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
)

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func subs(ago ...time.Duration) []*kycgate.Submission {
	var out []*kycgate.Submission
	for _, a := range ago {
		out = append(out, &kycgate.Submission{CreatedAt: t0.Add(-a)})
	}
	return out
}

func decisions(outcomes ...kycgate.Outcome) []*kycgate.Decision {
	var out []*kycgate.Decision
	for i, o := range outcomes {
		out = append(out, &kycgate.Decision{Outcome: o, CreatedAt: t0.Add(-time.Duration(i+1) * time.Hour)})
	}
	return out
}

func TestLockedUntil(t *testing.T) {
	p := Policy{MaxSubmissions: 3, Window: 10 * time.Minute, MaxConsecutiveFailures: 3, LockFor: 24 * time.Hour}
	past := t0.Add(-30 * time.Minute)
	future := t0.Add(5 * time.Hour)
	R, A := kycgate.Rejected, kycgate.Approved
	tests := []struct {
		name   string
		h      History
		locked bool
		until  time.Time
	}{
		{"fresh applicant", History{}, false, time.Time{}},
		{"two quick submissions are fine", History{Submissions: subs(time.Minute, 2*time.Minute)}, false, time.Time{}},
		{"three in the window lock from now", History{Submissions: subs(time.Minute, 2*time.Minute, 3*time.Minute)}, true, t0.Add(24 * time.Hour)},
		{"three spread out are fine", History{Submissions: subs(time.Minute, 20*time.Minute, 40*time.Minute)}, false, time.Time{}},
		{"stored lock holds", History{LockedUntil: &future}, true, future},
		{"three rejections in a row lock from the last", History{Decisions: decisions(R, R, R)}, true, t0.Add(-time.Hour + 24*time.Hour)},
		{"an approval breaks the run", History{Decisions: decisions(R, R, A, R)}, false, time.Time{}},
		{"history before a served lock is forgiven", History{LockedUntil: &past, Decisions: decisions(R, R, R)}, false, time.Time{}},
		{"submissions before a served lock are forgiven", History{LockedUntil: &past,
			Submissions: subs(time.Minute, 35*time.Minute, 36*time.Minute)}, false, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			until, locked := p.LockedUntil(t0, tt.h)
			if locked != tt.locked || (locked && !until.Equal(tt.until)) {
				t.Errorf("got locked=%v until %v, want %v until %v", locked, until, tt.locked, tt.until)
			}
		})
	}
}

func TestZeroPolicyNeverLocks(t *testing.T) {
	if _, locked := (Policy{}).LockedUntil(t0, History{Submissions: subs(0, 0, 0, 0, 0, 0)}); locked {
		t.Fatal("zero policy locked")
	}
}

func ExamplePolicy_LockedUntil() {
	p := DefaultPolicy()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var h History
	for i := 0; i < 5; i++ {
		h.Submissions = append(h.Submissions, &kycgate.Submission{CreatedAt: now.Add(-time.Duration(i) * time.Minute)})
	}
	until, locked := p.LockedUntil(now, h)
	fmt.Println(locked, until.Format(time.RFC3339))
	// Output: true 2026-12-01T12:00:00Z
}
