package tfgraph

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// ops maps each supported TensorFlow op to the function that checks a
// node's attributes and returns its kernel; nIn is the number of inputs.
var ops = map[string]func(a nodeAttrs, nIn int) (kernel, error){
	"_FusedConv2D":               newConv,
	"FusedDepthwiseConv2dNative": newDepthwise,
	"Add":                        newBinary("Add"),
	"Sub":                        newBinary("Sub"),
	"Mul":                        newBinary("Mul"),
	"Maximum":                    newBinary("Maximum"),
	"Relu":                       newUnary("Relu"),
	"Abs":                        newUnary("Abs"),
	"Square":                     newUnary("Square"),
	"Rsqrt":                      newUnary("Rsqrt"),
	"Squeeze":                    newSqueeze,
	"Sum":                        newSum,
}

// nodeAttrs reads a node's attributes.
type nodeAttrs struct{ m map[string]attr }

func (a nodeAttrs) str(name string) (string, bool) {
	v, ok := a.m[name]
	if !ok || v.S == nil {
		return "", false
	}
	return string(v.S), true
}

func (a nodeAttrs) ints(name string) ([]int, error) {
	v, ok := a.m[name]
	if !ok || v.List == nil {
		return nil, nil
	}
	out := make([]int, len(v.List.I))
	for i, s := range v.List.I {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out[i] = n
	}
	return out, nil
}

func (a nodeAttrs) strs(name string) []string {
	v, ok := a.m[name]
	if !ok || v.List == nil {
		return nil
	}
	out := make([]string, len(v.List.S))
	for i, s := range v.List.S {
		out[i] = string(s)
	}
	return out
}

func (a nodeAttrs) boolean(name string) bool {
	v, ok := a.m[name]
	return ok && v.B != nil && *v.B
}

// convAttrs are a convolution's checked attributes.
type convAttrs struct {
	strideH, strideW int
	same             bool // "SAME" padding, else "VALID"
	relu             bool // fused ReLU after the bias
}

// parseConv checks the attributes of a fused convolution: NHWC, no
// dilation, SAME or VALID padding, and the fused ops BiasAdd with an
// optional Relu, which is what tfjs's converter makes of conv + batch norm
// (+ ReLU).
func parseConv(a nodeAttrs, nIn int) (convAttrs, error) {
	var c convAttrs
	if f, ok := a.str("data_format"); ok && f != "NHWC" {
		return c, fmt.Errorf("data_format %s is not supported", f)
	}
	strides, err := a.ints("strides")
	if err != nil {
		return c, err
	}
	if len(strides) != 4 || strides[0] != 1 || strides[3] != 1 || strides[1] < 1 || strides[2] < 1 {
		return c, fmt.Errorf("strides %v are not supported", strides)
	}
	c.strideH, c.strideW = strides[1], strides[2]
	dil, err := a.ints("dilations")
	if err != nil {
		return c, err
	}
	for _, d := range dil {
		if d != 1 {
			return c, fmt.Errorf("dilations %v are not supported", dil)
		}
	}
	switch p, _ := a.str("padding"); p {
	case "SAME":
		c.same = true
	case "VALID":
	default:
		return c, fmt.Errorf("padding %q is not supported", p)
	}
	fused := a.strs("fused_ops")
	switch {
	case len(fused) == 1 && fused[0] == "BiasAdd":
	case len(fused) == 2 && fused[0] == "BiasAdd" && fused[1] == "Relu":
		c.relu = true
	default:
		return c, fmt.Errorf("fused ops %v are not supported", fused)
	}
	if nIn != 3 {
		return c, fmt.Errorf("%d inputs, want input, filter and bias", nIn)
	}
	return c, nil
}

// outSize returns the output size and the padding before the first element
// along one axis, as TensorFlow computes them (SAME: ceil(in/stride), the
// odd pixel of padding after).
func outSize(in, k, stride int, same bool) (out, before int) {
	if !same {
		return (in-k)/stride + 1, 0
	}
	out = (in + stride - 1) / stride
	return out, max((out-1)*stride+k-in, 0) / 2
}

// convGeometry checks an NHWC input against a [kh, kw, cin, ·] filter and
// a bias of cout values, and returns the output size.
func convGeometry(x, filter, bias *Tensor, c convAttrs, cin, cout int) (oh, ow, pt, pl int, err error) {
	if len(x.Shape) != 4 || len(filter.Shape) != 4 {
		return 0, 0, 0, 0, fmt.Errorf("input %v and filter %v must be 4-d", x.Shape, filter.Shape)
	}
	if x.Shape[3] != cin {
		return 0, 0, 0, 0, fmt.Errorf("input %v has not the filter's %d channels", x.Shape, cin)
	}
	if len(bias.Data) != cout {
		return 0, 0, 0, 0, fmt.Errorf("bias has %d values, want %d", len(bias.Data), cout)
	}
	kh, kw := filter.Shape[0], filter.Shape[1]
	oh, pt = outSize(x.Shape[1], kh, c.strideH, c.same)
	ow, pl = outSize(x.Shape[2], kw, c.strideW, c.same)
	if oh < 1 || ow < 1 {
		return 0, 0, 0, 0, errors.New("input smaller than the filter")
	}
	return oh, ow, pt, pl, nil
}

// biasRelu adds the bias to every pixel's channels and applies the fused
// ReLU.
func biasRelu(out []float32, bias []float32, relu bool) {
	c := len(bias)
	for p := 0; p < len(out); p += c {
		row := out[p : p+c]
		for i, b := range bias {
			v := row[i] + b
			if relu && v < 0 {
				v = 0
			}
			row[i] = v
		}
	}
}

// newUnary returns the kernel of an element-wise function.
func newUnary(op string) func(nodeAttrs, int) (kernel, error) {
	var f func(dst, x []float32)
	switch op {
	case "Relu":
		f = func(dst, x []float32) {
			for i, v := range x {
				dst[i] = max(v, 0)
			}
		}
	case "Abs":
		f = func(dst, x []float32) {
			for i, v := range x {
				dst[i] = float32(math.Abs(float64(v)))
			}
		}
	case "Square":
		f = func(dst, x []float32) {
			for i, v := range x {
				dst[i] = v * v
			}
		}
	case "Rsqrt":
		f = func(dst, x []float32) {
			for i, v := range x {
				dst[i] = float32(1 / math.Sqrt(float64(v)))
			}
		}
	}
	return func(_ nodeAttrs, nIn int) (kernel, error) {
		if nIn != 1 {
			return nil, fmt.Errorf("%d inputs, want 1", nIn)
		}
		return func(in []*Tensor) (*Tensor, error) {
			out := NewTensor(in[0].Shape...)
			f(out.Data, in[0].Data)
			return out, nil
		}, nil
	}
}

// binaryOp is an element-wise operation in three forms: over equal-length
// slices, with a scalar second operand, and on one pair (for the general
// broadcast).
type binaryOp struct {
	vec    func(dst, x, y []float32)
	scalar func(dst, x []float32, y float32)
	one    func(x, y float32) float32
}

var binaryOps = map[string]binaryOp{
	"Add": {
		vec: func(d, x, y []float32) {
			for i := range d {
				d[i] = x[i] + y[i]
			}
		},
		scalar: func(d, x []float32, y float32) {
			for i := range d {
				d[i] = x[i] + y
			}
		},
		one: func(x, y float32) float32 { return x + y },
	},
	"Sub": {
		vec: func(d, x, y []float32) {
			for i := range d {
				d[i] = x[i] - y[i]
			}
		},
		scalar: func(d, x []float32, y float32) {
			for i := range d {
				d[i] = x[i] - y
			}
		},
		one: func(x, y float32) float32 { return x - y },
	},
	"Mul": {
		vec: func(d, x, y []float32) {
			for i := range d {
				d[i] = x[i] * y[i]
			}
		},
		scalar: func(d, x []float32, y float32) {
			for i := range d {
				d[i] = x[i] * y
			}
		},
		one: func(x, y float32) float32 { return x * y },
	},
	"Maximum": {
		vec: func(d, x, y []float32) {
			for i := range d {
				d[i] = max(x[i], y[i])
			}
		},
		scalar: func(d, x []float32, y float32) {
			for i := range d {
				d[i] = max(x[i], y)
			}
		},
		one: func(x, y float32) float32 { return max(x, y) },
	},
}

// newBinary returns the kernel of an element-wise operation with NumPy
// broadcasting.
func newBinary(op string) func(nodeAttrs, int) (kernel, error) {
	f := binaryOps[op]
	return func(_ nodeAttrs, nIn int) (kernel, error) {
		if nIn != 2 {
			return nil, fmt.Errorf("%d inputs, want 2", nIn)
		}
		return func(in []*Tensor) (*Tensor, error) { return broadcast(f, in[0], in[1]) }, nil
	}
}

// broadcast applies f with NumPy broadcasting. The common cases — equal
// shapes, a scalar, or a second operand repeating along the leading axes
// (a per-channel vector against NHWC) — run as slice loops.
func broadcast(f binaryOp, x, y *Tensor) (*Tensor, error) {
	shape, err := broadcastShape(x.Shape, y.Shape)
	if err != nil {
		return nil, err
	}
	out := NewTensor(shape...)
	switch {
	case len(y.Data) == 1 && len(x.Data) == len(out.Data):
		f.scalar(out.Data, x.Data, y.Data[0])
	case len(x.Data) == len(out.Data) && isTrailing(y.Shape, shape):
		n := len(y.Data)
		for p := 0; p < len(out.Data); p += n {
			f.vec(out.Data[p:p+n], x.Data[p:p+n], y.Data)
		}
	default:
		xs, ys := broadcastStrides(x.Shape, shape), broadcastStrides(y.Shape, shape)
		idx := make([]int, len(shape))
		for i := range out.Data {
			xo, yo := 0, 0
			for d, v := range idx {
				xo += v * xs[d]
				yo += v * ys[d]
			}
			out.Data[i] = f.one(x.Data[xo], y.Data[yo])
			for d := len(idx) - 1; d >= 0; d-- {
				if idx[d]++; idx[d] < shape[d] {
					break
				}
				idx[d] = 0
			}
		}
	}
	return out, nil
}

// broadcastShape is the NumPy broadcast of two shapes.
func broadcastShape(a, b []int) ([]int, error) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := range out {
		da, db := dimFromEnd(a, n-1-i), dimFromEnd(b, n-1-i)
		switch {
		case da == db, db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", a, b)
		}
	}
	return out, nil
}

// dimFromEnd is shape's k-th dimension counted from the last (0), 1 past
// its rank.
func dimFromEnd(shape []int, k int) int {
	if k >= len(shape) {
		return 1
	}
	return shape[len(shape)-1-k]
}

// isTrailing says whether small, without its leading ones, equals the last
// dimensions of shape, so that its values repeat in blocks along shape.
func isTrailing(small, shape []int) bool {
	for len(small) > 0 && small[0] == 1 {
		small = small[1:]
	}
	if len(small) > len(shape) {
		return false
	}
	for i, d := range small {
		if shape[len(shape)-len(small)+i] != d {
			return false
		}
	}
	return true
}

// broadcastStrides gives the element strides of shape seen as the
// broadcast shape out: 0 along axes it repeats over.
func broadcastStrides(shape, out []int) []int {
	s := make([]int, len(out))
	stride := 1
	for k := 0; k < len(out); k++ {
		d := dimFromEnd(shape, k)
		if d != 1 {
			s[len(out)-1-k] = stride
		}
		stride *= d
	}
	return s
}

// newSqueeze drops the axes squeeze_dims names (all axes of size 1 when it
// names none).
func newSqueeze(a nodeAttrs, nIn int) (kernel, error) {
	if nIn != 1 {
		return nil, fmt.Errorf("%d inputs, want 1", nIn)
	}
	dims, err := a.ints("squeeze_dims")
	if err != nil {
		return nil, err
	}
	return func(in []*Tensor) (*Tensor, error) {
		x := in[0]
		drop := make([]bool, len(x.Shape))
		for _, d := range dims {
			if d < 0 {
				d += len(x.Shape)
			}
			if d < 0 || d >= len(x.Shape) || x.Shape[d] != 1 {
				return nil, fmt.Errorf("cannot squeeze axis %d of %v", d, x.Shape)
			}
			drop[d] = true
		}
		shape := []int{}
		for i, d := range x.Shape {
			if !drop[i] && !(len(dims) == 0 && d == 1) {
				shape = append(shape, d)
			}
		}
		return &Tensor{Shape: shape, Data: x.Data}, nil
	}, nil
}

// newSum adds up the axes given by the second input.
func newSum(a nodeAttrs, nIn int) (kernel, error) {
	if nIn != 2 {
		return nil, fmt.Errorf("%d inputs, want input and axes", nIn)
	}
	keep := a.boolean("keep_dims")
	return func(in []*Tensor) (*Tensor, error) {
		x := in[0]
		reduce := make([]bool, len(x.Shape))
		for _, v := range in[1].Data {
			d := int(v)
			if d < 0 {
				d += len(x.Shape)
			}
			if d < 0 || d >= len(x.Shape) {
				return nil, fmt.Errorf("axis %v out of range for %v", v, x.Shape)
			}
			reduce[d] = true
		}
		kept := make([]int, len(x.Shape)) // x's shape with reduced axes at 1
		var shape []int
		for i, d := range x.Shape {
			kept[i] = d
			if reduce[i] {
				kept[i] = 1
				if keep {
					shape = append(shape, 1)
				}
				continue
			}
			shape = append(shape, d)
		}
		out := NewTensor(shape...)
		os := broadcastStrides(kept, x.Shape)
		idx := make([]int, len(x.Shape))
		for _, v := range x.Data {
			o := 0
			for d, i := range idx {
				o += i * os[d]
			}
			out.Data[o] += v
			for d := len(idx) - 1; d >= 0; d-- {
				if idx[d]++; idx[d] < x.Shape[d] {
					break
				}
				idx[d] = 0
			}
		}
		return out, nil
	}, nil
}
