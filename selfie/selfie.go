// Package selfie judges whether a selfie is usable for identity
// verification: one face, large and whole in the frame, lit well enough, and
// not hidden by sunglasses, a mask or a hat. Each failure is a reason code
// the applicant can act on (FACE_NOT_FOUND, FACE_MULTIPLE, FACE_TOO_DARK,
// FACE_OCCLUDED with detail sunglasses, mask or hat).
//
// Faces come from package face (pigo's cascade, and face-api.js's CNN
// detectors for the faces it cannot see or is unsure of; 68 landmarks).
// The quality tests then measure luma, chroma and texture in face regions
// placed by the landmarks, comparing each region with the applicant's own
// skin elsewhere on the face, so the tests hold across skin tones and white
// balance. The thresholds and their measured precision and recall are in
// docs/selfie.md.
package selfie

import (
	"image"
	"maps"
	"math"
	"slices"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/capture"
	"github.com/kycgate/kycgate/internal/logreg"
	"github.com/kycgate/kycgate/quality"
)

// Details of FACE_NOT_FOUND and FACE_OCCLUDED findings.
const (
	DetailTooSmall   = "too_small"  // FACE_NOT_FOUND: a face, but too few pixels across
	DetailCutOff     = "cut_off"    // FACE_NOT_FOUND: part of the face is outside the photo
	DetailDark       = "dark"       // FACE_TOO_DARK: the face is underlit
	DetailBacklight  = "backlight"  // FACE_TOO_DARK: the face is dark against a bright background
	DetailSunglasses = "sunglasses" // FACE_OCCLUDED
	DetailMask       = "mask"       // FACE_OCCLUDED
	DetailHat        = "hat"        // FACE_OCCLUDED
)

// Config holds the decision thresholds; DefaultConfig documents each.
type Config struct {
	// SecondFaceRatio: another face at least this fraction of the main
	// face's width is a second person (smaller ones — a photo on a wall, an
	// ID card held up — are ignored).
	SecondFaceRatio float64
	// SecondFaceMinScore and SecondFaceScoreRatio: a cascade box is a
	// face (the main one or another) only if its score reaches both this
	// and this fraction of the best box's (face.MainFace). Real second
	// people score 70–120 on the shared photos, the cascade's stray
	// windows on curtains, shirts and sweaters 5–15.
	SecondFaceMinScore   float64
	SecondFaceScoreRatio float64
	// CascadeSureScore: a cascade face scoring below this is not trusted
	// alone; the CNN detector (face.Models.DetectCNN) is asked too, and
	// its faces win when it finds any. CNNMinScore is the CNN's face
	// probability a face needs (also for a second face).
	CascadeSureScore float64
	CNNMinScore      float64
	// WeakMinScore and WeakBorders: when no detector found a face, SSD runs
	// once more on the photo inside a black border of each of WeakBorders
	// times its longer side in turn, and a box scoring above WeakMinScore
	// is judged — but reported only when the landmarks fit it and an
	// occluder shows (weakFace). The wider border shrinks a face that
	// fills a tight crop to a size SSD scores well; the middle one, tried
	// last so that it changes no face the others find, catches a face in
	// profile or cut off that the widest shrinks too far (docs/selfie.md,
	// "Masks on blurred faces and tight crops"). WeakMinScore 0 turns
	// this off.
	WeakMinScore float64
	WeakBorders  []float64
	// MinFacePixels and MinFaceFraction: the face must be at least this many
	// pixels wide and this fraction of the photo's shorter side.
	MinFacePixels   float64
	MinFaceFraction float64
	// MaxFaceFill is the largest share of the photo's shorter side a
	// face fills and stays whole. A face too small in a photo whose
	// shorter side is under MinFacePixels / MaxFaceFill cannot be made
	// wide enough by coming closer: IMAGE_LOW_RESOLUTION, and the fix is
	// the camera's own photo rather than a thumbnail or a crop. So is a
	// photo that small in which no face is found at all.
	MaxFaceFill float64
	// MinMaskPixels: a face too small to judge (narrower than
	// MinFacePixels) but at least this many pixels wide is still looked at
	// for a mask the rules are sure of, so that the applicant asked to
	// come closer is also told to take the mask off, and the second try
	// passes. A face wide enough but small in the frame (under
	// MinFaceFraction) is looked at for every occluder. 0 turns both off.
	MinMaskPixels float64
	// DarkFaceMask: a face too dark to judge (FACE_TOO_DARK, dark or
	// backlit) but found on the photo as delivered is still looked at for
	// a mask, reported when at least MaskSureRules mask rules find it, for
	// the same reason: the applicant who turns to the light is also told
	// to take the mask off.
	DarkFaceMask bool
	// BlurredFaceMask: a face out of focus (IMAGE_BLURRY) is still looked
	// at for a mask, reported when the mask rules are sure of it, as on a
	// face too dark or too small: a blurred face loses the eyes' fine
	// detail, which the lens rules would read as sunglasses, but not the
	// lower face's colour, which the mask rules read.
	BlurredFaceMask bool
	// DarkImageLuma: with no face found, a photo darker than this (mean
	// luma 0–1) is reported as too dark rather than faceless.
	DarkImageLuma float64
	// MinFaceLuma: the face region's mean luma must reach this.
	MinFaceLuma float64
	// MinFaceContrast: the face region's luma standard deviation must
	// reach this, or the face is a flat dark patch.
	MinFaceContrast float64
	// BlurReblur: a selfie whose eye band and nose-and-mouth region both
	// keep more than this share of their finest detail under a further
	// slight blur (quality.Reblur, measured with the eyes
	// blurIOD pixels apart) is out of focus or shaken: IMAGE_BLURRY on
	// step selfie.
	BlurReblur float64
	// BacklightRatio and BacklightFaceLuma: a face whose skin is darker
	// than this fraction of the background, and below the given luma, is
	// backlit.
	BacklightRatio    float64
	BacklightFaceLuma float64
	// Sunglasses: eye regions darker than this fraction of the face's skin
	// reference and with fewer than SunglassesSkin skin-coloured pixels.
	SunglassesRatio float64
	SunglassesSkin  float64
	// SunglassesFlatRatio and SunglassesFlatStd: or eye regions darker
	// than this fraction of the skin and flat (luma std below this
	// fraction of the skin's luma): a lens, not an eye.
	SunglassesFlatRatio float64
	SunglassesFlatStd   float64
	// SunglassesTop: or the eye regions' 90th-percentile luma below this
	// fraction of the skin's: nothing bright (no eye white, no lit lid)
	// anywhere around the eyes.
	SunglassesTop float64
	// SunglassesCover and SunglassesCoverSpread: or more than
	// SunglassesCover of the eye regions not skin-coloured, and those
	// pixels' colour spread (luma std plus the chroma stds) below
	// SunglassesCoverSpread of the skin's luma: one opaque surface of any
	// colour, as mirrored and coloured lenses are.
	SunglassesCover       float64
	SunglassesCoverSpread float64
	// SunglassesUniform: or the eye regions' luma std below this fraction
	// of the skin's, whatever their colour: no eye is that uniform.
	SunglassesUniform float64
	// SunglassesNoDark: or the darkest twentieth of the middle of each
	// eye region brighter than this fraction of the skin's luma. A bare
	// eye, open or closed, always has a dark part there (pupil and iris,
	// or the lash line): at most 0.63 of the skin on every face measured,
	// closed eyes 0.56. A light or skin-coloured lens (gold, white) hides
	// it.
	SunglassesNoDark float64
	// SunglassesFlatWindow: or, for each eye, a window the size of the
	// eye region's middle, at the eye or up to 0.24 interocular distances
	// below it, that is not skin (chroma 0.08 from the skin's, or luma
	// below 0.6 or above 1.4 of it) and flat: its 90th- minus 5th-
	// percentile luma below this fraction of the skin's. An opaque lens
	// over an eye the landmark net, blind to it, placed on the brow; the
	// middle of a bare eye always spans iris to white (≥ 0.2 measured).
	SunglassesFlatWindow float64
	// SunglassesRimStep and SunglassesRimInner: or, below each eye, a
	// band brighter than the one above it by more than SunglassesRimStep
	// times, the upper one darker than SunglassesRimInner of the skin: the
	// lower rim of a tinted lens, with the darkened skin inside it and
	// the bare cheek below (lensRim). Bare web faces reach 1.49 (95th
	// percentile), half of web selfies in sunglasses 1.69; only on a face
	// whose lower face is bare skin (docs/selfie.md, "Sunglasses on web
	// selfies").
	SunglassesRimStep, SunglassesRimInner float64
	// SunglassesRimBeside: the rim rule is sure on its own only when the
	// same search under the outer half of each eye (rimBeside) also finds
	// a step above this. A lens spans the eye; dark circles and the
	// shadow of a deep-set eye under top light lie below its middle, and
	// drew a step there on 20 of 1,663 bare portraits (docs/selfie.md,
	// "Dark circles").
	SunglassesRimBeside float64
	// SunglassesRimBesideLifted: a rim found beside the eyes with a step
	// above SunglassesRimBeside but not above this is sure only when at
	// least one lens rule still holds with the shadows lifted
	// (SunglassesLift). Dark circles and deep-set eyes drew steps of
	// 1.31–1.59 beside the middle on bare portraits (as delivered and
	// under a contrasty curve); half of the lenses that the rim alone
	// makes sure step higher (docs/selfie.md, "Contrasty photos").
	SunglassesRimBesideLifted float64
	// SunglassesSureRules: sunglasses found by fewer of the lens rules
	// above than this are reported for manual review (Finding.Review):
	// on web photos one rule alone was wrong 10 times in 10 (hard light,
	// a squint, a cap's shadow), while dark lenses meet several.
	SunglassesSureRules float64
	// SunglassesSharp: the flat and no-dark rules judge the eye regions
	// only when the eye band's re-blur ratio (quality.Reblur, as
	// BlurReblur) is below this. Defocus alone takes away the eye's
	// contrast and lifts its darkest part; on a photo blurred short of
	// BlurReblur those two rules took bare eyes for light lenses.
	SunglassesSharp float64
	// SunglassesLift: sunglasses the lens rules are sure of are judged
	// again on the photo with its shadows lifted (tone curve v^(1/lift)),
	// and go to manual review unless the rules are still sure there (a
	// lens's rim found beside the eyes too: unless one lens rule still
	// holds there). Hard light and a contrasty tone curve deepen a bare
	// eye socket until the ratio rules agree on a lens; lifting undoes
	// that, and a lens stays dark. 0 turns the second judgement off.
	SunglassesLift float64
	// Mask: a lower face with less than MaskSkin skin-coloured pixels while
	// the face's most skin-like region has more than RefSkin (and not
	// darker than MaskMinLuma of the skin: an open mouth), or whose chroma
	// differs from the skin by more than MaskChroma with less than
	// MaskChromaSkin skin.
	// MaskMouthClosed: a dark lower face is a mask all the same when the
	// landmarks' inner-lip gap is below this fraction of the mouth's
	// width (closed lips: no open mouth to be dark).
	// MaskPaleSat and MaskPaleLuma: or a lower face whose chroma
	// magnitude is below MaskPaleSat of the skin's and whose luma is above
	// MaskPaleLuma of it: white or light grey fabric, which warm light
	// puts inside the skin chroma box.
	MaskSkin        float64
	MaskChroma      float64
	RefSkin         float64
	MaskMinLuma     float64
	MaskChromaSkin  float64
	MaskMouthClosed float64
	MaskPaleSat     float64
	MaskPaleLuma    float64
	// MaskDarkLuma and MaskDarkSat: or, its dark counterpart, a lower
	// face the skin box takes for skin (at least MaskSkin of it) but
	// darker than MaskDarkLuma of the skin, whose chroma magnitude is
	// below MaskDarkSat of the skin's for its luma (lower_sat_ratio under
	// MaskDarkSat × lower_luma_ratio): black or dark grey fabric, which
	// warm light also puts inside the skin chroma box. No bare lower face
	// measured is both: of 2,208 (portraits, web faces, web selfies in
	// sunglasses) 4 are that dark, all at least as saturated for their
	// luma as the skin (docs/selfie.md, "Black fabric the skin box takes
	// for skin").
	MaskDarkLuma float64
	MaskDarkSat  float64
	// MaskMouthFlat: or a band along the line between the lips (from the
	// landmarks) whose luma std is below this fraction of its mean: no
	// lips, teeth or gap there, one surface — a mask of any colour,
	// skin-like ones included.
	MaskMouthFlat float64
	// MaskLipRedness: neither that band nor the lower face's chroma is a
	// mask when the middle of the lower lip (from the landmarks) is
	// redder by this much (Cr, 0–255 scale) than both the skin above the
	// upper lip and the skin below the lower one: lips are there to see.
	// Closed lips make a flat band, and lipstick shifts the lower face's
	// chroma, on bare faces too (a quarter of the false masks on web
	// selfies in sunglasses); on a mask the landmarks put all three
	// regions on the fabric.
	MaskLipRedness float64
	// MaskOther and MaskOtherSpread: or more than MaskOther of the lower
	// face not skin-coloured, those pixels all alike (the spread of their
	// luma and chroma below MaskOtherSpread of the skin's luma): the
	// fabric of a patterned mask, whose other colour is skin-like — a
	// bare lower face's other pixels (lips, teeth, the mouth, a hand's
	// shadow) differ from each other.
	MaskOther       float64
	MaskOtherSpread float64
	// MaskLipLine and MaskLipLineSkin: or no dark line between the lips
	// (the darkest twentieth of the band along it above MaskLipLine of
	// the skin's luma above and below the lips, metric lip_line) on a
	// lower face less than MaskLipLineSkin skin-coloured: a mask of
	// skin-like colour with a pattern of lighter dots or checks, which
	// the other rules take for skin (MaskTheFace's polka-dot masks). On
	// 1,569 bare portraits the line is above 0.7 for 45 faces, none of
	// them under 0.85 skin-coloured. A soft photo blurs the line away
	// too, so a mask this rule finds goes to manual review: it is not
	// one of the rules MaskSureRules counts (metric mask_lip_line;
	// docs/selfie.md, "Masks another program puts on").
	MaskLipLine     float64
	MaskLipLineSkin float64
	// MaskCheekSkin and MaskCheekEyeSkin: or both cheeks (0.5–0.7
	// interocular distances below the eyes, placed from the eyes alone)
	// less than MaskCheekSkin skin-coloured while the eye regions are at
	// least MaskCheekEyeSkin skin (the lids show): a mask whose lower face
	// the landmark net, guessing behind it, stretched below the fabric
	// onto the chin. Big lenses cover the cheeks too, and the eye regions
	// with them. Colour photos only. On 2,349 bare faces (portraits, web
	// faces, web selfies in sunglasses) the rule holds on two, both
	// called masked by other rules already (docs/selfie.md, "Cheeks
	// covered").
	MaskCheekSkin    float64
	MaskCheekEyeSkin float64
	// MaskSureRules: a mask found by fewer of the six mask rules above
	// (too little skin, chroma, pale fabric, no lips, patterned fabric,
	// covered cheeks)
	// than this is reported for manual review (Finding.Review): one rule
	// alone made every false mask but three on 1,698 bare portraits
	// (pursed lips, a flat mouth band on a small or soft face, a hand),
	// while most real masks meet several (docs/selfie.md, "One mask rule
	// alone").
	MaskSureRules float64
	// MaskProbeDrop: a mask the rules found but doubt (fewer than
	// MaskSureRules rules; it would go to manual review) is not reported
	// when the mask probe (maskProbe, metric mask_probe) gives it less
	// than this probability (metric mask_probe_overruled). On the web
	// masks' bare faces and the portraits those are bare lower faces:
	// beards, shadows, a hand at the chin (docs/selfie.md, "Real masks for
	// a mask probe"); no real mask was dropped.
	MaskProbeDrop float64
	// MaskProbeFind: a mask the rules did not find is reported, for
	// manual review, when the mask probe gives it at least this
	// probability on a colour photo (on greyscale ones, bare faces of the
	// evaluation's capture variants score 0.99). On the two web mask
	// samples 12 of the 24 masks the rules miss score that high, and none
	// of the 302 bare faces the rules pass; the selfies in sunglasses are
	// its weak spot, 7 false finds of 495 (docs/selfie.md, "Real masks
	// for a mask probe"). 0 turns this off, as weakBox does.
	MaskProbeFind float64
	// MaskProbeFindAlone is MaskProbeFind's bar on a face where nothing
	// else is found covered (no sunglasses, hat, or mask by a rule). The
	// probe's false finds on bare lower faces come beside sunglasses,
	// which it rarely saw; on faces with nothing else found, none of the
	// 475 bare web faces scored above 0.70, while the pink, floral and
	// surgical masks the rules took for skin scored 0.81 to 0.97. Two
	// cues the rules already read keep it off bare faces the evaluation
	// holds: lips redder than the skin by MaskLipRedness are lips (a
	// press photo in red lipstick scored 0.82 to 0.95), and a lower face
	// darker than MaskDarkLuma of the skin is left to the dark-fabric
	// rule (a beard in shadow scored 0.835; docs/selfie.md, "The mask
	// probe on a face with nothing else covered"). 0 turns this off, as
	// weakBox does.
	MaskProbeFindAlone float64
	// MaskSureSkin and MaskSureFaceSkin: a mask found by the low-skin
	// rule alone is sure all the same when less than MaskSureSkin of the
	// lower face is skin-coloured while the face's most skin-like region
	// is more than MaskSureFaceSkin skin: 14 of the 62 real masks found
	// by one rule measured under 0.04, against one bare face at 0.005,
	// whose other regions were barely skin (0.27; docs/selfie.md, "One
	// mask rule alone").
	MaskSureSkin     float64
	MaskSureFaceSkin float64
	// Hat: a forehead with less than HatSkin skin-coloured pixels and
	// HatSkinGap less than the face's other skin regions, or
	// chroma farther than HatChroma from the skin together with a straight
	// horizontal edge (brim, band) of at least HatEdge luma.
	// HatHairTex: the forehead-skin test needs the upper forehead's
	// texture (gradient over luma, relative to the skin reference's) below
	// this: above a fringe the hair goes on, textured; above a brim the
	// crown is flat.
	HatSkin    float64
	HatSkinGap float64
	HatHairTex float64
	HatChroma  float64
	HatEdge    float64
	// HatUpperSkin and HatFlatGrad: or an upper forehead (0.5–0.85
	// interocular distances above the brows) with less than HatUpperSkin
	// skin-coloured pixels and a median luma gradient below HatFlatGrad
	// of its luma: flat cover (fabric), not hair, whose strands are
	// textured (the median: a brim's edge across the region is no texture).
	HatUpperSkin float64
	HatFlatGrad  float64
	// HatFlatHairTex: unless the region's mean gradient, over the skin
	// reference's, reaches this: dark, soft hair (a webcam's, a photo of
	// a screen) has a low median gradient yet is still this many times
	// as textured as skin; a fabric crown with a brim's edge across it
	// measured at most 1.7.
	HatFlatHairTex float64
	// HatCrownGrad, HatCrownStd and HatCrownBeside: or the top of the
	// head above the forehead (0.95–1.6 or 0.95–1.3 interocular distances
	// above the brows) uniform — median luma gradient below HatCrownGrad
	// and luma std below HatCrownStd, both of its luma — and farther than
	// HatCrownBeside (chroma and luma) from the picture beside the head
	// at that height: a hat worn above a bare forehead, of any colour
	// (hair is never that uniform; a plain wall above the head is the
	// wall beside it too).
	HatCrownGrad   float64
	HatCrownStd    float64
	HatCrownBeside float64
	// HatSureRules: a hat found by fewer of the three forehead rules
	// (low skin, brim line, flat cover) than this, and not by the crown
	// rule, is reported for manual review (Finding.Review) rather than
	// rejected: on web photos one forehead rule alone was right 5 times
	// in 17, fooled by dark fringes (docs/selfie.md, "Web photos").
	HatSureRules float64
	// HatBandEdge: or a forehead with as little skin as the first rule
	// asks and, between the brows and the top of the head, a straight
	// horizontal luma edge of at least this, over the forehead's luma,
	// whatever the texture above: a hat's band or cuff is cut straight
	// across the head (knit and logo caps, whose texture the hair guard
	// takes for hair, 0.36–2.56), and so is a blunt-cut fringe, so it
	// never counts toward HatSureRules: what it finds alone goes to
	// manual review (docs/selfie.md, "Other styles").
	HatBandEdge float64
	// HatCrownEdge: the crown rule also needs a straight horizontal luma
	// edge of at least this, over the forehead's luma, between the brows
	// and the top of the lower band: where a hat's brim or band meets the
	// forehead. A bald scalp is as uniform as a hat and unlike the wall
	// beside it, but it goes on from the forehead without an edge.
	HatCrownEdge float64
	// HatProbeSure: a hat the rules are sure of stays sure only when the
	// learned second opinion (hatProbe, metric hat_probe) gives it
	// at least this probability; below, it goes to manual review. The
	// probe that reads the head by bands of rows scores the long dark
	// hair of tight web crops 0.78 to 0.9, which the rules take for a
	// sure cap, and the real hats the rules are sure of 0.97 and more
	// (0.3 before it: docs/selfie.md, "Where on the head the probe
	// looks").
	HatProbeSure float64
	// HatProbeFind: a hat the rules did not find is reported, for manual
	// review, when the hat probe gives it at least this probability. On
	// the portraits, 21 of the 43 hats the rules miss score that high,
	// and 2 of the 1,606 bare heads the rules pass (docs/selfie.md,
	// "Where on the head the probe looks"; 9 of 42 and none before the
	// probe read the head by bands of rows).
	HatProbeFind float64
	// HatProbeDyed, HatDyedCrown, HatDyedBeside: a hat the rules did not
	// find is also reported, for manual review, when the hat probe gives
	// it at least HatProbeDyed and either crown band has more than
	// HatDyedCrown of its pixels in a colour no undyed hair has (stats.Dyed:
	// a blue cap, a red beanie; metrics crown_dyed, crown2_dyed), the
	// picture beside the head at most HatDyedBeside (crown_dyed_beside).
	// Knitted and logo crowns are as textured as hair, which the rules
	// take them for; their colour tells them apart, except from hair
	// dyed red, which the probe's bar mostly keeps out (docs/selfie.md,
	// "Hats of a colour no hair has"; the bar was raised from 0.5 when
	// the probe learnt real hats and scored two red-haired web selfies
	// 0.6, "Real hats for the hat probe").
	HatProbeDyed, HatDyedCrown, HatDyedBeside float64
	// HatProbeDrop: a hat the rules found without the crown rule, which
	// would go to manual review, is not reported when the hat probe gives
	// it less than this probability (metric hat_probe_overruled). On the
	// labelled web selfies and portraits those are bare heads: dark
	// fringes the rules take for a cap's cover (docs/selfie.md, "Hats the
	// probe overrules"; 0.02 before the probe read the head by bands of
	// rows, "Where on the head the probe looks"); until session 36 only
	// a hat one forehead rule alone found ("Hats the probe overrules,
	// again").
	HatProbeDrop float64
	// LensProbeFind: sunglasses the lens rules did not find are reported,
	// for manual review, when the lens probe (lensProbe, metric
	// lens_probe) gives them at least this probability. On the web
	// selfies in sunglasses it finds a quarter of those the rules miss,
	// with 1 of 556 bare web faces and portraits scoring that high, and
	// none of the drawn clear glasses (docs/selfie.md, "A learned second
	// opinion on lenses").
	LensProbeFind float64
	// LensProbeRim, LensProbeRimBeside and LensProbeRimRatio: or when
	// the lens probe gives them LensProbeRim or more over a lens's lower
	// rim under the outer half of each eye with a step above
	// LensProbeRimBeside (metric lens_rim_beside), the eye regions darker
	// than LensProbeRimRatio × the skin (eye_ratio) and no mask found,
	// also for manual review (metric lens_probe_rim). Neither cue alone
	// separates real lenses from bare eyes; together they find a sixth of
	// the web selfies in sunglasses the other rules miss, and a frame's
	// lower edge over clear glasses on 2 of 1,772 bare faces
	// (docs/selfie.md, "The lens probe over a rim").
	LensProbeRim, LensProbeRimBeside, LensProbeRimRatio float64
	// LensProbeTint, LensProbeTintSkin and LensProbeTintRatio: or when
	// the lens probe gives them LensProbeTint or more over eye regions
	// less skin-coloured than LensProbeTintSkin × the skin reference
	// (eye_skin against ref_skin) and not darker than LensProbeTintRatio
	// × the skin (eye_ratio), in a colour photo, also for manual review
	// (metric lens_probe_tint): a light, mirrored or coloured lens, too
	// bright for the luma rules. Through clear glasses the lids show, as
	// skin-coloured as the rest of the face, which in odd light may be
	// little (drawn clear glasses on one face: 0.52 against 0.47). Darker
	// eye regions are left to the luma rules: dark frames of clear
	// glasses on a dark face in dim light score as high and are as little
	// skin-coloured (example3 of the eyeglasses photos: 0.63–0.80,
	// eye_ratio 0.34–0.38). On 1,570 bare portraits the bare eyes that
	// score that high are skin-coloured (0.92 and 1.00; docs/selfie.md,
	// "Light lenses the probe sees").
	LensProbeTint, LensProbeTintSkin, LensProbeTintRatio float64
	// LensColourSkin and LensColourRimBeside: or, for manual review
	// only, eye regions less than LensColourSkin skin-coloured (metric
	// eye_skin; a bare eye's region is mostly lids) above a lens's lower
	// rim under the outer half of each eye with a step above
	// LensColourRimBeside (lens_rim_beside), on a face whose most
	// skin-like region is more than RefSkin skin-coloured (a colour cast
	// leaves none). Real lenses with reflections, gradient tints and
	// mirror coatings are lighter and less uniform than the other lens
	// rules allow; on the web selfies in sunglasses this finds a fifth of
	// the dark pairs they miss, and no bare portrait; of the bare web
	// faces, only one cut off by the frame that the last-resort path
	// finds (metric lens_colour; docs/selfie.md, "Real lenses the rules
	// miss").
	LensColourSkin, LensColourRimBeside float64
	// LensVivid and LensVividCast: or, for manual review only, both eye
	// regions at least LensVivid of a saturated blue, green or purple
	// (metric eye_vivid: the less vivid eye; stats.Vivid) on a face whose
	// skin reference is less than LensVividCast so (ref_vivid): a
	// mirrored or coloured lens. Bare and clear-glassed eyes reach 0.54
	// with blue eye make-up; a colour cast reaches more, but turns the
	// skin vivid too (metric lens_vivid; docs/selfie.md, "Labelled web
	// selfies in sunglasses").
	LensVivid, LensVividCast float64
	// LensProbeSkinless, LensSkinlessSkin and LensSkinlessLuma: or when
	// the lens probe gives them LensProbeSkinless or more over eye
	// regions less skin-coloured than LensSkinlessSkin × the skin
	// reference (eye_skin against ref_skin) and at least LensSkinlessLuma
	// bright (eye_ratio × eye_ref_luma), in a colour photo, also for
	// manual review (metric lens_probe_skinless): LensProbeTint's rule
	// for lenses that hide nearly all of the lids, where the probe says
	// less. The frames of clear glasses leave the lids a third of the
	// skin's share or more, except in dim light, where sensor noise
	// pushes the darker lids' chroma out of the skin box (clear glasses
	// darkened to 0.6×: eye regions 0.2 bright, 0.16–0.21 of the skin's
	// share, probe up to 0.21).
	LensProbeSkinless, LensSkinlessSkin, LensSkinlessLuma float64
	// SunglassesLevelRoll: on a face whose eyes are rolled by this many
	// degrees or more and on which nothing finds sunglasses, the lens's
	// rim (lensRim, and the lens-colour and lens-probe rules that need a
	// rim beside the eyes) is looked for again on the photo turned so
	// that the eyes lie level, and sunglasses found there go to manual
	// review (metrics eye_roll, levelled_lens_rim, levelled_lens_colour,
	// levelled_lens_probe_rim). The rim is looked for along the photo's
	// rows, which a rolled head's rim crosses; rolled heads are a quarter
	// of the web selfies in sunglasses the rules miss (docs/selfie.md,
	// "Rolled heads"). 0 turns this off.
	SunglassesLevelRoll float64
	// hatProbe, lensProbe and maskProbe are the probes' models to apply;
	// nil: the shipped ones. The evaluation sets, for each sample, the
	// models fitted without the samples of its photo (probe.forSample),
	// so that a probe is never scored on what it was fitted on.
	hatProbe, lensProbe, maskProbe *logreg.Model
}

// DefaultConfig returns the thresholds measured in docs/selfie.md.
func DefaultConfig() Config {
	return Config{
		SecondFaceRatio:           0.45,
		SecondFaceMinScore:        face.SureMinScore,
		SecondFaceScoreRatio:      face.SureScoreRatio,
		CascadeSureScore:          12,
		CNNMinScore:               0.5,
		WeakMinScore:              0.3,
		WeakBorders:               []float64{0.3, 0.8, 0.5},
		MinFacePixels:             60,
		MinFaceFraction:           0.12,
		MaxFaceFill:               0.8,
		MinMaskPixels:             40,
		DarkFaceMask:              true,
		BlurredFaceMask:           true,
		DarkImageLuma:             0.12,
		MinFaceLuma:               0.16,
		MinFaceContrast:           0.035,
		BlurReblur:                0.91,
		BacklightRatio:            0.5,
		BacklightFaceLuma:         0.35,
		SunglassesRatio:           0.315,
		SunglassesSkin:            1.01, // not used: lens tints vary too much
		SunglassesFlatRatio:       0.55,
		SunglassesFlatStd:         0.17,
		SunglassesTop:             0.5,
		SunglassesCover:           0.45,
		SunglassesCoverSpread:     0.08,
		SunglassesUniform:         0.08,
		SunglassesNoDark:          0.75,
		SunglassesFlatWindow:      0.12,
		SunglassesRimStep:         1.7,
		SunglassesRimInner:        0.7,
		SunglassesRimBeside:       1.3,
		SunglassesRimBesideLifted: 1.7,
		SunglassesSureRules:       2,
		SunglassesSharp:           0.86,
		SunglassesLift:            1.5,
		MaskSkin:                  0.42,
		MaskChroma:                0.08,
		MaskMinLuma:               0.4,
		MaskChromaSkin:            0.8,
		MaskMouthClosed:           0.08,
		MaskPaleSat:               0.6,
		MaskPaleLuma:              1.15,
		MaskDarkLuma:              0.45,
		MaskDarkSat:               0.8,
		MaskMouthFlat:             0.09,
		MaskLipRedness:            8,
		MaskOther:                 0.3,
		MaskOtherSpread:           0.09,
		MaskLipLine:               0.7,
		MaskLipLineSkin:           0.85,
		MaskCheekSkin:             0.2,
		MaskCheekEyeSkin:          0.6,
		MaskSureRules:             2,
		MaskProbeDrop:             0.05,
		MaskProbeFind:             0.98,
		MaskProbeFindAlone:        0.8,
		MaskSureSkin:              0.05,
		MaskSureFaceSkin:          0.5,
		RefSkin:                   0.25,
		HatSkin:                   0.65,
		HatSkinGap:                0.2,
		HatHairTex:                1.2,
		HatChroma:                 0.15,
		HatEdge:                   0.25,
		HatUpperSkin:              0.3,
		HatFlatGrad:               0.06,
		HatFlatHairTex:            3,
		HatCrownGrad:              0.03,
		HatCrownStd:               0.07,
		HatCrownBeside:            0.06,
		HatCrownEdge:              0.21,
		HatSureRules:              2,
		HatProbeSure:              0.9,
		HatProbeFind:              0.88,
		HatProbeDyed:              0.65,
		HatDyedCrown:              0.15,
		HatDyedBeside:             0.05,
		HatProbeDrop:              0.1,
		LensProbeFind:             0.9,
		LensProbeRim:              0.3,
		LensProbeRimBeside:        1.35,
		LensProbeRimRatio:         0.85,
		LensProbeTint:             0.7,
		LensProbeTintSkin:         0.75,
		LensProbeTintRatio:        0.45,
		LensColourSkin:            0.45,
		LensColourRimBeside:       1.4,
		LensVivid:                 0.6,
		LensVividCast:             0.1,
		LensProbeSkinless:         0.3,
		LensSkinlessSkin:          0.25,
		LensSkinlessLuma:          0.3,
		SunglassesLevelRoll:       10,
		HatBandEdge:               0.85,
	}
}

// Report is the outcome of Analyze.
type Report struct {
	Findings []kycgate.Finding `json:"findings"`
	// Metrics are the measurements behind the findings, named as in
	// docs/selfie.md.
	Metrics map[string]float64 `json:"metrics"`
	// Faces is the number of faces counted (after ignoring small ones).
	Faces int `json:"faces"`
	// Box is the main face, when one was found, in the photo as analysed:
	// reduced to analyzeMaxSide and, when Metrics holds turned_degrees,
	// turned by that much clockwise (face.Upright).
	Box *face.Rect `json:"box,omitempty"`
	// Landmarks of the main face, when the landmark model is loaded, in
	// the same coordinates as Box.
	Landmarks *face.Landmarks `json:"-"`
	// regions are where the main face's parts were placed, in the same
	// coordinates (nil when no face was judged): the probes are fitted
	// on the squares Analyze shows them (trainProbe).
	regions *layout
}

// OK reports whether the selfie has no findings.
func (r *Report) OK() bool { return len(r.Findings) == 0 }

// tooSmall reports whether the face was too small to judge: FACE_NOT_FOUND
// too_small, or IMAGE_LOW_RESOLUTION (a photo too small for any face).
func (r *Report) tooSmall() bool {
	return slices.ContainsFunc(r.Findings, func(f kycgate.Finding) bool {
		return f.Code == kycgate.FaceNotFound && f.Detail == DetailTooSmall || f.Code == kycgate.ImageLowResolution
	})
}

// Codes lists the findings' codes with their details ("FACE_OCCLUDED:mask").
func (r *Report) Codes() []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, codeOf(f))
	}
	return out
}

// codeOf is a finding's "CODE" or "CODE:detail".
func codeOf(f kycgate.Finding) string {
	if f.Detail != "" {
		return string(f.Code) + ":" + f.Detail
	}
	return string(f.Code)
}

// photoTooSmall reports whether a photo whose shorter side is short
// pixels is too small for any face in it to be judged: a face filling
// MaxFaceFill of it would still be narrower than MinFacePixels.
func (cfg Config) photoTooSmall(short float64) bool {
	return short*cfg.MaxFaceFill < cfg.MinFacePixels
}

// lowResolution adds IMAGE_LOW_RESOLUTION for a photo whose shorter side,
// short pixels (metric image_short_side_px), is too small for any face in
// it to be judged.
func (r *Report) lowResolution(short float64) {
	r.Metrics["image_short_side_px"] = short
	r.add(kycgate.ImageLowResolution, "", "image_short_side_px")
}

func (r *Report) add(code kycgate.ReasonCode, detail string, metrics ...string) {
	m := map[string]float64{}
	for _, k := range metrics {
		if v, ok := r.Metrics[k]; ok {
			m[k] = v
		}
	}
	if len(m) == 0 {
		m = nil
	}
	r.Findings = append(r.Findings, kycgate.Finding{Code: code, Step: kycgate.StepSelfie, Detail: detail, Metrics: m})
}

// Analyze checks one decoded selfie. models may be nil: the regions are
// then placed from the detection box alone, which is coarser.
func Analyze(img image.Image, models *face.Models, cfg Config) Report {
	rep := Report{Metrics: map[string]float64{}}
	upright := face.Upright
	if models != nil {
		upright = models.Upright
	}
	img = shrink(img, analyzeMaxSide)
	short := float64(min(img.Bounds().Dx(), img.Bounds().Dy()))
	if short < max(cfg.MinMaskPixels, 2) {
		// Narrower than the smallest face anything here looks at: no face
		// in it can be judged, and its light means nothing either (a strip
		// a pixel wide, or one shrink left empty, measures as black).
		rep.lowResolution(short)
		return rep
	}
	img, turned, boxes := upright(img)
	if turned != 1 {
		// Judged as the face stands; Box and Landmarks refer to the
		// turned photo.
		rep.Metrics["turned_degrees"] = float64(face.TurnDegrees(turned))
	}
	imgStats := regionStats(img, img.Bounds())
	rep.Metrics["image_luma"] = imgStats.Y

	if len(boxes) == 0 && imgStats.Y < cfg.DarkImageLuma {
		// Too dark to look for a face (and the CNNs below cost far more
		// than this test): the fix is light, not framing.
		rep.add(kycgate.FaceTooDark, DetailDark, "image_luma")
		return rep
	}
	cnn := false
	if models != nil && (len(boxes) == 0 || boxes[0].Score < cfg.CascadeSureScore) {
		// The cascade misses most faces half hidden by a mask or
		// sunglasses and, on such faces, sometimes fires on a detail: the
		// CNNs find them, and are then the better judges.
		if b := models.DetectCNN(img, cfg.CNNMinScore); len(b) > 0 {
			boxes, cnn = b, true
			rep.Metrics["cnn_detection"] = 1
		}
	}
	var lm *face.Landmarks
	if len(boxes) == 0 {
		// A face no detector sees in a dim photo usually appears once the
		// photo is brightened: again the fix is light.
		if len(face.Detect(brighten(img))) > 0 {
			d := DetailDark
			if imgStats.Y > 2*cfg.DarkImageLuma {
				d = DetailBacklight
			}
			rep.add(kycgate.FaceTooDark, d, "image_luma")
			return rep
		}
		// The upright cascade misses tilted faces, faces filling the whole
		// picture and many half-hidden ones; the landmark model, checked
		// by face.Analyze / AnalyzePortrait, still finds those, and then
		// the applicant is told what hides the face rather than "no face".
		if f := fallbackFace(img, models); f != nil {
			boxes = []face.Box{f.Box}
			l := f.Landmarks
			lm = &l
			rep.Landmarks = lm
			rep.Metrics["fallback_detection"] = 1
		} else if w, ok := weakFace(img, models, cfg, rep.Metrics); ok {
			return w
		} else if turnedImg, o, b := turnedCNN(img, models, cfg); len(b) > 0 {
			// A half-hidden face in a photo lying on its side, which the
			// cascade judged by Upright does not see either way.
			img, boxes, cnn = turnedImg, b, true
			rep.Metrics["cnn_detection"] = 1
			rep.Metrics["turned_degrees"] = float64(face.TurnDegrees(o))
		} else if cfg.photoTooSmall(short) {
			// No face a detector could find in a photo this small
			// would be wide enough to judge: the fix is the camera's
			// own photo, as for a face found too small in it.
			rep.lowResolution(short)
			return rep
		} else {
			rep.add(kycgate.FaceNotFound, "")
			return rep
		}
	}
	judgeFace(img, boxes, cnn, lm, models, cfg, &rep)
	return rep
}

// turnedCNN is face.TurnedCNN when there are models.
func turnedCNN(img image.Image, models *face.Models, cfg Config) (image.Image, int, []face.Box) {
	if models == nil {
		return img, 1, nil
	}
	return models.TurnedCNN(img, cfg.CNNMinScore)
}

// weakFace is the last resort for a photo in which no detector found a
// face: SsdMobilenetv1 again, on the photo inside a black border
// (face.DetectSSDBorder) of each of cfg.WeakBorders in turn, where a face
// filling, leaving or turned in the frame scores higher. The first box
// weakBox names an occluder on gives the report, with metrics
// weak_detection, weak_score and weak_border; otherwise ok is false and
// the photo stays FACE_NOT_FOUND.
func weakFace(img image.Image, models *face.Models, cfg Config, metrics map[string]float64) (Report, bool) {
	if models == nil || cfg.WeakMinScore <= 0 {
		return Report{}, false
	}
	for _, border := range cfg.WeakBorders {
		for _, bx := range models.DetectSSDBorder(img, border, cfg.WeakMinScore) {
			if rep, ok := weakBox(img, bx, models, cfg, metrics); ok {
				rep.Metrics["weak_detection"] = 1
				rep.Metrics["weak_score"] = bx.Score
				rep.Metrics["weak_border"] = border
				return rep, true
			}
		}
	}
	return Report{}, false
}

// weakBox judges a box weakFace found. The box is trusted only as far as
// the evidence goes. The landmark net runs from each crop of
// weakCropScales; an occluder is named only when a majority of the crops
// have landmarks that fit the box (plausibleLandmarks) and whose regions
// show that occluder: on a masked face the net's points move with the
// framing, and one crop in several puts the eye regions beside the lenses.
// The report is that of the crop nearest the middle scale showing an
// agreed occluder, with only the occluders a majority agrees on (and its
// framing findings). A box whose regions show no occluder is not reported
// as a face (ok is false): the detector was unsure, and the landmark net
// fits a face to many boxes.
func weakBox(img image.Image, bx face.Box, models *face.Models, cfg Config, metrics map[string]float64) (Report, bool) {
	// The mask probe alone does not make a box a face: it has seen only
	// faces, and a box that is none shows no skin and no mouth where the
	// lower face would be. On the evaluation's one real photo where it
	// did (180.jpg), a shift of one grey level undid it.
	cfg.MaskProbeFind, cfg.MaskProbeFindAlone = 0, 0
	lms, err := models.LandmarksCentred(img, bx, weakCropScales...)
	if err != nil {
		return Report{}, false
	}
	reps := make([]Report, len(lms))
	votes := map[string]int{}
	for i := range lms {
		reps[i] = Report{Metrics: maps.Clone(metrics), Landmarks: &lms[i]}
		if !plausibleLandmarks(&lms[i], bx.Rect) {
			continue
		}
		judgeFace(img, []face.Box{bx}, true, &lms[i], models, cfg, &reps[i])
		for _, f := range reps[i].Findings {
			if f.Code == kycgate.FaceOccluded {
				votes[f.Detail]++
			}
		}
	}
	agreed := func(f kycgate.Finding) bool {
		return f.Code == kycgate.FaceOccluded && 2*votes[f.Detail] > len(lms)
	}
	// The crop nearest the middle scale that shows an agreed occluder.
	for d := 0; d <= len(lms)/2; d++ {
		for _, i := range []int{len(lms)/2 - d, len(lms)/2 + d} {
			if i < 0 || i >= len(lms) || !slices.ContainsFunc(reps[i].Findings, agreed) {
				continue
			}
			rep := reps[i]
			rep.Findings = slices.DeleteFunc(rep.Findings, func(f kycgate.Finding) bool {
				return f.Code == kycgate.FaceOccluded && !agreed(f)
			})
			return rep, true
		}
	}
	return Report{}, false
}

// weakCropScales are the landmark crops weakFace tries, as multiples of the
// SSD box's longer side, centred on it: from tight to loose around a box
// that, on a masked face, may reach from the brows to the neck. On clean
// faces the landmarks span 0.63–0.89 of that side, which the landmark net
// sees best in a crop 1.18 times their span (face.Landmarks): 0.74–1.05;
// the looser crops leave room for a box that covers less of the face.
var weakCropScales = []float64{0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5}

// faceCropScales are the extra landmark crops faceLandmarks tries, as in
// weakCropScales: the looser half, where the net finds the whole face
// around an occluder that the usual crop cuts into.
var faceCropScales = []float64{1.1, 1.3, 1.5}

// judgeFace fills rep for the faces in boxes (cnn: they come from the CNN
// detectors, all above their score bar; lm: the main face's landmarks when
// already known): face count, size and framing, light, then occlusion.
func judgeFace(img image.Image, boxes []face.Box, cnn bool, lm *face.Landmarks, models *face.Models, cfg Config, rep *Report) {
	b := img.Bounds()
	// The CNN boxes all passed CNNMinScore; cascade scores vary with
	// the face, hence the bar relative to the best box's.
	minScore, ratio := cfg.SecondFaceMinScore, cfg.SecondFaceScoreRatio
	if cnn {
		minScore, ratio = 0, 0
	}
	main, sure := face.MainFace(boxes, minScore, ratio)
	rep.Faces = 0
	for i, bx := range boxes {
		if bx == main || bx.Rect.Dx() >= cfg.SecondFaceRatio*main.Rect.Dx() && sure[i] {
			rep.Faces++
		}
	}
	rep.Metrics["faces"] = float64(rep.Faces)
	rect := main.Rect
	rep.Box = &rect
	if rep.Faces > 1 {
		rep.add(kycgate.FaceMultiple, "", "faces")
	}

	if models != nil && lm == nil {
		if l, ok := faceLandmarks(img, main, cnn, models); ok {
			rep.Landmarks = &l
			rep.Metrics["landmark_box_ratio"] = l.Bounds().Dx() / rect.Dx()
			// On a face hidden by an occluder the landmark net sometimes
			// returns a shrunken, jumbled face; the detector's box is then
			// the better guide to where the parts are.
			if plausibleLandmarks(&l, rect) {
				lm = &l
			} else {
				rep.Metrics["landmarks_rejected"] = 1
			}
		}
	}
	g := placeRegions(rect, lm)
	rep.regions = &g

	// Size and framing.
	short := math.Min(float64(b.Dx()), float64(b.Dy()))
	rep.Metrics["face_width_px"] = g.faceW
	rep.Metrics["face_fraction"] = g.faceW / short
	cut := g.outside(b)
	rep.Metrics["face_outside"] = cut
	// Too few pixels for the other tests to mean anything.
	tooSmall := g.faceW < cfg.MinFacePixels || g.faceW/short < cfg.MinFaceFraction
	switch {
	case tooSmall && cfg.photoTooSmall(short):
		rep.add(kycgate.ImageLowResolution, "", "face_width_px", "face_fraction")
	case tooSmall:
		rep.add(kycgate.FaceNotFound, DetailTooSmall, "face_width_px", "face_fraction")
	case cut > 0.04:
		rep.add(kycgate.FaceNotFound, DetailCutOff, "face_outside")
	}

	// Light.
	fs := regionStats(img, g.face)
	pt := measureParts(img, g)
	// Backlight is judged on the best-lit skin (parts.skinLuma), not the
	// whole face region: dark skin, a beard, an open mouth or a headset
	// darken the region without any backlight.
	skinY := pt.skinLuma(fs)
	rep.Metrics["skin_luma"] = skinY
	bg := backgroundStats(img, g.face)
	rep.Metrics["face_luma"] = fs.Y
	rep.Metrics["face_contrast"] = fs.YStd
	rep.Metrics["background_luma"] = bg.Y
	dark := false
	switch {
	case fs.Y < cfg.MinFaceLuma || fs.YStd < cfg.MinFaceContrast:
		rep.add(kycgate.FaceTooDark, DetailDark, "face_luma", "face_contrast")
		dark = true
	case skinY < cfg.BacklightFaceLuma && bg.Y > 0 && skinY < cfg.BacklightRatio*bg.Y:
		rep.add(kycgate.FaceTooDark, DetailBacklight, "skin_luma", "background_luma")
		dark = true
	}
	// A face too dark or too small to judge is looked at for a mask alone
	// (DarkFaceMask, MinMaskPixels); too dark and too small, or smaller
	// still, for nothing.
	maskOnly := dark || g.faceW < cfg.MinFacePixels
	if dark && (!cfg.DarkFaceMask || tooSmall) || tooSmall && (cfg.MinMaskPixels == 0 || g.faceW < cfg.MinMaskPixels) {
		return
	}

	// Focus. A blurred face loses the eye's contrast (white, iris, lids),
	// which the occlusion rules read as a lens: the applicant is told to
	// take a sharp photo, and the regions are not judged. The sharper of
	// the eye band and the nose and mouth decides: a lens or a mask has no
	// fine detail of its own, a blurred face has none anywhere.
	reblur := func(r image.Rectangle) float64 { return quality.Reblur(img, r, int(blurIOD*float64(r.Dx())/g.iod)) }
	eyeReblur, lowerReblur := reblur(g.eyes), reblur(g.noseMouth)
	rep.Metrics["eye_reblur"], rep.Metrics["nose_mouth_reblur"] = eyeReblur, lowerReblur
	// A face too dark or too small to judge is not judged for focus
	// either: more light or coming closer is the fix, and in the dark the
	// sensor's noise is the finest detail.
	if !dark && min(eyeReblur, lowerReblur) > cfg.BlurReblur {
		if tooSmall {
			return
		}
		rep.add(kycgate.ImageBlurry, "", "eye_reblur", "nose_mouth_reblur")
		if !cfg.BlurredFaceMask {
			return
		}
		maskOnly = true
	}

	pt.eyeReblur = eyeReblur
	occ := occlusion(pt, cfg, rep.Metrics)
	if maskOnly {
		// On a face this small the eyes and the forehead are a few pixels
		// high, in the dark they are the face's darkest parts, and out of
		// focus they have lost their fine detail: the lens and hat rules
		// find bare eyes and hair there far more often than on a judged
		// face, while the mask, a third of the face, is judged as well as
		// there. Only a sure mask: the photo goes back to the applicant
		// anyway, so a doubtful one would reach no reviewer, only the
		// notice (docs/selfie.md, "Faces too small to judge", "Masks in
		// the dark", "Masks on blurred faces and tight crops"). In the
		// dark a lower face with no skin-coloured pixel is no sure mask
		// alone (mask_no_skin): the sensor's noise takes the colour out
		// of a shadowed chin too.
		sure := !doubtful(DetailMask, rep.Metrics, cfg) && (!dark || rep.Metrics["mask_rules"] >= cfg.MaskSureRules)
		if slices.Contains(occ, DetailMask) && sure {
			reportOccluders(rep, []string{DetailMask}, cfg, nil, false)
		}
		return
	}
	if slices.Contains(occ, DetailSunglasses) && cfg.SunglassesLift > 0 && !doubtful(DetailSunglasses, rep.Metrics, cfg) {
		// A lens stays darker than the skin when the shadows are lifted;
		// an eye socket in shadow, deepened by hard light or a contrasty
		// tone curve, does not.
		lifted := measureParts(capture.Contrasty(img, 1/cfg.SunglassesLift), g)
		lifted.eyeReblur = eyeReblur
		m := map[string]float64{}
		still := slices.Contains(occlusion(lifted, cfg, m), DetailSunglasses)
		rep.Metrics["lifted_sunglasses_rules"] = m["sunglasses_rules"]
		rep.Metrics["lifted_sunglasses_doubtful"] = b2f(!still || doubtful(DetailSunglasses, m, cfg))
	}
	// Occluders a probe sees and no rule does, for manual review; and the
	// doubtful hats and masks the hat and mask probes overrule.
	var probeFound map[string]bool
	if models != nil {
		occ, probeFound = probeOpinions(img, g, models, cfg, occ, rep.Metrics)
	}
	// Sunglasses no rule finds on a rolled head, looked for again with
	// the eyes level, for manual review (SunglassesLevelRoll).
	levelledFound := lm != nil && !slices.Contains(occ, DetailSunglasses) && levelledLens(img, lm, rect, eyeReblur, cfg, rep.Metrics)
	if levelledFound {
		occ = append(occ, DetailSunglasses)
	}
	reportOccluders(rep, occ, cfg, probeFound, levelledFound)
}

// probeOpinions asks the hat, lens and mask probes about the face laid out
// by g in img. It returns occ with what a probe sees and no rule does
// added (probeFound names those, for manual review) and the doubtful hats
// and masks a probe overrules taken out, and records each probe's score
// and the conditions it met in m.
func probeOpinions(img image.Image, g layout, models *face.Models, cfg Config, occ []string, m map[string]float64) ([]string, map[string]bool) {
	probeFound := map[string]bool{}
	for _, pr := range []struct {
		probe  *probe
		model  *logreg.Model
		detail string
		find   float64
	}{
		{hatProbe, cfg.hatProbe, DetailHat, cfg.HatProbeFind},
		{lensProbe, cfg.lensProbe, DetailSunglasses, cfg.LensProbeFind},
		{maskProbe, cfg.maskProbe, DetailMask, cfg.MaskProbeFind},
	} {
		score := pr.probe.score(img, g, models, pr.model)
		m[pr.probe.name] = score
		find := pr.find > 0 && score >= pr.find // a bar of 0 turns the find off
		switch pr.detail {
		case DetailHat:
			dyed := hatProbeDyed(score, m, cfg)
			m["hat_probe_dyed"] = b2f(dyed)
			find = (find || dyed) && headAboveShown(m, cfg)
			if slices.Contains(occ, DetailHat) && hatProbeOverrules(score, m, cfg) {
				occ = slices.DeleteFunc(occ, func(d string) bool { return d == DetailHat })
				m["hat_probe_overruled"] = 1
			}
		case DetailMask:
			// Where nothing else is found covered its bar is lower.
			// The probe learnt colour photos: on a greyscale one a
			// bare lower face can score as a mask.
			alone := len(occ) == 0 && maskProbeFindsAlone(score, m, cfg)
			find = (find || alone) && m["greyscale"] == 0
			if slices.Contains(occ, DetailMask) && maskProbeOverrules(score, m, cfg) {
				occ = slices.DeleteFunc(occ, func(d string) bool { return d == DetailMask })
				m["mask_probe_overruled"] = 1
			}
		case DetailSunglasses:
			rim := lensProbeRim(score, m, cfg)
			tint := lensProbeTint(score, m, cfg)
			skinless := lensProbeSkinless(score, m, cfg)
			m["lens_probe_rim"], m["lens_probe_tint"] = b2f(rim), b2f(tint)
			m["lens_probe_skinless"] = b2f(skinless)
			find = find || rim || tint || skinless
		}
		if !slices.Contains(occ, pr.detail) && find {
			occ = append(occ, pr.detail)
			probeFound[pr.detail] = true
		}
	}
	return occ, probeFound
}

// reportOccluders adds a FACE_OCCLUDED finding for each detail in occ, with
// the metrics behind it, marked for review when it is doubtful, when only
// a probe found it (probeFound) or when only the levelled photo showed the
// lens (levelled).
func reportOccluders(rep *Report, occ []string, cfg Config, probeFound map[string]bool, levelled bool) {
	for _, d := range occ {
		switch d {
		case DetailSunglasses:
			rep.add(kycgate.FaceOccluded, d, "eye_ratio", "eye_std", "eye_skin", "eye_top", "eye_cover", "eye_cover_spread", "eye_dark", "eye_flat_window", "lens_rim_step", "lens_rim_inner", "lens_rim_beside", "sunglasses_rules", "lens_probe", "lens_probe_rim", "lens_probe_tint", "lens_probe_skinless", "lens_colour", "lens_vivid", "eye_vivid", "ref_vivid", "eye_roll", "levelled_lens_rim", "levelled_lens_colour", "levelled_lens_probe_rim")
		case DetailMask:
			rep.add(kycgate.FaceOccluded, d, "lower_skin", "lower_chroma_dist", "best_skin", "lower_sat_ratio", "lower_luma_ratio", "mouth_band_cv", "lip_line", "cheek_skin", "mask_rules", "mask_no_skin", "mask_lip_line", "mask_probe")
		case DetailHat:
			rep.add(kycgate.FaceOccluded, d, "forehead_skin", "other_skin", "forehead_chroma_dist", "forehead_edge", "upper_forehead_skin", "upper_forehead_grad", "upper_forehead_tex", "crown_grad", "crown_std", "crown_beside", "brim_edge", "hat_forehead_rules", "hat_crown", "hat_band", "hat_probe", "crown_dyed", "crown2_dyed", "crown_dyed_beside", "hat_probe_dyed")
		}
		// An occluder only a probe sees is doubtful whatever the rules'
		// metrics say: a person looks.
		rep.Findings[len(rep.Findings)-1].Review = doubtful(d, rep.Metrics, cfg) || probeFound[d] || d == DetailSunglasses && levelled
	}
}

// headAboveShown reports whether the photo shows what a hat would cover
// (metrics in m): the upper forehead, or a forehead that is not bare skin.
// A face framed too close shows neither, and the hat probe, reading the
// part of its square beyond the photo's top edge as black, takes that for
// a dark cap (docs/selfie.md, "Faces framed too close").
func headAboveShown(m map[string]float64, cfg Config) bool {
	return m["upper_forehead_inside"] >= minInside || m["forehead_inside"] >= minInside && m["forehead_skin"] < cfg.HatSkin
}

// hatProbeDyed reports whether the hat probe's score, lower than
// HatProbeFind asks, finds a hat because the top of the head shows a
// colour that undyed hair does not and the picture beside it does not
// (metrics crown_dyed, crown2_dyed and crown_dyed_beside in m):
// HatProbeDyed, HatDyedCrown, HatDyedBeside.
func hatProbeDyed(score float64, m map[string]float64, cfg Config) bool {
	return cfg.HatProbeDyed > 0 && score >= cfg.HatProbeDyed && m["crown_dyed_beside"] <= cfg.HatDyedBeside &&
		max(m["crown_dyed"], m["crown2_dyed"]) > cfg.HatDyedCrown
}

// hatProbeOverrules reports whether the hat probe's score is low enough
// (under HatProbeDrop) to overrule a hat the rules found, unless the crown
// rule found it (metric hat_crown in m). Such a hat would go to manual
// review (doubtful: the probe's score is under HatProbeSure), and on web
// photos it is a bare head: a dark fringe the forehead and band rules
// take for a cap's cover or band. A crown flat and unlike the picture
// beside it, over a brim's edge, is a hat the probe may not know: a cap
// drawn on a small face scores under 0.04 (docs/selfie.md, "Hats the
// probe overrules", "Hats the probe overrules, again").
func hatProbeOverrules(score float64, m map[string]float64, cfg Config) bool {
	return score >= 0 && score < cfg.HatProbeDrop && m["hat_crown"] == 0
}

// maskProbeFindsAlone reports whether the mask probe's score finds a mask
// on a face where nothing else is found covered (MaskProbeFindAlone):
// over that lower bar, on a lower face not darker than MaskDarkLuma of
// the skin and without lips redder than it by MaskLipRedness (metrics
// lower_luma_ratio and lip_redness in m).
func maskProbeFindsAlone(score float64, m map[string]float64, cfg Config) bool {
	return cfg.MaskProbeFindAlone > 0 && score >= cfg.MaskProbeFindAlone &&
		m["lower_luma_ratio"] >= cfg.MaskDarkLuma && m["lip_redness"] < cfg.MaskLipRedness
}

// maskProbeOverrules reports whether the mask probe's score is low enough
// (under MaskProbeDrop) to overrule a mask the rules found but doubt
// (metrics in m): one that would go to manual review. A sure mask stands
// whatever the probe says, so a probe fooled by an odd mask cannot let it
// through.
func maskProbeOverrules(score float64, m map[string]float64, cfg Config) bool {
	return score >= 0 && score < cfg.MaskProbeDrop && doubtful(DetailMask, m, cfg)
}

// lensProbeRim reports whether the lens probe's score, lower than
// LensProbeFind asks, finds sunglasses because a lens's rim shows beside
// the eyes (metric lens_rim_beside in m) over eye regions darker than the
// skin (eye_ratio), on a face with no mask (mask_rules, mask_lip_line):
// LensProbeRim, LensProbeRimBeside, LensProbeRimRatio. A mask's upper
// edge draws a step below the eyes too, and the frame of clear glasses
// over bright eyes gets probe scores up to 0.5.
func lensProbeRim(score float64, m map[string]float64, cfg Config) bool {
	return cfg.LensProbeRim > 0 && score >= cfg.LensProbeRim && m["lens_rim_beside"] > cfg.LensProbeRimBeside &&
		m["eye_ratio"] < cfg.LensProbeRimRatio && m["mask_rules"] == 0 && m["mask_lip_line"] == 0
}

// lensProbeTint reports whether the lens probe's score, lower than
// LensProbeFind asks, finds sunglasses because the eye regions are
// neither as skin-coloured as the skin reference nor dark (metrics
// eye_skin, ref_skin and eye_ratio in m): a light or mirrored lens, which
// the luma rules, built for dark lenses, miss (LensProbeTint,
// LensProbeTintSkin, LensProbeTintRatio). Colour photos only: in a
// greyscale one no pixel is skin-coloured.
func lensProbeTint(score float64, m map[string]float64, cfg Config) bool {
	return cfg.LensProbeTint > 0 && score >= cfg.LensProbeTint && m["greyscale"] == 0 &&
		m["eye_skin"] < cfg.LensProbeTintSkin*m["ref_skin"] && m["eye_ratio"] > cfg.LensProbeTintRatio
}

// lensProbeSkinless reports whether the lens probe's score, lower than
// LensProbeTint asks, finds sunglasses because the eye regions, lit well
// enough for their colour to be measured, show almost no skin (metrics
// eye_skin, ref_skin, eye_ratio and eye_ref_luma in m): a lens over the
// lids as well as the eyes (LensProbeSkinless, LensSkinlessSkin,
// LensSkinlessLuma). Colour photos only, as for lensProbeTint.
func lensProbeSkinless(score float64, m map[string]float64, cfg Config) bool {
	return cfg.LensProbeSkinless > 0 && score >= cfg.LensProbeSkinless && m["greyscale"] == 0 &&
		m["eye_skin"] < cfg.LensSkinlessSkin*m["ref_skin"] &&
		m["eye_ratio"]*m["eye_ref_luma"] >= cfg.LensSkinlessLuma
}

// doubtful reports whether an occluder the rules found is doubtful: a hat
// found neither by the crown rule nor by HatSureRules forehead rules
// (metrics hat_crown, hat_forehead_rules), sunglasses found by fewer than
// SunglassesSureRules lens rules (sunglasses_rules) and not by a lens's
// rim that also shows beside the eye's middle (lens_rim, lens_rim_beside;
// a rim below the middle only does not count as a rule here). A person
// then reviews it rather than the applicant being told to take off what
// they may not wear. Likewise a mask found by fewer than MaskSureRules
// mask rules (mask_rules), unless the lower face shows no skin at all
// (mask_no_skin). Sunglasses the rules are sure of are doubtful too when
// they are not sure on the photo with its shadows lifted
// (lifted_sunglasses_doubtful: SunglassesLift). A hat the rules are sure
// of is doubtful too when the learned second opinion (hat_probe) finds no
// hat in the head's appearance.
func doubtful(detail string, m map[string]float64, cfg Config) bool {
	switch detail {
	case DetailHat:
		probe, judged := m["hat_probe"]
		return m["hat_crown"] == 0 && m["hat_forehead_rules"] < cfg.HatSureRules ||
			judged && probe >= 0 && probe < cfg.HatProbeSure
	case DetailMask:
		return m["mask_rules"] < cfg.MaskSureRules && m["mask_no_skin"] == 0
	case DetailSunglasses:
		rules := m["sunglasses_rules"]
		if m["lens_rim"] == 1 {
			if beside := m["lens_rim_beside"]; beside > cfg.SunglassesRimBeside {
				// Sure on its own, unless the step beside is a
				// modest one and no lens rule at all holds with the
				// shadows lifted (a lifted rim's step is smaller, so
				// the rim alone seldom holds there).
				lifted, judged := m["lifted_sunglasses_rules"]
				return judged && lifted == 0 && beside <= cfg.SunglassesRimBesideLifted
			}
			// A step below the eyes' middle only is as likely dark
			// circles or a deep-set eye's shadow as a lens: it makes no
			// finding sure, alone or as a second rule.
			rules--
		}
		return rules < cfg.SunglassesSureRules || m["lifted_sunglasses_doubtful"] == 1
	}
	return false
}

// blurIOD is the distance between the eyes, in pixels, at which the
// face's sharpness is measured: larger faces are shrunk to it, so that
// blur is judged relative to the face (a few pixels of defocus on a face
// filling a 4K frame hide nothing), and smaller ones are measured as they
// are.
const blurIOD = 40

// brighten stretches a dark image (gamma 0.4 after scaling the 99th
// percentile to white) so the detector can tell whether a face is there.
func brighten(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewGray(b)
	var hist [256]int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			Y, _, _ := ycc(img, x, y)
			v := uint8(math.Min(255, Y*255))
			out.SetGray(x, y, grayOf(v))
			hist[v]++
		}
	}
	total := b.Dx() * b.Dy()
	top, acc := 255, 0
	for top > 1 {
		acc += hist[top]
		if acc > total/100 {
			break
		}
		top--
	}
	var lut [256]uint8
	for i := range lut {
		lut[i] = uint8(math.Min(255, 255*math.Pow(math.Min(1, float64(i)/float64(top)), 0.4)))
	}
	for i, v := range out.Pix {
		out.Pix[i] = lut[v]
	}
	return out
}

// analyzeMaxSide is the size selfies are reduced to: the face tests need a
// face ~100 px across, and phone photos are 3000–4000 px.
const analyzeMaxSide = 800

// shrink returns img reduced by area averaging so its longer side is at
// most maxSide, as an NRGBA image; smaller images are returned unchanged,
// or copied to the origin when their bounds do not start there. Box
// coordinates in the report refer to the reduced image.
func shrink(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	side := max(b.Dx(), b.Dy())
	if side <= maxSide {
		if b.Min != (image.Point{}) {
			// A sub-image keeps its parent's coordinates, which the
			// detectors and regions do not expect.
			return toNRGBA(img)
		}
		return img
	}
	f := (side + maxSide - 1) / maxSide
	w, h := b.Dx()/f, b.Dy()/f
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, bl uint32
			for dy := 0; dy < f; dy++ {
				for dx := 0; dx < f; dx++ {
					cr, cg, cb, _ := img.At(b.Min.X+x*f+dx, b.Min.Y+y*f+dy).RGBA()
					r += cr >> 8
					g += cg >> 8
					bl += cb >> 8
				}
			}
			n := uint32(f * f)
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(r/n), uint8(g/n), uint8(bl/n), 255
		}
	}
	return out
}

// fallbackFace finds a face the upright cascade missed: tilted (face.Analyze
// tries rotated cascades) or filling the picture (AnalyzePortrait). Without
// models there is no fallback.
func fallbackFace(img image.Image, models *face.Models) *face.Face {
	if models == nil {
		return nil
	}
	if f, _, err := models.Analyze(img); err == nil && f != nil {
		return f
	}
	if f, err := models.AnalyzePortrait(img); err == nil && f != nil {
		if f.Box.Rect.Dx() <= 0 {
			b := f.Landmarks.Bounds()
			f.Box = face.Box{Rect: b}
		}
		return f
	}
	return nil
}

// faceLandmarks returns the main face's landmarks. On a face the cascade
// missed (cnn) an occluder is likely, and there the landmark net's answer
// depends on the crop: from the usual crop it may settle on a shrunken face
// beside the real one (a masked face under a cap: eyes 85 px apart instead
// of 150), while looser crops agree on the right one. So the net runs from
// the usual crop and from each of weakCropScales, and each point is the
// median of the plausible sets' (robust to the odd set out, and, unlike
// picking one set, not flipping between near-equal sets when the photo
// changes by a grey level). ok is false when the net could not run.
func faceLandmarks(img image.Image, box face.Box, cnn bool, models *face.Models) (face.Landmarks, bool) {
	first, err := models.Landmarks(img, box)
	if err != nil {
		return first, false
	}
	if !cnn {
		return first, true
	}
	more, err := models.LandmarksCentred(img, box, faceCropScales...)
	if err != nil {
		return first, true
	}
	var sets []face.Landmarks
	for _, l := range append([]face.Landmarks{first}, more...) {
		if plausibleLandmarks(&l, box.Rect) {
			sets = append(sets, l)
		}
	}
	if len(sets) == 0 {
		return first, true
	}
	var out face.Landmarks
	xs, ys := make([]float64, len(sets)), make([]float64, len(sets))
	for i := range out {
		for j := range sets {
			xs[j], ys[j] = sets[j][i].X, sets[j][i].Y
		}
		out[i] = face.Point{X: median(xs), Y: median(ys)}
	}
	return out, true
}

// median returns the median of xs, reordering xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// plausibleLandmarks reports whether landmarks fit the face the detector
// boxed: about as wide as the box, centred in it, and the eyes above the
// nose tip above the chin. Measured on the evaluation (docs/selfie.md):
// landmarks fill 0.66–1.22 of a cascade box's width and 0.6–1.25 of a CNN
// box's when they are right; the jumbled ones on masked faces fill
// 0.21–0.42 of it, or put the chin above the eyes.
func plausibleLandmarks(lm *face.Landmarks, box face.Rect) bool {
	b := lm.Bounds()
	c := b.Center()
	eyeY := (mean(lm, 36, 42).Y + mean(lm, 42, 48).Y) / 2
	return b.Dx() >= 0.55*box.Dx() && b.Dx() <= 1.6*box.Dx() &&
		c.X > box.X0 && c.X < box.X1 && c.Y > box.Y0 && c.Y < box.Y1 &&
		eyeY < lm[30].Y && lm[30].Y < lm[8].Y
}

// levelledLens reports whether, on the photo turned so that the eyes of lm
// lie level, a lens's rim shows below the eyes: the rim rule, or the
// lens-colour rule or the lens probe's score in metrics over a rim beside
// the eyes (lensProbeRim), which both need one (SunglassesLevelRoll; box is
// the face's detection box, eyeReblur the eye band's re-blur ratio). It
// judges only a face rolled by SunglassesLevelRoll or more, and records
// eye_roll and the levelled_ rules in metrics.
func levelledLens(img image.Image, lm *face.Landmarks, box face.Rect, eyeReblur float64, cfg Config, metrics map[string]float64) bool {
	roll := eyeRoll(lm)
	if cfg.SunglassesLevelRoll <= 0 || math.Abs(roll) < cfg.SunglassesLevelRoll {
		return false
	}
	lim, llm := levelled(img, lm, roll)
	p := measureParts(lim, placeRegions(box, &llm))
	p.eyeReblur = eyeReblur
	m := map[string]float64{}
	occlusion(p, cfg, m)
	probeRim := lensProbeRim(metrics["lens_probe"], m, cfg)
	metrics["eye_roll"] = roll
	metrics["levelled_lens_rim"] = m["lens_rim"]
	metrics["levelled_lens_colour"] = m["lens_colour"]
	metrics["levelled_lens_probe_rim"] = b2f(probeRim)
	// Only the rules that look along rows for the lens's rim measure a
	// rolled head differently: an eye region's luma and colour barely
	// change when it is turned, and a second look at them only gives a
	// borderline eye a second chance.
	return m["lens_rim"] == 1 || m["lens_colour"] == 1 || probeRim
}

// eyeRoll is the angle of the line from the photo's left eye to its right
// one, in degrees, clockwise on screen (y grows downwards).
func eyeRoll(lm *face.Landmarks) float64 {
	r, l := lm.LeftEye(), lm.RightEye()
	return math.Atan2(l.Y-r.Y, l.X-r.X) * 180 / math.Pi
}

// levelled returns img turned about its centre by deg, the eyes' roll
// (eyeRoll), so that the eyes of lm lie level (capture.Tilted), and lm
// turned with it, in the turned photo's coordinates (its bounds start at 0).
func levelled(img image.Image, lm *face.Landmarks, deg float64) (image.Image, face.Landmarks) {
	a := deg * math.Pi / 180
	b := img.Bounds()
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	cos, sin := math.Cos(a), math.Sin(a)
	var out face.Landmarks
	for i, p := range lm {
		dx, dy := p.X-float64(b.Min.X)-cx, p.Y-float64(b.Min.Y)-cy
		out[i] = face.Point{X: cos*dx + sin*dy + cx, Y: -sin*dx + cos*dy + cy}
	}
	return capture.Tilted(img, deg), out
}
