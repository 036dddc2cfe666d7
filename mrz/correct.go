package mrz

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Alternative is one candidate character for an MRZ position and its cost:
// 0 for the character as read, larger for less likely readings.
type Alternative struct {
	Char byte
	Cost float64
}

// lookalike cost for text input: one substitution.
const substitutionCost = 1.0

// Look-alike confusions of OCR on OCR-B, in both directions.
var (
	letterToDigit = map[byte]byte{'O': '0', 'Q': '0', 'D': '0', 'U': '0', 'I': '1', 'L': '1', 'J': '1', 'Z': '2', 'A': '4', 'S': '5', 'G': '6', 'T': '7', 'B': '8'}
	digitToLetter = map[byte]byte{'0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '7': 'T', '8': 'B'}
	// fillerLike are what a '<' is commonly read as.
	fillerLike = map[byte]bool{'K': true, 'C': true, 'E': true, 'L': true, 'X': true}
)

// ParseAndCorrect parses OCR output, repairing look-alike confusions only where
// the field type demands a different kind of character (a letter in a date, a
// digit in a country code or name) or where a check digit fails and a
// look-alike substitution makes it verify. Among the repairs that make every
// check digit verify, the one with the fewest substitutions wins; when none
// does, the reading is returned as read (with Valid false). Lines shorter
// than the longest are padded with '<' (OCR drops trailing fillers);
// characters outside the MRZ alphabet become '<' candidates.
func (o Options) ParseAndCorrect(lines []string) (*Document, error) {
	var rows [][][]Alternative
	width := 0
	for _, l := range lines {
		l = strings.ToUpper(strings.Join(strings.Fields(l), ""))
		if l == "" {
			continue
		}
		row := make([][]Alternative, 0, len(l))
		for _, r := range l {
			row = append(row, textAlternatives(r))
		}
		rows = append(rows, row)
		width = max(width, len(row))
	}
	if width == 30 || width == 36 || width == 44 {
		for i, row := range rows {
			for len(row) < width {
				row = append(row, []Alternative{{Char: '<', Cost: substitutionCost}})
			}
			rows[i] = row
		}
	}
	return o.ParseAlternatives(rows)
}

func textAlternatives(r rune) []Alternative {
	if r == '«' {
		return []Alternative{{Char: '<', Cost: 0}}
	}
	if r >= utf8.RuneSelf || charValue(byte(r)) < 0 {
		return []Alternative{{Char: '<', Cost: substitutionCost}}
	}
	c := byte(r)
	alts := []Alternative{{Char: c}}
	if d, ok := letterToDigit[c]; ok {
		alts = append(alts, Alternative{Char: d, Cost: substitutionCost})
	}
	// In alphanumeric fields a letter read as a digit-shaped glyph is rarer
	// than the reverse (numbers are mostly digits), so it costs more and
	// loses ties.
	if l, ok := digitToLetter[c]; ok {
		alts = append(alts, Alternative{Char: l, Cost: substitutionCost * 1.3})
	}
	if c == '0' {
		alts = append(alts, Alternative{Char: 'D', Cost: substitutionCost * 1.5}, Alternative{Char: 'Q', Cost: substitutionCost * 1.5})
	}
	if fillerLike[c] {
		alts = append(alts, Alternative{Char: '<', Cost: substitutionCost})
	}
	return alts
}

// ParseAlternatives parses an MRZ given, for every line and position, the
// candidate characters (best first or in any order; the lowest cost is the
// reading). It chooses per position the candidate that fits the field type and,
// jointly, makes every check digit (including the composite) verify at the
// least total cost. Positions whose candidates cannot satisfy the checks keep
// their cheapest type-conforming candidate.
func (o Options) ParseAlternatives(rows [][][]Alternative) (*Document, error) {
	raw := make([]string, len(rows))
	var flat [][]Alternative
	for i, row := range rows {
		b := make([]byte, len(row))
		for j, alts := range row {
			if len(alts) == 0 {
				return nil, fmt.Errorf("line %d position %d has no candidate: %w", i+1, j+1, ErrCharacter)
			}
			b[j] = cheapest(alts).Char
			flat = append(flat, alts)
		}
		raw[i] = string(b)
	}
	lines, lay, err := normalise(raw)
	if err != nil {
		return nil, err
	}
	s := strings.Join(lines, "")
	out := []byte(s)
	// Type filter: keep candidates the field may hold; a position with none
	// keeps its reading (it will fail validation, not be invented).
	allowed := make([][]Alternative, len(flat))
	for i, alts := range flat {
		for _, a := range alts {
			if classAllows(lay.classes[i], a.Char) {
				if lay.classes[i] == classAny && a.Char >= 'A' && a.Char <= 'Z' {
					a.Cost += o.AlnumLetterCost
				}
				allowed[i] = append(allowed[i], a)
			}
		}
		if len(allowed[i]) == 0 {
			allowed[i] = []Alternative{{Char: s[i]}}
		}
		out[i] = cheapest(allowed[i]).Char
	}
	read := string(out) // the reading after type filtering and priors

	checks := checksFor(lay, read)
	var sub []checkSpec
	var comp *checkSpec
	for i := range checks {
		if checks[i].key == CheckComposite {
			comp = &checks[i]
		} else {
			sub = append(sub, checks[i])
		}
	}
	solved := false
	// A TD2 long document number continues after the birth and expiry dates,
	// so its check interleaves with theirs; the joint programme assumes nested,
	// sequential checks, so such a document is corrected check by check.
	_, long := longNumberEnd(lay, read)
	if comp != nil && !(long && lay.format == TD2) {
		solved = solveChecks(allowed, comp.body, comp.pos, sub, out, o.MaxCorrectionCost)
	}
	if !solved {
		for _, c := range sub {
			solveChecks(allowed, c.body, c.pos, []checkSpec{c}, out, o.MaxCorrectionCost)
		}
	}
	chooseCountry(allowed, lay.issuing, out)
	if lay.nationality.ok() {
		chooseCountry(allowed, lay.nationality, out)
	}
	// French ID given names are separated by "<<", so only its surname field has a tail to clear.
	clearNameTail(allowed, lay.name, out, lay.givenNames.ok())

	fixed := make([]string, len(lines))
	for i := range lines {
		fixed[i] = string(out[i*lay.width : (i+1)*lay.width])
	}
	d := o.build(lay, fixed)
	for i := range out {
		if out[i] != s[i] {
			d.Corrections++
		}
	}
	return d, nil
}

func cheapest(alts []Alternative) Alternative {
	best := alts[0]
	for _, a := range alts[1:] {
		if a.Cost < best.Cost {
			best = a
		}
	}
	return best
}

func classAllows(c class, ch byte) bool {
	switch c {
	case classDigit:
		return ch >= '0' && ch <= '9'
	case classAlpha:
		return ch == '<' || (ch >= 'A' && ch <= 'Z')
	case classSex:
		return ch == 'M' || ch == 'F' || ch == 'X' || ch == '<'
	case classCheck:
		return ch == '<' || (ch >= '0' && ch <= '9')
	case classCardCode:
		return ch == 'A' || ch == 'C' || ch == 'I'
	case classPassportCode:
		return ch == 'P'
	case classVisaCode:
		return ch == 'V'
	}
	return charValue(ch) >= 0
}

// solveChecks chooses characters for the positions of body (in order) and
// the check digit at pos so that the check digit at pos verifies and every
// check in subs (whose bodies and digits lie inside body) verifies too, at
// minimum total cost. It is a dynamic programme over (outer sum mod 10, inner
// sum mod 10, inner body all filler). It writes the solution into out and
// reports whether one exists within maxCost (0: unbounded) of the cheapest
// reading. When subs holds just the outer check itself
// (body and pos equal), only that check is solved.
func solveChecks(allowed [][]Alternative, body []span, pos int, subs []checkSpec, out []byte, maxCost float64) bool {
	type roleT struct {
		sub    int // index into subs, -1 for none
		weight int // weight within the sub body, or -1 for the sub's check digit
	}
	single := len(subs) == 1 && subs[0].pos == pos
	var order []int
	for _, p := range body {
		for i := p.from; i < p.to; i++ {
			order = append(order, i)
		}
	}
	roles := map[int]roleT{}
	if !single {
		for si, c := range subs {
			k := 0
			for _, p := range c.body {
				for i := p.from; i < p.to; i++ {
					roles[i] = roleT{sub: si, weight: weights[k%3]}
					k++
				}
			}
			roles[c.pos] = roleT{sub: si, weight: -1}
		}
	}
	const nStates = 10 * 10 * 2
	inf := math.Inf(1)
	type back struct {
		prev int
		alt  int
	}
	cost := make([]float64, nStates)
	for i := range cost {
		cost[i] = inf
	}
	state := func(outer, inner, fill int) int { return (outer*10+inner)*2 + fill }
	cost[state(0, 0, 1)] = 0
	backs := make([][]back, len(order)+1)
	steps := append(order, pos)
	for t, p := range steps {
		next := make([]float64, nStates)
		for i := range next {
			next[i] = inf
		}
		bk := make([]back, nStates)
		isOuterCheck := t == len(order)
		r, hasRole := roles[p]
		for st, c0 := range cost {
			if c0 == inf {
				continue
			}
			outer, inner, fill := st/20, (st/2)%10, st%2
			for ai, a := range allowed[p] {
				v := charValue(a.Char)
				no, ni, nf := outer, inner, fill
				if isOuterCheck {
					if a.Char == '<' {
						c := checkSpecAt(subs, pos)
						if !(single && c != nil && c.fillerOK && fill == 1 && outer == 0) {
							continue
						}
					} else if a.Char < '0' || a.Char > '9' || v != outer {
						continue
					}
				} else {
					no = (outer + v*weights[t%3]) % 10
					if single {
						nf = b2i(fill == 1 && a.Char == '<')
					}
					if hasRole {
						if r.weight >= 0 {
							ni = (inner + v*r.weight) % 10
							nf = b2i(fill == 1 && a.Char == '<')
						} else {
							ok := a.Char >= '0' && a.Char <= '9' && v == inner
							if a.Char == '<' && subs[r.sub].fillerOK && fill == 1 {
								ok = true
							}
							if !ok {
								continue
							}
							ni, nf = 0, 1
						}
					}
				}
				ns := state(no, ni, nf)
				if nc := c0 + a.Cost; nc < next[ns] {
					next[ns] = nc
					bk[ns] = back{prev: st, alt: ai}
				}
			}
		}
		cost = next
		backs[t] = bk
	}
	best, bestCost := -1, inf
	for st, c := range cost {
		if c < bestCost {
			best, bestCost = st, c
		}
	}
	if best < 0 {
		return false
	}
	if maxCost > 0 {
		// cost above the cheapest candidates
		var base float64
		for _, p := range steps {
			base += cheapest(allowed[p]).Cost
		}
		if bestCost-base > maxCost {
			return false
		}
	}
	st := best
	for t := len(steps) - 1; t >= 0; t-- {
		b := backs[t][st]
		out[steps[t]] = allowed[steps[t]][b.alt].Char
		st = b.prev
	}
	return true
}

func checkSpecAt(subs []checkSpec, pos int) *checkSpec {
	for i := range subs {
		if subs[i].pos == pos {
			return &subs[i]
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// chooseCountry picks, for a 3-character code field, the cheapest combination
// of candidates that is a known ICAO/ISO code; if none is known the cheapest
// reading stays.
func chooseCountry(allowed [][]Alternative, p span, out []byte) {
	if p.to-p.from != 3 {
		return
	}
	a, b, c := allowed[p.from], allowed[p.from+1], allowed[p.from+2]
	bestCost := math.Inf(1)
	var best [3]byte
	for _, x := range a {
		for _, y := range b {
			for _, z := range c {
				code := []byte{x.Char, y.Char, z.Char}
				if _, ok := countryNames[string(code)]; !ok {
					continue
				}
				if cost := x.Cost + y.Cost + z.Cost; cost < bestCost {
					bestCost, best = cost, [3]byte{x.Char, y.Char, z.Char}
				}
			}
		}
	}
	if !math.IsInf(bestCost, 1) {
		copy(out[p.from:p.to], best[:])
	}
}

// clearNameTail turns filler-like misreadings into '<' after the end of the
// name: in a name field the secondary identifier ends at the first "<<" after
// the primary/secondary separator, and ICAO 9303 allows only '<' after it.
// Only positions that have '<' among their candidates change.
func clearNameTail(allowed [][]Alternative, p span, out []byte, secondaryOnly bool) {
	field := string(out[p.from:p.to])
	start := 0
	if !secondaryOnly {
		i := strings.Index(field, "<<")
		if i < 0 {
			return
		}
		start = i + 2
		for start < len(field) && field[start] == '<' {
			start++
		}
	}
	j := strings.Index(field[start:], "<<")
	if j < 0 {
		return
	}
	for k := p.from + start + j; k < p.to; k++ {
		if out[k] == '<' {
			continue
		}
		for _, a := range allowed[k] {
			if a.Char == '<' {
				out[k] = '<'
				break
			}
		}
	}
}
