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
	_, err := Evaluate(os.Stdout, EvalOptions{TestData: "/work/shared/testdata", Verbose: os.Getenv("MRZ_V") != ""})
	if err != nil {
		t.Fatal(err)
	}
}
