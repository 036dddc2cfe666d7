package identity

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the comparison form of a value read from a document or
// declared by the applicant. It applies only these steps, in order:
//
//  1. Unicode NFKC: full-width letters, digits and spaces become their
//     ASCII forms (Ｓ→S, ０→0, U+3000→space), ligatures and compatibility
//     characters their canonical letters (ﬁ→fi), composed accents stay
//     composed (é is one rune).
//  2. The MRZ filler '<' becomes a space when the value comes from the MRZ.
//  3. Middle-dot variants (・ • ‧ ･) become U+00B7 '·', the separator of
//     transliterated minority names on Chinese documents.
//  4. Latin letters are folded to upper case (ß stays ß: its upper case is
//     "SS", a different spelling outside the MRZ). Other scripts are left
//     as they are; no letter is ever mapped to another script's look-alike.
//  5. Runs of white space collapse to one space; leading and trailing space
//     is trimmed; a space between two CJK characters is removed (孙 晓明 is
//     孙晓明).
//
// Nothing else: punctuation, invisible characters (zero-width space, joiners,
// bidi controls) and diacritics are kept, so a different spelling stays a
// mismatch. Diacritics meet the MRZ through transliteration in Match, not
// here.
func Normalize(s string, src Source) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if src == SourceMRZ && r == '<' {
			r = ' '
		}
		switch r {
		case '\u30FB', '\u2022', '\u2027', '\uFF65', '\u2219':
			r = '\u00B7'
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if unicode.Is(unicode.Latin, r) && r != 'ß' {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return removeCJKSpaces(b.String())
}

func removeCJKSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	out := rs[:0]
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && isCJK(rs[i-1]) && isCJK(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == '\u00B7'
}

// mrzTransliterations maps the Latin letters that ICAO Doc 9303 part 3
// (section 6, "Transliterations recommended for use by States") writes as
// something other than their base letter. Where the standard offers a
// choice (Ä → AE or A) every option is listed; which one an issuing State
// chose is not knowable from the MRZ, so either matches. Letters not in
// this table lose their diacritics (É → E) through canonical decomposition.
var mrzTransliterations = map[rune][]string{
	'Ä': {"AE", "A"}, 'Ö': {"OE", "O"}, 'Ü': {"UE", "U"},
	'Å': {"AA", "A"}, 'Æ': {"AE"}, 'Ø': {"OE"}, 'Œ': {"OE"},
	'ß': {"SS"}, 'ẞ': {"SS"}, 'Þ': {"TH"}, 'Ĳ': {"IJ"},
	'Ñ': {"N", "NXX"}, 'Ð': {"D"}, 'Đ': {"D"}, 'Ł': {"L"}, 'Ħ': {"H"},
	'ı': {"I"}, 'Ŧ': {"T"}, 'Ŋ': {"N"}, 'ĸ': {"K"}, 'ſ': {"S"},
	'Ŀ': {"L"}, 'ŉ': {"N"},
}

// mrzOptions returns the MRZ spellings of one (normalised, upper-case)
// declared rune: itself if it is already an MRZ character, the options of
// the transliteration table, or its base letter. Spaces, hyphens and
// apostrophes become a space (ICAO writes punctuation in names as '<' or
// drops it: O'NEILL → ONEILL or O<NEILL), so they may also vanish.
func mrzOptions(r rune) []string {
	if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
		return []string{string(r)}
	}
	switch r {
	case ' ', '-', '‐', '\'', '’', ',', '.':
		return []string{" ", ""}
	}
	if o, ok := mrzTransliterations[unicode.ToUpper(r)]; ok {
		return o
	}
	if o, ok := mrzTransliterations[r]; ok {
		return o
	}
	// Canonical decomposition: É = E + U+0301; keep the base if it is A–Z.
	d := []rune(norm.NFD.String(string(r)))
	if len(d) > 1 {
		base := unicode.ToUpper(d[0])
		if base >= 'A' && base <= 'Z' {
			allMarks := true
			for _, m := range d[1:] {
				if !unicode.Is(unicode.Mn, m) {
					allMarks = false
				}
			}
			if allMarks {
				return []string{string(base)}
			}
		}
	}
	return nil // no MRZ spelling: cannot match
}

// matchMRZ reports whether the MRZ value (normalised: A–Z, 0–9, single
// spaces) is a transliteration of the declared value (normalised), or —
// when truncated is set — a prefix of one. It is a dynamic programme over
// (declared position, MRZ position), so the choices of the table (AE or A)
// cost O(len(declared) × len(mrz)).
func matchMRZ(declared, mrz string, truncated bool) bool {
	d := []rune(declared)
	m := mrz
	type key struct{ i, j int }
	memo := map[key]bool{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		if j == len(m) {
			if i == len(d) {
				return true
			}
			if truncated {
				return true
			}
			// Trailing declared punctuation may vanish.
			for _, o := range mrzOptions(d[i]) {
				if o == "" {
					return rec(i+1, j)
				}
			}
			return false
		}
		if i == len(d) {
			return false
		}
		k := key{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		ok := false
		for _, o := range mrzOptions(d[i]) {
			if o == "" {
				ok = rec(i+1, j)
			} else if strings.HasPrefix(m[j:], o) {
				ok = rec(i+1, j+len(o))
			} else if truncated && strings.HasPrefix(o, m[j:]) {
				ok = true // the MRZ was cut inside a multi-letter spelling
			}
			if ok {
				break
			}
		}
		memo[k] = ok
		return ok
	}
	return rec(0, 0)
}
