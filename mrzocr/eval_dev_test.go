package mrzocr

import (
	"fmt"
	"os"
	"testing"
)

func TestDevEval(t *testing.T) {
	if os.Getenv("MRZ_DEV") == "" {
		t.Skip()
	}
	if w := os.Getenv("MRZ_AL"); w != "" {
		fmt.Sscan(w, &alnumLetterCost)
	}
	if w := os.Getenv("MRZ_MC"); w != "" {
		fmt.Sscan(w, &maxCorrectionCost)
	}
	gen := 0
	fmt.Sscan(os.Getenv("MRZ_GEN"), &gen)
	_, err := Evaluate(os.Stdout, EvalOptions{TestData: os.Getenv("MRZ_TD"), Generated: gen, Seed: 1, Verbose: os.Getenv("MRZ_V") != ""})
	if err != nil {
		t.Fatal(err)
	}
}
