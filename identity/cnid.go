package identity

import (
	"errors"
	"time"
)

// CNID is what a Chinese resident identity number (GB 11643-1999) says.
type CNID struct {
	Region    string    // six-digit administrative division code
	BirthDate time.Time // UTC midnight
	Sex       string    // M (odd sequence digit) or F (even)
}

// cnProvinces are the first two digits of the region codes in use: the
// provinces, autonomous regions and municipalities, plus 71 (Taiwan),
// 81/82 (Hong Kong, Macao residence permits) and 83 (Taiwan residents'
// permits). A full county table would reject more invented numbers but
// goes stale (codes are retired and reassigned; old numbers stay valid).
var cnProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// cnWeights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11.
var cnWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// CNIDCheckChar returns the ISO 7064 MOD 11-2 check character of the first
// 17 digits of a citizen number.
func CNIDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, errors.New("need 17 digits")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, errors.New("the first 17 characters must be digits")
		}
		sum += int(c-'0') * cnWeights[i]
	}
	return "10X98765432"[sum%11], nil
}

// ParseCNID validates an 18-character citizen identity number: 17 digits
// and a check character (digit or X, upper or lower case), a known
// province, a real birth date from 1900 on, and the MOD 11-2 check. The
// 15-digit first-generation numbers are refused: those cards expired in
// 2013, so no current card carries one.
func ParseCNID(n string) (CNID, error) {
	if len(n) == 15 {
		return CNID{}, errors.New("a 15-digit first-generation number is no longer on any valid card")
	}
	if len(n) != 18 {
		return CNID{}, errors.New("a Chinese resident identity number has 18 characters")
	}
	last := n[17]
	if last == 'x' {
		last = 'X'
	}
	want, err := CNIDCheckChar(n[:17])
	if err != nil {
		return CNID{}, err
	}
	if !(last >= '0' && last <= '9') && last != 'X' {
		return CNID{}, errors.New("the last character must be a digit or X")
	}
	if !cnProvinces[n[:2]] {
		return CNID{}, errors.New("unknown region code")
	}
	y, m, d := atoi(n[6:10]), atoi(n[10:12]), atoi(n[12:14])
	bd := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || m < 1 || m > 12 || d < 1 || bd.Day() != d || bd.Month() != time.Month(m) {
		return CNID{}, errors.New("the birth date in the number is not a real date")
	}
	if last != want {
		return CNID{}, errors.New("the check character does not match (ISO 7064 MOD 11-2)")
	}
	sex := "F"
	if (n[16]-'0')%2 == 1 {
		sex = "M"
	}
	return CNID{Region: n[:6], BirthDate: bd, Sex: sex}, nil
}
