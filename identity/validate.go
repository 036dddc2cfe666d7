package identity

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kycgate/kycgate"
)

// FieldError is one problem with a declared field.
type FieldError struct {
	// Field is the JSON name of the field (surname, date_of_birth, …).
	Field string `json:"field"`
	// Code is DOCUMENT_NUMBER_INVALID for a number that fails its format or
	// checksum, INVALID_INPUT otherwise.
	Code string `json:"code"`
	// Message says what is wrong, in English, without echoing the value.
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

//go:embed country_codes.txt
var countryCodesTxt string

// countryCodes holds ISO 3166-1 alpha-3 and the ICAO 9303 codes.
var countryCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(countryCodesTxt, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// IsCountryCode reports whether c is an ISO 3166-1 alpha-3 code or one of
// the codes ICAO 9303 part 3 adds for travel documents (D, GBD, RKS, UNO,
// XXA, …, and the specimen state UTO). Codes are upper case.
func IsCountryCode(c string) bool { return countryCodes[c] }

// Limits on declared names. ICAO's MRZ name field is 39 characters; VIZ
// names run longer, and a declared name must hold the full name, so the
// limit is generous while still bounding storage and comparisons.
const (
	maxNameRunes    = 100
	maxAddressRunes = 300
	minBirthYear    = 1900
)

// ValidatePersonalData checks declared level-1 data before any document is
// compared with it, and returns every problem found (nil when there is
// none). today is the reference date: a birth date after it is refused.
//
// Rules: surname required, given_names optional (mononyms exist), names
// made of letters (any script), combining marks, spaces, hyphens,
// apostrophes and dots, at most 100 characters, no digits, no control or
// invisible characters; date_of_birth a real YYYY-MM-DD date from 1900 up
// to today; sex empty or M/F/X; nationality (required) and issuing_country
// (optional) known codes; document_type passport, id_card or
// driver_license; document_number per the document's rules (CheckDocumentNumber).
func ValidatePersonalData(p *kycgate.PersonalData, today time.Time) []FieldError {
	if p == nil {
		return []FieldError{{Field: "personal_data", Code: kycgate.ErrInvalidInput, Message: "missing"}}
	}
	var errs []FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	invalid := kycgate.ErrInvalidInput

	if msg := checkName(p.Surname, true); msg != "" {
		add("surname", invalid, "%s", msg)
	}
	if msg := checkName(p.GivenNames, false); msg != "" {
		add("given_names", invalid, "%s", msg)
	}
	if msg := checkNativeName(p.NativeName); msg != "" {
		add("native_name", invalid, "%s", msg)
	}

	dob, dobOK := time.Time{}, false
	switch {
	case p.DateOfBirth == "":
		add("date_of_birth", invalid, "required")
	default:
		t, err := time.Parse("2006-01-02", p.DateOfBirth)
		switch {
		case err != nil:
			add("date_of_birth", invalid, "not a real date in the form YYYY-MM-DD")
		case t.Year() < minBirthYear:
			add("date_of_birth", invalid, "before %d", minBirthYear)
		case t.After(civilDate(today)):
			add("date_of_birth", invalid, "in the future")
		default:
			dob, dobOK = t, true
		}
	}

	switch p.Sex {
	case "", "M", "F", "X":
	default:
		add("sex", invalid, "must be M, F or X")
	}

	if p.Nationality == "" {
		add("nationality", invalid, "required")
	} else if !IsCountryCode(p.Nationality) {
		add("nationality", invalid, "not an ISO 3166-1 alpha-3 or ICAO code (upper case)")
	}
	if p.IssuingCountry != "" && !IsCountryCode(p.IssuingCountry) {
		add("issuing_country", invalid, "not an ISO 3166-1 alpha-3 or ICAO code (upper case)")
	}

	switch p.DocumentType {
	case kycgate.DocPassport, kycgate.DocIDCard, kycgate.DocDriverLicense:
		issuer := p.IssuingCountry
		if issuer == "" {
			issuer = p.Nationality // an ID card is issued by the holder's state
		}
		errs = append(errs, CheckDocumentNumber(p.DocumentType, issuer, p.DocumentNumber)...)
		if dobOK && p.DocumentType == kycgate.DocIDCard && issuer == "CHN" && len(p.DocumentNumber) == 18 {
			if id, err := ParseCNID(p.DocumentNumber); err == nil {
				if !id.BirthDate.Equal(dob) {
					add("document_number", string(kycgate.DocumentNumberInvalid), "the birth date in the number differs from date_of_birth")
				}
				if p.Sex == "M" || p.Sex == "F" {
					if id.Sex != p.Sex {
						add("document_number", string(kycgate.DocumentNumberInvalid), "the sex digit of the number differs from sex")
					}
				}
			}
		}
	case "":
		add("document_type", invalid, "required")
	default:
		add("document_type", invalid, "must be passport, id_card or driver_license")
	}

	if n := utf8.RuneCountInString(p.Address); n > maxAddressRunes {
		add("address", invalid, "longer than %d characters", maxAddressRunes)
	} else if hasForbidden(p.Address) {
		add("address", invalid, "contains control or invisible characters")
	}
	return errs
}

// civilDate is t's calendar date at midnight UTC, the form time.Parse gives
// dates, so that a birth date equal to today is not "in the future".
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// checkName returns what is wrong with a Latin-script (or any-script)
// declared name, or "".
func checkName(s string, required bool) string {
	if strings.TrimSpace(s) == "" {
		if required {
			return "required"
		}
		return ""
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	if utf8.RuneCountInString(s) > maxNameRunes {
		return fmt.Sprintf("longer than %d characters", maxNameRunes)
	}
	if hasForbidden(s) {
		return "contains control or invisible characters"
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.Mn, r), r == ' ', r == '-', r == '\'', r == '’', r == '.', r == '‐':
		case unicode.IsDigit(r):
			return "contains digits"
		default:
			return fmt.Sprintf("contains the character %q, which names do not use", r)
		}
	}
	if letters == 0 {
		return "has no letters"
	}
	return ""
}

// checkNativeName allows what checkName allows plus the middle dot that
// separates parts of transliterated names on Chinese documents.
func checkNativeName(s string) string {
	return checkName(strings.NewReplacer("·", "", "・", "", "•", "").Replace(s), false)
}

// hasForbidden reports control characters and invisible format characters
// (zero-width space and joiners, bidi overrides, BOM): they make two
// different strings look the same, so declared data must not contain them.
func hasForbidden(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

// CheckDocumentNumber checks a declared document number against the
// format of its document type and issuing state, and returns the problems
// (code DOCUMENT_NUMBER_INVALID). Rules:
//
//   - every type: required, at most 20 characters;
//   - passport: 1–9 letters or digits (the MRZ document-number field is 9
//     characters; longer numbers exist only on TD1 cards);
//   - id_card issued by CHN: the 18-character citizen number of
//     GB 11643-1999 (region, birth date, sequence, ISO 7064 MOD 11-2 check
//     character; see ParseCNID);
//   - other id_card and driver_license: letters, digits and inner hyphens
//     or spaces (US licences and European cards use both).
func CheckDocumentNumber(docType, issuer, number string) []FieldError {
	code := string(kycgate.DocumentNumberInvalid)
	bad := func(msg string) []FieldError {
		return []FieldError{{Field: "document_number", Code: code, Message: msg}}
	}
	n := strings.TrimSpace(number)
	if n == "" {
		return bad("required")
	}
	if utf8.RuneCountInString(n) > 20 {
		return bad("longer than 20 characters")
	}
	alnum := func(r rune) bool { return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') }
	switch {
	case docType == kycgate.DocPassport:
		if len(n) > 9 {
			return bad("a passport number has at most 9 letters or digits")
		}
		for _, r := range n {
			if !alnum(r) {
				return bad("a passport number has only letters and digits")
			}
		}
	case docType == kycgate.DocIDCard && issuer == "CHN":
		if _, err := ParseCNID(n); err != nil {
			return bad(err.Error())
		}
	default:
		for i, r := range n {
			if alnum(r) {
				continue
			}
			if (r == '-' || r == ' ') && i > 0 && i < len(n)-1 {
				continue
			}
			return bad("only letters, digits and inner hyphens or spaces are allowed")
		}
	}
	return nil
}
