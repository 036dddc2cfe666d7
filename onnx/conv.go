package onnx

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	_ "github.com/kycgate/kycgate/internal/openblas" // blas32.Gemm on OpenBLAS
)

// conv is ONNX Conv on an NCHW image: weights [M, C/group, kh, kw],
// optional bias [M]. Each group is one matrix product, weights [M/g, K] by
// the im2col matrix [K, oh·ow] (K = C/g·kh·kw), which lands in NCHW order
// directly; a 1×1 stride-1 unpadded kernel uses the input as that matrix.
// A depthwise convolution (one input channel per group) has too little
// work per product for a GEMM and runs as a direct loop.
func conv(n *node, in []*Tensor) ([]*Tensor, error) {
	if err := need(in, 2); err != nil {
		return nil, err
	}
	x, wt := in[0], in[1]
	c, h, w, err := image(x)
	if err != nil {
		return nil, err
	}
	if len(wt.Shape) != 4 {
		return nil, fmt.Errorf("weights of shape %v, want 4-D", wt.Shape)
	}
	m, cg, kh, kw := wt.Shape[0], wt.Shape[1], wt.Shape[2], wt.Shape[3]
	group := intAttr(n, "group", 1)
	if group < 1 || c%group != 0 || m%group != 0 || c/group != cg {
		return nil, fmt.Errorf("%d input channels, weights %v, group %d do not agree", c, wt.Shape, group)
	}
	var bias []float32
	if len(in) > 2 && in[2] != nil {
		if len(in[2].Data) != m {
			return nil, fmt.Errorf("bias of %d values for %d channels", len(in[2].Data), m)
		}
		bias = in[2].Data
	}
	wd, err := windowOf(n, h, w, kh, kw)
	if err != nil {
		return nil, err
	}
	out, err := newTensor(1, m, wd.oh, wd.ow)
	if err != nil {
		return nil, err
	}
	plane := wd.oh * wd.ow
	if float64(m)*float64(plane)*float64(cg*kh*kw) > maxMACs {
		return nil, errTooMuchWork
	}
	if cg == 1 && m == group {
		depthwise(x.Data, wt.Data, out.Data, c, h, w, wd)
	} else {
		mg, k := m/group, cg*kh*kw
		direct := kh == 1 && kw == 1 && wd.sh == 1 && wd.sw == 1 && wd.pt == 0 && wd.pl == 0 && wd.oh == h && wd.ow == w
		var cols []float32
		if !direct {
			if k*plane > maxElements {
				return nil, errTooLarge
			}
			cols = make([]float32, k*plane)
		}
		for g := range group {
			src := x.Data[g*cg*h*w : (g+1)*cg*h*w]
			if direct {
				cols = src
			} else {
				im2col(src, cols, cg, h, w, wd)
			}
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
				blas32.General{Rows: mg, Cols: k, Stride: k, Data: wt.Data[g*mg*k : (g+1)*mg*k]},
				blas32.General{Rows: k, Cols: plane, Stride: plane, Data: cols},
				0, blas32.General{Rows: mg, Cols: plane, Stride: plane, Data: out.Data[g*mg*plane : (g+1)*mg*plane]})
		}
	}
	for ch := range m {
		p := out.Data[ch*plane : (ch+1)*plane]
		if bias != nil {
			b := bias[ch]
			for i := range p {
				p[i] += b
			}
		}
		if n.slope != nil {
			preluSlice(p, p, n.slope[ch])
		}
	}
	return []*Tensor{out}, nil
}

// im2col writes the [cg·kh·kw, oh·ow] matrix of the input windows, rows
// ordered (channel, ky, kx) like the weights, zeros where a window leaves
// the input.
func im2col(src, cols []float32, cg, h, w int, wd window) {
	plane := wd.oh * wd.ow
	r := 0
	for ch := range cg {
		img := src[ch*h*w : (ch+1)*h*w]
		for ky := range wd.kh {
			for kx := range wd.kw {
				row := cols[r*plane : (r+1)*plane]
				r++
				for oy := range wd.oh {
					iy := oy*wd.sh + ky - wd.pt
					dst := row[oy*wd.ow : (oy+1)*wd.ow]
					if iy < 0 || iy >= h {
						clear(dst)
						continue
					}
					line := img[iy*w : (iy+1)*w]
					for ox := range dst {
						ix := ox*wd.sw + kx - wd.pl
						if ix >= 0 && ix < w {
							dst[ox] = line[ix]
						} else {
							dst[ox] = 0
						}
					}
				}
			}
		}
	}
}

// depthwise convolves each channel with its own kh×kw kernel. The 3×3
// kernels of mobile networks take the row-wise path: nine taps summed per
// output in registers, one store, instead of nine passes over the output.
func depthwise(src, wt, dst []float32, c, h, w int, wd window) {
	plane := wd.oh * wd.ow
	for ch := range c {
		img := src[ch*h*w : (ch+1)*h*w]
		k := wt[ch*wd.kh*wd.kw : (ch+1)*wd.kh*wd.kw]
		out := dst[ch*plane : (ch+1)*plane]
		if wd.kh == 3 && wd.kw == 3 {
			depthwise3x3(img, (*[9]float32)(k), out, h, w, wd)
		} else {
			depthwiseAny(img, k, out, h, w, wd)
		}
	}
}

// depthwise3x3 is one channel of a 3×3 depthwise convolution.
func depthwise3x3(img []float32, k *[9]float32, out []float32, h, w int, wd window) {
	// Output columns [lo, hi) read input columns ox·sw − pl … +2, all
	// inside the row; the columns outside that range take the checked path.
	lo := min(wd.ow, (wd.pl+wd.sw-1)/wd.sw)
	hi := max(lo, min(wd.ow, (w-3+wd.pl)/wd.sw+1))
	for oy := range wd.oh {
		iy := oy*wd.sh - wd.pt
		o := out[oy*wd.ow : (oy+1)*wd.ow]
		if iy < 0 || iy+2 >= h {
			for ox := range o {
				o[ox] = tap3x3(img, k, h, w, iy, ox*wd.sw-wd.pl)
			}
			continue
		}
		r0, r1, r2 := img[iy*w:(iy+1)*w], img[(iy+1)*w:(iy+2)*w], img[(iy+2)*w:(iy+3)*w]
		for ox := range lo {
			o[ox] = tap3x3(img, k, h, w, iy, ox*wd.sw-wd.pl)
		}
		for ox := lo; ox < hi; ox++ {
			x := ox*wd.sw - wd.pl
			a, b, c := r0[x:x+3:x+3], r1[x:x+3:x+3], r2[x:x+3:x+3]
			o[ox] = k[0]*a[0] + k[1]*a[1] + k[2]*a[2] +
				k[3]*b[0] + k[4]*b[1] + k[5]*b[2] +
				k[6]*c[0] + k[7]*c[1] + k[8]*c[2]
		}
		for ox := hi; ox < wd.ow; ox++ {
			o[ox] = tap3x3(img, k, h, w, iy, ox*wd.sw-wd.pl)
		}
	}
}

// tap3x3 is one output of a 3×3 kernel whose window starts at (y, x),
// with zeros outside the image.
func tap3x3(img []float32, k *[9]float32, h, w, y, x int) float32 {
	var s float32
	for ky := range 3 {
		iy := y + ky
		if iy < 0 || iy >= h {
			continue
		}
		for kx := range 3 {
			if ix := x + kx; ix >= 0 && ix < w {
				s += k[ky*3+kx] * img[iy*w+ix]
			}
		}
	}
	return s
}

// depthwiseAny is one channel of a depthwise convolution of any kernel.
func depthwiseAny(img, k, out []float32, h, w int, wd window) {
	for oy := range wd.oh {
		for ox := range wd.ow {
			var s float32
			for ky := range wd.kh {
				iy := oy*wd.sh + ky - wd.pt
				if iy < 0 || iy >= h {
					continue
				}
				for kx := range wd.kw {
					if ix := ox*wd.sw + kx - wd.pl; ix >= 0 && ix < w {
						s += k[ky*wd.kw+kx] * img[iy*w+ix]
					}
				}
			}
			out[oy*wd.ow+ox] = s
		}
	}
}

// product is the matrix product of 2-D tensors a and b (b transposed when
// transB).
func product(a, b *Tensor, transB bool) ([]*Tensor, error) {
	if len(a.Shape) != 2 || len(b.Shape) != 2 {
		return nil, fmt.Errorf("shapes %v and %v: only 2-D products are supported", a.Shape, b.Shape)
	}
	rows, k := a.Shape[0], a.Shape[1]
	bk, cols := b.Shape[0], b.Shape[1]
	tb := blas.NoTrans
	if transB {
		bk, cols = cols, bk
		tb = blas.Trans
	}
	if k != bk {
		return nil, fmt.Errorf("shapes %v and %v do not multiply", a.Shape, b.Shape)
	}
	out, err := newTensor(rows, cols)
	if err != nil {
		return nil, err
	}
	blas32.Gemm(blas.NoTrans, tb, 1,
		blas32.General{Rows: rows, Cols: k, Stride: k, Data: a.Data},
		blas32.General{Rows: b.Shape[0], Cols: b.Shape[1], Stride: b.Shape[1], Data: b.Data},
		0, blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: out.Data})
	return []*Tensor{out}, nil
}
