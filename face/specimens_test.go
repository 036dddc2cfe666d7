package face

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocumentFaceOnSpecimens runs DocumentFace on every real document
// specimen in the shared MRZ folder: each one with a portrait gives a face
// whose landmarks fit it, each back or card without one gives ErrNoFace.
// The French residence card's faint ghost image is larger than its
// portrait and must not be taken for it; the Latvian passport is
// photographed sideways.
//
// Many specimens reprint one sample photo (ICAO's, Utopia's); the others
// show different people. So every two portraits large enough to match
// automatically (MinMatchEyeDistance) are either a reprint of one photo
// (measured 0.05–0.25 apart) or must not match: nothing may fall between
// 0.3 and MatchThreshold (measured: the closest two different specimens,
// Lithuania's ID card and passport, 1.037; all others ≥ 1.115). Smaller
// portraits are left out: a 17-px reprint of the ICAO photo lies 0.51–0.59
// from its sharp copies, which is why such faces go to review.
func TestDocumentFaceOnSpecimens(t *testing.T) {
	const reprintDistance = 0.3
	m := testModels(t)
	root := filepath.Join(sharedTestdata(t), "mrz")
	noPortrait := map[string]bool{
		"arg0s1080/visas__Germany.png": true, "fastmrz/nomrz.jpg": true, "image-js/id_fail.png": true,
		"passporteye/testdata/0_id-esp.png": true, "passporteye/testdata/100_id-che.jpg": true,
		"passporteye/testdata/100_id-mac.jpg": true, "passporteye/testdata/100_id-si.jpg": true,
		"passporteye/testdata/100_id-usa.jpg": true, "passporteye/testdata/53_id-d.jpg": true,
		"passporteye/testdata/77_card-cmw.png": true, "passporteye/tests_data/pacman.jpg": true,
		"passporteye/tests_data/tesseract-test2.png": true,
	}
	// The specimen's portrait is blurred out: a face is detected, but no
	// landmarks fit it (and the small-face rule keeps it from matching).
	const blurred = "passporteye/testdata/27_pass-gbr.jpg"
	n := 0
	portraits := map[string]*Face{}
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		if ext := strings.ToLower(filepath.Ext(p)); ext != ".jpg" && ext != ".png" && ext != ".jpeg" {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		img, err := decodeFile(p)
		if err != nil {
			return err
		}
		n++
		f, err := m.DocumentFace(img)
		switch {
		case noPortrait[rel]:
			if err == nil {
				t.Errorf("%s: no portrait, but a face at %+v", rel, f.Box.Rect)
			}
		case err != nil:
			t.Errorf("%s: %v", rel, err)
		case rel != blurred && f.Landmarks.EyeDistance() < minEyeBoxRatio*f.Box.Rect.Dx():
			t.Errorf("%s: eyes %.1f px apart in a %.0f-px box: not the portrait", rel, f.Landmarks.EyeDistance(), f.Box.Rect.Dx())
		case rel == "arg0s1080/resident_cards__France.png" && f.Box.Rect.X0 > 120:
			t.Errorf("%s: took the ghost image at %+v", rel, f.Box.Rect)
		case rel != blurred && f.Landmarks.EyeDistance() >= MinMatchEyeDistance:
			portraits[rel] = f
		}
		return nil
	})
	closest := 2.0
	for a, fa := range portraits {
		for b, fb := range portraits {
			if a >= b {
				continue
			}
			d := Distance(fa.Descriptor, fb.Descriptor)
			if d >= reprintDistance && d < MatchThreshold {
				t.Errorf("%s and %s: %.3f apart, neither one photo reprinted nor different people", a, b, d)
			}
			if d >= reprintDistance {
				closest = min(closest, d)
			}
		}
	}
	t.Logf("%d portraits; closest two different ones %.3f apart", len(portraits), closest)
	if err != nil {
		t.Fatal(err)
	}
	if len(portraits) < 55 {
		t.Errorf("%d portraits compared, want the 56 large enough", len(portraits))
	}
	if n < 70 {
		t.Errorf("%d specimens read, want the shared folder's 72", n)
	}
}
