//go:build !cgo

// Package openblas makes gonum's float32 matrix product run on OpenBLAS
// when cgo is available; this build has no cgo, so gonum's own Sgemm is
// used.
package openblas
