package selfie

import (
	"image"
	"math"
)

// occlusion measures the eye, lower-face and forehead regions against the
// face's own skin and returns the details of what hides the face.
func occlusion(img image.Image, g layout, cfg Config, m map[string]float64) []string {
	grey := isGreyscale(img, g.face)
	eyeR, eyeL := regionStats(img, g.eyeR), regionStats(img, g.eyeL)
	cheekR, cheekL := regionStats(img, g.cheekR), regionStats(img, g.cheekL)
	lower := regionStats(img, g.lower)
	fore := regionStats(img, g.forehead)
	edge := rowEdge(img, g.foreheadBand)

	// The skin reference is whichever of cheeks and forehead looks most
	// like skin: a mask hides the cheeks, a hat the forehead.
	ref := cheekR
	for _, s := range []stats{cheekL, fore} {
		if s.Skin > ref.Skin+0.1 || (grey && s.Y > ref.Y) {
			ref = s
		}
	}
	eyeY := (eyeR.Y + eyeL.Y) / 2
	eyeSkin := (eyeR.Skin + eyeL.Skin) / 2
	eyeRatio := eyeY / math.Max(ref.Y, 1e-3)
	m["eye_ratio"] = eyeRatio
	m["eye_skin"] = eyeSkin
	m["eye_bright"] = (eyeR.Bright + eyeL.Bright) / 2
	m["eye_grad"] = (eyeR.Grad + eyeL.Grad) / 2
	m["ref_skin"] = ref.Skin
	m["ref_luma"] = ref.Y
	m["lower_skin"] = lower.Skin
	m["lower_chroma_dist"] = chromaDist(lower, ref)
	m["lower_luma_ratio"] = lower.Y / math.Max(ref.Y, 1e-3)
	m["forehead_skin"] = fore.Skin
	m["forehead_chroma_dist"] = chromaDist(fore, ref)
	m["forehead_edge"] = edge
	m["greyscale"] = b2f(grey)

	var out []string
	if eyeRatio < cfg.SunglassesRatio && (grey || eyeSkin < cfg.SunglassesSkin) {
		out = append(out, DetailSunglasses)
	}
	lowerRatio := lower.Y / math.Max(ref.Y, 1e-3)
	// A wide-open mouth is dark and not skin-coloured either, but darker
	// than any mask fabric measured: MaskMinLuma keeps it a face. A lower
	// face that is skin-coloured throughout but of another shade (a beard,
	// make-up, shadow) is no mask: MaskChromaSkin.
	if !grey && (lower.Skin < cfg.MaskSkin && ref.Skin > cfg.RefSkin && lowerRatio > cfg.MaskMinLuma ||
		chromaDist(lower, ref) > cfg.MaskChroma && lower.Skin < cfg.MaskChromaSkin) {
		out = append(out, DetailMask)
	}
	if !grey && (fore.Skin < cfg.HatSkin || chromaDist(fore, ref) > cfg.HatChroma && edge > cfg.HatEdge) {
		out = append(out, DetailHat)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
