package doceval

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kycgate/kycgate/synth"
)

// repoRoot walks up from the test's directory to go.mod.
func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

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
	cfg := Config{Clean: 27, Cut: 18, Negatives: 14, Seed: 1, Width: 1280, Height: 960}
	if testing.Verbose() {
		cfg = Config{Clean: 216, Cut: 108, Negatives: 60, Seed: 1, Width: 1600, Height: 1200}
	}
	cfg.Clean = envInt("DOCLOC_EVAL_CLEAN", cfg.Clean)
	cfg.Cut = envInt("DOCLOC_EVAL_CUT", cfg.Cut)
	cfg.Negatives = envInt("DOCLOC_EVAL_NEG", cfg.Negatives)
	real := filepath.Join(repoRoot(t), "..", "shared", "testdata", "documents", "corners")
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
}
