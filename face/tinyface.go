package face

import (
	"fmt"
	"image"
	"math"
	"sort"
)

// tinyFaceModel is the weight prefix of face-api.js's TinyFaceDetector.
const tinyFaceModel = "tiny_face_detector_model"

// tinyFaceAnchors are the TinyFaceDetector's five box priors (width,
// height) in grid cells (face-api.js tinyFaceDetector/const.ts).
var tinyFaceAnchors = [5]Point{
	{1.603231, 2.094468},
	{6.041143, 7.080126},
	{2.882459, 3.518061},
	{4.266906, 5.178857},
	{9.041765, 10.66308},
}

// tinyFaceMean is the per-channel mean the detector subtracts before
// dividing by 255 (not the landmark nets' meanRGB).
var tinyFaceMean = [3]float32{117.001, 114.697, 97.404}

// tinyFaceNMS is face-api.js's IoU threshold between two kept detections.
const tinyFaceNMS = 0.4

// tinyFaceNet is face-api.js's TinyFaceDetector: a Tiny-YOLOv2 whose body is
// a 3×3 convolution and five depthwise-separable convolutions (16…512
// channels, leaky ReLU, 2×2 max pooling between them), then a 1×1
// convolution giving, for each cell of a (size/32)² grid and each of five
// anchors, a box (x, y, w, h) and a face score.
type tinyFaceNet struct {
	conv0Filters, conv0Bias []float32
	sep                     [5]*sepConv
	conv8Filters, conv8Bias []float32
}

func newTinyFaceNet(m map[string]*Tensor) (*tinyFaceNet, error) {
	w := &weightSet{m: m}
	n := &tinyFaceNet{
		conv0Filters: w.get("conv0/filters", 3, 3, 3, 16),
		conv0Bias:    w.get("conv0/bias", 16),
	}
	chans := []int{16, 32, 64, 128, 256, 512}
	for i := range n.sep {
		p := fmt.Sprintf("conv%d/", i+1)
		cin, cout := chans[i], chans[i+1]
		n.sep[i] = &sepConv{
			depthwise: w.get(p+"depthwise_filter", 3, 3, cin, 1),
			pointwise: w.get(p+"pointwise_filter", 1, 1, cin, cout),
			bias:      w.get(p+"bias", cout),
			cout:      cout,
		}
	}
	n.conv8Filters = w.get("conv8/filters", 1, 1, 512, 25)
	n.conv8Bias = w.get("conv8/bias", 25)
	if w.err != nil {
		return nil, w.err
	}
	return n, nil
}

// forward runs the network on a size×size RGB input of pixel values (size
// a multiple of 32) and returns the raw (size/32)×(size/32)×25 output, as
// face-api.js's TinyYolov2Base.runMobilenet does.
func (n *tinyFaceNet) forward(pix []float32, size int) *fmap {
	x := newFmap(size, size, 3)
	for i := range x.D {
		x.D[i] = (pix[i] - tinyFaceMean[i%3]) / 255
	}
	x = conv2d(x, n.conv0Filters, 3, 16, 1, padValid)
	x.addBias(n.conv0Bias)
	x.leaky()
	for _, s := range n.sep {
		x = maxPool2Same(x, 2)
		// face-api.js pads by one pixel and convolves "valid": for a 3×3
		// depthwise filter at stride 1 that is "same".
		x = s.forward(x, 1)
		x.leaky()
	}
	x = maxPool2Same(x, 1)
	x = conv2d(x, n.conv8Filters, 1, 25, 1, padValid)
	x.addBias(n.conv8Bias)
	return x
}

// decodeTinyFace turns the raw output into boxes scoring above minScore, in the
// coordinates of the square the input was cut from (side pixels, the image
// at its top-left corner), as face-api.js's extractBoxes does.
func decodeTinyFace(out *fmap, side, minScore float64) []Box {
	cells := float64(out.H)
	var boxes []Box
	for row := 0; row < out.H; row++ {
		for col := 0; col < out.W; col++ {
			v := out.D[(row*out.W+col)*out.C:]
			for a, anchor := range tinyFaceAnchors {
				e := v[a*5 : a*5+5]
				score := sigmoid(float64(e[4]))
				if score <= minScore {
					continue
				}
				cx := (float64(col) + sigmoid(float64(e[0]))) / cells * side
				cy := (float64(row) + sigmoid(float64(e[1]))) / cells * side
				w := math.Exp(float64(e[2])) * anchor.X / cells * side
				h := math.Exp(float64(e[3])) * anchor.Y / cells * side
				boxes = append(boxes, Box{Rect: Rect{cx - w/2, cy - h/2, cx + w/2, cy + h/2}, Score: score})
			}
		}
	}
	return suppressIoU(boxes, tinyFaceNMS)
}

// suppressIoU is the CNN detectors' non-maximum suppression (face-api.js's):
// best score first, a box overlapping a kept one by more than iou is
// dropped.
func suppressIoU(boxes []Box, iou float64) []Box {
	sort.SliceStable(boxes, func(i, j int) bool { return boxes[i].Score > boxes[j].Score })
	var kept []Box
	for _, b := range boxes {
		ok := true
		for _, k := range kept {
			if b.Rect.IoU(k.Rect) > iou {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, b)
		}
	}
	return kept
}

// DetectCNN finds faces with the pretrained CNN detectors of face-api.js,
// which fire on faces half hidden by a mask or sunglasses that pigo's
// cascade misses, and returns those scoring above minScore (a probability,
// 0–1; face-api.js defaults to 0.5) in image coordinates, best first. The
// cheap TinyFaceDetector tries cnnPasses in order and the first pass with a
// face wins; only when none has one does SsdMobilenetv1 (DetectSSD), about
// eight times a whole selfie analysis, run.
func (m *Models) DetectCNN(img image.Image, minScore float64) []Box {
	rgb := toRGB(img)
	if b := m.detectTiny(rgb, minScore); len(b) > 0 {
		return b
	}
	return m.detectSSDRGB(rgb, 0, minScore)
}

// detectTiny runs the TinyFaceDetector's cnnPasses in order and returns the
// faces of the first pass that finds any.
func (m *Models) detectTiny(rgb *rgbImage, minScore float64) []Box {
	for _, p := range cnnPasses {
		if b := m.detectCNNMargin(rgb, p.size, p.margin, minScore); len(b) > 0 {
			return b
		}
	}
	return nil
}

// cnnPasses are the input sizes and borders DetectCNN tries. The
// detector's score on one face swings with scale and framing (a masked
// face scoring 0.4 at one size scores 0.8 at another), and a face filling
// the photo is found only once a border makes it smaller than the frame.
// The passes are the fewest that found every face the 3×3 grid of sizes
// 160, 224, 320 and borders 0, 0.15, 0.3 found on the occlusion photos
// (docs/selfie.md); a pass at 224 costs half of BenchmarkSelfie, at 160 a
// quarter.
var cnnPasses = []struct {
	size   int
	margin float64
}{{224, 0}, {224, 0.15}, {160, 0.15}, {160, 0.3}}

// detectCNNMargin runs the TinyFaceDetector on the image reduced to size
// pixels and surrounded by a black border of margin times its longer side
// on every side.
func (m *Models) detectCNNMargin(rgb *rgbImage, size int, margin, minScore float64) []Box {
	if rgb.W < 1 || rgb.H < 1 {
		return nil
	}
	long := float64(max(rgb.W, rgb.H))
	pad := margin * long
	side := long + 2*pad
	s := side / float64(size)
	// warp averages several samples per input pixel when reducing, which
	// tfjs's 4-tap bilinear resize does not: no aliasing on large photos.
	pix := rgb.warp(affine{A: s, C: -pad, E: s, F: -pad}, size)
	boxes := decodeTinyFace(m.detector.forward(pix, size), side, minScore)
	for i := range boxes {
		r := &boxes[i].Rect
		r.X0, r.Y0, r.X1, r.Y1 = r.X0-pad, r.Y0-pad, r.X1-pad, r.Y1-pad
	}
	return boxes
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
