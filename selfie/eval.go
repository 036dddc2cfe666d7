package selfie

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/internal/capture"
)

// Sample is one labelled selfie of the evaluation.
type Sample struct {
	Name string
	// Want are the expected finding categories ("FACE_TOO_DARK",
	// "FACE_OCCLUDED:mask", ...); empty for a clean selfie.
	Want []string
	// Eyeglasses marks clear glasses, which must not count as sunglasses.
	Eyeglasses bool
	// Scored limits the categories scored on this sample (nil: all).
	Scored []string
	// Generated marks images made here from a real photo (occluders drawn
	// on, darkened, backlit); they are scored apart from the real ones.
	Generated bool
	// Overlay marks generated images whose occluder is a flat shape of one
	// colour (drawFlatLenses, drawFlatMask, drawFlatHat), scored apart from
	// the shaded ones.
	Overlay bool
	// Style marks generated images whose occluder is of a style the
	// rules were not measured on when they were set (drawBeanie and the
	// other renderers of "Other styles"), scored apart.
	Style bool
	// Tool marks generated images whose mask another program put on:
	// one of MaskTheFace's mask photos warped onto the face
	// (drawToolMask), scored apart.
	Tool bool
	// Cloth marks generated images of a hat of cloth
	// (drawFabricHat) and of bare heads cut off by the frame (cutAbove),
	// scored apart: the hat probe learns from them (docs/selfie.md, "Hats
	// of cloth").
	Cloth bool
	Image image.Image
}

// config is cfg with the probes fitted without the sample's photo
// (cross-fitting): the shipped probes were fitted on every sample, so they
// would be scored on what they learnt.
func (s Sample) config(cfg Config) Config {
	cfg.hatProbe = hatProbe.forSample(s.Name)
	cfg.lensProbe = lensProbe.forSample(s.Name)
	cfg.maskProbe = maskProbe.forSample(s.Name)
	return cfg
}

// Categories are the finding categories the evaluation scores. Occlusion is
// scored per detail; the others ignore the detail.
var Categories = []string{
	"FACE_NOT_FOUND", "FACE_MULTIPLE", "FACE_TOO_DARK", "IMAGE_BLURRY",
	"FACE_OCCLUDED:sunglasses", "FACE_OCCLUDED:mask", "FACE_OCCLUDED:hat",
}

func category(code string) string {
	if strings.HasPrefix(code, "FACE_OCCLUDED") {
		return code
	}
	code, _, _ = strings.Cut(code, ":")
	return code
}

// Score is precision and recall of one category.
type Score struct {
	TP, FP, FN int
	// ReviewTP and ReviewFP count the findings among TP and FP that were
	// sent to manual review (Finding.Review) rather than rejected.
	ReviewTP, ReviewFP int
}

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP/(TP+FN), 1 when nothing was expected.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// Tally is the scoring of one set of samples.
type Tally struct {
	Samples int
	Scores  map[string]Score
	// EyeglassesPassed / Eyeglasses: clear glasses not taken for
	// sunglasses.
	Eyeglasses, EyeglassesPassed int
	// CleanPassed / Clean: clean selfies without any finding.
	Clean, CleanPassed int
}

// Summary is the outcome of Evaluate: the real photos and the generated
// ones are scored apart, so neither hides the other.
type Summary struct {
	Real, Generated Tally
	// Overlays scores the flat-overlay samples (Sample.Overlay), Styles
	// the occluders of other styles (Sample.Style).
	Overlays, Styles Tally
	// Tool scores the masks MaskTheFace's templates put on
	// (Sample.Tool), Cloth the hats of cloth and the heads cut off by the
	// frame (Sample.Cloth).
	Tool, Cloth Tally
	// Captured scores the real photos again as other cameras and rooms
	// would deliver them (captureVariants), one tally per variant.
	Captured []CapturedTally
	// Errors lists the samples whose findings differ from the labels.
	Errors []string
}

// CapturedTally is the scoring of the real photos under one capture
// variant.
type CapturedTally struct {
	Variant string
	Tally
	// TooSmall counts the photos whose face became too small to judge
	// (FACE_NOT_FOUND too_small: the applicant is asked to come closer;
	// or IMAGE_LOW_RESOLUTION, a photo too small for any face to be wide
	// enough); they are not scored.
	TooSmall int
}

// captureVariants are the capture conditions the real photos are scored
// under again: a dimmer room with sensor noise, a camera of half the
// resolution, stronger compression, a tilted camera, a lens slightly out
// of focus, a photo stored on its side, a contrasty tone curve. An occluder found only in the photos
// as delivered is found by chance; a clear pair of glasses taken for
// sunglasses only in a dimmer room is a rejection a user cannot fix.
var captureVariants = []capture.Variant{
	{Name: "darkened to 0.6× with sensor noise", Apply: func(img image.Image, seed int64) image.Image { return capture.Darkened(img, 0.6, 2, seed) }},
	{Name: "half resolution", Apply: func(img image.Image, _ int64) image.Image { return capture.Scaled(img, 0.5) }},
	{Name: "saved at JPEG quality 30", Apply: func(img image.Image, _ int64) image.Image { return capture.Recompressed(img, 30) }},
	{Name: "camera tilted 15°", Apply: func(img image.Image, _ int64) image.Image { return capture.Tilted(img, 15) }},
	capture.SlightlyOutOfFocus,
	// Stored on its side without an EXIF orientation (face.Upright).
	{Name: "turned on its side", Apply: func(img image.Image, _ int64) image.Image { return imageio.Orient(img, 6) }},
	// Shadows crushed by the camera's tone curve in a dim room, or by an
	// edit: unlike the dimmer room, it deepens a shadowed eye socket
	// against lit skin (docs/selfie.md, "Contrasty photos").
	{Name: "contrasty tone curve (gamma 1.5)", Apply: func(img image.Image, _ int64) image.Image { return capture.Contrasty(img, 1.5) }},
}

// Evaluate runs Analyze over the labelled images in testdata (the shared
// testdata folder) plus versions generated from its clean faces (occluders
// drawn on, backlit, darkened) and writes precision and recall per
// category to w, for the real and the generated photos separately.
func Evaluate(w io.Writer, testdata string, models *face.Models) (Summary, error) {
	samples, err := LoadSamples(testdata, models)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Real: Tally{Scores: map[string]Score{}}, Generated: Tally{Scores: map[string]Score{}}, Overlays: Tally{Scores: map[string]Score{}}, Styles: Tally{Scores: map[string]Score{}}, Tool: Tally{Scores: map[string]Score{}}, Cloth: Tally{Scores: map[string]Score{}}}
	cfg := DefaultConfig()
	reps := analyzeAll(len(samples), func(i int) Report {
		return Analyze(samples[i].Image, models, samples[i].config(cfg))
	})
	for i, s := range samples {
		rep := reps[i]
		t := &sum.Real
		switch {
		case s.Overlay:
			t = &sum.Overlays
		case s.Style:
			t = &sum.Styles
		case s.Tool:
			t = &sum.Tool
		case s.Cloth:
			t = &sum.Cloth
		case s.Generated:
			t = &sum.Generated
		}
		if t.score(s, rep) {
			sum.Errors = append(sum.Errors, fmt.Sprintf("%s: want %v got %v %s", s.Name, s.Want, rep.Codes(), fmtMetrics(rep.Metrics)))
		}
	}
	// The capture variants are of the real photos as they were taken.
	captured := func(s Sample) bool { return !s.Generated && s.Scored == nil }
	for _, v := range captureVariants {
		ct := CapturedTally{Variant: v.Name, Tally: Tally{Scores: map[string]Score{}}}
		reps := analyzeAll(len(samples), func(i int) Report {
			if !captured(samples[i]) {
				return Report{}
			}
			return Analyze(v.Apply(samples[i].Image, 1), models, samples[i].config(cfg))
		})
		for i, s := range samples {
			if !captured(s) {
				continue
			}
			rep := reps[i]
			if rep.tooSmall() {
				ct.TooSmall++
				continue
			}
			if ct.score(s, rep) {
				sum.Errors = append(sum.Errors, fmt.Sprintf("%s (%s): want %v got %v", s.Name, v.Name, s.Want, rep.Codes()))
			}
		}
		sum.Captured = append(sum.Captured, ct)
	}
	for _, set := range []struct {
		name string
		t    Tally
	}{{"real photos", sum.Real}, {"generated from real photos", sum.Generated}, {"flat overlays on real photos", sum.Overlays},
		{"occluders of other styles on real photos", sum.Styles},
		{"masks of a masking tool (MaskTheFace) on real photos", sum.Tool},
		{"hats of cloth, and bare heads cut off by the frame, on real photos", sum.Cloth}} {
		set.t.print(w, set.name)
	}
	for _, ct := range sum.Captured {
		ct.print(w, "real photos "+ct.Variant)
		fmt.Fprintf(w, "face too small to judge (not scored): %d\n\n", ct.TooSmall)
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(w, "  miss: %s\n", e)
	}
	return sum, nil
}

// analyzeAll returns analyze(i) for i from 0 to n-1, run on every core
// (face.Models is safe for concurrent use), in order: the evaluation
// tallies them in the samples' order, so its output does not depend on
// which finished first.
func analyzeAll(n int, analyze func(i int) Report) []Report {
	reps := make([]Report, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				reps[i] = analyze(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return reps
}

// score adds one sample's outcome and reports whether it was wrong.
func (t *Tally) score(s Sample, rep Report) bool {
	t.Samples++
	got, review := map[string]bool{}, map[string]bool{}
	for _, f := range rep.Findings {
		c := category(codeOf(f))
		got[c] = true
		review[c] = review[c] || f.Review
	}
	want := map[string]bool{}
	for _, c := range s.Want {
		want[c] = true
	}
	wrong := false
	for _, c := range Categories {
		if s.Scored != nil && !contains(s.Scored, c) {
			continue
		}
		sc := t.Scores[c]
		switch {
		case got[c] && want[c]:
			sc.TP++
			if review[c] {
				sc.ReviewTP++
			}
		case got[c]:
			sc.FP++
			if review[c] {
				sc.ReviewFP++
			}
			wrong = true
		case want[c]:
			sc.FN++
			wrong = true
		}
		t.Scores[c] = sc
	}
	if s.Eyeglasses {
		t.Eyeglasses++
		if !got["FACE_OCCLUDED:sunglasses"] {
			t.EyeglassesPassed++
		}
	}
	if len(s.Want) == 0 && (s.Scored == nil || s.Generated) {
		t.Clean++
		if rep.OK() {
			t.CleanPassed++
		}
	}
	return wrong
}

func (t Tally) print(w io.Writer, name string) {
	fmt.Fprintf(w, "selfie quality, %s: %d samples\n", name, t.Samples)
	fmt.Fprintf(w, "%-26s %5s %5s %5s %9s %7s\n", "category", "TP", "FP", "FN", "precision", "recall")
	for _, c := range Categories {
		s := t.Scores[c]
		fmt.Fprintf(w, "%-26s %5d %5d %5d %9.3f %7.3f", c, s.TP, s.FP, s.FN, s.Precision(), s.Recall())
		if s.ReviewTP+s.ReviewFP > 0 {
			fmt.Fprintf(w, "   to manual review: %d TP, %d FP", s.ReviewTP, s.ReviewFP)
		}
		fmt.Fprintln(w)
	}
	if t.Eyeglasses > 0 {
		fmt.Fprintf(w, "eyeglasses passed (not sunglasses): %d/%d\n", t.EyeglassesPassed, t.Eyeglasses)
	}
	if t.Clean > 0 {
		fmt.Fprintf(w, "clean selfies with no finding: %d/%d\n", t.CleanPassed, t.Clean)
	}
	fmt.Fprintln(w)
}

// clothHats and cutHeads are how many hats of cloth and bare heads cut
// off by the frame are generated from each clean photo. The hat probe
// needs many: fitted with 12 and 3, it finds 0.52 of the portraits' hats
// at 1 % of bare heads; with 3 and 2, 0.48 (docs/selfie.md, "Hats of
// cloth").
const clothHats, cutHeads = 12, 3

// LoadSamples reads the labelled selfies and generates the synthetic ones.
func LoadSamples(testdata string, models *face.Models) ([]Sample, error) {
	var out []Sample
	load := func(p string) (image.Image, error) {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("selfie eval: %w", err)
		}
		img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("selfie eval: %s: %w", p, err)
		}
		return shrink(img, analyzeMaxSide), nil
	}

	// Occlusion labels.
	var occ struct {
		Images []struct {
			File     string `json:"file"`
			Eyewear  string `json:"eyewear"`
			Mask     bool   `json:"mask"`
			Headwear string `json:"headwear"`
		} `json:"images"`
	}
	if err := readJSON(filepath.Join(testdata, "occlusion", "occlusion_labels.json"), &occ); err != nil {
		return nil, err
	}
	for _, it := range occ.Images {
		img, err := load(filepath.Join(testdata, "occlusion", it.File))
		if err != nil {
			return nil, err
		}
		s := Sample{Name: "occlusion/" + it.File, Image: img, Eyeglasses: it.Eyewear == "eyeglasses"}
		if it.Eyewear == "sunglasses" || it.Eyewear == "vr_headset" {
			s.Want = append(s.Want, "FACE_OCCLUDED:sunglasses")
		}
		if it.Mask {
			s.Want = append(s.Want, "FACE_OCCLUDED:mask")
		}
		if it.Headwear == "baseball_cap" || it.Headwear == "surgical_cap" {
			s.Want = append(s.Want, "FACE_OCCLUDED:hat")
		}
		out = append(out, s)
	}

	// Dark photos.
	var light struct {
		Images []struct {
			File      string `json:"file"`
			Condition string `json:"condition"`
			Faces     int    `json:"faces"`
		} `json:"images"`
	}
	if err := readJSON(filepath.Join(testdata, "lighting", "lighting_labels.json"), &light); err != nil {
		return nil, err
	}
	for _, it := range light.Images {
		if it.Condition != "dark" {
			continue
		}
		img, err := load(filepath.Join(testdata, "lighting", it.File))
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{Name: "lighting/" + it.File, Image: img, Want: []string{"FACE_TOO_DARK"}})
	}

	// Masked faces (read from the shared folder only: no licence).
	masked, _ := filepath.Glob(filepath.Join(testdata, "faces", "masked", "*.jpg"))
	sort.Strings(masked)
	for _, p := range masked {
		img, err := load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{Name: "faces/masked/" + filepath.Base(p), Image: img, Want: []string{"FACE_OCCLUDED:mask"}})
	}

	// Clean colour photos of one person, and what is generated from them.
	// They are not framed as selfies (some are full-length), so only light,
	// occlusion and multiple faces are scored on them.
	var cleanFiles []string
	var faces struct {
		Items []struct {
			File     string `json:"file"`
			NumFaces any    `json:"num_faces"`
			Partial  bool   `json:"partial_face"`
		} `json:"items"`
	}
	if err := readJSON(filepath.Join(testdata, "faces", "face_labels.json"), &faces); err != nil {
		return nil, err
	}
	notFound := []string{"FACE_MULTIPLE", "FACE_TOO_DARK", "IMAGE_BLURRY", "FACE_OCCLUDED:sunglasses", "FACE_OCCLUDED:mask", "FACE_OCCLUDED:hat"}
	var pressPhotos []string
	// labelled adds the photo file as a real sample.
	labelled := func(file string, want, scored []string) error {
		img, err := load(filepath.Join(testdata, file))
		if err != nil {
			return err
		}
		out = append(out, Sample{Name: file, Image: img, Want: want, Scored: scored})
		return nil
	}
	for _, it := range faces.Items {
		n, counted := it.NumFaces.(float64)
		var err error
		switch {
		case counted && n == 1 && strings.HasPrefix(it.File, "faces/face_recognition/") && !it.Partial:
			cleanFiles = append(cleanFiles, it.File)
		// go-face's press photos: one main face, perhaps others far
		// behind it ("num_faces" is a note, not a count).
		case !counted && strings.HasPrefix(it.File, "faces/go-face/") && pressPhotoHats[it.File]:
			err = labelled(it.File, []string{"FACE_OCCLUDED:hat"}, notFound)
		case !counted && strings.HasPrefix(it.File, "faces/go-face/"):
			pressPhotos = append(pressPhotos, it.File)
		case counted && n >= 2 && strings.HasPrefix(it.File, "faces/dlib/"):
			err = labelled(it.File, []string{"FACE_MULTIPLE"}, []string{"FACE_MULTIPLE"})
		}
		if err == nil && it.Partial {
			err = labelled(it.File, []string{"FACE_NOT_FOUND"}, []string{"FACE_NOT_FOUND"})
		}
		if err != nil {
			return nil, err
		}
	}
	cleanFiles = append(cleanFiles, "spoof/specdiff/Example1_live_background.jpg", "spoof/specdiff/Example1_live_flash.jpg",
		"spoof/specdiff/Example2_live_background.jpg", "spoof/specdiff/Example2_live_flash.jpg", "spoof/silent_face/image_T1.jpg")
	clips, _ := filepath.Glob(filepath.Join(testdata, "liveness", "*", "000.jpg"))
	sort.Strings(clips)
	for _, c := range clips {
		rel, _ := filepath.Rel(testdata, c)
		cleanFiles = append(cleanFiles, rel)
	}
	// Last, so that the faces above keep their seeds.
	cleanFiles = append(cleanFiles, pressPhotos...)
	for i, f := range cleanFiles {
		img, err := load(filepath.Join(testdata, f))
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{Name: f, Image: img, Scored: notFound, Eyeglasses: pressPhotoEyeglasses[f]})
		rng := rand.New(rand.NewPCG(uint64(i), 20261130))
		out = append(out,
			Sample{Name: f + "+dark", Image: Darken(img, rng), Want: []string{"FACE_TOO_DARK"}, Scored: notFound, Generated: true})
		bx := face.Detect(img)
		if len(bx) == 0 || models == nil {
			continue
		}
		lm, err := models.Landmarks(img, bx[0])
		if err != nil {
			continue
		}
		// One of each occluder per face, its look drawn from this face's
		// own seed: over the faces, every shape, tint and colour occurs.
		gen := rand.New(rand.NewPCG(uint64(i), 5))
		for _, v := range []struct {
			suffix string
			img    image.Image
			want   []string
			glass  bool
		}{
			{"+hat", DrawHat(img, &lm, i), []string{"FACE_OCCLUDED:hat"}, false},
			{"+backlit", Backlight(img, &lm), []string{"FACE_TOO_DARK"}, false},
			{"+sunglasses", drawGlasses(img, &lm, gen, true), []string{"FACE_OCCLUDED:sunglasses"}, false},
			{"+eyeglasses", drawGlasses(img, &lm, gen, false), nil, true},
			{"+mask", drawMask(img, &lm, gen), []string{"FACE_OCCLUDED:mask"}, false},
			{"+cap", drawCap(img, &lm, gen), []string{"FACE_OCCLUDED:hat"}, false},
			{"+defocus", Defocus(img, &lm), []string{"IMAGE_BLURRY"}, false},
		} {
			out = append(out, Sample{Name: f + v.suffix, Image: v.img, Want: v.want, Eyeglasses: v.glass, Scored: notFound, Generated: true})
		}
		// A bald head, which no hat rule may call a hat, from its own
		// seed as well.
		if bald := drawBald(img, &lm, rand.New(rand.NewPCG(uint64(i), 7))); bald != nil {
			out = append(out, Sample{Name: f + "+bald", Image: bald, Scored: notFound, Generated: true})
		}
		// Flat overlays, from their own seed so the samples above stay
		// as they were.
		flat := rand.New(rand.NewPCG(uint64(i), 6))
		for _, v := range []struct {
			suffix string
			img    image.Image
			want   string
		}{
			{"+flat-lenses", drawFlatLenses(img, &lm, flat), "FACE_OCCLUDED:sunglasses"},
			{"+flat-mask", drawFlatMask(img, &lm, flat), "FACE_OCCLUDED:mask"},
			{"+flat-hat", drawFlatHat(img, &lm, flat), "FACE_OCCLUDED:hat"},
		} {
			out = append(out, Sample{Name: f + v.suffix, Image: v.img, Want: []string{v.want}, Scored: notFound, Generated: true, Overlay: true})
		}
		// Occluders of other styles, from their own seed.
		style := rand.New(rand.NewPCG(uint64(i), 8))
		for _, v := range []struct {
			suffix string
			draw   func(image.Image, *face.Landmarks, *rand.Rand) image.Image
			want   string
		}{
			{"+beanie", drawBeanie, "FACE_OCCLUDED:hat"},
			{"+wide-brim", drawWideBrim, "FACE_OCCLUDED:hat"},
			{"+logo-cap", drawLogoCap, "FACE_OCCLUDED:hat"},
			{"+gradient-sunglasses", drawGradientSunglasses, "FACE_OCCLUDED:sunglasses"},
			{"+respirator", drawRespirator, "FACE_OCCLUDED:mask"},
		} {
			out = append(out, Sample{Name: f + v.suffix, Image: v.draw(img, &lm, style), Want: []string{v.want}, Scored: notFound, Generated: true, Style: true})
		}
		// Two of MaskTheFace's masks, from their own seed.
		tool := rand.New(rand.NewPCG(uint64(i), 9))
		for k := range 2 {
			if masked := drawToolMask(img, &lm, tool); masked != nil {
				out = append(out, Sample{Name: fmt.Sprintf("%s+masktheface%d", f, k+1), Image: masked, Want: []string{"FACE_OCCLUDED:mask"}, Scored: notFound, Generated: true, Tool: true})
			}
		}
		// Hats of cloth, every third with its crown cut off by the
		// frame, and the bare head so cut, from their own seed: what
		// the frame cuts off reads black to the hat probe, and is no
		// hat.
		cloth := rand.New(rand.NewPCG(uint64(i), 10))
		g := geomOf(img, &lm)
		for k := range clothHats {
			hat := drawFabricHat(img, &lm, cloth, k%3 == 2)
			out = append(out, Sample{Name: fmt.Sprintf("%s+cloth-hat%d", f, k+1), Image: hat, Want: []string{"FACE_OCCLUDED:hat"}, Scored: notFound, Generated: true, Cloth: true})
		}
		for k := range cutHeads {
			if cut := cutAbove(img, g, uniform(cloth, 0.6, 1.8)); cut != nil {
				out = append(out, Sample{Name: fmt.Sprintf("%s+cut-head%d", f, k+1), Image: cut, Scored: notFound, Generated: true, Cloth: true})
			}
		}
	}
	return out, nil
}

func readJSON(p string, v any) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("selfie eval: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("selfie eval: %s: %w", p, err)
	}
	return nil
}

// pressPhotoHats and pressPhotoEyeglasses label, by eye, what go-face's
// press photos show (the set has identity labels only): a photo with a hat
// is a real hat to find, not a clean face to draw on.
var (
	pressPhotoHats       = map[string]bool{"faces/go-face/chaeyoung2.jpg": true} // a knit beanie over the fringe
	pressPhotoEyeglasses = map[string]bool{"faces/go-face/chaeyoung.jpg": true}  // thin round eyeglasses
)

// toNRGBA copies img into a fresh NRGBA image.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func clamp8(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

// Darken simulates an underexposed phone photo: exposure cut to a tenth,
// a gamma that crushes the shadows, and sensor noise.
func Darken(img image.Image, rng *rand.Rand) image.Image {
	out := toNRGBA(img)
	for i := 0; i+3 < len(out.Pix); i += 4 {
		n := rng.NormFloat64() * 3
		for c := 0; c < 3; c++ {
			v := float64(out.Pix[i+c]) / 255
			out.Pix[i+c] = clamp8(255*0.22*math.Pow(v, 1.6) + n)
		}
	}
	return out
}

// Backlight simulates a face against a window: the background pushed
// toward white and the face (an ellipse around the landmarks, feathered)
// darkened.
func Backlight(img image.Image, lm *face.Landmarks) image.Image {
	out := toNRGBA(img)
	b := img.Bounds()
	r := lm.Bounds()
	cx, cy := r.Center().X-float64(b.Min.X), r.Center().Y-float64(b.Min.Y)-0.1*r.Dy()
	rx, ry := 0.75*r.Dx(), 0.8*r.Dy()
	for y := 0; y < out.Rect.Dy(); y++ {
		for x := 0; x < out.Rect.Dx(); x++ {
			d := math.Hypot((float64(x)-cx)/rx, (float64(y)-cy)/ry)
			wFace := math.Max(0, math.Min(1, (1.25-d)/0.35)) // 1 inside, 0 outside
			i := out.PixOffset(x, y)
			for c := 0; c < 3; c++ {
				v := float64(out.Pix[i+c]) / 255
				bright := 1 - (1-v)*0.25
				dark := 0.28 * v
				out.Pix[i+c] = clamp8(255 * (wFace*dark + (1-wFace)*bright))
			}
		}
	}
	return out
}

// hatColours are cap colours seen in practice.
var hatColours = []color.NRGBA{
	{20, 30, 70, 255}, {15, 15, 15, 255}, {170, 25, 30, 255}, {120, 120, 120, 255},
	{70, 90, 40, 255}, {235, 235, 230, 255}, {30, 90, 160, 255}, {150, 120, 80, 255},
}

// DefocusIOD is the blur of the defocused samples: a Gaussian whose
// standard deviation is this fraction of the distance between the eyes
// (5 px on a face whose eyes are 100 px apart), which smears the iris into
// the white of the eye.
const DefocusIOD = 0.05

// Defocus blurs img as a camera focused far behind the face would
// (DefocusIOD), relative to the face whose landmarks are lm.
func Defocus(img image.Image, lm *face.Landmarks) image.Image {
	return capture.Defocused(img, DefocusIOD*lm.EyeDistance())
}

// DrawHat draws a baseball cap over the forehead: a crown from above the
// head down to just above the eyebrows and a brim band across, in one of
// hatColours with shading, so the tests have hats on real faces.
func DrawHat(img image.Image, lm *face.Landmarks, seed int) image.Image {
	out := toNRGBA(img)
	b := img.Bounds()
	col := hatColours[seed%len(hatColours)]
	browY := math.Min(lm[19].Y, lm[24].Y) - float64(b.Min.Y)
	iod := math.Hypot(lm[45].X-lm[36].X, lm[45].Y-lm[36].Y)
	cx := (lm[0].X+lm[16].X)/2 - float64(b.Min.X)
	halfW := 0.5*math.Abs(lm[16].X-lm[0].X) + 0.08*iod
	brimBottom := browY - 0.08*iod
	brimTop := brimBottom - 0.22*iod
	crownTop := brimTop - 1.1*iod
	for y := int(math.Max(0, crownTop)); y < int(math.Min(float64(out.Rect.Dy()), brimBottom)); y++ {
		fy := float64(y)
		var hw float64
		if fy >= brimTop {
			hw = halfW * 1.08 // the brim sticks out a little
		} else {
			t := (brimTop - fy) / (brimTop - crownTop) // 0 at the band, 1 on top
			hw = halfW * math.Sqrt(math.Max(0, 1-t*t))
		}
		for x := int(math.Max(0, cx-hw)); x < int(math.Min(float64(out.Rect.Dx()), cx+hw)); x++ {
			shade := 0.85 + 0.25*(1-math.Abs(float64(x)-cx)/math.Max(hw, 1))
			if fy >= brimTop {
				shade *= 0.8
			}
			i := out.PixOffset(x, y)
			out.Pix[i] = clamp8(float64(col.R) * shade)
			out.Pix[i+1] = clamp8(float64(col.G) * shade)
			out.Pix[i+2] = clamp8(float64(col.B) * shade)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func fmtMetrics(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%.3g", k, m[k])
	}
	return b.String()
}
