// Package geom holds the projective geometry that both finding a document
// (docloc, rectifying the photo) and drawing one (synth, photographing it)
// need: a 3×3 homography through four point pairs. Pure Go, so it builds for
// the browser with docloc.
package geom

import (
	"errors"
	"fmt"
	"math"
)

// ErrDegenerate is returned for a quadrilateral with three collinear
// corners, or a transform that cannot be inverted.
var ErrDegenerate = errors.New("geom: degenerate quadrilateral")

// Mat3 is a 3×3 projective transform, row-major.
type Mat3 [9]float64

// Apply maps the point (x, y).
func (m Mat3) Apply(x, y float64) (float64, float64) {
	w := m[6]*x + m[7]*y + m[8]
	return (m[0]*x + m[1]*y + m[2]) / w, (m[3]*x + m[4]*y + m[5]) / w
}

// Inverse returns the inverse transform.
func (m Mat3) Inverse() (Mat3, error) {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	if math.Abs(det) < 1e-12 {
		return Mat3{}, ErrDegenerate
	}
	return Mat3{
		(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det,
		(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det,
	}, nil
}

// Homography solves the projective transform mapping src[i] to dst[i]
// (Gauss–Jordan elimination with partial pivoting on the 8×8 system).
func Homography(src, dst [4][2]float64) (Mat3, error) {
	var A [8][9]float64
	for i := 0; i < 4; i++ {
		A[2*i], A[2*i+1] = equations(src[i], dst[i])
	}
	return solve(A)
}

// FitHomography is the projective transform that maps src[i] nearest to
// dst[i] in the least-squares sense, for four or more point pairs (what
// OpenCV's findHomography computes without outlier rejection). Both point
// sets are first moved to their centroid and scaled to a mean distance of
// √2 from it (Hartley's normalisation), which keeps the normal equations
// well conditioned for pixel coordinates.
func FitHomography(src, dst [][2]float64) (Mat3, error) {
	if len(src) != len(dst) || len(src) < 4 {
		return Mat3{}, fmt.Errorf("geom: %d and %d points, want the same number, at least 4: %w", len(src), len(dst), ErrDegenerate)
	}
	ts, err := normalising(src)
	if err != nil {
		return Mat3{}, err
	}
	td, err := normalising(dst)
	if err != nil {
		return Mat3{}, err
	}
	// Normal equations AᵀA h = Aᵀb of the 2n equations.
	var N [8][9]float64
	for i := range src {
		sx, sy := ts.Apply(src[i][0], src[i][1])
		dx, dy := td.Apply(dst[i][0], dst[i][1])
		a, b := equations([2]float64{sx, sy}, [2]float64{dx, dy})
		for _, row := range [2][9]float64{a, b} {
			for r := 0; r < 8; r++ {
				for c := 0; c < 9; c++ {
					N[r][c] += row[r] * row[c]
				}
			}
		}
	}
	hn, err := solve(N)
	if err != nil {
		return Mat3{}, err
	}
	tdInv, err := td.Inverse()
	if err != nil {
		return Mat3{}, err
	}
	return tdInv.mul(hn).mul(ts).scaled(), nil
}

// equations are the two rows of the linear system that the point pair
// src → dst adds, the unknowns being the first eight entries of the
// transform (the ninth is 1) and the last column the right-hand side.
func equations(src, dst [2]float64) (a, b [9]float64) {
	x, y, u, v := src[0], src[1], dst[0], dst[1]
	return [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}, [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
}

// solve solves the 8×8 system A (right-hand side in its last column) by
// Gauss–Jordan elimination with partial pivoting.
func solve(A [8][9]float64) (Mat3, error) {
	for col := 0; col < 8; col++ {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(A[r][col]) > math.Abs(A[piv][col]) {
				piv = r
			}
		}
		if math.Abs(A[piv][col]) < 1e-12 {
			return Mat3{}, ErrDegenerate
		}
		A[col], A[piv] = A[piv], A[col]
		for r := 0; r < 8; r++ {
			if r == col {
				continue
			}
			f := A[r][col] / A[col][col]
			for k := col; k < 9; k++ {
				A[r][k] -= f * A[col][k]
			}
		}
	}
	var m Mat3
	for i := 0; i < 8; i++ {
		m[i] = A[i][8] / A[i][i]
	}
	m[8] = 1
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Mat3{}, ErrDegenerate
		}
	}
	return m, nil
}

// normalising is the similarity that moves pts' centroid to the origin
// and their mean distance from it to √2.
func normalising(pts [][2]float64) (Mat3, error) {
	var cx, cy float64
	for _, p := range pts {
		cx += p[0]
		cy += p[1]
	}
	n := float64(len(pts))
	cx, cy = cx/n, cy/n
	var d float64
	for _, p := range pts {
		d += math.Hypot(p[0]-cx, p[1]-cy)
	}
	if d == 0 {
		return Mat3{}, ErrDegenerate
	}
	k := math.Sqrt2 * n / d
	return Mat3{k, 0, -k * cx, 0, k, -k * cy, 0, 0, 1}, nil
}

// mul is the transform m after o (the matrix product m·o).
func (m Mat3) mul(o Mat3) Mat3 {
	var r Mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				r[3*i+j] += m[3*i+k] * o[3*k+j]
			}
		}
	}
	return r
}

// scaled is m with its last entry 1 (the same transform).
func (m Mat3) scaled() Mat3 {
	w := m[8]
	for i := range m {
		m[i] /= w
	}
	return m
}
