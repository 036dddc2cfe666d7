package address

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/internal/testenv"
)

var useOCR = flag.Bool("ocr", false, "evaluate the SROIE receipts through Tesseract instead of their ground-truth text lines (slow)")

// evalDoc is one labelled proof of address.
type evalDoc struct {
	name   string
	text   string
	kind   Kind      // true kind
	date   time.Time // true issue date
	holder *kycgate.PersonalData
}

// stranger is a declared applicant whose name is on none of the documents.
var stranger = &kycgate.PersonalData{Surname: "WANG", GivenNames: "FANG", NativeName: "王芳"}

// holders maps the invoice2data PDFs whose labelled holder_name is a person
// to that person as declared data (surname / given names split here);
// the others are billed to companies.
var holders = map[string]*kycgate.PersonalData{
	"free_fiber.pdf":       {Surname: "de Lattre", GivenNames: "Alexis"},
	"NetpresseInvoice.pdf": {Surname: "DE LATTRE", GivenNames: "ALEXIS"},
	"coolblue1.pdf":        {Surname: "Bluebird", GivenNames: "Pino"},
	"AzureInterior.pdf":    {Surname: "Admin", GivenNames: "Mitchell"},
}

// sharedDir returns ../shared/testdata relative to the repository root, or
// skips the test when its proof-of-address labels are absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	testenv.SharedTestdata(t, "proof_of_address", "poa_labels.json")
	return testenv.SharedTestdata(t)
}

func loadEval(t *testing.T) []evalDoc {
	root := sharedDir(t)
	raw, err := os.ReadFile(filepath.Join(root, "proof_of_address", "poa_labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var aux struct {
		Invoice2data []map[string]any `json:"invoice2data"`
		SROIE        []map[string]any `json:"sroie"`
	}
	if err := json.Unmarshal(raw, &aux); err != nil {
		t.Fatal(err)
	}
	var docs []evalDoc
	x := Extractor{}
	if *useOCR {
		x.OCR = testEngine(t)
	}
	for _, e := range aux.Invoice2data {
		file := e["file"].(string)
		data, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		text, err := x.Text(context.Background(), data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		kind := Other
		dt := strings.ToLower(e["doc_type"].(string))
		if strings.HasPrefix(dt, "utility bill") {
			kind = UtilityBill
		} else if strings.Contains(dt, "bank statement") {
			kind = BankStatement
		}
		date, _ := time.Parse("2006-01-02", e["document_date"].(string))
		docs = append(docs, evalDoc{name: filepath.Base(file), text: text, kind: kind, date: date, holder: holders[filepath.Base(file)]})
	}
	for _, e := range aux.SROIE {
		var text string
		if *useOCR {
			data, err := os.ReadFile(filepath.Join(root, e["file"].(string)))
			if err != nil {
				t.Fatal(err)
			}
			text, err = x.Text(context.Background(), data)
			if err != nil {
				t.Fatalf("%s: %v", e["file"], err)
			}
		} else {
			text = boxText(t, filepath.Join(root, e["ocr_lines_file"].(string)))
		}
		date, ok := sroieDate(e["date"].(string))
		if !ok {
			t.Fatalf("%s: label date %q", e["file"], e["date"])
		}
		docs = append(docs, evalDoc{name: filepath.Base(e["file"].(string)), text: text, kind: Other, date: date})
	}
	return docs
}

// boxText joins the text of SROIE's line boxes (x1,y1,…,x4,y4,text).
func boxText(t *testing.T, path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		parts := strings.SplitN(l, ",", 9)
		if len(parts) == 9 {
			lines = append(lines, parts[8])
		}
	}
	return strings.Join(lines, "\n")
}

// sroieDate reads the receipts' labelled dates (25/12/2018, 12-01-19,
// 05 MAR 2018), all day first.
func sroieDate(s string) (time.Time, bool) {
	ds := findDates(s, DayFirst, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(ds) != 1 {
		return time.Time{}, false
	}
	return ds[0].t, true
}

type counts struct{ tp, fp, fn, tn int }

func (c *counts) add(truth, pred bool) {
	switch {
	case truth && pred:
		c.tp++
	case !truth && pred:
		c.fp++
	case truth && !pred:
		c.fn++
	default:
		c.tn++
	}
}

func (c counts) precision() float64 {
	if c.tp+c.fp == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fp)
}

func (c counts) recall() float64 {
	if c.tp+c.fn == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fn)
}

func has(fs []kycgate.Finding, code kycgate.ReasonCode) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}

// evaluate runs the decision on docs and returns the counts per code and
// the number of issue dates read exactly.
func evaluate(t *testing.T, docs []evalDoc, verbose bool) (map[kycgate.ReasonCode]*counts, int) {
	res := map[kycgate.ReasonCode]*counts{
		kycgate.AddressProofTypeNotAccepted: {}, kycgate.AddressProofTooOld: {}, kycgate.AddressProofNameMismatch: {},
	}
	opt := Options{}
	datesExact := 0
	for _, d := range docs {
		// Fresh: read 30 days after issue. Stale: 3 months and 2 days after.
		fresh := d.date.AddDate(0, 0, 30).Add(15 * time.Hour)
		stale := d.date.AddDate(0, 3, 2).Add(15 * time.Hour)
		declared := []*kycgate.PersonalData{stranger}
		if d.holder != nil {
			declared = append(declared, d.holder)
		}
		for _, who := range declared {
			for _, now := range []time.Time{fresh, stale} {
				r := Analyze(d.text, who, now, opt)
				fs := r.Findings(opt)
				res[kycgate.AddressProofTypeNotAccepted].add(d.kind == Other, has(fs, kycgate.AddressProofTypeNotAccepted))
				res[kycgate.AddressProofTooOld].add(now == stale, has(fs, kycgate.AddressProofTooOld))
				res[kycgate.AddressProofNameMismatch].add(who == stranger, has(fs, kycgate.AddressProofNameMismatch))
				if who == declared[0] && now == fresh {
					exact := r.IssueDate.Equal(d.date)
					if exact {
						datesExact++
					}
					if verbose {
						t.Logf("%-22s kind %-14s (truth %-14s) scores %+v date %s (truth %s) exact=%v", d.name, r.Kind, d.kind, r.Scores,
							r.IssueDate.Format("2006-01-02"), d.date.Format("2006-01-02"), exact)
					}
				}
			}
		}
	}
	return res, datesExact
}

func report(t *testing.T, title string, res map[kycgate.ReasonCode]*counts, datesExact, n int) string {
	var codes []string
	for c := range res {
		codes = append(codes, string(c))
	}
	sort.Strings(codes)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d documents, issue date exact %d/%d\n", title, n, datesExact, n)
	for _, c := range codes {
		k := res[kycgate.ReasonCode(c)]
		fmt.Fprintf(&b, "  %-32s precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)\n", c, k.precision(), k.recall(), k.tp, k.fp, k.fn, k.tn)
	}
	return b.String()
}

// TestEvaluateSharedTestdata evaluates the decision on the real documents
// of shared/testdata/proof_of_address (7 PDF invoices and bills, 20
// receipts) and guards the measured figures. Each document is decided four
// times: read 30 days and 3 months + 2 days after its labelled date, by
// its holder (when a person) and by a stranger.
func TestEvaluateSharedTestdata(t *testing.T) {
	docs := loadEval(t)
	res, exact := evaluate(t, docs, testing.Verbose())
	t.Log("\n" + report(t, "shared/testdata/proof_of_address", res, exact, len(docs)))

	// Guards at the measured level (docs/identity.md has the table). With
	// -ocr, Tesseract misses the date on two receipt photos (Review
	// findings, counted here as TOO_OLD false positives) and misreads one
	// (10/03 as 19/03).
	guards := map[kycgate.ReasonCode][2]float64{
		kycgate.AddressProofTypeNotAccepted: {1, 1},
		kycgate.AddressProofTooOld:          {1, 1},
		kycgate.AddressProofNameMismatch:    {1, 1},
	}
	minExact := len(docs)
	if *useOCR {
		guards[kycgate.AddressProofTooOld] = [2]float64{0.93, 0.96}
		minExact = 24
	}
	for code, g := range guards {
		c := res[code]
		if c.precision() < g[0] || c.recall() < g[1] {
			t.Errorf("%s: precision %.3f recall %.3f, want ≥ %.3f / %.3f", code, c.precision(), c.recall(), g[0], g[1])
		}
	}
	if exact < minExact {
		t.Errorf("issue dates exact %d/%d, want ≥ %d", exact, len(docs), minExact)
	}
}
