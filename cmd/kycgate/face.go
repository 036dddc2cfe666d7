package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"io"
	"net/http"
	"os"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/httpapi"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/selfie"
)

// faceFlags are the flags the face commands share.
type faceFlags struct {
	asJSON    *bool
	modelsDir *string
	lang      *string
}

func newFaceFlags(fs *flag.FlagSet) faceFlags {
	return faceFlags{
		asJSON:    fs.Bool("json", false, "print JSON Lines"),
		modelsDir: fs.String("models-dir", face.ModelsDir(), "face model weights (KYCGATE_MODELS_DIR)"),
		lang:      fs.String("lang", "en", "language of messages: en or zh-CN"),
	}
}

func (f faceFlags) load() (*face.Models, error) {
	m, err := face.Load(*f.modelsDir)
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("%w (run `make models`)", err)}
	}
	return m, nil
}

// faceResult is one line of `kycgate face --json` or `kycgate match --json`.
type faceResult struct {
	File     string                `json:"file"`
	OK       bool                  `json:"ok"`
	Findings []httpapi.FindingView `json:"findings"`
	Metrics  map[string]float64    `json:"metrics"`
	Distance *float64              `json:"distance,omitempty"`
	Band     face.Band             `json:"band,omitempty"`
	Error    string                `json:"error,omitempty"`
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := imageio.Decode(f, imageio.DefaultLimits())
	return img, err
}

func emit(w io.Writer, asJSON bool, r faceResult) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(r)
		return
	}
	switch {
	case r.Error != "":
		fmt.Fprintf(w, "%s: error: %s\n", r.File, r.Error)
	case r.OK:
		fmt.Fprintf(w, "%s: OK\n", r.File)
	default:
		fmt.Fprintf(w, "%s: %d problem(s)\n", r.File, len(r.Findings))
	}
	if r.Distance != nil {
		fmt.Fprintf(w, "  distance %.3f: %s\n", *r.Distance, r.Band)
	}
	for _, f := range r.Findings {
		printFinding(w, f)
	}
}

// outcome turns results into the CLI's exit status.
func outcome(results []faceResult) error {
	code := 0
	for _, r := range results {
		switch {
		case r.Error != "":
			code = 2
		case !r.OK && code == 0:
			code = 1
		}
	}
	if code != 0 {
		return &exitError{code: code}
	}
	return nil
}

func runFace(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("face", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ff := newFaceFlags(fs)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() == 0 {
		return usageError("usage: kycgate face [--json] SELFIE...")
	}
	models, err := ff.load()
	if err != nil {
		return err
	}
	req := &http.Request{Header: http.Header{"Accept-Language": {*ff.lang}}}
	var results []faceResult
	for _, path := range fs.Args() {
		r := faceResult{File: path, Findings: []httpapi.FindingView{}}
		img, err := decodeFile(path)
		if err != nil {
			r.Error = err.Error()
		} else {
			rep := selfie.Analyze(img, models, selfie.DefaultConfig())
			r.Findings, r.Metrics, r.OK = httpapiFindings(rep.Findings, req), rep.Metrics, rep.OK()
		}
		emit(stdout, *ff.asJSON, r)
		results = append(results, r)
	}
	return outcome(results)
}

func runMatch(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ff := newFaceFlags(fs)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() != 2 {
		return usageError("usage: kycgate match [--json] DOCUMENT_IMAGE SELFIE")
	}
	models, err := ff.load()
	if err != nil {
		return err
	}
	req := &http.Request{Header: http.Header{"Accept-Language": {*ff.lang}}}
	r := faceResult{File: fs.Arg(1), Findings: []httpapi.FindingView{}, Metrics: map[string]float64{}}
	// The same check the verification job runs on a document and a selfie.
	docData, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	selfieData, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	ev := &kycgate.Evidence{Metrics: map[string]float64{}, Files: []kycgate.EvidenceFile{
		{File: kycgate.File{Step: kycgate.StepIDDocument, Kind: kycgate.FileDocumentFront}, Data: docData},
		{File: kycgate.File{Step: kycgate.StepSelfie, Kind: kycgate.FileSelfie}, Data: selfieData},
	}}
	findings, err := (&face.MatchCheck{Models: models}).Run(context.Background(), ev)
	if err != nil {
		return err
	}
	r.Metrics = ev.Metrics
	if d, ok := ev.Metrics[face.MetricDistance]; ok {
		r.Distance = &d
		// The band is the check's verdict, which also weighs the faces'
		// size (face.MinMatchEyeDistance), not the distance alone.
		r.Band = face.BandMatch
		for _, f := range findings {
			if f.Code == kycgate.FaceMismatch && f.Review {
				r.Band = face.BandReview
			} else if f.Code == kycgate.FaceMismatch {
				r.Band = face.BandMismatch
			}
		}
	}
	r.Findings, r.OK = httpapiFindings(findings, req), len(findings) == 0 && r.Error == ""
	emit(stdout, *ff.asJSON, r)
	return outcome([]faceResult{r})
}
