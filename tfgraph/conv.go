package tfgraph

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// newConv is _FusedConv2D: a convolution with filter [kh, kw, cin, cout],
// plus bias and optional ReLU, as one matrix multiply per image.
func newConv(a nodeAttrs, nIn int) (kernel, error) {
	c, err := parseConv(a, nIn)
	if err != nil {
		return nil, err
	}
	return func(in []*Tensor) (*Tensor, error) {
		x, filter, bias := in[0], in[1], in[2]
		cin, cout := 0, 0
		if len(filter.Shape) == 4 {
			cin, cout = filter.Shape[2], filter.Shape[3]
		}
		oh, ow, pt, pl, err := convGeometry(x, filter, bias, c, cin, cout)
		if err != nil {
			return nil, err
		}
		n, h, w := x.Shape[0], x.Shape[1], x.Shape[2]
		kh, kw := filter.Shape[0], filter.Shape[1]
		out := NewTensor(n, oh, ow, cout)
		kk := kh * kw * cin
		direct := kh == 1 && kw == 1 && c.strideH == 1 && c.strideW == 1
		var cols []float32
		if !direct {
			cols = make([]float32, oh*ow*kk)
		}
		for b := 0; b < n; b++ {
			img := x.Data[b*h*w*cin : (b+1)*h*w*cin]
			if direct {
				cols = img
			} else {
				im2col(cols, img, h, w, cin, kh, kw, oh, ow, pt, pl, c.strideH, c.strideW)
			}
			dst := out.Data[b*oh*ow*cout : (b+1)*oh*ow*cout]
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
				blas32.General{Rows: oh * ow, Cols: kk, Stride: kk, Data: cols},
				blas32.General{Rows: kk, Cols: cout, Stride: cout, Data: filter.Data},
				0, blas32.General{Rows: oh * ow, Cols: cout, Stride: cout, Data: dst})
		}
		biasRelu(out.Data, bias.Data, c.relu)
		return out, nil
	}, nil
}

// im2col writes one row per output pixel, ordered (ky, kx, c) like the
// filter's first three dimensions, with zeros where the window leaves the
// image.
func im2col(cols, img []float32, h, w, cin, kh, kw, oh, ow, pt, pl, sh, sw int) {
	kk := kh * kw * cin
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			row := cols[(oy*ow+ox)*kk : (oy*ow+ox+1)*kk]
			i := 0
			for ky := 0; ky < kh; ky++ {
				iy := oy*sh + ky - pt
				for kx := 0; kx < kw; kx++ {
					ix := ox*sw + kx - pl
					if iy >= 0 && iy < h && ix >= 0 && ix < w {
						copy(row[i:i+cin], img[(iy*w+ix)*cin:])
					} else {
						clear(row[i : i+cin])
					}
					i += cin
				}
			}
		}
	}
}

// newDepthwise is FusedDepthwiseConv2dNative: each input channel c
// convolved with its own filters [kh, kw, c, m], output channel c·mult+m,
// plus bias and optional ReLU.
func newDepthwise(a nodeAttrs, nIn int) (kernel, error) {
	c, err := parseConv(a, nIn)
	if err != nil {
		return nil, err
	}
	return func(in []*Tensor) (*Tensor, error) {
		x, filter, bias := in[0], in[1], in[2]
		cin, mult := 0, 0
		if len(filter.Shape) == 4 {
			cin, mult = filter.Shape[2], filter.Shape[3]
		}
		cout := cin * mult
		oh, ow, pt, pl, err := convGeometry(x, filter, bias, c, cin, cout)
		if err != nil {
			return nil, err
		}
		n, h, w := x.Shape[0], x.Shape[1], x.Shape[2]
		kh, kw := filter.Shape[0], filter.Shape[1]
		out := NewTensor(n, oh, ow, cout)
		for b := 0; b < n; b++ {
			img := x.Data[b*h*w*cin:]
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					dst := out.Data[((b*oh+oy)*ow+ox)*cout : ((b*oh+oy)*ow+ox+1)*cout]
					for ky := 0; ky < kh; ky++ {
						iy := oy*c.strideH + ky - pt
						if iy < 0 || iy >= h {
							continue
						}
						for kx := 0; kx < kw; kx++ {
							ix := ox*c.strideW + kx - pl
							if ix < 0 || ix >= w {
								continue
							}
							src := img[(iy*w+ix)*cin : (iy*w+ix+1)*cin]
							f := filter.Data[(ky*kw+kx)*cout : (ky*kw+kx+1)*cout]
							if mult == 1 {
								for i, v := range src {
									dst[i] += v * f[i]
								}
								continue
							}
							for i, v := range src {
								for m := 0; m < mult; m++ {
									dst[i*mult+m] += v * f[i*mult+m]
								}
							}
						}
					}
				}
			}
		}
		biasRelu(out.Data, bias.Data, c.relu)
		return out, nil
	}, nil
}
