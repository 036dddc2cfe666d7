package mrzocr

import (
	"bytes"
	"os"
	"strconv"
	"testing"
)

// Measured on 2026-11-30 (see docs/mrz.md); the test fails if a change
// reads fewer specimens exactly or reports a negative as a valid MRZ.
const (
	minRealExact     = 62   // of 68 specimen images with an MRZ
	minRealCharAcc   = 0.99 // character accuracy on the same images
	maxRealValidBad  = 3    // valid readings that are not exact (names have no check digit)
	minGeneratedRate = 1.0  // generated clean / photographed / blurry MRZs read exactly
)

// TestEvaluateSpecimens reads every labelled specimen image in
// ../shared/testdata/mrz and guards the measured accuracy.
func TestEvaluateSpecimens(t *testing.T) {
	td := testdataDir(t)
	var buf bytes.Buffer
	rep, err := Evaluate(&buf, EvalOptions{TestData: td, Verbose: testing.Verbose()})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
	s := rep.Real
	if s.Images != 68 || s.Negatives != 4 {
		t.Fatalf("ground truth changed: %d images, %d negatives", s.Images, s.Negatives)
	}
	if s.Exact < minRealExact {
		t.Errorf("exact %d/68, want ≥ %d", s.Exact, minRealExact)
	}
	if s.CharAccuracy() < minRealCharAcc {
		t.Errorf("character accuracy %.4f, want ≥ %.2f", s.CharAccuracy(), minRealCharAcc)
	}
	if s.NegativesValid != 0 {
		t.Errorf("%d negatives reported as a valid MRZ", s.NegativesValid)
	}
	if s.ValidWrong > maxRealValidBad {
		t.Errorf("%d valid but wrong readings, want ≤ %d", s.ValidWrong, maxRealValidBad)
	}
}

// TestEvaluateGenerated renders TD3 passports and TD1 cards with package
// synth, flat and photographed, and requires every MRZ read exactly. It
// reads 4 documents per condition by default (MRZ_EVAL_GENERATED=n for more)
// and is skipped with -short.
func TestEvaluateGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("rendering documents is slow; skipped with -short")
	}
	n := 4
	if v, err := strconv.Atoi(os.Getenv("MRZ_EVAL_GENERATED")); err == nil && v > 0 {
		n = v
	}
	var buf bytes.Buffer
	rep, err := Evaluate(&buf, EvalOptions{Generated: n, Seed: 7, Verbose: testing.Verbose()})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
	if len(rep.Generated) == 0 {
		t.Skip("synthetic documents unavailable (fonts missing): " + buf.String())
	}
	for lvl, s := range rep.Generated {
		if s.Images != n {
			t.Errorf("%s: %d images, want %d", lvl, s.Images, n)
		}
		if s.DocExact() < minGeneratedRate {
			t.Errorf("%s: %v", lvl, s)
		}
	}
}
