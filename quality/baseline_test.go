package quality

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
)

// baselinePython is Debian's interpreter, which has python3-opencv.
const baselinePython = "/usr/bin/python3"

// TestOpenCVBaseline compares IMAGE_BLURRY with the classic OpenCV
// baseline (imread + grey + variance of the Laplacian,
// baseline/opencv_baseline.py) on the same JPEG files: the clean and
// blurred synthetic photos of the evaluation set and the real blur photos.
// The baseline's threshold is tuned on these very images (its best
// accuracy), ours is the fixed default. Skipped when python3-opencv is
// missing.
func TestOpenCVBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("baseline comparison skipped in -short")
	}
	if err := exec.Command(baselinePython, "-c", "import cv2").Run(); err != nil {
		t.Skip("python3-opencv not installed (apt-get install python3-opencv)")
	}
	samples, err := cachedSet(evalN())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var items []blurItem
	for i, s := range samples {
		switch s.Class {
		case "clean", "defocus", "motion", "real-sharp", "real-defocus_blur", "real-motion_blur":
		default:
			continue
		}
		f := filepath.Join(dir, fmt.Sprintf("%03d-%s.jpg", i, s.Class))
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, s.Image, &jpeg.Options{Quality: 92}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		items = append(items, blurItem{f, !s.Clean(), s.Region != nil})
	}

	// Ours: decode + assess each file, CPU time per image.
	var oursCPU time.Duration
	ours := map[string]bool{}
	for _, it := range items {
		data, err := os.ReadFile(it.file)
		if err != nil {
			t.Fatal(err)
		}
		c0 := cpuTime()
		img, _, err := imageio.Decode(bytes.NewReader(data), imageio.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		var a *Assessment
		if it.region {
			a, err = AssessRegion(img, *fullFrame(img), Options{})
		} else {
			a, err = Assess(img, Options{})
		}
		oursCPU += cpuTime() - c0
		if err != nil {
			t.Fatal(err)
		}
		ours[it.file] = hasCode(a.Findings, kycgate.ImageBlurry) != nil
	}

	// Baseline.
	out, err := exec.Command(baselinePython, "baseline/opencv_baseline.py", dir).Output()
	if err != nil {
		t.Fatalf("opencv_baseline.py: %v", err)
	}
	lapvar := map[string]float64{}
	var baseCPU float64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var r struct {
			File   string
			Lapvar float64
			CPUMS  float64 `json:"cpu_ms"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		lapvar[r.File] = r.Lapvar
		baseCPU += r.CPUMS
	}
	if len(lapvar) != len(items) {
		t.Fatalf("baseline measured %d of %d files", len(lapvar), len(items))
	}
	// Tune the baseline threshold for its best accuracy on these images.
	vals := make([]float64, 0, len(items))
	for _, v := range lapvar {
		vals = append(vals, v)
	}
	sort.Float64s(vals)
	bestT, bestAcc := 0.0, -1.0
	for i := 0; i+1 < len(vals); i++ {
		thr := (vals[i] + vals[i+1]) / 2
		acc := accuracy(items, func(f string) bool { return lapvar[f] < thr })
		if acc > bestAcc {
			bestT, bestAcc = thr, acc
		}
	}
	baseBlurry := func(f string) bool { return lapvar[f] < bestT }
	oursBlurry := func(f string) bool { return ours[f] }
	n := float64(len(items))
	var b strings.Builder
	fmt.Fprintf(&b, "%d images (%s)\n", len(items), "clean + defocus + motion synthetic, real sharp/defocus/motion")
	fmt.Fprintf(&b, "%-34s %9s %9s %9s %12s\n", "method", "accuracy", "recall", "FRR", "cpu-ms/img")
	for _, m := range []struct {
		name string
		f    func(string) bool
		cpu  float64
	}{
		{fmt.Sprintf("OpenCV Laplacian var (T=%.1f)", bestT), baseBlurry, baseCPU / n},
		{"kycgate decode+Assess", oursBlurry, float64(oursCPU.Microseconds()) / 1000 / n},
	} {
		rec, frr := recallFRR(items, m.f)
		fmt.Fprintf(&b, "%-34s %9.3f %9.3f %9.3f %12.1f\n", m.name, accuracy(items, m.f), rec, frr, m.cpu)
	}
	oursAcc := accuracy(items, oursBlurry)
	fmt.Fprintf(&b, "accuracy ratio (ours/baseline) %.3f, time ratio %.2f\n", oursAcc/bestAcc,
		float64(oursCPU.Microseconds())/1000/baseCPU)
	t.Log("\n" + b.String())
	if oursAcc < bestAcc {
		t.Errorf("accuracy %.3f below the tuned baseline's %.3f", oursAcc, bestAcc)
	}
}

// blurItem is one image file of the comparison.
type blurItem struct {
	file   string
	blurry bool // label
	region bool // a scene, not a document: measured on the whole frame
}

func accuracy(items []blurItem, pred func(string) bool) float64 {
	ok := 0
	for _, it := range items {
		if pred(it.file) == it.blurry {
			ok++
		}
	}
	return float64(ok) / float64(len(items))
}

func recallFRR(items []blurItem, pred func(string) bool) (recall, frr float64) {
	var tp, pos, fp, neg int
	for _, it := range items {
		if it.blurry {
			pos++
			if pred(it.file) {
				tp++
			}
		} else {
			neg++
			if pred(it.file) {
				fp++
			}
		}
	}
	return float64(tp) / float64(max(pos, 1)), float64(fp) / float64(max(neg, 1))
}
