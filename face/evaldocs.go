package face

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand"
	"path/filepath"
	"sort"

	"github.com/kycgate/kycgate/synth"
)

// docIdentities are the licensed identities of the shared faces with
// several photos: the first photo is printed on a synthetic document, the
// others stand for selfies.
var docIdentities = map[string][]string{
	"obama":         {"faces/face_recognition/obama.jpg", "faces/face_recognition/obama2.jpg", "faces/face_recognition/obama_small.jpg"},
	"biden":         {"faces/face_recognition/biden.jpg", "faces/face_recognition/biden2.jpg"},
	"kit_harington": {"faces/face_recognition/kit_harington1.jpeg", "faces/face_recognition/kit_harington2.jpeg", "faces/face_recognition/kit_harington3.jpg"},
	"rose_leslie":   {"faces/face_recognition/rose_leslie1.jpg", "faces/face_recognition/rose_leslie2.jpg"},
	"alex":          {"faces/face_recognition/alex_lacamoire1.jpg", "faces/face_recognition/alex_lacamoire2.png"},
	// Half the Big Bang Theory cast keeps the evaluation short
	// (photographing a document is the slow part).
	"bbt_amy":     {"faces/face-api-js/identities/amy/amy1.png", "faces/face-api-js/identities/amy/amy2.png", "faces/face-api-js/identities/amy/amy3.png"},
	"bbt_howard":  {"faces/face-api-js/identities/howard/howard1.png", "faces/face-api-js/identities/howard/howard2.png", "faces/face-api-js/identities/howard/howard3.png"},
	"bbt_penny":   {"faces/face-api-js/identities/penny/penny1.png", "faces/face-api-js/identities/penny/penny2.png", "faces/face-api-js/identities/penny/penny3.png"},
	"bbt_sheldon": {"faces/face-api-js/identities/sheldon/sheldon1.png", "faces/face-api-js/identities/sheldon/sheldon2.png", "faces/face-api-js/identities/sheldon/sheldon3.png"},
}

// passportPhoto crops a head-and-shoulders portrait (3:4, face in the upper
// middle, as on an ID photo) around the main face of a photo; where the
// photo ends (tight face crops) the plain light background of an ID photo
// shows.
func passportPhoto(m *Models, img image.Image) image.Image {
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

// docSample is one identity's synthetic document.
type docSample struct {
	identity string
	photo    *image.RGBA // the document photographed
	portrait image.Image // the portrait zone of the flat document (what a reader cuts out)
}

// makeDocuments prints the first photo of each docIdentities identity on a
// synthetic document (passport, ID card, Chinese ID, driving licence in
// turn) and photographs it with a random camera, deterministically.
func makeDocuments(m *Models, shared string) ([]docSample, error) {
	kinds := []synth.Kind{synth.Passport, synth.IDCard, synth.CNIDFront, synth.DriverLicense}
	rng := rand.New(rand.NewSource(20261130))
	var out []docSample
	for i, ident := range sortedIdentities() {
		src, err := decodeFile(filepath.Join(shared, docIdentities[ident][0]))
		if err != nil {
			return nil, err
		}
		kind := kinds[i%len(kinds)]
		doc, err := synth.Render(kind, synth.RandomIdentity(rng, kind), synth.Options{Portrait: passportPhoto(m, src)})
		if err != nil {
			return nil, fmt.Errorf("face: render document: %w", err)
		}
		photo, _, err := synth.Photograph(doc.Image, synth.RandomCamera(rng), rng)
		if err != nil {
			return nil, fmt.Errorf("face: photograph document: %w", err)
		}
		pr := doc.Zones["portrait"]
		portrait := image.NewRGBA(image.Rect(0, 0, pr.Dx(), pr.Dy()))
		draw.Draw(portrait, portrait.Bounds(), doc.Image, pr.Min, draw.Src)
		out = append(out, docSample{identity: ident, photo: photo, portrait: portrait})
	}
	return out, nil
}

func sortedIdentities() []string {
	ids := make([]string, 0, len(docIdentities))
	for k := range docIdentities {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	return ids
}

// evaluateDocuments matches each synthetic document against the other
// photos of its holder (genuine) and of everyone else (impostor), once with
// the portrait found on the document photo (DocumentFace) and once with
// the portrait zone cut out as the document reader does. notFound counts
// documents on whose photo no portrait was found.
func evaluateDocuments(dataDir string, m *Models, describe func(string) (*Face, error)) (photo, zone MatchReport, notFound int, err error) {
	docs, err := makeDocuments(m, dataDir)
	if err != nil {
		return photo, zone, 0, err
	}
	for _, d := range docs {
		photoFace, err := m.DocumentFace(d.photo)
		if err != nil {
			photoFace = nil
			notFound++
		}
		zoneFace, err := m.AnalyzePortrait(d.portrait)
		if err != nil {
			zoneFace = nil
		}
		for _, ident := range sortedIdentities() {
			for _, f := range docIdentities[ident][1:] {
				s, err := describe(f)
				if err != nil {
					return photo, zone, notFound, err
				}
				photo.add(photoFace, s, ident == d.identity)
				zone.add(zoneFace, s, ident == d.identity)
			}
		}
	}
	photo.finish()
	zone.finish()
	return photo, zone, notFound, nil
}
