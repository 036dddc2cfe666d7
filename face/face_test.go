package face

import (
	"encoding/json"
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadMissingModels(t *testing.T) {
	_, err := Load(t.TempDir())
	if !errors.Is(err, ErrModelsMissing) {
		t.Fatalf("Load(empty dir) = %v, want ErrModelsMissing", err)
	}
}

func TestLoadCorruptManifest(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{landmarkModel, detectorModel, ssdModel} {
		if err := os.WriteFile(filepath.Join(dir, n+"-weights_manifest.json"), []byte(`[{"paths":["x.bin"],"weights":[{"name":"a","shape":[2],"dtype":"float32"}]}]`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{embeddingModel, eyeStateModel} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("not an onnx model"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "x.bin"), []byte{1, 2, 3}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || errors.Is(err, ErrModelsMissing) {
		t.Fatalf("Load(corrupt) = %v, want a decoding error", err)
	}
}

// TestDecodeWeights checks uint8 dequantisation (q*scale + min) and raw
// float32 weights in manifest order.
func TestDecodeWeights(t *testing.T) {
	data := []byte{0, 10, 255, 0, 0, 0x80, 0x3f} // two uint8, then float32 1.0
	specs := []manifestWeight{
		{Name: "q", Shape: []int{3}, DType: "float32", Quantization: &quantization{DType: "uint8", Scale: 0.5, Min: -1}},
		{Name: "f", Shape: []int{1}, DType: "float32"},
	}
	// One byte short of the float: must fail, not panic.
	if _, err := decodeWeights(data[:6], specs); err == nil {
		t.Fatal("short shards accepted")
	}
	data = append([]byte{0, 10, 255}, 0, 0, 0x80, 0x3f)
	got, err := decodeWeights(data, specs)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{-1, 4, 126.5}
	for i, w := range want {
		if got["q"].Data[i] != w {
			t.Errorf("q[%d] = %v, want %v", i, got["q"].Data[i], w)
		}
	}
	if got["f"].Data[0] != 1 {
		t.Errorf("f = %v, want 1", got["f"].Data[0])
	}
}

func FuzzDecodeWeights(f *testing.F) {
	f.Add([]byte(`[{"name":"a","shape":[2,2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.1,"min":0}}]`), []byte{1, 2, 3, 4})
	f.Add([]byte(`[{"name":"a","shape":[1],"dtype":"float32"}]`), []byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, manifest, data []byte) {
		var specs []manifestWeight
		if json.Unmarshal(manifest, &specs) != nil {
			return
		}
		_, _ = decodeWeights(data, specs)
	})
}

// TestLandmarksAgreeWithFaceAPI runs the whole pipeline (detection, crop,
// landmark passes) on face-api.js's own face crops and compares the points
// with what face-api.js found on the same crops (reference.json): the
// framing differs, so agreement is within a few percent of the face, not
// to the last bit.
func TestLandmarksAgreeWithFaceAPI(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	var ref referenceFile
	readReference(t, "reference", &ref)
	for _, r := range ref.Images {
		if r.Width != r.Height {
			// face-api.js ran on the whole padded image, not a face crop:
			// its points there are no ground truth.
			continue
		}
		t.Run(r.Name, func(t *testing.T) {
			img := loadImage(t, filepath.Join(shared, referenceImages[r.Name]))
			boxes := Detect(img)
			if len(boxes) == 0 {
				t.Skip("no detection on this crop at the default threshold")
			}
			lm, err := m.Landmarks(img, boxes[0])
			if err != nil {
				t.Fatal(err)
			}
			size := lm.Bounds().Dx()
			var sum float64
			for i, p := range lm {
				rx, ry := r.Landmarks[2*i]*float64(r.Width), r.Landmarks[2*i+1]*float64(r.Height)
				sum += math.Hypot(p.X-rx, p.Y-ry)
			}
			mean := sum / 68 / size
			t.Logf("mean point distance %.3f of the face width", mean)
			if mean > 0.05 {
				t.Errorf("landmarks differ from face-api.js by %.3f of the face width (> 0.05)", mean)
			}
		})
	}
}

// TestDetect checks detection on labelled images: a selfie-like portrait
// gives exactly one face where it is, a blank image none, and a group photo
// the labelled number.
func TestDetect(t *testing.T) {
	shared := sharedTestdata(t)
	tests := []struct {
		file string
		want int
		box  *Rect // face_recognition's expected location, when known
	}{
		{"faces/face_recognition/obama.jpg", 1, &Rect{349, 142, 617, 409}},
		{"faces/face_recognition/biden.jpg", 1, nil},
		{"faces/face_recognition/kit_with_rose.jpg", 2, nil},
		{"faces/face-api-js/test_images/white.png", 0, nil},
		{"faces/dlib/dogs.jpg", 0, nil},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			boxes := Detect(loadImage(t, filepath.Join(shared, tc.file)))
			if len(boxes) != tc.want {
				t.Fatalf("found %d faces, want %d: %+v", len(boxes), tc.want, boxes)
			}
			if tc.box != nil && matchBoxes([]Rect{*tc.box}, boxes) != 1 {
				t.Errorf("box %+v does not match the labelled %+v", boxes[0].Rect, *tc.box)
			}
		})
	}
}

func TestAnalyzeSamePerson(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	analyze := func(f string) *Face {
		fc, n, err := m.Analyze(loadImage(t, filepath.Join(shared, f)))
		if err != nil || n != 1 {
			t.Fatalf("Analyze(%s) = %d faces, %v", f, n, err)
		}
		return fc
	}
	obama := analyze("faces/face_recognition/obama.jpg")
	obama2 := analyze("faces/face_recognition/obama2.jpg")
	biden := analyze("faces/face_recognition/biden.jpg")
	same := Distance(obama.Descriptor, obama2.Descriptor)
	diff := Distance(obama.Descriptor, biden.Descriptor)
	t.Logf("obama–obama2 %.3f, obama–biden %.3f", same, diff)
	// obama2 is another photo, years apart: a match; another man is a
	// mismatch.
	if same >= MatchThreshold || diff < MismatchThreshold {
		t.Errorf("distances same %.3f (want < %.2f), different %.3f (want >= %.2f)", same, MatchThreshold, diff, MismatchThreshold)
	}
	if _, _, err := m.Analyze(loadImage(t, filepath.Join(shared, "faces/face-api-js/test_images/white.png"))); !errors.Is(err, ErrNoFace) {
		t.Errorf("Analyze(white) = %v, want ErrNoFace", err)
	}
}

// FuzzLandmarksBox feeds arbitrary boxes: no panic, and boxes with no area
// or far outside the image are refused.
func FuzzLandmarksBox(f *testing.F) {
	f.Add(10.0, 10.0, 100.0, 100.0)
	f.Add(math.Inf(1), 0.0, 1.0, 1.0)
	f.Add(-1e300, -1e300, 1e300, 1e300)
	f.Add(math.NaN(), 5.0, 50.0, 50.0)
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1 float64) {
		m := testModels(t)
		img := image.NewGray(image.Rect(0, 0, 64, 48))
		lm, err := m.Landmarks(img, Box{Rect: Rect{x0, y0, x1, y1}})
		if err != nil {
			return
		}
		if _, err := m.Embed(img, lm); err != nil && !errors.Is(err, ErrDegenerateLandmarks) {
			t.Fatalf("Embed: %v", err)
		}
	})
}

// TestMatchDocumentAndPortrait checks the two public match entry points on
// real photos: the same person matches, another person does not.
func TestMatchDocumentAndPortrait(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	obama := loadImage(t, filepath.Join(shared, "faces/face_recognition/obama.jpg"))
	obama2 := loadImage(t, filepath.Join(shared, "faces/face_recognition/obama2.jpg"))
	biden := loadImage(t, filepath.Join(shared, "faces/face_recognition/biden.jpg"))
	for _, tc := range []struct {
		name string
		fn   func(a, b image.Image) (*MatchResult, error)
	}{{"Match", m.Match}, {"MatchDocument", m.MatchDocument}} {
		same, err := tc.fn(obama, obama2)
		if err != nil || same.Band == BandMismatch {
			t.Errorf("%s(obama, obama2) = %+v, %v; want match or review", tc.name, same, err)
		}
		diff, err := tc.fn(obama, biden)
		if err != nil || diff.Band != BandMismatch {
			t.Errorf("%s(obama, biden) = %+v, %v; want mismatch", tc.name, diff, err)
		}
	}
	white := loadImage(t, filepath.Join(shared, "faces/face-api-js/test_images/white.png"))
	var nf *NoFaceError
	if _, err := m.MatchDocument(white, obama); !errors.As(err, &nf) || nf.Image != "document" {
		t.Errorf("MatchDocument(white, obama) = %v, want a NoFaceError for the document", err)
	}
}

// TestConcurrentAnalyze runs Analyze from several goroutines on one Models
// (the service shares it between jobs): the results must equal a serial run.
func TestConcurrentAnalyze(t *testing.T) {
	m := testModels(t)
	img := loadImage(t, filepath.Join(sharedTestdata(t), "faces/face_recognition/obama_small.jpg"))
	want, _, err := m.Analyze(img)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			got, _, err := m.Analyze(img)
			if err == nil && got.Descriptor != want.Descriptor {
				err = errors.New("descriptor differs from the serial run")
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
