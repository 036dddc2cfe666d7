package docread

import (
	"sort"
	"strings"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/docclass"
	"github.com/kycgate/kycgate/identity"
)

// sourceRank orders readings of the same field: machine-readable data with
// check digits first, then the barcode, then printed OCR.
var sourceRank = map[string]int{"mrz": 3, "barcode": 2, "printed": 1}

// combine merges the faces of one document (front and back) into a reading
// and the findings that do not need the declared data: refused type, type
// differing from declaredType, unreadable, invalid check digits, and
// readings that disagree (manual review).
// combined is the merged reading of a document's faces.
type combined struct {
	reading  *kycgate.DocumentReading
	findings []kycgate.Finding
	// doc is the comparison input: fields with their sources.
	doc identity.Document
}

func combine(faces []*face, declaredType string) combined {
	reading, findings, source, truncated := combineFaces(faces, declaredType)
	return combined{reading: reading, findings: findings, doc: identityDoc(reading.Fields, source, truncated)}
}

func combineFaces(faces []*face, declaredType string) (*kycgate.DocumentReading, []kycgate.Finding, map[string]string, map[string]bool) {
	reading := &kycgate.DocumentReading{Fields: map[string]string{}}
	var findings []kycgate.Finding
	source := map[string]string{}
	truncated := map[string]bool{}
	var refused *face
	var accepted *face
	readAnything := false
	for _, f := range faces {
		if f == nil {
			continue
		}
		if reading.Corners == nil {
			reading.Corners = f.Corners
		}
		switch {
		case docclass.Accepted(f.Class.Kind):
			if accepted == nil {
				accepted = f
			}
		case f.Class.Kind == docclass.Other && f.Class.Score == 0 && len(faces) > 1:
			// An unrecognised second side (e.g. a licence back whose
			// barcode did not decode) does not refuse the document.
		default:
			if refused == nil {
				refused = f
			}
		}
		if len(f.Fields) > 0 || len(f.MRZ) > 0 {
			readAnything = true
		}
		for k, v := range f.Fields {
			if cur, ok := source[k]; !ok || sourceRank[f.Source[k]] > sourceRank[cur] {
				reading.Fields[k] = v
				source[k] = f.Source[k]
				truncated[k] = f.Truncated[k]
			}
		}
		if reading.MRZ == nil && len(f.MRZ) > 0 {
			reading.MRZ = f.MRZ
		}
		if reading.Portrait == nil && len(f.Portrait) > 0 {
			reading.Portrait = f.Portrait
		}
	}
	switch {
	case refused != nil && refused.Class.Kind == docclass.Other && refused.Class.Score == 0 && !readAnything && accepted == nil:
		reading.Type = string(docclass.Other)
		return reading, []kycgate.Finding{{
			Code: kycgate.DocumentUnreadable, Step: kycgate.StepIDDocument,
			Detail: "no_text",
		}}, source, truncated
	case refused != nil:
		reading.Type = string(refused.Class.Kind)
		return reading, docclass.Findings(refused.Class, declaredType), source, truncated
	case accepted == nil:
		reading.Type = string(docclass.Other)
		return reading, []kycgate.Finding{{Code: kycgate.DocumentUnreadable, Step: kycgate.StepIDDocument,
			Detail: "no_document"}}, source, truncated
	}
	reading.Type = docclass.DeclaredType(accepted.Class.Kind)
	findings = append(findings, docclass.Findings(accepted.Class, declaredType)...)

	if !identityRead(reading.Fields) {
		findings = append(findings, kycgate.Finding{
			Code: kycgate.DocumentUnreadable, Step: kycgate.StepIDDocument,
			Detail:  docclass.DeclaredType(accepted.Class.Kind), // the kind recognised
			Metrics: map[string]float64{"ocr_confidence": accepted.OCRConfidence},
		})
	}
	var invalid []string
	for _, f := range faces {
		if f != nil {
			invalid = append(invalid, f.Invalid...)
		}
	}
	if invalid = dedupe(invalid); len(invalid) > 0 {
		findings = append(findings, kycgate.Finding{
			Code: kycgate.DocumentNumberInvalid, Step: kycgate.StepIDDocument, Fields: invalid,
			Detail: "check_digit",
		})
	}
	if inc, values := inconsistencies(faces); len(inc) > 0 {
		findings = append(findings, kycgate.Finding{
			Code: kycgate.DataMismatch, Step: kycgate.StepIDDocument, Fields: inc,
			DocumentValues: values, Review: true,
			Detail: "readings_disagree", // printed zone vs MRZ, barcode or ID number
		})
	}
	return reading, findings, source, truncated
}

// identityRead reports whether enough was read to identify the holder.
func identityRead(f map[string]string) bool {
	return f["document_number"] != "" || f["date_of_birth"] != "" || f["surname"] != "" || f["native_name"] != "" ||
		f["date_of_expiry"] != "" || f["authority"] != ""
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// inconsistencies lists fields read twice (printed vs MRZ or barcode,
// within a face or across front and back) with different values, plus the
// Chinese ID's printed-vs-number disagreements. Names are compared in MRZ
// form (letters and spaces) because the MRZ drops accents and punctuation;
// a name that fills its MRZ field may be truncated, so a printed name that
// extends the MRZ name agrees with it.
func inconsistencies(faces []*face) ([]string, map[string]string) {
	var out []string
	values := map[string]string{}
	printed := identity.Document{Fields: map[string]string{}, Sources: map[string]identity.Source{}}
	machine := identity.Document{Fields: map[string]string{}, Sources: map[string]identity.Source{}, Truncated: map[string]bool{}}
	for _, f := range faces {
		if f == nil {
			continue
		}
		for _, k := range f.Inconsistent {
			out = append(out, k)
			values[k] = f.Fields[k]
		}
		for k, v := range f.Printed {
			if _, ok := printed.Fields[k]; !ok {
				printed.Fields[k] = v
				printed.Sources[k] = identity.SourceVisual
			}
		}
		for k, v := range f.Fields {
			switch src := f.Source[k]; src {
			case "printed":
				if _, ok := printed.Fields[k]; !ok {
					printed.Fields[k] = v
					printed.Sources[k] = identity.SourceVisual
				}
			case "mrz", "barcode":
				if _, ok := machine.Fields[k]; !ok {
					machine.Fields[k] = v
					machine.Sources[k] = identitySource[src]
					machine.Truncated[k] = f.Truncated[k]
				}
			}
		}
	}
	for _, k := range identity.CrossCheck(printed, machine) {
		if lookalike.Replace(strings.ToUpper(printed.Fields[k])) == lookalike.Replace(strings.ToUpper(machine.Fields[k])) {
			// O for 0, I for 1 …: an OCR confusion in the printed
			// reading, not a document whose zones disagree.
			continue
		}
		out = append(out, k)
		values[k] = machine.Fields[k]
	}
	return dedupe(out), values
}

// lookalike folds characters OCR confuses in printed Latin text into one
// class each.
var lookalike = strings.NewReplacer("O", "0", "Q", "0", "D", "0", "I", "1", "L", "1", "S", "5", "B", "8", "Z", "2", "G", "6")
