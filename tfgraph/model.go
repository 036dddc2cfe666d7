// Package tfgraph runs TensorFlow.js graph models (a model.json with its
// weight shards, as tensorflowjs_converter writes them) in pure Go.
//
// It implements the operations of the models kycgate ships — convolutions
// with fused bias and ReLU, depthwise convolutions, element-wise arithmetic
// with broadcasting and a few reductions — on float32 tensors in NHWC
// layout. A model using any other operation, attribute value or weight
// encoding is refused when it is loaded, naming the node, rather than
// computed wrongly.
package tfgraph

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Tensor is a dense float32 tensor in row-major order. int32 constants of
// a model (axes, shapes) are held as float32 too.
type Tensor struct {
	Shape []int
	Data  []float32
}

// NewTensor allocates a zero tensor of the given shape.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, numElems(shape))}
}

func numElems(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Model is a loaded graph model. Run only reads it, so one Model may serve
// concurrent callers.
type Model struct {
	nodes   map[string]*node
	consts  map[string]*Tensor
	inputs  map[string][]int // placeholder shapes, -1 for any size
	outputs []string
}

// node is one operation of the graph, its attributes already checked and
// turned into a kernel.
type node struct {
	name   string
	op     string
	inputs []string
	kernel kernel
}

// kernel computes a node's output from its inputs' values.
type kernel func(in []*Tensor) (*Tensor, error)

// modelJSON is the part of model.json that is read.
type modelJSON struct {
	Format        string `json:"format"`
	ModelTopology struct {
		Node []nodeJSON `json:"node"`
	} `json:"modelTopology"`
	WeightsManifest []struct {
		Paths   []string     `json:"paths"`
		Weights []weightSpec `json:"weights"`
	} `json:"weightsManifest"`
	UserDefinedMetadata struct {
		Signature struct {
			Outputs map[string]struct {
				Name string `json:"name"`
			} `json:"outputs"`
		} `json:"signature"`
	} `json:"userDefinedMetadata"`
}

type nodeJSON struct {
	Name  string          `json:"name"`
	Op    string          `json:"op"`
	Input []string        `json:"input"`
	Attr  map[string]attr `json:"attr"`
}

// attr is a TensorFlow AttrValue in the protobuf JSON mapping: integers as
// strings, strings as base64 (which encoding/json decodes into []byte).
type attr struct {
	S     []byte   `json:"s"`
	I     string   `json:"i"`
	F     *float64 `json:"f"`
	B     *bool    `json:"b"`
	Shape *struct {
		Dim []struct {
			Size string `json:"size"`
		} `json:"dim"`
	} `json:"shape"`
	List *struct {
		S [][]byte `json:"s"`
		I []string `json:"i"`
	} `json:"list"`
}

type weightSpec struct {
	Name         string          `json:"name"`
	Shape        []int           `json:"shape"`
	DType        string          `json:"dtype"`
	Quantization json.RawMessage `json:"quantization"`
}

// maxWeightElems bounds one weight's size so that a corrupt manifest cannot
// make the loader allocate without limit.
const maxWeightElems = 1 << 26

// Load reads a graph model from path (its model.json) and the weight shards
// it names, which must lie in the same directory.
func Load(path string) (*Model, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tfgraph: read model: %w", err)
	}
	var mj modelJSON
	if err := json.Unmarshal(raw, &mj); err != nil {
		return nil, fmt.Errorf("tfgraph: parse %s: %w", path, err)
	}
	if mj.Format != "graph-model" {
		return nil, fmt.Errorf("tfgraph: %s: format %q, want graph-model", path, mj.Format)
	}
	consts := map[string]*Tensor{}
	dir := filepath.Dir(path)
	for _, g := range mj.WeightsManifest {
		var data []byte
		for _, p := range g.Paths {
			if filepath.Base(p) != p {
				return nil, fmt.Errorf("tfgraph: %s: shard path %q leaves the model's directory", path, p)
			}
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				return nil, fmt.Errorf("tfgraph: read weight shard: %w", err)
			}
			data = append(data, b...)
		}
		if err := decodeWeights(data, g.Weights, consts); err != nil {
			return nil, fmt.Errorf("tfgraph: %s: %w", path, err)
		}
	}
	m, err := build(mj, consts)
	if err != nil {
		return nil, fmt.Errorf("tfgraph: %s: %w", path, err)
	}
	return m, nil
}

// decodeWeights splits the concatenated shards into the tensors the
// manifest lists, in order. Only unquantised float32 and int32 are read.
func decodeWeights(data []byte, specs []weightSpec, out map[string]*Tensor) error {
	off := 0
	for _, s := range specs {
		n := 1
		for _, d := range s.Shape {
			if d < 0 || (d > 0 && n > maxWeightElems/d) {
				return fmt.Errorf("weight %s: bad shape %v", s.Name, s.Shape)
			}
			n *= d
		}
		if len(s.Quantization) > 0 && string(s.Quantization) != "null" {
			return fmt.Errorf("weight %s: quantised weights are not supported", s.Name)
		}
		if s.DType != "float32" && s.DType != "int32" {
			return fmt.Errorf("weight %s: unsupported dtype %q", s.Name, s.DType)
		}
		if off+4*n > len(data) {
			return fmt.Errorf("weight %s: shards too short", s.Name)
		}
		t := &Tensor{Shape: append([]int(nil), s.Shape...), Data: make([]float32, n)}
		for i := range t.Data {
			bits := binary.LittleEndian.Uint32(data[off+4*i:])
			if s.DType == "int32" {
				t.Data[i] = float32(int32(bits))
			} else {
				t.Data[i] = math.Float32frombits(bits)
			}
		}
		off += 4 * n
		out[s.Name] = t
	}
	if off != len(data) {
		return fmt.Errorf("shards hold %d bytes, manifest describes %d", len(data), off)
	}
	return nil
}

// build checks every node and binds its kernel.
func build(mj modelJSON, consts map[string]*Tensor) (*Model, error) {
	m := &Model{nodes: map[string]*node{}, consts: consts, inputs: map[string][]int{}}
	consumed := map[string]bool{}
	for _, nj := range mj.ModelTopology.Node {
		switch nj.Op {
		case "Const":
			if _, ok := consts[nj.Name]; !ok {
				return nil, fmt.Errorf("node %s: constant without weights", nj.Name)
			}
			continue
		case "Placeholder":
			m.inputs[nj.Name] = placeholderShape(nj.Attr)
			continue
		}
		n := &node{name: nj.Name, op: nj.Op}
		for _, in := range nj.Input {
			if strings.HasPrefix(in, "^") {
				continue // control dependency: no value flows
			}
			name, port, found := strings.Cut(in, ":")
			if found && port != "0" {
				return nil, fmt.Errorf("node %s: input %s: only single-output operations are supported", nj.Name, in)
			}
			n.inputs = append(n.inputs, name)
			consumed[name] = true
		}
		newKernel, ok := ops[nj.Op]
		if !ok {
			return nil, fmt.Errorf("node %s: unsupported op %s", nj.Name, nj.Op)
		}
		k, err := newKernel(nodeAttrs{nj.Attr}, len(n.inputs))
		if err != nil {
			return nil, fmt.Errorf("node %s (%s): %w", nj.Name, nj.Op, err)
		}
		n.kernel = k
		m.nodes[n.name] = n
	}
	for _, n := range m.nodes {
		for _, in := range n.inputs {
			if m.nodes[in] == nil && consts[in] == nil && m.inputs[in] == nil {
				return nil, fmt.Errorf("node %s: input %s is not in the graph", n.name, in)
			}
		}
	}
	for _, o := range mj.UserDefinedMetadata.Signature.Outputs {
		m.outputs = append(m.outputs, o.Name)
	}
	if len(m.outputs) == 0 {
		for name := range m.nodes {
			if !consumed[name] {
				m.outputs = append(m.outputs, name)
			}
		}
	}
	return m, nil
}

func placeholderShape(a map[string]attr) []int {
	s := a["shape"].Shape
	if s == nil {
		return []int{}
	}
	out := make([]int, len(s.Dim))
	for i, d := range s.Dim {
		v, err := strconv.Atoi(d.Size)
		if err != nil {
			v = -1
		}
		out[i] = v
	}
	return out
}

// Inputs returns the model's input names with their shapes (-1: any size).
func (m *Model) Inputs() map[string][]int { return m.inputs }

// Outputs returns the names of the model's outputs: those its signature
// lists, else the nodes no other node reads.
func (m *Model) Outputs() []string { return m.outputs }

// Run computes the named outputs from the given inputs.
func (m *Model) Run(inputs map[string]*Tensor, outputs ...string) ([]*Tensor, error) {
	for name, shape := range m.inputs {
		t, ok := inputs[name]
		if !ok {
			return nil, fmt.Errorf("tfgraph: input %s not given", name)
		}
		if err := checkShape(t, shape); err != nil {
			return nil, fmt.Errorf("tfgraph: input %s: %w", name, err)
		}
	}
	values := map[string]*Tensor{}
	for k, v := range inputs {
		values[k] = v
	}
	out := make([]*Tensor, len(outputs))
	for i, name := range outputs {
		t, err := m.eval(name, values, 0)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

func checkShape(t *Tensor, want []int) error {
	if len(t.Data) != numElems(t.Shape) {
		return fmt.Errorf("shape %v does not fit %d values", t.Shape, len(t.Data))
	}
	if len(t.Shape) != len(want) {
		return fmt.Errorf("shape %v, want %v", t.Shape, want)
	}
	for i, d := range want {
		if d >= 0 && t.Shape[i] != d {
			return fmt.Errorf("shape %v, want %v", t.Shape, want)
		}
	}
	return nil
}

// eval computes one value, memoised in values, its inputs first.
func (m *Model) eval(name string, values map[string]*Tensor, depth int) (*Tensor, error) {
	if t, ok := values[name]; ok {
		return t, nil
	}
	if t, ok := m.consts[name]; ok {
		return t, nil
	}
	n, ok := m.nodes[name]
	if !ok {
		return nil, fmt.Errorf("tfgraph: no node or input %s", name)
	}
	if depth > len(m.nodes) {
		return nil, fmt.Errorf("tfgraph: node %s: the graph has a cycle", name)
	}
	in := make([]*Tensor, len(n.inputs))
	for i, x := range n.inputs {
		t, err := m.eval(x, values, depth+1)
		if err != nil {
			return nil, err
		}
		in[i] = t
	}
	t, err := n.kernel(in)
	if err != nil {
		return nil, fmt.Errorf("tfgraph: node %s (%s): %w", n.name, n.op, err)
	}
	values[name] = t
	return t, nil
}
