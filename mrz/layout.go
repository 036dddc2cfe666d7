package mrz

// Positions below index the concatenation of all lines (line 2 of a TD1 starts
// at 30, of a TD3 at 44), as in ICAO 9303 parts 4–7.

// span is a half-open range of positions; the zero span means "absent".
type span struct{ from, to int }

func (p span) ok() bool           { return p.to > p.from }
func (p span) of(s string) string { return s[p.from:p.to] }
func sp(from, to int) span        { return span{from, to} }
func spansLen(ps []span) (n int) {
	for _, p := range ps {
		n += p.to - p.from
	}
	return n
}
func joinSpans(s string, ps []span) string {
	b := make([]byte, 0, spansLen(ps))
	for _, p := range ps {
		b = append(b, s[p.from:p.to]...)
	}
	return string(b)
}

// class says which characters a position may hold.
type class uint8

const (
	classAny          class = iota // A–Z, 0–9, '<' (document numbers, optional data)
	classDigit                     // 0–9 (dates, check digits)
	classAlpha                     // A–Z and '<' (codes, names)
	classSex                       // M, F, X, '<'
	classCheck                     // 0–9, or '<' where ICAO allows an empty field's check to be filler
	classCardCode                  // first character of a TD1/TD2 document code: A, C or I
	classPassportCode              // first character of a TD3 document code: P
	classVisaCode                  // first character of a visa document code: V
)

// checkSpec is one check digit: the digit at pos covers the characters of body.
type checkSpec struct {
	key  string
	body []span
	pos  int
	// fillerOK: an all-filler body may carry '<' as its check digit (TD3 personal number).
	fillerOK bool
}

func (c checkSpec) verify(s string) bool {
	body := joinSpans(s, c.body)
	want, err := CheckDigit(body)
	if err != nil {
		return false
	}
	got := s[c.pos]
	if got == '<' {
		return c.fillerOK && trimFiller(body) == ""
	}
	return int(got-'0') == want && got >= '0' && got <= '9'
}

type layout struct {
	format       Format
	lines, width int
	code         span
	issuing      span
	name         span // whole name field; or the surname alone when givenNames is set
	givenNames   span // FrenchID only
	number       span
	numberCheck  int
	nationality  span
	dob          span
	dobCheck     int
	sex          int
	expiry       span
	expiryCheck  int
	optional     []span
	personal     span // TD3 personal number, with its own check digit
	personalChk  int
	composite    []span
	compositePos int // -1 when the layout has no composite check digit
	longNumber   bool
	classes      []class
}

var layouts = map[Format]*layout{
	TD1: {
		format: TD1, lines: 3, width: 30,
		code: sp(0, 2), issuing: sp(2, 5), number: sp(5, 14), numberCheck: 14,
		optional: []span{sp(15, 30), sp(48, 59)},
		dob:      sp(30, 36), dobCheck: 36, sex: 37, expiry: sp(38, 44), expiryCheck: 44,
		nationality: sp(45, 48), composite: []span{sp(5, 30), sp(30, 37), sp(38, 45), sp(48, 59)}, compositePos: 59,
		name: sp(60, 90), longNumber: true, personalChk: -1,
	},
	TD2: {
		format: TD2, lines: 2, width: 36,
		code: sp(0, 2), issuing: sp(2, 5), name: sp(5, 36),
		number: sp(36, 45), numberCheck: 45, nationality: sp(46, 49), dob: sp(49, 55), dobCheck: 55, sex: 56,
		expiry: sp(57, 63), expiryCheck: 63, optional: []span{sp(64, 71)},
		composite: []span{sp(36, 46), sp(49, 56), sp(57, 71)}, compositePos: 71, longNumber: true, personalChk: -1,
	},
	TD3: {
		format: TD3, lines: 2, width: 44,
		code: sp(0, 2), issuing: sp(2, 5), name: sp(5, 44),
		number: sp(44, 53), numberCheck: 53, nationality: sp(54, 57), dob: sp(57, 63), dobCheck: 63, sex: 64,
		expiry: sp(65, 71), expiryCheck: 71, personal: sp(72, 86), personalChk: 86, optional: []span{sp(72, 86)},
		composite: []span{sp(44, 54), sp(57, 64), sp(65, 87)}, compositePos: 87,
	},
	MRVA: {
		format: MRVA, lines: 2, width: 44,
		code: sp(0, 2), issuing: sp(2, 5), name: sp(5, 44),
		number: sp(44, 53), numberCheck: 53, nationality: sp(54, 57), dob: sp(57, 63), dobCheck: 63, sex: 64,
		expiry: sp(65, 71), expiryCheck: 71, optional: []span{sp(72, 88)}, compositePos: -1, personalChk: -1,
	},
	MRVB: {
		format: MRVB, lines: 2, width: 36,
		code: sp(0, 2), issuing: sp(2, 5), name: sp(5, 36),
		number: sp(36, 45), numberCheck: 45, nationality: sp(46, 49), dob: sp(49, 55), dobCheck: 55, sex: 56,
		expiry: sp(57, 63), expiryCheck: 63, optional: []span{sp(64, 72)}, compositePos: -1, personalChk: -1,
	},
	FrenchID: {
		format: FrenchID, lines: 2, width: 36,
		code: sp(0, 2), issuing: sp(2, 5), name: sp(5, 30), optional: []span{sp(30, 36)},
		number: sp(36, 48), numberCheck: 48, givenNames: sp(49, 63), dob: sp(63, 69), dobCheck: 69, sex: 70,
		composite: []span{sp(0, 71)}, compositePos: 71, personalChk: -1,
	},
}

func init() {
	for _, l := range layouts {
		n := l.lines * l.width
		l.classes = make([]class, n)
		for i := range l.classes {
			l.classes[i] = classAny
		}
		fill := func(p span, c class) {
			for i := p.from; i < p.to; i++ {
				l.classes[i] = c
			}
		}
		fill(l.code, classAlpha)
		fill(l.issuing, classAlpha)
		fill(l.name, classAlpha)
		fill(l.givenNames, classAlpha)
		fill(l.nationality, classAlpha)
		fill(l.dob, classDigit)
		fill(l.expiry, classDigit)
		l.classes[l.sex] = classSex
		l.classes[l.dobCheck] = classDigit
		if l.expiry.ok() {
			l.classes[l.expiryCheck] = classDigit
		}
		// A long document number moves the number's check digit into the
		// optional data, leaving '<' at numberCheck, so it stays classAny there.
		if !l.longNumber {
			l.classes[l.numberCheck] = classDigit
		}
		if l.personalChk >= 0 {
			l.classes[l.personalChk] = classCheck
		}
		if l.compositePos >= 0 {
			l.classes[l.compositePos] = classDigit
		}
		switch l.format {
		case TD1, TD2, FrenchID:
			l.classes[0] = classCardCode
		case TD3:
			l.classes[0] = classPassportCode
		case MRVA, MRVB:
			l.classes[0] = classVisaCode
		}
		if l.format == FrenchID {
			// French ID: positions 5–30 hold the surname, 30–36 an administrative code.
			fill(sp(30, 36), classAny)
		}
	}
}

// longNumberEnd returns, for a TD1/TD2 whose number check position holds '<',
// the position of the real check digit: the last non-filler character of the
// run at the start of the (first) optional data field, which continues the
// number (ICAO 9303-5 §4.2.4, 9303-6). ok is false otherwise.
func longNumberEnd(l *layout, s string) (int, bool) {
	if !l.longNumber || s[l.numberCheck] != '<' {
		return 0, false
	}
	start := l.optional[0].from
	end := start
	limit := l.optional[0].to
	for end < limit && s[end] != '<' {
		end++
	}
	if end == start {
		return 0, false // number exactly 9 characters with a filler check digit: not a long number
	}
	return end - 1, true
}

// numberOf returns the document number text including any long-number extension.
func numberOf(l *layout, s string) string {
	if end, ok := longNumberEnd(l, s); ok {
		return l.number.of(s) + s[l.optional[0].from:end]
	}
	return l.number.of(s)
}

// optionalSpans returns the optional-data spans, excluding a long-number extension.
func optionalSpans(l *layout, s string) []span {
	out := append([]span(nil), l.optional...)
	if end, ok := longNumberEnd(l, s); ok {
		out[0].from = end + 1
	}
	return out
}

// checksFor lists the check digits of a layout for the reading s.
func checksFor(l *layout, s string) []checkSpec {
	var cs []checkSpec
	if end, ok := longNumberEnd(l, s); ok {
		cs = append(cs, checkSpec{key: CheckDocumentNumber, body: []span{l.number, sp(l.optional[0].from, end)}, pos: end})
	} else {
		cs = append(cs, checkSpec{key: CheckDocumentNumber, body: []span{l.number}, pos: l.numberCheck})
	}
	cs = append(cs, checkSpec{key: CheckDateOfBirth, body: []span{l.dob}, pos: l.dobCheck})
	if l.expiry.ok() {
		cs = append(cs, checkSpec{key: CheckDateOfExpiry, body: []span{l.expiry}, pos: l.expiryCheck})
	}
	if l.personalChk >= 0 {
		cs = append(cs, checkSpec{key: CheckPersonalNumber, body: []span{l.personal}, pos: l.personalChk, fillerOK: true})
	}
	if l.compositePos >= 0 {
		cs = append(cs, checkSpec{key: CheckComposite, body: l.composite, pos: l.compositePos})
	}
	return cs
}
