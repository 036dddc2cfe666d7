package face

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/jpeg" // test images
	_ "image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/kycgate/kycgate/internal/capture"
)

// DetectionReport is the outcome of detection on labelled images.
type DetectionReport struct {
	Images int
	// Faces is the number of labelled faces; Found how many a detection
	// matched (centre inside the labelled box, size within a factor 2.5).
	Faces, Found int
	// FalsePositives counts detections matching no labelled face, on images
	// whose faces are all labelled (boxes or an exact count).
	FalsePositives int
	// NoFaceImages and NoFaceFalse: images without a face, and detections
	// on them.
	NoFaceImages, NoFaceFalse int
}

// Recall is Found/Faces.
func (r DetectionReport) Recall() float64 { return ratio(r.Found, r.Faces) }

// MatchReport is the outcome of face matching on labelled pairs.
type MatchReport struct {
	Genuine, Impostor int
	// Failed counts pairs where a face could not be analysed in one image;
	// they count as rejected (distance +Inf).
	Failed int
	// TAR at FAR 1% and 0.1%, with the thresholds reaching them; EER.
	TAR1, TAR01             float64
	Threshold1, Threshold01 float64
	EER, EERThreshold       float64
	// Bands: how the pairs fall in Match's bands.
	GenuineMismatch, ImpostorMatch, GenuineReview, ImpostorReview int
	// Distances of every pair, for calibration.
	GenuineDist, ImpostorDist []float64
}

// EvalReport gathers the evaluation.
type EvalReport struct {
	// Detection is the cascade alone (Detect); DetectionWithCNN adds the
	// CNN detectors on images where the cascade finds nothing, as the
	// selfie check does.
	Detection, DetectionWithCNN DetectionReport
	// Pairs covers every pair of face_pairs.csv; PairsLicensed leaves out
	// the pairs touching the unlicensed folders (go-face: K-pop press
	// photos, where the dlib model is weakest).
	Pairs, PairsLicensed MatchReport
	// Exhaustive compares every two images of face_labels.json that carry
	// an identity (genuine: same identity), for finer FAR resolution than
	// the CSV's ~100 impostor pairs; ExhaustiveLicensed without go-face.
	Exhaustive, ExhaustiveLicensed MatchReport
	// DocumentPhoto and DocumentZone match a face printed on a synthetic
	// document against other photos of the same and of other people: the
	// portrait found on the photographed document, and the portrait zone
	// as the document reader cuts it. DocumentsNotFound counts document
	// photos on which no portrait was found.
	DocumentPhoto, DocumentZone MatchReport
	DocumentsNotFound           int
	// PairVariants is Pairs with the second photo of each pair altered as
	// captureVariants names them.
	PairVariants map[string]MatchReport
}

// captureVariants are the capture conditions the pairs are also evaluated
// under, each applied to the second photo of a pair.
var captureVariants = []capture.Variant{
	{Name: "darkened to 0.4× with sensor noise", Apply: func(img image.Image, _ int64) image.Image { return capture.Darkened(img, 0.4, 2, 1) }},
	{Name: "reduced to 200 px", Apply: func(img image.Image, _ int64) image.Image { return capture.Reduced(img, 200) }},
	{Name: "saved at JPEG quality 20", Apply: func(img image.Image, _ int64) image.Image { return capture.Recompressed(img, 20) }},
	{Name: "contrasty tone curve (gamma 1.5)", Apply: func(img image.Image, _ int64) image.Image { return capture.Contrasty(img, 1.5) }},
}

// EvalOptions tunes Evaluate.
type EvalOptions struct {
	// SkipUnlicensed leaves out the shared folders without a licence
	// (faces/go-face, faces/masked) even for reading.
	SkipUnlicensed bool
}

// Evaluate measures detection on the labelled boxes and counts of
// faces/face_labels.json and faces/dlib/testing.xml, face matching on
// faces/face_pairs.csv and on every two labelled images, and
// document-vs-selfie matching with the shared faces printed on synthetic
// documents, under dataDir (the shared testdata folder), and prints a
// summary to w.
func Evaluate(w io.Writer, dataDir string, m *Models, opt EvalOptions) (*EvalReport, error) {
	rep := &EvalReport{}
	det, err := evaluateDetection(dataDir, opt, Detect)
	if err != nil {
		return nil, err
	}
	rep.Detection = det
	det.print(w, "face detection, cascade")
	withCNN, err := evaluateDetection(dataDir, opt, m.cascadeThenCNN)
	if err != nil {
		return nil, err
	}
	rep.DetectionWithCNN = withCNN
	withCNN.print(w, "face detection, cascade then CNN")
	describe := faceCache(dataDir, m, nil)
	all, licensed, err := evaluatePairs(dataDir, describe, describe, opt)
	if err != nil {
		return nil, err
	}
	rep.Pairs, rep.PairsLicensed = all, licensed
	all.print(w, "face match, all pairs of face_pairs.csv")
	licensed.print(w, "face match, pairs of face_pairs.csv without the unlicensed go-face photos")
	ex, exl, err := evaluateExhaustive(dataDir, describe, opt)
	if err != nil {
		return nil, err
	}
	rep.Exhaustive, rep.ExhaustiveLicensed = ex, exl
	ex.print(w, "face match, every two labelled images")
	exl.print(w, "face match, every two labelled images without go-face")
	photo, zone, notFound, err := evaluateDocuments(dataDir, m, describe)
	if err != nil {
		return nil, err
	}
	rep.DocumentPhoto, rep.DocumentZone, rep.DocumentsNotFound = photo, zone, notFound
	photo.print(w, fmt.Sprintf("face match, document photo vs selfie (portrait found on the photo; %d of %d documents without one)", notFound, len(docIdentities)))
	zone.print(w, "face match, document portrait zone vs selfie")
	// The second photo of every pair as another camera or room would
	// give it: unseen selfies are darker, smaller or more compressed.
	rep.PairVariants = map[string]MatchReport{}
	for _, v := range captureVariants {
		vr, _, err := evaluatePairs(dataDir, describe, faceCache(dataDir, m, func(img image.Image) image.Image { return v.Apply(img, 1) }), opt)
		if err != nil {
			return nil, err
		}
		rep.PairVariants[v.Name] = vr
		vr.print(w, "face match, all pairs of face_pairs.csv, second photo "+v.Name)
	}
	return rep, nil
}

func (r *MatchReport) print(w io.Writer, title string) {
	fmt.Fprintf(w, "%s: %d genuine, %d impostor pairs, %d not analysable\n", title, r.Genuine, r.Impostor, r.Failed)
	fmt.Fprintf(w, "  TAR@FAR1%% %.3f (threshold %.3f)  TAR@FAR0.1%% %.3f (threshold %.3f)  EER %.3f (threshold %.3f)\n",
		r.TAR1, r.Threshold1, r.TAR01, r.Threshold01, r.EER, r.EERThreshold)
	fmt.Fprintf(w, "  bands (match < %.2f <= review < %.2f <= mismatch): genuine: %d review, %d mismatch; impostor: %d review, %d match\n",
		MatchThreshold, MismatchThreshold, r.GenuineReview, r.GenuineMismatch, r.ImpostorReview, r.ImpostorMatch)
	g, i := quantiles(r.GenuineDist, 0.5, 0.95, 1), quantiles(r.ImpostorDist, 0, 0.01, 0.5)
	fmt.Fprintf(w, "  distances: genuine median %.3f, 95%% %.3f, max %.3f; impostor min %.3f, 1%% %.3f, median %.3f\n",
		g[0], g[1], g[2], i[0], i[1], i[2])
}

// quantiles returns the q-quantiles (nearest rank) of the finite distances,
// the pairs not analysable left out; NaN when there are none.
func quantiles(dist []float64, qs ...float64) []float64 {
	var d []float64
	for _, v := range dist {
		if !math.IsInf(v, 0) && v < 1e8 {
			d = append(d, v)
		}
	}
	sort.Float64s(d)
	out := make([]float64, len(qs))
	for k, q := range qs {
		out[k] = math.NaN()
		if len(d) > 0 {
			out[k] = d[min(len(d)-1, max(0, int(math.Ceil(q*float64(len(d))))-1))]
		}
	}
	return out
}

type labelsFile struct {
	Items []struct {
		File      string          `json:"file"`
		NumFaces  json.RawMessage `json:"num_faces"`
		Identity  string          `json:"identity"`
		BoxesXYWH [][4]float64    `json:"face_boxes_xywh"`
		SSD       [][4]float64    `json:"expected_boxes_xywh_ssd"`
		HOG       []float64       `json:"expected_face_location_hog_trbl"`
	} `json:"items"`
}

type dlibDataset struct {
	Images []struct {
		File  string `xml:"file,attr"`
		Boxes []struct {
			Top    float64 `xml:"top,attr"`
			Left   float64 `xml:"left,attr"`
			Width  float64 `xml:"width,attr"`
			Height float64 `xml:"height,attr"`
		} `xml:"box"`
	} `xml:"images>image"`
}

func unlicensed(file string) bool {
	d := filepath.ToSlash(filepath.Dir(file))
	return d == "faces/go-face" || d == "faces/masked"
}

func (r DetectionReport) print(w io.Writer, title string) {
	fmt.Fprintf(w, "%s: %d images, %d labelled faces, found %d (recall %.3f), false positives %d; no-face images %d with %d detections\n",
		title, r.Images, r.Faces, r.Found, r.Recall(), r.FalsePositives, r.NoFaceImages, r.NoFaceFalse)
}

// cascadeThenCNN is the detection the selfie check relies on: the fast
// cascade, and the CNN detectors (DetectCNN, score > 0.5) when the cascade
// finds nothing.
func (m *Models) cascadeThenCNN(img image.Image) []Box {
	if b := Detect(img); len(b) > 0 {
		return b
	}
	return m.DetectCNN(img, 0.5)
}

// evaluateDetection runs detect on every image with known faces.
func evaluateDetection(dataDir string, opt EvalOptions, detect func(image.Image) []Box) (DetectionReport, error) {
	var rep DetectionReport
	raw, err := os.ReadFile(filepath.Join(dataDir, "faces", "face_labels.json"))
	if err != nil {
		return rep, fmt.Errorf("face: read labels: %w", err)
	}
	var labels labelsFile
	if err := json.Unmarshal(raw, &labels); err != nil {
		return rep, fmt.Errorf("face: parse labels: %w", err)
	}
	type item struct {
		file  string
		boxes []Rect
		count int // -1: at least one, background faces possible
	}
	var items []item
	seen := map[string]bool{}
	for _, it := range labels.Items {
		if opt.SkipUnlicensed && unlicensed(it.File) {
			continue
		}
		var boxes []Rect
		for _, b := range append(it.BoxesXYWH, it.SSD...) {
			boxes = append(boxes, Rect{b[0], b[1], b[0] + b[2], b[1] + b[3]})
		}
		if len(it.HOG) == 4 { // top, right, bottom, left
			boxes = append(boxes, Rect{it.HOG[3], it.HOG[0], it.HOG[1], it.HOG[2]})
		}
		n, err := strconv.Atoi(string(it.NumFaces))
		if err != nil {
			if string(it.NumFaces) == "null" {
				continue // group photo without labels
			}
			n = -1
		}
		items = append(items, item{file: it.File, boxes: boxes, count: n})
		seen[filepath.Base(it.File)] = true
	}
	// dlib's testing.xml adds hand-labelled boxes (its images are also in
	// face_labels.json; the XML is the original annotation).
	if raw, err := os.ReadFile(filepath.Join(dataDir, "faces", "dlib", "testing.xml")); err == nil {
		var ds dlibDataset
		if err := xml.Unmarshal(raw, &ds); err == nil {
			for _, im := range ds.Images {
				var boxes []Rect
				for _, b := range im.Boxes {
					boxes = append(boxes, Rect{b.Left, b.Top, b.Left + b.Width, b.Top + b.Height})
				}
				f := filepath.ToSlash(filepath.Join("faces", "dlib", im.File))
				replaced := false
				for i := range items {
					if items[i].file == f {
						items[i].boxes, items[i].count, replaced = boxes, len(boxes), true
					}
				}
				if !replaced {
					items = append(items, item{file: f, boxes: boxes, count: len(boxes)})
				}
			}
		}
	}
	for _, it := range items {
		img, err := decodeFile(filepath.Join(dataDir, it.file))
		if err != nil {
			return rep, err
		}
		dets := detect(img)
		rep.Images++
		switch {
		case it.count == 0:
			rep.NoFaceImages++
			rep.NoFaceFalse += len(dets)
			rep.FalsePositives += len(dets)
		case len(it.boxes) > 0:
			found := matchBoxes(it.boxes, dets)
			rep.Faces += len(it.boxes)
			rep.Found += found
			if len(it.boxes) == it.count {
				rep.FalsePositives += len(dets) - found
			}
		case it.count > 0:
			rep.Faces += it.count
			rep.Found += min(len(dets), it.count)
			rep.FalsePositives += max(0, len(dets)-it.count)
		default: // at least one face
			rep.Faces++
			if len(dets) > 0 {
				rep.Found++
			}
		}
	}
	return rep, nil
}

// matchBoxes counts labelled boxes matched one-to-one by detections whose
// centre lies inside the label and whose size is within a factor 2.5:
// labelling conventions differ too much (tight dlib boxes, loose SSD ones)
// for an IoU criterion to be fair.
func matchBoxes(labels []Rect, dets []Box) int {
	used := make([]bool, len(dets))
	found := 0
	for _, l := range labels {
		for i, d := range dets {
			if used[i] {
				continue
			}
			c := d.Rect.Center()
			r := math.Sqrt(d.Rect.area() / l.area())
			if c.X >= l.X0 && c.X <= l.X1 && c.Y >= l.Y0 && c.Y <= l.Y1 && r > 1/2.5 && r < 2.5 {
				used[i] = true
				found++
				break
			}
		}
	}
	return found
}

// faceCache returns a function giving the analysed main face of a shared
// image (nil when none could be analysed), after transform when it is not
// nil, computing each once.
func faceCache(dataDir string, m *Models, transform func(image.Image) image.Image) func(string) (*Face, error) {
	cache := map[string]*Face{}
	return func(file string) (*Face, error) {
		if f, ok := cache[file]; ok {
			return f, nil
		}
		img, err := decodeFile(filepath.Join(dataDir, file))
		if err != nil {
			return nil, err
		}
		if transform != nil {
			img = transform(img)
		}
		// The images are either photos or face crops (face-api.js's
		// identities); AnalyzePortrait handles both, as Match does for a
		// document portrait.
		f, err := m.AnalyzePortrait(img)
		if err != nil {
			f = nil
		}
		cache[file] = f
		return f, nil
	}
}

// evaluateExhaustive compares every two images with an identity label.
func evaluateExhaustive(dataDir string, describe func(string) (*Face, error), opt EvalOptions) (all, licensed MatchReport, err error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, "faces", "face_labels.json"))
	if err != nil {
		return all, licensed, fmt.Errorf("face: read labels: %w", err)
	}
	var labels labelsFile
	if err := json.Unmarshal(raw, &labels); err != nil {
		return all, licensed, fmt.Errorf("face: parse labels: %w", err)
	}
	type entry struct {
		file, identity string
		f              *Face
	}
	var es []entry
	for _, it := range labels.Items {
		if it.Identity == "" || (opt.SkipUnlicensed && unlicensed(it.File)) {
			continue
		}
		f, err := describe(it.File)
		if err != nil {
			return all, licensed, err
		}
		es = append(es, entry{it.File, it.Identity, f})
	}
	for i := range es {
		for j := i + 1; j < len(es); j++ {
			same := es[i].identity == es[j].identity
			all.add(es[i].f, es[j].f, same)
			if !unlicensed(es[i].file) && !unlicensed(es[j].file) {
				licensed.add(es[i].f, es[j].f, same)
			}
		}
	}
	all.finish()
	licensed.finish()
	return all, licensed, nil
}

// evaluatePairs compares the two images of every pair of face_pairs.csv,
// the first as describeFirst gives it, the second as describeSecond does.
func evaluatePairs(dataDir string, describeFirst, describeSecond func(string) (*Face, error), opt EvalOptions) (all, licensed MatchReport, err error) {
	f, err := os.Open(filepath.Join(dataDir, "faces", "face_pairs.csv"))
	if err != nil {
		return all, licensed, fmt.Errorf("face: open pairs: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return all, licensed, fmt.Errorf("face: read pairs: %w", err)
	}
	for i, row := range rows {
		if i == 0 || len(row) < 3 {
			continue
		}
		if opt.SkipUnlicensed && (unlicensed(row[0]) || unlicensed(row[1])) {
			continue
		}
		a, err := describeFirst(row[0])
		if err != nil {
			return all, licensed, err
		}
		b, err := describeSecond(row[1])
		if err != nil {
			return all, licensed, err
		}
		all.add(a, b, row[2] == "1")
		if !unlicensed(row[0]) && !unlicensed(row[1]) {
			licensed.add(a, b, row[2] == "1")
		}
	}
	all.finish()
	licensed.finish()
	return all, licensed, nil
}

// add records one pair of analysed faces (nil: not analysable, a
// rejected pair at distance +Inf) with the band Match would give it.
func (rep *MatchReport) add(a, b *Face, genuine bool) {
	dist, band := math.Inf(1), BandMismatch
	if a != nil && b != nil {
		dist = Distance(a.Descriptor, b.Descriptor)
		band = DefaultBands.bandOf(dist, a, b)
	} else {
		rep.Failed++
	}
	{
		if genuine {
			rep.Genuine++
			rep.GenuineDist = append(rep.GenuineDist, dist)
			switch band {
			case BandMismatch:
				rep.GenuineMismatch++
			case BandReview:
				rep.GenuineReview++
			}
		} else {
			rep.Impostor++
			rep.ImpostorDist = append(rep.ImpostorDist, dist)
			switch band {
			case BandMatch:
				rep.ImpostorMatch++
			case BandReview:
				rep.ImpostorReview++
			}
		}
	}
}

func (rep *MatchReport) finish() {
	rep.TAR1, rep.Threshold1 = TARAtFAR(rep.GenuineDist, rep.ImpostorDist, 0.01)
	rep.TAR01, rep.Threshold01 = TARAtFAR(rep.GenuineDist, rep.ImpostorDist, 0.001)
	rep.EER, rep.EERThreshold = EER(rep.GenuineDist, rep.ImpostorDist)
}

// TARAtFAR returns the share of genuine distances accepted at the largest
// threshold (accept when distance < threshold) whose share of accepted
// impostors does not exceed far, and that threshold.
func TARAtFAR(genuine, impostor []float64, far float64) (tar, threshold float64) {
	imp := append([]float64(nil), impostor...)
	sort.Float64s(imp)
	// At most k impostors may be accepted.
	k := int(math.Floor(far * float64(len(imp))))
	if len(imp) == 0 {
		threshold = math.Inf(1)
	} else if k >= len(imp) {
		threshold = math.Inf(1)
	} else {
		threshold = imp[k] // accepting d < imp[k] admits imp[0..k-1]
	}
	acc := 0
	for _, g := range genuine {
		if g < threshold {
			acc++
		}
	}
	return ratio(acc, len(genuine)), threshold
}

// EER returns the equal error rate over all thresholds at the observed
// distances and the threshold where it occurs.
func EER(genuine, impostor []float64) (eer, threshold float64) {
	cands := append(append([]float64(nil), genuine...), impostor...)
	sort.Float64s(cands)
	best := math.Inf(1)
	eer = 1
	for _, t := range cands {
		if math.IsInf(t, 0) {
			continue
		}
		frr := 0
		for _, g := range genuine {
			if !(g <= t) {
				frr++
			}
		}
		far := 0
		for _, i := range impostor {
			if i <= t {
				far++
			}
		}
		fr, fa := ratio(frr, len(genuine)), ratio(far, len(impostor))
		if d := math.Abs(fr - fa); d < best {
			best, eer, threshold = d, (fr+fa)/2, t
		}
	}
	return eer, threshold
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("face: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("face: decode %s: %w", path, err)
	}
	return img, nil
}
