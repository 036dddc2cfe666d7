package onnx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// The decoder below reads the few fields of onnx.proto (ONNX IR) that a
// forward pass needs; unknown fields are skipped, as protobuf requires. The
// field numbers are those of onnx/onnx.proto.

// graph is a decoded GraphProto.
type graph struct {
	nodes        []node
	initializers map[string]*Tensor
	inputs       []string
	outputs      []string
}

// node is a decoded NodeProto.
type node struct {
	op      string
	name    string
	inputs  []string
	outputs []string
	attrs   map[string]attribute
	// slope is the per-channel slope of a PRelu fused into this Conv
	// (fuse), applied as the convolution's output is written.
	slope []float32
}

// attribute is a decoded AttributeProto; only the kinds ONNX vision models
// use are kept.
type attribute struct {
	f      float32
	i      int64
	ints   []int64
	floats []float32
	t      *Tensor
}

// ONNX TensorProto data types this package reads.
const (
	dataFloat = 1
	dataInt64 = 7
)

var errTruncated = errors.New("truncated protobuf")

// fields calls fn for every field of the message b, with the field's
// number, wire type and raw value (the bytes of a length-delimited field,
// or the varint or fixed value).
func fields(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("field tag: %w", protowire.ParseError(n))
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var y uint32
			y, n = protowire.ConsumeFixed32(b)
			x = uint64(y)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
		}
		b = b[n:]
		if err := fn(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}

// decodeModel reads a ModelProto and returns its graph.
func decodeModel(b []byte) (*graph, error) {
	var g *graph
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 7 || typ != protowire.BytesType { // ModelProto.graph
			return nil
		}
		var err error
		g, err = decodeGraph(v)
		return err
	})
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errors.New("no graph in the model")
	}
	return g, nil
}

func decodeGraph(b []byte) (*graph, error) {
	g := &graph{initializers: map[string]*Tensor{}}
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case 1: // node
			n, err := decodeNode(v)
			if err != nil {
				return fmt.Errorf("node %d: %w", len(g.nodes), err)
			}
			g.nodes = append(g.nodes, n)
		case 5: // initializer
			name, t, err := decodeTensor(v)
			if err != nil {
				return fmt.Errorf("initializer %q: %w", name, err)
			}
			g.initializers[name] = t
		case 11, 12: // input, output (ValueInfoProto; field 1 is the name)
			name, err := stringField(v, 1)
			if err != nil {
				return err
			}
			if num == 11 {
				g.inputs = append(g.inputs, name)
			} else {
				g.outputs = append(g.outputs, name)
			}
		}
		return nil
	})
	return g, err
}

// stringField returns the string field num of message b.
func stringField(b []byte, want protowire.Number) (string, error) {
	var s string
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num == want && typ == protowire.BytesType {
			s = string(v)
		}
		return nil
	})
	return s, err
}

func decodeNode(b []byte) (node, error) {
	n := node{attrs: map[string]attribute{}}
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case 1:
			n.inputs = append(n.inputs, string(v))
		case 2:
			n.outputs = append(n.outputs, string(v))
		case 3:
			n.name = string(v)
		case 4:
			n.op = string(v)
		case 5:
			name, a, err := decodeAttribute(v)
			if err != nil {
				return fmt.Errorf("attribute %q: %w", name, err)
			}
			n.attrs[name] = a
		}
		return nil
	})
	return n, err
}

func decodeAttribute(b []byte) (string, attribute, error) {
	var name string
	var a attribute
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == 1 && typ == protowire.BytesType:
			name = string(v)
		case num == 2 && typ == protowire.Fixed32Type:
			a.f = math.Float32frombits(uint32(x))
		case num == 3 && typ == protowire.VarintType:
			a.i = int64(x)
		case num == 5 && typ == protowire.BytesType:
			_, t, err := decodeTensor(v)
			if err != nil {
				return err
			}
			a.t = t
		case num == 7 && typ == protowire.Fixed32Type:
			a.floats = append(a.floats, math.Float32frombits(uint32(x)))
		case num == 7 && typ == protowire.BytesType: // packed floats
			if len(v)%4 != 0 {
				return errTruncated
			}
			for i := 0; i < len(v); i += 4 {
				a.floats = append(a.floats, math.Float32frombits(binary.LittleEndian.Uint32(v[i:])))
			}
		case num == 8 && typ == protowire.VarintType:
			a.ints = append(a.ints, int64(x))
		case num == 8 && typ == protowire.BytesType: // packed ints
			ints, err := varints(v)
			if err != nil {
				return err
			}
			a.ints = append(a.ints, ints...)
		}
		return nil
	})
	return name, a, err
}

func varints(b []byte) ([]int64, error) {
	var out []int64
	for len(b) > 0 {
		x, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		out = append(out, int64(x))
		b = b[n:]
	}
	return out, nil
}

// maxElements bounds every tensor, read from a file or computed (4 Mi
// values, 16 MB; the face networks' largest holds 0.2 Mi), so a corrupt
// dimension cannot ask for an absurd allocation.
const maxElements = 1 << 22

// decodeTensor reads a TensorProto of floats or int64s (raw_data or the
// typed repeated fields).
func decodeTensor(b []byte) (string, *Tensor, error) {
	var (
		name     string
		dims     []int64
		dataType uint64
		raw      []byte
		floats   []float32
		ints     []int64
	)
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == 1 && typ == protowire.VarintType:
			dims = append(dims, int64(x))
		case num == 1 && typ == protowire.BytesType:
			d, err := varints(v)
			if err != nil {
				return err
			}
			dims = append(dims, d...)
		case num == 2 && typ == protowire.VarintType:
			dataType = x
		case num == 4 && typ == protowire.BytesType: // float_data, packed
			if len(v)%4 != 0 {
				return errTruncated
			}
			for i := 0; i < len(v); i += 4 {
				floats = append(floats, math.Float32frombits(binary.LittleEndian.Uint32(v[i:])))
			}
		case num == 4 && typ == protowire.Fixed32Type:
			floats = append(floats, math.Float32frombits(uint32(x)))
		case num == 7 && typ == protowire.BytesType: // int64_data, packed
			d, err := varints(v)
			if err != nil {
				return err
			}
			ints = append(ints, d...)
		case num == 7 && typ == protowire.VarintType:
			ints = append(ints, int64(x))
		case num == 8 && typ == protowire.BytesType:
			name = string(v)
		case num == 9 && typ == protowire.BytesType:
			raw = v
		}
		return nil
	})
	if err != nil {
		return name, nil, err
	}
	shape := make([]int, len(dims))
	count := 1
	for i, d := range dims {
		if d < 0 || d > maxElements {
			return name, nil, fmt.Errorf("dimension %d is %d", i, d)
		}
		shape[i] = int(d)
		count *= shape[i]
		if count > maxElements {
			return name, nil, fmt.Errorf("shape %v is too large", dims)
		}
	}
	t := &Tensor{Shape: shape}
	switch dataType {
	case dataFloat:
		if raw != nil {
			if len(raw) != 4*count {
				return name, nil, fmt.Errorf("%d bytes of float data for shape %v", len(raw), shape)
			}
			floats = make([]float32, count)
			for i := range floats {
				floats[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		}
		if len(floats) != count {
			return name, nil, fmt.Errorf("%d floats for shape %v", len(floats), shape)
		}
		t.Data = floats
	case dataInt64:
		if raw != nil {
			if len(raw) != 8*count {
				return name, nil, fmt.Errorf("%d bytes of int64 data for shape %v", len(raw), shape)
			}
			ints = make([]int64, count)
			for i := range ints {
				ints[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		}
		if len(ints) != count {
			return name, nil, fmt.Errorf("%d int64s for shape %v", len(ints), shape)
		}
		t.Ints = ints
	default:
		return name, nil, fmt.Errorf("data type %d is not supported (float32 and int64 are)", dataType)
	}
	return name, t, nil
}
