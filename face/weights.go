package face

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// Tensor is a dense float32 tensor in row-major order with the shape the
// tfjs manifest gives it (filters are [kh, kw, in, out]).
type Tensor struct {
	Shape []int
	Data  []float32
}

// manifestGroup is one entry of a tfjs weights_manifest.json: the shard
// files, concatenated in order, hold the weights, listed in order.
type manifestGroup struct {
	Paths   []string         `json:"paths"`
	Weights []manifestWeight `json:"weights"`
}

type manifestWeight struct {
	Name         string        `json:"name"`
	Shape        []int         `json:"shape"`
	DType        string        `json:"dtype"`
	Quantization *quantization `json:"quantization,omitempty"`
}

// quantization is tfjs's affine weight quantisation: value = q*scale + min.
type quantization struct {
	DType string  `json:"dtype"`
	Scale float64 `json:"scale"`
	Min   float64 `json:"min"`
}

// maxWeightElems bounds one tensor's size so that a corrupt manifest cannot
// make the loader allocate without limit.
const maxWeightElems = 1 << 26

// LoadWeights reads a tfjs weights manifest and its shards from dir and
// returns the dequantised tensors by name. name is the manifest's prefix,
// e.g. "face_landmark_68_model".
func LoadWeights(dir, name string) (map[string]*Tensor, error) {
	manifestPath := filepath.Join(dir, name+"-weights_manifest.json")
	raw, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil, fmt.Errorf("face: read weights manifest: %w", err)
	}
	var groups []manifestGroup
	if err := json.Unmarshal(raw, &groups); err != nil {
		return nil, fmt.Errorf("face: parse %s: %w", manifestPath, err)
	}
	out := map[string]*Tensor{}
	for _, g := range groups {
		var data []byte
		for _, p := range g.Paths {
			if filepath.Base(p) != p {
				return nil, fmt.Errorf("face: %s: shard path %q leaves the models directory", manifestPath, p)
			}
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				return nil, fmt.Errorf("face: read weights shard: %w", err)
			}
			data = append(data, b...)
		}
		ws, err := decodeWeights(data, g.Weights)
		if err != nil {
			return nil, fmt.Errorf("face: %s: %w", manifestPath, err)
		}
		for k, v := range ws {
			out[k] = v
		}
	}
	return out, nil
}

// decodeWeights splits the concatenated shard bytes into tensors as the
// manifest entries describe them, dequantising uint8/uint16 weights.
func decodeWeights(data []byte, specs []manifestWeight) (map[string]*Tensor, error) {
	out := make(map[string]*Tensor, len(specs))
	off := 0
	for _, s := range specs {
		n := 1
		for _, d := range s.Shape {
			if d <= 0 || n > maxWeightElems/d {
				return nil, fmt.Errorf("weight %s: bad shape %v", s.Name, s.Shape)
			}
			n *= d
		}
		t := &Tensor{Shape: append([]int(nil), s.Shape...), Data: make([]float32, n)}
		// int32 tensors (shapes and sizes of the exported graph, as in the
		// SSD detector's manifest) are read as numbers like the others.
		if s.DType != "float32" && s.DType != "int32" {
			return nil, fmt.Errorf("weight %s: unsupported dtype %q", s.Name, s.DType)
		}
		q := s.Quantization
		switch {
		case q == nil:
			if len(data)-off < 4*n {
				return nil, fmt.Errorf("weight %s: shards too short", s.Name)
			}
			for i := range t.Data {
				bits := binary.LittleEndian.Uint32(data[off+4*i:])
				if s.DType == "int32" {
					t.Data[i] = float32(int32(bits))
				} else {
					t.Data[i] = math.Float32frombits(bits)
				}
			}
			off += 4 * n
		case q.DType == "uint8":
			if len(data)-off < n {
				return nil, fmt.Errorf("weight %s: shards too short", s.Name)
			}
			for i := range t.Data {
				t.Data[i] = float32(float64(data[off+i])*q.Scale + q.Min)
			}
			off += n
		case q.DType == "uint16":
			if len(data)-off < 2*n {
				return nil, fmt.Errorf("weight %s: shards too short", s.Name)
			}
			for i := range t.Data {
				t.Data[i] = float32(float64(binary.LittleEndian.Uint16(data[off+2*i:]))*q.Scale + q.Min)
			}
			off += 2 * n
		default:
			return nil, fmt.Errorf("weight %s: unsupported quantisation %q", s.Name, q.DType)
		}
		out[s.Name] = t
	}
	if off != len(data) {
		return nil, errors.New("shards longer than the weights the manifest lists")
	}
	return out, nil
}

// weightSet fetches named tensors and checks their shapes, remembering the
// first problem so that network constructors read straight.
type weightSet struct {
	m   map[string]*Tensor
	err error
}

func (w *weightSet) get(name string, shape ...int) []float32 {
	if w.err != nil {
		return nil
	}
	t, ok := w.m[name]
	if !ok {
		w.err = fmt.Errorf("face: weight %s missing", name)
		return nil
	}
	if len(t.Shape) != len(shape) {
		w.err = fmt.Errorf("face: weight %s has shape %v, want %v", name, t.Shape, shape)
		return nil
	}
	for i := range shape {
		if t.Shape[i] != shape[i] {
			w.err = fmt.Errorf("face: weight %s has shape %v, want %v", name, t.Shape, shape)
			return nil
		}
	}
	return t.Data
}
