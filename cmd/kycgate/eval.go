package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kycgate/kycgate/docloc/doceval"
	"github.com/kycgate/kycgate/docread"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/liveness"
	"github.com/kycgate/kycgate/mrzocr"
	"github.com/kycgate/kycgate/quality"
	"github.com/kycgate/kycgate/selfie"
)

// runEval prints the accuracy of every detector on labelled images: the
// generated sets (always) and the real photos of ../shared/testdata (when
// present). The figures are the ones docs/ cites and the tests guard.
func runEval(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	testdata := fs.String("testdata", filepath.Join("..", "shared", "testdata"), "the shared labelled test data")
	modelsDir := fs.String("models-dir", face.ModelsDir(), "face model weights (KYCGATE_MODELS_DIR)")
	only := fs.String("only", "", "comma-separated subset: localisation,quality,mrz,document,face,selfie,liveness")
	n := fs.Int("n", 200, "generated samples per evaluation")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if _, err := os.Stat(*testdata); err != nil {
		fmt.Fprintf(stderr, "eval: %s not found: real-photo parts are skipped\n", *testdata)
		*testdata = ""
	}
	want := func(name string) bool { return *only == "" || strings.Contains(","+*only+",", ","+name+",") }
	var models *face.Models
	loadModels := func() (*face.Models, error) {
		if models != nil {
			return models, nil
		}
		m, err := face.Load(*modelsDir)
		if err != nil {
			return nil, fmt.Errorf("%w (run `make models`)", err)
		}
		models = m
		return m, nil
	}
	section := func(title string) { fmt.Fprintf(stdout, "\n== %s ==\n", title) }

	if want("localisation") {
		section("document localisation (docloc)")
		cfg := doceval.Config{Clean: *n, Light: *n / 4, Cut: *n / 2, Negatives: *n / 4, Seed: 1}
		if *testdata != "" {
			cfg.RealDir = filepath.Join(*testdata, "documents", "corners")
		}
		rep, err := doceval.Evaluate(cfg)
		if err != nil {
			return err
		}
		rep.WriteText(stdout)
	}
	if want("quality") {
		section("photo quality (quality)")
		if _, err := quality.Evaluate(stdout, *n); err != nil {
			return err
		}
	}
	if want("mrz") {
		section("machine-readable zone (mrzocr)")
		if _, err := mrzocr.Evaluate(stdout, mrzocr.EvalOptions{TestData: *testdata, Generated: *n / 4, Seed: 1}); err != nil {
			return err
		}
	}
	if want("document") {
		section("document reading and classification (docread)")
		if _, err := docread.Evaluate(stdout, *n/4); err != nil {
			return err
		}
	}
	if *testdata == "" {
		return nil
	}
	if want("face") {
		section("face detection and match (face)")
		m, err := loadModels()
		if err != nil {
			return err
		}
		if _, err := face.Evaluate(stdout, *testdata, m, face.EvalOptions{}); err != nil {
			return err
		}
	}
	if want("selfie") {
		section("selfie quality (selfie)")
		m, err := loadModels()
		if err != nil {
			return err
		}
		if _, err := selfie.Evaluate(stdout, *testdata, m); err != nil {
			return err
		}
	}
	if want("liveness") {
		section("liveness (liveness)")
		m, err := loadModels()
		if err != nil {
			return err
		}
		if _, err := liveness.Evaluate(stdout, *testdata, liveness.FaceModels{Models: m}); err != nil {
			return err
		}
	}
	return nil
}
