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
	var padded []float32
	if wd.kh == 3 && wd.kw == 3 {
		padded = make([]float32, ((wd.oh-1)*wd.sh+3)*((wd.ow-1)*wd.sw+3))
	}
	for ch := range c {
		img := src[ch*h*w : (ch+1)*h*w]
		k := wt[ch*wd.kh*wd.kw : (ch+1)*wd.kh*wd.kw]
		out := dst[ch*plane : (ch+1)*plane]
		if padded != nil {
			depthwise3x3(img, (*[9]float32)(k), out, padded, h, w, wd)
		} else {
			depthwiseAny(img, k, out, h, w, wd)
		}
	}
}

// depthwise3x3 is one channel of a 3×3 depthwise convolution. The channel
// is first copied into padded, zeros around it, sized so that every
// output's window lies inside: the border outputs then take the same
// unchecked path as the rest (on the small late feature maps the border is
// most of the plane). The sums are the checked path's, term for term: a
// zero tap adds nothing.
func depthwise3x3(img []float32, k *[9]float32, out, padded []float32, h, w int, wd window) {
	pw := (wd.ow-1)*wd.sw + 3
	ph := len(padded) / pw
	clear(padded)
	for y := max(0, -wd.pt); y < h && y+wd.pt < ph; y++ {
		x0 := max(0, -wd.pl)
		x1 := min(w, pw-wd.pl)
		if x0 < x1 {
			copy(padded[(y+wd.pt)*pw+x0+wd.pl:], img[y*w+x0:y*w+x1])
		}
	}
	for oy := range wd.oh {
		iy := oy * wd.sh
		r0, r1, r2 := padded[iy*pw:(iy+1)*pw], padded[(iy+1)*pw:(iy+2)*pw], padded[(iy+2)*pw:(iy+3)*pw]
		o := out[oy*wd.ow : (oy+1)*wd.ow]
		for ox := range o {
			x := ox * wd.sw
			a, b, c := r0[x:x+3:x+3], r1[x:x+3:x+3], r2[x:x+3:x+3]
			o[ox] = k[0]*a[0] + k[1]*a[1] + k[2]*a[2] +
				k[3]*b[0] + k[4]*b[1] + k[5]*b[2] +
				k[6]*c[0] + k[7]*c[1] + k[8]*c[2]
		}
	}
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
