package face

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/synth"
)

// docIdentities are the licensed identities with several photos: each
// photo can be printed on a synthetic document and matched against the
// others.
var docIdentities = map[string][]string{
	"obama":         {"faces/face_recognition/obama.jpg", "faces/face_recognition/obama2.jpg", "faces/face_recognition/obama_small.jpg"},
	"biden":         {"faces/face_recognition/biden.jpg", "faces/face_recognition/biden2.jpg"},
	"kit_harington": {"faces/face_recognition/kit_harington1.jpeg", "faces/face_recognition/kit_harington2.jpeg", "faces/face_recognition/kit_harington3.jpg"},
	"rose_leslie":   {"faces/face_recognition/rose_leslie1.jpg", "faces/face_recognition/rose_leslie2.jpg"},
	"alex":          {"faces/face_recognition/alex_lacamoire1.jpg", "faces/face_recognition/alex_lacamoire2.png"},
}

func init() {
	// Half the cast keeps the test short (photographing a document is the
	// slow part); the others serve as impostors in TestEvaluate.
	for _, n := range []string{"amy", "howard", "penny", "sheldon"} {
		var files []string
		for i := 1; i <= 3; i++ {
			files = append(files, "faces/face-api-js/identities/"+n+"/"+n+string(rune('0'+i))+".png")
		}
		docIdentities["bbt_"+n] = files
	}
}

// passportPhoto crops a head-and-shoulders portrait (3:4, face in the upper
// middle, as on an ID photo) around the main face of a photo; where the
// photo ends (tight face crops) the plain light background of an ID photo
// shows.
func passportPhoto(t testing.TB, m *Models, img image.Image) image.Image {
	t.Helper()
	b := img.Bounds()
	var cx, cy, side float64
	if f, _, err := m.Analyze(img); err == nil {
		lb := f.Landmarks.Bounds()
		c := lb.Center()
		cx, cy, side = c.X, c.Y-0.1*lb.Dy(), 1.9*lb.Dx()
	} else {
		cx, cy, side = float64(b.Dx())/2, float64(b.Dy())/2, float64(min(b.Dx(), b.Dy()))*4/3
	}
	w, h := side*0.75, side
	r := image.Rect(int(cx-w/2), int(cy-h/2), int(cx+w/2), int(cy+h/2))
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.RGBA{228, 230, 232, 255}), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

type docSample struct {
	identity string
	photo    *image.RGBA // the document photographed
	portrait image.Image // the portrait zone of the flat document (what a reader cuts out)
}

func makeDocuments(t testing.TB, m *Models, shared string) []docSample {
	kinds := []synth.Kind{synth.Passport, synth.IDCard, synth.CNIDFront, synth.DriverLicense}
	rng := rand.New(rand.NewSource(20261130))
	var out []docSample
	i := 0
	for _, ident := range sortedKeys(docIdentities) {
		files := docIdentities[ident]
		kind := kinds[i%len(kinds)]
		i++
		src := loadImage(t, filepath.Join(shared, files[0]))
		id := synth.RandomIdentity(rng, kind)
		doc, err := synth.Render(kind, id, synth.Options{Portrait: passportPhoto(t, m, src)})
		if err != nil {
			t.Fatal(err)
		}
		cam := synth.RandomCamera(rng)
		photo, _, err := synth.Photograph(doc.Image, cam, rng)
		if err != nil {
			t.Fatal(err)
		}
		pr := doc.Zones["portrait"]
		portrait := image.NewRGBA(image.Rect(0, 0, pr.Dx(), pr.Dy()))
		draw.Draw(portrait, portrait.Bounds(), doc.Image, pr.Min, draw.Src)
		out = append(out, docSample{identity: ident, photo: photo, portrait: portrait})
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

// TestEvaluateDocuments prints and guards document-vs-selfie matching: a
// real face printed on a synthetic document, photographed, matched against
// another photo of the same person (genuine) and of the others (impostor),
// once with the portrait found on the document photo and once with the
// portrait zone cut out as the document reader does.
func TestEvaluateDocuments(t *testing.T) {
	m := testModels(t)
	shared := sharedTestdata(t)
	docs := makeDocuments(t, m, shared)
	selfies := map[string][]*Face{}
	for ident, files := range docIdentities {
		for _, f := range files[1:] {
			fc, err := m.AnalyzePortrait(loadImage(t, filepath.Join(shared, f)))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			selfies[ident] = append(selfies[ident], fc)
		}
	}
	var reps [2]MatchReport
	notFound := 0
	for _, d := range docs {
		photoFace, err := m.DocumentFace(d.photo)
		if err != nil {
			notFound++
		}
		cutFace, err := m.AnalyzePortrait(d.portrait)
		if err != nil {
			t.Fatalf("%s: portrait zone: %v", d.identity, err)
		}
		for ident, fs := range selfies {
			for _, s := range fs {
				for k, df := range []*Face{photoFace, cutFace} {
					dist := 1e9
					if df != nil {
						dist = Distance(df.Descriptor, s.Descriptor)
					}
					reps[k].add(dist, ident == d.identity)
				}
			}
		}
	}
	for k, title := range []string{"document photo vs selfie (portrait found on the photo)", "document portrait zone vs selfie"} {
		reps[k].finish()
		reps[k].print(testWriter{t}, title)
	}
	if notFound > 0 {
		t.Errorf("%d of %d photographed documents: no portrait found", notFound, len(docs))
	}
	for k := range reps {
		if reps[k].EER > 0.05 || reps[k].TAR1 < 0.85 || reps[k].ImpostorMatch > 0 || reps[k].GenuineMismatch > 0 {
			t.Errorf("%d: EER %.3f (want <= 0.05), TAR@FAR1%% %.3f (want >= 0.85), impostors matched %d, holders rejected %d (want 0)",
				k, reps[k].EER, reps[k].TAR1, reps[k].ImpostorMatch, reps[k].GenuineMismatch)
		}
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
