package mrzocr

import (
	"errors"
	"fmt"
	"image"
	"io"
	"math/rand"
	"time"

	"github.com/kycgate/kycgate/synth"
)

// degradations names the generated-image conditions Evaluate measures:
// "clean" reads the flat rendered document face; "photo" photographs it
// with synth.RandomCamera (a clean phone shot: a few degrees of rotation and
// tilt, light fall-off, sensor noise, JPEG 80–95); "blurry" adds defocus
// (sigma 1.2 px) and stronger noise to that shot.
var degradations = map[string]func(doc image.Image, rng *rand.Rand) (image.Image, error){
	"clean": func(doc image.Image, _ *rand.Rand) (image.Image, error) { return doc, nil },
	"photo": func(doc image.Image, rng *rand.Rand) (image.Image, error) {
		img, _, err := synth.Photograph(doc, synth.RandomCamera(rng), rng)
		return img, err
	},
	"blurry": func(doc image.Image, rng *rand.Rand) (image.Image, error) {
		cam := synth.RandomCamera(rng)
		cam.DefocusSigma = 1.2
		cam.Noise = 4
		cam.JPEGQuality = 75
		img, _, err := synth.Photograph(doc, cam, rng)
		return img, err
	},
}

// errNoFonts marks a generated evaluation skipped because synth cannot
// load its fonts (Debian fonts-ocr-b and friends not installed).
var errNoFonts = errors.New("mrzocr: synthetic documents unavailable")

// evaluateGenerated renders opts.Generated random TD3 passports and TD1 ID
// cards (alternating), degrades them as named by level and reads them.
func evaluateGenerated(w io.Writer, opts EvalOptions, level string) (Score, error) {
	var s Score
	degrade := degradations[level]
	rng := rand.New(rand.NewSource(opts.Seed))
	for i := 0; i < opts.Generated; i++ {
		img, want, err := generateOne(rng, i, degrade)
		if err != nil {
			return s, fmt.Errorf("generated %s #%d: %w", level, i, err)
		}
		start := time.Now()
		res, err := Read(img)
		s.Elapsed += time.Since(start)
		if err != nil {
			return s, fmt.Errorf("read generated %s %d: %w", level, i, err)
		}
		s.add(want, res)
		if opts.Verbose && !equalLines(want, res.Lines) {
			fmt.Fprintf(w, "MISS generated %s #%d\n", level, i)
			for j, l := range want {
				got := ""
				if j < len(res.Lines) {
					got = res.Lines[j]
				}
				fmt.Fprintf(w, "     want %s\n     got  %s\n", l, got)
			}
		}
	}
	return s, nil
}

// generateOne renders document i of a generated set (even: TD3 passport,
// odd: TD1 ID card back) and degrades it; it returns the image and its MRZ.
func generateOne(rng *rand.Rand, i int, degrade func(image.Image, *rand.Rand) (image.Image, error)) (image.Image, []string, error) {
	kind := synth.Passport
	if i%2 == 1 {
		kind = synth.IDCard
	}
	id := synth.RandomIdentity(rng, kind)
	doc, err := synth.Render(kind, id, synth.Options{Back: kind == synth.IDCard})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errNoFonts, err)
	}
	img, err := degrade(doc.Image, rng)
	if err != nil {
		return nil, nil, fmt.Errorf("degrade: %w", err)
	}
	return img, doc.MRZ, nil
}
