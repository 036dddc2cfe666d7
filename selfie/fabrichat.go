package selfie

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"

	"github.com/kycgate/kycgate/face"
)

// The hats drawn by drawCap, drawBeanie, drawWideBrim and drawLogoCap are
// flat colour with geometric edges; real hats are cloth. drawFabricHat
// draws a hat as a photo shows one: woven, knitted, felted or plaited
// texture at several scales, lit from one side over a rounded crown, soft
// edges, the head's roll followed, and the brim's shadow on the forehead.
// The hat probe learns from these (docs/selfie.md, "Hats of cloth").

// hatShape is the cut of a fabric hat.
type hatShape int

const (
	shapeBeanie  hatShape = iota // a knit dome down to the brows, with a cuff
	shapeCap                     // a rounded crown and a visor
	shapeBrimmed                 // a crown with a band and a brim all round
	shapeBeret                   // a flat, wide dome worn to one side
	shapeBucket                  // a crown with a brim sloping down
	hatShapes
)

// fabric is a texture: a luma factor around 1 at a point of the hat, in
// the hat's own frame (u across the head, v up from its base, both in
// interocular distances).
type fabric func(u, v float64) float64

// fabricHatColours are the cloth colours: those of the other hats and
// caps, and muted ones a photo of a hat often shows.
var fabricHatColours = append(append([]rgb{
	{0.2, 0.18, 0.16}, {0.55, 0.52, 0.48}, {0.62, 0.45, 0.3}, {0.3, 0.22, 0.15}, {0.5, 0.12, 0.2},
	{0.18, 0.28, 0.4}, {0.7, 0.65, 0.5}, {0.95, 0.93, 0.88}, {0.25, 0.3, 0.22}, {0.85, 0.45, 0.5},
}, capColours...), styleHatColours...)

// drawFabricHat draws a hat of a random shape, cloth and colour on the
// face laid out by lm. With cropped, the photo is then cut off across the
// hat's crown, as a tight crop cuts a head (see cutAbove).
func drawFabricHat(img image.Image, lm *face.Landmarks, rng *rand.Rand, cropped bool) image.Image {
	out := toNRGBA(img)
	g := geomOf(img, lm)
	shape := hatShape(rng.IntN(int(hatShapes)))
	cloth := randomFabric(rng, shape)
	col := pick(rng, fabricHatColours)
	col = rgb{col[0] * uniform(rng, 0.85, 1.15), col[1] * uniform(rng, 0.85, 1.15), col[2] * uniform(rng, 0.85, 1.15)}.scale(g.light)
	h := newHatGeometry(g, shape, rng)
	// The light comes from above and to one side.
	light := [3]float64{uniform(rng, -0.7, 0.7), uniform(rng, 0.2, 0.8), 1}
	ln := math.Sqrt(light[0]*light[0] + light[1]*light[1] + 1)
	for i := range light {
		light[i] /= ln
	}
	ambient := uniform(rng, 0.35, 0.6)
	noise := uniform(rng, 0.01, 0.04)
	reach := 2.5 * h.iod
	r := image.Rect(int(h.ox-reach), int(h.oy-reach), int(h.ox+reach)+1, int(h.oy+h.shadowH*h.iod)+int(h.iod)+1).Intersect(out.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			u, v := h.frame(float64(x)+0.5, float64(y)+0.5)
			part, cover, n := h.at(u, v)
			if cover <= 0 {
				if s := h.shadow(u, v); s > 0 {
					setRGB(out, x, y, getRGB(out, x, y).scale(1-s))
				}
				continue
			}
			lit := ambient + (1-ambient)*math.Max(0, n[0]*light[0]+n[1]*light[1]+n[2]*light[2])
			c := col.scale(lit * part.shade * cloth(u*part.stretch, v) * (1 + noise*rng.NormFloat64()))
			if part.band {
				c = h.band.scale(lit * cloth(u, v))
			}
			blend(out, x, y, c, cover)
		}
	}
	// Drawn for every hat, so the seeds of the ones after it do not
	// depend on cropped.
	cutAt := h.base + uniform(rng, 0.3, 0.9)*h.height
	if cropped {
		if cut := cutAbove(out, g, cutAt); cut != nil {
			return cut
		}
	}
	return out
}

// cutAbove returns the part of img below the line height interocular
// distances above the brows, as a photo whose frame cuts the head off
// there; nil when the photo already ends below that line.
func cutAbove(img image.Image, g faceGeom, height float64) image.Image {
	b := img.Bounds()
	cut := int(g.browY - height*g.iod)
	if cut <= 0 {
		return nil
	}
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()-cut))
	draw.Draw(out, out.Rect, img, image.Pt(b.Min.X, b.Min.Y+cut), draw.Src)
	return out
}

// hatPart is what a point of the hat belongs to.
type hatPart struct {
	shade   float64 // the part's own darkening: a visor's underside, a cuff
	stretch float64 // the cloth's scale across: a cuff's ribs run finer
	band    bool    // a ribbon of another colour round the crown
}

// hatGeometry places a hat in the face's frame: origin between the brows'
// mean height and the eyes' midpoint, u along the eye line, v up.
type hatGeometry struct {
	shape     hatShape
	ox, oy    float64 // the origin in the photo
	cos, sin  float64 // the head's roll
	iod       float64
	base      float64 // v of the crown's base (the brim or the cuff's lower edge)
	halfWidth float64 // the crown's half width at its base
	height    float64 // the crown's height above base
	brimHW    float64 // the brim's half width (brimmed, bucket) or the visor's
	brimHH    float64 // the brim's or visor's half height
	cuff      float64 // a beanie's cuff height
	drop      float64 // how much lower a beanie comes at the sides
	side      float64 // a beret's lean, −1 to 1
	shadowH   float64 // depth of the shadow below the brim, interocular distances
	shadowMax float64 // its darkening at the brim
	band      rgb
}

func newHatGeometry(g faceGeom, shape hatShape, rng *rand.Rand) hatGeometry {
	roll := math.Atan2(g.eyeL.Y-g.eyeR.Y, g.eyeL.X-g.eyeR.X)
	faceHW := math.Abs(g.jaw[16].X-g.jaw[0].X) / 2 / g.iod
	h := hatGeometry{
		shape: shape, ox: g.cx, oy: g.browY, cos: math.Cos(roll), sin: math.Sin(roll), iod: g.iod,
		halfWidth: faceHW + uniform(rng, 0.1, 0.4),
		height:    uniform(rng, 1.1, 1.7),
		shadowH:   uniform(rng, 0.1, 0.45),
		shadowMax: uniform(rng, 0.1, 0.45),
		band:      pick(rng, []rgb{{0.08, 0.08, 0.08}, {0.45, 0.3, 0.18}, {0.6, 0.12, 0.12}, {0.85, 0.83, 0.78}}).scale(g.light),
	}
	switch shape {
	case shapeBeanie:
		h.base = uniform(rng, 0.05, 0.5)
		h.cuff = uniform(rng, 0, 0.45)
		h.drop = uniform(rng, 0, 0.5)
		h.shadowMax *= 0.3
	case shapeCap:
		h.base = uniform(rng, 0.1, 0.6)
		h.brimHW, h.brimHH = h.halfWidth*uniform(rng, 0.85, 1.1), uniform(rng, 0.12, 0.3)
		h.height = uniform(rng, 0.9, 1.3)
	case shapeBrimmed:
		h.base = uniform(rng, 0.25, 0.7)
		h.brimHW, h.brimHH = h.halfWidth*uniform(rng, 1.3, 2.1), uniform(rng, 0.1, 0.35)
		h.halfWidth *= uniform(rng, 0.8, 0.95)
		h.height = uniform(rng, 0.8, 1.3)
	case shapeBeret:
		h.base = uniform(rng, 0.3, 0.8)
		h.side = uniform(rng, -0.6, 0.6)
		h.halfWidth *= uniform(rng, 1.05, 1.35)
		h.height = uniform(rng, 0.45, 0.8)
		h.shadowMax *= 0.4
	case shapeBucket:
		h.base = uniform(rng, 0.35, 0.8)
		h.brimHW, h.brimHH = h.halfWidth*uniform(rng, 1.1, 1.35), uniform(rng, 0.3, 0.5)
		h.halfWidth *= uniform(rng, 0.85, 0.95)
		h.height = uniform(rng, 0.7, 1.0)
	}
	return h
}

// frame returns a photo point in the hat's frame.
func (h hatGeometry) frame(x, y float64) (u, v float64) {
	dx, dy := x-h.ox, y-h.oy
	return (dx*h.cos + dy*h.sin) / h.iod, -(-dx*h.sin + dy*h.cos) / h.iod
}

// edge is the soft edge of the hat, in interocular distances: about a
// pixel on a small face, a little more on a large one.
func (h hatGeometry) edge() float64 { return math.Max(1.2/h.iod, 0.015) }

// coverage turns an implicit shape value (below 1 inside) at a distance
// scale of size interocular distances into an opacity with a soft edge.
func (h hatGeometry) coverage(f, size float64) float64 {
	return math.Max(0, math.Min(1, (1-f)*size/h.edge()))
}

// at returns the part of the hat at (u, v), how much it covers the pixel
// (0: not at all) and the cloth's surface normal there (x right, y up, z
// toward the camera).
func (h hatGeometry) at(u, v float64) (hatPart, float64, [3]float64) {
	crown := hatPart{shade: 1, stretch: 1}
	// The crown: a dome over the base, squarer for a beanie.
	cu := (u - h.side*h.halfWidth*0.3) / h.halfWidth
	// A beanie pulled over the ears comes lower at the sides.
	cv := (v - h.base + h.drop*cu*cu) / h.height
	if h.shape == shapeBrimmed || h.shape == shapeBucket {
		cu /= 1 - 0.12*math.Max(0, cv) // the crown tapers
	}
	exp := 2.0
	if h.shape == shapeBeanie || h.shape == shapeBrimmed {
		exp = 2.6
	}
	var domeF float64
	if cv >= 0 {
		domeF = math.Pow(math.Abs(cu), exp) + math.Pow(cv, exp)
	} else if h.shape == shapeBeret {
		domeF = cu*cu + (cv*h.height/0.12)*(cv*h.height/0.12) // a beret's rolled rim
	} else {
		domeF = math.Pow(math.Abs(cu), exp) + math.Pow(-cv*h.height/h.edge()/4, 2)
	}
	normal := func(a, b float64) [3]float64 {
		z := math.Sqrt(math.Max(0.05, 1-a*a-b*b))
		return [3]float64{a, b, z}
	}
	dome := h.coverage(domeF, math.Min(h.halfWidth, h.height))
	n := normal(math.Max(-1, math.Min(1, cu)), math.Max(0, math.Min(1, cv)))
	// Brims and visors lie in front of the crown's base.
	if h.brimHW > 0 {
		bu, bv := u/h.brimHW, (v-h.base)/h.brimHH
		var brimF float64
		switch h.shape {
		case shapeCap:
			// A visor: round below, flat on top.
			brimF = bu*bu + bv*bv
			if bv > 0 {
				brimF = bu*bu + math.Pow(bv/0.3, 8)
			}
		case shapeBucket:
			// A brim sloping down from the crown's base.
			w := h.halfWidth + (h.brimHW-h.halfWidth)*math.Max(0, math.Min(1, -bv))
			brimF = math.Max(math.Abs(u)/w, math.Abs(bv+0.5)*2)
		default:
			brimF = bu*bu + bv*bv
		}
		if c := h.coverage(brimF, h.brimHH); c > 0 {
			under := hatPart{shade: 0.72 + 0.2*math.Max(0, bv), stretch: 1}
			return under, math.Max(c, dome*(1-c)), [3]float64{0, 0.3, 1}
		}
	}
	if dome <= 0 {
		return crown, 0, n
	}
	if h.cuff > 0 && cv < h.cuff/h.height {
		return hatPart{shade: 0.92, stretch: 1.6}, dome, [3]float64{n[0], 0, n[2]}
	}
	if h.shape == shapeBrimmed && cv < 0.22 {
		return hatPart{band: true}, dome, n
	}
	return crown, dome, n
}

// shadow is the darkening a brim or the hat's base casts on the face
// below it, at (u, v).
func (h hatGeometry) shadow(u, v float64) float64 {
	bottom := h.base
	if h.brimHH > 0 {
		bottom -= h.brimHH * 0.6
	}
	d := bottom - v
	if d < 0 || d > h.shadowH || math.Abs(u) > h.halfWidth*0.95 {
		return 0
	}
	return h.shadowMax * (1 - d/h.shadowH)
}

// randomFabric chooses a cloth for the shape: knit for beanies, felt,
// twill or canvas for the rest, straw for brimmed hats.
func randomFabric(rng *rand.Rand, shape hatShape) fabric {
	seed := rng.Uint64()
	grain := uniform(rng, 0.03, 0.09)
	depth := uniform(rng, 0.05, 0.15)
	fuzz := func(u, v float64) float64 { return depth * fractalNoise(u/grain, v/grain, seed) }
	kinds := []fabric{
		// Felt or fleece: soft noise at several scales.
		func(u, v float64) float64 { return 1 + fuzz(u, v) },
		// Twill: fine diagonal ribs.
		func(u, v float64) float64 {
			return 1 + 0.6*depth*math.Sin(2*math.Pi*(u*0.8+v)/(grain*0.6)) + 0.7*fuzz(u, v)
		},
	}
	knit := func(u, v float64) float64 {
		// Columns of V-shaped stitches.
		col := u / grain
		row := v/(grain*0.8) + 0.6*math.Abs(col-math.Floor(col)-0.5)
		return 1 + 2*depth*(math.Abs(math.Sin(math.Pi*col))-0.6)*(0.7+0.3*math.Cos(2*math.Pi*row)) + 0.5*fuzz(u, v)
	}
	straw := func(u, v float64) float64 {
		// A plait: diagonal strands crossing in a checker.
		a, b := (u+v)/grain, (u-v)/grain
		weave := math.Sin(math.Pi * a)
		if (int(math.Floor(a/2))+int(math.Floor(b/2)))%2 == 0 {
			weave = math.Sin(math.Pi * b)
		}
		return 1 + 1.5*depth*weave + 0.5*fuzz(u, v)
	}
	switch shape {
	case shapeBeanie:
		kinds = append(kinds, knit, knit, knit)
	case shapeBrimmed, shapeBucket:
		kinds = append(kinds, straw)
	case shapeBeret:
		kinds = append(kinds, knit)
	}
	return pick(rng, kinds)
}

// fractalNoise is smooth value noise summed over four octaves, about −1 to
// 1, the same for the same seed and point.
func fractalNoise(x, y float64, seed uint64) float64 {
	sum, amp := 0.0, 0.5
	for o := range 4 {
		sum += amp * valueNoise(x, y, seed+uint64(o))
		x, y, amp = x*2.03, y*2.03, amp/2
	}
	return sum / 0.9375
}

// valueNoise interpolates pseudo-random values at the integer lattice
// points smoothly.
func valueNoise(x, y float64, seed uint64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	fx, fy = fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	at := func(i, j float64) float64 {
		h := seed ^ uint64(int64(i))*0x9E3779B97F4A7C15 ^ uint64(int64(j))*0xC2B2AE3D27D4EB4F
		h ^= h >> 31
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 29
		return float64(h>>11)/float64(1<<53)*2 - 1
	}
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bottom := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return top*(1-fy) + bottom*fy
}
