package docread

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/expiry"
	"github.com/kycgate/kycgate/identity"
)

// The declared-vs-document comparison and the expiry decision are the
// identity and expiry packages'; this file adapts a reading to them. The
// reader knows where each field came from (MRZ, barcode, printed zone) and
// whether a machine-readable name may be truncated, which decide the
// normalisation identity.Match applies.

// mrzForm writes a name as an MRZ holds it: upper-case A–Z, accents
// removed, hyphens and other separators as spaces, apostrophes dropped. It
// is used to cross-check a printed name against the MRZ and to score MRZ
// names in the evaluation.
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

var identitySource = map[string]identity.Source{"mrz": identity.SourceMRZ, "barcode": identity.SourceBarcode, "printed": identity.SourceVisual}

// identityDoc builds the comparison input from fields and their sources.
func identityDoc(fields, sources map[string]string, truncated map[string]bool) identity.Document {
	d := identity.Document{Fields: map[string]string{}, Sources: map[string]identity.Source{}, Truncated: map[string]bool{}}
	for k, v := range fields {
		d.Fields[k] = v
		if s, ok := identitySource[sources[k]]; ok {
			d.Sources[k] = s
		}
	}
	for k, v := range truncated {
		d.Truncated[k] = v
	}
	return d
}

// Compare compares declared data with a reading and returns the
// DATA_MISMATCH finding (every differing field with the document's value),
// or nil. When the reading carries an MRZ, the fields an MRZ holds are
// compared as MRZ values (identity.Match's transliteration and truncation
// rules), since the reader prefers the MRZ over the printed zone.
func Compare(r *kycgate.DocumentReading, d *kycgate.PersonalData) []kycgate.Finding {
	if r == nil || d == nil {
		return nil
	}
	sources := map[string]string{}
	truncated := map[string]bool{}
	if len(r.MRZ) > 0 {
		for _, k := range []string{"surname", "given_names", "document_number", "nationality", "date_of_birth", "sex", "date_of_expiry", "issuing_country"} {
			sources[k] = "mrz"
		}
		for k, v := range mrzTruncation(r.MRZ) {
			truncated[k] = v
		}
	}
	return compareDoc(identityDoc(r.Fields, sources, truncated), d)
}

func compareDoc(doc identity.Document, d *kycgate.PersonalData) []kycgate.Finding {
	if f := identity.Compare(d, doc); f != nil {
		return []kycgate.Finding{*f}
	}
	return nil
}

// mrzTruncation says which MRZ names may be cut short: ICAO 9303 truncates
// the name field when it is full (its last position is a letter). The
// given names are cut first; the surname only when the field has no "<<"
// separator at all.
func mrzTruncation(lines []string) map[string]bool {
	if len(lines) == 0 {
		return nil
	}
	l := lines[0]
	if len(lines) == 3 {
		l = lines[2]
	} else if len(l) > 5 {
		l = l[5:] // TD2/TD3 line 1: document code and issuing state first
	}
	l = strings.TrimSpace(l)
	if l == "" || l[len(l)-1] == '<' {
		return nil
	}
	out := map[string]bool{"given_names": true}
	if !strings.Contains(l, "<<") {
		out["surname"] = true
	}
	return out
}

// Expired returns the expiry finding for a reading (DOCUMENT_EXPIRED, or
// a Review finding for a document expiring within opt.MarginDays), using
// the expiry package's calendar-date rules.
func Expired(r *kycgate.DocumentReading, now time.Time, opt expiry.Options) []kycgate.Finding {
	if r == nil {
		return nil
	}
	res := expiry.Evaluate(r.Fields["date_of_expiry"], now, opt)
	if f := res.Finding(opt); f != nil {
		return []kycgate.Finding{*f}
	}
	return nil
}
