// Package docclass decides what kind of document an image shows — a
// passport data page, an ID card with a TD1 MRZ, either side of the Chinese
// resident identity card, a driver's licence, or one of the documents that
// applicants upload by mistake (household register, student card,
// social-security card, bank card) — and whether kycgate accepts it.
//
// The decision combines three kinds of evidence, strongest first:
//   - the machine-readable zone: a TD3 MRZ is a passport (or a visa), a TD1
//     or TD2 MRZ an identity card; a decoded AAMVA PDF417 is a driver's
//     licence or state ID;
//   - keywords read by OCR: titles (居民户口簿, 学生证, 社会保障卡,
//     PASSPORT, DRIVER LICENSE), field labels (签发机关, 公民身份号码, 学号)
//     and brand marks (UnionPay, VISA); matching tolerates one OCR error in
//     longer keywords because titles are large but printed over guilloché;
//   - numbers with checksums found in the text: a valid GB 11643 citizen
//     number, a Luhn-valid 16–19 digit card number.
//
// It is pure Go and holds no OCR itself: the caller passes the text.
package docclass

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/cnid"
)

// Kind is a recognised document kind.
type Kind string

// Kinds. The names match synth's kinds and the refusal details.
const (
	Passport           Kind = "passport"
	IDCard             Kind = "id_card" // ICAO TD1/TD2 identity card
	CNIDFront          Kind = "cn_id_front"
	CNIDBack           Kind = "cn_id_back"
	DriverLicense      Kind = "driver_license"
	HouseholdRegister  Kind = "household_register"
	StudentCard        Kind = "student_card"
	SocialSecurityCard Kind = "social_security_card"
	BankCard           Kind = "bank_card"
	Other              Kind = "other"
)

// Kinds lists every kind, accepted first.
var Kinds = []Kind{Passport, IDCard, CNIDFront, CNIDBack, DriverLicense,
	HouseholdRegister, StudentCard, SocialSecurityCard, BankCard, Other}

// names are short human descriptions for refusal details.
var names = map[Kind]string{
	Passport: "passport", IDCard: "identity card", CNIDFront: "Chinese resident ID card (front)",
	CNIDBack: "Chinese resident ID card (back)", DriverLicense: "driver's licence",
	HouseholdRegister: "household register (居民户口簿)", StudentCard: "student card (学生证)",
	SocialSecurityCard: "social security card (社会保障卡)", BankCard: "bank card",
	Other: "an unrecognised document",
}

// Describe returns a human description of k.
func Describe(k Kind) string {
	if n, ok := names[k]; ok {
		return n
	}
	return string(k)
}

// DeclaredType maps a kind to the document_type an applicant declares
// (passport, id_card, driver_license), or "" for refused kinds.
func DeclaredType(k Kind) string {
	switch k {
	case Passport:
		return kycgate.DocPassport
	case IDCard, CNIDFront, CNIDBack:
		return kycgate.DocIDCard
	case DriverLicense:
		return kycgate.DocDriverLicense
	}
	return ""
}

// Accepted reports whether kycgate accepts k as an identity document.
func Accepted(k Kind) bool { return DeclaredType(k) != "" }

// Input is the evidence about one document image.
type Input struct {
	// Text is OCR text from the document (a title band or the whole face).
	Text string
	// MRZFormat is the layout of an MRZ found on the face ("TD1", "TD2",
	// "TD3", "MRVA", "MRVB"), or "" when there is none.
	MRZFormat string
	// MRZDocumentCode is the MRZ's document code ("P", "I", "ID", "V", ...).
	MRZDocumentCode string
	// Barcode is true when an AAMVA DL/ID PDF417 was decoded.
	Barcode bool
	// Aspect is width/height of the rectified document; 0 when unknown.
	Aspect float64
}

// Result is a classification with the evidence behind it.
type Result struct {
	Kind Kind
	// Score is the winning kind's evidence weight; Margin its lead over the
	// runner-up. A small margin means a doubtful decision.
	Score, Margin float64
	// Evidence lists what was matched, e.g. "keyword:学生证", "mrz:TD3".
	Evidence []string
}

type keyword struct {
	text   string
	weight float64
}

// keywords per kind, written in the normalised form (upper case, no
// spaces). Weights: 3 for titles that name the document, 2 for labels only
// that document carries, 1 for supporting words.
var keywords = map[Kind][]keyword{
	Passport:      {{"PASSPORT", 3}, {"PASSEPORT", 2}, {"PASAPORTE", 3}, {"REISEPASS", 3}, {"护照", 3}, {"PASSPORTNO", 1}},
	IDCard:        {{"IDENTITYCARD", 3}, {"IDCARD", 2}, {"CARTED'IDENTITE", 3}, {"PERSONALAUSWEIS", 3}, {"DOCUMENTONACIONAL", 3}, {"CARTAD'IDENTITA", 3}, {"IDENTITEITSKAART", 3}},
	CNIDFront:     {{"公民身份号码", 3}, {"民族", 2}, {"住址", 2}, {"性别", 1}, {"出生", 1}, {"姓名", 0.5}},
	CNIDBack:      {{"居民身份证", 3}, {"签发机关", 3}, {"有效期限", 3}, {"中华人民共和国", 1}},
	DriverLicense: {{"DRIVERLICENSE", 3}, {"DRIVER'SLICENSE", 3}, {"DRIVERSLICENSE", 3}, {"DRIVINGLICENCE", 3}, {"DRIVERLICENCE", 3}, {"驾驶证", 3}, {"DLN", 1}, {"CLASS", 1}, {"ENDORSEMENTS", 1}, {"RESTRICTIONS", 1}},
	HouseholdRegister: {{"居民户口簿", 4}, {"户口簿", 3}, {"常住人口登记卡", 4}, {"户主", 2}, {"与户主关系", 2},
		{"曾用名", 2}, {"宗教信仰", 1}, {"户口", 2}, {"承办人", 1}},
	StudentCard:        {{"学生证", 4}, {"学生", 2}, {"学号", 2}, {"学院", 1}, {"大学", 1}, {"入学", 1}, {"入学时间", 1}, {"学生处", 1}, {"STUDENTCARD", 3}, {"STUDENTID", 3}, {"UNIVERSITY", 1}, {"INSTITUTE", 0.5}},
	SocialSecurityCard: {{"社会保障卡", 4}, {"社会保障", 3}, {"社保", 2}, {"SOCIALSECURITY", 3}, {"社会保障号码", 2}},
	BankCard:           {{"UNIONPAY", 3}, {"银联", 3}, {"银行", 2}, {"BANK", 2}, {"VISA", 2}, {"MASTERCARD", 3}, {"VALIDTHRU", 1}, {"THRU", 1}, {"DEBIT", 1}, {"CREDIT", 1}},
}

// minScore is the evidence below which a document is "other": one
// supporting word or a single label is not enough to name a document.
const minScore = 2.5

var (
	digitsRe = regexp.MustCompile(`[0-9]{15,19}X?`)
	// cardNumRe matches 16–19 digits, grouped or not, as printed on cards.
	cardNumRe = regexp.MustCompile(`(?:[0-9]{4}[ ]?){3}[0-9]{4}(?:[ ]?[0-9]{1,3})?`)
)

// Classify decides the kind of document from in.
func Classify(in Input) Result {
	score := map[Kind]float64{}
	ev := map[Kind][]string{}
	add := func(k Kind, w float64, why string) {
		score[k] += w
		ev[k] = append(ev[k], why)
	}
	switch strings.ToUpper(in.MRZFormat) {
	case "TD3":
		add(Passport, 8, "mrz:TD3")
	case "MRVA", "MRVB":
		add(Other, 8, "mrz:visa")
	case "TD1", "TD2", "FRENCH_ID":
		if strings.HasPrefix(strings.ToUpper(in.MRZDocumentCode), "P") {
			add(Passport, 8, "mrz:"+in.MRZFormat+" P")
		} else {
			add(IDCard, 8, "mrz:"+in.MRZFormat)
		}
	}
	if in.Barcode {
		add(DriverLicense, 8, "barcode:AAMVA")
	}
	text := Normalize(in.Text)
	for k, kws := range keywords {
		for _, kw := range kws {
			if containsFuzzy(text, kw.text) {
				add(k, kw.weight, "keyword:"+kw.text)
			}
		}
	}
	// Numbers with checksums. Spaces matter for card numbers (printed in
	// groups), so they are searched in the text with spaces kept.
	flat := strings.ToUpper(norm.NFKC.String(in.Text))
	for _, m := range digitsRe.FindAllString(strings.ReplaceAll(flat, " ", ""), -1) {
		if len(m) == 18 && cnid.Valid(m) {
			add(CNIDFront, 2, "number:GB11643")
			// The same number is printed on household registers and
			// social-security cards, so it only supports the front.
			break
		}
	}
	for _, m := range cardNumRe.FindAllString(flat, -1) {
		if d := strings.ReplaceAll(m, " ", ""); len(d) >= 16 && len(d) <= 19 && Luhn(d) && !cnid.Valid(d) {
			add(BankCard, 3, "number:luhn")
			break
		}
	}
	if in.Aspect > 0 && in.Aspect < 1.5 && in.MRZFormat == "" && len(score) > 0 {
		// Only as support for other evidence: a blank page is no passport.
		// Passport pages and register pages are squarer than ID-1 cards.
		add(HouseholdRegister, 0.5, "aspect")
		add(Passport, 0.5, "aspect")
	}

	type ks struct {
		k Kind
		s float64
	}
	var all []ks
	for k, s := range score {
		all = append(all, ks{k, s})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].s != all[j].s {
			return all[i].s > all[j].s
		}
		return kindIndex(all[i].k) < kindIndex(all[j].k)
	})
	if len(all) == 0 || all[0].s < minScore {
		r := Result{Kind: Other}
		if len(all) > 0 {
			r.Score = all[0].s
			r.Evidence = ev[all[0].k]
		}
		return r
	}
	r := Result{Kind: all[0].k, Score: all[0].s, Evidence: ev[all[0].k]}
	r.Margin = all[0].s
	if len(all) > 1 {
		r.Margin = all[0].s - all[1].s
	}
	return r
}

func kindIndex(k Kind) int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return len(Kinds)
}

// Normalize prepares OCR text for keyword matching: NFKC (full-width to
// half-width), upper case, and every space, punctuation-like quote and
// line break removed, because Tesseract's chi_sim puts spaces between
// Chinese characters and labels are often letter-spaced.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '"', r == '”', r == '“', r == '|', r == '“':
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// containsFuzzy reports whether text contains kw with at most one
// substituted character when kw has 4 or more characters (two from 8):
// OCR substitutes look-alike characters (簿→短, R→A) far more often than it
// drops them, and short keywords must match exactly to stay specific.
func containsFuzzy(text, kw string) bool {
	if strings.Contains(text, kw) {
		return true
	}
	k := []rune(kw)
	allowed := 0
	switch {
	case len(k) >= 8:
		allowed = 2
	case len(k) >= 4:
		allowed = 1
	}
	if allowed == 0 {
		return false
	}
	t := []rune(text)
	for i := 0; i+len(k) <= len(t); i++ {
		miss := 0
		for j := range k {
			if t[i+j] != k[j] {
				miss++
				if miss > allowed {
					break
				}
			}
		}
		// The first character must match so that a window sliding along
		// unrelated text cannot borrow an arbitrary character.
		if miss <= allowed && t[i] == k[0] {
			return true
		}
	}
	return false
}

// Luhn reports whether the digit string s passes the Luhn (mod 10) check
// used by payment card numbers.
func Luhn(s string) bool {
	if len(s) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// Findings returns the findings a classification gives in the id_document
// step: DOCUMENT_TYPE_NOT_ACCEPTED for a refused kind, with the kind as its
// Detail ("household_register"; "other" for a document not recognised);
// and, when declared (the applicant's document_type) is set and differs
// from the kind found, a DOCUMENT_TYPE_NOT_ACCEPTED finding with the field
// document_type, the document's value and the kind found as its Detail.
// Details are identifiers, not sentences: package reasons words them in
// the applicant's language, and its fix says what is accepted.
func Findings(r Result, declared string) []kycgate.Finding {
	if !Accepted(r.Kind) {
		return []kycgate.Finding{{
			Code:    kycgate.DocumentTypeNotAccepted,
			Step:    kycgate.StepIDDocument,
			Detail:  string(r.Kind),
			Metrics: map[string]float64{"classification_score": r.Score},
		}}
	}
	found := DeclaredType(r.Kind)
	if declared != "" && declared != found {
		return []kycgate.Finding{{
			Code:           kycgate.DocumentTypeNotAccepted,
			Step:           kycgate.StepIDDocument,
			Fields:         []string{"document_type"},
			DocumentValues: map[string]string{"document_type": found},
			Detail:         found,
		}}
	}
	return nil
}
