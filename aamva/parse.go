package aamva

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotAAMVA is returned by Parse when the payload has no AAMVA header and
// no recognisable DL/ID data elements.
var ErrNotAAMVA = errors.New("aamva: not an AAMVA DL/ID payload")

// Header is the AAMVA file header that follows the compliance indicator.
type Header struct {
	// FileType is "ANSI " in every standard since 2000; early cards wrote "AAMVA".
	FileType string
	// IIN is the issuer identification number (636000 = Virginia, …).
	IIN string
	// Version is the AAMVA card design standard version: 1 = DL/ID-2000,
	// 2 = 2003, 3 = 2005, 4 = 2009, … 10 = 2020.
	Version int
	// JurisdictionVersion is the issuer's own version (absent in version 1).
	JurisdictionVersion int
	// Entries is the declared number of subfiles.
	Entries int
}

// Subfile is one subfile (DL, ID, or a jurisdiction-specific Z*) with its
// data elements keyed by their three-letter element ID.
type Subfile struct {
	Type     string
	Elements map[string]string
}

// License is the holder data of an AAMVA barcode, normalised: dates as
// YYYY-MM-DD, sex as M/F/X, names upper-case as printed.
type License struct {
	Header   Header
	Subfiles []Subfile
	// Kind is "DL" (driver's licence) or "ID" (identification card).
	Kind string

	Surname    string
	FirstName  string
	MiddleName string
	// GivenNames is FirstName and MiddleName joined by a space.
	GivenNames string
	// NameTruncated lists "surname", "first_name", "middle_name" when the
	// card marks them truncated (DDE/DDF/DDG = T): a declared name longer
	// than the barcode's is then not necessarily a mismatch.
	NameTruncated []string

	DateOfBirth  string
	DateOfExpiry string
	DateOfIssue  string

	DocumentNumber string
	Sex            string

	Street     string
	City       string
	State      string
	PostalCode string
	Country    string
}

// Element returns the value of a data element, looking in the DL subfile,
// then the ID subfile, then the others.
func (l *License) Element(id string) string {
	for _, want := range []string{"DL", "ID", ""} {
		for _, s := range l.Subfiles {
			if want != "" && s.Type != want {
				continue
			}
			if v, ok := s.Elements[id]; ok {
				return v
			}
		}
	}
	return ""
}

// Fields returns the holder data keyed like kycgate.PersonalData's JSON
// names (surname, given_names, date_of_birth, sex, document_number), plus
// date_of_expiry, date_of_issue, issuing_country and address. Empty values
// are left out so that a comparison skips what the card does not say.
func (l *License) Fields() map[string]string {
	m := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("surname", l.Surname)
	put("given_names", l.GivenNames)
	put("date_of_birth", l.DateOfBirth)
	put("sex", l.Sex)
	put("document_number", l.DocumentNumber)
	put("date_of_expiry", l.DateOfExpiry)
	put("date_of_issue", l.DateOfIssue)
	put("issuing_country", l.Country)
	var addr []string
	for _, p := range []string{l.Street, l.City, strings.TrimSpace(l.State + " " + l.PostalCode)} {
		if p != "" {
			addr = append(addr, p)
		}
	}
	put("address", strings.Join(addr, ", "))
	return m
}

// Parse reads an AAMVA DL/ID payload as decoded from the PDF417 symbol.
//
// It follows the 2000–2020 card design standards but is lenient with what
// real cards and scanners produce: a missing or altered compliance
// indicator ("@\n\x1e\r"), CR+LF or CR as element separators, wrong subfile
// offsets, a version-1 header without jurisdiction version, trailing spaces
// and padding. What it cannot place it leaves empty rather than guessing.
func Parse(data []byte) (*License, error) {
	s := string(data)
	if !utf8.ValidString(s) {
		// The standard's character set is ASCII; issuers that go beyond it
		// write ISO 8859-1, which maps byte for byte onto Unicode.
		r := make([]rune, len(data))
		for i, b := range data {
			r[i] = rune(b)
		}
		s = string(r)
	}
	l := &License{}
	pos := 0
	if i := indexFileType(s); i >= 0 {
		h, next := parseHeader(s, i)
		l.Header = h
		pos = next
		l.Subfiles = parseSubfiles(s, pos, h.Entries)
	}
	if len(l.Subfiles) == 0 {
		// No usable header or designators: take every element-looking line.
		sf := scanElements(s[pos:], "")
		if len(sf.Elements) == 0 {
			return nil, ErrNotAAMVA
		}
		l.Subfiles = []Subfile{sf}
	}
	l.fill()
	if l.Surname == "" && l.DocumentNumber == "" && l.DateOfBirth == "" {
		return nil, fmt.Errorf("%w: no name, number or birth date", ErrNotAAMVA)
	}
	return l, nil
}

// indexFileType finds the file type, "ANSI " or the pre-2000 "AAMVA".
func indexFileType(s string) int {
	limit := min(len(s), 64) // the header sits at the very start
	for _, ft := range []string{"ANSI ", "ANSI", "AAMVA"} {
		if i := strings.Index(s[:limit], ft); i >= 0 {
			return i
		}
	}
	return -1
}

// parseHeader reads the header at s[i:] and returns it with the index of the
// first subfile designator.
func parseHeader(s string, i int) (Header, int) {
	var h Header
	switch {
	case strings.HasPrefix(s[i:], "ANSI "):
		h.FileType, i = "ANSI ", i+5
	case strings.HasPrefix(s[i:], "AAMVA"):
		h.FileType, i = "AAMVA", i+5
	default:
		h.FileType, i = "ANSI", i+4
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	digits := leadingDigits(s[i:])
	// IIN(6) version(2) [jurisdiction version(2)] entries(2), then the
	// first designator: two letters and eight digits. Try the layout with
	// a jurisdiction version first (versions 2+), then the version-1 one.
	if len(digits) >= 8 {
		h.IIN = digits[:6]
		h.Version = atoi(digits[6:8])
		for _, withJur := range []bool{h.Version != 1, h.Version == 1} {
			n := 10
			if withJur {
				n = 12
			}
			if len(digits) < n {
				continue
			}
			if looksLikeDesignator(s[i+n:]) || n == len(digits) && i+n == len(s) {
				if withJur {
					h.JurisdictionVersion = atoi(digits[8:10])
				}
				h.Entries = atoi(digits[n-2 : n])
				return h, i + n
			}
		}
	}
	// Unusual header: skip the digits and let the designator scan cope.
	return h, i + len(digits)
}

// parseSubfiles reads the designators at s[pos:] and cuts out each subfile.
func parseSubfiles(s string, pos, entries int) []Subfile {
	type designator struct {
		typ            string
		offset, length int
	}
	var ds []designator
	p := pos
	for looksLikeDesignator(s[p:]) && len(ds) < 99 {
		ds = append(ds, designator{s[p : p+2], atoi(s[p+2 : p+6]), atoi(s[p+6 : p+10])})
		p += 10
		if entries > 0 && len(ds) == entries {
			break
		}
	}
	var out []Subfile
	searchFrom := p
	for k, d := range ds {
		start := -1
		if d.offset >= p && d.offset+2 <= len(s) && s[d.offset:d.offset+2] == d.typ {
			start = d.offset
		} else if j := findSubfileStart(s, d.typ, searchFrom); j >= 0 {
			// Offsets are often off by one or counted from elsewhere;
			// find the subfile by its type instead.
			start = j
		}
		if start < 0 {
			continue
		}
		end := len(s)
		if d.length > 0 && start+d.length <= len(s) && start == d.offset {
			end = start + d.length
		}
		// Never run into the next subfile, whatever the length says.
		if k+1 < len(ds) {
			if j := findSubfileStart(s, ds[k+1].typ, start+2); j >= 0 && j < end {
				end = j
			}
		}
		sf := scanElements(s[start+2:end], d.typ)
		sf.Type = d.typ
		out = append(out, sf)
		searchFrom = end
	}
	return out
}

// findSubfileStart returns the index of a subfile of type typ at or after
// from: the type followed by an element ID of that subfile.
func findSubfileStart(s, typ string, from int) int {
	for from >= 0 && from < len(s) {
		j := strings.Index(s[from:], typ)
		if j < 0 {
			return -1
		}
		j += from
		if isElementID(s[j+2:], typ) {
			return j
		}
		from = j + 1
	}
	return -1
}

// scanElements splits a subfile body into its data elements. Separators are
// LF (standard), CR (segment terminator, also used as separator by some
// issuers) and RS; spaces padding a value are trimmed.
func scanElements(body, typ string) Subfile {
	sf := Subfile{Elements: map[string]string{}}
	fields := strings.FieldsFunc(body, func(r rune) bool { return r == '\n' || r == '\r' || r == 0x1e || r == 0x1c || r == 0x1d })
	for _, f := range fields {
		f = strings.TrimLeft(f, " ")
		if len(f) < 3 || !isElementID(f, typ) {
			continue
		}
		id := f[:3]
		if _, dup := sf.Elements[id]; dup {
			continue // the first occurrence wins
		}
		sf.Elements[id] = strings.TrimSpace(f[3:])
	}
	return sf
}

// isElementID reports whether s starts with a data element ID belonging to
// a subfile of type typ: D.. for DL/ID subfiles, Zx. for jurisdiction
// subfile Zx, any upper-case ID when the type is unknown.
func isElementID(s, typ string) bool {
	if len(s) < 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	switch {
	case typ == "":
		return true
	case typ[0] == 'Z':
		return s[:2] == typ
	default:
		return s[0] == 'D'
	}
}

func looksLikeDesignator(s string) bool {
	if len(s) < 10 {
		return false
	}
	for i := 0; i < 2; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return len(leadingDigits(s[2:10])) == 8
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
		if n > 1e8 {
			return 0
		}
	}
	return n
}

// fill derives the normalised fields from the elements.
func (l *License) fill() {
	for _, s := range l.Subfiles {
		if s.Type == "DL" || s.Type == "ID" {
			l.Kind = s.Type
			break
		}
	}
	l.Surname = clean(l.Element("DCS"))
	if l.Surname == "" {
		l.Surname = clean(l.Element("DAB")) // version 1
	}
	l.FirstName = clean(l.Element("DAC"))
	l.MiddleName = clean(l.Element("DAD"))
	if l.FirstName == "" && l.MiddleName == "" {
		// Versions 2–3: DCT holds all given names, comma- or space-separated.
		if g := clean(strings.ReplaceAll(l.Element("DCT"), ",", " ")); g != "" {
			first, rest, _ := strings.Cut(g, " ")
			l.FirstName, l.MiddleName = first, strings.TrimSpace(rest)
		}
	}
	if l.Surname == "" || l.FirstName == "" {
		// Version 1 may carry only DAA: "LAST,FIRST,MIDDLE" (or $-separated).
		if full := l.Element("DAA"); full != "" {
			parts := strings.FieldsFunc(full, func(r rune) bool { return r == ',' || r == '$' })
			if len(parts) > 0 && l.Surname == "" {
				l.Surname = clean(parts[0])
			}
			if len(parts) > 1 && l.FirstName == "" {
				l.FirstName = clean(parts[1])
				if len(parts) > 2 {
					l.MiddleName = clean(strings.Join(parts[2:], " "))
				}
			}
		}
	}
	l.GivenNames = strings.TrimSpace(l.FirstName + " " + l.MiddleName)
	for id, name := range map[string]string{"DDE": "surname", "DDF": "first_name", "DDG": "middle_name"} {
		if strings.EqualFold(l.Element(id), "T") {
			l.NameTruncated = append(l.NameTruncated, name)
		}
	}
	slices.Sort(l.NameTruncated)

	l.Country = strings.ToUpper(strings.TrimSpace(l.Element("DCG")))
	l.DateOfBirth = ParseDate(l.Element("DBB"), l.Country)
	l.DateOfExpiry = ParseDate(l.Element("DBA"), l.Country)
	l.DateOfIssue = ParseDate(l.Element("DBD"), l.Country)
	l.DocumentNumber = strings.TrimSpace(l.Element("DAQ"))
	l.Sex = parseSex(l.Element("DBC"))
	l.Street = clean(l.Element("DAG"))
	if s2 := clean(l.Element("DAH")); s2 != "" {
		l.Street = strings.TrimSpace(l.Street + " " + s2)
	}
	l.City = clean(l.Element("DAI"))
	l.State = clean(l.Element("DAJ"))
	l.PostalCode = strings.TrimSpace(l.Element("DAK"))
}

// clean trims a name or address element and drops the placeholders issuers
// write for "no value".
func clean(v string) string {
	v = strings.Join(strings.Fields(v), " ")
	switch strings.ToUpper(v) {
	case "NONE", "UNAVL", "UNAVAILABLE", "N/A":
		return ""
	}
	return v
}

func parseSex(v string) string {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "1", "M":
		return "M"
	case "2", "F":
		return "F"
	case "9", "X":
		return "X" // "not specified"
	}
	return ""
}

// ParseDate converts an AAMVA date to YYYY-MM-DD. The standard writes
// MMDDCCYY for the USA and CCYYMMDD for Canada (and early versions used
// CCYYMMDD everywhere), so the country picks the layout first, and the
// other layout is tried when the first is not a real date. The two cannot
// both be valid for years 1900–2199: MMDDCCYY starts with 01–12, which is
// not such a year. It returns "" when neither layout gives a real date.
func ParseDate(v, country string) string {
	v = strings.TrimSpace(v)
	if len(v) != 8 || len(leadingDigits(v)) != 8 {
		return ""
	}
	mdy := func() string { return validDate(v[4:8], v[0:2], v[2:4]) }
	ymd := func() string { return validDate(v[0:4], v[4:6], v[6:8]) }
	order := []func() string{mdy, ymd}
	if country == "CAN" {
		order = []func() string{ymd, mdy}
	}
	for _, f := range order {
		if d := f(); d != "" {
			return d
		}
	}
	return ""
}

func validDate(y, m, d string) string {
	year, month, day := atoi(y), atoi(m), atoi(d)
	if year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31 {
		return ""
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return "" // 31 April and the like
	}
	return t.Format("2006-01-02")
}

// TruncatedFields maps NameTruncated onto the comparison's field names
// (surname, given_names), for identity.Document.Truncated.
func (l *License) TruncatedFields() map[string]bool {
	m := map[string]bool{}
	for _, n := range l.NameTruncated {
		switch n {
		case "surname":
			m["surname"] = true
		case "first_name", "middle_name":
			m["given_names"] = true
		}
	}
	return m
}
