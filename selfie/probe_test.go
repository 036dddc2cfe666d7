package selfie

import (
	"fmt"
	"image"
	"image/draw"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/logreg"
)

// hatProbeC and lensProbeC are the probes' regularisation (logreg.Fit's
// C). The hat probe's was chosen from 0.001 to 0.1 on its four bands of
// features fitted with both batches of real hats: the best trade of
// portrait and web hats against bare heads (docs/selfie.md, "Where on the
// head the probe looks"). The lens probe's was chosen on the evaluation
// samples by five-fold cross-validation and the web sunglasses and bare
// faces agreed (0.003 to 0.1 measured, "A learned second opinion on
// lenses").
const (
	hatProbeC  = 0.003
	lensProbeC = 0.01
	maskProbeC = 0.003
)

// TestTrainHatProbe fits the hat probe on the evaluation samples (real
// photos and those generated from them: every labelled hat against every
// other face) and on the real photos of hats and bare heads of
// testdata/mask_photo_hats.tsv and mask_photo_hats_batch2.tsv, and writes
// hat_probe.txt, and, for the evaluation, one probe per fold of photos
// fitted on the others (hat_probe_foldK.txt), when
// KYCGATE_TRAIN_HAT_PROBE is set. The real photos are not committed:
// KYCGATE_TRAIN_HAT_PHOTOS names the folder both batches were extracted
// to (docs/selfie.md, "Real hats for the hat probe"). It takes about
// twenty minutes.
func TestTrainHatProbe(t *testing.T) {
	dir := trainingPhotos(t, "KYCGATE_TRAIN_HAT_PROBE", "KYCGATE_TRAIN_HAT_PHOTOS")
	trainProbe(t, hatProbe, DetailHat, hatProbeC, realHatRows(t, models(t), dir))
}

// TestTrainMaskProbe fits the mask probe as TestTrainHatProbe fits the
// hat probe, on the evaluation samples and on the masked and bare faces
// of the same real photos (KYCGATE_TRAIN_MASK_PHOTOS, the folder
// KYCGATE_TRAIN_HAT_PHOTOS names), when KYCGATE_TRAIN_MASK_PROBE is set
// (docs/selfie.md, "Real masks for a mask probe"). It takes about twenty
// minutes.
func TestTrainMaskProbe(t *testing.T) {
	dir := trainingPhotos(t, "KYCGATE_TRAIN_MASK_PROBE", "KYCGATE_TRAIN_MASK_PHOTOS")
	trainProbe(t, maskProbe, DetailMask, maskProbeC, realMaskRows(t, models(t), dir))
}

// trainingPhotos returns the folder the real photos of
// testdata/mask_photo_hats.tsv were extracted to, which the environment
// variable photos names, and skips the test unless the variable train is
// set: the photos are not committed, and fitting takes minutes.
func trainingPhotos(t *testing.T, train, photos string) string {
	t.Helper()
	if os.Getenv(train) == "" {
		t.Skip(train + " not set")
	}
	dir := os.Getenv(photos)
	if dir == "" {
		t.Fatalf("%s must name the folder of the photos of testdata/mask_photo_hats.tsv", photos)
	}
	return dir
}

// TestTrainLensProbe fits the lens probe as TestTrainHatProbe fits the hat
// probe: every labelled pair of sunglasses against every other face, clear
// glasses among them, when KYCGATE_TRAIN_LENS_PROBE is set.
func TestTrainLensProbe(t *testing.T) {
	if os.Getenv("KYCGATE_TRAIN_LENS_PROBE") == "" {
		t.Skip("KYCGATE_TRAIN_LENS_PROBE not set")
	}
	trainProbe(t, lensProbe, DetailSunglasses, lensProbeC, probeRows{})
}

// probeRows are faces' features with their labels (true: the occluder
// is worn), for fitting a probe.
type probeRows struct {
	x [][]float32
	y []bool
}

func (r *probeRows) add(x []float32, y bool) {
	r.x, r.y = append(r.x, x), append(r.y, y)
}

// trainProbe fits p, with regularisation c, to tell the evaluation
// samples labelled with the occluder detail from the others, once on all
// of them and once without each fold, and writes the models' files. The
// rows of extra, photos that are not evaluation samples, join every fit.
func trainProbe(t *testing.T, p *probe, detail string, c float64, extra probeRows) {
	m := models(t)
	samples, err := LoadSamples(testdata(t), m)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	var rows probeRows
	var fold []int
	for _, s := range samples {
		if f, ok := probeAppearance(s.Image, m, p, cfg); ok {
			rows.add(f, slices.Contains(s.Want, string(kycgate.FaceOccluded)+":"+detail))
			fold = append(fold, probeFold(s.Name))
		}
	}
	for k := range probeFolds + 1 {
		fit := probeRows{x: slices.Clone(extra.x), y: slices.Clone(extra.y)}
		for i := range rows.x {
			if fold[i] != k {
				fit.add(rows.x[i], rows.y[i])
			}
		}
		model, err := logreg.Fit(fit.x, fit.y, c)
		if err != nil {
			t.Fatal(err)
		}
		name := p.file(k)
		comment := fmt.Sprintf("%s: logreg.Fit C=%g on face.AppearanceBands (%d bands) of %d faces (%d with %s; %d of them real photos beside the evaluation samples); written by trainProbe", name, c, p.bands, len(fit.x), count(fit.y), detail, len(extra.x))
		if err := os.WriteFile(name, []byte(formatProbe(model, comment)), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log(comment)
	}
}

// realHatRows are the features of the hat probe's square on the photos
// of testdata/mask_photo_hats.tsv and mask_photo_hats_batch2.tsv found in
// dir (realPhotoRows): true for a hat, false for a bare head; a head
// labelled unclear (hat?) is left out.
func realHatRows(t *testing.T, m *face.Models, dir string) probeRows {
	labels := readLabels(t, "mask_photo_hats.tsv")
	maps.Copy(labels, readLabels(t, "mask_photo_hats_batch2.tsv"))
	rows := realPhotoRows(t, m, dir, hatProbe, func(name string) (hat, ok bool) {
		label := labels[name]
		return slices.Contains(label, DetailHat), !slices.Contains(label, DetailHat+"?")
	})
	if n := count(rows.y); n < 250 {
		t.Fatalf("%d real hats found in %s, want the labelled ones (about 300)", n, dir)
	}
	return rows
}

// realMaskRows are the features of the mask probe's square on the same
// photos (realPhotoRows), labelled by their folder: true for with_mask,
// false for without_mask.
func realMaskRows(t *testing.T, m *face.Models, dir string) probeRows {
	rows := realPhotoRows(t, m, dir, maskProbe, func(name string) (mask, ok bool) {
		folder, _, _ := strings.Cut(name, "/")
		return folder == "with_mask", true
	})
	if n := count(rows.y); n < 1000 {
		t.Fatalf("%d masked faces found in %s, want most of the with_mask photos (about 1,400)", n, dir)
	}
	return rows
}

// realPhotoRows are the features of p's square on the photos found in
// dir's folders with_mask and without_mask, labelled by label (given the
// photo's folder/name): worn or not, or left out when ok is false. The
// photos are taken from the face-mask dataset whose photos ../shared
// holds in occlusion/face_mask_detection: the second to the fifth and the
// eighth to the eleventh of every twelve, in each of its two folders,
// which the web evaluations do not use (testdata/mask_photo_hats.tsv says
// how to extract them). The photos ../shared also holds (the evaluation's
// real masks, occlusion/face_mask_detection) are left out, so that the
// evaluation's probes never saw them. A photo no detector finds is left
// out too (the weak path's SSD passes would cost a second each, and the
// check's own faces are found).
func realPhotoRows(t *testing.T, m *face.Models, dir string, p *probe, label func(name string) (worn, ok bool)) probeRows {
	shared, err := os.ReadDir(filepath.Join(testdata(t), "occlusion", "face_mask_detection"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.WeakBorders = nil
	var rows probeRows
	for _, folder := range []string{"with_mask", "without_mask"} {
		files, err := filepath.Glob(filepath.Join(dir, folder, "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no photos in %s", filepath.Join(dir, folder))
		}
		for _, path := range files {
			base := filepath.Base(path)
			worn, ok := label(folder + "/" + base)
			if !ok || slices.ContainsFunc(shared, func(e os.DirEntry) bool { return e.Name() == base }) {
				continue
			}
			img, ok := readPhoto(t, path)
			if !ok {
				continue
			}
			if f, ok := probeAppearance(img, m, p, cfg); ok {
				rows.add(f, worn)
			}
		}
	}
	return rows
}

func count(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// probeAppearance is what Analyze gives p for img: the appearance of p's
// square of the main face under cfg; false when no face's regions were
// placed, or the face was judged turned.
func probeAppearance(img image.Image, m *face.Models, p *probe, cfg Config) ([]float32, bool) {
	img = shrink(img, analyzeMaxSide)
	rep := Analyze(img, m, cfg)
	if rep.regions == nil || rep.Metrics["turned_degrees"] != 0 {
		return nil, false
	}
	return p.appearance(img, *rep.regions, m), true
}

func TestProbesParse(t *testing.T) {
	for _, p := range []*probe{hatProbe, lensProbe, maskProbe} {
		if _, err := p.models(); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range map[string]string{
		"empty":        "",
		"too short":    "# c\n1\n2\n",
		"not a number": "# c\nx\n",
	} {
		if _, err := parseProbe(text, 2); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestMaskProbeFindsInColour checks that even a mask probe that sees a
// mask everywhere finds none on a greyscale photo: it learnt colour
// photos, and on greyscale ones bare lower faces score as masks
// (docs/selfie.md, "Real masks for a mask probe").
func TestMaskProbeFindsInColour(t *testing.T) {
	m := models(t)
	colour := loadShared(t, "faces/face_recognition/obama.jpg")
	grey := image.NewGray(colour.Bounds())
	draw.Draw(grey, grey.Bounds(), colour, colour.Bounds().Min, draw.Src)
	cfg := DefaultConfig()
	cfg.maskProbe = constantProbe(maskProbe, 10)
	for _, tc := range []struct {
		name string
		img  image.Image
		want bool
	}{
		{"colour", colour, true},
		{"greyscale", grey, false},
	} {
		rep := Analyze(tc.img, m, cfg)
		if got := slices.Contains(rep.Codes(), "FACE_OCCLUDED:"+DetailMask); got != tc.want {
			t.Errorf("%s: findings %v, want a mask %v", tc.name, rep.Codes(), tc.want)
		}
	}
}

// TestProbeFinds checks what a probe's score does on a bare face the rules
// find nothing on, with probes that see their occluder everywhere or
// nowhere: at or over the probe's bar (HatProbeFind, LensProbeFind,
// MaskProbeFind) the occluder for manual review, below it nothing; and
// that the shipped probes find nothing there.
func TestProbeFinds(t *testing.T) {
	m := models(t)
	img := loadShared(t, "faces/face_recognition/obama.jpg")
	for _, tc := range []struct {
		detail string
		probe  *probe
		set    func(*Config, *logreg.Model)
	}{
		{DetailHat, hatProbe, func(c *Config, p *logreg.Model) { c.hatProbe = p }},
		{DetailSunglasses, lensProbe, func(c *Config, p *logreg.Model) { c.lensProbe = p }},
		{DetailMask, maskProbe, func(c *Config, p *logreg.Model) { c.maskProbe = p }},
	} {
		for _, bias := range []float64{10, -10} {
			cfg := DefaultConfig()
			tc.set(&cfg, constantProbe(tc.probe, bias))
			rep := Analyze(img, m, cfg)
			var found *kycgate.Finding
			for i, f := range rep.Findings {
				if f.Code == kycgate.FaceOccluded && f.Detail == tc.detail {
					found = &rep.Findings[i]
				}
			}
			if want := bias > 0; (found != nil) != want || found != nil && !found.Review {
				t.Errorf("%s, bias %g: findings %v, want %s %v, for review", tc.detail, bias, rep.Codes(), tc.detail, want)
			}
		}
		if rep := Analyze(img, m, DefaultConfig()); slices.Contains(rep.Codes(), "FACE_OCCLUDED:"+tc.detail) {
			t.Errorf("the shipped probe finds %s on a bare face: %v", tc.detail, rep.Metrics)
		}
	}
}

// constantProbe is a model of p's shape that gives every face the same
// score, the logistic of bias: a probe that sees its occluder everywhere
// (bias 10) or nowhere (-10).
func constantProbe(p *probe, bias float64) *logreg.Model {
	return &logreg.Model{Bias: bias, Weights: make([]float64, p.features())}
}

// TestMaskProbeFindsAlone checks the mask probe's lower bar on a face where
// nothing else is found covered (MaskProbeFindAlone): a probe scoring 0.9,
// under MaskProbeFind, finds a mask on a bare face for manual review, but
// not beside sunglasses (here found by a lens probe that sees them
// everywhere), nor with the bar turned off.
func TestMaskProbeFindsAlone(t *testing.T) {
	m := models(t)
	img := loadShared(t, "faces/face_recognition/obama.jpg")
	always := constantProbe(lensProbe, 10)
	for _, tc := range []struct {
		name string
		set  func(*Config)
		want bool
	}{
		{"nothing else covered", func(*Config) {}, true},
		{"beside sunglasses", func(c *Config) { c.lensProbe = always }, false},
		{"bar off", func(c *Config) { c.MaskProbeFindAlone = 0 }, false},
	} {
		cfg := DefaultConfig()
		cfg.maskProbe = constantProbe(maskProbe, math.Log(0.9/0.1))
		tc.set(&cfg)
		rep := Analyze(img, m, cfg)
		i := slices.IndexFunc(rep.Findings, func(f kycgate.Finding) bool { return f.Detail == DetailMask })
		if got := i >= 0; got != tc.want || got && !rep.Findings[i].Review {
			t.Errorf("%s: findings %v (mask_probe %.3f), want a mask %v, for review", tc.name, rep.Codes(), rep.Metrics["mask_probe"], tc.want)
		}
	}
}
