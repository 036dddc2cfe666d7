package onnx

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// operator evaluates one node on its input tensors (nil for an omitted
// optional input) and returns its outputs. It must not modify its inputs:
// initializers are shared by every Run.
type operator func(n *node, in []*Tensor) ([]*Tensor, error)

var operators map[string]operator

func init() {
	operators = map[string]operator{
		"Conv":               conv,
		"PRelu":              broadcast(prelu),
		"Add":                broadcast(add),
		"Mul":                broadcast(mul),
		"Relu":               unary(func(x float32) float32 { return max(x, 0) }),
		"Sigmoid":            unary(func(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }),
		"BatchNormalization": batchNorm,
		"MaxPool":            maxPool,
		"GlobalAveragePool":  globalAveragePool,
		"MatMul":             matMul,
		"Gemm":               gemm,
		"Flatten":            flatten,
		"Reshape":            reshape,
		"Shape":              shapeOf,
		"Gather":             gather,
		"Unsqueeze":          unsqueeze,
		"Concat":             concat,
		"Constant":           constant,
	}
}

var errArity = errors.New("wrong number of inputs")

func need(in []*Tensor, n int) error {
	if len(in) < n {
		return errArity
	}
	for _, t := range in[:n] {
		if t == nil {
			return errArity
		}
	}
	return nil
}

func unary(f func(float32) float32) operator {
	return func(_ *node, in []*Tensor) ([]*Tensor, error) {
		if err := need(in, 1); err != nil {
			return nil, err
		}
		out := &Tensor{Shape: slices.Clone(in[0].Shape), Data: make([]float32, len(in[0].Data))}
		for i, v := range in[0].Data {
			out.Data[i] = f(v)
		}
		return []*Tensor{out}, nil
	}
}

// elementwise is a binary element-wise operation.
type elementwise int

const (
	add elementwise = iota
	mul
	prelu // a is the input, b the slope
)

// apply writes op(a[i·sa], b[i·sb]) to dst[i]; sa and sb are 0 (one value
// stretched) or 1. The switch sits outside the loops: this runs over every
// activation of the network.
func (op elementwise) apply(dst, a, b []float32, sa, sb int) {
	switch {
	case sa == 1 && sb == 1:
		a, b = a[:len(dst)], b[:len(dst)]
		switch op {
		case add:
			for i := range dst {
				dst[i] = a[i] + b[i]
			}
		case mul:
			for i := range dst {
				dst[i] = a[i] * b[i]
			}
		case prelu:
			for i := range dst {
				dst[i] = max(a[i], 0) + b[i]*min(a[i], 0)
			}
		}
	case sa == 1:
		a, k := a[:len(dst)], b[0]
		switch op {
		case add:
			for i := range dst {
				dst[i] = a[i] + k
			}
		case mul:
			for i := range dst {
				dst[i] = a[i] * k
			}
		case prelu:
			preluSlice(dst, a, k)
		}
	default:
		for i := range dst {
			x, y := a[i*sa], b[i*sb]
			switch op {
			case add:
				dst[i] = x + y
			case mul:
				dst[i] = x * y
			case prelu:
				dst[i] = max(x, 0) + y*min(x, 0)
			}
		}
	}
}

// preluSlice writes x, or x·slope where x < 0, for each x of src. The
// select works on the sign bit rather than a branch: activations are
// negative about half the time, which a branch predictor cannot learn.
func preluSlice(dst, src []float32, slope float32) {
	src = src[:len(dst)]
	for i, v := range src {
		neg := uint32(int32(math.Float32bits(v)) >> 31) // all ones when v < 0
		dst[i] = math.Float32frombits(math.Float32bits(v)&^neg | math.Float32bits(v*slope)&neg)
	}
}

// broadcast applies op element-wise with NumPy broadcasting (ONNX's
// multidirectional broadcasting): shapes are aligned on their last
// dimension and a dimension of 1 stretches.
func broadcast(op elementwise) operator {
	return func(_ *node, in []*Tensor) ([]*Tensor, error) {
		if err := need(in, 2); err != nil {
			return nil, err
		}
		a, b := in[0], in[1]
		if slices.Equal(a.Shape, b.Shape) {
			out := &Tensor{Shape: slices.Clone(a.Shape), Data: make([]float32, len(a.Data))}
			op.apply(out.Data, a.Data, b.Data, 1, 1)
			return []*Tensor{out}, nil
		}
		rank := max(len(a.Shape), len(b.Shape))
		shape := make([]int, rank)
		sa, sb := broadcastStrides(a.Shape, rank), broadcastStrides(b.Shape, rank)
		for i := range rank {
			da, db := dimAt(a.Shape, i, rank), dimAt(b.Shape, i, rank)
			switch {
			case da == db || db == 1:
				shape[i] = da
			case da == 1:
				shape[i] = db
			default:
				return nil, fmt.Errorf("shapes %v and %v do not broadcast", a.Shape, b.Shape)
			}
		}
		out, err := newTensor(shape...)
		if err != nil {
			return nil, err
		}
		if len(out.Data) == 0 {
			return []*Tensor{out}, nil
		}
		// Walk the output with an index counter; the innermost dimension
		// runs as a plain loop with each input's stride (0 or 1).
		last := rank - 1
		inner := shape[last]
		idx := make([]int, rank)
		for o := 0; o < len(out.Data); o += inner {
			ia, ib := 0, 0
			for d := 0; d < last; d++ {
				ia += idx[d] * sa[d]
				ib += idx[d] * sb[d]
			}
			op.apply(out.Data[o:o+inner], a.Data[ia:], b.Data[ib:], sa[last], sb[last])
			for d := last - 1; d >= 0; d-- {
				if idx[d]++; idx[d] < shape[d] {
					break
				}
				idx[d] = 0
			}
		}
		return []*Tensor{out}, nil
	}
}

// dimAt returns dimension i of shape aligned right to rank dimensions.
func dimAt(shape []int, i, rank int) int {
	j := i - (rank - len(shape))
	if j < 0 {
		return 1
	}
	return shape[j]
}

// broadcastStrides returns the element strides of shape aligned right to
// rank dimensions, 0 where the dimension is 1 (stretched).
func broadcastStrides(shape []int, rank int) []int {
	st := make([]int, rank)
	s := 1
	for i := rank - 1; i >= 0; i-- {
		d := dimAt(shape, i, rank)
		if d != 1 {
			st[i] = s
		}
		s *= d
	}
	return st
}

func intsAttr(n *node, name string, def ...int64) []int {
	v, ok := n.attrs[name]
	src := def
	if ok {
		src = v.ints
	}
	out := make([]int, len(src))
	for i, x := range src {
		out[i] = int(x)
	}
	return out
}

func intAttr(n *node, name string, def int64) int {
	if v, ok := n.attrs[name]; ok {
		return int(v.i)
	}
	return int(def)
}

// image returns the channel count, height and width of an NCHW tensor of
// batch 1.
func image(t *Tensor) (c, h, w int, err error) {
	if len(t.Shape) != 4 || t.Shape[0] != 1 {
		return 0, 0, 0, fmt.Errorf("input shape %v, want [1 C H W]", t.Shape)
	}
	return t.Shape[1], t.Shape[2], t.Shape[3], nil
}

// window holds a 2-D kernel's geometry: size, strides, leading pads.
type window struct {
	kh, kw, sh, sw, pt, pl, oh, ow int
}

func windowOf(n *node, h, w, kh, kw int) (window, error) {
	if ap, ok := n.attrs["auto_pad"]; ok && ap.t == nil && ap.i != 0 {
		return window{}, errors.New("auto_pad is not supported")
	}
	strides := intsAttr(n, "strides", 1, 1)
	pads := intsAttr(n, "pads", 0, 0, 0, 0)
	dil := intsAttr(n, "dilations", 1, 1)
	if len(strides) != 2 || len(pads) != 4 || len(dil) != 2 {
		return window{}, fmt.Errorf("strides %v, pads %v, dilations %v: want 2-D", strides, pads, dil)
	}
	if dil[0] != 1 || dil[1] != 1 {
		return window{}, fmt.Errorf("dilations %v are not supported", dil)
	}
	wd := window{kh: kh, kw: kw, sh: strides[0], sw: strides[1], pt: pads[0], pl: pads[1]}
	if wd.sh < 1 || wd.sw < 1 || kh < 1 || kw < 1 {
		return window{}, fmt.Errorf("kernel %dx%d stride %v", kh, kw, strides)
	}
	wd.oh = (h+pads[0]+pads[2]-kh)/wd.sh + 1
	wd.ow = (w+pads[1]+pads[3]-kw)/wd.sw + 1
	if wd.oh < 1 || wd.ow < 1 {
		return window{}, fmt.Errorf("kernel %dx%d does not fit a %dx%d input", kh, kw, h, w)
	}
	return wd, nil
}

func maxPool(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 1); err != nil {
		return nil, err
	}
	c, h, w, err := image(in[0])
	if err != nil {
		return nil, err
	}
	k := intsAttr(n, "kernel_shape")
	if len(k) != 2 {
		return nil, fmt.Errorf("kernel_shape %v, want 2-D", k)
	}
	wd, err := windowOf(n, h, w, k[0], k[1])
	if err != nil {
		return nil, err
	}
	out, err := newTensor(1, c, wd.oh, wd.ow)
	if err != nil {
		return nil, err
	}
	if float64(c)*float64(wd.oh*wd.ow)*float64(wd.kh*wd.kw) > maxMACs {
		return nil, errTooMuchWork
	}
	for ch := range c {
		src := in[0].Data[ch*h*w : (ch+1)*h*w]
		dst := out.Data[ch*wd.oh*wd.ow:]
		for oy := range wd.oh {
			for ox := range wd.ow {
				m := float32(math.Inf(-1))
				for ky := range wd.kh {
					iy := oy*wd.sh + ky - wd.pt
					if iy < 0 || iy >= h {
						continue
					}
					for kx := range wd.kw {
						ix := ox*wd.sw + kx - wd.pl
						if ix >= 0 && ix < w {
							m = max(m, src[iy*w+ix])
						}
					}
				}
				dst[oy*wd.ow+ox] = m
			}
		}
	}
	return []*Tensor{out}, nil
}

func globalAveragePool(_ *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 1); err != nil {
		return nil, err
	}
	c, h, w, err := image(in[0])
	if err != nil {
		return nil, err
	}
	out := NewTensor(1, c, 1, 1)
	for ch := range c {
		var s float64
		for _, v := range in[0].Data[ch*h*w : (ch+1)*h*w] {
			s += float64(v)
		}
		out.Data[ch] = float32(s / float64(h*w))
	}
	return []*Tensor{out}, nil
}

// batchNorm is inference-mode BatchNormalization over axis 1.
func batchNorm(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 5); err != nil {
		return nil, err
	}
	x := in[0]
	if len(x.Shape) < 2 || x.Shape[0] != 1 {
		return nil, fmt.Errorf("input shape %v, want [1 C ...]", x.Shape)
	}
	c := x.Shape[1]
	for _, p := range in[1:5] {
		if len(p.Data) != c {
			return nil, fmt.Errorf("parameter of %d values for %d channels", len(p.Data), c)
		}
	}
	eps := float32(1e-5)
	if a, ok := n.attrs["epsilon"]; ok {
		eps = a.f
	}
	scale, bias, mean, variance := in[1].Data, in[2].Data, in[3].Data, in[4].Data
	out := &Tensor{Shape: slices.Clone(x.Shape), Data: make([]float32, len(x.Data))}
	plane := len(x.Data) / c
	for ch := range c {
		k := scale[ch] / float32(math.Sqrt(float64(variance[ch]+eps)))
		b := bias[ch] - mean[ch]*k
		src, dst := x.Data[ch*plane:(ch+1)*plane], out.Data[ch*plane:(ch+1)*plane]
		for i, v := range src {
			dst[i] = v*k + b
		}
	}
	return []*Tensor{out}, nil
}

func flatten(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 1); err != nil {
		return nil, err
	}
	axis := intAttr(n, "axis", 1)
	if axis < 0 {
		axis += len(in[0].Shape)
	}
	if axis < 0 || axis > len(in[0].Shape) {
		return nil, fmt.Errorf("axis %d for shape %v", axis, in[0].Shape)
	}
	rows := elements(in[0].Shape[:axis])
	return []*Tensor{{Shape: []int{rows, elements(in[0].Shape[axis:])}, Data: in[0].Data}}, nil
}

// reshape shares the input's data: operators never write their inputs.
func reshape(_ *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 2); err != nil {
		return nil, err
	}
	x, spec := in[0], in[1].Ints
	shape := make([]int, len(spec))
	infer := -1
	known := 1
	for i, d := range spec {
		switch {
		case d == 0 && i < len(x.Shape):
			shape[i] = x.Shape[i]
		case d == -1 && infer < 0:
			infer = i
			continue
		case d < 1 || d > maxElements:
			return nil, fmt.Errorf("shape %v", spec)
		default:
			shape[i] = int(d)
		}
		known *= shape[i]
	}
	total := max(len(x.Data), len(x.Ints))
	if infer >= 0 {
		if known == 0 || total%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v to %v", x.Shape, spec)
		}
		shape[infer] = total / known
	}
	if elements(shape) != total {
		return nil, fmt.Errorf("cannot reshape %v to %v", x.Shape, spec)
	}
	return []*Tensor{{Shape: shape, Data: x.Data, Ints: x.Ints}}, nil
}

func shapeOf(_ *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 1); err != nil {
		return nil, err
	}
	t := &Tensor{Shape: []int{len(in[0].Shape)}, Ints: make([]int64, len(in[0].Shape))}
	for i, d := range in[0].Shape {
		t.Ints[i] = int64(d)
	}
	return []*Tensor{t}, nil
}

// gather supports what shape arithmetic needs: picking entries of a 1-D
// int64 tensor along axis 0.
func gather(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 2); err != nil {
		return nil, err
	}
	x, idx := in[0], in[1].Ints
	if len(x.Shape) != 1 || x.Ints == nil || intAttr(n, "axis", 0) != 0 {
		return nil, fmt.Errorf("gather on shape %v: only 1-D int64 tensors are supported", x.Shape)
	}
	out := &Tensor{Shape: slices.Clone(in[1].Shape), Ints: make([]int64, len(idx))}
	for i, j := range idx {
		if j < 0 {
			j += int64(len(x.Ints))
		}
		if j < 0 || j >= int64(len(x.Ints)) {
			return nil, fmt.Errorf("index %d out of range", idx[i])
		}
		out.Ints[i] = x.Ints[j]
	}
	return []*Tensor{out}, nil
}

func unsqueeze(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 1); err != nil {
		return nil, err
	}
	x := in[0]
	rank := len(x.Shape) + len(intsAttr(n, "axes"))
	shape := make([]int, 0, rank)
	axes := map[int]bool{}
	for _, a := range intsAttr(n, "axes") {
		if a < 0 {
			a += rank
		}
		axes[a] = true
	}
	j := 0
	for i := range rank {
		if axes[i] {
			shape = append(shape, 1)
		} else if j < len(x.Shape) {
			shape = append(shape, x.Shape[j])
			j++
		}
	}
	if len(shape) != rank || j != len(x.Shape) {
		return nil, fmt.Errorf("axes %v for shape %v", intsAttr(n, "axes"), x.Shape)
	}
	return []*Tensor{{Shape: shape, Data: x.Data, Ints: x.Ints}}, nil
}

// concat joins 1-D tensors (float or int64), which is all shape arithmetic
// and the models here need.
func concat(_ *node, in []*Tensor) ([]*Tensor, error) {
	out := &Tensor{}
	for _, t := range in {
		if t == nil || len(t.Shape) != 1 {
			return nil, errors.New("only 1-D tensors are supported")
		}
		out.Data = append(out.Data, t.Data...)
		out.Ints = append(out.Ints, t.Ints...)
	}
	out.Shape = []int{len(out.Data) + len(out.Ints)}
	if len(out.Data) > 0 && len(out.Ints) > 0 {
		return nil, errors.New("float and int64 tensors mixed")
	}
	return []*Tensor{out}, nil
}

func constant(n *node, _ []*Tensor) ([]*Tensor, error) {
	v, ok := n.attrs["value"]
	if !ok || v.t == nil {
		return nil, errors.New("no tensor value")
	}
	return []*Tensor{v.t}, nil
}

// matMul multiplies two 2-D tensors.
func matMul(_ *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 2); err != nil {
		return nil, err
	}
	return product(in[0], in[1], false)
}

// gemm is alpha·A·B(ᵀ) + beta·C with A not transposed.
func gemm(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 2); err != nil {
		return nil, err
	}
	if intAttr(n, "transA", 0) != 0 {
		return nil, errors.New("transA is not supported")
	}
	alpha, beta := float32(1), float32(1)
	if a, ok := n.attrs["alpha"]; ok {
		alpha = a.f
	}
	if a, ok := n.attrs["beta"]; ok {
		beta = a.f
	}
	var c *Tensor
	if len(in) > 2 {
		c = in[2]
	}
	out, err := product(in[0], in[1], intAttr(n, "transB", 0) != 0)
	if err != nil {
		return nil, err
	}
	y := out[0]
	rows, cols := y.Shape[0], y.Shape[1]
	for i := range y.Data {
		y.Data[i] *= alpha
	}
	if c != nil {
		switch len(c.Data) {
		case rows * cols:
			for i := range y.Data {
				y.Data[i] += beta * c.Data[i]
			}
		case cols:
			for i := range y.Data {
				y.Data[i] += beta * c.Data[i%cols]
			}
		default:
			return nil, fmt.Errorf("bias of shape %v for output %v", c.Shape, y.Shape)
		}
	}
	return out, nil
}
