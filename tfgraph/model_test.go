package tfgraph

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeModel writes a graph model with the given nodes and float32
// constants (name → shape, values) into a temp dir and returns its path.
func writeModel(t *testing.T, nodes []map[string]any, consts map[string]*Tensor, order []string) string {
	t.Helper()
	dir := t.TempDir()
	var weights []map[string]any
	var bin []byte
	for _, name := range order {
		c := consts[name]
		weights = append(weights, map[string]any{"name": name, "shape": c.Shape, "dtype": "float32"})
		for _, v := range c.Data {
			bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
		}
		nodes = append(nodes, map[string]any{"name": name, "op": "Const"})
	}
	m := map[string]any{
		"format":          "graph-model",
		"modelTopology":   map[string]any{"node": nodes},
		"weightsManifest": []any{map[string]any{"paths": []string{"w.bin"}, "weights": weights}},
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "w.bin"), bin, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "model.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func s64(s string) map[string]any {
	return map[string]any{"s": base64.StdEncoding.EncodeToString([]byte(s))}
}

func ilist(v ...string) map[string]any { return map[string]any{"list": map[string]any{"i": v}} }

func slist(v ...string) map[string]any {
	var enc []string
	for _, s := range v {
		enc = append(enc, base64.StdEncoding.EncodeToString([]byte(s)))
	}
	return map[string]any{"list": map[string]any{"s": enc}}
}

var placeholder = map[string]any{"name": "x", "op": "Placeholder", "attr": map[string]any{
	"shape": map[string]any{"shape": map[string]any{"dim": []any{
		map[string]any{"size": "-1"}, map[string]any{"size": "3"}, map[string]any{"size": "3"}, map[string]any{"size": "1"}}}}}}

// TestConvPReLUSum runs a 3×3 convolution (SAME, bias, fused ReLU), the
// decomposed PReLU of the MobileFaceNet graph and an L2 norm on a 3×3
// image, checked against values computed by hand.
func TestConvPReLUSum(t *testing.T) {
	conv := map[string]any{"name": "conv", "op": "_FusedConv2D", "input": []string{"x", "w", "b"}, "attr": map[string]any{
		"strides": ilist("1", "1", "1", "1"), "padding": s64("SAME"), "data_format": s64("NHWC"),
		"fused_ops": slist("BiasAdd"), "dilations": ilist("1", "1", "1", "1")}}
	nodes := []map[string]any{placeholder, conv,
		{"name": "relu", "op": "Relu", "input": []string{"conv"}},
		{"name": "abs", "op": "Abs", "input": []string{"conv"}},
		{"name": "sub", "op": "Sub", "input": []string{"conv", "abs"}},
		{"name": "neg", "op": "Mul", "input": []string{"sub", "alpha"}},
		{"name": "prelu", "op": "Add", "input": []string{"relu", "neg"}},
		{"name": "sq", "op": "Square", "input": []string{"prelu"}},
		{"name": "sum", "op": "Sum", "input": []string{"sq", "axes"}, "attr": map[string]any{"keep_dims": map[string]any{"b": true}}},
	}
	consts := map[string]*Tensor{
		"w":     {Shape: []int{3, 3, 1, 1}, Data: []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}},
		"b":     {Shape: []int{1}, Data: []float32{-20}},
		"alpha": {Shape: []int{1}, Data: []float32{0.25}},
		"axes":  {Shape: []int{3}, Data: []float32{1, 2, 3}},
	}
	m, err := Load(writeModel(t, nodes, consts, []string{"w", "b", "alpha", "axes"}))
	if err != nil {
		t.Fatal(err)
	}
	x := &Tensor{Shape: []int{1, 3, 3, 1}, Data: []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}}
	out, err := m.Run(map[string]*Tensor{"x": x}, "prelu", "sum")
	if err != nil {
		t.Fatal(err)
	}
	// Window sums with zero padding, minus 20; negatives × 2·0.25.
	sums := []float32{12, 21, 16, 27, 45, 33, 24, 39, 28}
	var want []float32
	var sq float32
	for _, s := range sums {
		v := s - 20
		if v < 0 {
			v *= 0.5
		}
		want = append(want, v)
		sq += v * v
	}
	if !reflect.DeepEqual(out[0].Data, want) || !reflect.DeepEqual(out[0].Shape, []int{1, 3, 3, 1}) {
		t.Errorf("prelu = %v %v, want %v", out[0].Shape, out[0].Data, want)
	}
	if !reflect.DeepEqual(out[1].Shape, []int{1, 1, 1, 1}) || out[1].Data[0] != sq {
		t.Errorf("sum = %v %v, want [1 1 1 1] %v", out[1].Shape, out[1].Data, sq)
	}
}

func TestLoadRefuses(t *testing.T) {
	tests := []struct {
		name  string
		node  map[string]any
		error string
	}{
		{"unsupported op", map[string]any{"name": "y", "op": "Conv3D", "input": []string{"x"}}, "node y: unsupported op Conv3D"},
		{"unsupported fused op", map[string]any{"name": "y", "op": "_FusedConv2D", "input": []string{"x", "x", "x"}, "attr": map[string]any{
			"strides": ilist("1", "1", "1", "1"), "padding": s64("SAME"), "fused_ops": slist("BiasAdd", "Elu")}}, "fused ops [BiasAdd Elu]"},
		{"dilation", map[string]any{"name": "y", "op": "FusedDepthwiseConv2dNative", "input": []string{"x", "x", "x"}, "attr": map[string]any{
			"strides": ilist("1", "1", "1", "1"), "dilations": ilist("1", "2", "2", "1"), "padding": s64("SAME"), "fused_ops": slist("BiasAdd")}}, "dilations"},
		{"missing input", map[string]any{"name": "y", "op": "Relu", "input": []string{"z"}}, "input z is not in the graph"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeModel(t, []map[string]any{placeholder, tc.node}, nil, nil))
			if err == nil || !strings.Contains(err.Error(), tc.error) {
				t.Errorf("Load error = %v, want one containing %q", err, tc.error)
			}
		})
	}
}

func TestBroadcast(t *testing.T) {
	tests := []struct {
		name      string
		x, y      *Tensor
		wantShape []int
		want      []float32
	}{
		{"same shape", &Tensor{[]int{2}, []float32{1, 2}}, &Tensor{[]int{2}, []float32{10, 20}}, []int{2}, []float32{-9, -18}},
		{"scalar", &Tensor{[]int{2, 2}, []float32{1, 2, 3, 4}}, &Tensor{[]int{}, []float32{1}}, []int{2, 2}, []float32{0, 1, 2, 3}},
		{"per channel", &Tensor{[]int{1, 2, 2}, []float32{1, 2, 3, 4}}, &Tensor{[]int{2}, []float32{1, 2}}, []int{1, 2, 2}, []float32{0, 0, 2, 2}},
		{"column", &Tensor{[]int{2, 2}, []float32{1, 2, 3, 4}}, &Tensor{[]int{2, 1}, []float32{1, 2}}, []int{2, 2}, []float32{0, 1, 1, 2}},
		{"first operand repeats", &Tensor{[]int{2}, []float32{1, 2}}, &Tensor{[]int{2, 2}, []float32{1, 1, 2, 2}}, []int{2, 2}, []float32{0, 1, -1, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := broadcast(binaryOps["Sub"], tc.x, tc.y)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Shape, tc.wantShape) || !reflect.DeepEqual(got.Data, tc.want) {
				t.Errorf("got %v %v, want %v %v", got.Shape, got.Data, tc.wantShape, tc.want)
			}
		})
	}
	if _, err := broadcast(binaryOps["Add"], &Tensor{[]int{2}, []float32{1, 2}}, &Tensor{[]int{3}, []float32{1, 2, 3}}); err == nil {
		t.Error("shapes [2] and [3] broadcast")
	}
}
