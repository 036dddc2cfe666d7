package selfie

import (
	"image"
	"image/color"
	"math"

	"github.com/kycgate/kycgate/face"
)

func grayOf(v uint8) color.Gray { return color.Gray{Y: v} }

// layout is where the face's parts are in the image.
type layout struct {
	faceW float64
	// iod is the distance between the eye centres, pixels.
	iod float64
	// extent is the whole face from the top of the forehead to the chin,
	// used for the cut-off test.
	extent     face.Rect
	face       image.Rectangle
	eyeR, eyeL image.Rectangle
	// eyes is a band across both eyes with their lids, lashes and the
	// lower brows: the face's finest detail, where focus shows.
	eyes image.Rectangle
	// noseMouth spans the nostrils, lips and mouth corners, the finest
	// detail of the lower face.
	noseMouth image.Rectangle
	// eyeCoreR and eyeCoreL are the middle of each eye region, where a
	// bare eye's iris and pupil (or, closed, its lash line) always are.
	eyeCoreR, eyeCoreL     image.Rectangle
	cheekR, cheekL         image.Rectangle
	lower                  image.Rectangle
	forehead, foreheadBand image.Rectangle
	// brimSearch spans the forehead and the lower crown, where the lower
	// edge of a hat worn above the forehead crosses.
	brimSearch image.Rectangle
	// upperForehead is where a cap worn high still covers the forehead
	// (and where a fringe or a low hairline puts hair).
	upperForehead image.Rectangle
	// crowns are bands across the top of the head above the forehead,
	// where a hat sits that leaves the forehead bare, each with the
	// picture beside the head at the same height.
	crowns []crownBand
	// mouthOpen is the inner lips' gap over the mouth's width (0 closed,
	// ~0.5 wide open), -1 without landmarks.
	mouthOpen float64
	// mouthBand is a thin band along the line between the lips, across
	// the middle of the mouth (empty without landmarks).
	mouthBand image.Rectangle
	// lowerLip is the middle of the lower lip; philtrum and chinSkin are
	// the skin above the upper lip and below the lower one, the same
	// width (all empty without landmarks).
	lowerLip, philtrum, chinSkin image.Rectangle
	// eyeCentres are the right and left eye's centres.
	eyeCentres [2]face.Point
	// head is a square over the top of the head, from below the brows
	// to above the crown, 2.8 interocular distances wide: what the hat
	// probe looks at.
	head face.Rect
	// eyePair is a square over both eyes, 2.2 interocular distances wide,
	// from the brows to the top of the nose: what the lens probe looks at.
	eyePair face.Rect
	// lowerFace is a square over the lower face, 2.2 interocular distances
	// wide, centred 1.2 below the eyes' middle: the nose, mouth and chin, or
	// a mask over them, with the cheeks beside; what the mask probe looks at.
	lowerFace face.Rect
}

func rectAround(c face.Point, hw, hh float64) image.Rectangle {
	return image.Rect(int(c.X-hw), int(c.Y-hh), int(math.Ceil(c.X+hw)), int(math.Ceil(c.Y+hh)))
}

func mean(l *face.Landmarks, from, to int) face.Point {
	var p face.Point
	for i := from; i < to; i++ {
		p.X += l[i].X
		p.Y += l[i].Y
	}
	n := float64(to - from)
	return face.Point{X: p.X / n, Y: p.Y / n}
}

// placeRegions puts the regions on the landmarks or, without them, on the
// detection box at the average positions of a frontal face.
func placeRegions(box face.Rect, lm *face.Landmarks) layout {
	var eR, eL, noseBot, chin, mouthL, mouthR, brow face.Point
	if lm != nil {
		eR, eL = mean(lm, 36, 42), mean(lm, 42, 48)
		noseBot, chin = lm[33], lm[8]
		mouthL, mouthR = lm[48], lm[54]
		brow = mean(lm, 17, 27)
	} else {
		w, h := box.Dx(), box.Dy()
		at := func(fx, fy float64) face.Point { return face.Point{X: box.X0 + fx*w, Y: box.Y0 + fy*h} }
		eR, eL = at(0.32, 0.42), at(0.68, 0.42)
		noseBot, chin = at(0.5, 0.66), at(0.5, 0.98)
		mouthL, mouthR = at(0.36, 0.8), at(0.64, 0.8)
		brow = at(0.5, 0.32)
	}
	iod := math.Hypot(eL.X-eR.X, eL.Y-eR.Y)
	if iod < 1 {
		iod = math.Max(1, box.Dx()*0.36)
	}
	var g layout
	g.mouthOpen = -1
	if lm != nil {
		g.mouthOpen = math.Hypot(lm[66].X-lm[62].X, lm[66].Y-lm[62].Y) / math.Max(1, math.Hypot(lm[64].X-lm[60].X, lm[64].Y-lm[60].Y))
	}
	g.faceW = iod / 0.42 // the face is ~2.4 interocular distances wide
	if lm != nil {
		lb := lm.Bounds()
		g.faceW = math.Max(lb.Dx(), iod*1.8)
	}
	cx := (eR.X + eL.X) / 2
	top := brow.Y - 0.55*iod
	g.extent = face.Rect{X0: cx - g.faceW/2, Y0: top, X1: cx + g.faceW/2, Y1: chin.Y}
	if lm != nil {
		lb := lm.Bounds()
		g.extent = face.Rect{X0: lb.X0, Y0: math.Min(lb.Y0, top), X1: lb.X1, Y1: lb.Y1}
	}
	g.face = image.Rect(int(cx-0.75*iod), int(brow.Y-0.25*iod), int(cx+0.75*iod), int(chin.Y-0.1*iod))
	g.iod = iod
	g.eyeCentres = [2]face.Point{eR, eL}
	g.eyeR = rectAround(eR, 0.28*iod, 0.17*iod)
	g.noseMouth = image.Rect(int(eR.X), int(math.Max(eR.Y, eL.Y)+0.3*iod), int(math.Ceil(eL.X)), int(math.Ceil(chin.Y-0.1*iod)))
	g.eyes = image.Rect(int(eR.X-0.55*iod), int(math.Min(eR.Y, eL.Y)-0.3*iod), int(math.Ceil(eL.X+0.55*iod)), int(math.Ceil(math.Max(eR.Y, eL.Y)+0.3*iod)))
	g.eyeL = rectAround(eL, 0.28*iod, 0.17*iod)
	g.eyeCoreR = rectAround(eR, 0.15*iod, 0.09*iod)
	g.eyeCoreL = rectAround(eL, 0.15*iod, 0.09*iod)
	g.cheekR = rectAround(face.Point{X: eR.X, Y: eR.Y + 0.6*iod}, 0.18*iod, 0.1*iod)
	g.cheekL = rectAround(face.Point{X: eL.X, Y: eL.Y + 0.6*iod}, 0.18*iod, 0.1*iod)
	g.lower = image.Rect(int(mouthL.X-0.1*iod), int(noseBot.Y+0.08*iod), int(mouthR.X+0.1*iod), int(chin.Y-0.08*iod))
	if lm != nil {
		gapY := (lm[62].Y + lm[66].Y) / 2
		g.mouthBand = image.Rect(int(lm[48].X+0.05*iod), int(gapY-0.04*iod), int(lm[54].X-0.05*iod), int(math.Ceil(gapY+0.04*iod)))
		g.lowerLip = image.Rect(int(lm[58].X), int(lm[66].Y), int(math.Ceil(lm[56].X)), int(math.Ceil(lm[57].Y)))
		g.philtrum = image.Rect(int(lm[58].X), int(noseBot.Y+0.05*iod), int(math.Ceil(lm[56].X)), int(math.Ceil(lm[51].Y-0.03*iod)))
		g.chinSkin = image.Rect(int(lm[58].X), int(lm[57].Y+0.1*iod), int(math.Ceil(lm[56].X)), int(math.Ceil(chin.Y-0.1*iod)))
	}
	g.forehead = image.Rect(int(eR.X), int(brow.Y-0.5*iod), int(eL.X), int(brow.Y-0.12*iod))
	g.upperForehead = image.Rect(int(eR.X), int(brow.Y-0.85*iod), int(eL.X), int(brow.Y-0.5*iod))
	for _, h := range crownHeights {
		lo, hi := brow.Y-h[1]*iod, brow.Y-h[0]*iod
		g.crowns = append(g.crowns, crownBand{
			top:     image.Rect(int(eR.X-0.1*iod), int(lo), int(eL.X+0.1*iod), int(hi)),
			besideR: image.Rect(int(eR.X-1.5*iod), int(lo), int(eR.X-1.0*iod), int(hi)),
			besideL: image.Rect(int(eL.X+1.0*iod), int(lo), int(eL.X+1.5*iod), int(hi)),
		})
	}
	g.brimSearch = image.Rect(int(eR.X-0.1*iod), int(brow.Y-1.3*iod), int(eL.X+0.1*iod), int(brow.Y-0.1*iod))
	hs := 1.4 * iod
	g.head = face.Rect{X0: cx - hs, Y0: brow.Y - 0.6*iod - hs, X1: cx + hs, Y1: brow.Y - 0.6*iod + hs}
	eyesY := (eR.Y + eL.Y) / 2
	g.eyePair = face.Rect{X0: cx - 1.1*iod, Y0: eyesY - 1.1*iod, X1: cx + 1.1*iod, Y1: eyesY + 1.1*iod}
	lowerY := eyesY + 1.2*iod
	g.lowerFace = face.Rect{X0: cx - 1.1*iod, Y0: lowerY - 1.1*iod, X1: cx + 1.1*iod, Y1: lowerY + 1.1*iod}
	g.foreheadBand = image.Rect(int(eR.X-0.1*iod), int(brow.Y-0.9*iod), int(eL.X+0.1*iod), int(brow.Y-0.02*iod))
	return g
}

// crownBand is a band across the top of the head and the picture beside
// the head, left and right, at the same height.
type crownBand struct{ top, besideR, besideL image.Rectangle }

// crownHeights are the crown bands' extents above the brows, in
// interocular distances: the whole top of the head, and its lower part,
// which a cap covers even when the picture shows above it.
var crownHeights = [][2]float64{{0.95, 1.6}, {0.95, 1.3}}

// outside returns how much of the face extent lies outside the image, as a
// fraction of the face width (the largest overhang of any side).
func (g layout) outside(b image.Rectangle) float64 {
	e := g.extent
	o := math.Max(math.Max(float64(b.Min.X)-e.X0, e.X1-float64(b.Max.X)),
		math.Max(float64(b.Min.Y)-e.Y0, e.Y1-float64(b.Max.Y)))
	return math.Max(0, o) / math.Max(1, g.faceW)
}

// backgroundStats measures the image outside a margin around the face.
func backgroundStats(img image.Image, faceR image.Rectangle) stats {
	b := img.Bounds()
	m := faceR.Dx()
	grown := image.Rect(faceR.Min.X-m, faceR.Min.Y-m, faceR.Max.X+m, faceR.Max.Y+2*m)
	// Average the four bands around the face that exist.
	var parts []stats
	for _, r := range []image.Rectangle{
		image.Rect(b.Min.X, b.Min.Y, b.Max.X, grown.Min.Y),
		image.Rect(b.Min.X, grown.Min.Y, grown.Min.X, grown.Max.Y),
		image.Rect(grown.Max.X, grown.Min.Y, b.Max.X, grown.Max.Y),
	} {
		if s := regionStats(img, r); s.N > 16 {
			parts = append(parts, s)
		}
	}
	var out stats
	for _, p := range parts {
		out.Y += p.Y / float64(len(parts))
		out.N += p.N
	}
	return out
}
