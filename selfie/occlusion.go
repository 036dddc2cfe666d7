package selfie

import (
	"fmt"
	"image"
	"math"

	"github.com/kycgate/kycgate/face"
)

// parts are the measured face regions and the skin reference.
type parts struct {
	grey                         bool
	eyeR, eyeL                   stats
	coreR, coreL                 stats
	cheekR, cheekL               stats
	lower, fore                  stats
	edge                         float64
	brimEdge                     float64
	ref                          stats
	mouthOpen                    float64
	mouthBand                    stats
	lowerLip, philtrum, chinSkin stats
	upper                        stats
	crowns                       []crownStats
	// coreShifts are the middle of each eye region (right eye, left
	// eye) moved up or down by each of coreShifts.
	coreShifts [2][]stats
	// eyeReblur is the eye band's re-blur ratio (quality.Reblur): near 1
	// when the eyes are out of focus, 0 when unmeasured.
	eyeReblur float64
	// rims are each eye's lensRim bands (inner, outer luma; -1 when
	// the search lies outside the photo) below the eye's middle, and
	// rimsBeside the same below the eye's outer half, rimBeside
	// interocular distances toward the temple.
	rims, rimsBeside [2][2]float64
}

// rimBeside is how far from the eye's centre, toward the temple, the
// second lensRim column lies, in interocular distances: under the outer
// half of the eye (the column spans 0.13–0.37), which a lens covers and
// the dark circles or the shadow of a deep-set eye mostly do not.
const rimBeside = 0.25

// measureParts measures the eye, cheek, lower-face and forehead regions and
// picks the skin reference: whichever of cheeks and forehead looks most
// like skin (a mask hides the cheeks, a hat the forehead).
func measureParts(img image.Image, g layout) parts {
	p := parts{
		grey:      isGreyscale(img, g.face),
		eyeR:      rankedStats(img, g.eyeR),
		eyeL:      rankedStats(img, g.eyeL),
		coreR:     rankedStats(img, g.eyeCoreR),
		coreL:     rankedStats(img, g.eyeCoreL),
		cheekR:    regionStats(img, g.cheekR),
		cheekL:    regionStats(img, g.cheekL),
		lower:     rankedStats(img, g.lower),
		fore:      regionStats(img, g.forehead),
		edge:      rowEdge(img, g.foreheadBand),
		brimEdge:  rowEdge(img, g.brimSearch),
		mouthOpen: g.mouthOpen,
		upper:     rankedStats(img, g.upperForehead),
		crowns:    measureCrowns(img, g.crowns),
		mouthBand: rankedStats(img, g.mouthBand),
		lowerLip:  regionStats(img, g.lowerLip),
		philtrum:  regionStats(img, g.philtrum),
		chinSkin:  regionStats(img, g.chinSkin),
	}
	for i, c := range g.eyeCentres {
		p.rims[i][0], p.rims[i][1] = lensRim(img, c, g.iod)
		outward := rimBeside * g.iod
		if i == 0 {
			outward = -outward // the right eye is on the photo's left
		}
		p.rimsBeside[i][0], p.rimsBeside[i][1] = lensRim(img, face.Point{X: c.X + outward, Y: c.Y}, g.iod)
	}
	for i, c := range []image.Rectangle{g.eyeCoreR, g.eyeCoreL} {
		for _, f := range coreShifts {
			w := []stats{p.coreR, p.coreL}[i] // the middle itself, measured above
			if f != 0 {
				w = rankedStats(img, c.Add(image.Pt(0, int(math.Round(f*g.iod)))))
			}
			p.coreShifts[i] = append(p.coreShifts[i], w)
		}
	}
	p.ref = p.cheekR
	for _, s := range []stats{p.cheekL, p.fore} {
		if s.Skin > p.ref.Skin+0.1 || (p.grey && s.Y > p.ref.Y) {
			p.ref = s
		}
	}
	return p
}

// skinLuma is the luma the backlight test judges: that of the best-lit
// skin on the face, the skin-coloured pixels of whichever of the cheeks,
// forehead and eye regions is brightest among those that are mostly skin.
// Not the skin reference alone: dark hair is skin-coloured too, and under
// a fringe with a mask over the cheeks the reference is the fringe, while
// the lids around the eyes show the face's real exposure. The whole face's
// luma when no region is mostly skin.
func (p parts) skinLuma(face stats) float64 {
	best := -1.0
	for _, r := range []stats{p.eyeR, p.eyeL, p.cheekR, p.cheekL, p.fore} {
		if r.Skin >= 0.5 && r.Skin*float64(r.N) >= minSkinSamples {
			best = math.Max(best, r.SkinY)
		}
	}
	if best < 0 {
		return face.Y
	}
	return best
}

// eyeReference is the luma the eye regions are judged against: the skin
// reference's or, when the reference is not skin (a mask over the cheeks
// and a fringe or a hat over the forehead), that of the skin-coloured
// pixels of the region holding most of them — often the lids around the
// eyes. Against a black mask's luma any bare eye reads as bright as a
// lamp, and its dark iris as missing: a lens.
func (p parts) eyeReference(cfg Config) float64 {
	if p.grey || p.ref.Skin >= cfg.RefSkin {
		return p.ref.Y
	}
	best, most := p.ref.Y, 0.0
	for _, r := range []stats{p.eyeR, p.eyeL, p.cheekR, p.cheekL, p.fore} {
		if n := r.Skin * float64(r.N); n >= minSkinSamples && n > most {
			best, most = r.SkinY, n
		}
	}
	return best
}

// minSkinSamples is the fewest skin-coloured pixels a region needs for
// skinLuma to trust its luma.
const minSkinSamples = 32

// occlusion compares the eye, lower-face and forehead regions with the
// face's own skin and returns the details of what hides the face.
func occlusion(p parts, cfg Config, m map[string]float64) []string {
	ref := p.ref
	// An eye region outside the photo has nothing to say: the eye
	// measures are those of the regions in it.
	eyes := meanOfPresent(p.eyeR, p.eyeL)
	eyeSkin := eyes.Skin
	eyeRef := p.eyeReference(cfg)
	m["eye_ref_luma"] = eyeRef
	eyeRatio := eyes.Y / math.Max(eyeRef, 1e-3)
	m["eye_ratio"] = eyeRatio
	m["eye_skin"] = eyeSkin
	// A lens pair colours both eyes: the less vivid of the two.
	eyeVivid := math.Min(p.eyeR.Vivid, p.eyeL.Vivid)
	m["eye_vivid"], m["ref_vivid"] = eyeVivid, ref.Vivid
	m["eye_bright"] = eyes.Bright
	m["eye_grad"] = eyes.Grad
	m["ref_skin"] = ref.Skin
	m["ref_luma"] = ref.Y
	m["lower_skin"] = p.lower.Skin
	m["lower_chroma_dist"] = chromaDist(p.lower, ref)
	m["lower_luma_ratio"] = p.lower.Y / math.Max(ref.Y, 1e-3)
	m["forehead_skin"] = p.fore.Skin
	m["forehead_chroma_dist"] = chromaDist(p.fore, ref)
	m["forehead_edge"] = p.edge
	m["greyscale"] = b2f(p.grey)
	m["mouth_open"] = p.mouthOpen
	m["upper_forehead_skin"] = p.upper.Skin
	upperGrad := p.upper.GradMed / math.Max(p.upper.Y, 1e-3)
	m["upper_forehead_grad"] = upperGrad
	// The top of the head, each band: -1 when it lies outside the photo
	// or nothing beside the head is in it.
	brimEdge := p.brimEdge / math.Max(p.fore.Y, 1e-3)
	m["brim_edge"] = brimEdge
	crownCover := false
	for i, c := range p.crowns {
		grad, std, beside := c.measures()
		key := "crown"
		if i > 0 {
			key = fmt.Sprintf("crown%d", i+1)
		}
		m[key+"_grad"], m[key+"_std"], m[key+"_beside"] = grad, std, beside
		m[key+"_dyed"] = -1
		if grad >= 0 {
			m[key+"_dyed"] = c.top.Dyed
		}
		// A hat worn above a bare forehead covers the top of the head
		// with one uniform surface that is neither hair nor the
		// background, and ends in a brim or band across the forehead.
		if grad >= 0 && grad < cfg.HatCrownGrad && std < cfg.HatCrownStd && beside > cfg.HatCrownBeside && brimEdge > cfg.HatCrownEdge {
			crownCover = true
		}
	}
	// The most skin-like region says whether this photo shows skin at all
	// (colour balance): only then is a lower face without skin a mask.
	bestSkin := math.Max(math.Max(math.Max(p.cheekR.Skin, p.cheekL.Skin), math.Max(p.eyeR.Skin, p.eyeL.Skin)), p.fore.Skin)
	m["best_skin"] = bestSkin
	lowerSat := p.lower.Sat / math.Max(ref.Sat, 1e-3)
	m["lower_sat_ratio"] = lowerSat
	// Texture relative to the face's own skin reference: resolution, focus
	// and noise raise or lower both alike.
	upperTex := relTexture(p.upper) / math.Max(relTexture(ref), 1e-3)
	m["upper_forehead_tex"] = upperTex
	// Across the line between the lips a face always shows contrast: the
	// gap, the lips' edges, the teeth. A mask over the mouth is one
	// surface there (its luma varies by a few per cent). Coefficient of
	// variation, so exposure and skin tone cancel; -1 when there is no
	// band (no landmarks, or too few pixels to judge).
	mouthCV := -1.0
	if p.mouthBand.N >= minBandSamples {
		mouthCV = p.mouthBand.YStd / math.Max(p.mouthBand.Y, 1e-3)
	}
	m["mouth_band_cv"] = mouthCV
	// How much redder the lower lip is than the skin both above the
	// upper lip and below the lower one, 0–255 scale; -1 when unmeasured
	// (no landmarks, a small face). Both: a mask covers the skin above
	// the lips and often the chin, and a patterned one can put a red
	// patch where the landmarks guess the lips.
	lipRedness := -1.0
	if p.lowerLip.N >= minBandSamples && p.philtrum.N >= minBandSamples && p.chinSkin.N >= minBandSamples {
		lipRedness = (p.lowerLip.Cr - math.Max(p.philtrum.Cr, p.chinSkin.Cr)) * 255
	}
	m["lip_redness"] = lipRedness
	lipsSeen := lipRedness >= cfg.MaskLipRedness
	// The line between the lips is the darkest part of a bare lower face,
	// closed or open: the gap's shadow, the mouth, the corners beside the
	// teeth. The darkest twentieth of the band along it against the skin
	// above the upper lip and below the lower one; -1 when unmeasured. On
	// a mask the landmarks put all three on the fabric, which has no such
	// line: a pattern's dots or checks are no darker than its ground.
	lipLine := -1.0
	if p.mouthBand.N >= minBandSamples && p.philtrum.N >= minBandSamples && p.chinSkin.N >= minBandSamples {
		lipLine = p.mouthBand.Low / math.Max((p.philtrum.Y+p.chinSkin.Y)/2, 1e-3)
	}
	m["lip_line"] = lipLine

	// Lenses hide the eye's own contrast (white, iris, lids): an eye region
	// that is dark and flat is a lens; a dark one with that contrast is a
	// shadowed or dark-skinned eye, or clear glasses.
	eyeStd := eyes.YStd / math.Max(eyeRef, 1e-3)
	m["eye_std"] = eyeStd
	// A bare eye always has something bright: the white, a lit lid. When
	// even the brightest tenth of the eye regions is dark, a lens covers
	// them all — whatever contrast its frame adds.
	eyeTop := -1.0
	if eyes.N > 0 {
		eyeTop = eyes.Top / math.Max(eyeRef, 1e-3)
	}
	m["eye_top"] = eyeTop
	// Every bare eye has a dark part in the middle of its region (the
	// iris and pupil, or the lash line); the darkest twentieth of the
	// darker eye's middle says whether both lost theirs. Only the middle:
	// the region's corners take in brows, hair and the lens's frame. -1
	// when an eye is outside the photo.
	eyeDark := -1.0
	if p.coreR.N > 0 && p.coreL.N > 0 {
		eyeDark = math.Min(p.coreR.Low, p.coreL.Low) / math.Max(eyeRef, 1e-3)
	}
	m["eye_dark"] = eyeDark
	// The flattest window that is not skin at or below each eye (the
	// landmark net, blind to an opaque lens, may put the eye on the
	// brow): the larger of the two eyes', so a bare eye keeps it high.
	flatWindow := 0.0
	for _, shifts := range p.coreShifts {
		best := math.Inf(1)
		for _, w := range shifts {
			luma := w.Y / math.Max(eyeRef, 1e-3)
			if w.N > 0 && (chromaDist(w, ref) > lensChroma || luma < lensDarker || luma > lensBrighter) {
				best = math.Min(best, (w.Top-w.Low)/math.Max(eyeRef, 1e-3))
			}
		}
		flatWindow = math.Max(flatWindow, best)
	}
	m["eye_flat_window"] = math.Min(flatWindow, 9)
	// A lens of any colour — mirrored, tinted blue, red, white — is one
	// surface: most of the eye regions are not skin and those pixels are
	// all alike, where a bare eye's (sclera, iris, lashes, a frame) are
	// not.
	eyeOther := eyes.Other
	eyeOtherSpread := eyes.OtherSpread / math.Max(eyeRef, 1e-3)
	m["eye_cover"] = eyeOther
	m["eye_cover_spread"] = eyeOtherSpread
	// A blurred eye is flat and has no dark middle, as a light lens has:
	// those two rules judge only a sharp eye band.
	sharpEyes := p.eyeReblur < cfg.SunglassesSharp
	lowerRatio := p.lower.Y / math.Max(ref.Y, 1e-3)
	// A wide-open mouth is dark and not skin-coloured either, but darker
	// than any mask fabric measured: MaskMinLuma keeps it a face. A lower
	// face that is skin-coloured throughout but of another shade (a beard,
	// make-up, shadow) is no mask: MaskChromaSkin.
	// When the landmarks show closed lips the darkness cannot be the
	// mouth: a black mask. Nor can it when not one pixel in twenty is
	// skin-coloured (MaskSureSkin): an open mouth leaves its lips and the
	// chin below in the region, and the landmark net, guessing behind a
	// patterned fabric, reads its checks as parted lips.
	notMouth := lowerRatio > cfg.MaskMinLuma || p.mouthOpen >= 0 && p.mouthOpen < cfg.MaskMouthClosed || p.lower.Skin < cfg.MaskSureSkin
	// White and light grey fabric reflects the same light as the skin
	// beside it, so under warm light its chroma falls inside the skin box;
	// but it is less saturated than skin and, having a higher albedo,
	// brighter.
	pale := lowerSat < cfg.MaskPaleSat && lowerRatio > cfg.MaskPaleLuma
	// Black and dark grey fabric is its dark counterpart: warm light puts
	// its few chroma counts just above neutral, inside the skin box, so
	// the low-skin rule misses it; but it is dark and, for its luma, far
	// less saturated than the skin. Skin in shadow (a beard's, a turned
	// cheek's) keeps its saturation for its luma. Only a lower face the
	// skin box takes for skin: one that is not, dark and grey, may be a
	// wide-open mouth's cavity under a dark beard, and the low-skin rule
	// judges it (example3 of the eyeglasses photos).
	darkGrey := p.lower.Skin >= cfg.MaskSkin && lowerRatio < cfg.MaskDarkLuma && lowerSat < cfg.MaskDarkSat*lowerRatio
	noLips := mouthCV >= 0 && mouthCV < cfg.MaskMouthFlat && !lipsSeen
	lowerOtherSpread := p.lower.OtherSpread / math.Max(ref.Y, 1e-3)
	m["lower_other"], m["lower_other_spread"] = p.lower.Other, lowerOtherSpread
	fabric := p.lower.Other > cfg.MaskOther && lowerOtherSpread < cfg.MaskOtherSpread && bestSkin > cfg.RefSkin
	// Cheeks covered: the more skin-coloured of the cheeks in the photo
	// (-1 when neither is).
	cheekSkin := -1.0
	for _, c := range []stats{p.cheekR, p.cheekL} {
		if c.Inside >= minInside {
			cheekSkin = math.Max(cheekSkin, c.Skin)
		}
	}
	m["cheek_skin"] = cheekSkin
	coveredCheeks := cheekSkin >= 0 && cheekSkin < cfg.MaskCheekSkin && eyeSkin >= cfg.MaskCheekEyeSkin
	// A skin-coloured mask with a pattern: part of the lower face not
	// skin, and no dark line between the lips. A soft photo blurs the
	// line away too, so this rule finds masks for manual review only: it
	// never counts toward a sure mask (mask_rules).
	noLipLine := false
	// A lower face mostly outside the photo (a chin cut off by the frame)
	// measured no skin, not a mask.
	lowerIn := p.lower.Inside >= minInside
	m["lower_inside"] = p.lower.Inside
	maskRules, noSkin := 0.0, false
	if lowerIn && !p.grey {
		lowSkin := p.lower.Skin < cfg.MaskSkin && bestSkin > cfg.RefSkin && notMouth
		// No skin at all below the nose of a face that is plainly skin
		// elsewhere is fabric, whatever the other rules say.
		noSkin = lowSkin && p.lower.Skin < cfg.MaskSureSkin && bestSkin > cfg.MaskSureFaceSkin
		noLipLine = lipLine > cfg.MaskLipLine && p.lower.Skin < cfg.MaskLipLineSkin && !lipsSeen
		for _, r := range []bool{
			lowSkin,
			chromaDist(p.lower, ref) > cfg.MaskChroma && p.lower.Skin < cfg.MaskChromaSkin && !lipsSeen,
			pale || darkGrey,
			noLips,
			fabric,
			coveredCheeks,
		} {
			maskRules += b2f(r)
		}
	}
	// How many mask rules agree: one alone is what a hand, a shadow or
	// pursed lips also give (docs/selfie.md, "One mask rule alone").
	m["mask_rules"] = maskRules
	m["mask_no_skin"] = b2f(noSkin)
	m["mask_lip_line"] = b2f(noLipLine)
	masked := maskRules > 0 || noLipLine

	// The lower rim of a tinted lens (lensRim): the weaker of the two
	// eyes' steps, so both lenses must show one. Judged only on a face
	// whose lower face is bare skin: a mask's upper edge and its stripes
	// draw such steps too.
	rimStep, rimInner := weakerRim(p.rims)
	rimInner /= math.Max(eyeRef, 1e-3)
	besideStep, _ := weakerRim(p.rimsBeside)
	m["lens_rim_step"], m["lens_rim_inner"], m["lens_rim_beside"] = rimStep, rimInner, besideStep
	rim := rimStep > cfg.SunglassesRimStep && rimInner < cfg.SunglassesRimInner && p.lower.Skin >= cfg.MaskSkin && !masked
	m["lens_rim"] = b2f(rim)

	var out []string
	lensRules := 0.0
	for _, r := range []bool{
		eyeRatio < cfg.SunglassesRatio && (p.grey || eyeSkin < cfg.SunglassesSkin),
		eyeRatio < cfg.SunglassesFlatRatio && eyeStd < cfg.SunglassesFlatStd && sharpEyes,
		eyeTop >= 0 && eyeTop < cfg.SunglassesTop,
		!p.grey && eyeOther > cfg.SunglassesCover && eyeOtherSpread < cfg.SunglassesCoverSpread,
		eyeStd < cfg.SunglassesUniform,
		eyeDark > cfg.SunglassesNoDark && sharpEyes,
		flatWindow < cfg.SunglassesFlatWindow && sharpEyes,
		rim,
	} {
		lensRules += b2f(r)
	}
	// How many lens rules agree: one alone is what hard light, a squint or
	// a light tint also gives (docs/selfie.md, "Web photos").
	m["sunglasses_rules"] = lensRules
	// Real lenses reflect the room, and gradient and mirrored tints are
	// lighter than the rules above allow; but their colour is seldom
	// skin's, and a lens ends in a rim over the cheek beside the eye too,
	// where dark circles do not reach. Either alone is what eye make-up, a
	// colour cast or a deep-set eye also shows, so this finds sunglasses
	// for manual review only: it never counts toward sunglasses_rules.
	// On a photo with a colour cast no part of the face is skin-coloured,
	// and a low eye_skin means nothing (bestSkin, as for the masks).
	lensColour := !p.grey && bestSkin > cfg.RefSkin && eyeSkin < cfg.LensColourSkin && besideStep > cfg.LensColourRimBeside
	m["lens_colour"] = b2f(lensColour)
	// Mirrored and coloured lenses are blue, green or purple, which no
	// lid, iris or eye make-up of a bare eye covers most of; a colour
	// cast can, but it turns the skin reference vivid too. Manual review
	// only, like lensColour.
	lensVivid := cfg.LensVivid > 0 && !p.grey && eyeVivid >= cfg.LensVivid && ref.Vivid < cfg.LensVividCast
	m["lens_vivid"] = b2f(lensVivid)
	if eyes.N > 0 && (lensRules > 0 || lensColour || lensVivid) {
		out = append(out, DetailSunglasses)
	}
	if masked {
		out = append(out, DetailMask)
	}
	// The forehead's skin share is judged against the best-lit skin
	// elsewhere on the same face (cheeks, or the lids around the eyes when
	// a mask hides the cheeks): some skin falls outside the chroma box in
	// any light, and a masked face has no other reference than its
	// forehead, which cannot be compared with itself.
	otherSkin := math.Max(math.Max(p.cheekR.Skin, p.cheekL.Skin), eyeSkin)
	m["other_skin"] = otherSkin
	// A fringe hides the forehead's skin as a cap does, but the hair goes
	// on above it, textured by its strands; a cap's crown there is flat.
	lowSkin := p.fore.Skin < cfg.HatSkin && p.fore.Skin < otherSkin-cfg.HatSkinGap && upperTex < cfg.HatHairTex
	// A cap worn higher, or one of skin-like colour over the lower
	// forehead, still covers the upper forehead with a surface that is
	// not skin and, unlike hair, flat: fabric has no strands. The median
	// gradient, so that a brim's edge crossing the region does not count
	// as texture; but dark soft hair, whose median gradient is low too,
	// still has the strands' texture on average.
	flatCover := p.upper.Skin < cfg.HatUpperSkin && upperGrad < cfg.HatFlatGrad && upperTex < cfg.HatFlatHairTex
	// A region mostly outside the photo (a face at its top edge) has no
	// pixels to be skin: it says nothing about a hat.
	foreIn, upperIn := p.fore.Inside >= minInside, p.upper.Inside >= minInside
	m["forehead_inside"], m["upper_forehead_inside"] = p.fore.Inside, p.upper.Inside
	brimLine := chromaDist(p.fore, ref) > cfg.HatChroma && p.edge > cfg.HatEdge
	// A band: the forehead covered as for lowSkin, textured or not, below
	// a straight edge across the head.
	band := p.fore.Skin < cfg.HatSkin && p.fore.Skin < otherSkin-cfg.HatSkinGap && brimEdge > cfg.HatBandEdge
	// How many of the three forehead rules agree: one alone is what a
	// dark fringe on a small, soft photo also gives (docs/selfie.md, "Web
	// photos"), so the check sends such a hat to manual review.
	m["hat_forehead_rules"] = b2f(foreIn && lowSkin) + b2f(foreIn && brimLine) + b2f(upperIn && flatCover)
	// The band alone is as often a blunt-cut fringe as a cap on web
	// photos (session 11), so it never counts toward a sure hat: what it
	// finds alone goes to manual review.
	m["hat_band"] = b2f(foreIn && band)
	m["hat_crown"] = b2f(crownCover)
	m["crown_dyed_beside"] = dyedBeside(p.crowns)
	if !p.grey && (foreIn && (lowSkin || brimLine || band) || upperIn && flatCover || crownCover) {
		out = append(out, DetailHat)
	}
	return out
}

// dyedBeside is the larger share of dyed pixels (stats.Dyed) in the
// picture beside the head, either side, at the height of any crown band:
// a colour there is the background's, and above the head it may be too.
func dyedBeside(crowns []crownStats) float64 {
	out := 0.0
	for _, c := range crowns {
		out = max(out, c.besideR.Dyed, c.besideL.Dyed)
	}
	return out
}

// crownStats are the measures of one crown band (crownBand).
type crownStats struct{ top, besideR, besideL stats }

func measureCrowns(img image.Image, bands []crownBand) []crownStats {
	out := make([]crownStats, len(bands))
	for i, b := range bands {
		out[i] = crownStats{rankedStats(img, b.top), regionStats(img, b.besideR), regionStats(img, b.besideL)}
	}
	return out
}

// measures returns the band's median luma gradient and luma std, both
// over its luma, and its distance (chroma and luma) from the picture
// beside the head on the nearer side; all -1 when the band lies outside
// the photo, the distance also when nothing beside the head is in it.
func (c crownStats) measures() (grad, std, beside float64) {
	if c.top.N < minCrownSamples {
		return -1, -1, -1
	}
	grad = c.top.GradMed / math.Max(c.top.Y, 1e-3)
	std = c.top.YStd / math.Max(c.top.Y, 1e-3)
	beside = -1
	for _, b := range []stats{c.besideR, c.besideL} {
		if b.N < minCrownSamples {
			continue
		}
		// The nearer side: a wall beside the head on one side only
		// must not make the top of the head differ from it.
		if d := math.Hypot(chromaDist(c.top, b), c.top.Y-b.Y); beside < 0 || d < beside {
			beside = d
		}
	}
	return grad, std, beside
}

// coreShifts are where, in interocular distances below the eye centre
// (negative: above), the lens window rule (SunglassesFlatWindow) looks for
// an opaque lens.
var coreShifts = []float64{-0.08, 0, 0.08, 0.16, 0.24}

// A lens window is not skin: its chroma lensChroma from the skin's, or its
// luma below lensDarker or above lensBrighter times the skin's.
const lensChroma, lensDarker, lensBrighter = 0.08, 0.6, 1.4

// minInside is the share of a forehead, cheek or lower-face region that
// must lie in the photo for the hat or mask rules to judge it.
const minInside = 0.5

// minBandSamples is the fewest pixels the mouth band needs for its
// contrast to mean anything (a face at the 60-px minimum gives ~40).
const minBandSamples = 16

// minCrownSamples is the fewest pixels the top of the head and the picture
// beside it need to be compared.
const minCrownSamples = 64

// meanOfPresent averages the measures of the regions that lie in the photo
// (N > 0); N of the result is their number of pixels, 0 when none does.
func meanOfPresent(regions ...stats) stats {
	var out stats
	k := 0.0
	for _, r := range regions {
		if r.N == 0 {
			continue
		}
		k++
		out.N += r.N
		out.Y += r.Y
		out.YStd += r.YStd
		out.Skin += r.Skin
		out.Bright += r.Bright
		out.Grad += r.Grad
		out.Top += r.Top
		out.Other += r.Other
		out.OtherSpread += r.OtherSpread
	}
	if k == 0 {
		return out
	}
	out.Y, out.YStd, out.Skin, out.Bright = out.Y/k, out.YStd/k, out.Skin/k, out.Bright/k
	out.Grad, out.Top, out.Other, out.OtherSpread = out.Grad/k, out.Top/k, out.Other/k, out.OtherSpread/k
	return out
}

// relTexture is a region's mean luma gradient over its mean luma.
func relTexture(s stats) float64 { return s.Grad / math.Max(s.Y, 1e-3) }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// weakerRim returns the step (outer over inner luma) of the eye whose
// lensRim step is the smaller, so that both lenses must show one, and that
// eye's inner luma; -1, 0 when either eye's search left the photo.
func weakerRim(rims [2][2]float64) (step, inner float64) {
	step = math.Inf(1)
	for _, r := range rims {
		if r[0] < 0 {
			return -1, 0
		}
		if s := r[1] / math.Max(r[0], 1e-3); s < step {
			step, inner = s, r[0]
		}
	}
	return step, inner
}
