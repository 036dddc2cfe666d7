// Package address checks a level-3 proof of address: a bank statement or a
// utility bill, issued recently, in the applicant's name.
//
// It works on the document's text: the text layer of a PDF (pdftotext), or
// OCR of a scanned PDF or a photo. From the text it classifies the
// document, finds its issue date and looks for the applicant's name; each
// failure is its own reason code so the applicant knows what to fix.
package address

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kycgate/kycgate"
)

// Options configure the decision.
type Options struct {
	// MaxAgeMonths is how many calendar months old the document may be
	// (default 3): issued on 15 March, it is accepted through 15 June.
	MaxAgeMonths int
	// DateOrder reads all-numeric dates such as 03/04/2024 (default
	// DayFirst).
	DateOrder DateOrder
	// Location is the zone whose calendar date is "today" (default UTC).
	Location *time.Location
}

func (o Options) maxAge() int {
	if o.MaxAgeMonths <= 0 {
		return 3
	}
	return o.MaxAgeMonths
}

// Result is what was read off one proof of address.
type Result struct {
	Kind      Kind
	Scores    Scores
	IssueDate time.Time // zero when no date was found
	NameFound bool
	// TooOld is set when the issue date is older than the allowed age.
	TooOld bool
}

// Analyze reads a proof of address's text against the declared data.
func Analyze(text string, declared *kycgate.PersonalData, now time.Time, opt Options) Result {
	var r Result
	r.Kind, r.Scores = Classify(text)
	today := civilDate(now, opt.Location)
	if d, ok := IssueDate(text, opt.DateOrder, today); ok {
		r.IssueDate = d
		r.TooOld = d.Before(today.AddDate(0, -opt.maxAge(), 0))
	}
	r.NameFound = NamePresent(text, declared)
	return r
}

// Findings turns a result into findings, all of them at once so one
// resubmission fixes everything:
//   - ADDRESS_PROOF_TYPE_NOT_ACCEPTED when it is neither a bank statement
//     nor a utility bill (detail "other");
//   - ADDRESS_PROOF_TOO_OLD when issued more than MaxAgeMonths ago (detail
//     "issued:YYYY-MM-DD"), or, as a Review finding, when no issue date
//     could be read (detail "issue_date_not_found");
//   - ADDRESS_PROOF_NAME_MISMATCH when the applicant's name is not on it.
func (r Result) Findings(opt Options) []kycgate.Finding {
	step := kycgate.StepProofOfAddress
	var fs []kycgate.Finding
	if r.Kind == Other {
		fs = append(fs, kycgate.Finding{Code: kycgate.AddressProofTypeNotAccepted, Step: step, Detail: string(Other),
			Metrics: map[string]float64{"bank_score": float64(r.Scores.Bank), "utility_score": float64(r.Scores.Utility), "other_score": float64(r.Scores.Other)}})
	}
	switch {
	case r.IssueDate.IsZero():
		fs = append(fs, kycgate.Finding{Code: kycgate.AddressProofTooOld, Step: step, Detail: "issue_date_not_found", Review: true})
	case r.TooOld:
		fs = append(fs, kycgate.Finding{Code: kycgate.AddressProofTooOld, Step: step, Detail: "issued:" + r.IssueDate.Format("2006-01-02"),
			Metrics: map[string]float64{"max_age_months": float64(opt.maxAge())}})
	}
	if !r.NameFound {
		fs = append(fs, kycgate.Finding{Code: kycgate.AddressProofNameMismatch, Step: step})
	}
	return fs
}

func civilDate(now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Check is the kycgate.Check for the proof_of_address step. It reads every
// file of kind proof_of_address; the step passes when one of them passes,
// and otherwise reports the findings of the file that came closest.
type Check struct {
	Extractor Extractor
	Options   Options
}

// Name returns "address".
func (*Check) Name() string { return "address" }

// Run implements kycgate.Check.
func (c *Check) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	files := ev.FilesOf(kycgate.FileProofOfAddress)
	if len(files) == 0 {
		return nil, nil
	}
	var best []kycgate.Finding
	for i, f := range files {
		text, err := c.Extractor.Text(ctx, f.Data)
		var fs []kycgate.Finding
		switch {
		case errors.Is(err, ErrUnreadable):
			// The cause (a damaged PDF, no text found by OCR) is for the
			// operator's logs, not the applicant's notice.
			fs = []kycgate.Finding{{Code: kycgate.DocumentUnreadable, Step: kycgate.StepProofOfAddress, Detail: "no_text"}}
		case err != nil:
			return nil, fmt.Errorf("address: file %d: %w", i, err)
		default:
			r := Analyze(text, ev.Declared, ev.Now, c.Options)
			fs = r.Findings(c.Options)
			if ev.Metrics != nil {
				ev.Metrics["address.bank_score"] = float64(r.Scores.Bank)
				ev.Metrics["address.utility_score"] = float64(r.Scores.Utility)
			}
		}
		if len(fs) == 0 {
			return nil, nil
		}
		if best == nil || len(fs) < len(best) {
			best = fs
		}
	}
	return best, nil
}

var _ kycgate.Check = (*Check)(nil)
