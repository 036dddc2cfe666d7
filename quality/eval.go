//go:build !js

package quality

import (
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/synth"
)

// Sample is one labelled evaluation image.
type Sample struct {
	Name     string
	Class    string  // clean, defocus, motion, glare, overexposed, underexposed, lowres, cut, empty
	Severity float64 // the defect's strength in its own unit (see docs/quality.md)
	Image    image.Image
	// Region, when set, is measured as the document instead of locating
	// one (real photos of scenes that are not documents).
	Region *[4][2]float64
	// Truth is the document's true corners in synthetic photos.
	Truth *[4][2]float64
	// Expect are the codes the sample must produce.
	Expect []kycgate.ReasonCode
	// Only, when set, restricts scoring to these codes (a real scene photo
	// labelled only for blur says nothing about glare).
	Only []kycgate.ReasonCode
	// Allow are codes that are not false positives on this sample: a
	// document too dark or too washed out to see may also be reported as
	// not found — the exposure finding still tells the applicant what to
	// fix.
	Allow []kycgate.ReasonCode
}

// Clean reports whether the sample has no defect.
func (s Sample) Clean() bool { return len(s.Expect) == 0 }

// CodeStats is the confusion count of one reason code.
type CodeStats struct {
	Code              kycgate.ReasonCode
	TP, FP, FN        int
	Precision, Recall float64
}

// Report is the outcome of an evaluation.
type Report struct {
	Codes []CodeStats
	// Clean is the number of clean photos; CleanRejected how many of them
	// got any finding; FalseRejectRate their ratio.
	Clean, CleanRejected int
	FalseRejectRate      float64
	Samples              int
	// MeanAssess is the mean time of one Assess call.
	MeanAssess time.Duration
	// Misses lists, per sample with a wrong outcome, what was expected and
	// what was found (for tuning; no personal data — all synthetic).
	Misses []string
	// Oracle is the same evaluation with the document region given by the
	// true corners instead of located: it isolates the quality measures
	// from localisation errors. Nil in an oracle report itself.
	Oracle *Report
}

// Code returns the stats of one code (zero value when absent).
func (r *Report) Code(c kycgate.ReasonCode) CodeStats {
	for _, s := range r.Codes {
		if s.Code == c {
			return s
		}
	}
	return CodeStats{Code: c}
}

// evalDocKinds are the document faces photographed in the synthetic set.
var evalDocKinds = []struct {
	kind synth.Kind
	back bool
}{
	{synth.IDCard, false}, {synth.Passport, false}, {synth.IDCard, true},
	{synth.CNIDFront, false}, {synth.DriverLicense, false}, {synth.CNIDBack, false},
}

// GenerateSet renders the deterministic synthetic evaluation set: 2n clean
// photos and n photos of each defect class at severities drawn from the
// realistic ranges in docs/quality.md. The same (n, seed) always gives the
// same images.
func GenerateSet(n int, seed int64) ([]Sample, error) {
	var out []Sample
	err := eachGenerated(n, seed, func(s Sample) { out = append(out, s) })
	return out, err
}

// eachGenerated renders the set GenerateSet returns one sample at a time,
// in the same order, and hands each to fn: at the evaluation command's
// n=200 the set is 2,000 photos (some 15 GB decoded), too many to hold at
// once.
func eachGenerated(n int, seed int64, fn func(Sample)) error {
	rng := rand.New(rand.NewSource(seed))
	docs := make([]*synth.Document, 0, len(evalDocKinds))
	for _, k := range evalDocKinds {
		id := synth.RandomIdentity(rng, k.kind)
		d, err := synth.Render(k.kind, id, synth.Options{Back: k.back})
		if err != nil {
			return fmt.Errorf("rendering %s: %w", k.kind, err)
		}
		docs = append(docs, d)
	}
	classes := []string{"clean", "clean", "defocus", "motion", "glare", "overexposed", "underexposed", "lowres", "cut", "empty"}
	for i := 0; i < n; i++ {
		for ci, class := range classes {
			doc := docs[(i*len(classes)+ci)%len(docs)]
			s, err := makeSample(doc, class, rng)
			if err != nil {
				return err
			}
			s.Name = fmt.Sprintf("%s-%03d-%s", class, i, doc.Kind)
			fn(s)
		}
	}
	return nil
}

// makeSample photographs doc with one defect of the class.
func makeSample(doc *synth.Document, class string, rng *rand.Rand) (Sample, error) {
	cam := synth.RandomCamera(rng)
	// Clean photos vary more than RandomCamera alone: a little dimmer or
	// brighter, slightly soft, a hand tremor — all still readable.
	cam.Exposure = 0.75 + 0.33*rng.Float64()
	cam.LightGradient = rng.Float64() * 0.4
	native := cam.Scale * float64(cam.Width)
	norm := math.Max(1, native/1000) // output px per normalised px
	cam.DefocusSigma = rng.Float64() * 0.9 * norm
	if rng.Intn(3) == 0 {
		cam.MotionLength = (1 + 2*rng.Float64()) * norm
		cam.MotionAngle = rng.Float64() * 180
	}
	s := Sample{Class: class}
	switch class {
	case "clean":
	case "defocus":
		s.Severity = 2 + 3*rng.Float64() // σ at the normalised width
		cam.DefocusSigma = s.Severity * norm
		cam.MotionLength = 0
		s.Expect = []kycgate.ReasonCode{kycgate.ImageBlurry}
	case "motion":
		s.Severity = 6 + 16*rng.Float64() // length at the normalised width
		cam.MotionLength = s.Severity * norm
		cam.MotionAngle = rng.Float64() * 180
		s.Expect = []kycgate.ReasonCode{kycgate.ImageBlurry}
	case "glare":
		s.Severity = 0.75 + 0.25*rng.Float64()
		cam.GlareStrength = s.Severity
		cam.GlareRadius = 0.08 + 0.17*rng.Float64()
		cam.GlareX = 0.2 + 0.6*rng.Float64()
		cam.GlareY = 0.2 + 0.6*rng.Float64()
		// One defect per photo: a light card near clipping already (gain
		// above ~0.95 on the lightest templates) would be overexposed too.
		cam.Exposure = math.Min(cam.Exposure, 0.95)
		s.Expect = []kycgate.ReasonCode{kycgate.ImageGlare}
	case "overexposed":
		s.Severity = 1.35 + 1.25*rng.Float64()
		cam.Exposure = s.Severity
		s.Expect = []kycgate.ReasonCode{kycgate.ImageOverexposed}
		s.Allow = []kycgate.ReasonCode{kycgate.DocumentNotFound}
	case "underexposed":
		s.Severity = 0.1 + 0.3*rng.Float64()
		cam.Exposure = s.Severity
		cam.Noise = 2 + 4*rng.Float64()
		s.Expect = []kycgate.ReasonCode{kycgate.ImageUnderexposed}
		s.Allow = []kycgate.ReasonCode{kycgate.DocumentNotFound}
	case "lowres":
		s.Severity = 280 + 320*rng.Float64() // document long side, px
		cam.Width, cam.Height = 800, 600
		if rng.Intn(4) == 0 {
			cam.Width, cam.Height = 600, 800
		}
		cam.Scale = s.Severity / float64(cam.Width)
		cam.DefocusSigma = rng.Float64() * 0.6
		cam.MotionLength = 0
		s.Expect = []kycgate.ReasonCode{kycgate.ImageLowResolution}
	case "cut":
		cam.CutCorner = 1 + rng.Intn(4)
		s.Severity = 0.04 + 0.16*rng.Float64()
		cam.CutDepth = s.Severity
		s.Expect = []kycgate.ReasonCode{kycgate.DocumentCornersMissing}
	case "empty":
		img, err := synth.PhotographEmpty(cam, rng)
		if err != nil {
			return s, err
		}
		s.Image = img
		s.Expect = []kycgate.ReasonCode{kycgate.DocumentNotFound}
		// Without a document the frame's exposure is still reported; on a
		// near-black desk "too dark" is true of the photo.
		s.Allow = []kycgate.ReasonCode{kycgate.ImageUnderexposed, kycgate.ImageOverexposed}
		return s, nil
	default:
		return s, fmt.Errorf("unknown class %q", class)
	}
	img, corners, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		return s, fmt.Errorf("photographing %s: %w", class, err)
	}
	s.Image, s.Truth = img, &corners
	return s, nil
}

// RealSamples loads the labelled real photos from the shared test data
// (testdata is the path of shared/testdata): the blur triplets (sharp,
// defocus, motion), scored for IMAGE_BLURRY only and measured on the whole
// frame since they are scenes, not documents, and the dark phone photos,
// scored for IMAGE_UNDEREXPOSED only.
func RealSamples(testdata string) ([]Sample, error) {
	var out []Sample
	var blur struct {
		Items []struct {
			File, Label string
			IsBlurry    bool `json:"is_blurry"`
		}
	}
	if err := readJSON(filepath.Join(testdata, "documents/blur/blur_labels.json"), &blur); err != nil {
		return nil, err
	}
	for _, it := range blur.Items {
		img, err := decodeFile(filepath.Join(testdata, it.File))
		if err != nil {
			return nil, err
		}
		s := Sample{Name: filepath.Base(it.File), Class: "real-" + it.Label, Image: img,
			Region: fullFrame(img), Only: []kycgate.ReasonCode{kycgate.ImageBlurry}}
		if it.IsBlurry {
			s.Expect = []kycgate.ReasonCode{kycgate.ImageBlurry}
		}
		out = append(out, s)
	}
	var light struct {
		Images []struct{ File, Condition string }
	}
	if err := readJSON(filepath.Join(testdata, "lighting/lighting_labels.json"), &light); err != nil {
		return nil, err
	}
	for _, it := range light.Images {
		if it.Condition != "dark" {
			continue
		}
		img, err := decodeFile(filepath.Join(testdata, "lighting", it.File))
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{Name: filepath.Base(it.File), Class: "real-dark", Image: img,
			Region: fullFrame(img), Only: []kycgate.ReasonCode{kycgate.ImageUnderexposed},
			Expect: []kycgate.ReasonCode{kycgate.ImageUnderexposed}})
	}
	return out, nil
}

func fullFrame(img image.Image) *[4][2]float64 {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	return &[4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := imageio.Decode(f, imageio.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// evalCodes are the codes the evaluation scores, in report order.
var evalCodes = []kycgate.ReasonCode{
	kycgate.ImageBlurry, kycgate.ImageGlare, kycgate.ImageOverexposed, kycgate.ImageUnderexposed,
	kycgate.ImageLowResolution, kycgate.DocumentCornersMissing, kycgate.DocumentNotFound,
}

// Score runs assess on every sample and counts, per code, true and false
// positives and false negatives.
// With oracle, synthetic samples are measured on their true corners
// (AssessRegion) and localisation codes are not scored.
func Score(samples []Sample, opt Options, oracle bool) *Report {
	sc := newScorer(opt, oracle)
	for _, s := range samples {
		sc.add(s)
	}
	return sc.report()
}

// scorer counts one Report sample by sample, so that a set too large to
// hold can be scored as it is generated.
type scorer struct {
	opt    Options
	oracle bool
	rep    *Report
	stats  map[kycgate.ReasonCode]*CodeStats
	total  time.Duration
}

func newScorer(opt Options, oracle bool) *scorer {
	sc := &scorer{opt: opt, oracle: oracle, rep: &Report{}, stats: map[kycgate.ReasonCode]*CodeStats{}}
	for _, c := range evalCodes {
		sc.stats[c] = &CodeStats{Code: c}
	}
	return sc
}

// add assesses one sample and counts its findings.
func (sc *scorer) add(s Sample) {
	rep, stats, opt, oracle := sc.rep, sc.stats, sc.opt, sc.oracle
	if oracle && s.Region == nil && s.Truth == nil {
		return // an empty scene has no region to measure
	}
	rep.Samples++
	t0 := time.Now()
	var a *Assessment
	var err error
	switch {
	case s.Region != nil:
		a, err = AssessRegion(s.Image, *s.Region, opt)
	case oracle:
		a, err = AssessRegion(s.Image, *s.Truth, opt)
	default:
		a, err = Assess(s.Image, opt)
	}
	sc.total += time.Since(t0)
	got := map[kycgate.ReasonCode]bool{}
	if err != nil {
		rep.Misses = append(rep.Misses, fmt.Sprintf("%s: error %v", s.Name, err))
	} else {
		for _, f := range a.Findings {
			got[f.Code] = true
		}
	}
	want := map[kycgate.ReasonCode]bool{}
	for _, c := range s.Expect {
		want[c] = true
	}
	scored := func(c kycgate.ReasonCode) bool {
		if oracle && (c == kycgate.DocumentCornersMissing || c == kycgate.DocumentNotFound) {
			return false
		}
		if s.Only == nil {
			return true
		}
		for _, o := range s.Only {
			if o == c {
				return true
			}
		}
		return false
	}
	wrong, anyFinding := false, false
	for _, c := range evalCodes {
		if !scored(c) {
			continue
		}
		st := stats[c]
		switch {
		case want[c] && got[c]:
			st.TP++
		case want[c]:
			st.FN++
			wrong = true
		case got[c] && !slices.Contains(s.Allow, c):
			st.FP++
			wrong = true
		}
		anyFinding = anyFinding || got[c]
	}
	if s.Clean() {
		rep.Clean++
		if anyFinding {
			rep.CleanRejected++
		}
	}
	if wrong && a != nil {
		rep.Misses = append(rep.Misses, fmt.Sprintf("%s (severity %.3g): want %v got %v %s",
			s.Name, s.Severity, s.Expect, codesOf(a.Findings), keyMetrics(a.Metrics)))
	}
}

// report computes the rates of the counts so far.
func (sc *scorer) report() *Report {
	rep, stats, total := sc.rep, sc.stats, sc.total
	for _, c := range evalCodes {
		st := stats[c]
		if st.TP+st.FP > 0 {
			st.Precision = float64(st.TP) / float64(st.TP+st.FP)
		} else {
			st.Precision = 1
		}
		if st.TP+st.FN > 0 {
			st.Recall = float64(st.TP) / float64(st.TP+st.FN)
		} else {
			st.Recall = math.NaN()
		}
		rep.Codes = append(rep.Codes, *st)
	}
	if rep.Clean > 0 {
		rep.FalseRejectRate = float64(rep.CleanRejected) / float64(rep.Clean)
	}
	if rep.Samples > 0 {
		rep.MeanAssess = total / time.Duration(rep.Samples)
	}
	return rep
}

func codesOf(fs []kycgate.Finding) []kycgate.ReasonCode {
	var out []kycgate.ReasonCode
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func keyMetrics(m map[string]float64) string {
	keys := []string{MetricBlurWidthMax, MetricBlurAnisotropy, MetricGlareFraction, MetricP50, MetricP98,
		MetricClippedHigh, MetricClippedMinCell, MetricMean, MetricSNR, MetricDocumentPx}
	var b strings.Builder
	for _, k := range keys {
		if v, ok := m[k]; ok {
			fmt.Fprintf(&b, " %s=%.3g", k, v)
		}
	}
	return b.String()
}

// Print writes the confusion table.
func (r *Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tTP\tFP\tFN\tprecision\trecall\t")
	for _, s := range r.Codes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t\n", s.Code, s.TP, s.FP, s.FN, s.Precision, s.Recall)
	}
	tw.Flush()
	fmt.Fprintf(w, "clean photos: %d, rejected: %d, false-reject rate %.3f\n", r.Clean, r.CleanRejected, r.FalseRejectRate)
	fmt.Fprintf(w, "samples: %d, mean assess time %v\n", r.Samples, r.MeanAssess.Round(time.Millisecond))
}

// Evaluate generates the synthetic set with n photos per defect class (2n
// clean), adds the real labelled photos when ../shared/testdata is found
// (from the working directory upwards), scores the default options end to
// end and with the true corners, and prints both confusion tables to w.
func Evaluate(w io.Writer, n int) (*Report, error) {
	end, oracle := newScorer(Options{}, false), newScorer(Options{}, true)
	add := func(s Sample) {
		end.add(s)
		oracle.add(s)
	}
	if err := eachGenerated(n, evalSeed, add); err != nil {
		return nil, err
	}
	if td := FindSharedTestdata(); td != "" {
		real, err := RealSamples(td)
		if err != nil {
			return nil, err
		}
		for _, s := range real {
			add(s)
		}
	}
	rep := end.report()
	rep.Oracle = oracle.report()
	rep.printBoth(w)
	return rep, nil
}

// EvaluationSet is the synthetic set of GenerateSet(n, seed of the
// reference evaluation) plus the real photos when they are found.
func EvaluationSet(n int) ([]Sample, error) {
	samples, err := GenerateSet(n, evalSeed)
	if err != nil {
		return nil, err
	}
	if td := FindSharedTestdata(); td != "" {
		real, err := RealSamples(td)
		if err != nil {
			return nil, err
		}
		samples = append(samples, real...)
	}
	return samples, nil
}

// EvaluateSamples scores samples end to end and with the true corners and
// prints both tables to w.
func EvaluateSamples(w io.Writer, samples []Sample) *Report {
	rep := Score(samples, Options{}, false)
	rep.Oracle = Score(samples, Options{}, true)
	rep.printBoth(w)
	return rep
}

// evalSeed is the seed of the reference evaluation set.
const evalSeed = 20261130

// printBoth writes the end-to-end table and the measures-only one.
func (r *Report) printBoth(w io.Writer) {
	fmt.Fprintln(w, "end to end (document located by docloc):")
	r.Print(w)
	fmt.Fprintln(w, "\nmeasures only (document region from the true corners):")
	r.Oracle.Print(w)
}

// FindSharedTestdata walks up from the working directory to the module root
// (the folder with go.mod) and returns ../shared/testdata beside it, or ""
// when it does not exist.
func FindSharedTestdata() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			td := filepath.Join(dir, "..", "shared", "testdata")
			if st, err := os.Stat(td); err == nil && st.IsDir() {
				return td
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
