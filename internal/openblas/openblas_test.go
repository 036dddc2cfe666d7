//go:build cgo

package openblas

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestSgemmMatchesGonum compares the products blas32.Gemm now computes with
// gonum's own Sgemm, for every transpose combination, padded leading
// dimensions, alpha/beta and shapes down to one row or column.
func TestSgemmMatchesGonum(t *testing.T) {
	if _, ok := blas32.Implementation().(implementation); !ok {
		t.Fatalf("blas32 uses %T, want OpenBLAS's Sgemm", blas32.Implementation())
	}
	rng := rand.New(rand.NewSource(1))
	random := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = rng.Float32()*2 - 1
		}
		return v
	}
	for _, tc := range []struct {
		name           string
		m, n, k        int
		tA, tB         blas.Transpose
		alpha, beta    float32
		padA, padB, pC int
	}{
		{"plain", 7, 5, 3, blas.NoTrans, blas.NoTrans, 1, 0, 0, 0, 0},
		{"A transposed", 4, 6, 9, blas.Trans, blas.NoTrans, 1, 0, 0, 0, 0},
		{"B transposed", 64, 3, 128, blas.NoTrans, blas.Trans, 1, 0, 0, 0, 0},
		{"both, alpha and beta", 5, 5, 5, blas.Trans, blas.Trans, 0.5, 2, 0, 0, 0},
		{"padded strides", 6, 4, 5, blas.NoTrans, blas.NoTrans, 1, 1, 3, 2, 1},
		{"one row", 1, 300, 40, blas.NoTrans, blas.NoTrans, 1, 0, 0, 0, 0},
		{"one column", 200, 1, 30, blas.NoTrans, blas.NoTrans, 1, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ar, ac := tc.m, tc.k
			if tc.tA == blas.Trans {
				ar, ac = tc.k, tc.m
			}
			br, bc := tc.k, tc.n
			if tc.tB == blas.Trans {
				br, bc = tc.n, tc.k
			}
			lda, ldb, ldc := ac+tc.padA, bc+tc.padB, tc.n+tc.pC
			a, b := random(ar*lda), random(br*ldb)
			c := random(tc.m * ldc)
			want := append([]float32(nil), c...)
			gonum.Implementation{}.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
			blas32.Gemm(tc.tA, tc.tB, tc.alpha,
				blas32.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
				blas32.General{Rows: br, Cols: bc, Stride: ldb, Data: b},
				tc.beta, blas32.General{Rows: tc.m, Cols: tc.n, Stride: ldc, Data: c})
			for i := range want {
				if d := math.Abs(float64(c[i] - want[i])); d > 1e-4 {
					t.Fatalf("element %d: %g, gonum %g", i, c[i], want[i])
				}
			}
		})
	}
}
