package expiry

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
)

var (
	plus14  = time.FixedZone("UTC+14", 14*3600)  // Line Islands: first to see a date
	minus12 = time.FixedZone("UTC-12", -12*3600) // Baker Island: last to see it
	plus545 = time.FixedZone("UTC+5:45", 5*3600+45*60)
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name     string
		expiry   string
		now      string
		loc      *time.Location
		margin   int
		want     Status
		daysLeft int
	}{
		// Around midnight: 2026-11-30T11:00Z is 1 December 01:00 in UTC+14
		// and 29 November 23:00 in UTC-12.
		{"last day, UTC", "2026-11-30", "2026-11-30T11:00:00Z", nil, 0, Valid, 0},
		{"last day over in UTC+14", "2026-11-30", "2026-11-30T11:00:00Z", plus14, 0, Expired, -1},
		{"day before in UTC-12", "2026-11-30", "2026-11-30T11:00:00Z", minus12, 0, Valid, 1},
		{"UTC+14 one second before midnight", "2026-11-30", "2026-11-30T09:59:59Z", plus14, 0, Valid, 0},
		{"UTC+14 at midnight", "2026-11-30", "2026-11-30T10:00:00Z", plus14, 0, Expired, -1},
		{"UTC-12 one second before midnight", "2026-11-30", "2026-12-01T11:59:59Z", minus12, 0, Valid, 0},
		{"UTC-12 at midnight", "2026-11-30", "2026-12-01T12:00:00Z", minus12, 0, Expired, -1},
		{"now given in another zone is converted", "2026-11-30", "2026-12-01T08:00:00+14:00", nil, 0, Valid, 0},
		{"half-hour-ish zone", "2026-11-30", "2026-11-30T18:15:00Z", plus545, 0, Expired, -1},
		{"leap day", "2028-02-29", "2028-02-29T23:59:59Z", nil, 0, Valid, 0},
		{"year boundary", "2026-12-31", "2027-01-01T00:00:00Z", nil, 0, Expired, -1},
		{"DST zone does not shift days", "2027-03-29", "2027-03-28T12:00:00Z", mustZone("Europe/Berlin"), 0, Valid, 1},

		{"margin: expires within 30 days", "2026-12-20", "2026-11-30T11:00:00Z", nil, 30, ExpiresSoon, 20},
		{"margin: today is the last day", "2026-11-30", "2026-11-30T11:00:00Z", nil, 30, ExpiresSoon, 0},
		{"margin: exactly 30 days left", "2026-12-30", "2026-11-30T11:00:00Z", nil, 30, Valid, 30},
		{"margin: expired stays expired", "2026-11-29", "2026-11-30T11:00:00Z", nil, 30, Expired, -1},

		{"compact date", "20261129", "2026-11-30T11:00:00Z", nil, 0, Expired, -1},
		{"Chinese period", "2016.11.30-2036.11.30", "2026-11-30T11:00:00Z", nil, 0, Valid, 3653},
		{"Chinese period expired", "2006.11.29-2026.11.29", "2026-11-30T11:00:00Z", nil, 0, Expired, -1},
		{"Chinese period long-term", "2016.11.30-长期", "2026-11-30T11:00:00Z", nil, 0, NoExpiry, 0},
		{"long-term alone", "长期", "2026-11-30T11:00:00Z", nil, 0, NoExpiry, 0},
		{"full-width period", "２０１６.１１.３０－２０２６.１１.２９", "2026-11-30T11:00:00Z", nil, 0, Expired, -1},
		{"Chinese date", "2026年11月30日", "2026-11-30T11:00:00Z", nil, 0, Valid, 0},
		{"MRZ YYMMDD", "261129", "2026-11-30T11:00:00Z", nil, 0, Expired, -1},
		{"MRZ YYMMDD far future", "360101", "2026-11-30T11:00:00Z", nil, 0, Valid, 3319},
		{"MRZ YYMMDD with a sign", "+61129", "2026-11-30T11:00:00Z", nil, 0, Unknown, 0},
		{"MRZ YYMMDD month 13", "261329", "2026-11-30T11:00:00Z", nil, 0, Unknown, 0},
		{"MRZ YYMMDD 31 November", "261131", "2026-11-30T11:00:00Z", nil, 0, Unknown, 0},
		{"empty", "", "2026-11-30T11:00:00Z", nil, 0, NoExpiry, 0},
		{"unreadable", "2026-13-45", "2026-11-30T11:00:00Z", nil, 0, Unknown, 0},
		{"period end not read", "2016.11.30-", "2026-11-30T11:00:00Z", nil, 0, Unknown, 0},
		{"ambiguous slash date", "03/04/2030", "2026-11-30T11:00:00Z", nil, 0, Unknown, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(tt.expiry, at(tt.now), Options{Location: tt.loc, MarginDays: tt.margin})
			if r.Status != tt.want || r.DaysLeft != tt.daysLeft {
				t.Errorf("got %v, want %s with %d days left", r, tt.want, tt.daysLeft)
			}
		})
	}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, 3600)
	}
	return loc
}

func TestFinding(t *testing.T) {
	now := at("2026-11-30T11:00:00Z")
	if f := Evaluate("2026-11-30", now, Options{}).Finding(Options{}); f != nil {
		t.Errorf("valid: %+v", f)
	}
	f := Evaluate("2026-11-29", now, Options{}).Finding(Options{})
	if f == nil || f.Code != kycgate.DocumentExpired || f.Review || f.Detail != "expired" || f.Step != kycgate.StepIDDocument ||
		f.DocumentValues["date_of_expiry"] != "2026-11-29" || f.Metrics["days_left"] != -1 {
		t.Errorf("expired: %+v", f)
	}
	opt := Options{MarginDays: 30}
	f = Evaluate("2026-12-10", now, opt).Finding(opt)
	if f == nil || f.Detail != "expires_soon" || !f.Review || f.Metrics["days_left"] != 10 {
		t.Errorf("soon: %+v", f)
	}
	opt.RejectSoon = true
	if f = Evaluate("2026-12-10", now, opt).Finding(opt); f == nil || f.Review {
		t.Errorf("soon, reject: %+v", f)
	}
}

func TestCheck(t *testing.T) {
	ev := &kycgate.Evidence{
		Now:      at("2026-11-30T11:00:00Z"),
		Document: &kycgate.DocumentReading{Type: "id_card", Fields: map[string]string{"date_of_expiry": "2006.11.29-2026.11.29"}},
		Metrics:  map[string]float64{},
	}
	fs, err := Check{}.Run(context.Background(), ev)
	if err != nil || len(fs) != 1 || fs[0].Code != kycgate.DocumentExpired {
		t.Fatalf("findings %+v, err %v", fs, err)
	}
	if ev.Metrics["expiry.days_left"] != -1 {
		t.Errorf("metrics %v", ev.Metrics)
	}
	ev.Document = nil
	if fs, _ := (Check{}).Run(context.Background(), ev); fs != nil {
		t.Errorf("no document: %+v", fs)
	}
}

func ExampleEvaluate() {
	now := time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC) // 1 December 01:00 in UTC+14
	fmt.Println(Evaluate("2026-11-30", now, Options{}).Status)
	fmt.Println(Evaluate("2026-11-30", now, Options{Location: time.FixedZone("UTC+14", 14*3600)}).Status)
	fmt.Println(Evaluate("2016.11.30-长期", now, Options{}).Status)
	// Output:
	// valid
	// expired
	// no_expiry
}

func FuzzEvaluate(f *testing.F) {
	for _, s := range []string{"2026-11-30", "2016.11.30-长期", "261129", "", "－", "2016.11.30-"} {
		f.Add(s, int64(1796036400))
	}
	f.Fuzz(func(t *testing.T, v string, unix int64) {
		r := Evaluate(v, time.Unix(unix%(1<<40), 0), Options{MarginDays: 30})
		if (r.Status == Expired) != (r.DaysLeft < 0 && r.Expiry != "") {
			t.Fatalf("inconsistent %v", r)
		}
	})
}
