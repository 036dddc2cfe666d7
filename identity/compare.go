package identity

import (
	"strings"
	"time"

	"github.com/kycgate/kycgate"
)

// Source says where on the document a value was read; it decides which
// normalisation applies.
type Source string

// Sources of document values.
const (
	SourceVisual  Source = "viz"     // printed (visual inspection zone), OCR
	SourceMRZ     Source = "mrz"     // machine-readable zone
	SourceBarcode Source = "barcode" // AAMVA PDF417 and similar
)

// Compared lists the declared fields compared with the document, in the
// order findings list them.
var Compared = []string{"surname", "given_names", "native_name", "date_of_birth", "document_number", "nationality", "sex"}

// Document is what was read off the document for the comparison.
type Document struct {
	// Fields holds the document's values keyed like kycgate.PersonalData's
	// JSON names. A field that is absent or empty is not compared.
	Fields map[string]string
	// Sources says where each field was read; missing means SourceVisual.
	Sources map[string]Source
	// Truncated names fields whose document value may be cut short: an MRZ
	// name field that fills its whole length (ICAO truncates long names),
	// or an AAMVA name with its truncation flag set. The document value
	// then matches a declared value it is a prefix of.
	Truncated map[string]bool
}

// Compare compares the declared data with the document and returns one
// DATA_MISMATCH finding listing every field that differs, with the
// document's value for each, or nil when every compared field matches.
// Only fields present on the document are compared, and native_name and
// sex only when declared. Equality is exact after
// Normalize; see Match for the per-field rules.
func Compare(declared *kycgate.PersonalData, doc Document) *kycgate.Finding {
	if declared == nil {
		return nil
	}
	dv := DeclaredFields(declared)
	f := &kycgate.Finding{Code: kycgate.DataMismatch, Step: kycgate.StepPersonalData}
	for _, field := range Compared {
		docVal := strings.TrimSpace(doc.Fields[field])
		if docVal == "" {
			continue
		}
		if dv[field] == "" && optionalDeclared[field] {
			continue // not declared: nothing to contradict
		}
		src := doc.Sources[field]
		if !Match(field, dv[field], docVal, src, doc.Truncated[field]) {
			if f.DocumentValues == nil {
				f.DocumentValues = map[string]string{}
			}
			f.Fields = append(f.Fields, field)
			f.DocumentValues[field] = displayValue(docVal, src)
		}
	}
	if len(f.Fields) == 0 {
		return nil
	}
	return f
}

// CrossCheck compares two readings of the same document (printed zone and
// MRZ, front and barcode) and returns the fields present in both that
// disagree. b's value is taken as the "document" side, so put the MRZ or
// barcode reading second. A disagreement is an internal inconsistency:
// the document or its reading is doubtful and belongs in manual review.
func CrossCheck(a, b Document) []string {
	var out []string
	for _, field := range crossChecked {
		va, vb := strings.TrimSpace(a.Fields[field]), strings.TrimSpace(b.Fields[field])
		if va == "" || vb == "" {
			continue
		}
		if a.Sources[field] == SourceMRZ {
			va = displayValue(va, SourceMRZ)
		}
		if !Match(field, va, vb, b.Sources[field], b.Truncated[field]) {
			out = append(out, field)
		}
	}
	return out
}

// crossChecked are the fields CrossCheck compares: the compared ones and
// the expiry date, which both zones of a passport print.
var crossChecked = append(append([]string(nil), Compared...), "date_of_expiry")

// optionalDeclared are the compared fields an applicant may leave empty;
// an empty one is not compared. An empty given_names is compared: it
// declares a mononym, which a document with given names contradicts.
var optionalDeclared = map[string]bool{"native_name": true, "sex": true}

// DeclaredFields returns the comparable declared values keyed by field.
func DeclaredFields(p *kycgate.PersonalData) map[string]string {
	return map[string]string{
		"surname":         p.Surname,
		"given_names":     p.GivenNames,
		"native_name":     p.NativeName,
		"date_of_birth":   p.DateOfBirth,
		"document_number": p.DocumentNumber,
		"nationality":     p.Nationality,
		"sex":             p.Sex,
	}
}

// Match reports whether a declared value equals a document value for the
// given field:
//
//   - names: equal after Normalize; for an MRZ value, the declared name is
//     transliterated by the ICAO 9303 rules (Ä → AE or A, ß → SS, É → E,
//     punctuation → '<' or nothing) and, when truncated, may be longer than
//     the MRZ value it starts with;
//   - dates: equal as calendar dates, whatever the layout (1990-01-02,
//     19900102, 1990.01.02, 1990年1月2日); an MRZ-style YYMMDD compares
//     with the declared date's last two year digits;
//   - document_number: equal after Normalize with spaces and MRZ fillers
//     removed (spacing is print layout, not part of the number);
//   - sex: M/F/X with 男/女, MALE/FEMALE and the MRZ '<' (unspecified = X);
//   - nationality: equal codes, with the MRZ's D for Germany = DEU.
func Match(field, declared, document string, src Source, truncated bool) bool {
	switch field {
	case "date_of_birth", "date_of_expiry", "date_of_issue":
		return sameDate(declared, document)
	case "sex":
		return sexCode(declared) != "" && sexCode(declared) == sexCode(document)
	case "document_number":
		strip := func(s string, src Source) string {
			return strings.ReplaceAll(Normalize(s, src), " ", "")
		}
		return strip(declared, SourceVisual) != "" && strip(declared, SourceVisual) == strip(document, src)
	case "nationality", "issuing_country":
		return countryCode(declared) != "" && countryCode(declared) == countryCode(document)
	}
	d := Normalize(declared, SourceVisual)
	doc := Normalize(document, src)
	if d == "" {
		return false
	}
	if src == SourceMRZ {
		return matchMRZ(d, doc, truncated)
	}
	if d == doc {
		return true
	}
	return truncated && strings.HasPrefix(d, doc) && doc != ""
}

// displayValue is the document value shown to the applicant: as printed,
// with the MRZ fillers read as spaces.
func displayValue(v string, src Source) string {
	if src == SourceMRZ {
		return strings.Join(strings.Fields(strings.ReplaceAll(v, "<", " ")), " ")
	}
	return strings.TrimSpace(v)
}

func sexCode(s string) string {
	switch Normalize(s, SourceVisual) {
	case "M", "MALE", "男", "1":
		return "M"
	case "F", "FEMALE", "W", "女", "2":
		return "F"
	case "X", "<", "9", "UNSPECIFIED":
		return "X"
	}
	return ""
}

func countryCode(s string) string {
	c := Normalize(s, SourceMRZ)
	c = strings.ReplaceAll(c, " ", "")
	if c == "D" {
		return "DEU" // ICAO 9303's code for Germany
	}
	return c
}

// ParseDate reads a calendar date in the layouts documents and applicants
// use: YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, YYYY.MM.DD, DD.MM.YYYY,
// DD/MM/YYYY, YYYY年M月D日 (full-width digits included). It does not guess
// between DD/MM and MM/DD: a slash date with the year last is read as
// DD/MM/YYYY (ICAO VIZ order) only when unambiguous (day > 12 or day ==
// month).
func ParseDate(s string) (time.Time, bool) {
	s = Normalize(s, SourceVisual)
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", " ", "").Replace(s)
	var parts []string
	switch {
	case len(s) == 8 && isDigits(s):
		parts = []string{s[0:4], s[4:6], s[6:8]}
	default:
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	}
	if len(parts) != 3 {
		return time.Time{}, false
	}
	for _, p := range parts {
		if !isDigits(p) || len(p) == 0 || len(p) > 4 {
			return time.Time{}, false
		}
	}
	var y, m, d int
	switch {
	case len(parts[0]) == 4:
		y, m, d = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	case len(parts[2]) == 4:
		a, b := atoi(parts[0]), atoi(parts[1])
		if strings.Contains(s, "/") && a <= 12 && a != b {
			return time.Time{}, false // 03/04/1990: day-month or month-day?
		}
		y, m, d = atoi(parts[2]), b, a
	default:
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1 || m < 1 || m > 12 || d < 1 || t.Day() != d || t.Month() != time.Month(m) {
		return time.Time{}, false
	}
	return t, true
}

func sameDate(declared, document string) bool {
	dt, ok := ParseDate(declared)
	if !ok {
		return false
	}
	doc := Normalize(document, SourceVisual)
	if len(doc) == 6 && isDigits(doc) {
		// MRZ YYMMDD: the century is not on the document.
		return dt.Format("060102") == doc
	}
	if t, ok := ParseDate(doc); ok {
		return t.Equal(dt)
	}
	return false
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
