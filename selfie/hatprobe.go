package selfie

import (
	_ "embed"
	"fmt"
	"image"
	"strconv"
	"strings"
	"sync"

	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/internal/logreg"
)

// hatProbeText holds the hat probe: a logistic regression over
// face.Appearance of the head square (layout.head), its bias on the first
// line and one weight per line after it. TestTrainHatProbe writes it from
// the evaluation samples (docs/selfie.md, "A learned second opinion on
// hats").
//
//go:embed hat_probe.txt
var hatProbeText string

// hatProbe parses hatProbeText once.
var hatProbe = sync.OnceValues(func() (logreg.Model, error) { return parseProbe(hatProbeText) })

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
// wears a hat, or -1 without models. The hat rules read a few regions'
// colour, texture and edges; the probe reads the whole top of the head
// through a network's layers, so the two err on different heads: the
// rules' sure hats on bare heads are a fringe cut straight, a tight crop
// with hair at the top edge, hair pulled back under a backdrop of one
// colour.
func hatProbeScore(img image.Image, g layout, models *face.Models) float64 {
	if models == nil {
		return -1
	}
	m, err := hatProbe()
	if err != nil {
		// The embedded file is checked by TestHatProbeParses; a broken
		// one must not stop selfies being judged.
		return -1
	}
	return m.Score(models.Appearance(img, g.head))
}
