package face

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/kycgate/kycgate/tfgraph"
)

// mobileFaceNetModel is the graph model's file in the models directory
// (its weights are mobilefacenet.bin beside it).
const mobileFaceNetModel = "mobilefacenet.json"

// arcChipSize is MobileFaceNet's input side.
const arcChipSize = 112

// arcFaceTemplate is the 5-point template of the 112×112 crops of
// InsightFace's MS1M training set, on which MobileFaceNet was trained: the
// eye centres (image left, image right), the nose tip, the mouth corners
// (image left, image right).
var arcFaceTemplate = [5]Point{
	{38.2946, 51.6963},
	{73.5318, 51.5014},
	{56.0252, 71.7366},
	{41.5493, 92.3655},
	{70.7299, 92.2041},
}

// mobileFaceNet is the MobileFaceNet embedding (sirius-ai's TensorFlow
// MobileFaceNet, MS1M-trained, as converted for the Human library), run by
// the tfgraph interpreter. Its output is a unit 192-d vector.
type mobileFaceNet struct {
	graph         *tfgraph.Model
	input, output string
}

func loadMobileFaceNet(dir string) (*mobileFaceNet, error) {
	g, err := tfgraph.Load(filepath.Join(dir, mobileFaceNetModel))
	if err != nil {
		return nil, fmt.Errorf("face: MobileFaceNet: %w", err)
	}
	n := &mobileFaceNet{graph: g, input: "img_inputs", output: "embeddings"}
	if shape, ok := g.Inputs()[n.input]; !ok || len(shape) != 4 || shape[1] != arcChipSize || shape[2] != arcChipSize || shape[3] != 3 {
		return nil, fmt.Errorf("face: MobileFaceNet: input %s is %v, want [-1 %d %d 3]", n.input, shape, arcChipSize, arcChipSize)
	}
	return n, nil
}

// mobileFaceNetDims is the length of MobileFaceNet's embedding.
const mobileFaceNetDims = 192

// forward embeds one 112×112 RGB chip (pixel values 0–255). The network
// was trained on pixels scaled to (v − 127.5)/128 (sirius-ai's
// data_process.py).
func (n *mobileFaceNet) forward(chip []float32) ([]float32, error) {
	x := tfgraph.NewTensor(1, arcChipSize, arcChipSize, 3)
	for i, v := range chip {
		x.Data[i] = (v - 127.5) / 128
	}
	out, err := n.graph.Run(map[string]*tfgraph.Tensor{n.input: x}, n.output)
	if err != nil {
		return nil, fmt.Errorf("face: MobileFaceNet: %w", err)
	}
	if len(out[0].Data) != mobileFaceNetDims {
		return nil, fmt.Errorf("face: MobileFaceNet: embedding of %d values, want %d", len(out[0].Data), mobileFaceNetDims)
	}
	return out[0].Data, nil
}

// arcFaceChip cuts the 112×112 chip MobileFaceNet expects: the eye
// centres, nose tip and mouth corners mapped onto arcFaceTemplate by a
// least-squares similarity transform.
func arcFaceChip(img *rgbImage, lm *Landmarks) ([]float32, error) {
	src := [5]Point{lm.LeftEye(), lm.RightEye(), lm.Nose(), lm.MouthLeft(), lm.MouthRight()}
	// The template's coordinates are pixel indices (OpenCV's warpAffine);
	// warp samples at pixel centres, half a pixel further.
	var dst [5]Point
	for i, t := range arcFaceTemplate {
		dst[i] = Point{t.X + 0.5, t.Y + 0.5}
	}
	a, b, tx, ty, ok := similarity(src[:], dst[:])
	if !ok {
		return nil, ErrDegenerateLandmarks
	}
	k := a*a + b*b
	t := affine{A: a / k, B: b / k, D: -b / k, E: a / k}
	t.C = -(t.A*tx + t.B*ty)
	t.F = -(t.D*tx + t.E*ty)
	if math.IsNaN(t.C) || math.IsNaN(t.F) {
		return nil, ErrDegenerateLandmarks
	}
	return img.warp(t, arcChipSize), nil
}
