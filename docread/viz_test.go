package docread

import "testing"

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
