package synth

import (
	"strings"
)

// MRZCheckDigit computes the ICAO 9303 check digit (weights 7-3-1, '<' = 0,
// A = 10 … Z = 35) of s.
func MRZCheckDigit(s string) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10)
}

// mrzText upper-cases s and maps everything outside A–Z0–9 to '<', the way
// ICAO 9303 part 3 transliterates spaces, hyphens and apostrophes. Letters
// with diacritics are not in the synthetic name lists, so no further
// transliteration is needed.
func mrzText(s string) string {
	s = strings.ToUpper(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '\'':
			// apostrophes are dropped (O'NEILL → ONEILL)
		default:
			b.WriteByte('<')
		}
	}
	return b.String()
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// mrzName formats the name field: primary identifier, "<<", secondary
// identifier, truncated to n characters.
func mrzName(id Identity, n int) string {
	return pad(mrzText(id.Surname)+"<<"+mrzText(id.GivenNames), n)
}

// mrzDate turns YYYY-MM-DD into YYMMDD; anything else becomes "<<<<<<".
func mrzDate(d string) string {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return "<<<<<<"
	}
	return d[2:4] + d[5:7] + d[8:10]
}

func mrzSex(s string) string {
	switch s {
	case "M", "F":
		return s
	}
	return "<"
}

// withCheck appends the check digit of field to field.
func withCheck(field string) string { return field + string(MRZCheckDigit(field)) }

// MRZLines returns the machine-readable zone of a passport (TD3, 2×44) or a
// TD1 identity card (3×30) with every check digit, including the composite.
// Other kinds have no MRZ and return nil.
func MRZLines(kind Kind, id Identity) []string {
	country := pad(mrzText(id.IssuingCountry), 3)
	nat := pad(mrzText(id.Nationality), 3)
	docNum := pad(mrzText(id.DocumentNumber), 9)
	dob := mrzDate(id.DateOfBirth)
	exp := mrzDate(id.DateOfExpiry)
	switch kind {
	case Passport:
		l1 := "P<" + country + mrzName(id, 39)
		personal := pad("", 14)
		part1 := withCheck(docNum)
		part2 := withCheck(dob)
		part3 := withCheck(exp)
		part4 := withCheck(personal)
		composite := part1 + part2 + part3 + part4
		l2 := part1 + nat + part2 + mrzSex(id.Sex) + part3 + part4 + string(MRZCheckDigit(composite))
		return []string{l1, l2}
	case IDCard:
		l1 := "I<" + country + withCheck(docNum) + pad("", 15)
		l2 := withCheck(dob) + mrzSex(id.Sex) + withCheck(exp) + nat + pad("", 11)
		composite := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
		l2 += string(MRZCheckDigit(composite))
		return []string{l1, l2, mrzName(id, 30)}
	}
	return nil
}
