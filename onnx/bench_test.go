package onnx

import (
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

// BenchmarkFaceEmbedding times one forward pass of the face embedding
// network (fr_feature.onnx, 112×112 input) on one core: it runs for every
// selfie, document portrait and liveness frame that is compared.
func BenchmarkFaceEmbedding(b *testing.B) {
	m, err := Load(filepath.Join(testenv.ModelsDir(b), "fr_feature.onnx"))
	if err != nil {
		b.Skipf("model not installed (scripts/models.sh): %v", err)
	}
	x := &Tensor{Shape: []int{1, 3, 112, 112}, Data: pattern(3 * 112 * 112)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Run(map[string]*Tensor{"input": x}); err != nil {
			b.Fatal(err)
		}
	}
}
