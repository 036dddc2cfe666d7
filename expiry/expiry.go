// Package expiry decides whether an identity document has expired, from
// the expiry date printed on it, with calendar-date arithmetic only.
//
// A document is valid through its expiry day. "Today" is the calendar date
// in a configured time zone (UTC by default), so the answer does not depend
// on the server's zone or on when in the day the check runs: a licence
// expiring on 30 November is still valid at 23:59 on 30 November in that
// zone and expired from 00:00 on 1 December.
package expiry

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/identity"
)

// Status is the outcome for one document.
type Status string

// Statuses.
const (
	Valid       Status = "valid"
	ExpiresSoon Status = "expires_soon" // valid, but within the margin
	Expired     Status = "expired"
	NoExpiry    Status = "no_expiry" // 长期 (long-term) or no expiry printed
	Unknown     Status = "unknown"   // a value that is not a date
)

// Options configure the decision.
type Options struct {
	// Location is the zone whose calendar date is "today"; nil means UTC.
	// Operators pick the zone their compliance rules use.
	Location *time.Location
	// MarginDays, when positive, flags a document that expires within that
	// many days (0 = expires today) as expires_soon.
	MarginDays int
	// RejectSoon makes the expires_soon finding a rejection; by default it
	// is a Review finding (sent to manual review, not rejected).
	RejectSoon bool
}

// Result is the decision with the dates it was made on.
type Result struct {
	Status Status
	// Expiry is the expiry date read (YYYY-MM-DD), "" for NoExpiry/Unknown.
	Expiry string
	// Today is the reference date (YYYY-MM-DD) in Options.Location.
	Today string
	// DaysLeft is Expiry − Today in days: 0 on the last valid day,
	// negative once expired.
	DaysLeft int
}

// noExpiry are the values that mean "does not expire": 长期 on the back of
// Chinese resident ID cards (and its traditional form), and the words some
// issuers print.
var noExpiry = []string{"长期", "長期", "永久", "PERMANENT", "INDEFINITE", "UNLIMITED", "NONE", "N/A"}

// Evaluate decides on an expiry value as read from a document at time now.
//
// Accepted values: any date identity.ParseDate reads (2030-01-31, 20300131,
// 2030.01.31, 31.01.2030, 2030年1月31日); an MRZ YYMMDD date; a Chinese
// validity period "2015.03.01-2035.03.01" (its end counts) or
// "2015.03.01-长期"; and the no-expiry words. An empty value is NoExpiry:
// many documents carry no expiry date and the reader only fills what the
// document says.
func Evaluate(value string, now time.Time, opt Options) Result {
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	r := Result{Today: today.Format("2006-01-02")}

	v, period := periodEnd(strings.TrimSpace(value))
	if v == "" && period {
		r.Status = Unknown // "2015.03.01-" : the end was not read
		return r
	}
	if v == "" {
		r.Status = NoExpiry
		return r
	}
	up := strings.ToUpper(v)
	for _, w := range noExpiry {
		if strings.Contains(up, w) {
			r.Status = NoExpiry
			return r
		}
	}
	exp, ok := parseExpiry(v, today)
	if !ok {
		r.Status = Unknown
		return r
	}
	r.Expiry = exp.Format("2006-01-02")
	r.DaysLeft = int(exp.Sub(today).Hours() / 24) // both UTC midnights: exact
	switch {
	case r.DaysLeft < 0:
		r.Status = Expired
	case opt.MarginDays > 0 && r.DaysLeft < opt.MarginDays:
		r.Status = ExpiresSoon
	default:
		r.Status = Valid
	}
	return r
}

// periodEnd returns the end of a validity period "start-end" (the back of
// a Chinese ID card prints 2015.03.01-2035.03.01 or 2015.03.01-长期), or v
// itself when it is not a period; period says whether it was one. '-' separates a period only when both
// sides are dates (or the end a no-expiry word), since ISO dates use it too.
func periodEnd(v string) (end string, period bool) {
	for _, sep := range []string{"－", "—", "–", "～", "~", "至", " - "} {
		if i := strings.LastIndex(v, sep); i > 0 {
			return strings.TrimSpace(v[i+len(sep):]), true
		}
	}
	parts := strings.Split(v, "-")
	if len(parts) != 2 {
		return v, false
	}
	if _, ok := identity.ParseDate(strings.TrimSpace(parts[0])); !ok {
		return v, false
	}
	return strings.TrimSpace(parts[1]), true
}

// parseExpiry reads a date; a six-digit MRZ date YYMMDD gets the century
// that puts it within 50 years before or after today (expiry dates are
// near today; a passport is valid for at most ten years).
func parseExpiry(v string, today time.Time) (time.Time, bool) {
	// ParseUint takes no sign: six characters it accepts are six digits.
	if n, err := strconv.ParseUint(v, 10, 32); len(v) == 6 && err == nil {
		yy, mm, dd := int(n/10000), int(n/100%100), int(n%100)
		year := today.Year()/100*100 + yy
		if year > today.Year()+50 {
			year -= 100
		} else if year < today.Year()-50 {
			year += 100
		}
		t := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
		if mm < 1 || mm > 12 || dd < 1 || t.Day() != dd {
			return time.Time{}, false
		}
		return t, true
	}
	return identity.ParseDate(v)
}

// Finding turns a result into the finding to report, or nil: Expired gives
// DOCUMENT_EXPIRED (detail "expired"); ExpiresSoon gives DOCUMENT_EXPIRED
// with detail "expires_soon", a Review finding unless RejectSoon. Both name
// the field date_of_expiry with the date read, and carry days_left.
func (r Result) Finding(opt Options) *kycgate.Finding {
	var f *kycgate.Finding
	switch r.Status {
	case Expired:
		f = &kycgate.Finding{Code: kycgate.DocumentExpired, Detail: "expired"}
	case ExpiresSoon:
		f = &kycgate.Finding{Code: kycgate.DocumentExpired, Detail: "expires_soon", Review: !opt.RejectSoon}
	default:
		return nil
	}
	f.Step = kycgate.StepIDDocument
	f.Fields = []string{"date_of_expiry"}
	f.DocumentValues = map[string]string{"date_of_expiry": r.Expiry}
	f.Metrics = map[string]float64{"days_left": float64(r.DaysLeft), "margin_days": float64(opt.MarginDays)}
	return f
}

// Check is the kycgate.Check for expiry. It runs after the document
// reading and looks at Evidence.Document.Fields["date_of_expiry"]; with no
// document read it reports nothing (the reading reports that).
type Check struct {
	Options Options
}

// Name returns "expiry".
func (Check) Name() string { return "expiry" }

// Run implements kycgate.Check.
func (c Check) Run(_ context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	if ev == nil || ev.Document == nil {
		return nil, nil
	}
	r := Evaluate(ev.Document.Fields["date_of_expiry"], ev.Now, c.Options)
	if ev.Metrics != nil && r.Expiry != "" {
		ev.Metrics["expiry.days_left"] = float64(r.DaysLeft)
	}
	if f := r.Finding(c.Options); f != nil {
		return []kycgate.Finding{*f}, nil
	}
	return nil, nil
}

var _ kycgate.Check = Check{}

// String formats a result for logs (it holds no personal data).
func (r Result) String() string {
	return fmt.Sprintf("%s (expiry %s, today %s, %d days left)", r.Status, r.Expiry, r.Today, r.DaysLeft)
}
