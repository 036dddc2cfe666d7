package face

import (
	"fmt"
	"image"
	"math"
)

// ssdModel is the weight prefix of face-api.js's SsdMobilenetv1.
const ssdModel = "ssd_mobilenetv1_model"

// ssdInput is the detector's fixed input side: its 5118 prior boxes are
// laid out for the feature maps of a 512-pixel input.
const ssdInput = 512

// ssdNMS is face-api.js's IoU threshold between two kept SSD detections.
const ssdNMS = 0.5

// ssdPriors is the number of prior boxes (anchors) of the six feature maps:
// 32²·3 + 16²·6 + 8²·6 + 4²·6 + 2²·6 + 1·6.
const ssdPriors = 5118

// bnEpsilon is the batch-normalisation epsilon of the exported graph.
const bnEpsilon = 0.0010000000474974513

// pointwiseBN is face-api.js's pointwiseConvLayer: a convolution whose batch
// normalisation is folded into an offset, then ReLU6.
type pointwiseBN struct {
	filters, offset []float32
	k, cout         int
}

func (p *pointwiseBN) forward(x *fmap, stride int) *fmap {
	out := conv2d(x, p.filters, p.k, p.cout, stride, padSame)
	out.addBias(p.offset)
	out.relu6()
	return out
}

// depthwiseBN is face-api.js's MobileNetV1 depthwiseConvLayer: a 3×3
// depthwise convolution, batch normalisation, ReLU6.
type depthwiseBN struct {
	filters []float32
	// gain and shift are the batch normalisation per channel, in double
	// precision as tfjs's CPU kernel computes it: offset + (x − mean)·
	// scale/√(var + ε) = shift + x·gain.
	gain, shift []float64
}

func newDepthwiseBN(filters, scale, offset, mean, variance []float32) *depthwiseBN {
	d := &depthwiseBN{filters: filters, gain: make([]float64, len(scale)), shift: make([]float64, len(scale))}
	if len(offset) != len(scale) || len(mean) != len(scale) || len(variance) != len(scale) {
		return d // a weight was missing: newSSDNet reports it
	}
	for c := range scale {
		d.gain[c] = float64(scale[c]) / math.Sqrt(float64(variance[c])+bnEpsilon)
		d.shift[c] = float64(offset[c]) - float64(mean[c])*d.gain[c]
	}
	return d
}

func (d *depthwiseBN) forward(x *fmap, stride int) *fmap {
	out := depthwise3(x, d.filters, stride)
	c := out.C
	for i := 0; i < len(out.D); i += c {
		row := out.D[i : i+c]
		for j, v := range row {
			row[j] = float32(d.shift[j] + float64(v)*d.gain[j])
		}
	}
	out.relu6()
	return out
}

// boxPredictor turns one feature map into box encodings (4 per anchor) and
// class logits (background, face, unused: 3 per anchor).
type boxPredictor struct {
	boxW, boxB, clsW, clsB []float32
	anchors                int
}

// ssdNet is face-api.js's SsdMobilenetv1: a MobileNetV1 body (a strided
// 3×3 convolution and 13 depthwise-separable pairs, ReLU6), four more
// strided convolution pairs, and box predictors on six feature maps
// (32², 16², 8², 4², 2², 1² cells at 512 px) decoded against fixed priors.
type ssdNet struct {
	conv0 *pointwiseBN
	pairs [13]struct {
		dw *depthwiseBN
		pw *pointwiseBN
	}
	extra      [8]*pointwiseBN
	predictors [6]*boxPredictor
	priors     []float32 // ssdPriors × (ymin, xmin, ymax, xmax), relative
}

func newSSDNet(m map[string]*Tensor) (*ssdNet, error) {
	w := &weightSet{m: m}
	pw := func(prefix string, k, cin, cout int) *pointwiseBN {
		return &pointwiseBN{
			filters: w.get(prefix+"/weights", k, k, cin, cout),
			offset:  w.get(prefix+"/convolution_bn_offset", cout),
			k:       k, cout: cout,
		}
	}
	n := &ssdNet{conv0: pw("MobilenetV1/Conv2d_0_pointwise", 3, 3, 32)}
	chans := []int{32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024}
	for i := range n.pairs {
		cin, cout := chans[i], chans[i+1]
		p := fmt.Sprintf("MobilenetV1/Conv2d_%d_depthwise/", i+1)
		n.pairs[i].dw = newDepthwiseBN(
			w.get(p+"depthwise_weights", 3, 3, cin, 1),
			w.get(p+"BatchNorm/gamma", cin),
			w.get(p+"BatchNorm/beta", cin),
			w.get(p+"BatchNorm/moving_mean", cin),
			w.get(p+"BatchNorm/moving_variance", cin),
		)
		n.pairs[i].pw = pw(fmt.Sprintf("MobilenetV1/Conv2d_%d_pointwise", i+1), 1, cin, cout)
	}
	extra := []struct{ k, cin, cout int }{
		{1, 1024, 256}, {3, 256, 512}, {1, 512, 128}, {3, 128, 256},
		{1, 256, 128}, {3, 128, 256}, {1, 256, 64}, {3, 64, 128},
	}
	for i, e := range extra {
		n.extra[i] = pw(fmt.Sprintf("Prediction/Conv2d_%d_pointwise", i), e.k, e.cin, e.cout)
	}
	predIn := []int{512, 1024, 512, 256, 256, 128}
	for i, cin := range predIn {
		a := 6
		if i == 0 {
			a = 3
		}
		p := fmt.Sprintf("Prediction/BoxPredictor_%d/", i)
		n.predictors[i] = &boxPredictor{
			boxW:    w.get(p+"BoxEncodingPredictor/weights", 1, 1, cin, 4*a),
			boxB:    w.get(p+"BoxEncodingPredictor/biases", 4*a),
			clsW:    w.get(p+"ClassPredictor/weights", 1, 1, cin, 3*a),
			clsB:    w.get(p+"ClassPredictor/biases", 3*a),
			anchors: a,
		}
	}
	n.priors = w.get("Output/extra_dim", 1, ssdPriors, 4)
	if w.err != nil {
		return nil, w.err
	}
	return n, nil
}

// forward runs the network on a 512×512 RGB input of pixel values and
// returns, for every prior, the decoded box (ymin, xmin, ymax, xmax,
// relative to the input square) and the face probability, as face-api.js's
// SsdMobilenetv1.forwardInput does.
func (n *ssdNet) forward(pix []float32) (boxes []float32, scores []float32) {
	x := newFmap(ssdInput, ssdInput, 3)
	for i, v := range pix {
		x.D[i] = v/127.5 - 1
	}
	var conv11 *fmap
	x = n.body(x, func(pair int, out *fmap) {
		if pair == 11 {
			conv11 = out
		}
	})
	maps := []*fmap{conv11, x}
	e := x
	for i, c := range n.extra {
		e = c.forward(e, 1+i%2)
		if i%2 == 1 {
			maps = append(maps, e)
		}
	}
	boxes = make([]float32, 0, 4*ssdPriors)
	scores = make([]float32, 0, ssdPriors)
	for i, fm := range maps {
		p := n.predictors[i]
		enc := conv2d(fm, p.boxW, 1, 4*p.anchors, 1, padSame)
		enc.addBias(p.boxB)
		cls := conv2d(fm, p.clsW, 1, 3*p.anchors, 1, padSame)
		cls.addBias(p.clsB)
		for a := 0; a < len(cls.D)/3; a++ {
			k := len(scores)
			if k >= ssdPriors {
				break
			}
			scores = append(scores, float32(sigmoid(float64(cls.D[3*a+1]))))
			boxes = append(boxes, decodeSSDBox(n.priors[4*k:4*k+4], enc.D[4*a:4*a+4])...)
		}
	}
	return boxes, scores
}

// body runs the MobileNetV1 body on x (pixel values scaled to −1…1) and
// returns its last feature map; tap, when not nil, sees the output of
// each depthwise-separable pair (numbered 1–13 as in the weight names).
func (n *ssdNet) body(x *fmap, tap func(pair int, out *fmap)) *fmap {
	x = n.conv0.forward(x, 2)
	for i, p := range n.pairs {
		stride := 1
		switch i + 1 {
		case 2, 4, 6, 12:
			stride = 2
		}
		x = p.dw.forward(x, stride)
		x = p.pw.forward(x, 1)
		if tap != nil {
			tap(i+1, x)
		}
	}
	return x
}

// decodeSSDBox is face-api.js's decodeBoxesLayer for one prior (ymin, xmin,
// ymax, xmax) and its encoding (dy·10, dx·10, log h·5, log w·5).
func decodeSSDBox(prior, enc []float32) []float32 {
	h := float64(prior[2] - prior[0])
	w := float64(prior[3] - prior[1])
	cy := float64(prior[0]) + h/2
	cx := float64(prior[1]) + w/2
	halfH := math.Exp(float64(enc[2])/5) * h / 2
	halfW := math.Exp(float64(enc[3])/5) * w / 2
	y := float64(enc[0])/10*h + cy
	x := float64(enc[1])/10*w + cx
	return []float32{float32(y - halfH), float32(x - halfW), float32(y + halfH), float32(x + halfW)}
}

// DetectSSD finds faces with face-api.js's SsdMobilenetv1, the package's
// stronger and far costlier detector (about 50 times the TinyFaceDetector's
// multiply-adds), and returns those scoring above minScore in image
// coordinates, best first.
func (m *Models) DetectSSD(img image.Image, minScore float64) []Box {
	return m.detectSSDRGB(toRGB(img), 0, minScore)
}

// DetectSSDBorder is DetectSSD on the photo inside a black border of margin
// times its longer side on every side. A face filling or leaving the frame
// (a tight selfie, a face cut off at the edge) is smaller than the priors
// it needs until a border shrinks it: on the masked selfies no detector
// finds, SSD scores 0.41, 0.16 and 0.11 without a border and 0.85, 0.58 and
// 0.80 with a 0.3 border (docs/selfie.md). Boxes may extend past the photo
// (into the border), which tells the caller the face is cut off.
func (m *Models) DetectSSDBorder(img image.Image, margin, minScore float64) []Box {
	return m.detectSSDRGB(toRGB(img), margin, minScore)
}

func (m *Models) detectSSDRGB(rgb *rgbImage, margin, minScore float64) []Box {
	if rgb.W < 1 || rgb.H < 1 {
		return nil
	}
	long := float64(max(rgb.W, rgb.H))
	pad := margin * long
	side := long + 2*pad
	s := side / ssdInput
	boxes, scores := m.ssd.forward(rgb.warp(affine{A: s, C: -pad, E: s, F: -pad}, ssdInput))
	found := decodeSSD(boxes, scores, side, minScore)
	for i := range found {
		r := &found[i].Rect
		r.X0, r.Y0, r.X1, r.Y1 = r.X0-pad, r.Y0-pad, r.X1-pad, r.Y1-pad
	}
	return found
}

// decodeSSD keeps the priors scoring above minScore, suppresses overlaps
// and returns the boxes in the coordinates of the input square of side
// pixels, clipped to it as face-api.js clips them.
func decodeSSD(boxes, scores []float32, side, minScore float64) []Box {
	var cands []Box
	for i, sc := range scores {
		if float64(sc) <= minScore {
			continue
		}
		b := boxes[4*i : 4*i+4]
		cands = append(cands, Box{Rect: Rect{float64(b[1]), float64(b[0]), float64(b[3]), float64(b[2])}, Score: float64(sc)})
	}
	kept := suppressIoU(cands, ssdNMS)
	clip := func(v float64) float64 { return math.Max(0, math.Min(1, v)) * side }
	for i := range kept {
		r := &kept[i].Rect
		r.X0, r.Y0, r.X1, r.Y1 = clip(r.X0), clip(r.Y0), clip(r.X1), clip(r.Y1)
	}
	return kept
}

// LandmarksCentred places the 68 points on the face SsdMobilenetv1 boxed,
// starting the landmark passes (Landmarks) from a square crop centred on the
// box, of side scale times the box's longer side, once per scale. Landmarks
// frames its first crop for pigo's boxes, which reach up into the hair; an
// SSD box on a masked face reaches down over the mask to the neck instead,
// and that framing leaves the landmark net too little face to fit. Several
// scales let the caller check that the points do not depend on the framing.
func (m *Models) LandmarksCentred(img image.Image, box Box, scales ...float64) ([]Landmarks, error) {
	rgb := toRGB(img)
	out := make([]Landmarks, 0, len(scales))
	for _, sc := range scales {
		// The crop Landmarks takes for a box of this side and centre.
		side := sc * math.Max(box.Rect.Dx(), box.Rect.Dy()) / detectionBoxScale
		c := box.Rect.Center()
		c.Y -= detectionBoxShift * side
		lm, err := m.landmarksRGB(rgb, Rect{c.X - side/2, c.Y - side/2, c.X + side/2, c.Y + side/2})
		if err != nil {
			return nil, fmt.Errorf("face: landmarks at crop scale %g: %w", sc, err)
		}
		out = append(out, lm)
	}
	return out, nil
}
