// Package face finds faces, places 68 landmarks on them and turns them into
// 512-d descriptors whose Euclidean distance says whether two photos show
// the same person; on top of that it matches a document portrait against a
// selfie (Match, MatchCheck).
//
// The networks run in Go (matrix products on OpenBLAS when cgo is
// available). Detection is pigo's pixel-intensity-comparison cascade, with
// face-api.js's TinyFaceDetector and SsdMobilenetv1 for faces it misses;
// landmarks are face-api.js's FaceLandmark68Net, re-implemented here and
// checked against face-api.js's own outputs, with the weights that
// scripts/models.sh takes from the npm package @vladmandic/face-api@1.7.15.
// Descriptors come from the ArcFace-style embedding network of the npm
// package faceplugin-face-recognition-js@0.0.1 (embeddingModel), run by
// package onnx and checked against onnxruntime. It replaced face-api.js's
// dlib ResNet, which cannot tell East-Asian look-alikes apart
// (docs/face.md).
package face

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kycgate/kycgate/onnx"
)

// Weight file prefixes inside the models directory.
const (
	landmarkModel = "face_landmark_68_model"
	// detectorModel is face-api.js's TinyFaceDetector (face/tinyface.go);
	// ssdModel (face/ssd.go) its SsdMobilenetv1.
	detectorModel = tinyFaceModel
)

// DefaultModelsDir is where the models are looked for when
// KYCGATE_MODELS_DIR is not set.
const DefaultModelsDir = "./models"

// ErrModelsMissing is wrapped by Load when the weight files are absent.
var ErrModelsMissing = errors.New("face models missing")

// Models holds the loaded networks. It is safe for concurrent use: the
// forward passes only read the weights.
type Models struct {
	landmarks *landmarkNet
	embedder  *onnx.Model
	eyes      *onnx.Model
	detector  *tinyFaceNet
	ssd       *ssdNet
}

// ModelsDir returns KYCGATE_MODELS_DIR or the default ./models.
func ModelsDir() string {
	if d := os.Getenv("KYCGATE_MODELS_DIR"); d != "" {
		return d
	}
	return DefaultModelsDir
}

// Load reads the landmark, embedding, eye-state and two detectors' weights
// from dir.
// When they are missing the error says how to install them, so that the
// service fails at start-up rather than at the first selfie.
func Load(dir string) (*Models, error) {
	files := []string{embeddingModel, eyeStateModel}
	for _, name := range []string{landmarkModel, detectorModel, ssdModel} {
		files = append(files, name+"-weights_manifest.json")
	}
	for _, f := range files {
		p := filepath.Join(dir, f)
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: %s not found; run scripts/models.sh %s (or set KYCGATE_MODELS_DIR to the directory holding the face models)", ErrModelsMissing, p, dir)
		}
	}
	lw, err := LoadWeights(dir, landmarkModel)
	if err != nil {
		return nil, err
	}
	ln, err := newLandmarkNet(lw)
	if err != nil {
		return nil, err
	}
	en, err := onnx.Load(filepath.Join(dir, embeddingModel))
	if err != nil {
		return nil, fmt.Errorf("face: embedding network: %w", err)
	}
	eyes, err := onnx.Load(filepath.Join(dir, eyeStateModel))
	if err != nil {
		return nil, fmt.Errorf("face: eye-state network: %w", err)
	}
	dw, err := LoadWeights(dir, detectorModel)
	if err != nil {
		return nil, err
	}
	dn, err := newTinyFaceNet(dw)
	if err != nil {
		return nil, err
	}
	sw, err := LoadWeights(dir, ssdModel)
	if err != nil {
		return nil, err
	}
	sn, err := newSSDNet(sw)
	if err != nil {
		return nil, err
	}
	return &Models{landmarks: ln, embedder: en, eyes: eyes, detector: dn, ssd: sn}, nil
}
