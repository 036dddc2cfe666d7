package mrzocr

import (
	"os"
	"testing"
)

func TestDevEval(t *testing.T) {
	if os.Getenv("MRZ_DEV") == "" {
		t.Skip()
	}
	_, err := Evaluate(os.Stdout, EvalOptions{TestData: "/work/shared/testdata", Verbose: true})
	if err != nil {
		t.Fatal(err)
	}
}
