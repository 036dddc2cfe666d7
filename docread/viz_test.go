package docread

import (
	"image"
	"testing"

	"github.com/kycgate/kycgate/ocr"
)

func TestNear(t *testing.T) {
	cases := []struct {
		w, c string
		want bool
	}{
		{"Surname", "SURNAME", true},
		{"Sumame", "SURNAME", true},
		{"Surmame", "SURNAME", true},
		{"Nationalty", "NATIONALITY", true},
		{"Sex", "SEX", true},
		{"Sax", "SEX", false},
		{"Given", "GIVEN", true},
		{"Gvn", "GIVEN", false},
	}
	for _, c := range cases {
		if got := near(c.w, c.c); got != c.want {
			t.Errorf("near(%q, %q) = %v", c.w, c.c, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in         string
		monthFirst bool
		want       string
	}{
		{"29.12.1952", false, "1952-12-29"},
		{"07 SEP 1996", false, "1996-09-07"},
		{"03/31/2000", true, "2000-03-31"},
		{"31/03/2000", false, "2000-03-31"},
		{"13/31/2000", false, ""},
		{"", false, ""},
	}
	for _, c := range cases {
		if got := parseDate(c.in, c.monthFirst); got != c.want {
			t.Errorf("parseDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDLLines(t *testing.T) {
	for line, want := range map[string]string{"4b ExP 04/18/2029 gcrass": "date_of_expiry", "3008 03/14/1955 15SEX M": "date_of_birth",
		"4aiss Q4/19/2021": "date_of_issue", "3 DOB 01/02/1990": "date_of_birth"} {
		if got := dlDateField(line); got != want {
			t.Errorf("dlDateField(%q) = %q, want %q", line, got, want)
		}
	}
	if m := dlNum.FindStringSubmatch("4¢0LN 00215254"); m == nil || m[1] != "00215254" {
		t.Errorf("dlNum: %v", m)
	}
}

func TestByContent(t *testing.T) {
	v := map[string]string{}
	byContent([]string{"DUBOIS WMWK7854F", "MARC ANTOINE", "05.03.1969 F CAN", "08.08.2029"}, v)
	want := map[string]string{"surname": "DUBOIS", "document_number": "WMWK7854F", "given_names": "MARC ANTOINE",
		"date_of_birth": "05.03.1969", "sex": "F", "nationality": "CAN", "date_of_expiry": "08.08.2029"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
	// Captions read: content fills only what is missing.
	v = map[string]string{"surname": "O'NEILL"}
	byContent([]string{"O'NEILL AB1234567", "ZOE"}, v)
	if v["surname"] != "O'NEILL" || v["given_names"] != "ZOE" || v["document_number"] != "AB1234567" {
		t.Errorf("partial: %v", v)
	}
}

func TestDLNumberToken(t *testing.T) {
	for line, want := range map[string]string{"AD DLN O3729082 |": "O3729082", "4D OLN C0024042": "C0024042", "1 SMITH": "", "DLN ABCDEFG": ""} {
		if got := dlNumberToken(line, false); got != want {
			t.Errorf("dlNumberToken(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestDLFolding(t *testing.T) {
	if got := foldDates("4B EXP QO1/11/2027 GCIASS"); !usDate.MatchString(got) || usDate.FindString(got) != "01/11/2027" {
		t.Errorf("foldDates: %q", got)
	}
	if got := foldNumber("COO24042"); got != "C0024042" {
		t.Errorf("foldNumber: %q", got)
	}
	if got := dlNumberToken("1O.N N8478586", true); got != "N8478586" {
		t.Errorf("first line: %q", got)
	}
}

// A passport's visual-zone value is taken from the words it was read from,
// with their lowest confidence: the signature beside the expiry date does
// not lower the date's confidence; a caption repeated in French does not
// open a second column.
func TestVIZValues(t *testing.T) {
	word := func(text string, x, line int, conf float64) ocr.Word {
		return ocr.Word{Text: text, Box: image.Rect(x, line*40, x+len(text)*15, line*40+30), Confidence: conf, Line: line}
	}
	lines := linesOf(ocr.Assemble([]ocr.Word{
		word("Date", 0, 0, 95), word("of", 70, 0, 95), word("expiry", 110, 0, 95), word("/", 210, 0, 90), word("Date", 230, 0, 95), word("d'expiration", 300, 0, 60),
		word("19", 0, 1, 96), word("MAY", 40, 1, 95), word("2032", 100, 1, 97), word("E.", 400, 1, 40), word("Lindqvist", 440, 1, 70),
		word("Nationality", 0, 2, 93), word("/", 180, 2, 92), word("Nationalite", 200, 2, 93),
		word("UNITED", 0, 3, 96), word("KINGDOM", 190, 3, 96),
	}))
	v := labelAboveWords(lines)
	if d, conf := vizValue("date_of_expiry", v["date_of_expiry"]); d != "2032-05-19" || conf != 95 {
		t.Errorf("expiry %q (%.0f)", d, conf)
	}
	if got := labelAbove(lines)["nationality"]; got != "UNITED KINGDOM" {
		t.Errorf("nationality %q", got)
	}
	for _, c := range []struct {
		field string
		words []ocr.Word
		want  string
		conf  float64
	}{
		{"document_number", []ocr.Word{word("P", 0, 0, 90), word("L898902C3", 100, 0, 88)}, "L898902C3", 88},
		{"sex", []ocr.Word{word("F", 0, 0, 93)}, "F", 93},
		{"surname", []ocr.Word{word("SMITH-JONES", 0, 0, 91), word("II", 200, 0, 70)}, "SMITH-JONES II", 70},
		{"date_of_birth", []ocr.Word{word("05MAR", 0, 0, 0), word("1969.", 90, 0, 0)}, "1969-03-05", 0},
		{"date_of_birth", nil, "", 0},
	} {
		if got, conf := vizValue(c.field, c.words); got != c.want || conf != c.conf {
			t.Errorf("%s: %q (%.0f), want %q (%.0f)", c.field, got, conf, c.want, c.conf)
		}
	}
}
