package quality_test

import (
	"fmt"
	"math/rand"

	"github.com/kycgate/kycgate/quality"
	"github.com/kycgate/kycgate/synth"
)

// A synthetic phone photo of an ID card, taken out of focus.
func ExampleAssess() {
	rng := rand.New(rand.NewSource(1))
	doc, err := synth.Render(synth.IDCard, synth.RandomIdentity(rng, synth.IDCard), synth.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	cam := synth.Camera{Width: 1600, Height: 1200, Scale: 0.7, Rotation: 3, DefocusSigma: 3.5, Noise: 2, JPEGQuality: 90}
	photo, _, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := quality.Assess(photo, quality.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("document found:", a.Document.Found)
	for _, f := range a.Findings {
		fmt.Printf("%s (%s): edge width above %.1f px\n", f.Code, f.Detail, f.Metrics[quality.MetricThreshold])
	}
	// Output:
	// document found: true
	// IMAGE_BLURRY (defocus): edge width above 4.3 px
}
