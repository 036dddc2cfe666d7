//go:build cgo

// Package openblas makes gonum's float32 matrix product (blas32.Gemm) run
// on OpenBLAS, for the neural networks kycgate evaluates on every selfie
// and liveness frame: their convolutions are matrix products, and gonum's
// portable Sgemm (SSE, no cache tiling for these shapes) is about ten times
// slower than OpenBLAS's AVX kernels. Import it for its side effect:
//
//	import _ "github.com/kycgate/kycgate/internal/openblas"
//
// Only Sgemm is replaced; every other routine stays gonum's. OpenBLAS is
// told to use one thread: the service parallelises across requests, and
// threads inside each product would only contend with them. Without cgo
// the package does nothing and gonum's Sgemm is used.
package openblas

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

func init() {
	C.openblas_set_num_threads(1)
	blas32.Use(implementation{})
}

// implementation is gonum's float32 BLAS with Sgemm done by OpenBLAS.
type implementation struct{ gonum.Implementation }

func transpose(t blas.Transpose) C.enum_CBLAS_TRANSPOSE {
	if t == blas.NoTrans {
		return C.CblasNoTrans
	}
	return C.CblasTrans
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C in row-major order. The
// argument checks are gonum's, so a bad call panics exactly as it would
// without this package; the product itself is OpenBLAS's.
func (impl implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 || (k == 0 || alpha == 0) && beta == 1 {
		return
	}
	if k == 0 || alpha == 0 || len(a) == 0 || len(b) == 0 || !fits(tA, m, k, len(a), lda) || !fits(tB, k, n, len(b), ldb) || len(c) < (m-1)*ldc+n || ldc < n {
		impl.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	C.cblas_sgemm(C.CblasRowMajor, transpose(tA), transpose(tB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.float(alpha), (*C.float)(&a[0]), C.blasint(lda), (*C.float)(&b[0]), C.blasint(ldb),
		C.float(beta), (*C.float)(&c[0]), C.blasint(ldc))
}

// fits reports whether a slice of length n with leading dimension ld holds
// op(X) of rows×cols.
func fits(t blas.Transpose, rows, cols, n, ld int) bool {
	if t != blas.NoTrans {
		rows, cols = cols, rows
	}
	return ld >= max(1, cols) && n >= (rows-1)*ld+cols
}
