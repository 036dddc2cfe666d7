package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"image"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/address"
	"github.com/kycgate/kycgate/docread"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/httpapi"
	"github.com/kycgate/kycgate/identity"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/liveness"
	"github.com/kycgate/kycgate/ocr"
	"github.com/kycgate/kycgate/quality"
	"github.com/kycgate/kycgate/selfie"
	"github.com/kycgate/kycgate/sqlstore"
)

// engine holds the checks and the models they share. The verification
// job, the precheck endpoint and the offline commands all run through it,
// so a photo gets the same verdict wherever it is checked.
type engine struct {
	cfg      *Config
	store    kycgate.Store
	models   *face.Models
	doc      *docread.Check
	liveness *liveness.Verifier
	address  *address.Check
}

// newEngine loads the face models (failing with a clear message when the
// set-up has not fetched them) and the document reader (Tesseract).
func newEngine(cfg *Config, store *sqlstore.Store) (*engine, error) {
	models, err := face.Load(cfg.ModelsDir)
	if err != nil {
		return nil, fmt.Errorf("%w (run `make models` or scripts/models.sh, or set KYCGATE_MODELS_DIR)", err)
	}
	doc, err := docread.NewCheck()
	if err != nil {
		return nil, err
	}
	// Frame hashes are remembered in the database: frames recorded for one
	// challenge cannot answer another, whichever worker verifies them.
	verifier := liveness.NewVerifier(liveness.FaceModels{Models: models}, store.FrameHashes())
	engineOCR, err := ocr.Default()
	if err != nil {
		return nil, fmt.Errorf("OCR for proofs of address: %w", err)
	}
	addr := &address.Check{Extractor: address.Extractor{OCR: engineOCR}}
	addr.Options.MaxAgeMonths = cfg.AddressProofMaxAgeMonths
	return &engine{cfg: cfg, store: store, models: models, doc: doc, liveness: verifier, address: addr}, nil
}

// checks returns the verification pipeline, in order: the document's photo
// quality, then its reading (type, fields, comparison with the declared
// data, expiry), then the selfie, the liveness frames and the face match.
func (e *engine) checks() []kycgate.Check {
	return []kycgate.Check{
		quality.DocumentCheck{},
		e.doc,
		selfie.NewCheck(e.models),
		&face.MatchCheck{Models: e.models, Bands: e.cfg.FaceMatch},
		&liveness.Check{Verifier: e.liveness, Lookup: e.challengeOf},
		e.address,
	}
}

var _ liveness.SeenFrames = (*sqlstore.FrameHashes)(nil)

// challengeOf returns the challenge a submission's frames answer. The API
// spent it (once) and checked its owner and expiry when it accepted the
// submission, so a rerun of the job after a crash finds it again instead
// of failing as "challenge used".
func (e *engine) challengeOf(ctx context.Context, id string, _ time.Time) (*kycgate.Challenge, error) {
	return e.store.FindChallenge(ctx, id)
}

// precheck answers POST /v1/precheck: one photo, checked now, nothing
// stored.
func (e *engine) precheck(ctx context.Context, kind kycgate.FileKind, data []byte) ([]kycgate.Finding, map[string]float64, *kycgate.DocumentReading, error) {
	img, _, err := imageio.DecodeBytes(data, imageio.Limits{MaxBytes: e.cfg.Limits.MaxFileBytes, MaxPixels: e.cfg.Limits.MaxPixels})
	if err != nil {
		return nil, nil, nil, err
	}
	switch kind {
	case kycgate.FileSelfie, kycgate.FileLivenessFrame:
		rep := selfie.Analyze(img, e.models, selfie.DefaultConfig())
		return rep.Findings, rep.Metrics, nil, nil
	case kycgate.FileDocumentFront, kycgate.FileDocumentBack:
		return e.documentQuality(img)
	}
	return nil, nil, nil, kycgate.Errorf(kycgate.ErrInvalidInput, "precheck supports document and selfie photos, not %s", kind)
}

// documentQuality runs the photo-quality checks of a document image.
func (e *engine) documentQuality(img image.Image) ([]kycgate.Finding, map[string]float64, *kycgate.DocumentReading, error) {
	a, err := quality.Assess(img, quality.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	doc := &kycgate.DocumentReading{}
	if a.Document.Found {
		doc.Corners = a.Document.Corners[:]
	}
	return a.Findings, a.Metrics, doc, nil
}

func (e *engine) validatePersonalData(p *kycgate.PersonalData, today time.Time) []httpapi.FieldError {
	var out []httpapi.FieldError
	for _, fe := range identity.ValidatePersonalData(p, today) {
		out = append(out, httpapi.FieldError{Field: fe.Field, Code: fe.Code, Message: fe.Message})
	}
	return out
}

func (e *engine) newChallenge() ([]string, error) {
	c, err := liveness.NewChallenge(rand.Reader, time.Now())
	if err != nil {
		return nil, err
	}
	out := make([]string, len(c.Actions))
	for i, a := range c.Actions {
		out[i] = string(a)
	}
	return out, nil
}
