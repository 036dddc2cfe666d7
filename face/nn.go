package face

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	_ "github.com/kycgate/kycgate/internal/openblas" // blas32.Gemm on OpenBLAS
)

// fmap is a feature map in HWC order (one image, channels last), the layout
// of tfjs's NHWC tensors with batch 1.
type fmap struct {
	H, W, C int
	D       []float32
}

func newFmap(h, w, c int) *fmap { return &fmap{H: h, W: w, C: c, D: make([]float32, h*w*c)} }

// padding is a tfjs padding mode.
type padding int

const (
	padValid padding = iota
	padSame
)

// outSize returns the output size and the padding before the first element
// for an input of size in, as TensorFlow computes them ("same": out =
// ceil(in/stride), the odd pixel of padding going after).
func outSize(in, k, stride int, p padding) (out, before int) {
	if p == padValid {
		return (in-k)/stride + 1, 0
	}
	out = (in + stride - 1) / stride
	total := (out-1)*stride + k - in
	if total < 0 {
		total = 0
	}
	return out, total / 2
}

// conv2d is tf.conv2d with filters [k, k, x.C, cout] (no bias).
func conv2d(x *fmap, filters []float32, k, cout, stride int, p padding) *fmap {
	oh, pt := outSize(x.H, k, stride, p)
	ow, pl := outSize(x.W, k, stride, p)
	out := newFmap(oh, ow, cout)
	kk := k * k * x.C
	var cols []float32
	if k == 1 && stride == 1 {
		cols = x.D
	} else {
		// im2col: one row per output pixel, ordered (ky, kx, c) like the
		// filter's first three dimensions, zeros where the window leaves
		// the input.
		cols = make([]float32, oh*ow*kk)
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				row := cols[(oy*ow+ox)*kk:]
				i := 0
				for ky := 0; ky < k; ky++ {
					iy := oy*stride + ky - pt
					for kx := 0; kx < k; kx++ {
						ix := ox*stride + kx - pl
						if iy >= 0 && iy < x.H && ix >= 0 && ix < x.W {
							copy(row[i:i+x.C], x.D[(iy*x.W+ix)*x.C:])
						}
						i += x.C
					}
				}
			}
		}
	}
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas32.General{Rows: oh * ow, Cols: kk, Stride: kk, Data: cols},
		blas32.General{Rows: kk, Cols: cout, Stride: cout, Data: filters},
		0, blas32.General{Rows: oh * ow, Cols: cout, Stride: cout, Data: out.D})
	return out
}

// depthwise3 is tf.depthwiseConv2d with a [3, 3, C, 1] filter, "same" padding.
func depthwise3(x *fmap, filter []float32, stride int) *fmap {
	oh, pt := outSize(x.H, 3, stride, padSame)
	ow, pl := outSize(x.W, 3, stride, padSame)
	out := newFmap(oh, ow, x.C)
	c := x.C
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			o := out.D[(oy*ow+ox)*c : (oy*ow+ox+1)*c]
			for ky := 0; ky < 3; ky++ {
				iy := oy*stride + ky - pt
				if iy < 0 || iy >= x.H {
					continue
				}
				for kx := 0; kx < 3; kx++ {
					ix := ox*stride + kx - pl
					if ix < 0 || ix >= x.W {
						continue
					}
					in := x.D[(iy*x.W+ix)*c : (iy*x.W+ix+1)*c]
					f := filter[(ky*3+kx)*c : (ky*3+kx+1)*c]
					in, f = in[:len(o)], f[:len(o)] // one bounds check, not three per channel
					for ch := range o {
						o[ch] += in[ch] * f[ch]
					}
				}
			}
		}
	}
	return out
}

// addBias adds a per-channel vector.
func (x *fmap) addBias(b []float32) {
	for i := 0; i < len(x.D); i += x.C {
		row := x.D[i : i+x.C]
		for c := range row {
			row[c] += b[c]
		}
	}
}

// relu clears negative values. It clears the sign-extended bits instead
// of branching: activations' signs are unpredictable, and mispredicted
// branches made this loop cost as much as a convolution.
func (x *fmap) relu() {
	for i, v := range x.D {
		b := math.Float32bits(v)
		x.D[i] = math.Float32frombits(b &^ uint32(int32(b)>>31))
	}
}

// add adds y (same shape) into x.
func (x *fmap) add(y *fmap) {
	for i := range x.D {
		x.D[i] += y.D[i]
	}
}

// pool is tf.avgPool / tf.maxPool with "valid" padding.
func pool(x *fmap, k, stride int, max bool) *fmap {
	oh, _ := outSize(x.H, k, stride, padValid)
	ow, _ := outSize(x.W, k, stride, padValid)
	out := newFmap(oh, ow, x.C)
	inv := 1 / float32(k*k)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			o := out.D[(oy*ow+ox)*x.C : (oy*ow+ox+1)*x.C]
			for c := range o {
				var acc float32
				if max {
					acc = x.D[((oy*stride)*x.W+ox*stride)*x.C+c]
				}
				for ky := 0; ky < k; ky++ {
					for kx := 0; kx < k; kx++ {
						v := x.D[((oy*stride+ky)*x.W+ox*stride+kx)*x.C+c]
						if max {
							if v > acc {
								acc = v
							}
						} else {
							acc += v
						}
					}
				}
				if max {
					o[c] = acc
				} else {
					o[c] = acc * inv
				}
			}
		}
	}
	return out
}

// matVec returns x·W + b for W [len(x), n] (tf.matMul on a 1-row matrix).
func matVec(x, w, b []float32, n int) []float32 {
	out := make([]float32, n)
	if b != nil {
		copy(out, b)
	}
	for i, xv := range x {
		row := w[i*n : (i+1)*n]
		for j := range out {
			out[j] += xv * row[j]
		}
	}
	return out
}

// leaky is face-api.js's leaky ReLU with slope 0.1, computed in its order
// (relu(x − 0.1x) + 0.1x) so that float32 rounding matches.
func (x *fmap) leaky() {
	for i, v := range x.D {
		m := v * 0.1
		r := v - m
		if r < 0 {
			r = 0
		}
		x.D[i] = r + m
	}
}

// maxPool2Same is tf.maxPool with a 2×2 window and "same" padding: the
// output is ceil(in/stride) and windows reaching past the input take the
// maximum of the pixels inside it.
func maxPool2Same(x *fmap, stride int) *fmap {
	oh, pt := outSize(x.H, 2, stride, padSame)
	ow, pl := outSize(x.W, 2, stride, padSame)
	out := newFmap(oh, ow, x.C)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			o := out.D[(oy*ow+ox)*x.C : (oy*ow+ox+1)*x.C]
			first := true
			for ky := 0; ky < 2; ky++ {
				iy := oy*stride + ky - pt
				if iy < 0 || iy >= x.H {
					continue
				}
				for kx := 0; kx < 2; kx++ {
					ix := ox*stride + kx - pl
					if ix < 0 || ix >= x.W {
						continue
					}
					in := x.D[(iy*x.W+ix)*x.C : (iy*x.W+ix+1)*x.C]
					if first {
						copy(o, in)
						first = false
						continue
					}
					for c, v := range in {
						if v > o[c] {
							o[c] = v
						}
					}
				}
			}
		}
	}
	return out
}

// relu6 clips to [0, 6] (tf.clipByValue(x, 0, 6)).
func (x *fmap) relu6() {
	for i, v := range x.D {
		if v < 0 {
			x.D[i] = 0
		} else if v > 6 {
			x.D[i] = 6
		}
	}
}
