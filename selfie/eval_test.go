package selfie

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/internal/capture"
)

// TestEvaluate runs the labelled and generated selfies and guards the
// measured precision and recall (docs/selfie.md), on the real photos and on
// those generated from them separately; a change that lowers any of them
// fails here.
func TestEvaluate(t *testing.T) {
	td := testdata(t)
	m := models(t)
	var out bytes.Buffer
	sum, err := Evaluate(&out, td, m)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	type floor struct {
		set               string
		tally             Tally
		cat               string
		precision, recall float64
	}
	floors := []floor{
		{"real", sum.Real, "FACE_TOO_DARK", 1.0, 1.0},
		{"real", sum.Real, "FACE_MULTIPLE", 1.0, 1.0},
		{"real", sum.Real, "FACE_OCCLUDED:sunglasses", 1.0, 0.87}, // 1 FN: a face no detector finds (180.jpg)
		{"real", sum.Real, "FACE_OCCLUDED:mask", 1.0, 0.93},       // the same face
		// 1 FN: a knit beanie over a fringe (go-face chaeyoung2). Its red
		// crown meets HatProbeDyed (session 30), but the probe fitted
		// without its photo scores it 0.5, under that rule's bar. The cap
		// worn low, its logo as textured as hair (0999), is found by the
		// hat probe alone since session 18 (HatProbeFind; the probe
		// fitted without the sample's photo: Sample.config).
		{"real", sum.Real, "FACE_OCCLUDED:hat", 1.0, 0.66},
		{"real", sum.Real, "IMAGE_BLURRY", 1.0, 1.0}, // no real photo is called blurred
		// 1 FN: a fair face darkened to a mean luma of 0.161, just over
		// the 0.16 bar (go-face sejeong).
		{"generated", sum.Generated, "FACE_TOO_DARK", 1.0, 0.98},
		// Defocused by 0.05 IOD: 3 of 23 just under the 0.91 bar, two of
		// them small faces measured at their own resolution.
		{"generated", sum.Generated, "IMAGE_BLURRY", 1.0, 0.86},
		// Light tints (transmit ≥ 0.45) on 4 faces: 30 of 34 found by
		// the rules, 29 before the lens rim (SunglassesRimStep), which
		// finds the darker of them; the lens probe finds 3 of the other
		// 4 for manual review since session 20 (LensProbeFind; fitted
		// without the sample's photo), and since session 23 the last, a
		// light tint on a 120-px face (nodpigeon stationary), by a lower
		// probe score over a rim beside the eyes (LensProbeRim).
		{"generated", sum.Generated, "FACE_OCCLUDED:sunglasses", 1.0, 1.0},
		// The masked full-length face the detector measures too small
		// (jimin2, 40 px) is found since session 25 beside
		// FACE_NOT_FOUND too_small (MinMaskPixels); the last, a
		// skin-coloured dotted mask (Example1_live_flash), since session
		// 38 by the mask probe alone (MaskProbeFind), for manual review.
		{"generated", sum.Generated, "FACE_OCCLUDED:mask", 1.0, 1.0},
		// All 68 since the hat probe reads the head by bands of rows
		// (session 35), which finds the last, a crown that takes in hair
		// beside the cap (chaeyeon; joy's is found by the hat probe since
		// it learnt hats of cloth, session 28); the cap of the
		// background's colour (obama_small) is found by the hat probe
		// since session 18. Precision 1 also guards the bald heads
		// (drawBald): no hat.
		{"generated", sum.Generated, "FACE_OCCLUDED:hat", 1.0, 1.0},
		// Flat overlays: the one false sunglasses is a face with dark eye
		// sockets under a flat mask (eye ratio 0.31 against 0.315).
		// Lenses whose eyes the landmark net put on the brows are found
		// below them (SunglassesFlatWindow). Hats: 2 FN since session 35
		// (33 before), flat hats over a fringe the banded probe scores
		// under HatProbeFind (chaeyeon 0.27; Example1_live_flash 0.84).
		{"flat overlays", sum.Overlays, "FACE_OCCLUDED:sunglasses", 0.96, 1.0},
		{"flat overlays", sum.Overlays, "FACE_OCCLUDED:mask", 1.0, 1.0},
		{"flat overlays", sum.Overlays, "FACE_OCCLUDED:hat", 1.0, 0.94},
		// Occluders of other styles (session 11): the rules miss knit
		// beanies and logo caps of skin-like colours (cream, tan,
		// mustard) or worn above the forehead region (53 of 102 found);
		// the hat probe finds 44 of the 49 for manual review (session
		// 18), since it learnt hats of cloth (session 28) 47, and since
		// it learnt real hats too (session 32) all 49, for manual
		// review. Its folds hold other photos with the same renderers'
		// hats, so this is recall on new faces, not on new hat styles
		// (docs/selfie.md, "A learned second opinion on hats"). The one
		// false hat of session 32 (elkie under gradient sunglasses, whose
		// dark lens tops the fold's probe scored 0.96) is gone since the
		// probe reads the head by bands of rows (session 35). The one
		// false sunglasses is a respirator's face ("Other styles"). Masks:
		// a checked respirator the landmarks read as parted lips is found
		// since session 20 (a lower face without skin is no open mouth),
		// and since session 25 a black one whose lower face the landmarks
		// stretch below it onto the chin, by its covered cheeks
		// (MaskCheekSkin, for manual review), and since session 38 a
		// cream one on a turned head whose lower face the landmarks put
		// below it, by the mask probe alone (MaskProbeFind); left, one on
		// a small face no detector finds.
		{"other styles", sum.Styles, "FACE_OCCLUDED:sunglasses", 0.97, 1.0},
		{"other styles", sum.Styles, "FACE_OCCLUDED:mask", 1.0, 0.97},
		{"other styles", sum.Styles, "FACE_OCCLUDED:hat", 1.0, 0.95},
		// Masks of a masking tool (session 21): 56 of 68 before the
		// lip-line rule (MaskLipLine), which finds all seven polka-dot
		// cloth masks missed before and a pink gas mask, for manual
		// review. Left: a mask on a face no detector finds and one on a
		// face measured too small (jimin2 full-length), which the rules
		// find but are not sure of. Another on a face measured too small
		// (nodpigeon turning, 55 px) is found since session 25
		// (MinMaskPixels), and an N95 over a soft webcam face since
		// session 38 by the mask probe alone (MaskProbeFind).
		{"masking tool", sum.Tool, "FACE_OCCLUDED:mask", 1.0, 0.97},
		// Hats of cloth (session 28): 362 of 408, 335 of them by the hat
		// probe alone, for manual review; its folds hold other photos
		// with hats of the same renderer. 364 since session 30, two of
		// a colour no hair has found by the probe's lower bar
		// (HatProbeDyed); 367 since session 32, the probe refitted with
		// real hats and its bars moved (0.88, 0.65); 387 since session
		// 35, the probe reading the head by four bands of rows and
		// fitted with both batches of real hats. The 21 missed are
		// mostly hats worn high on faces whose probe score stays under
		// its bar.
		{"hats of cloth", sum.Cloth, "FACE_OCCLUDED:hat", 1.0, 0.94},
	}
	// A bare head whose top the frame cuts off reads black above the
	// forehead, as a dark hat does: none of them may get a finding.
	if c := sum.Cloth; c.CleanPassed < c.Clean {
		t.Errorf("bare heads cut off by the frame: %d of %d with a finding", c.Clean-c.CleanPassed, c.Clean)
	}
	// Two faces under a tool's mask also get a sunglasses finding
	// (kit_harington1, nodpigeon turning): for manual review, never sure.
	if sg := sum.Tool.Scores["FACE_OCCLUDED:sunglasses"]; sg.FP > sg.ReviewFP {
		t.Errorf("masking tool: %d sure false sunglasses", sg.FP-sg.ReviewFP)
	}
	// The same real photos as other cameras and rooms deliver them
	// (captureVariants, in order): measured in docs/selfie.md.
	capturedFloors := []struct {
		cat               string
		precision, recall [7]float64
	}{
		{"FACE_TOO_DARK", [7]float64{0.88, 1, 1, 1, 1, 1, 0.8}, [7]float64{1, 1, 1, 1, 1, 1, 1}},
		// Out of focus, a soft 256-px webcam photo (demo_5, 0.909 as
		// delivered) rightly crosses the IMAGE_BLURRY bar: not judged there.
		{"IMAGE_BLURRY", [7]float64{1, 1, 1, 1, notJudged, 1, 1}, [7]float64{1, 1, 1, 1, notJudged, 1, 1}},
		// Tilted: the upright cascade and the landmark net lose lenses on
		// small, greyscale or profile faces (docs/selfie.md, seventh round).
		// Out of focus: every lens and mask found as delivered is found.
		// On its side: no false occluder; an occluded face the upright-
		// trained cascade does not see is turned back when the CNN sees it
		// on one quarter turn, or on both and the landmarks are steadier on
		// one (face.TurnedCNN); else it stays FACE_NOT_FOUND
		// (docs/selfie.md, "Turned photos"). Contrasty: two clear glasses
		// or bare eyes in shadow read as lenses, sent to manual review;
		// a lens and a mask lost to FACE_NOT_FOUND and FACE_TOO_DARK
		// (docs/selfie.md, "Contrasty photos"). Saved at JPEG quality 30:
		// 0502's lenses found since session 24 by the lens probe over
		// light lenses (LensProbeTint), for manual review. On the
		// greyscale photos the mask probe stays silent (MaskProbeFind).
		{"FACE_OCCLUDED:sunglasses", [7]float64{1, 1, 1, 1, 1, 1, 0.75}, [7]float64{0.75, 0.71, 0.87, 0.57, 0.87, 0.75, 0.75}},
		{"FACE_OCCLUDED:mask", [7]float64{1, 1, 1, 0.93, 1, 1, 1}, [7]float64{0.87, 0.81, 0.87, 0.93, 0.93, 0.73, 0.87}},
	}
	allowedLost := [7]int{2, 0, 0, 1, 2, 0, 4}
	if len(sum.Captured) != len(captureVariants) {
		t.Fatalf("%d capture variants scored, want %d", len(sum.Captured), len(captureVariants))
	}
	for i, ct := range sum.Captured {
		for _, f := range capturedFloors {
			if f.precision[i] != notJudged {
				floors = append(floors, floor{ct.Variant, ct.Tally, f.cat, f.precision[i], f.recall[i]})
			}
		}
		// Clear glasses and clean faces: one lost in the dimmer room (no
		// face found on clear glasses over a wide-open mouth) and a second
		// there since session 39 (demo_5 given a hat by the hat probe
		// refitted without the photos ../shared holds, for review), one when
		// tilted (the same face: its open mouth read as a black mask), one
		// out of focus (demo_5, IMAGE_BLURRY) and a second there since
		// session 32 (glasses_detector's example3, a clean face whose
		// softened hair the hat probe scores 0.899: review), two on its side (faces the
		// cascade scores under face.TurnedMinScore: FACE_NOT_FOUND), four
		// under the contrasty curve (clear glasses taken for sunglasses
		// and sent to review, a 256-px crop under the FACE_TOO_DARK bar,
		// two clean faces), none otherwise.
		if lost := ct.Eyeglasses - ct.EyeglassesPassed + ct.Clean - ct.CleanPassed; lost > allowedLost[i] {
			t.Errorf("%s: %d eyeglasses or clean faces not passed", ct.Variant, lost)
		}
		// No capture variant makes the check sure of sunglasses a face
		// does not wear: the contrasty curve deepens shadowed eye sockets
		// until the lens rules agree, and the judgement with the shadows
		// lifted (SunglassesLift) sends those to manual review.
		if sg := ct.Scores["FACE_OCCLUDED:sunglasses"]; sg.FP > sg.ReviewFP {
			t.Errorf("%s: %d sure false sunglasses", ct.Variant, sg.FP-sg.ReviewFP)
		}
	}
	for _, f := range floors {
		s := f.tally.Scores[f.cat]
		if s.Precision() < f.precision || s.Recall() < f.recall {
			t.Errorf("%s %s: precision %.3f recall %.3f, want at least %.3f / %.3f", f.set, f.cat, s.Precision(), s.Recall(), f.precision, f.recall)
		}
	}
	for _, set := range []struct {
		name string
		t    Tally
	}{{"real", sum.Real}, {"generated", sum.Generated}} {
		if set.t.EyeglassesPassed != set.t.Eyeglasses || set.t.Eyeglasses == 0 {
			t.Errorf("%s: eyeglasses passed %d/%d, want all", set.name, set.t.EyeglassesPassed, set.t.Eyeglasses)
		}
		if set.t.CleanPassed != set.t.Clean || set.t.Clean == 0 {
			t.Errorf("%s: clean selfies passed %d/%d, want all", set.name, set.t.CleanPassed, set.t.Clean)
		}
	}
}

// notJudged marks a capture variant where a category's floor does not
// apply.
const notJudged = -1

// TestEvaluateWebPhotos scores the check on web photos labelled only by
// their folder, when KYCGATE_WEB_MASKS names a directory holding
// with_mask/ and without_mask/ (docs/selfie.md, "Web photos": every 12th
// file of chandrikadeb7/Face-Mask-Detection's dataset folders). They are
// not in ../shared and not in CI; the test skips without them. Most are
// tight crops, many too small or cut off: the mask figures count only the
// faces the check judged (a face found, large enough).
func TestEvaluateWebPhotos(t *testing.T) {
	dir := os.Getenv("KYCGATE_WEB_MASKS")
	if dir == "" {
		t.Skip("KYCGATE_WEB_MASKS not set")
	}
	m := models(t)
	var out strings.Builder
	rates := map[string]float64{}
	for _, folder := range []string{"with_mask", "without_mask"} {
		inFolder := func(string) []string { return []string{folder} }
		maps.Copy(rates, scoreWebFolder(t, m, filepath.Join(dir, folder), inFolder, &out))
	}
	t.Log("\n" + out.String())
	// Measured on the 12th-file sample (session 9): masks on 107 of 116
	// judged masked faces, false masks on 6 of 157 bare ones; the false
	// hats and sunglasses are in docs/selfie.md.
	// Since session 24: 113 of 121, a black mask the skin box took for
	// skin found by its darkness and grey (MaskDarkLuma, MaskDarkSat).
	// Since session 25: 114, a white mask whose landmarks the check
	// rejected, found by the covered cheeks (MaskCheekSkin).
	// Since session 29: 131 of the 181 masked photos judged (121 before),
	// tight crops found by SSD inside the wider weak border (WeakBorders).
	// Since session 38: 127 of 131, 4 found by the mask probe alone
	// (MaskProbeFind, for manual review); on the second sample (every
	// 12th file from the twelfth) 128 of 136, 120 before.
	// Since session 39: 129 of 131, 2 more by the mask probe's lower bar
	// where nothing else is covered (MaskProbeFindAlone, for review).
	// Since session 40 the floor is the 95 %: masks are named on
	// blurred faces too (BlurredFaceMask) and the 0.5 weak border finds
	// a black mask under a cap; 130 of 132, 131 of 137 on the second
	// sample and 134 of 138 on the third (every 12th file from the sixth).
	if r := rates["with_mask:judged"]; r < 0.7 {
		t.Errorf("%.3f of the masked photos judged, want at least 0.7", r)
	}
	if r := rates["with_mask:"+DetailMask]; r < 0.95 {
		t.Errorf("masks found on %.3f of the judged masked faces, want at least 0.95", r)
	}
	// False masks: 6 of 158 until session 38, 2 since the mask probe
	// overrules doubtful ones (MaskProbeDrop); 3 of 158 on the second
	// sample, 8 before.
	if r := rates["without_mask:"+DetailMask]; r > 0.03 {
		t.Errorf("masks reported on %.3f of the judged bare faces, want at most 0.03", r)
	}
	// Of the 6 of session 17, 5 were found by one mask rule alone and go
	// to manual review since then (MaskSureRules); 84 of the 111 masks
	// found were sure. Since session 38 one of the 2 false masks is sure.
	if r := rates["without_mask:"+sure+DetailMask]; r > 0.015 {
		t.Errorf("sure masks reported on %.3f of the judged bare faces, want at most 0.015", r)
	}
	// Sunglasses on 7 of 158 judged bare faces, 4 of them sent to manual
	// review (session 14; 5 since session 16, SunglassesRimBeside). The
	// lens-rim rule added one: a pair of sunglasses pushed down the nose,
	// below open eyes.
	if r := rates["without_mask:"+DetailSunglasses]; r > 0.06 {
		t.Errorf("sunglasses reported on %.3f of the judged bare faces, want at most 0.06", r)
	}
}

// TestEvaluateWebSunglasses scores the check on web selfies in sunglasses,
// when KYCGATE_WEB_SUNGLASSES names a folder of them (docs/selfie.md,
// "Sunglasses on web selfies": the full selfies of
// shreyas0906/Selfies-with-sunglasses, which has no licence, so they stay
// out of the repository and of CI; the test skips without them).
// testdata/sunglasses_selfie_labels.tsv names the photos that show no
// sunglasses: clear glasses, bare eyes, no person, copies, unclear ones;
// every other photo shows a person in sunglasses. It also names the
// people in a hat; every other head is bare.
func TestEvaluateWebSunglasses(t *testing.T) {
	dir := os.Getenv("KYCGATE_WEB_SUNGLASSES")
	if dir == "" {
		t.Skip("KYCGATE_WEB_SUNGLASSES not set")
	}
	labels := readLabels(t, "sunglasses_selfie_labels.tsv")
	// Each photo of a person is scored twice: by its eyes (sunglasses
	// unless labelled otherwise) and by its head (bare unless labelled
	// hat or hat?).
	groups := func(name string) []string {
		eyes, head := DetailSunglasses, bareHead
		for _, label := range labels[name] {
			switch label {
			case "noface", "duplicate":
				return nil
			case DetailHat, DetailHat + "?":
				head = label
			default:
				eyes = label
			}
		}
		return []string{eyes, head}
	}
	var out strings.Builder
	rates := scoreWebFolder(t, models(t), dir, groups, &out)
	t.Log("\n" + out.String())
	// Measured in session 15: found on 306 of 506 judged selfies (0.605;
	// 0.37 before the lens-rim rule of session 14); since session 20 on
	// 351 (0.694), 45 of them by the lens probe alone, for manual review
	// (LensProbeFind); since session 22 on 376 (0.743), 25 more by lenses
	// not skin-coloured above a rim beside the eyes (LensColourSkin), for
	// manual review too; since session 23 on 383 of 507 (0.755), 7 more
	// rolled heads by the lens's rim looked for with the eyes level
	// (SunglassesLevelRoll), and then on 404 (0.797), 21 more by a lower
	// lens-probe score over a rim beside the eyes (LensProbeRim; 2 of
	// them once level), all for manual review; since session 24 on 415
	// of 508 (0.817), 11 more by the lens probe over light lenses
	// (LensProbeTint), for manual review too. Those figures counted every
	// judged photo; labelled in session 27, 461 of the 508 show a person
	// in sunglasses, and the check finds them on 400 (0.868); since, on
	// 406 (0.881), 6 more for manual review by lenses over the lids
	// (LensProbeSkinless) and mirrored or coloured lenses (LensVivid).
	if r := rates[DetailSunglasses+":"+DetailSunglasses]; r < 0.875 {
		t.Errorf("sunglasses found on %.3f of the judged selfies in sunglasses, want at least 0.875", r)
	}
	// Clear glasses (10 judged) and bare eyes (6): none is taken for
	// sunglasses.
	for _, g := range []string{"eyeglasses", "none"} {
		if r := rates[g+":"+DetailSunglasses]; r > 0 {
			t.Errorf("sunglasses reported on %.3f of the judged selfies labelled %s, want none", r, g)
		}
	}
	// Their lower faces are bare: false masks on 41 of 506 (0.081; 55
	// before lips redder than the skin around them kept the flat mouth
	// band and the lower face's chroma from calling lipstick and closed
	// lips a mask, MaskLipRedness); 36 of the 461 in sunglasses (0.078)
	// since session 27.
	if r := rates[DetailSunglasses+":"+DetailMask]; r > 0.09 {
		t.Errorf("masks reported on %.3f of the judged selfies in sunglasses, want at most 0.09", r)
	}
	// Nearly all of them by one mask rule alone, which since session 17
	// goes to manual review (MaskSureRules): 2 are sure.
	if r := rates[DetailSunglasses+":"+sure+DetailMask]; r > 0.01 {
		t.Errorf("sure masks reported on %.3f of the judged selfies in sunglasses, want at most 0.01", r)
	}
	// Hats, labelled in session 28: 40 of the people wear one (caps,
	// beanies, straw and felt hats), 427 have a bare head. The check
	// finds 13 of the 40 (0.325; 2 sure), as it did before the hat
	// probe learnt hats of cloth (HatProbeFind; docs/selfie.md, "Hats of
	// cloth"), and 15 (0.375) since a crown of a colour no hair has
	// lowers the probe's bar (session 30, HatProbeDyed: two blue caps),
	// and 18 (0.45) since the probe learnt real hats (session 32,
	// docs/selfie.md, "Real hats for the hat probe"), and 20 (0.5; 2
	// sure) since it reads the head by bands of rows (session 35,
	// "Where on the head the probe looks"): most of the 20 missed are
	// wide brims and straw, dark caps, and caps whose crown the frame
	// cuts off.
	if r := rates[DetailHat+":"+DetailHat]; r < 0.49 {
		t.Errorf("hats found on %.3f of the judged selfies in a hat, want at least 0.49", r)
	}
	// Hats on bare heads: 43 of 427 (0.101) before the hats of cloth,
	// 45 (0.105) since, nearly all for manual review (one rule alone,
	// or the probe's low score over a sure find: HatProbeSure); 46 of
	// 431 (0.107) with the dyed crown (session 30: hair dyed red), and
	// 38 (0.088) since the probe overrules a hat that one forehead rule
	// alone found (session 30, HatProbeDrop); 35 (0.081) since the
	// probe learnt real hats (session 32), and 35 since it reads the
	// head by bands of rows (session 35): 43 at the bars of before, its
	// higher scores on long dark hair keeping more of the fringes one
	// forehead rule alone finds, until HatProbeDrop rose from 0.02 to 0.1;
	// 28 (0.065) since the probe's low score overrules the band rule and
	// two forehead rules too (session 36: hatProbeOverrules).
	if r := rates[bareHead+":"+DetailHat]; r > 0.07 {
		t.Errorf("hats reported on %.3f of the judged bare heads, want at most 0.07", r)
	}
	// Sure hats on bare heads: 14 of 506 photos before the hat probe's
	// second opinion (session 18), 12 of them bare heads (long hair,
	// hair pulled back, two dogs); 1 of the 427 bare heads before the
	// hats of cloth (long dark hair), 2 since (a tight crop of blonde
	// hair, cut off at the top), 1 since the probe learnt real hats, and
	// 1 since it reads the head by bands of rows (4 at HatProbeSure 0.3:
	// long dark hair and a blonde crop cut off at the top, scored 0.78
	// to 0.9, until that bar rose to 0.9; session 35).
	if r := rates[bareHead+":"+sure+DetailHat]; r > 0.005 {
		t.Errorf("sure hats reported on %.3f of the judged bare heads, want at most 0.005", r)
	}
}

// TestEvaluateWebEyewear scores the check on the real sunglasses and clear
// glasses of the face-mask dataset's photos that the hat and mask probes
// learn, when KYCGATE_WEB_EYEWEAR names the folder they were extracted to
// (testdata/mask_photo_hats.tsv says how; the photos are web-scraped, so
// they stay out of the repository and of CI, and the test skips without
// them). testdata/mask_photo_eyewear.tsv names the photos in sunglasses
// and in clear glasses; only those are scored (bare eyes are scored on
// the web samples of TestEvaluateWebPhotos). The lens probe never learnt
// these photos. Most of their sunglasses are worn over a mask, which only
// two of the evaluation's real photos show (docs/selfie.md, "Real lenses
// for the lens probe").
func TestEvaluateWebEyewear(t *testing.T) {
	dir := os.Getenv("KYCGATE_WEB_EYEWEAR")
	if dir == "" {
		t.Skip("KYCGATE_WEB_EYEWEAR not set")
	}
	labels := readLabels(t, "mask_photo_eyewear.tsv")
	var paths []string
	for _, name := range slices.Sorted(maps.Keys(labels)) {
		paths = append(paths, filepath.Join(dir, filepath.FromSlash(name)))
	}
	groups := func(path string) []string {
		rel, _ := filepath.Rel(dir, path)
		label := labels[filepath.ToSlash(rel)]
		if slices.Contains(label, DetailSunglasses+"?") {
			return nil
		}
		return label
	}
	var out strings.Builder
	rates := scoreWebPhotos(t, models(t), "eyewear", paths, groups, &out)
	t.Log("\n" + out.String())
	// Measured in session 41: sunglasses on 19 of the 30 judged faces in
	// sunglasses (0.633; of the other 24 of the 54 photos, close-ups of
	// lenses over a mask, 12 have no face found and 12 one too small), and
	// on 11 of the 131 judged in clear glasses (0.084; 170 photos), each
	// for manual review, found by six different rules.
	if r := rates[DetailSunglasses+":"+DetailSunglasses]; r < 0.6 {
		t.Errorf("sunglasses found on %.3f of the judged faces in sunglasses, want at least 0.6", r)
	}
	if r := rates["eyeglasses:"+DetailSunglasses]; r > 0.09 {
		t.Errorf("sunglasses reported on %.3f of the judged faces in clear glasses, want at most 0.09", r)
	}
	if r := rates["eyeglasses:"+sure+DetailSunglasses]; r > 0 {
		t.Errorf("sure sunglasses reported on %.3f of the judged faces in clear glasses, want none", r)
	}
}

// bareHead groups the web selfies of people with no hat.
const bareHead = "bare head"

// sure prefixes the rates of findings not sent to manual review.
const sure = "sure:"

// scoreWebFolder runs the check on every photo in dir and counts each in
// the groups that groups gives its file name; a photo in no group is left
// out. It writes the count of each finding per group to out, and returns
// the share of each group's judged faces (a face found and large enough)
// that each occlusion detail was found on, keyed by the group, a colon
// and the detail, and found on without manual review, keyed by the
// group, a colon, sure and the detail.
func scoreWebFolder(t *testing.T, m *face.Models, dir string, groups func(name string) []string, out *strings.Builder) map[string]float64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no photos in %s", dir)
	}
	return scoreWebPhotos(t, m, filepath.Base(dir), files, func(path string) []string { return groups(filepath.Base(path)) }, out)
}

// scoreWebPhotos is scoreWebFolder for the photos at paths, named name in
// out; groups is given each path.
func scoreWebPhotos(t *testing.T, m *face.Models, name string, paths []string, groups func(path string) []string, out *strings.Builder) map[string]float64 {
	t.Helper()
	type tally struct {
		photos, judged  int
		counts, reviews map[string]int
	}
	tallies := map[string]*tally{}
	for _, p := range paths {
		in := groups(p)
		if len(in) == 0 {
			continue
		}
		rep, isJudged, err := judgePhoto(t, m, p)
		for _, g := range in {
			tl := tallies[g]
			if tl == nil {
				tl = &tally{counts: map[string]int{}, reviews: map[string]int{}}
				tallies[g] = tl
			}
			tl.photos++
			if err != nil {
				tl.counts["unreadable"]++
				continue
			}
			if isJudged {
				tl.judged++
			}
			for _, f := range rep.Findings {
				if f.Code == kycgate.FaceOccluded && !isJudged {
					// A mask beside FACE_NOT_FOUND too_small
					// (MinMaskPixels): the rates are of judged faces.
					continue
				}
				tl.counts[codeOf(f)]++
				if f.Review {
					tl.reviews[codeOf(f)]++
				}
			}
		}
	}
	rates := map[string]float64{}
	for _, g := range slices.Sorted(maps.Keys(tallies)) {
		tl := tallies[g]
		title := name
		if g != name {
			title += " (" + g + ")"
		}
		fmt.Fprintf(out, "%s: %d photos, %d judged\n", title, tl.photos, tl.judged)
		for _, k := range slices.Sorted(maps.Keys(tl.counts)) {
			fmt.Fprintf(out, "  %-34s %4d", k, tl.counts[k])
			if strings.HasPrefix(k, string(kycgate.FaceOccluded)) {
				fmt.Fprintf(out, "  (%.3f of judged)", float64(tl.counts[k])/float64(max(tl.judged, 1)))
			}
			if tl.reviews[k] > 0 {
				fmt.Fprintf(out, "  %d to manual review", tl.reviews[k])
			}
			fmt.Fprintln(out)
		}
		rates[g+":judged"] = float64(tl.judged) / float64(max(tl.photos, 1))
		for _, d := range []string{DetailMask, DetailSunglasses, DetailHat} {
			k := string(kycgate.FaceOccluded) + ":" + d
			rates[g+":"+d] = float64(tl.counts[k]) / float64(max(tl.judged, 1))
			rates[g+":"+sure+d] = float64(tl.counts[k]-tl.reviews[k]) / float64(max(tl.judged, 1))
		}
	}
	return rates
}

// judgePhoto runs the check on the photo at path and reports whether its
// face was judged: found, and large enough for the region tests. The error
// is the decoder's, for a photo that is not one.
func judgePhoto(t *testing.T, m *face.Models, path string) (rep Report, judged bool, err error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = AnalyzeFile(data, m)
	if err != nil {
		return rep, false, err
	}
	codes := rep.Codes()
	judged = !slices.Contains(codes, string(kycgate.FaceNotFound)) && !rep.tooSmall()
	return rep, judged, nil
}

// TestEvaluateWebPortraits scores the check on the 1,760 portraits of
// santaz-sahithi/InterfaceGAN's Fake_Dataset, when KYCGATE_WEB_PORTRAITS
// names a folder holding that folder (docs/selfie.md, "Dark circles"):
// 1,030 real photos (CelebA-HQ, LFW and FFHQ crops) and 730 faces that
// GANs trained on them drew. CelebA is for non-commercial research, so the
// photos stay out of the repository and of CI; the test skips without
// them. testdata/portrait_labels.tsv names those in a hat or sunglasses;
// every other face is bare, and a finding on it is false. Sure findings
// (not sent to manual review) on bare faces are the ones an applicant
// cannot fix, and are guarded apart.
func TestEvaluateWebPortraits(t *testing.T) {
	dir := os.Getenv("KYCGATE_WEB_PORTRAITS")
	if dir == "" {
		t.Skip("KYCGATE_WEB_PORTRAITS not set")
	}
	labels := readLabels(t, "portrait_labels.tsv")
	files, err := filepath.Glob(filepath.Join(dir, "Fake_Dataset", "*", "*", "*.jpg"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no portraits in %s/Fake_Dataset", dir)
	}
	m := models(t)
	type tally struct{ labelled, found, bare, falseAll, falseSure int }
	tallies := map[string]*tally{}
	for _, d := range []string{DetailSunglasses, DetailHat, DetailMask} {
		tallies[d] = &tally{}
	}
	judged := 0
	for _, p := range files {
		rep, isJudged, err := judgePhoto(t, m, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !isJudged {
			continue
		}
		judged++
		rel, _ := filepath.Rel(dir, p)
		for d, tl := range tallies {
			found, sure := false, false
			for _, f := range rep.Findings {
				if f.Code == kycgate.FaceOccluded && f.Detail == d {
					found, sure = true, !f.Review
				}
			}
			switch label := labels[filepath.ToSlash(rel)]; {
			case slices.Contains(label, d):
				tl.labelled++
				if found {
					tl.found++
				}
			case slices.Contains(label, d+"?"):
			default:
				tl.bare++
				if found {
					tl.falseAll++
				}
				if sure {
					tl.falseSure++
				}
			}
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%d portraits, %d judged\n", len(files), judged)
	rate := func(n, of int) float64 { return float64(n) / float64(max(of, 1)) }
	for _, d := range []string{DetailSunglasses, DetailHat, DetailMask} {
		tl := tallies[d]
		fmt.Fprintf(&out, "  %-10s found on %d of %d labelled; on %d bare: %d false (%.3f), %d of them sure (%.3f)\n",
			d, tl.found, tl.labelled, tl.bare, tl.falseAll, rate(tl.falseAll, tl.bare), tl.falseSure, rate(tl.falseSure, tl.bare))
	}
	t.Log("\n" + out.String())
	// Measured in session 16: sunglasses on 26 of 26 labelled; sure false
	// sunglasses on 9 of 1,663 bare faces (22 before a lens's rim alone
	// had to show beside the eyes' middle too, SunglassesRimBeside), sure
	// false hats on 4 of 1,623, false masks on 12 of 1,698 (16 before the
	// mask rules skipped a lower face outside the photo). Since session
	// 17 a mask found by one rule alone goes to manual review
	// (MaskSureRules): 3 of the 12 are sure.
	sun, hat, mask := tallies[DetailSunglasses], tallies[DetailHat], tallies[DetailMask]
	if r := rate(sun.found, sun.labelled); r < 0.95 {
		t.Errorf("sunglasses found on %.3f of the labelled portraits, want at least 0.95", r)
	}
	// Hats: 20 of 63 by the rules, 23 since the hat probe also finds
	// them (session 18, HatProbeFind; none of these portraits is in
	// its training set), 27 since it learnt hats of cloth (session 28)
	// and 30 since it learnt real hats (session 32, none of them
	// portraits), 38 since it reads the head by bands of rows (session
	// 35).
	if r := rate(hat.found, hat.labelled); r < 0.6 {
		t.Errorf("hats found on %.3f of the labelled portraits, want at least 0.6", r)
	}
	// Sure false sunglasses: 2 of 1,663 since sure lens rules must stay
	// sure on the photo with its shadows lifted (session 19,
	// SunglassesLift).
	if r := rate(sun.falseSure, sun.bare); r > 0.002 {
		t.Errorf("sure sunglasses on %.4f of the bare portraits, want at most 0.002", r)
	}
	// All false sunglasses, manual review included: 42 of 1,663 until
	// session 22, 44 since session 23 (two heavy frames over clear
	// glasses, LensProbeRim), 45 since session 27: a 114-px photo of a
	// man in glasses whose lenses look grey-tinted (File_1,025,
	// LensProbeSkinless). Reviewers see them; a rise means a rule took a
	// bare eye for a lens.
	if r := rate(sun.falseAll, sun.bare); r > 0.028 {
		t.Errorf("sunglasses on %.4f of the bare portraits, want at most 0.028", r)
	}
	// All false hats, manual review included: 16 of 1,623 in session
	// 29, 13 since the probe overrules a hat that one forehead rule
	// alone found (session 30, HatProbeDrop), 8 since the probe learnt
	// real hats (session 32), and 8 since it reads the head by bands of
	// rows (session 35; 9 at the HatProbeDrop of before, 0.02), and 4
	// since its low score overrules the band rule and two forehead rules
	// too (session 36: hatProbeOverrules); 5 since the probe was refitted
	// without the photos ../shared holds (session 39: File_10,143 at
	// 0.891, over HatProbeFind).
	if r := rate(hat.falseAll, hat.bare); r > 0.0035 {
		t.Errorf("hats on %.4f of the bare portraits, want at most 0.0035", r)
	}
	// Sure false hats: 4 of 1,623 until session 18, none since the hat
	// probe's second opinion (HatProbeSure).
	if r := rate(hat.falseSure, hat.bare); r > 0.001 {
		t.Errorf("sure hats on %.4f of the bare portraits, want at most 0.001", r)
	}
	if r := rate(mask.falseSure, mask.bare); r > 0.003 {
		t.Errorf("sure masks on %.4f of the bare portraits, want at most 0.003", r)
	}
	// All false masks, manual review included: 12 of 1,698 until
	// session 38, 7 since the mask probe overrules doubtful ones
	// (MaskProbeDrop) and finds its own (MaskProbeFind, for review); 8
	// since its lower bar where nothing else is covered (session 39,
	// MaskProbeFindAlone: a moustache over the lips, 0.85).
	if r := rate(mask.falseAll, mask.bare); r > 0.005 {
		t.Errorf("masks on %.4f of the bare portraits, want at most 0.005", r)
	}
}

// readLabels reads a file of labels in testdata, one LABEL<TAB>PATH a
// line, and returns the labels of each path.
func readLabels(t *testing.T, file string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string][]string{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, path, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: %q is not LABEL<TAB>PATH", file, line)
		}
		labels[path] = append(labels[path], label)
	}
	return labels
}

// readPhoto reads and decodes the photo at path, as the check would take
// it; false when it is no image the check accepts (the web sets hold a
// few).
func readPhoto(t *testing.T, path string) (image.Image, bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	return img, err == nil
}

// TestEvaluateWebUnjudged measures what a face too small or too dark to
// judge is still looked at for (MinMaskPixels, DarkFaceMask), on the web
// masks of TestEvaluateWebPhotos (KYCGATE_WEB_MASKS; skipped without it,
// for the same licence reasons): each judged face shrunk until it is
// 40–60 px wide, and darkened until its mean luma is 0.07–0.15 with
// sensor noise (docs/selfie.md, "Faces too small to judge", "Masks in the
// dark"). The width and the luma are drawn per photo from its name, so
// the figures repeat.
func TestEvaluateWebUnjudged(t *testing.T) {
	dir := os.Getenv("KYCGATE_WEB_MASKS")
	if dir == "" {
		t.Skip("KYCGATE_WEB_MASKS not set")
	}
	m := models(t)
	cfg := DefaultConfig()
	type tally struct{ faces, judged, masks int }
	tallies := map[string]*tally{}
	var out strings.Builder
	for _, folder := range []string{"with_mask", "without_mask"} {
		files, _ := filepath.Glob(filepath.Join(dir, folder, "*"))
		for _, p := range files {
			img, ok := readPhoto(t, p)
			if !ok {
				continue
			}
			img = shrink(img, analyzeMaxSide)
			rep := Analyze(img, m, cfg)
			w, luma := rep.Metrics["face_width_px"], rep.Metrics["face_luma"]
			if rep.regions == nil || w < cfg.MinFacePixels || luma <= 0 {
				continue
			}
			h := fnv.New32a()
			h.Write([]byte(filepath.Base(p)))
			draw := float64(h.Sum32()%1000) / 1000
			for _, v := range []struct {
				name  string
				img   image.Image
				codes []string // the findings that leave the face unjudged
			}{
				// Shrunk whole, a tight crop becomes a photo where no
				// face can be wide enough: IMAGE_LOW_RESOLUTION.
				{"shrunk", capture.Scaled(img, (40+20*draw)/w), []string{string(kycgate.FaceNotFound) + ":" + DetailTooSmall, string(kycgate.ImageLowResolution)}},
				{"darkened", capture.Darkened(img, (0.07+0.08*draw)/luma, 2, int64(h.Sum32())), []string{string(kycgate.FaceTooDark)}},
			} {
				rep := Analyze(v.img, m, cfg)
				key := folder + " " + v.name
				if tallies[key] == nil {
					tallies[key] = &tally{}
				}
				tl := tallies[key]
				codes := rep.Codes()
				if !slices.ContainsFunc(codes, func(c string) bool {
					return slices.ContainsFunc(v.codes, func(u string) bool { return strings.HasPrefix(c, u) })
				}) {
					continue
				}
				tl.faces++
				if _, judged := rep.Metrics["mask_rules"]; judged {
					tl.judged++
				}
				if slices.Contains(codes, string(kycgate.FaceOccluded)+":"+DetailMask) {
					tl.masks++
				}
			}
		}
	}
	keys := slices.Sorted(maps.Keys(tallies))
	for _, k := range keys {
		tl := tallies[k]
		fmt.Fprintf(&out, "%-22s %4d not judged, %4d of them looked at for a mask, mask reported on %d\n", k, tl.faces, tl.judged, tl.masks)
	}
	t.Log("\n" + out.String())
	// Measured in session 25, of the faces looked at for a mask: shrunk,
	// masks on 61 of 81 masked faces and 1 of 154 bare ones; darkened, on
	// 17 of 36 and 0 of 89.
	rate := func(k string) float64 {
		tl := tallies[k]
		if tl == nil {
			return 0
		}
		return float64(tl.masks) / float64(max(tl.judged, 1))
	}
	for _, g := range []struct {
		key      string
		min, max float64
	}{
		{"with_mask shrunk", 0.6, 1}, {"without_mask shrunk", 0, 0.02},
		{"with_mask darkened", 0.25, 1}, {"without_mask darkened", 0, 0.02},
	} {
		if r := rate(g.key); r < g.min || r > g.max {
			t.Errorf("%s: masks on %.3f of the faces looked at, want %.2f–%.2f", g.key, r, g.min, g.max)
		}
	}
}
