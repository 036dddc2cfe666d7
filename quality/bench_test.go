package quality

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/kycgate/kycgate/docloc"

	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/synth"
)

var benchImages struct {
	once   sync.Once
	photo  image.Image // 1600×1200 clean phone photo, decoded from JPEG (YCbCr)
	jpeg12 []byte      // 4000×3000 phone JPEG
	err    error
}

func loadBenchImages(b *testing.B) {
	benchImages.once.Do(func() {
		rng := rand.New(rand.NewSource(42))
		id := synth.RandomIdentity(rng, synth.IDCard)
		doc, err := synth.Render(synth.IDCard, id, synth.Options{})
		if err != nil {
			benchImages.err = err
			return
		}
		cam := synth.RandomCamera(rng)
		cam.Width, cam.Height = 1600, 1200
		small, _, err := synth.Photograph(doc.Image, cam, rng)
		if err != nil {
			benchImages.err = err
			return
		}
		var sb bytes.Buffer
		if err := jpeg.Encode(&sb, small, &jpeg.Options{Quality: 90}); err != nil {
			benchImages.err = err
			return
		}
		if benchImages.photo, _, err = imageio.Decode(&sb, imageio.DefaultLimits()); err != nil {
			benchImages.err = err
			return
		}
		cam.Width, cam.Height, cam.JPEGQuality = 4000, 3000, 0
		cam.FocalLength = 0
		big, _, err := synth.Photograph(doc.Image, cam, rng)
		if err != nil {
			benchImages.err = err
			return
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, big, &jpeg.Options{Quality: 90}); err != nil {
			benchImages.err = err
			return
		}
		benchImages.jpeg12 = buf.Bytes()
	})
	if benchImages.err != nil {
		b.Fatal(benchImages.err)
	}
}

// BenchmarkAssess1600x1200 assesses a decoded (YCbCr) 1600×1200 phone photo
// (target ≤ 25 ms on one core: go test -bench Assess -cpu 1).
func BenchmarkAssess1600x1200(b *testing.B) {
	loadBenchImages(b)
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := Assess(benchImages.photo, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}

// BenchmarkLocate1600x1200 is the docloc share of Assess1600x1200.
func BenchmarkLocate1600x1200(b *testing.B) {
	loadBenchImages(b)
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := docloc.Locate(benchImages.photo); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}

// BenchmarkDecode12MP is the decoding share of DecodeAssess12MP.
func BenchmarkDecode12MP(b *testing.B) {
	loadBenchImages(b)
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, _, err := imageio.Decode(bytes.NewReader(benchImages.jpeg12), imageio.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}

// reportCPU adds the CPU time per operation (process user+system time, so
// it includes the garbage collector) next to the wall time.
func reportCPU(b *testing.B, c0 time.Duration) {
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkDecodeAssess12MP decodes and assesses a 12-megapixel phone JPEG
// (target ≤ 150 ms on one core).
func BenchmarkDecodeAssess12MP(b *testing.B) {
	loadBenchImages(b)
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		img, _, err := imageio.Decode(bytes.NewReader(benchImages.jpeg12), imageio.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Assess(img, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}
