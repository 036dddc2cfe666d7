// Package face finds faces, places 68 landmarks on them and turns them into
// 128-d descriptors whose Euclidean distance says whether two photos show
// the same person; on top of that it matches a document portrait against a
// selfie (Match, MatchCheck).
//
// Everything is pure Go. Detection is pigo's pixel-intensity-comparison
// cascade, with face-api.js's TinyFaceDetector (DetectCNN) for faces it
// misses; landmarks and descriptors are face-api.js's FaceLandmark68Net
// and FaceRecognitionNet (the dlib ResNet), re-implemented here and checked
// against face-api.js's own outputs, with the pretrained weights that
// scripts/models.sh takes from the npm package @vladmandic/face-api@1.7.15.
package face

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Weight file prefixes inside the models directory.
const (
	landmarkModel    = "face_landmark_68_model"
	recognitionModel = "face_recognition_model"
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
	landmarks   *landmarkNet
	recognition *recognitionNet
	detector    *tinyFaceNet
	ssd         *ssdNet
}

// ModelsDir returns KYCGATE_MODELS_DIR or the default ./models.
func ModelsDir() string {
	if d := os.Getenv("KYCGATE_MODELS_DIR"); d != "" {
		return d
	}
	return DefaultModelsDir
}

// Load reads the landmark, recognition and two detectors' weights from dir. When
// they are missing the error says how to install them, so that the service
// fails at start-up rather than at the first selfie.
func Load(dir string) (*Models, error) {
	for _, name := range []string{landmarkModel, recognitionModel, detectorModel, ssdModel} {
		p := filepath.Join(dir, name+"-weights_manifest.json")
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: %s not found; run scripts/models.sh %s (or set KYCGATE_MODELS_DIR to the directory holding the face-api.js weights)", ErrModelsMissing, p, dir)
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
	rw, err := LoadWeights(dir, recognitionModel)
	if err != nil {
		return nil, err
	}
	rn, err := newRecognitionNet(rw)
	if err != nil {
		return nil, err
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
	return &Models{landmarks: ln, recognition: rn, detector: dn, ssd: sn}, nil
}
