package face

import "fmt"

// meanRGB is the per-channel mean face-api.js subtracts before dividing by
// 255, for both networks.
var meanRGB = [3]float32{122.782, 117.001, 104.298}

// normalise turns a size×size RGB tensor of pixel values (0..255, HWC) into
// the network input, in float32 exactly as face-api.js's normalize().div(255).
func normalise(pix []float32, size int) *fmap {
	x := newFmap(size, size, 3)
	for i := range x.D {
		x.D[i] = (pix[i] - meanRGB[i%3]) / 255
	}
	return x
}

// sepConv holds a depthwise-separable convolution: 3×3 depthwise, then 1×1
// pointwise, then bias (face-api.js's depthwiseSeparableConv).
type sepConv struct {
	depthwise, pointwise, bias []float32
	cout                       int
}

func (s *sepConv) forward(x *fmap, stride int) *fmap {
	d := depthwise3(x, s.depthwise, stride)
	out := conv2d(d, s.pointwise, 1, s.cout, 1, padSame)
	out.addBias(s.bias)
	return out
}

// denseBlock is face-api.js's denseBlock4: four convolutions, each fed the
// relu of the sum of all earlier outputs of the block; the first one strides
// by 2 (a plain convolution in the first block, separable in the others).
type denseBlock struct {
	firstFilters, firstBias []float32 // first block only
	conv                    [4]*sepConv
	cin, cout               int
}

func (b *denseBlock) forward(x *fmap) *fmap {
	var out1 *fmap
	if b.firstFilters != nil {
		out1 = conv2d(x, b.firstFilters, 3, b.cout, 2, padSame)
		out1.addBias(b.firstBias)
	} else {
		out1 = b.conv[0].forward(x, 2)
	}
	out1.relu()
	sum := &fmap{H: out1.H, W: out1.W, C: out1.C, D: append([]float32(nil), out1.D...)}
	in := out1
	for i := 1; i < 4; i++ {
		o := b.conv[i].forward(in, 1)
		sum.add(o)
		next := &fmap{H: sum.H, W: sum.W, C: sum.C, D: append([]float32(nil), sum.D...)}
		next.relu()
		in = next
	}
	return in
}

// landmarkNet is face-api.js's FaceLandmark68Net: four dense blocks
// (32, 64, 128, 256 channels) on a 112×112 input, 7×7 average pooling and a
// fully connected layer to 68 (x, y) pairs relative to the input square.
type landmarkNet struct {
	blocks      [4]*denseBlock
	fcW, fcBias []float32
}

func newLandmarkNet(m map[string]*Tensor) (*landmarkNet, error) {
	w := &weightSet{m: m}
	n := &landmarkNet{}
	chans := []int{3, 32, 64, 128, 256}
	for i := 0; i < 4; i++ {
		cin, cout := chans[i], chans[i+1]
		b := &denseBlock{cin: cin, cout: cout}
		p := fmt.Sprintf("dense%d/", i)
		for j := 0; j < 4; j++ {
			cp := fmt.Sprintf("%sconv%d/", p, j)
			in := cout
			if j == 0 {
				in = cin
			}
			if i == 0 && j == 0 {
				b.firstFilters = w.get(cp+"filters", 3, 3, 3, cout)
				b.firstBias = w.get(cp+"bias", cout)
				continue
			}
			b.conv[j] = &sepConv{
				depthwise: w.get(cp+"depthwise_filter", 3, 3, in, 1),
				pointwise: w.get(cp+"pointwise_filter", 1, 1, in, cout),
				bias:      w.get(cp+"bias", cout),
				cout:      cout,
			}
		}
		n.blocks[i] = b
	}
	n.fcW = w.get("fc/weights", 256, 136)
	n.fcBias = w.get("fc/bias", 136)
	if w.err != nil {
		return nil, w.err
	}
	return n, nil
}

// forward returns the 136 raw outputs (x0, y0, x1, y1, ...) for a 112×112
// RGB input of pixel values, each relative to the input square.
func (n *landmarkNet) forward(pix []float32) []float32 {
	x := normalise(pix, 112)
	for _, b := range n.blocks {
		x = b.forward(x)
	}
	x = pool(x, 7, 2, false)
	return matVec(x.D, n.fcW, n.fcBias, 136)
}
