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

// hatProbeFiles hold the hat probe: a logistic regression over
// face.Appearance of the head square (layout.head), its bias and then one
// weight per line. hat_probe.txt is the shipped probe, fitted on every
// evaluation sample; hat_probe_foldK.txt is fitted without the samples of
// fold K (hatProbeFold), for the evaluation. TestTrainHatProbe writes them
// (docs/selfie.md, "A learned second opinion on hats").
//
//go:embed hat_probe*.txt
var hatProbeFiles embed.FS

// hatProbeFolds is how many folds the evaluation samples' photos are
// split into for cross-fitting.
const hatProbeFolds = 5

// hatProbes are the parsed probes: the shipped one first, then fold 1 to
// hatProbeFolds.
var hatProbes = sync.OnceValues(func() ([]logreg.Model, error) {
	var out []logreg.Model
	for k := range hatProbeFolds + 1 {
		name := hatProbeFile(k)
		data, err := hatProbeFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m, err := parseProbe(string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, m)
	}
	return out, nil
})

// hatProbeFile names the file of probe k: 0 the shipped one, else the one
// fitted without fold k.
func hatProbeFile(k int) string {
	if k == 0 {
		return "hat_probe.txt"
	}
	return fmt.Sprintf("hat_probe_fold%d.txt", k)
}

// hatProbeFold is the fold (1 to hatProbeFolds) of an evaluation sample:
// fixed by its photo, so that every image generated from one photo lies
// in the same fold.
func hatProbeFold(sampleName string) int {
	photo, _, _ := strings.Cut(sampleName, "+")
	h := fnv.New32a()
	h.Write([]byte(photo))
	return 1 + int(h.Sum32()%hatProbeFolds)
}

// hatProbeFor returns the probe fitted without the fold of the sample's
// photo, or nil when the probes cannot be read (then the shipped probe is
// missing too, and the check goes without it).
func hatProbeFor(sampleName string) *logreg.Model {
	probes, err := hatProbes()
	if err != nil {
		return nil
	}
	return &probes[hatProbeFold(sampleName)]
}

// parseProbe reads a probe written by formatProbe.
func parseProbe(text string) (logreg.Model, error) {
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
	if len(vals) != face.AppearanceLen+1 {
		return logreg.Model{}, fmt.Errorf("probe has %d values, want %d", len(vals), face.AppearanceLen+1)
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

// hatProbeScore is the probe's probability that the head in the photo
// wears a hat (cfg's probe, else the shipped one), or -1 when no probe
// can be read. The hat rules read a few regions' colour, texture and
// edges; the probe reads the whole top of the head through a network's
// layers, so the two err on different heads: the rules' sure hats on bare
// heads are fringes cut straight, tight crops with hair at the top edge,
// hair pulled back against a plain backdrop.
func hatProbeScore(img image.Image, g layout, models *face.Models, cfg Config) float64 {
	probe := cfg.hatProbe
	if probe == nil {
		probes, err := hatProbes()
		if err != nil {
			// The embedded files are checked by TestHatProbeParses; a
			// broken one must not stop selfies being judged.
			return -1
		}
		probe = &probes[0]
	}
	return probe.Score(models.Appearance(img, g.head))
}
