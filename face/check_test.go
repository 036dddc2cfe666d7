package face

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/synth"
)

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMatchCheck runs the check on synthetic documents carrying a real
// face: the holder's other photo passes, someone else's is FACE_MISMATCH,
// a document whose portrait shows no face is FACE_NOT_FOUND; with and
// without the portrait the document reader cuts out.
func TestMatchCheck(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	rng := rand.New(rand.NewSource(7))
	render := func(portrait image.Image) (front []byte, cut []byte) {
		id := synth.RandomIdentity(rng, synth.Passport)
		doc, err := synth.Render(synth.Passport, id, synth.Options{Portrait: portrait})
		if err != nil {
			t.Fatal(err)
		}
		photo, _, err := synth.Photograph(doc.Image, synth.RandomCamera(rng), rng)
		if err != nil {
			t.Fatal(err)
		}
		pr := doc.Zones["portrait"]
		c := image.NewRGBA(image.Rect(0, 0, pr.Dx(), pr.Dy()))
		draw.Draw(c, c.Bounds(), doc.Image, pr.Min, draw.Src)
		return encodeJPEG(t, photo), encodePNG(t, c)
	}
	obama := loadImage(t, filepath.Join(shared, "faces/face_recognition/obama.jpg"))
	obamaFront, obamaCut := render(passportPhoto(m, obama))
	blank := image.NewUniform(color.RGBA{200, 205, 210, 255})
	blankImg := image.NewRGBA(image.Rect(0, 0, 300, 400))
	draw.Draw(blankImg, blankImg.Bounds(), blank, image.Point{}, draw.Src)
	blankFront, blankCut := render(blankImg)
	selfieSame := encodeJPEG(t, loadImage(t, filepath.Join(shared, "faces/face_recognition/obama2.jpg")))
	selfieOther := encodeJPEG(t, loadImage(t, filepath.Join(shared, "faces/face_recognition/biden.jpg")))

	tests := []struct {
		name     string
		front    []byte
		portrait []byte
		selfie   []byte
		want     kycgate.ReasonCode // "" for none (or a review of the match)
		step     kycgate.StepName
	}{
		{"holder, portrait found on the document photo", obamaFront, nil, selfieSame, "", ""},
		{"holder, portrait cut by the reader", obamaFront, obamaCut, selfieSame, "", ""},
		{"someone else", obamaFront, obamaCut, selfieOther, kycgate.FaceMismatch, kycgate.StepSelfie},
		{"someone else, document photo only", obamaFront, nil, selfieOther, kycgate.FaceMismatch, kycgate.StepSelfie},
		{"document without a face", blankFront, blankCut, selfieSame, kycgate.FaceNotFound, kycgate.StepIDDocument},
		{"document photo without a face", blankFront, nil, selfieSame, kycgate.FaceNotFound, kycgate.StepIDDocument},
	}
	check := &MatchCheck{Models: m}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := &kycgate.Evidence{Files: []kycgate.EvidenceFile{
				{File: kycgate.File{Kind: kycgate.FileDocumentFront, Step: kycgate.StepIDDocument}, Data: tc.front},
				{File: kycgate.File{Kind: kycgate.FileSelfie, Step: kycgate.StepSelfie}, Data: tc.selfie},
			}}
			if tc.portrait != nil {
				ev.Document = &kycgate.DocumentReading{Type: "passport", Portrait: tc.portrait}
			}
			fs, err := check.Run(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("findings %+v metrics %v", fs, ev.Metrics)
			if tc.want == "" {
				// The holder's other photo is not rejected: no finding, or
				// at most a face match sent to review (docs/face.md).
				if len(fs) > 1 || len(fs) == 1 && (fs[0].Code != kycgate.FaceMismatch || !fs[0].Review) {
					t.Fatalf("findings %+v, want none or a review", fs)
				}
				if d, ok := ev.Metrics[MetricDistance]; !ok || d >= MismatchThreshold {
					t.Errorf("distance %v (recorded %v), want < %v", d, ok, MismatchThreshold)
				}
				return
			}
			if len(fs) != 1 || fs[0].Code != tc.want || fs[0].Step != tc.step || fs[0].Review {
				t.Fatalf("findings %+v, want one %s at step %s", fs, tc.want, tc.step)
			}
		})
	}
	t.Run("no selfie", func(t *testing.T) {
		ev := &kycgate.Evidence{Files: []kycgate.EvidenceFile{{File: kycgate.File{Kind: kycgate.FileDocumentFront}, Data: obamaFront}}}
		if fs, err := check.Run(context.Background(), ev); err != nil || len(fs) != 0 {
			t.Fatalf("Run = %+v, %v; want nothing", fs, err)
		}
	})
	t.Run("garbage files", func(t *testing.T) {
		ev := &kycgate.Evidence{Files: []kycgate.EvidenceFile{
			{File: kycgate.File{Kind: kycgate.FileDocumentFront}, Data: []byte("not an image")},
			{File: kycgate.File{Kind: kycgate.FileSelfie}, Data: []byte{0xff, 0xd8, 0xff}},
		}, Document: &kycgate.DocumentReading{Portrait: []byte("x")}}
		if _, err := check.Run(context.Background(), ev); err != nil {
			t.Fatalf("Run on garbage: %v", err)
		}
	})
}
