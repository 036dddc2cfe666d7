// Package mrz parses and validates ICAO 9303 machine-readable zones: TD1 (3×30),
// TD2 (2×36), TD3 (2×44), the visa formats MRV-A (2×44) and MRV-B (2×36), and the
// pre-2021 French national identity card (2×36), which shares the TD2 size but
// not its layout.
//
// Parse reads lines exactly as given. ParseAndCorrect additionally repairs the
// confusions OCR typically makes (O↔0, I↔1, B↔8, S↔5, …, and K/C/E read in
// filler runs), but only where the field type demands it and only when the
// corrected value then satisfies the check digits: a correction is never
// accepted on resemblance alone. ParseAlternatives does the same from per-cell
// candidate lists produced by a recogniser (see package mrzocr).
package mrz

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Format names an MRZ layout.
type Format string

// The layouts this package understands.
const (
	TD1      Format = "TD1"       // ID-1 cards: 3 lines of 30.
	TD2      Format = "TD2"       // ID-2 cards: 2 lines of 36.
	TD3      Format = "TD3"       // passports: 2 lines of 44.
	MRVA     Format = "MRVA"      // full-size visas: 2 lines of 44.
	MRVB     Format = "MRVB"      // small visas: 2 lines of 36.
	FrenchID Format = "FRENCH_ID" // French national ID card 1988–2021: 2 lines of 36, own layout.
)

// Errors returned by Parse; wrapped with context, test with errors.Is.
var (
	ErrLayout    = errors.New("mrz: lines do not match any MRZ layout")
	ErrCharacter = errors.New("mrz: character outside the MRZ alphabet")
)

// Check keys used in Document.Checks.
const (
	CheckDocumentNumber = "document_number" // check digit of the document number
	CheckDateOfBirth    = "date_of_birth"   // check digit of the birth date
	CheckDateOfExpiry   = "date_of_expiry"  // check digit of the expiry date
	CheckPersonalNumber = "personal_number" // TD3 optional-data check digit
	CheckComposite      = "composite"       // composite check digit
	CheckBirthCalendar  = "date_of_birth_calendar"
	CheckExpiryCalendar = "date_of_expiry_calendar"
	CheckSex            = "sex"
	CheckDocumentCode   = "document_code"       // first character fits the layout (A/C/I cards, P passports, V visas)
	CheckIssuingState   = "issuing_state_known" // code is in the ICAO/ISO list
	CheckNationality    = "nationality_known"   // code is in the ICAO/ISO list
)

// Date is a calendar date without time zone: MRZ dates are civil dates and must
// not shift when converted between zones. The zero Date means "unreadable".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether the date is unset or unreadable.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats the date as ISO 8601 (YYYY-MM-DD), or "" when zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Document is one parsed MRZ.
type Document struct {
	Format         Format
	DocumentCode   string // e.g. "P", "I", "ID", "V", "AC" (filler removed)
	IssuingState   string // 3-letter code, filler kept for "D<<" style codes trimmed: "D"
	Surname        string // primary identifier, fillers as spaces
	GivenNames     string // secondary identifier, fillers as spaces
	DocumentNumber string // fillers removed; long TD1/TD2 numbers joined
	Nationality    string
	DateOfBirth    Date
	Sex            string // "M", "F" or "X" (unspecified)
	DateOfExpiry   Date
	OptionalData   string // optional data fields, fillers trimmed; TD1 fields joined by a space
	Lines          []string
	// Valid is true when every check digit verifies and every date and the sex
	// field are well-formed. Unknown country codes are reported in Checks but
	// do not clear Valid: states and organisations receive new codes, and ICAO
	// specimens use UTO.
	Valid  bool
	Checks map[string]bool
	// Corrections counts the characters ParseAndCorrect or ParseAlternatives
	// changed from the raw reading.
	Corrections int
}

// Options tunes parsing.
type Options struct {
	// Now is the reference time for the birth-year century pivot; zero means time.Now().
	Now time.Time
	// AlnumLetterCost is added to letter candidates in alphanumeric fields
	// (document number, optional data) by ParseAlternatives: those fields
	// hold mostly digits, so when a recogniser finds O and 0 (or I and 1)
	// nearly equally likely the digit should win unless a check digit says
	// otherwise. Zero (the default) adds nothing.
	AlnumLetterCost float64
	// MaxCorrectionCost bounds the total cost of the candidates
	// ParseAlternatives may choose over the cheapest ones to make the check
	// digits verify. With many candidates per position some combination
	// satisfies a check digit by chance (one in ten per digit), so an
	// expensive repair is more likely invented than read; above the bound
	// the reading stays uncorrected and invalid. Zero means no bound.
	MaxCorrectionCost float64
}

// Parse parses MRZ lines (2 or 3 lines; surrounding spaces ignored, lower case
// accepted) with the current time as the birth-century pivot.
func Parse(lines []string) (*Document, error) { return Options{}.Parse(lines) }

// ParseAndCorrect parses lines read by OCR, repairing look-alike confusions
// where the field type and the check digits single out the repair.
func ParseAndCorrect(lines []string) (*Document, error) { return Options{}.ParseAndCorrect(lines) }

// Parse parses the lines exactly as read.
func (o Options) Parse(lines []string) (*Document, error) {
	norm, lay, err := normalise(lines)
	if err != nil {
		return nil, err
	}
	return o.build(lay, norm), nil
}

// CountryName returns the name of an MRZ country code ("D" or "D<<" for Germany) and
// whether the code is in the ICAO 9303 / ISO 3166 list.
func CountryName(code string) (string, bool) {
	for len(code) < 3 {
		code += "<"
	}
	n, ok := countryNames[code]
	return n, ok
}

// CheckDigit computes the ICAO 9303 check digit of s (weights 7,3,1; digits
// count their value, A–Z count 10–35, '<' counts 0).
func CheckDigit(s string) (int, error) {
	sum := 0
	for i := 0; i < len(s); i++ {
		v := charValue(s[i])
		if v < 0 {
			return 0, fmt.Errorf("check digit of %q: %w", s, ErrCharacter)
		}
		sum += v * weights[i%3]
	}
	return sum % 10, nil
}

var weights = [3]int{7, 3, 1}

func charValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c == '<':
		return 0
	}
	return -1
}

func normalise(lines []string) ([]string, *layout, error) {
	var norm []string
	for _, l := range lines {
		l = strings.ToUpper(strings.TrimSpace(l))
		if l == "" {
			continue
		}
		norm = append(norm, l)
	}
	lay := detectLayout(norm)
	if lay == nil {
		widths := make([]int, len(norm))
		for i, l := range norm {
			widths[i] = len(l)
		}
		return nil, nil, fmt.Errorf("%d lines of widths %v: %w", len(norm), widths, ErrLayout)
	}
	for i, l := range norm {
		for j := 0; j < len(l); j++ {
			if charValue(l[j]) < 0 {
				return nil, nil, fmt.Errorf("line %d position %d: %w", i+1, j+1, ErrCharacter)
			}
		}
	}
	return norm, lay, nil
}

func detectLayout(lines []string) *layout {
	if len(lines) < 2 || len(lines) > 3 {
		return nil
	}
	w := len(lines[0])
	if w < 30 {
		return nil
	}
	for _, l := range lines {
		if len(l) != w {
			return nil
		}
	}
	// The document code and issuing state are letters in every layout, so
	// read digits there as their look-alike letters to tell layouts apart
	// even in uncorrected OCR output.
	head := []byte(lines[0][:5])
	for i, c := range head {
		if l, ok := digitToLetter[c]; ok {
			head[i] = l
		}
	}
	if head[1] == '0' {
		head[1] = 'O'
	}
	switch {
	case len(lines) == 3 && w == 30:
		return layouts[TD1]
	case len(lines) == 2 && w == 44 && head[0] == 'V':
		return layouts[MRVA]
	case len(lines) == 2 && w == 44:
		return layouts[TD3]
	case len(lines) == 2 && w == 36 && head[0] == 'V':
		return layouts[MRVB]
	case len(lines) == 2 && w == 36 && string(head) == "IDFRA" && lines[1][10:13] != "FRA":
		return layouts[FrenchID]
	case len(lines) == 2 && w == 36:
		return layouts[TD2]
	}
	return nil
}

// build fills a Document from normalised lines of a known layout.
func (o Options) build(lay *layout, lines []string) *Document {
	s := strings.Join(lines, "")
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := &Document{Format: lay.format, Lines: lines, Checks: map[string]bool{}}
	d.DocumentCode = trimFiller(lay.code.of(s))
	d.IssuingState = trimFiller(lay.issuing.of(s))
	if lay.nationality.ok() {
		d.Nationality = trimFiller(lay.nationality.of(s))
	} else {
		d.Nationality = d.IssuingState
	}
	if lay.givenNames.ok() {
		d.Surname = nameText(lay.name.of(s))
		d.GivenNames = nameText(lay.givenNames.of(s))
	} else {
		d.Surname, d.GivenNames = splitName(lay.name.of(s))
	}
	d.DocumentNumber = trimFiller(strings.ReplaceAll(numberOf(lay, s), "<", ""))
	var opt []string
	for _, sp := range optionalSpans(lay, s) {
		if t := trimFiller(sp.of(s)); t != "" {
			opt = append(opt, strings.ReplaceAll(t, "<", " "))
		}
	}
	d.OptionalData = strings.Join(opt, " ")

	sex := s[lay.sex]
	switch sex {
	case 'M', 'F', 'X':
		d.Sex = string(sex)
	case '<':
		d.Sex = "X"
	}
	d.Checks[CheckSex] = d.Sex != ""
	d.Checks[CheckDocumentCode] = classAllows(lay.classes[0], s[0])

	dob, okb := birthDate(lay.dob.of(s), now)
	d.DateOfBirth = dob
	d.Checks[CheckBirthCalendar] = okb
	if lay.expiry.ok() {
		exp, oke := expiryDate(lay.expiry.of(s), now)
		d.DateOfExpiry = exp
		d.Checks[CheckExpiryCalendar] = oke
	}
	for _, c := range checksFor(lay, s) {
		d.Checks[c.key] = c.verify(s)
	}
	_, d.Checks[CheckIssuingState] = CountryName(lay.issuing.of(s))
	if lay.nationality.ok() {
		_, d.Checks[CheckNationality] = CountryName(lay.nationality.of(s))
	}
	d.Valid = true
	for k, v := range d.Checks {
		if k == CheckIssuingState || k == CheckNationality {
			continue
		}
		d.Valid = d.Valid && v
	}
	return d
}

func trimFiller(s string) string { return strings.Trim(s, "<") }

// nameText turns a name field into words: fillers become spaces, runs collapse.
func nameText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}

// splitName splits a name field at the first "<<" into primary and secondary identifiers.
func splitName(s string) (surname, given string) {
	if i := strings.Index(s, "<<"); i >= 0 {
		return nameText(s[:i]), nameText(s[i+2:])
	}
	return nameText(s), ""
}

func birthDate(s string, now time.Time) (Date, bool) {
	d, ok := yymmdd(s)
	if !ok {
		return Date{}, false
	}
	// Century pivot: a birth date cannot be in the future.
	d.Year += 2000
	if d.Year > now.Year() || (d.Year == now.Year() && (d.Month > now.Month() || (d.Month == now.Month() && d.Day > now.Day()))) {
		d.Year -= 100
	}
	return d, true
}

func expiryDate(s string, now time.Time) (Date, bool) {
	d, ok := yymmdd(s)
	if !ok {
		return Date{}, false
	}
	// Expiry dates are 20xx, except that a year more than 50 years ahead of
	// now can only be a 19xx document (e.g. a 1997 visa read in 2026).
	d.Year += 2000
	if d.Year > now.Year()+50 {
		d.Year -= 100
	}
	return d, true
}

func yymmdd(s string) (Date, bool) {
	if len(s) != 6 {
		return Date{}, false
	}
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return Date{}, false
		}
	}
	y := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[2]-'0')*10 + int(s[3]-'0')
	day := int(s[4]-'0')*10 + int(s[5]-'0')
	if m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
		return Date{}, false
	}
	return Date{Year: y, Month: time.Month(m), Day: day}, true
}

func daysIn(yy, m int) int {
	switch m {
	case 2:
		if yy%4 == 0 { // 2000 is a leap year too, so YY%4 decides for 1901–2099
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

//go:generate go run ./internal/gencountries -in ../../shared/testdata/country_codes/mrz_country_codes.csv -out countries_table.go

// Fields returns the document's data keyed like the declared-data contract
// (docs: surname, given_names, date_of_birth, sex, nationality,
// document_number, issuing_country, date_of_expiry), values in the declared
// format: dates YYYY-MM-DD, sex M/F/X, country codes without filler ("D"
// for Germany). Unreadable dates are omitted.
func (d *Document) Fields() map[string]string {
	f := map[string]string{
		"surname":         d.Surname,
		"given_names":     d.GivenNames,
		"sex":             d.Sex,
		"nationality":     d.Nationality,
		"document_number": d.DocumentNumber,
		"issuing_country": d.IssuingState,
	}
	if !d.DateOfBirth.IsZero() {
		f["date_of_birth"] = d.DateOfBirth.String()
	}
	if !d.DateOfExpiry.IsZero() {
		f["date_of_expiry"] = d.DateOfExpiry.String()
	}
	return f
}
