package address

import (
	"strings"
	"unicode"

	"github.com/kycgate/kycgate"
	"golang.org/x/text/unicode/norm"
)

// NamePresent reports whether the applicant's name appears on the proof of
// address. Bills write names in many ways (SMITH JOHN, Mr J. Smith, de
// Lattre Alexis), so the rule is: every word of the surname, consecutively,
// and within four words of it the first given name or its initial. Case,
// diacritics (Müller = MULLER = MUELLER) and punctuation are ignored. A
// declared native name (孙晓明) counts when it appears as written, or masked
// the way Chinese bills print names (孙*明): same length, same first
// character, every unmasked character equal.
func NamePresent(text string, p *kycgate.PersonalData) bool {
	if p == nil {
		return false
	}
	if p.NativeName != "" && nativePresent(text, p.NativeName) {
		return true
	}
	surname := words(p.Surname)
	if len(surname) == 0 {
		return false
	}
	given := words(p.GivenNames)
	for _, variant := range []func(string) string{foldBase, foldGerman} {
		toks := tokens(text, variant)
		sn := mapWords(surname, variant)
		var first string
		if len(given) > 0 {
			first = variant(given[0])
		}
		for i := 0; i+len(sn) <= len(toks); i++ {
			if !equalSeq(toks[i:i+len(sn)], sn) {
				continue
			}
			if first == "" {
				return true // mononym: the surname is the whole name
			}
			lo, hi := max(0, i-4), min(len(toks), i+len(sn)+4)
			for j := lo; j < hi; j++ {
				if j >= i && j < i+len(sn) {
					continue
				}
				if toks[j] == first || (len(toks[j]) == 1 && strings.HasPrefix(first, toks[j])) {
					return true
				}
			}
		}
	}
	return false
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFKC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

func tokens(text string, fold func(string) string) []string {
	ws := words(text)
	for i, w := range ws {
		ws[i] = fold(w)
	}
	return ws
}

func mapWords(ws []string, fold func(string) string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = fold(w)
	}
	return out
}

func equalSeq(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// foldBase drops diacritics: é → e, ü → u, ß → ss, ø → o.
func foldBase(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ø':
			b.WriteByte('o')
		case r == 'æ':
			b.WriteString("ae")
		case r == 'œ':
			b.WriteString("oe")
		case r == 'ł':
			b.WriteByte('l')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldGerman writes umlauts the German way (ü → ue), then drops the rest.
func foldGerman(w string) string {
	w = norm.NFC.String(w)
	w = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "å", "aa", "ø", "oe").Replace(w)
	return foldBase(w)
}

func nativePresent(text, name string) bool {
	strip := func(s string) []rune {
		var out []rune
		for _, r := range norm.NFKC.String(s) {
			if !unicode.IsSpace(r) {
				out = append(out, r)
			}
		}
		return out
	}
	n := strip(name)
	t := strip(text)
	if len(n) < 2 {
		return false
	}
	for i := 0; i+len(n) <= len(t); i++ {
		if t[i] != n[0] {
			continue
		}
		ok := true
		for k := 1; k < len(n); k++ {
			c := t[i+k]
			if c == '*' || c == '×' || c == 'X' || c == 'x' {
				continue
			}
			if c != n[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
