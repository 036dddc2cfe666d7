package docread

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/kycgate/kycgate/ocr"
	"github.com/kycgate/kycgate/ocr/prep"
)

// Printed (visual inspection zone) reading for Latin-script documents.
// Two layouts cover ICAO cards and passports and AAMVA licences:
//   - label above value (ICAO 9303 VIZ): a line of captions such as
//     "Surname", "Date of birth  Sex  Nationality", and under it a line of
//     values, one per caption column;
//   - numbered label left of value (AAMVA card design: "1 SURNAME",
//     "4b EXP 10/15/2027").

// textLine is one OCR line with its words.
type textLine struct {
	words []ocr.Word
}

func linesOf(t ocr.Text) []textLine {
	var out []textLine
	idx := map[int]int{}
	for _, w := range t.Words {
		if strings.TrimSpace(w.Text) == "" {
			continue
		}
		i, ok := idx[w.Line]
		if !ok {
			i = len(out)
			idx[w.Line] = i
			out = append(out, textLine{})
		}
		out[i].words = append(out[i].words, w)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].words[0].Box.Min.Y < out[j].words[0].Box.Min.Y })
	return out
}

// caption is a field caption in the label-above-value layout, in the
// normalised form (upper case letters only).
type caption struct {
	field string
	words []string // consecutive words, each matched by prefix tolerance
}

// vizCaptions are the ICAO VIZ captions of TD1 cards and TD3 passport
// pages (the English part of bilingual captions such as "Surname / Nom").
var vizCaptions = []caption{
	{"document_number", []string{"DOCUMENT", "NO"}},
	{"document_number", []string{"PASSPORT", "NO"}},
	{"document_number", []string{"CARD", "NO"}},
	{"surname", []string{"SURNAME"}},
	// "Name" alone is the surname on TD1 cards but the full name on
	// some passports ("Name / Nom: ERIKSSON, ANNA MARIA").
	{"name", []string{"NAME"}},
	{"given_names", []string{"GIVEN", "NAMES"}},
	{"given_names", []string{"GIVEN", "NAME"}},
	{"date_of_birth", []string{"DATE", "OF", "BIRTH"}},
	{"sex", []string{"SEX"}},
	{"nationality", []string{"NATIONALITY"}},
	{"date_of_expiry", []string{"DATE", "OF", "EXPIRY"}},
}

func letters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// near reports whether OCR word w reads as caption word c, allowing one
// wrong letter in words of five or more ("Sumame" for "Surname" is two
// letters but one glyph pair, so rn→m is also accepted).
func near(w, c string) bool {
	w = letters(w)
	if w == c {
		return true
	}
	if len(c) < 5 {
		return false
	}
	for i := 0; i < len(w); i++ { // "rn" read as "m"
		if w[i] == 'M' && w[:i]+"RN"+w[i+1:] == c {
			return true
		}
	}
	return editDistanceAtMost1(w, c)
}

// editDistanceAtMost1 reports whether a and b differ by at most one
// substitution, insertion or deletion.
func editDistanceAtMost1(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+min(1, len(a)-i):] == b[i+min(1, len(b)-i):]
	}
	return a[i:] == b[i+1:]
}

type column struct {
	field string
	x0    int
}

// captionColumns finds captions in a line and returns their columns. A
// field's caption counts once per line: the French half of "Nationality /
// Nationalité" reads as a second NATIONALITY and must not start a column.
func captionColumns(l textLine) []column {
	var cols []column
	seen := map[string]bool{}
	for i := 0; i < len(l.words); i++ {
		for _, c := range vizCaptions {
			if seen[c.field] {
				continue
			}
			if i+len(c.words) > len(l.words) {
				continue
			}
			ok := true
			for j, cw := range c.words {
				if !near(l.words[i+j].Text, cw) {
					ok = false
					break
				}
			}
			if ok {
				seen[c.field] = true
				cols = append(cols, column{c.field, l.words[i].Box.Min.X})
				i += len(c.words) - 1
				break
			}
		}
	}
	return cols
}

// labelAbove reads fields in the label-above-value layout: each caption
// line's columns take the words of the next line that start at or after
// the column's caption (and before the next caption).
func labelAbove(lines []textLine) map[string]string {
	out := map[string]string{}
	for k, words := range labelAboveWords(lines) {
		var texts []string
		for _, w := range words {
			texts = append(texts, w.Text)
		}
		out[k] = strings.Join(texts, " ")
	}
	return out
}

// labelAboveWords is labelAbove keeping the words (with their boxes and
// confidences) of each value.
func labelAboveWords(lines []textLine) map[string][]ocr.Word {
	out := map[string][]ocr.Word{}
	for i := 0; i+1 < len(lines); i++ {
		cols := captionColumns(lines[i])
		if len(cols) == 0 {
			continue
		}
		next := lines[i+1]
		if len(captionColumns(next)) > 0 {
			continue
		}
		h := lines[i].words[0].Box.Dy()
		for ci, c := range cols {
			end := 1 << 30
			if ci+1 < len(cols) {
				end = cols[ci+1].x0
			}
			var vals []ocr.Word
			for _, w := range next.words {
				if w.Box.Min.X >= c.x0-h && w.Box.Min.X < end-h/2 {
					vals = append(vals, w)
				}
			}
			if len(vals) > 0 && out[c.field] == nil {
				out[c.field] = vals
			}
		}
	}
	return out
}

var (
	dmyDot  = regexp.MustCompile(`(\d{2})[.\-/ ](\d{2})[.\-/ ](\d{4})`)
	dMonY   = regexp.MustCompile(`(\d{1,2}) ?([A-Z]{3}) ?(\d{4})`)
	months  = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	docNoRe = regexp.MustCompile(`[A-Z0-9]{5,}`)
)

// parseDate reads a printed date: "29.12.1952" (day first), "07 SEP 1996",
// or with monthFirst "03/31/2000" (US). It returns YYYY-MM-DD or "".
func parseDate(s string, monthFirst bool) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if m := dMonY.FindStringSubmatch(s); m != nil {
		if mo, ok := months[m[2]]; ok {
			return validDate(m[3], mo, m[1])
		}
	}
	if m := dmyDot.FindStringSubmatch(s); m != nil {
		d, mo := m[1], m[2]
		if monthFirst {
			d, mo = mo, d
		}
		var moi int
		fmt.Sscanf(mo, "%d", &moi)
		return validDate(m[3], moi, d)
	}
	return ""
}

func validDate(y string, m int, d string) string {
	var yi, di int
	fmt.Sscanf(y, "%d", &yi)
	fmt.Sscanf(d, "%d", &di)
	if yi < 1900 || m < 1 || m > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, m, di)
}

func cleanName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || r == ' ' || r == '-' || r == '\'' || r > 0x7f {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

var (
	nameLine = regexp.MustCompile(`^[A-Z][A-Z' -]*[A-Z]$`)
	docToken = regexp.MustCompile(`^[A-Z0-9]{6,12}$`)
	sexToken = regexp.MustCompile(`^[MFX]$`)
	natToken = regexp.MustCompile(`^[A-Z]{3}$`)
)

// byContent fills, from the value lines alone, the fields whose captions
// were not read (small grey captions over guilloché are often lost in a
// photo while the bold values survive). It relies on what the values look
// like and on the ICAO VIZ order: the first all-letter line is the surname
// (with the document number beside it), the next one the given names; a
// date with a sex letter and a 3-letter code is birth, sex and
// nationality; a later date alone is the expiry.
func byContent(lines []string, v map[string]string) {
	names := 0
	for _, raw := range lines {
		l := strings.ToUpper(strings.TrimSpace(raw))
		toks := strings.Fields(l)
		if len(toks) == 0 {
			continue
		}
		if d := dmyDot.FindString(l); d != "" {
			rest := strings.Fields(strings.Replace(l, d, " ", 1))
			for i := range rest {
				rest[i] = strings.Trim(rest[i], ".,;:'\"")
			}
			if v["date_of_birth"] == "" && (len(rest) > 0 || v["date_of_expiry"] != "") {
				v["date_of_birth"] = d
				for _, r := range rest {
					switch {
					case sexToken.MatchString(r) && v["sex"] == "":
						v["sex"] = r
					case natToken.MatchString(r) && v["nationality"] == "":
						v["nationality"] = r
					}
				}
			} else if v["date_of_expiry"] == "" && parseDate(d, false) > parseDate(v["date_of_birth"], false) {
				v["date_of_expiry"] = d
			}
			continue
		}
		// A name line, possibly with the document number at its end.
		last := toks[len(toks)-1]
		if len(toks) > 1 && docToken.MatchString(last) && strings.ContainsAny(last, "0123456789") {
			if v["document_number"] == "" {
				v["document_number"] = last
			}
			l = strings.Join(toks[:len(toks)-1], " ")
		}
		if !nameLine.MatchString(l) || isCaption(toks) {
			continue
		}
		switch names {
		case 0:
			if v["surname"] == "" {
				v["surname"] = l
			}
		case 1:
			if v["given_names"] == "" {
				v["given_names"] = l
			}
		}
		names++
	}
}

var captionWords = []string{"SURNAME", "GIVEN", "NAMES", "DATE", "BIRTH", "NATIONALITY", "EXPIRY", "DOCUMENT", "SIGNATURE"}

func isCaption(toks []string) bool {
	for _, t := range toks {
		for _, c := range captionWords {
			if near(t, c) {
				return true
			}
		}
	}
	return false
}

// td1TextZone is the printed-data column right of the portrait on a TD1
// card front.
var td1TextZone = [4]float64{0.30, 0.16, 0.99, 0.70}

func (r *Reader) readTD1Front(ctx context.Context, f *face) error {
	z := td1TextZone
	g := prep.ForOCRGray(prep.MinChannel(prep.Crop(f.Card, z[0], z[1], z[2], z[3])), 0.035*float64(f.Card.Bounds().Dy()))
	t, err := r.OCR.Recognize(ctx, g, ocr.Options{Lang: ocr.LangEnglish, PSM: ocr.PSMSingleBlock})
	if err != nil {
		return fmt.Errorf("docread: card front: %w", err)
	}
	f.OCRConfidence = t.Confidence
	v := labelAbove(linesOf(t))
	if v["surname"] == "" {
		v["surname"] = v["name"]
	}
	byContent(t.Lines(), v)
	put(f, "surname", cleanName(v["surname"]), "printed")
	put(f, "given_names", cleanName(v["given_names"]), "printed")
	put(f, "date_of_birth", parseDate(v["date_of_birth"], false), "printed")
	put(f, "date_of_expiry", parseDate(v["date_of_expiry"], false), "printed")
	if s := letters(v["sex"]); s == "M" || s == "F" || s == "X" {
		put(f, "sex", s, "printed")
	}
	if n := letters(v["nationality"]); len(n) == 3 {
		put(f, "nationality", n, "printed")
	}
	if n := docNoRe.FindString(strings.ToUpper(strings.ReplaceAll(v["document_number"], " ", ""))); n != "" {
		put(f, "document_number", n, "printed")
	}
	return nil
}

// td3TextZone is the personal-data area of a TD3 passport page: right of
// the portrait, between the header and the MRZ.
var td3TextZone = [4]float64{0.30, 0.14, 0.99, 0.80}

// vizFields are the fields read from a passport's visual zone for the
// cross-check with its MRZ.
var vizFields = []string{"surname", "given_names", "document_number", "date_of_birth", "date_of_expiry", "sex"}

// readPassportVIZ reads the visual zone of a passport page into f.Printed,
// for the cross-check with the MRZ only: the MRZ, whose check digits
// verify, is what the declared data is compared with. A disagreement
// between the two sends the document to manual review, so a field is kept
// only when every word it was read from has a Tesseract confidence of at
// least vizMinConfidence; a field not read confidently is not compared.
func (r *Reader) readPassportVIZ(ctx context.Context, f *face) error {
	z := td3TextZone
	g := prep.ForOCRGray(prep.MinChannel(prep.Crop(f.Card, z[0], z[1], z[2], z[3])), 0.032*float64(f.Card.Bounds().Dy()))
	t, err := r.OCR.Recognize(ctx, g, ocr.Options{Lang: ocr.LangEnglish, PSM: ocr.PSMSingleBlock})
	if err != nil {
		return fmt.Errorf("docread: passport visual zone: %w", err)
	}
	values := labelAboveWords(linesOf(t))
	for _, k := range vizFields {
		if v, conf := vizValue(k, values[k]); v != "" && conf >= vizMinConfidence {
			f.Printed[k] = v
		}
	}
	return nil
}

// vizMinConfidence is the lowest word confidence (0–100) at which a
// visual-zone value is cross-checked; see readPassportVIZ for how it was
// chosen.
const vizMinConfidence = 80

// vizValue parses field k from the words under its caption and returns
// the value with the lowest confidence among the words it came from: a
// date from the first one to three words that read as a date (the
// signature beside the expiry date does not count), a document number
// from its token, a sex letter, or a name from all the words.
func vizValue(k string, words []ocr.Word) (string, float64) {
	minConf := func(ws []ocr.Word) float64 {
		m := 100.0
		for _, w := range ws {
			m = min(m, w.Confidence)
		}
		return m
	}
	switch k {
	case "date_of_birth", "date_of_expiry":
		for i := range words {
			for n := 1; n <= 3 && i+n <= len(words); n++ {
				var parts []string
				for _, w := range words[i : i+n] {
					parts = append(parts, w.Text)
				}
				if d := parseDate(strings.Join(parts, " "), false); d != "" {
					return d, minConf(words[i : i+n])
				}
			}
		}
	case "document_number":
		for _, w := range words {
			if n := docNoRe.FindString(strings.ToUpper(w.Text)); n != "" {
				return n, w.Confidence
			}
		}
	case "sex":
		for _, w := range words {
			if s := letters(w.Text); s == "M" || s == "F" || s == "X" {
				return s, w.Confidence
			}
		}
	default:
		var parts []string
		for _, w := range words {
			parts = append(parts, w.Text)
		}
		return cleanName(strings.Join(parts, " ")), minConf(words)
	}
	return "", 0
}

// dlTextZone is the data area right of the portrait on an AAMVA licence
// front.
var dlTextZone = [4]float64{0.30, 0.17, 0.99, 0.78}

var (
	// dlNum: the licence number follows "4d DLN" (AAMVA field 4d), "DL",
	// "LIC#" or "NO."; OCR often squashes "4d DLN" into "440N".
	dlNum   = regexp.MustCompile(`^(?:4\S{0,4}|DLN|DL|LIC#?|NO\.?)(?:\s+DLN)?[\s:.#]+([A-Z0-9]{6,})$`)
	usDate  = regexp.MustCompile(`(\d{2}/\d{2}/\d{4})`)
	dlSex   = regexp.MustCompile(`SEX\s*[:.]?\s*([MFX])\b`)
	dlField = regexp.MustCompile(`^([12Il|8])\s+(.+)$`)
)

// dlNumberToken finds the licence number on a line labelled DLN (or "4d",
// however OCR spells it) when the label itself was garbled: the last token
// of 6–12 letters and digits with at least five digits.
func dlNumberToken(l string, firstLine bool) string {
	u := strings.ReplaceAll(l, " ", "")
	if !firstLine && !strings.Contains(u, "DLN") && !strings.Contains(u, "LN") && !strings.HasPrefix(u, "4") {
		return ""
	}
	toks := strings.Fields(l)
	for i := len(toks) - 1; i >= 1; i-- {
		t := strings.TrimFunc(toks[i], func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') })
		if len(t) < 6 || len(t) > 12 || docToken.FindString(t) != t {
			continue
		}
		digits := 0
		for _, c := range t {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if digits >= 5 {
			return t
		}
	}
	return ""
}

// dlDateField names the date on a licence line by its AAMVA label: 4b EXP,
// 4a ISS, 3 DOB (which OCR reads as "3008", "3DOB", "3 D0B" ...).
func dlDateField(line string) string {
	l := strings.ReplaceAll(strings.ToUpper(line), " ", "")
	switch {
	case strings.Contains(l, "EXP") || strings.Contains(l, "EKP") || strings.HasPrefix(l, "4B"):
		return "date_of_expiry"
	case strings.Contains(l, "ISS") || strings.HasPrefix(l, "4A"):
		return "date_of_issue"
	}
	// 3 DOB, however garbled ("3008", "sD08"): the licence's third date.
	return "date_of_birth"
}

// dateLookalikes folds letters OCR reads for digits in a date token
// ("Q1/23/2030", "QO1/11/2027").
var dateLookalikes = strings.NewReplacer("Q", "0", "O", "0", "D", "0", "I", "1", "L", "1", "|", "1", "S", "5", "B", "8")

// foldDates applies dateLookalikes to the tokens of l that contain a slash.
func foldDates(l string) string {
	toks := strings.Fields(l)
	for i, t := range toks {
		if strings.Count(t, "/") == 2 {
			toks[i] = dateLookalikes.Replace(t)
		}
	}
	return strings.Join(toks, " ")
}

// foldNumber repairs a licence number read with letters inside its digit
// run: every character after the first that OCR confuses with a digit is
// taken as that digit when the token is mostly digits.
func foldNumber(t string) string {
	if len(t) < 2 {
		return t
	}
	return t[:1] + dateLookalikes.Replace(t[1:])
}

func (r *Reader) readDLFront(ctx context.Context, f *face) error {
	z := dlTextZone
	g := prep.ForOCRGray(prep.MinChannel(prep.Crop(f.Card, z[0], z[1], z[2], z[3])), 0.035*float64(f.Card.Bounds().Dy()))
	t, err := r.OCR.Recognize(ctx, g, ocr.Options{Lang: ocr.LangEnglish, PSM: ocr.PSMSingleBlock})
	if err != nil {
		return fmt.Errorf("docread: licence front: %w", err)
	}
	f.OCRConfidence = t.Confidence
	lines := t.Lines()
	for i, raw := range lines {
		l := strings.ToUpper(strings.TrimSpace(raw))
		if f.Fields["document_number"] == "" && i < 3 {
			if m := dlNum.FindStringSubmatch(l); m != nil {
				put(f, "document_number", foldNumber(m[1]), "printed")
			} else if n := dlNumberToken(l, i == 0); n != "" {
				put(f, "document_number", foldNumber(n), "printed")
			}
		}
		if m := usDate.FindStringSubmatch(foldDates(l)); m != nil {
			if k := dlDateField(l); k != "" && k != "date_of_issue" && f.Fields[k] == "" {
				put(f, k, parseDate(m[1], true), "printed")
			}
		}
		if m := dlSex.FindStringSubmatch(l); m != nil {
			put(f, "sex", m[1], "printed")
		}
		if m := dlField.FindStringSubmatch(l); m != nil {
			switch m[1] {
			case "1", "I", "L", "|":
				put(f, "surname", cleanName(m[2]), "printed")
			case "2":
				put(f, "given_names", cleanName(m[2]), "printed")
			case "8":
				addr := strings.TrimSpace(m[2])
				if i+1 < len(lines) && !usDate.MatchString(lines[i+1]) {
					addr += ", " + strings.TrimSpace(lines[i+1])
				}
				put(f, "address", strings.ToUpper(addr), "printed")
			}
		}
	}
	return nil
}
