package geom

import (
	"errors"
	"math"
	"testing"
)

func TestHomographyMapsCornersAndInverts(t *testing.T) {
	src := [4][2]float64{{0, 0}, {100, 0}, {100, 60}, {0, 60}}
	dst := [4][2]float64{{12, 7}, {180, 22}, {170, 140}, {5, 120}}
	m, err := Homography(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := m.Inverse()
	if err != nil {
		t.Fatal(err)
	}
	for i := range src {
		x, y := m.Apply(src[i][0], src[i][1])
		if math.Hypot(x-dst[i][0], y-dst[i][1]) > 1e-9 {
			t.Errorf("corner %d maps to (%g, %g), want %v", i, x, y, dst[i])
		}
		bx, by := inv.Apply(x, y)
		if math.Hypot(bx-src[i][0], by-src[i][1]) > 1e-9 {
			t.Errorf("corner %d does not map back: (%g, %g)", i, bx, by)
		}
	}
}

func TestHomographyDegenerate(t *testing.T) {
	line := [4][2]float64{{0, 0}, {1, 1}, {2, 2}, {3, 3}}
	if _, err := Homography([4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, line); !errors.Is(err, ErrDegenerate) {
		t.Errorf("collinear corners: %v", err)
	}
}

// TestFitHomography recovers a known transform from six exact point pairs
// (the six anchors a mask template is warped by), and from the same pairs
// with noise finds a transform that maps each point within the noise.
func TestFitHomography(t *testing.T) {
	want, err := Homography([4][2]float64{{0, 0}, {600, 0}, {600, 470}, {0, 470}}, [4][2]float64{{210, 300}, {420, 310}, {400, 480}, {220, 470}})
	if err != nil {
		t.Fatal(err)
	}
	src := [][2]float64{{21, 97}, {307, 22}, {600, 99}, {600, 323}, {295, 470}, {25, 322}}
	for _, tc := range []struct {
		name  string
		noise float64
		tol   float64
	}{
		{"exact", 0, 1e-6},
		{"noisy", 1.5, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dst [][2]float64
			for i, p := range src {
				x, y := want.Apply(p[0], p[1])
				// Deterministic noise of alternating sign.
				s := tc.noise * float64(1-2*(i%2))
				dst = append(dst, [2]float64{x + s, y - s})
			}
			got, err := FitHomography(src, dst)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range src {
				x, y := got.Apply(p[0], p[1])
				if d := math.Hypot(x-dst[i][0], y-dst[i][1]); d > tc.tol {
					t.Errorf("point %d maps %.3g px from its target, want at most %g", i, d, tc.tol)
				}
			}
		})
	}
	if _, err := FitHomography(src[:3], src[:3]); !errors.Is(err, ErrDegenerate) {
		t.Errorf("three points: %v, want ErrDegenerate", err)
	}
}
