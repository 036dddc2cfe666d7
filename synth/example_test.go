package synth_test

import (
	"fmt"
	"math/rand"

	"github.com/kycgate/kycgate/synth"
)

// A passport's MRZ is generated with valid check digits for any identity.
func ExampleMRZLines() {
	id := synth.Identity{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DocumentNumber: "L898902C3",
		DateOfBirth: "1974-08-12", Sex: "F", Nationality: "UTO", IssuingCountry: "UTO", DateOfExpiry: "2012-04-15"}
	for _, l := range synth.MRZLines(synth.Passport, id) {
		fmt.Println(l)
	}
	// Output:
	// P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
	// L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08
}

// Render a Chinese resident ID card and photograph it on a random table.
func ExamplePhotograph() {
	rng := rand.New(rand.NewSource(1))
	id := synth.RandomIdentity(rng, synth.CNIDFront)
	doc, err := synth.Render(synth.CNIDFront, id, synth.Options{})
	if err != nil {
		fmt.Println(err) // fonts missing
		return
	}
	cam := synth.RandomCamera(rng)
	cam.CutCorner, cam.CutDepth = 2, 0.05 // top-right corner out of frame
	img, corners, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx() > 0, corners[1][0] > float64(img.Bounds().Dx()) || corners[1][1] < 0)
	// Output: true true
}
