package doceval

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
	"github.com/kycgate/kycgate/synth"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// TestEval runs a reduced evaluation by default and the full one (≥ 200
// generated photos) with -v: go test ./docloc/doceval -run Eval -v
func TestEval(t *testing.T) {
	if _, err := synth.OCRBFont(); err != nil {
		t.Skipf("fonts not installed: %v", err)
	}
	// Floors are the measured figures (minus one case for the rates, so a
	// different CPU's floating point cannot flip the test); they must only
	// move up.
	type floors struct {
		cleanFound, cleanMeanErrPct, lightCorrect, cutDetected, negativeFP, realFound, realMeanErrPct float64
	}
	cfg := Config{Clean: 27, Light: 9, Cut: 18, Negatives: 14, Seed: 1, Width: 1280, Height: 960}
	// measured: clean found 26/27, mean error 0.10 %; light 8/9 correct; cut 18/18; negatives 0/14;
	// real 12/12, 1.68 %
	want := floors{cleanFound: 25.0 / 27, cleanMeanErrPct: 0.5, lightCorrect: 7.0 / 9, cutDetected: 17.0 / 18,
		negativeFP: 1.0 / 14, realFound: 11.0 / 12, realMeanErrPct: 2.0}
	if testing.Verbose() {
		cfg = Config{Clean: 216, Light: 72, Cut: 108, Negatives: 60, Seed: 1, Width: 1600, Height: 1200}
		// measured: clean found 215/216, mean error 0.11 %; light 70/72 correct; cut 107/108;
		// negatives 0/60; real as above
		want = floors{cleanFound: 214.0 / 216, cleanMeanErrPct: 0.3, lightCorrect: 69.0 / 72, cutDetected: 106.0 / 108,
			negativeFP: 1.0 / 60, realFound: 11.0 / 12, realMeanErrPct: 2.0}
	}
	custom := false
	for _, p := range []struct {
		env string
		dst *int
	}{{"DOCLOC_EVAL_CLEAN", &cfg.Clean}, {"DOCLOC_EVAL_LIGHT", &cfg.Light}, {"DOCLOC_EVAL_CUT", &cfg.Cut}, {"DOCLOC_EVAL_NEG", &cfg.Negatives}} {
		if v := envInt(p.env, -1); v >= 0 {
			*p.dst, custom = v, true
		}
	}
	real := filepath.Join(testenv.RepoRoot(t), "..", "shared", "testdata", "documents", "corners")
	if _, err := os.Stat(filepath.Join(real, "corners_ground_truth.json")); err == nil {
		cfg.RealDir = real
	} else {
		t.Logf("real photos skipped: %s not found", real)
	}
	rep, err := Evaluate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	rep.WriteText(&sb)
	t.Log("\n" + sb.String())
	if custom {
		return // ad-hoc sizes: report only
	}
	s := rep.Summary
	checks := []struct {
		name      string
		got, want float64
		atLeast   bool
	}{
		{"clean found rate", s.CleanFound, want.cleanFound, true},
		{"clean mean corner error %", s.CleanMeanErr, want.cleanMeanErrPct, false},
		{"light-background correct rate", s.LightCorrect, want.lightCorrect, true},
		{"cut-corner detection rate", s.CutDetected, want.cutDetected, true},
		{"document-free false found rate", s.NegativeFP, want.negativeFP, false},
	}
	if cfg.RealDir != "" {
		checks = append(checks,
			struct {
				name      string
				got, want float64
				atLeast   bool
			}{"real found rate", s.RealFound, want.realFound, true},
			struct {
				name      string
				got, want float64
				atLeast   bool
			}{"real mean corner error %", s.RealMeanErr, want.realMeanErrPct, false})
	}
	for _, c := range checks {
		if (c.atLeast && !(c.got >= c.want)) || (!c.atLeast && !(c.got <= c.want)) {
			t.Errorf("%s = %.4f, floor %.4f", c.name, c.got, c.want)
		}
	}
}
