// Command trainmlp trains the MRZ cell classifier on augmented OCR-B glyphs
// and writes its weights to mrzocr/classifier.bin (run via go generate).
package main

import (
	"flag"
	"log"
	"os"

	"github.com/kycgate/kycgate/mrzocr"
)

func main() {
	out := flag.String("out", "classifier.bin", "output file")
	epochs := flag.Int("epochs", 30, "training epochs")
	perClass := flag.Int("per-class", 200, "samples per class per epoch")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	b, acc, err := mrzocr.TrainClassifier(os.Stderr, mrzocr.TrainOptions{Seed: *seed, Epochs: *epochs, SamplesPerClass: *perClass})
	if err != nil {
		log.Fatalf("train: %v", err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatalf("write: %v", err)
	}
	log.Printf("wrote %s (held-out accuracy %.2f%%)", *out, 100*acc)
}
