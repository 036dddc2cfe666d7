package liveness

import (
	"math"
	"sort"

	"github.com/kycgate/kycgate/face"
)

// Point is a landmark position in image pixels.
type Point = face.Point

// Shape is the 68-point iBUG/dlib layout (jaw 0–16, brows 17–26, nose
// 27–35, eyes 36–47 with the subject's right eye first, lips 48–67) that
// face-api.js's FaceLandmark68Net produces.
type Shape [68]Point

func dist(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

func mid(ps ...Point) Point {
	var m Point
	for _, p := range ps {
		m.X += p.X
		m.Y += p.Y
	}
	n := float64(len(ps))
	return Point{X: m.X / n, Y: m.Y / n}
}

// eyeAspect is Soukupová and Čech's eye aspect ratio of one eye given its
// six points p1..p6: the two lid distances over twice the corner distance.
// It is ~0.25–0.35 open and falls toward 0.1 when the eye closes,
// independent of face size and in-plane rotation.
func eyeAspect(p []Point) float64 {
	w := dist(p[0], p[3])
	if w <= 0 {
		return 0
	}
	return (dist(p[1], p[5]) + dist(p[2], p[4])) / (2 * w)
}

// EAR is the mean eye aspect ratio of both eyes.
func (s *Shape) EAR() float64 {
	return (eyeAspect(s[36:42]) + eyeAspect(s[42:48])) / 2
}

// MAR is the mouth aspect ratio from the inner lip contour (60–67): the
// three vertical gaps over twice the width. Closed lips give ~0, a
// deliberately opened mouth 0.3 and more.
func (s *Shape) MAR() float64 {
	w := dist(s[60], s[64])
	if w <= 0 {
		return 0
	}
	return (dist(s[61], s[67]) + dist(s[62], s[66]) + dist(s[63], s[65])) / (2 * w)
}

// upright returns the shape rotated so the line between the eye centres is
// horizontal and scaled so the eyes are one unit apart: head roll and
// distance to the camera then drop out of the pose proxies.
func (s *Shape) upright() (out Shape, iod float64) {
	re := mid(s[36:42]...)
	le := mid(s[42:48]...)
	dx, dy := le.X-re.X, le.Y-re.Y
	iod = math.Hypot(dx, dy)
	if iod == 0 {
		return *s, 0
	}
	c, sn := dx/iod, dy/iod
	for i, p := range s {
		x, y := p.X-re.X, p.Y-re.Y
		out[i] = Point{X: (x*c + y*sn) / iod, Y: (-x*sn + y*c) / iod}
	}
	return out, iod
}

// Yaw is a head-yaw proxy in [-1, 1]: where the nose tip sits between the
// two sides of the face contour, 0 when frontal. Positive when the subject
// turns to their own left (the nose moves toward the image's right).
func (s *Shape) Yaw() float64 {
	u, iod := s.upright()
	if iod == 0 {
		return 0
	}
	// Average three contour heights so one badly placed jaw point does not
	// decide the pose.
	var r float64
	for _, k := range [][2]int{{0, 16}, {1, 15}, {2, 14}} {
		l, rr := u[k[0]].X, u[k[1]].X
		if rr-l <= 0 {
			return 0
		}
		r += (u[30].X - l) / (rr - l)
	}
	return (r/3 - 0.5) * 2
}

// Pitch is a head-pitch proxy: how far down the nose tip lies between the
// eye line and the chin, as a fraction of that distance (~0.4–0.5
// frontal). The nose tip stands out of the face, so nodding down moves it
// toward the chin in the picture and looking up toward the eyes; both ends
// are near the face's plane. Measured along the upright face, it does not
// change with head roll, distance or any similarity transform of the image.
func (s *Shape) Pitch() float64 {
	u, iod := s.upright()
	if iod == 0 {
		return 0
	}
	eyes := mid(mid(u[36:42]...), mid(u[42:48]...))
	span := u[8].Y - eyes.Y
	if span <= 0 {
		return 0
	}
	return (u[30].Y - eyes.Y) / span
}

// FaceHeight is the distance from the midpoint of the eyes to the chin in
// pixels: the unit for how far the face moves up or down in the picture.
func (s *Shape) FaceHeight() float64 {
	return dist(mid(mid(s[36:42]...), mid(s[42:48]...)), s[8])
}

// IOD is the distance between the eye centres in pixels.
func (s *Shape) IOD() float64 { return dist(mid(s[36:42]...), mid(s[42:48]...)) }

// affineResidual fits the best 2-D affine map from a to b over all 68
// points (least squares) and returns the RMS residual divided by the
// interocular distance. A flat photo moved, tilted or rescaled in front of
// the camera changes its landmarks by (nearly) an affine map, so the residual
// stays at the detector's jitter; a live face that blinks, opens its mouth
// or turns in depth deforms beyond any affine map.
func affineResidual(a, b *Shape) float64 {
	iod := b.IOD()
	if iod == 0 {
		return 0
	}
	// Normal equations for x' = p·[x y 1] and y' = q·[x y 1].
	var ata [3][3]float64
	var atx, aty [3]float64
	for i := range a {
		v := [3]float64{a[i].X, a[i].Y, 1}
		for r := 0; r < 3; r++ {
			for c := 0; c < 3; c++ {
				ata[r][c] += v[r] * v[c]
			}
			atx[r] += v[r] * b[i].X
			aty[r] += v[r] * b[i].Y
		}
	}
	p, ok1 := solve3(ata, atx)
	q, ok2 := solve3(ata, aty)
	if !ok1 || !ok2 {
		return 0
	}
	var ss float64
	for i := range a {
		x := p[0]*a[i].X + p[1]*a[i].Y + p[2]
		y := q[0]*a[i].X + q[1]*a[i].Y + q[2]
		ss += (x-b[i].X)*(x-b[i].X) + (y-b[i].Y)*(y-b[i].Y)
	}
	return math.Sqrt(ss/float64(len(a))) / iod
}

// solve3 solves a 3×3 linear system by Cramer's rule.
func solve3(m [3][3]float64, v [3]float64) ([3]float64, bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(m)
	if math.Abs(d) < 1e-12 {
		return [3]float64{}, false
	}
	var out [3]float64
	for c := 0; c < 3; c++ {
		mc := m
		for r := 0; r < 3; r++ {
			mc[r][c] = v[r]
		}
		out[c] = det(mc) / d
	}
	return out, true
}

// quantile returns the q-quantile (0..1) of xs, not modifying xs.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	f := pos - float64(lo)
	return s[lo]*(1-f) + s[hi]*f
}
