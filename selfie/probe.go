package selfie

import (
	"embed"
	"fmt"
	"hash/fnv"
	"image"
	"strconv"
	"strings"
	"sync"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/logreg"
)

// probeFiles hold the learned second opinions (probes): each a logistic
// regression over face.Appearance of one square of the face, its bias and
// then one weight per line. NAME.txt is the shipped probe, fitted on every
// evaluation sample; NAME_foldK.txt is fitted without the samples of fold
// K (probeFold), for the evaluation. TestTrainHatProbe,
// TestTrainLensProbe and TestTrainMaskProbe write them (docs/selfie.md,
// "A learned second opinion on hats", "A learned second opinion on
// lenses", "Real masks for a mask probe").
//
//go:embed hat_probe*.txt lens_probe*.txt mask_probe*.txt
var probeFiles embed.FS

// probeFolds is how many folds the evaluation samples' photos are split
// into for cross-fitting.
const probeFolds = 5

// A probe tells one occluder from its absence by what a square of the
// face looks like through a network's layers. The rules read a few
// regions' colour, texture and edges; a probe reads the whole square, so
// the two err on different faces.
type probe struct {
	// name prefixes the probe's files and names its metric.
	name string
	// square is the part of the face the probe reads.
	square func(layout) face.Rect
	// bands is how many bands of rows of the square its appearance is
	// pooled over (face.AppearanceBands).
	bands int
	// models are the parsed probes: the shipped one first, then those
	// fitted without fold 1 to probeFolds.
	models func() ([]logreg.Model, error)
}

// hatProbe reads the top of the head (layout.head): a hat or hair. It
// reads it by four bands of rows, from the eyes to above the crown, since
// what tells a hat from hair is as much where fabric lies as how it looks
// (docs/selfie.md, "Where on the head the probe looks").
var hatProbe = newProbe("hat_probe", 4, func(g layout) face.Rect { return g.head })

// lensProbe reads both eyes with the brows and the top of the nose
// (layout.eyePair): a tinted lens or a bare or clear-glassed eye.
var lensProbe = newProbe("lens_probe", 1, func(g layout) face.Rect { return g.eyePair })

// maskProbe reads the lower face (layout.lowerFace): a mask or the nose,
// mouth and chin. Beside the evaluation's drawn masks it learnt the real
// masks and bare faces of the face-mask dataset (docs/selfie.md, "Real
// masks for a mask probe").
var maskProbe = newProbe("mask_probe", 2, func(g layout) face.Rect { return g.lowerFace })

func newProbe(name string, bands int, square func(layout) face.Rect) *probe {
	p := &probe{name: name, square: square, bands: bands}
	p.models = sync.OnceValues(func() ([]logreg.Model, error) {
		var out []logreg.Model
		for k := range probeFolds + 1 {
			file := p.file(k)
			data, err := probeFiles.ReadFile(file)
			if err != nil {
				return nil, err
			}
			m, err := parseProbe(string(data), p.features())
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			out = append(out, m)
		}
		return out, nil
	})
	return p
}

// file names the file of model k: 0 the shipped one, else the one fitted
// without fold k.
func (p *probe) file(k int) string {
	if k == 0 {
		return p.name + ".txt"
	}
	return fmt.Sprintf("%s_fold%d.txt", p.name, k)
}

// features is the length of the probe's feature vectors.
func (p *probe) features() int { return p.bands * face.AppearanceLen }

// appearance is what the probe reads of the face laid out by g in img.
func (p *probe) appearance(img image.Image, g layout, models *face.Models) []float32 {
	return models.AppearanceBands(img, p.square(g), p.bands)
}

// probeFold is the fold (1 to probeFolds) of an evaluation sample: fixed
// by its photo, so that every image generated from one photo lies in the
// same fold.
func probeFold(sampleName string) int {
	photo, _, _ := strings.Cut(sampleName, "+")
	h := fnv.New32a()
	h.Write([]byte(photo))
	return 1 + int(h.Sum32()%probeFolds)
}

// forSample returns the model fitted without the fold of the sample's
// photo, or nil when the models cannot be read (then the shipped one is
// missing too, and the check goes without it).
func (p *probe) forSample(sampleName string) *logreg.Model {
	models, err := p.models()
	if err != nil {
		return nil
	}
	return &models[probeFold(sampleName)]
}

// score is the probability, by model (nil: the shipped one), that the
// face laid out by g in img shows what p looks for; -1 when no model can
// be read.
func (p *probe) score(img image.Image, g layout, models *face.Models, model *logreg.Model) float64 {
	if model == nil {
		all, err := p.models()
		if err != nil {
			// The embedded files are checked by TestProbesParse; a
			// broken one must not stop selfies being judged.
			return -1
		}
		model = &all[0]
	}
	return model.Score(p.appearance(img, g, models))
}

// parseProbe reads a probe written by formatProbe, of features weights.
func parseProbe(text string, features int) (logreg.Model, error) {
	var vals []float64
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := strconv.ParseFloat(line, 64)
		if err != nil {
			return logreg.Model{}, fmt.Errorf("probe line %q: %w", line, err)
		}
		vals = append(vals, v)
	}
	if len(vals) != features+1 {
		return logreg.Model{}, fmt.Errorf("probe has %d values, want %d", len(vals), features+1)
	}
	return logreg.Model{Bias: vals[0], Weights: vals[1:]}, nil
}

// formatProbe writes m as parseProbe reads it, after a comment line.
func formatProbe(m logreg.Model, comment string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n%.9g\n", comment, m.Bias)
	for _, w := range m.Weights {
		fmt.Fprintf(&b, "%.9g\n", w)
	}
	return b.String()
}
