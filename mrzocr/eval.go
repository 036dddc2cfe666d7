package mrzocr

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // specimen images
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// EvalOptions selects what Evaluate measures.
type EvalOptions struct {
	// TestData is the shared test-data directory (holding mrz/mrz_image_ground_truth.json).
	// Empty skips the real-image part.
	TestData string
	// Generated is how many generated documents to render and read per
	// degradation level (0 skips the generated part).
	Generated int
	// Seed makes the generated set reproducible.
	Seed int64
	// Verbose prints every image's reading.
	Verbose bool
	// Limit, when > 0, evaluates only the first Limit real images (quick runs).
	Limit int
}

// Score counts readings against ground truth.
type Score struct {
	Images, Exact       int // documents whose every line was read exactly
	Lines, LinesExact   int
	Chars, CharsCorrect int
	Valid               int // readings whose check digits all verify
	ValidWrong          int // valid readings that differ from the ground truth (invented repairs)
	Found               int
	Negatives           int // images without an MRZ
	NegativesValid      int // negatives wrongly reported as a valid MRZ
	Elapsed             time.Duration
}

// CharAccuracy is the fraction of ground-truth characters read correctly.
func (s Score) CharAccuracy() float64 { return ratio(s.CharsCorrect, s.Chars) }

// LineExact is the fraction of lines read exactly.
func (s Score) LineExact() float64 { return ratio(s.LinesExact, s.Lines) }

// DocExact is the fraction of documents whose lines were all read exactly.
func (s Score) DocExact() float64 { return ratio(s.Exact, s.Images) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (s Score) String() string {
	return fmt.Sprintf("documents exact %d/%d (%.1f%%), lines exact %d/%d (%.1f%%), characters %.2f%%, valid %d (wrong but valid %d), found %d, negatives valid %d/%d, %.0f ms/image",
		s.Exact, s.Images, 100*s.DocExact(), s.LinesExact, s.Lines, 100*s.LineExact(), 100*s.CharAccuracy(),
		s.Valid, s.ValidWrong, s.Found, s.NegativesValid, s.Negatives, float64(s.Elapsed.Milliseconds())/float64(max(1, s.Images+s.Negatives)))
}

// Report is Evaluate's result.
type Report struct {
	Real      Score
	Generated map[string]Score // per degradation level
}

type groundTruth struct {
	Items []struct {
		File   string   `json:"file"`
		HasMRZ bool     `json:"has_mrz"`
		Format string   `json:"mrz_format"`
		Lines  []string `json:"mrz_lines"`
	} `json:"items"`
}

// Evaluate reads the labelled specimen images and generated MRZ images and
// prints character accuracy, line-exact and document-exact rates to w.
func Evaluate(w io.Writer, opts EvalOptions) (*Report, error) {
	rep := &Report{Generated: map[string]Score{}}
	if opts.TestData != "" {
		s, err := evaluateReal(w, opts)
		if err != nil {
			return nil, err
		}
		rep.Real = s
		fmt.Fprintf(w, "real specimens: %v\n", s)
	}
	if opts.Generated > 0 {
		for _, lvl := range []string{"clean", "photo", "blurry"} {
			s, err := evaluateGenerated(w, opts, lvl)
			if errors.Is(err, errNoFonts) {
				fmt.Fprintf(w, "generated: skipped (%v)\n", err)
				break
			}
			if err != nil {
				return nil, err
			}
			rep.Generated[lvl] = s
			fmt.Fprintf(w, "generated %-8s: %v\n", lvl, s)
		}
	}
	return rep, nil
}

func evaluateReal(w io.Writer, opts EvalOptions) (Score, error) {
	var s Score
	b, err := os.ReadFile(filepath.Join(opts.TestData, "mrz", "mrz_image_ground_truth.json"))
	if err != nil {
		return s, fmt.Errorf("read ground truth: %w", err)
	}
	var gt groundTruth
	if err := json.Unmarshal(b, &gt); err != nil {
		return s, fmt.Errorf("parse ground truth: %w", err)
	}
	for i, it := range gt.Items {
		if opts.Limit > 0 && i >= opts.Limit {
			break
		}
		img, err := loadImage(filepath.Join(opts.TestData, it.File))
		if err != nil {
			return s, err
		}
		start := time.Now()
		res, err := Read(img)
		s.Elapsed += time.Since(start)
		if err != nil {
			return s, fmt.Errorf("%s: %w", it.File, err)
		}
		valid := res.Document != nil && res.Document.Valid
		if !it.HasMRZ {
			s.Negatives++
			if valid {
				s.NegativesValid++
			}
			if opts.Verbose {
				fmt.Fprintf(w, "NEG  %-50s valid=%v %q\n", it.File, valid, res.Lines)
			}
			continue
		}
		s.add(it.Lines, res)
		if opts.Verbose {
			tag := "MISS"
			if equalLines(it.Lines, res.Lines) {
				tag = "OK  "
			}
			fmt.Fprintf(w, "%s %-50s valid=%v conf=%.2f\n", tag, it.File, valid, res.Confidence)
			if tag != "OK  " {
				for i, l := range it.Lines {
					got := ""
					if i < len(res.Lines) {
						got = res.Lines[i]
					}
					fmt.Fprintf(w, "     want %s\n     got  %s\n", l, got)
				}
			}
		}
	}
	return s, nil
}

// add scores one reading against the expected lines.
func (s *Score) add(want []string, res *Result) {
	s.Images++
	if res.Found {
		s.Found++
	}
	if res.Document != nil && res.Document.Valid {
		s.Valid++
	}
	if equalLines(want, res.Lines) {
		s.Exact++
	} else if res.Document != nil && res.Document.Valid {
		s.ValidWrong++
	}
	for i, l := range want {
		wl := []rune(l)
		s.Lines++
		s.Chars += len(wl)
		if i >= len(res.Lines) {
			continue
		}
		got := []rune(res.Lines[i])
		if string(got) == l {
			s.LinesExact++
		}
		for j := 0; j < len(wl) && j < len(got); j++ {
			if wl[j] == got[j] {
				s.CharsCorrect++
			}
		}
	}
}

func equalLines(a, b []string) bool {
	return len(a) == len(b) && strings.Join(a, "\n") == strings.Join(b, "\n")
}

func loadImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open image: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return img, nil
}
