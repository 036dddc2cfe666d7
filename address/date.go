package address

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// months maps month names and abbreviations in the languages bills come in
// (English, French, German, Dutch, Spanish, Italian, Portuguese, Malay) to
// month numbers. Keys are lower case without accents' variants listed
// separately where both spellings occur.
var months = map[string]int{
	"jan": 1, "january": 1, "janvier": 1, "januar": 1, "januari": 1, "enero": 1, "gennaio": 1, "janeiro": 1, "jän": 1,
	"feb": 2, "february": 2, "février": 2, "fevrier": 2, "februar": 2, "februari": 2, "febrero": 2, "febbraio": 2, "fevereiro": 2, "fév": 2, "fev": 2,
	"mar": 3, "march": 3, "mars": 3, "märz": 3, "maerz": 3, "maart": 3, "marzo": 3, "março": 3, "mac": 3,
	"apr": 4, "april": 4, "avril": 4, "abril": 4, "aprile": 4, "avr": 4,
	"may": 5, "mai": 5, "mei": 5, "mayo": 5, "maggio": 5, "maio": 5,
	"jun": 6, "june": 6, "juin": 6, "juni": 6, "junio": 6, "giugno": 6, "junho": 6,
	"jul": 7, "july": 7, "juillet": 7, "juli": 7, "julio": 7, "luglio": 7, "julho": 7, "juil": 7,
	"aug": 8, "august": 8, "août": 8, "aout": 8, "augustus": 8, "agosto": 8, "ogos": 8,
	"sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9, "settembre": 9, "setembro": 9,
	"oct": 10, "october": 10, "octobre": 10, "oktober": 10, "octubre": 10, "ottobre": 10, "outubro": 10, "okt": 10,
	"nov": 11, "november": 11, "novembre": 11, "noviembre": 11, "novembro": 11,
	"dec": 12, "december": 12, "décembre": 12, "decembre": 12, "dezember": 12, "diciembre": 12, "dicembre": 12, "dezembro": 12, "dis": 12, "déc": 12, "dez": 12,
}

var monthAlt = func() string {
	var names []string
	for k := range months {
		names = append(names, regexp.QuoteMeta(k))
	}
	// Longest first so "september" wins over "sep".
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && len(names[j]) > len(names[j-1]); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return strings.Join(names, "|")
}()

var (
	reYMD     = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?`)
	reNumeric = regexp.MustCompile(`\b(\d{1,2})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{4}|\d{2})\b`)
	reDMonY   = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?(` + monthAlt + `)\.?,?\s*(?:de\s+)?(\d{4})\b`)
	reMonDY   = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})\b`)
)

// DateOrder says how to read an all-numeric date such as 03/04/2024.
type DateOrder int

// Date orders. DayFirst is the default: it is the order of most of the
// world, and the US order is taken anyway when the first number exceeds 12.
const (
	DayFirst DateOrder = iota
	MonthFirst
)

// foundDate is one date in a document's text.
type foundDate struct {
	t        time.Time
	line     int
	issue    bool // labelled as the issue/statement/bill date
	notIssue bool // labelled as a due, order, delivery or validity date
}

// Keywords that label a date, in lower case. Checked in the text before the
// date on its line, and in the line above at the date's column (layouts
// that put labels above values).
var (
	issueWords = []string{"statement date", "date of issue", "issue date", "issued", "bill date", "billing date", "invoice date", "date:",
		"dated", "date", " du ", "facture n", "date de facture", "date d'émission", "émis le", "rechnungsdatum", "datum", "factuurdatum",
		"fecha", "data", "日期", "账单日", "出账", "开具", "开票", "打印", "statement period", "period ending", "as of", "as at"}
	notIssueWords = []string{"due", "payable", "pay by", "limite", "échéance", "echeance", "avant le", "fällig", "faellig", "vervaldatum",
		"vencimiento", "scadenza", "到期", "截止", "最后缴费", "order", "bestel", "delivery", "livraison", "since", "member since", "valid until", "expiry", "expires",
		"prélèvement", "prelevement", "à partir", "abbuchung", "einzug"}
	// periodStartWords follow the first date of a period ("du 01/06 au
	// 30/06", "1 June to 30 June"): that date is not the issue date.
	periodStartWords = []string{"au ", "to ", "- ", "– ", "至", "bis ", "tot ", "al ", "a "}
)

// findDates returns every date in text from 1990 to now+1 day (an issue
// date cannot lie further ahead; later ones are due dates or noise).
func findDates(text string, order DateOrder, now time.Time) []foundDate {
	text = norm.NFKC.String(text)
	lines := strings.Split(text, "\n")
	var out []foundDate
	limit := now.AddDate(0, 0, 1)
	for i, line := range lines {
		lower := strings.ToLower(line)
		type span struct {
			start, end int
			t          time.Time
		}
		var spans []span
		taken := func(s, e int) bool {
			for _, sp := range spans {
				if s < sp.end && e > sp.start {
					return true
				}
			}
			return false
		}
		add := func(s, e int, y, m, d int) {
			if y < 100 {
				y += 2000
				if y > now.Year()+1 {
					y -= 100
				}
			}
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if m < 1 || m > 12 || d < 1 || t.Day() != d || y < 1990 || t.After(limit) || taken(s, e) {
				return
			}
			spans = append(spans, span{s, e, t})
		}
		for _, m := range reYMD.FindAllStringSubmatchIndex(lower, -1) {
			add(m[0], m[1], atoi(lower[m[2]:m[3]]), atoi(lower[m[4]:m[5]]), atoi(lower[m[6]:m[7]]))
		}
		for _, m := range reDMonY.FindAllStringSubmatchIndex(lower, -1) {
			add(m[0], m[1], atoi(lower[m[6]:m[7]]), months[lower[m[4]:m[5]]], atoi(lower[m[2]:m[3]]))
		}
		for _, m := range reMonDY.FindAllStringSubmatchIndex(lower, -1) {
			add(m[0], m[1], atoi(lower[m[6]:m[7]]), months[lower[m[2]:m[3]]], atoi(lower[m[4]:m[5]]))
		}
		for _, m := range reNumeric.FindAllStringSubmatchIndex(lower, -1) {
			a, b, y := atoi(lower[m[2]:m[3]]), atoi(lower[m[4]:m[5]]), atoi(lower[m[6]:m[7]])
			d, mo := a, b
			if (order == MonthFirst && a <= 12) || (a <= 12 && b > 12) {
				d, mo = b, a
			}
			add(m[0], m[1], y, mo, d)
		}
		for _, sp := range spans {
			before := lower[:sp.start]
			if len(before) > 60 {
				before = before[len(before)-60:]
			}
			before = " " + strings.Join(strings.Fields(before), " ") + " "
			above := ""
			if i > 0 {
				above = columnSlice(strings.ToLower(lines[i-1]), utf8.RuneCountInString(line[:sp.start]), utf8.RuneCountInString(line[sp.start:sp.end])+4)
			}
			after := strings.TrimLeft(lower[sp.end:], " ")
			periodStart := false
			for _, w := range periodStartWords {
				if strings.HasPrefix(after, w) {
					periodStart = true
				}
			}
			fd := foundDate{t: sp.t, line: i}
			fd.notIssue = periodStart || containsAny(before, notIssueWords) || (!containsAny(before, issueWords) && containsAny(above, notIssueWords))
			fd.issue = !fd.notIssue && (containsAny(before, issueWords) || containsAny(above, issueWords))
			out = append(out, fd)
		}
	}
	return out
}

// columnSlice returns the runes of line from column col-2 to col+width,
// the part of a laid-out line above a value (pdftotext -layout keeps
// columns, and labels sit above the start of their value).
func columnSlice(line string, col, width int) string {
	r := []rune(line)
	s, e := max(0, col-2), min(len(r), col+width)
	if s >= e {
		return ""
	}
	return string(r[s:e])
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// IssueDate finds the date a bill or statement was issued: the first date
// in reading order labelled as the issue, statement or bill date (the
// header states it before any line item repeats a label such as "du"),
// else the latest date not labelled as a due, debit, order or period-end
// date (a statement's closing date is its latest). Dates after now (plus
// one day) are ignored. ok is false when the text holds no usable date.
func IssueDate(text string, order DateOrder, now time.Time) (t time.Time, ok bool) {
	var bestIssue, bestOther time.Time
	for _, d := range findDates(text, order, now) {
		switch {
		case d.issue && bestIssue.IsZero():
			bestIssue = d.t
		case !d.issue && !d.notIssue && d.t.After(bestOther):
			bestOther = d.t
		}
	}
	if !bestIssue.IsZero() {
		return bestIssue, true
	}
	if !bestOther.IsZero() {
		return bestOther, true
	}
	return time.Time{}, false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
