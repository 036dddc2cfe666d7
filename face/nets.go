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

// convLayer is the recognition network's convolution + bias + scale.
type convLayer struct {
	filters, bias, scaleW, scaleB []float32
	k, cout                       int
}

func (c *convLayer) forward(x *fmap, stride int, p padding, relu bool) *fmap {
	out := conv2d(x, c.filters, c.k, c.cout, stride, p)
	out.biasScale(c.bias, c.scaleW, c.scaleB, relu)
	return out
}

type residualLayer struct {
	conv1, conv2 *convLayer
	down         bool
}

// forward is face-api.js's residual / residualDown: two 3×3 convolutions
// (the first strided by 2, "valid", when down-sampling) added to the input,
// which is 2×2-average-pooled and zero-padded in channels when the block
// down-samples; a 1-pixel zero border aligns odd sizes.
func (r *residualLayer) forward(x *fmap) *fmap {
	if !r.down {
		out := r.conv1.forward(x, 1, padSame, true)
		out = r.conv2.forward(out, 1, padSame, false)
		out.add(x)
		out.relu()
		return out
	}
	out := r.conv1.forward(x, 2, padValid, true)
	out = r.conv2.forward(out, 1, padSame, false)
	pooled := pool(x, 2, 2, false)
	if pooled.H != out.H || pooled.W != out.W {
		// face-api.js concatenates one row of zeros at the bottom and one
		// column at the right of the convolution branch.
		grown := newFmap(out.H+1, out.W+1, out.C)
		for y := 0; y < out.H; y++ {
			copy(grown.D[y*grown.W*grown.C:], out.D[y*out.W*out.C:(y+1)*out.W*out.C])
		}
		out = grown
	}
	for y := 0; y < out.H; y++ {
		for xx := 0; xx < out.W; xx++ {
			o := out.D[(y*out.W+xx)*out.C:]
			p := pooled.D[(y*pooled.W+xx)*pooled.C : (y*pooled.W+xx+1)*pooled.C]
			for c, v := range p {
				o[c] += v
			}
		}
	}
	out.relu()
	return out
}

// recognitionNet is face-api.js's FaceRecognitionNet, the dlib
// face-recognition ResNet (29 convolutions) on a 150×150 input, giving a
// 128-d descriptor.
type recognitionNet struct {
	down   *convLayer
	layers []*residualLayer
	fc     []float32
}

func newRecognitionNet(m map[string]*Tensor) (*recognitionNet, error) {
	w := &weightSet{m: m}
	conv := func(prefix string, k, cin, cout int) *convLayer {
		return &convLayer{
			filters: w.get(prefix+"/conv/filters", k, k, cin, cout),
			bias:    w.get(prefix+"/conv/bias", cout),
			scaleW:  w.get(prefix+"/scale/weights", cout),
			scaleB:  w.get(prefix+"/scale/biases", cout),
			k:       k, cout: cout,
		}
	}
	n := &recognitionNet{down: conv("conv32_down", 7, 3, 32)}
	spec := []struct {
		name      string
		cin, cout int
		down      bool
	}{
		{"conv32_1", 32, 32, false}, {"conv32_2", 32, 32, false}, {"conv32_3", 32, 32, false},
		{"conv64_down", 32, 64, true}, {"conv64_1", 64, 64, false}, {"conv64_2", 64, 64, false}, {"conv64_3", 64, 64, false},
		{"conv128_down", 64, 128, true}, {"conv128_1", 128, 128, false}, {"conv128_2", 128, 128, false},
		{"conv256_down", 128, 256, true}, {"conv256_1", 256, 256, false}, {"conv256_2", 256, 256, false},
		{"conv256_down_out", 256, 256, true},
	}
	for _, s := range spec {
		n.layers = append(n.layers, &residualLayer{
			conv1: conv(s.name+"/conv1", 3, s.cin, s.cout),
			conv2: conv(s.name+"/conv2", 3, s.cout, s.cout),
			down:  s.down,
		})
	}
	n.fc = w.get("fc", 256, 128)
	if w.err != nil {
		return nil, w.err
	}
	return n, nil
}

// forward returns the descriptor for a 150×150 RGB input of pixel values.
func (n *recognitionNet) forward(pix []float32) []float32 {
	x := normalise(pix, 150)
	x = n.down.forward(x, 2, padValid, true)
	x = pool(x, 3, 2, true)
	for _, l := range n.layers {
		x = l.forward(x)
	}
	// Global average over the spatial positions.
	avg := make([]float32, x.C)
	for i := 0; i < x.H*x.W; i++ {
		for c := range avg {
			avg[c] += x.D[i*x.C+c]
		}
	}
	for c := range avg {
		avg[c] /= float32(x.H * x.W)
	}
	return matVec(avg, n.fc, nil, 128)
}
