// Package doceval measures docloc on generated photos (package synth:
// random documents, backgrounds, perspective, light, noise, JPEG), on
// generated document-free scenes, and on real labelled photos. It lives
// apart from docloc so that the localiser itself stays free of fonts and
// renderers in its WebAssembly build.
package doceval

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // real photos are JPEG
	"io"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kycgate/kycgate/docloc"
	"github.com/kycgate/kycgate/synth"
)

// Config sizes an evaluation run.
type Config struct {
	Clean     int   // generated photos with the whole document in frame
	Light     int   // generated photos, whole document, on a near-white surface
	Cut       int   // generated photos with one corner pushed out of frame
	Negatives int   // generated scenes without a document
	Seed      int64 // all generated cases derive from it
	// Width, Height of generated frames (0 → 1600×1200; portrait frames
	// swap them).
	Width, Height int
	// RealDir is the directory holding corners_ground_truth.json and the
	// images it names relative to its parent's parent
	// (../shared/testdata/documents/corners); empty skips real photos.
	RealDir string
	Workers int // 0 → GOMAXPROCS
}

// Case is one evaluated image.
type Case struct {
	Name      string
	Set       string // "clean", "light", "cut", "negative", "real"
	Truth     [4][2]float64
	Missing   bool // the truth has a corner outside the frame
	Result    docloc.Result
	CornerErr float64 // mean corner distance as a fraction of the truth's diagonal (found cases)
	IoU       float64
	Loose     bool // the truth is an approximate annotation (excluded from the error mean)
	Elapsed   time.Duration
	Err       error
}

// Summary holds the figures the targets are stated in.
type Summary struct {
	Clean, Light, Cut, Negatives, Real int

	CleanFound        float64 // share of clean photos with Found
	CleanCorrect      float64 // share of clean photos found with corner error < 5 % of the diagonal
	CleanMeanErr      float64 // mean corner error over found clean photos, % of diagonal
	CleanMedianErr    float64
	CleanP95Err       float64
	CleanMeanIoU      float64
	CleanFalseMissing float64 // clean photos wrongly reported with corners missing

	LightFound   float64 // whole documents on a near-white surface found
	LightCorrect float64 // of those, found with corner error < 5 % of the diagonal
	LightMeanErr float64 // mean corner error over found light-background photos, % of diagonal

	CutFound    float64 // cut photos with Found
	CutDetected float64 // cut photos reported with corners missing
	CutMeanErr  float64 // corner error on cut photos (extrapolated corners), % of diagonal

	NegativeFP float64 // document-free scenes reported as Found
	// NegativeFPPlain leaves out the clutter scenes, whose sheets of paper
	// and boxes are document-like quadrilaterals by design.
	NegativeFPPlain float64

	RealFound       float64
	RealMeanErr     float64 // % of diagonal, precise annotations only
	RealMeanIoU     float64
	RealMissingOK   float64 // agreement on "corner missing" with the annotation
	MeanLocateMilli float64
}

// Report is the outcome of Evaluate.
type Report struct {
	Cases   []Case
	Summary Summary
}

// Evaluate generates the cases of cfg, runs docloc.Locate on each and
// summarises. It fails only when fonts or the real data cannot be read.
func Evaluate(cfg Config) (*Report, error) {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		cfg.Width, cfg.Height = 1600, 1200
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		set string
		i   int
	}
	var jobs []job
	for i := 0; i < cfg.Clean; i++ {
		jobs = append(jobs, job{"clean", i})
	}
	for i := 0; i < cfg.Light; i++ {
		jobs = append(jobs, job{"light", i})
	}
	for i := 0; i < cfg.Cut; i++ {
		jobs = append(jobs, job{"cut", i})
	}
	for i := 0; i < cfg.Negatives; i++ {
		jobs = append(jobs, job{"negative", i})
	}
	cases := make([]Case, len(jobs))
	var wg sync.WaitGroup
	ch := make(chan int)
	var firstErr error
	var mu sync.Mutex
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for idx := range ch {
				c, err := generatedCase(cfg, jobs[idx].set, jobs[idx].i)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
				cases[idx] = c
			}
		}()
	}
	for i := range jobs {
		ch <- i
	}
	close(ch)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if cfg.RealDir != "" {
		real, err := realCases(cfg.RealDir)
		if err != nil {
			return nil, err
		}
		cases = append(cases, real...)
	}
	r := &Report{Cases: cases}
	r.Summary = summarise(cases)
	return r, nil
}

// generatedCase builds case i of a set deterministically from the seed.
func generatedCase(cfg Config, set string, i int) (Case, error) {
	salt := map[string]int64{"clean": 1, "cut": 2, "negative": 3, "light": 4}[set]
	rng := rand.New(rand.NewSource(cfg.Seed*1_000_003 + salt*100_000 + int64(i)))
	cam := synth.RandomCamera(rng)
	if cam.Width > cam.Height {
		cam.Width, cam.Height = cfg.Width, cfg.Height
	} else {
		cam.Width, cam.Height = cfg.Height, cfg.Width
	}
	c := Case{Set: set}
	if set == "negative" {
		c.Name = fmt.Sprintf("negative-%03d-%s", i, cam.Background)
		img, err := synth.PhotographEmpty(cam, rng)
		if err != nil {
			return c, err
		}
		return locateCase(c, img), nil
	}
	kind := synth.Kinds[i%len(synth.Kinds)]
	id := synth.RandomIdentity(rng, kind)
	doc, err := synth.Render(kind, id, synth.Options{Back: rng.Intn(2) == 0})
	if err != nil {
		return c, fmt.Errorf("doceval: render %s: %w", kind, err)
	}
	switch set {
	case "cut":
		cam.CutCorner = 1 + rng.Intn(4)
		cam.CutDepth = 0.02 + 0.13*rng.Float64()
	case "light":
		// The hard case for edges: a white card or page on a white table,
		// where luminance barely changes at the document's border. Every
		// other photo's table has the document's own margin colour (a
		// white licence on a white table), within ±3 levels.
		cam.Background = synth.BgLight
		if i%2 == 1 {
			m := marginColour(doc.Image)
			for k := 0; k < 3; k++ {
				m[k] = uint8(max(0, min(255, int(m[k])+rng.Intn(7)-3)))
			}
			cam.BackgroundColor = color.RGBA{m[0], m[1], m[2], 255}
		}
	}
	img, corners, err := synth.Photograph(doc.Image, cam, rng)
	if err != nil {
		return c, fmt.Errorf("doceval: photograph: %w", err)
	}
	c.Name = fmt.Sprintf("%s-%03d-%s-%s", set, i, kind, cam.Background)
	c.Truth = corners
	c.Missing = anyOutside(corners, img.Bounds())
	return locateCase(c, img), nil
}

// marginColour is the mean colour of the opaque pixels along a band 2 %
// inside the document image's border.
func marginColour(img image.Image) [3]uint8 {
	b := img.Bounds()
	ix, iy := b.Dx()/50, b.Dy()/50
	var sum [3]float64
	n := 0.0
	add := func(x, y int) {
		r, g, bl, a := img.At(x, y).RGBA()
		if a < 0xff00 {
			return
		}
		sum[0] += float64(r >> 8)
		sum[1] += float64(g >> 8)
		sum[2] += float64(bl >> 8)
		n++
	}
	for x := b.Min.X + ix; x < b.Max.X-ix; x += 4 {
		add(x, b.Min.Y+iy)
		add(x, b.Max.Y-1-iy)
	}
	for y := b.Min.Y + iy; y < b.Max.Y-iy; y += 4 {
		add(b.Min.X+ix, y)
		add(b.Max.X-1-ix, y)
	}
	if n == 0 {
		return [3]uint8{235, 235, 232}
	}
	return [3]uint8{uint8(sum[0] / n), uint8(sum[1] / n), uint8(sum[2] / n)}
}

func anyOutside(c [4][2]float64, b image.Rectangle) bool {
	for _, p := range c {
		if p[0] < float64(b.Min.X) || p[1] < float64(b.Min.Y) || p[0] > float64(b.Max.X) || p[1] > float64(b.Max.Y) {
			return true
		}
	}
	return false
}

func locateCase(c Case, img image.Image) Case {
	start := time.Now()
	res, err := docloc.Locate(img)
	c.Elapsed = time.Since(start)
	c.Result, c.Err = res, err
	if res.Found && c.Set != "negative" {
		c.CornerErr = CornerError(res.Corners, c.Truth)
		c.IoU = IoU(res.Corners, c.Truth)
	}
	return c
}

type realItem struct {
	File    string       `json:"file"`
	Corners [][2]float64 `json:"corners_pixels_xy"`
	Notes   string       `json:"notes"`
}

// realCases reads corners_ground_truth.json in dir. Images are read in
// place (they carry no licence and must not be copied).
func realCases(dir string) ([]Case, error) {
	data, err := os.ReadFile(filepath.Join(dir, "corners_ground_truth.json"))
	if err != nil {
		return nil, fmt.Errorf("doceval: %w", err)
	}
	var gt struct {
		Items []realItem `json:"items"`
	}
	if err := json.Unmarshal(data, &gt); err != nil {
		return nil, fmt.Errorf("doceval: parse ground truth: %w", err)
	}
	root := filepath.Dir(filepath.Dir(dir)) // paths are relative to testdata/
	var out []Case
	for _, it := range gt.Items {
		if len(it.Corners) != 4 {
			continue
		}
		f, err := os.Open(filepath.Join(root, it.File))
		if err != nil {
			return nil, fmt.Errorf("doceval: %w", err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("doceval: decode %s: %w", it.File, err)
		}
		c := Case{Name: filepath.Base(it.File), Set: "real"}
		copy(c.Truth[:], it.Corners)
		c.Missing = anyOutside(c.Truth, img.Bounds())
		c.Loose = containsLoose(it.Notes)
		out = append(out, locateCase(c, img))
	}
	return out, nil
}

func containsLoose(s string) bool {
	for i := 0; i+5 <= len(s); i++ {
		if s[i:i+5] == "loose" {
			return true
		}
	}
	return false
}

// CornerError is the mean distance between corresponding corners, as a
// fraction of the truth's mean diagonal, under the best cyclic shift and
// direction (the start corner and winding of an outline are conventions).
func CornerError(got, truth [4][2]float64) float64 {
	diag := (math.Hypot(truth[2][0]-truth[0][0], truth[2][1]-truth[0][1]) +
		math.Hypot(truth[3][0]-truth[1][0], truth[3][1]-truth[1][1])) / 2
	if diag == 0 {
		return math.Inf(1)
	}
	best := math.Inf(1)
	for _, rev := range []bool{false, true} {
		for s := 0; s < 4; s++ {
			sum := 0.0
			for i := 0; i < 4; i++ {
				j := (i + s) % 4
				if rev {
					j = (4 - i + s) % 4
				}
				sum += math.Hypot(got[j][0]-truth[i][0], got[j][1]-truth[i][1])
			}
			best = math.Min(best, sum/4)
		}
	}
	return best / diag
}

// IoU is the intersection over union of two convex quadrilaterals.
func IoU(a, b [4][2]float64) float64 {
	pa, pb := orient(a[:]), orient(b[:])
	inter := area(clip(pa, pb))
	u := area(pa) + area(pb) - inter
	if u <= 0 {
		return 0
	}
	return inter / u
}

func orient(p [][2]float64) [][2]float64 {
	q := append([][2]float64(nil), p...)
	if signedArea(q) < 0 {
		for i, j := 0, len(q)-1; i < j; i, j = i+1, j-1 {
			q[i], q[j] = q[j], q[i]
		}
	}
	return q
}

func signedArea(p [][2]float64) float64 {
	s := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		s += p[i][0]*p[j][1] - p[j][0]*p[i][1]
	}
	return s / 2
}

func area(p [][2]float64) float64 { return math.Abs(signedArea(p)) }

// clip is Sutherland–Hodgman: subject polygon p clipped by convex c (both
// with positive signed area).
func clip(p, c [][2]float64) [][2]float64 {
	out := p
	for i := range c {
		a, b := c[i], c[(i+1)%len(c)]
		in := out
		out = nil
		inside := func(q [2]float64) bool { return (b[0]-a[0])*(q[1]-a[1])-(b[1]-a[1])*(q[0]-a[0]) >= 0 }
		for j := range in {
			cur, prev := in[j], in[(j+len(in)-1)%len(in)]
			if inside(cur) {
				if !inside(prev) {
					out = append(out, cross(prev, cur, a, b))
				}
				out = append(out, cur)
			} else if inside(prev) {
				out = append(out, cross(prev, cur, a, b))
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

func cross(p, q, a, b [2]float64) [2]float64 {
	a1, b1 := q[1]-p[1], p[0]-q[0]
	c1 := a1*p[0] + b1*p[1]
	a2, b2 := b[1]-a[1], a[0]-b[0]
	c2 := a2*a[0] + b2*a[1]
	det := a1*b2 - a2*b1
	if det == 0 {
		return q
	}
	return [2]float64{(c1*b2 - c2*b1) / det, (a1*c2 - a2*c1) / det}
}

func summarise(cases []Case) Summary {
	var s Summary
	var cleanErrs, lightErrs, cutErrs, realErrs []float64
	var lightFound, lightCorrect int
	var cleanIoU, realIoU float64
	var cleanFound, cleanCorrect, cleanFalseMiss, cutFound, cutDet, negFP, realFound, realMissOK, realIoUN int
	var plain, plainFP int
	var ms float64
	for _, c := range cases {
		ms += float64(c.Elapsed.Microseconds()) / 1000
		r := c.Result
		switch c.Set {
		case "clean":
			s.Clean++
			if r.Found {
				cleanFound++
				cleanErrs = append(cleanErrs, c.CornerErr)
				cleanIoU += c.IoU
				if c.CornerErr < 0.05 {
					cleanCorrect++
				}
				if !r.CornersInside {
					cleanFalseMiss++
				}
			}
		case "light":
			s.Light++
			if r.Found {
				lightFound++
				lightErrs = append(lightErrs, c.CornerErr)
				if c.CornerErr < 0.05 {
					lightCorrect++
				}
			}
		case "cut":
			s.Cut++
			if r.Found {
				cutFound++
				cutErrs = append(cutErrs, c.CornerErr)
				if !r.CornersInside {
					cutDet++
				}
			}
		case "negative":
			s.Negatives++
			isClutter := strings.HasSuffix(c.Name, string(synth.BgClutter))
			if !isClutter {
				plain++
			}
			if r.Found {
				negFP++
				if !isClutter {
					plainFP++
				}
			}
		case "real":
			s.Real++
			if r.Found {
				realFound++
				if !c.Loose {
					realErrs = append(realErrs, c.CornerErr)
					realIoU += c.IoU
					realIoUN++
				}
			}
			if (r.Found && !r.CornersInside) == c.Missing {
				realMissOK++
			}
		}
	}
	rate := func(n, d int) float64 {
		if d == 0 {
			return math.NaN()
		}
		return float64(n) / float64(d)
	}
	s.CleanFound = rate(cleanFound, s.Clean)
	s.CleanCorrect = rate(cleanCorrect, s.Clean)
	s.CleanMeanErr = 100 * mean(cleanErrs)
	s.CleanMedianErr = 100 * quantile(cleanErrs, 0.5)
	s.CleanP95Err = 100 * quantile(cleanErrs, 0.95)
	s.CleanMeanIoU = cleanIoU / math.Max(1, float64(cleanFound))
	s.CleanFalseMissing = rate(cleanFalseMiss, s.Clean)
	s.LightFound = rate(lightFound, s.Light)
	s.LightCorrect = rate(lightCorrect, s.Light)
	s.LightMeanErr = 100 * mean(lightErrs)
	s.CutFound = rate(cutFound, s.Cut)
	s.CutDetected = rate(cutDet, s.Cut)
	s.CutMeanErr = 100 * mean(cutErrs)
	s.NegativeFP = rate(negFP, s.Negatives)
	s.NegativeFPPlain = rate(plainFP, plain)
	s.RealFound = rate(realFound, s.Real)
	s.RealMeanErr = 100 * mean(realErrs)
	s.RealMeanIoU = realIoU / math.Max(1, float64(realIoUN))
	s.RealMissingOK = rate(realMissOK, s.Real)
	s.MeanLocateMilli = ms / math.Max(1, float64(len(cases)))
	return s
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

// WriteText prints the summary and the failing cases.
func (r *Report) WriteText(w io.Writer) {
	s := r.Summary
	fmt.Fprintf(w, "docloc evaluation\n")
	fmt.Fprintf(w, "  clean generated photos   n=%d  found %.1f%%  correct(<5%% diag) %.1f%%  corner error mean %.2f%% median %.2f%% p95 %.2f%% of diagonal  IoU %.3f  false corners-missing %.1f%%\n",
		s.Clean, 100*s.CleanFound, 100*s.CleanCorrect, s.CleanMeanErr, s.CleanMedianErr, s.CleanP95Err, s.CleanMeanIoU, 100*s.CleanFalseMissing)
	if s.Light > 0 {
		fmt.Fprintf(w, "  on a near-white surface  n=%d  found %.1f%%  correct(<5%% diag) %.1f%%  corner error mean %.2f%% of diagonal\n",
			s.Light, 100*s.LightFound, 100*s.LightCorrect, s.LightMeanErr)
	}
	fmt.Fprintf(w, "  cut-corner photos        n=%d  found %.1f%%  corners-missing detected %.1f%%  corner error mean %.2f%%\n",
		s.Cut, 100*s.CutFound, 100*s.CutDetected, s.CutMeanErr)
	fmt.Fprintf(w, "  document-free scenes     n=%d  false 'found' %.1f%% (%.1f%% without the clutter scenes)\n", s.Negatives, 100*s.NegativeFP, 100*s.NegativeFPPlain)
	if s.Real > 0 {
		fmt.Fprintf(w, "  real photos              n=%d  found %.1f%%  corner error mean %.2f%% (precise annotations)  IoU %.3f  corners-missing agreement %.1f%%\n",
			s.Real, 100*s.RealFound, s.RealMeanErr, s.RealMeanIoU, 100*s.RealMissingOK)
	}
	fmt.Fprintf(w, "  mean Locate time %.1f ms\n", s.MeanLocateMilli)
	for _, c := range r.Cases {
		bad := false
		switch c.Set {
		case "clean", "light":
			bad = !c.Result.Found || c.CornerErr > 0.05 || !c.Result.CornersInside
		case "cut":
			bad = !c.Result.Found || c.Result.CornersInside
		case "negative":
			bad = c.Result.Found
		case "real":
			bad = !c.Result.Found || (!c.Loose && c.CornerErr > 0.05) || (c.Result.Found && !c.Result.CornersInside) != c.Missing
		}
		if bad || c.Err != nil {
			fmt.Fprintf(w, "  FAIL %-44s found=%v inside=%v conf=%.2f err=%.2f%% iou=%.3f %v\n",
				c.Name, c.Result.Found, c.Result.CornersInside, c.Result.Confidence, 100*c.CornerErr, c.IoU, errString(c.Err))
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
