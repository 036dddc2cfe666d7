package onnx

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/kycgate/kycgate/internal/testenv"
)

// pattern is testdata/reference.mjs's input: n values in [-1, 1].
func pattern(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)*0.37)*0.6 + math.Cos(float64(i)*0.011)*0.4)
	}
	return x
}

// TestMatchesOnnxruntime runs the installed face models on the reference
// script's input and compares every output value with onnxruntime's.
func TestMatchesOnnxruntime(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var refs map[string]struct {
		Input, Output string
		Shape, Dims   []int
		Data          []float32
	}
	if err := json.Unmarshal(raw, &refs); err != nil {
		t.Fatal(err)
	}
	dir := testenv.ModelsDir(t)
	for file, ref := range refs {
		t.Run(file, func(t *testing.T) {
			m, err := Load(filepath.Join(dir, file))
			if errors.Is(err, os.ErrNotExist) {
				t.Skipf("%s not installed (scripts/models.sh): %v", file, err)
			}
			if err != nil {
				t.Fatal(err)
			}
			x := &Tensor{Shape: ref.Shape, Data: pattern(elements(ref.Shape))}
			out, err := m.Run(map[string]*Tensor{ref.Input: x})
			if err != nil {
				t.Fatal(err)
			}
			y := out[ref.Output]
			if elements(y.Shape) != elements(ref.Dims) || len(y.Data) != len(ref.Data) {
				t.Fatalf("output shape %v, onnxruntime %v", y.Shape, ref.Dims)
			}
			var worst, scale float64
			for i, v := range ref.Data {
				worst = max(worst, math.Abs(float64(y.Data[i]-v)))
				scale = max(scale, math.Abs(float64(v)))
			}
			t.Logf("max |diff| %.2g over %d values (largest |value| %.3g)", worst, len(y.Data), scale)
			if worst > 1e-4*max(1, scale) {
				t.Errorf("max |diff| %g against onnxruntime, want ≤ %g", worst, 1e-4*max(1, scale))
			}
		})
	}
}

// naiveConv is the definition of a grouped 2-D convolution, for checking
// conv's GEMM, 1×1 and depthwise paths.
func naiveConv(x, wt, bias []float32, c, h, w, m, group, k, stride, pad int) []float32 {
	oh, ow := (h+2*pad-k)/stride+1, (w+2*pad-k)/stride+1
	cg, mg := c/group, m/group
	out := make([]float32, m*oh*ow)
	for o := range m {
		g := o / mg
		for oy := range oh {
			for ox := range ow {
				s := bias[o]
				for ci := range cg {
					for ky := range k {
						for kx := range k {
							iy, ix := oy*stride+ky-pad, ox*stride+kx-pad
							if iy < 0 || iy >= h || ix < 0 || ix >= w {
								continue
							}
							s += x[((g*cg+ci)*h+iy)*w+ix] * wt[((o*cg+ci)*k+ky)*k+kx]
						}
					}
				}
				out[(o*oh+oy)*ow+ox] = s
			}
		}
	}
	return out
}

func TestConv(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = rng.Float32()*2 - 1
		}
		return v
	}
	for _, tc := range []struct {
		name                              string
		c, h, w, m, group, k, stride, pad int
	}{
		{"3x3 stride 2 padded", 3, 9, 7, 4, 1, 3, 2, 1},
		{"1x1 direct", 5, 6, 6, 3, 1, 1, 1, 0},
		{"1x1 strided", 4, 7, 7, 2, 1, 1, 2, 0},
		{"depthwise 3x3", 6, 8, 5, 6, 6, 3, 1, 1},
		{"depthwise 3x3 stride 2", 4, 9, 9, 4, 4, 3, 2, 1},
		{"depthwise 7x7 valid", 3, 7, 7, 3, 3, 7, 1, 0},
		{"grouped", 4, 6, 6, 6, 2, 3, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := random(tc.c * tc.h * tc.w)
			wt := random(tc.m * tc.c / tc.group * tc.k * tc.k)
			bias := random(tc.m)
			n := &node{op: "Conv", attrs: map[string]attribute{
				"group":   {i: int64(tc.group)},
				"strides": {ints: []int64{int64(tc.stride), int64(tc.stride)}},
				"pads":    {ints: []int64{int64(tc.pad), int64(tc.pad), int64(tc.pad), int64(tc.pad)}},
			}}
			out, err := conv(n, []*Tensor{
				{Shape: []int{1, tc.c, tc.h, tc.w}, Data: x},
				{Shape: []int{tc.m, tc.c / tc.group, tc.k, tc.k}, Data: wt},
				{Shape: []int{tc.m}, Data: bias},
			})
			if err != nil {
				t.Fatal(err)
			}
			want := naiveConv(x, wt, bias, tc.c, tc.h, tc.w, tc.m, tc.group, tc.k, tc.stride, tc.pad)
			if len(out[0].Data) != len(want) {
				t.Fatalf("%d outputs, want %d", len(out[0].Data), len(want))
			}
			for i := range want {
				if d := math.Abs(float64(out[0].Data[i] - want[i])); d > 1e-5 {
					t.Fatalf("output %d: %g, want %g", i, out[0].Data[i], want[i])
				}
			}
		})
	}
}

func TestBroadcast(t *testing.T) {
	add := operators["Add"]
	for _, tc := range []struct {
		name    string
		a, b    *Tensor
		shape   []int
		want    []float32
		wantErr bool
	}{
		{"same shape", &Tensor{Shape: []int{2}, Data: []float32{1, 2}}, &Tensor{Shape: []int{2}, Data: []float32{10, 20}}, []int{2}, []float32{11, 22}, false},
		{"per channel", &Tensor{Shape: []int{1, 2, 1, 2}, Data: []float32{1, 2, 3, 4}}, &Tensor{Shape: []int{2, 1, 1}, Data: []float32{10, 20}}, []int{1, 2, 1, 2}, []float32{11, 12, 23, 24}, false},
		{"row and column", &Tensor{Shape: []int{2, 1}, Data: []float32{1, 2}}, &Tensor{Shape: []int{3}, Data: []float32{10, 20, 30}}, []int{2, 3}, []float32{11, 21, 31, 12, 22, 32}, false},
		{"mismatch", &Tensor{Shape: []int{2}, Data: []float32{1, 2}}, &Tensor{Shape: []int{3}, Data: []float32{1, 2, 3}}, nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := add(&node{}, []*Tensor{tc.a, tc.b})
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out[0].Shape, tc.shape) || !slices.Equal(out[0].Data, tc.want) {
				t.Errorf("got %v %v, want %v %v", out[0].Shape, out[0].Data, tc.shape, tc.want)
			}
		})
	}
}

// model builds a ModelProto: the given nodes, float initializers, one
// input and one output.
func model(nodes [][]byte, inits map[string]*Tensor, input, output string) []byte {
	var g []byte
	for _, n := range nodes {
		g = protowire.AppendTag(g, 1, protowire.BytesType)
		g = protowire.AppendBytes(g, n)
	}
	for name, t := range inits {
		var tb []byte
		for _, d := range t.Shape {
			tb = protowire.AppendTag(tb, 1, protowire.VarintType)
			tb = protowire.AppendVarint(tb, uint64(d))
		}
		tb = protowire.AppendTag(tb, 2, protowire.VarintType)
		tb = protowire.AppendVarint(tb, dataFloat)
		var packed []byte
		for _, v := range t.Data {
			packed = protowire.AppendFixed32(packed, math.Float32bits(v))
		}
		tb = protowire.AppendTag(tb, 4, protowire.BytesType)
		tb = protowire.AppendBytes(tb, packed)
		tb = protowire.AppendTag(tb, 8, protowire.BytesType)
		tb = protowire.AppendString(tb, name)
		g = protowire.AppendTag(g, 5, protowire.BytesType)
		g = protowire.AppendBytes(g, tb)
	}
	for num, name := range map[protowire.Number]string{11: input, 12: output} {
		vi := protowire.AppendTag(nil, 1, protowire.BytesType)
		vi = protowire.AppendString(vi, name)
		g = protowire.AppendTag(g, num, protowire.BytesType)
		g = protowire.AppendBytes(g, vi)
	}
	m := protowire.AppendTag(nil, 1, protowire.VarintType) // ir_version
	m = protowire.AppendVarint(m, 7)
	m = protowire.AppendTag(m, 7, protowire.BytesType)
	return protowire.AppendBytes(m, g)
}

func nodeProto(op string, inputs, outputs []string) []byte {
	var b []byte
	for _, in := range inputs {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, in)
	}
	for _, out := range outputs {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, out)
	}
	b = protowire.AppendTag(b, 4, protowire.BytesType)
	return protowire.AppendString(b, op)
}

func TestDecodeAndRun(t *testing.T) {
	b := model([][]byte{
		nodeProto("PRelu", []string{"x", "slope"}, []string{"p"}),
		nodeProto("Add", []string{"p", "x"}, []string{"y"}),
	}, map[string]*Tensor{"slope": {Shape: []int{1}, Data: []float32{0.5}}}, "x", "y")
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Inputs(); !slices.Equal(got, []string{"x"}) {
		t.Errorf("inputs %v, want [x]", got)
	}
	x := &Tensor{Shape: []int{3}, Data: []float32{-2, 0, 3}}
	out, err := m.Run(map[string]*Tensor{"x": x})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{-3, 0, 6}; !slices.Equal(out["y"].Data, want) {
		t.Errorf("y = %v, want %v", out["y"].Data, want)
	}
	if !slices.Equal(x.Data, []float32{-2, 0, 3}) {
		t.Errorf("Run modified its input: %v", x.Data)
	}
	if _, err := m.Run(map[string]*Tensor{}); err == nil {
		t.Error("Run without its input: no error")
	}
	if _, err := m.Run(map[string]*Tensor{"x": {Shape: []int{4}, Data: []float32{1}}}); err == nil {
		t.Error("Run with data not fitting its shape: no error")
	}
}

func TestDecodeRefuses(t *testing.T) {
	good := model([][]byte{nodeProto("Relu", []string{"x"}, []string{"y"})}, nil, "x", "y")
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"unsupported operator", model([][]byte{nodeProto("LSTM", []string{"x"}, []string{"y"})}, nil, "x", "y"), ErrUnsupported},
		{"input never produced", model([][]byte{nodeProto("Relu", []string{"z"}, []string{"y"})}, nil, "x", "y"), nil},
		{"output never produced", model([][]byte{nodeProto("Relu", []string{"x"}, []string{"q"})}, nil, "x", "y"), nil},
		{"truncated", good[:len(good)-3], nil},
		{"not protobuf", []byte("<html>not a model</html>"), nil},
		{"empty", nil, nil},
		{"float data not fitting its shape", model(nil, map[string]*Tensor{"w": {Shape: []int{4}, Data: []float32{1}}}, "x", "x"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.b)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// FuzzDecode feeds arbitrary bytes to the decoder and runs what decodes:
// neither may panic.
func FuzzDecode(f *testing.F) {
	f.Add(model([][]byte{nodeProto("Relu", []string{"x"}, []string{"y"})}, nil, "x", "y"))
	f.Add(model([][]byte{nodeProto("Reshape", []string{"x", "s"}, []string{"y"})}, map[string]*Tensor{"s": {Shape: []int{1}, Data: []float32{-1}}}, "x", "y"))
	// The eye-state model (0.2 MB) when installed: mutations of a real graph.
	if b, err := os.ReadFile(filepath.Join(testenv.ModelsDir(f), "fr_eye.onnx")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		in := map[string]*Tensor{}
		for _, name := range m.Inputs() {
			in[name] = &Tensor{Shape: []int{1, 1, 24, 24}, Data: pattern(24 * 24)}
		}
		_, _ = m.Run(in)
	})
}

// TestFusedPRelu checks that a Conv followed by a per-channel PRelu is
// fused and gives what the two nodes give apart, and that a slope which
// broadcasts along the width instead is left alone.
func TestFusedPRelu(t *testing.T) {
	w := &Tensor{Shape: []int{2, 1, 1, 1}, Data: []float32{1, -2}}
	x := &Tensor{Shape: []int{1, 1, 2, 2}, Data: []float32{1, -1, 2, -3}}
	for _, tc := range []struct {
		name  string
		slope *Tensor
		nodes int
		want  []float32
	}{
		// Channel 0 is x, channel 1 is −2x; slopes 0.5 and 0.25 per channel.
		{"per channel", &Tensor{Shape: []int{2, 1, 1}, Data: []float32{0.5, 0.25}}, 1, []float32{1, -0.5, 2, -1.5, -0.5, 2, -1, 6}},
		// A [2] slope runs along the width: column 0 gets 0.5, column 1 0.25.
		{"along the width", &Tensor{Shape: []int{2}, Data: []float32{0.5, 0.25}}, 2, []float32{1, -0.25, 2, -0.75, -1, 2, -2, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(model([][]byte{
				nodeProto("Conv", []string{"x", "w"}, []string{"c"}),
				nodeProto("PRelu", []string{"c", "slope"}, []string{"y"}),
			}, map[string]*Tensor{"w": w, "slope": tc.slope}, "x", "y"))
			if err != nil {
				t.Fatal(err)
			}
			if len(m.g.nodes) != tc.nodes {
				t.Errorf("%d nodes after fusion, want %d", len(m.g.nodes), tc.nodes)
			}
			out, err := m.Run(map[string]*Tensor{"x": x})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out["y"].Data, tc.want) {
				t.Errorf("y = %v, want %v", out["y"].Data, tc.want)
			}
		})
	}
}
