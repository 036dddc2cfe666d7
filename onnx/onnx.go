// Package onnx runs the forward pass of ONNX vision models in pure Go.
//
// kycgate's pretrained face networks ship as ONNX files in an npm package
// (see scripts/models.sh). Rather than link a native runtime, this package
// decodes the model file and evaluates its graph with the handful of
// operators such convolutional networks are built from: Conv (grouped and
// depthwise included), PRelu, Relu, Sigmoid, Add, Mul, MatMul, Gemm,
// BatchNormalization, MaxPool, GlobalAveragePool, Flatten, Reshape and the
// shape arithmetic around Reshape (Shape, Gather, Unsqueeze, Concat,
// Constant). A model using any other operator is refused at Load, not
// half-run.
//
// Tensors are float32 in ONNX's layout (NCHW for images), batch 1. Results
// agree with onnxruntime to float32 rounding (onnx_test.go).
package onnx

import (
	"errors"
	"fmt"
	"os"
	"slices"
)

// Tensor is a dense tensor: float32 values in Data, or int64 values in
// Ints for the shape arithmetic some graphs carry.
type Tensor struct {
	Shape []int
	Data  []float32
	Ints  []int64
}

// NewTensor returns a zero float tensor of the given shape.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{Shape: shape, Data: make([]float32, elements(shape))}
}

// errTooLarge is returned for a tensor of more than maxElements values,
// which no vision model here needs: a corrupt or hostile file cannot make
// Run allocate without bound.
var errTooLarge = fmt.Errorf("tensor of more than %d values", maxElements)

// maxMACs bounds the multiply-adds (or comparisons) of one convolution or
// pooling: 2²⁸, a tenth of a second or so on one core. The face embedding's largest
// convolution needs under 2²⁵ and the whole network 221 M.
const maxMACs = 1 << 28

// errTooMuchWork is returned for an operator beyond maxMACs.
var errTooMuchWork = fmt.Errorf("operator of more than %d multiply-adds", maxMACs)

// newTensor is NewTensor for the operators: it refuses shapes beyond
// maxElements or with negative dimensions.
func newTensor(shape ...int) (*Tensor, error) {
	n := 1
	for _, d := range shape {
		if d < 0 || d > maxElements || n*d > maxElements {
			return nil, errTooLarge
		}
		n *= d
	}
	return &Tensor{Shape: shape, Data: make([]float32, n)}, nil
}

func elements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Model is a loaded ONNX graph, safe for concurrent Run calls.
type Model struct {
	g *graph
	// inputs are the graph inputs that are not initializers: what Run must
	// be given.
	inputs []string
}

// maxModelBytes bounds the file Load reads.
const maxModelBytes = 512 << 20

// Load reads and checks the ONNX model at path.
func Load(path string) (*Model, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	if fi.Size() > maxModelBytes {
		return nil, fmt.Errorf("onnx: %s: %d bytes, more than the %d accepted", path, fi.Size(), maxModelBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("onnx: %s: %w", path, err)
	}
	return m, nil
}

// ErrUnsupported is returned for a graph with an operator this package
// does not implement.
var ErrUnsupported = errors.New("unsupported operator")

// Decode parses an ONNX model held in memory.
func Decode(b []byte) (*Model, error) {
	g, err := decodeModel(b)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	m := &Model{g: g}
	for _, in := range g.inputs {
		if _, ok := g.initializers[in]; !ok {
			m.inputs = append(m.inputs, in)
		}
	}
	if len(g.outputs) == 0 {
		return nil, errors.New("graph has no outputs")
	}
	// Every operator must be known and every value produced before use, so
	// that Run cannot meet either problem halfway through.
	known := map[string]bool{}
	for name := range g.initializers {
		known[name] = true
	}
	for _, in := range m.inputs {
		known[in] = true
	}
	for i, n := range g.nodes {
		if _, ok := operators[n.op]; !ok {
			return nil, fmt.Errorf("node %d (%s): %w %q", i, n.name, ErrUnsupported, n.op)
		}
		for _, in := range n.inputs {
			if in != "" && !known[in] {
				return nil, fmt.Errorf("node %d (%s %s): input %q is not produced before it", i, n.op, n.name, in)
			}
		}
		for _, out := range n.outputs {
			known[out] = true
		}
	}
	for _, out := range g.outputs {
		if !known[out] {
			return nil, fmt.Errorf("graph output %q is never produced", out)
		}
	}
	g.fuse()
	return m, nil
}

// fuse folds each PRelu with a per-channel slope into the Conv before it
// when nothing else reads the convolution's output: the activation is then
// applied while the output is still in cache, and one tensor fewer is
// allocated. Mobile face networks are built of Conv–PRelu pairs.
func (g *graph) fuse() {
	uses := map[string]int{}
	for _, n := range g.nodes {
		for _, in := range n.inputs {
			uses[in]++
		}
	}
	for _, out := range g.outputs {
		uses[out]++
	}
	producer := map[string]int{}
	kept := g.nodes[:0]
	for _, n := range g.nodes {
		if n.op == "PRelu" && len(n.inputs) == 2 && len(n.outputs) == 1 {
			i, ok := producer[n.inputs[0]]
			slope := g.initializers[n.inputs[1]]
			if ok && uses[n.inputs[0]] == 1 && slope != nil && kept[i].slope == nil {
				conv := &kept[i]
				if w := g.initializers[conv.inputs[1]]; w != nil && len(w.Shape) == 4 && perChannel(slope, w.Shape[0]) {
					conv.slope = slope.Data
					conv.outputs = n.outputs
					producer[n.outputs[0]] = i
					continue
				}
			}
		}
		if n.op == "Conv" && len(n.outputs) == 1 && len(n.inputs) >= 2 {
			producer[n.outputs[0]] = len(kept)
		}
		kept = append(kept, n)
	}
	g.nodes = kept
}

// perChannel reports whether t broadcasts over an NCHW tensor of c
// channels as one value per channel: shape [c 1 1] or [1 c 1 1].
func perChannel(t *Tensor, c int) bool {
	s := t.Shape
	if len(s) == 4 && s[0] == 1 {
		s = s[1:]
	}
	return len(s) == 3 && s[0] == c && s[1] == 1 && s[2] == 1 && len(t.Data) == c
}

// Inputs returns the names of the tensors Run must be given.
func (m *Model) Inputs() []string { return slices.Clone(m.inputs) }

// Outputs returns the names of the graph's outputs.
func (m *Model) Outputs() []string { return slices.Clone(m.g.outputs) }

// Run evaluates the graph on the given inputs and returns its outputs by
// name. The inputs are not modified.
func (m *Model) Run(inputs map[string]*Tensor) (map[string]*Tensor, error) {
	values := make(map[string]*Tensor, len(m.g.initializers)+len(m.g.nodes))
	for name, t := range m.g.initializers {
		values[name] = t
	}
	for _, name := range m.inputs {
		t, ok := inputs[name]
		if !ok {
			return nil, fmt.Errorf("onnx: input %q missing", name)
		}
		if t == nil || len(t.Data) != elements(t.Shape) {
			return nil, fmt.Errorf("onnx: input %q: data does not fit its shape", name)
		}
		values[name] = t
	}
	args := make([]*Tensor, 0, 4)
	for i, n := range m.g.nodes {
		args = args[:0]
		for _, in := range n.inputs {
			args = append(args, values[in]) // "" (an omitted optional input) gives nil
		}
		outs, err := operators[n.op](&n, args)
		if err != nil {
			return nil, fmt.Errorf("onnx: node %d (%s %s): %w", i, n.op, n.name, err)
		}
		for j, out := range n.outputs {
			if j < len(outs) {
				values[out] = outs[j]
			}
		}
	}
	res := make(map[string]*Tensor, len(m.g.outputs))
	for _, name := range m.g.outputs {
		res[name] = values[name]
	}
	return res, nil
}
