package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand"
	"os"
	"path/filepath"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/synth"
)

// runDemo writes the files of the README's walkthrough: photos of a
// synthetic passport (one sharp, one blurred) and the declared data, once
// right and once with a misspelt surname. The identity is invented.
func runDemo(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", 7, "seed of the synthetic identity")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	dir := "demo"
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(*seed))
	id := synth.RandomIdentity(rng, synth.Passport)
	doc, err := synth.Render(synth.Passport, id, synth.Options{})
	if err != nil {
		return err
	}
	cam := synth.RandomCamera(rng)
	sharp, _, err := synth.Photograph(doc.Image, cam, rand.New(rand.NewSource(*seed)))
	if err != nil {
		return err
	}
	cam.DefocusSigma = 6
	blurred, _, err := synth.Photograph(doc.Image, cam, rand.New(rand.NewSource(*seed)))
	if err != nil {
		return err
	}
	declared := kycgate.PersonalData{Surname: id.Surname, GivenNames: id.GivenNames, DateOfBirth: id.DateOfBirth,
		Sex: id.Sex, Nationality: id.Nationality, DocumentType: kycgate.DocPassport, DocumentNumber: id.DocumentNumber,
		IssuingCountry: id.IssuingCountry}
	wrong := declared
	wrong.Surname = id.Surname[:len(id.Surname)-1]
	files := []struct {
		name string
		v    any
	}{
		{"passport.jpg", sharp}, {"passport-blurry.jpg", blurred},
		{"declared.json", declared}, {"declared-typo.json", wrong},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := writeDemoFile(path, f.v); err != nil {
			return err
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}

func writeDemoFile(path string, v any) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case image.Image:
		err = jpeg.Encode(out, x, &jpeg.Options{Quality: 90})
	default:
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		err = enc.Encode(x)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
