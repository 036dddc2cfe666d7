// Package geom holds the projective geometry that both finding a document
// (docloc, rectifying the photo) and drawing one (synth, photographing it)
// need: a 3×3 homography through four point pairs. Pure Go, so it builds for
// the browser with docloc.
package geom

import (
	"errors"
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
		x, y, u, v := src[i][0], src[i][1], dst[i][0], dst[i][1]
		A[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		A[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
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
