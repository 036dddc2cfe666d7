package docread

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kycgate/kycgate"
)

// Declared-vs-document comparison. A declared field matches the document
// when both are equal after this normalisation only:
//   - Unicode NFKC (full-width letters and digits become half-width);
//   - Latin letters upper-cased;
//   - runs of white space collapsed to one space, ends trimmed;
//   - MRZ filler '<' read as a space.
// Anything else — a missing hyphen, an accent, a transposed digit — is a
// mismatch: the document is the reference and the applicant must type what
// it says. Two exceptions follow from what an MRZ can hold: when a name was
// read from the MRZ only, the declared name is compared in MRZ form
// (accents stripped, hyphens as spaces, apostrophes dropped), and a name
// that fills the MRZ's name field is truncated, so the declared name need
// only begin with it.

// comparedFields are the declared fields compared, in reporting order.
var comparedFields = []string{"surname", "given_names", "native_name", "date_of_birth", "sex", "nationality", "document_number"}

// Normalize applies the comparison's normalisation to a value.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.ReplaceAll(s, "<", " ")
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 || unicode.IsLetter(r) {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// mrzForm writes a name as an MRZ holds it: upper-case A–Z, accents
// removed, hyphens and other separators as spaces, apostrophes dropped.
func mrzForm(s string) string {
	s = norm.NFKD.String(strings.ToUpper(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == 'ß':
			b.WriteString("SS")
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r):
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// declaredValue returns the declared value of a field.
func declaredValue(d *kycgate.PersonalData, field string) string {
	switch field {
	case "surname":
		return d.Surname
	case "given_names":
		return d.GivenNames
	case "native_name":
		return d.NativeName
	case "date_of_birth":
		return d.DateOfBirth
	case "sex":
		return d.Sex
	case "nationality":
		return d.Nationality
	case "document_number":
		return d.DocumentNumber
	}
	return ""
}

// countryAliases maps MRZ codes that differ from ISO 3166 alpha-3 to it.
var countryAliases = map[string]string{"D": "DEU"}

// Compare compares declared data with a document reading and returns one
// DATA_MISMATCH finding listing every differing field with the document's
// value, or nil. Fields the document does not carry, or the applicant did
// not declare, are not compared.
func Compare(r *kycgate.DocumentReading, d *kycgate.PersonalData) []kycgate.Finding {
	if r == nil || d == nil {
		return nil
	}
	fromMRZ := len(r.MRZ) > 0
	truncated := fromMRZ && mrzNameFull(r.MRZ)
	var fields []string
	values := map[string]string{}
	for _, k := range comparedFields {
		doc, dec := r.Fields[k], declaredValue(d, k)
		if doc == "" || strings.TrimSpace(dec) == "" {
			continue
		}
		var same bool
		switch {
		case (k == "surname" || k == "given_names") && fromMRZ:
			dm, mm := mrzForm(dec), mrzForm(doc)
			same = dm == mm || (truncated && k == "given_names" && len(mm) > 0 && strings.HasPrefix(dm, mm))
		case k == "native_name":
			same = strings.ReplaceAll(Normalize(dec), " ", "") == strings.ReplaceAll(Normalize(doc), " ", "")
		case k == "nationality":
			a, b := Normalize(dec), Normalize(doc)
			if v, ok := countryAliases[a]; ok {
				a = v
			}
			if v, ok := countryAliases[b]; ok {
				b = v
			}
			same = a == b
		default:
			same = Normalize(dec) == Normalize(doc)
		}
		if !same {
			fields = append(fields, k)
			values[k] = doc
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return []kycgate.Finding{{
		Code: kycgate.DataMismatch, Step: kycgate.StepPersonalData,
		Fields: fields, DocumentValues: values,
	}}
}

// mrzNameFull reports whether the MRZ's name field is filled to its last
// position, i.e. possibly truncated: line 1 of TD2/TD3 or line 3 of TD1
// ends in a letter rather than a filler.
func mrzNameFull(lines []string) bool {
	l := lines[0]
	if len(lines) == 3 {
		l = lines[2]
	}
	l = strings.TrimSpace(l)
	return l != "" && l[len(l)-1] != '<'
}

// Expired returns DOCUMENT_EXPIRED when the reading's date_of_expiry is
// before now's date. Dates are civil dates without a zone; to reject only
// documents expired for the applicant wherever they are, "today" is taken
// in the earliest time zone (UTC−12), so a document expiring today is never
// refused because the server runs ahead of the applicant's clock.
func Expired(r *kycgate.DocumentReading, now time.Time) []kycgate.Finding {
	if r == nil {
		return nil
	}
	exp, err := time.Parse("2006-01-02", r.Fields["date_of_expiry"])
	if err != nil {
		return nil
	}
	y, m, d := now.In(time.FixedZone("UTC-12", -12*3600)).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if !exp.Before(today) {
		return nil
	}
	return []kycgate.Finding{{
		Code: kycgate.DocumentExpired, Step: kycgate.StepIDDocument,
		Fields: []string{"date_of_expiry"}, DocumentValues: map[string]string{"date_of_expiry": r.Fields["date_of_expiry"]},
		Detail:  "expired on " + r.Fields["date_of_expiry"],
		Metrics: map[string]float64{"days_expired": today.Sub(exp).Hours() / 24},
	}}
}
