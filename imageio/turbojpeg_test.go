//go:build cgo

package imageio

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

// TestTurboMatchesImageJPEG decodes the same files with libjpeg-turbo and
// with image/jpeg: the fast path must see the same picture (IDCTs differ in
// rounding only), so thresholds tuned on one hold for the other.
func TestTurboMatchesImageJPEG(t *testing.T) {
	var files [][]byte
	gen := image.NewRGBA(image.Rect(0, 0, 2401, 1799)) // odd sizes exercise chroma padding
	for y := 0; y < 1799; y++ {
		for x := 0; x < 2401; x++ {
			gen.Set(x, y, color.RGBA{uint8(x * 255 / 2401), uint8(y * 255 / 1799), uint8((x ^ y) & 0xff), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gen, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	files = append(files, b.Bytes())
	if dir := filepath.Join(testenv.RepoRoot(t), "..", "shared", "testdata", "documents", "blur"); dirExists(dir) {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, data)
		}
	}
	for i, data := range files {
		fast, err := decodeYCbCrTurbo(data)
		if err != nil {
			t.Fatalf("file %d: turbo: %v", i, err)
		}
		std, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("file %d: image/jpeg: %v", i, err)
		}
		if fast.Bounds() != std.Bounds() {
			t.Fatalf("file %d: bounds %v vs %v", i, fast.Bounds(), std.Bounds())
		}
		var sum, worst float64
		bnd := std.Bounds()
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			for x := bnd.Min.X; x < bnd.Max.X; x++ {
				a := color.GrayModel.Convert(fast.At(x, y)).(color.Gray).Y
				c := color.GrayModel.Convert(std.At(x, y)).(color.Gray).Y
				d := math.Abs(float64(a) - float64(c))
				sum += d
				worst = math.Max(worst, d)
			}
		}
		mean := sum / float64(bnd.Dx()*bnd.Dy())
		t.Logf("file %d (%v): mean |ΔY| %.3f, max %.0f", i, bnd.Size(), mean, worst)
		if mean > 0.5 || worst > 6 {
			t.Errorf("file %d: luminance differs by %.3f on average, %.0f at worst", i, mean, worst)
		}
	}
	if len(files) < 2 {
		t.Log("only the generated JPEG was compared: ../shared/testdata absent")
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
