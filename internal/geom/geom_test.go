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
