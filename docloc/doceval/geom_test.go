package doceval

import (
	"math"
	"testing"
)

func TestCornerErrorAndIoU(t *testing.T) {
	sq := [4][2]float64{{0, 0}, {100, 0}, {100, 100}, {0, 100}}
	diag := math.Sqrt2 * 100
	tests := []struct {
		name    string
		got     [4][2]float64
		wantErr float64
		wantIoU float64
	}{
		{"identical", sq, 0, 1},
		{"rotated start", [4][2]float64{{100, 0}, {100, 100}, {0, 100}, {0, 0}}, 0, 1},
		{"reversed winding", [4][2]float64{{0, 0}, {0, 100}, {100, 100}, {100, 0}}, 0, 1},
		{"shifted 10 px", [4][2]float64{{10, 0}, {110, 0}, {110, 100}, {10, 100}}, 10 / diag, 9000.0 / 11000},
		{"half", [4][2]float64{{0, 0}, {50, 0}, {50, 100}, {0, 100}}, 25 / diag, 0.5},
		{"disjoint", [4][2]float64{{200, 200}, {300, 200}, {300, 300}, {200, 300}}, 200 * math.Sqrt2 / diag, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if e := CornerError(tc.got, sq); math.Abs(e-tc.wantErr) > 1e-9 {
				t.Errorf("CornerError = %v, want %v", e, tc.wantErr)
			}
			if u := IoU(tc.got, sq); math.Abs(u-tc.wantIoU) > 1e-9 {
				t.Errorf("IoU = %v, want %v", u, tc.wantIoU)
			}
		})
	}
}
