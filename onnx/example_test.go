package onnx_test

import (
	"fmt"
	"log"

	"github.com/kycgate/kycgate/onnx"
)

// Embed a 112×112 face chip with the face embedding network that
// scripts/models.sh installs (the input is NCHW, pixels scaled to
// (v − 127)/128; package face does this alignment and scaling).
func Example() {
	m, err := onnx.Load("models/fr_feature.onnx")
	if err != nil {
		log.Fatal(err)
	}
	chip := onnx.NewTensor(1, 3, 112, 112) // fill with the aligned face
	out, err := m.Run(map[string]*onnx.Tensor{m.Inputs()[0]: chip})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(out[m.Outputs()[0]].Data)) // 512
}
