package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/docread"
	"github.com/kycgate/kycgate/httpapi"
	"github.com/kycgate/kycgate/imageio"
	"github.com/kycgate/kycgate/quality"
	"github.com/kycgate/kycgate/reasons"
)

// checkResult is one line of `kycgate check --json`.
type checkResult struct {
	File     string                   `json:"file"`
	OK       bool                     `json:"ok"`
	Findings []httpapi.FindingView    `json:"findings"`
	Metrics  map[string]float64       `json:"metrics"`
	Document *kycgate.DocumentReading `json:"document,omitempty"`
	Error    string                   `json:"error,omitempty"`
}

// documentChecks are the checks of an identity-document photo, in the
// order the verification job runs them.
func documentChecks() ([]kycgate.Check, error) {
	doc, err := docread.NewCheck()
	if err != nil {
		return nil, err
	}
	return []kycgate.Check{quality.DocumentCheck{}, doc}, nil
}

// runChecks runs checks on evidence the way the verification job does and
// returns every finding.
func runChecks(ctx context.Context, checks []kycgate.Check, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	var all []kycgate.Finding
	for _, c := range checks {
		f, err := c.Run(ctx, ev)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name(), err)
		}
		all = append(all, f...)
		ev.Findings = all
	}
	return all, nil
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON Lines, one object per image")
	declaredFile := fs.String("declared", "", "JSON file with the declared personal data to compare")
	docType := fs.String("type", "auto", "expected document type: auto, passport, id_card, driver_license")
	lang := fs.String("lang", "en", "language of messages: en or zh-CN")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() == 0 {
		return usageError("usage: kycgate check [--json] [--declared FILE.json] [--type auto|passport|id_card|driver_license] IMAGE...")
	}
	var declared *kycgate.PersonalData
	if *declaredFile != "" {
		b, err := os.ReadFile(*declaredFile)
		if err != nil {
			return usageError("%v", err)
		}
		declared = &kycgate.PersonalData{}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(declared); err != nil {
			return usageError("%s: %v", *declaredFile, err)
		}
	}
	switch *docType {
	case "auto":
	case kycgate.DocPassport, kycgate.DocIDCard, kycgate.DocDriverLicense:
		if declared == nil {
			declared = &kycgate.PersonalData{}
		}
		declared.DocumentType = *docType
	default:
		return usageError("--type must be auto, passport, id_card or driver_license")
	}
	checks, err := documentChecks()
	if err != nil {
		return err
	}
	req := &http.Request{Header: http.Header{"Accept-Language": {*lang}}}
	anyFinding, ioErr := false, false
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, path := range fs.Args() {
		res := checkResult{File: path, Findings: []httpapi.FindingView{}}
		data, err := os.ReadFile(path)
		if err == nil && int64(len(data)) > imageio.DefaultLimits().MaxBytes {
			err = fmt.Errorf("%s is larger than %d bytes", path, imageio.DefaultLimits().MaxBytes)
		}
		if err != nil {
			res.Error, ioErr = err.Error(), true
		} else {
			ev := &kycgate.Evidence{Declared: declared, Now: time.Now(), Metrics: map[string]float64{},
				Files: []kycgate.EvidenceFile{{File: kycgate.File{Step: kycgate.StepIDDocument, Kind: kycgate.FileDocumentFront}, Data: data}}}
			findings, err := runChecks(ctx, checks, ev)
			if err != nil {
				return err
			}
			if *declaredFile == "" {
				// --type alone declares a document type, not personal data:
				// nothing to compare the document's fields with.
				findings = withoutCode(findings, kycgate.DataMismatch)
			}
			res.Findings = httpapiFindings(findings, req)
			res.Metrics, res.Document = ev.Metrics, ev.Document
			res.OK = len(findings) == 0
			anyFinding = anyFinding || !res.OK
		}
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				return err
			}
		} else {
			printCheck(stdout, res, *lang)
		}
	}
	switch {
	case ioErr:
		return &exitError{code: 2}
	case anyFinding:
		return &exitError{code: 1}
	}
	return nil
}

func withoutCode(fs []kycgate.Finding, code kycgate.ReasonCode) []kycgate.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Code != code {
			out = append(out, f)
		}
	}
	return out
}

func httpapiFindings(fs []kycgate.Finding, r *http.Request) []httpapi.FindingView {
	out := []httpapi.FindingView{}
	for _, f := range fs {
		t := reasons.Describe(f, r.Header.Get("Accept-Language"))
		out = append(out, httpapi.FindingView{Finding: f, Message: t.Message, Fix: t.Fix})
	}
	return out
}

// printFinding writes one finding, what it means and how to fix it; a
// doubtful one (Review), which a person decides, is marked as such.
func printFinding(w io.Writer, f httpapi.FindingView) {
	if f.Review {
		fmt.Fprintf(w, "  ? %s: %s (to manual review)\n    → %s\n", f.Code, f.Message, f.Fix)
		return
	}
	fmt.Fprintf(w, "  ✗ %s: %s\n    → %s\n", f.Code, f.Message, f.Fix)
}

// printCheck writes the human summary: what was found and how to fix it.
func printCheck(w io.Writer, r checkResult, lang string) {
	switch {
	case r.Error != "":
		fmt.Fprintf(w, "%s: error: %s\n", r.File, r.Error)
		return
	case r.OK:
		fmt.Fprintf(w, "%s: OK", r.File)
	default:
		fmt.Fprintf(w, "%s: %d problem(s)", r.File, len(r.Findings))
	}
	if r.Document != nil && r.Document.Type != "" {
		fmt.Fprintf(w, " — %s", r.Document.Type)
	}
	fmt.Fprintln(w)
	for _, f := range r.Findings {
		printFinding(w, f)
	}
	if r.Document != nil && len(r.Document.Fields) > 0 {
		keys := make([]string, 0, len(r.Document.Fields))
		for k := range r.Document.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "    %-16s %s\n", reasons.FieldName(k, lang)+":", r.Document.Fields[k])
		}
	}
	if r.Document != nil {
		for _, l := range r.Document.MRZ {
			fmt.Fprintf(w, "    mrz: %s\n", l)
		}
	}
}
