// Package cnid reads the Chinese resident identity card (居民身份证): the
// citizen identity number of GB 11643-1999 and the printed fields of both
// sides of the card.
//
// The number is 6 digits of administrative region (GB/T 2260), 8 digits of
// birth date (YYYYMMDD), a 3-digit sequence whose parity is the sex (odd
// male, even female) and an ISO 7064 MOD 11-2 check character (0–9 or X).
// Cards issued before 1999 may carry the 15-digit form (2-digit year, no
// check character), which Parse upgrades.
package cnid

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of Parse, wrapped with detail; test with errors.Is.
var (
	ErrLength     = errors.New("cnid: number must have 18 characters (or 15 digits)")
	ErrCharacters = errors.New("cnid: number has characters other than digits and a final X")
	ErrRegion     = errors.New("cnid: unknown region code")
	ErrBirthDate  = errors.New("cnid: invalid birth date")
	ErrCheck      = errors.New("cnid: check character does not match")
)

// Number is a parsed citizen identity number.
type Number struct {
	// Value is the 18-character number (a 15-digit input is upgraded).
	Value string
	// Region is the 6-digit administrative division code.
	Region string
	// Province is the name of the province-level division of Region.
	Province string
	// BirthDate is YYYY-MM-DD.
	BirthDate string
	// Sex is "M" or "F", from the parity of the sequence code.
	Sex string
	// Legacy is true when the input was the 15-digit form.
	Legacy bool
}

// provinces maps the first two digits of a region code to the province-level
// division (GB/T 2260), plus 71 Taiwan and the 81/82/83 codes used by the
// residence permits for Hong Kong, Macao and Taiwan residents.
var provinces = map[string]string{
	"11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
	"21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
	"31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
	"41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
	"50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
	"61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
	"71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区", "83": "台湾地区(居住证)",
}

// ProvinceName returns the province-level division of a region code's
// first two digits, or "" when the code is not assigned.
func ProvinceName(region string) string {
	if len(region) < 2 {
		return ""
	}
	return provinces[region[:2]]
}

// weights of ISO 7064 MOD 11-2 for positions 1–17: 2^(18-i) mod 11.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// CheckChar returns the ISO 7064 MOD 11-2 check character of the first 17
// digits of body, or 0 when body does not start with 17 digits.
func CheckChar(body string) byte {
	if len(body) < 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := body[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// Normalize turns the ways a number is typed or read into its canonical
// form: spaces and hyphens removed, full-width digits and letters made
// half-width, a lower-case x upper-cased. It does not validate.
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == 'Ｘ' || r == 'ｘ' || r == 'x':
			r = 'X'
		case r == ' ' || r == '-' || r == '\u3000' || r == '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Parse validates s (after Normalize) and returns its parts. Validation
// covers length, characters, the province of the region code, a real
// calendar birth date between 1800 and 2099, and the check character.
// Region codes are checked at province level only: the county tables change
// every year and cards keep abolished codes for life, so a finer check would
// reject genuine cards.
func Parse(s string) (Number, error) {
	v := Normalize(s)
	legacy := false
	switch len(v) {
	case 18:
	case 15:
		for i := 0; i < 15; i++ {
			if v[i] < '0' || v[i] > '9' {
				return Number{}, fmt.Errorf("%w: %q", ErrCharacters, redact(v))
			}
		}
		// 15-digit numbers were issued to people born in the 1900s.
		body := v[:6] + "19" + v[6:]
		v = body + string(CheckChar(body))
		legacy = true
	default:
		return Number{}, fmt.Errorf("%w: got %d", ErrLength, len([]rune(v)))
	}
	for i := 0; i < 17; i++ {
		if v[i] < '0' || v[i] > '9' {
			return Number{}, fmt.Errorf("%w at position %d", ErrCharacters, i+1)
		}
	}
	if c := v[17]; (c < '0' || c > '9') && c != 'X' {
		return Number{}, fmt.Errorf("%w at position 18", ErrCharacters)
	}
	n := Number{Value: v, Region: v[:6], Province: ProvinceName(v[:6]), Legacy: legacy}
	if n.Province == "" {
		return n, fmt.Errorf("%w: province %s", ErrRegion, v[:2])
	}
	d, err := time.Parse("20060102", v[6:14])
	if err != nil || d.Year() < 1800 || d.Year() > 2099 {
		return n, fmt.Errorf("%w: %s", ErrBirthDate, v[6:14])
	}
	n.BirthDate = d.Format("2006-01-02")
	if (v[16]-'0')%2 == 1 {
		n.Sex = "M"
	} else {
		n.Sex = "F"
	}
	if want := CheckChar(v); want != v[17] {
		return n, fmt.Errorf("%w: expected %c", ErrCheck, want)
	}
	return n, nil
}

// Valid reports whether s is a valid number (see Parse).
func Valid(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// redact keeps error messages free of personal data: only the length and
// the first two characters (the province) are shown.
func redact(s string) string {
	if len(s) <= 2 {
		return s
	}
	return s[:2] + strings.Repeat("*", len(s)-2)
}
