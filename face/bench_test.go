package face

import (
	"path/filepath"
	"testing"
)

// BenchmarkDetect is pigo detection on a 1024-px photo without a face (the
// worst case: the tilted passes run too).
func BenchmarkDetectNoFace(b *testing.B) {
	img := loadImage(b, filepath.Join(sharedTestdata(b), "faces/dlib/dogs.jpg"))
	rgb := toRGB(img)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		detectRGB(rgb, DetectThreshold)
	}
}

// BenchmarkSelfie is the work for one selfie: detection, landmarks and
// embedding (target ≤ 100 ms on one core: go test -bench Selfie -cpu 1).
func BenchmarkSelfie(b *testing.B) {
	m := testModels(b)
	img := loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := m.Analyze(img); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbed(b *testing.B) {
	m := testModels(b)
	img := toRGB(loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg")))
	boxes := detectRGB(img, DetectThreshold)
	lm, _ := m.landmarksRGB(img, boxes[0].Rect)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.embedRGB(img, &lm)
	}
}

func BenchmarkLandmarks(b *testing.B) {
	m := testModels(b)
	img := toRGB(loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg")))
	boxes := detectRGB(img, DetectThreshold)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.landmarksRGB(img, boxes[0].Rect)
	}
}

// BenchmarkAppearance is the hat probe's network pass over a square of
// the head (selfie's second opinion on a hat the rules found).
func BenchmarkAppearance(b *testing.B) {
	m := testModels(b)
	img := loadImage(b, filepath.Join(sharedTestdata(b), "faces/face_recognition/obama.jpg"))
	r := Rect{X0: 250, Y0: 50, X1: 650, Y1: 450}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Appearance(img, r)
	}
}
