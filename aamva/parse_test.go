package aamva

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// synthetic is a made-up holder used across the tests.
func synthetic(i int) *License {
	surnames := []string{"SAMPLE", "O'NEILL", "DE LA CRUZ", "NGUYEN-TRAN", "MÜLLER", "SMITH"}
	firsts := []string{"MICHAEL", "ANNE", "JOSÉ", "LI", "CHRISTOPHER", "JO"}
	middles := []string{"JOHN", "", "MARIA ELENA", "Q", "", "LEE"}
	l := &License{
		Surname:        surnames[i%len(surnames)],
		FirstName:      firsts[i%len(firsts)],
		MiddleName:     middles[i%len(middles)],
		DateOfBirth:    fmt.Sprintf("19%02d-%02d-%02d", 50+i%49, 1+i%12, 1+i%28),
		DateOfExpiry:   fmt.Sprintf("20%02d-%02d-%02d", 25+i%10, 1+(i*5)%12, 1+(i*7)%28),
		DateOfIssue:    fmt.Sprintf("20%02d-%02d-%02d", 15+i%10, 1+(i*3)%12, 1+(i*11)%28),
		DocumentNumber: fmt.Sprintf("T%08d", 10000000+i*7919),
		Sex:            []string{"M", "F", "X"}[i%3],
		Street:         fmt.Sprintf("%d WEST BROAD STREET", 100+i),
		City:           "RICHMOND",
		State:          "VA",
		PostalCode:     "232690000",
		Country:        "USA",
	}
	l.GivenNames = l.FirstName
	if l.MiddleName != "" {
		l.GivenNames += " " + l.MiddleName
	}
	return l
}

func TestParseRoundTrip(t *testing.T) {
	opts := []EncodeOptions{
		{},
		{Version: 1},
		{Version: 3},
		{Version: 8, JurisdictionSubfile: true},
		{Version: 10, Kind: "ID"},
		{CRLF: true},
		{NoComplianceIndicator: true},
		{WrongOffsets: true, JurisdictionSubfile: true},
		{Version: 3, CRLF: true, WrongOffsets: true},
	}
	for i := 0; i < 24; i++ {
		for _, opt := range opts {
			want := synthetic(i)
			if i%4 == 1 {
				want.Country = "CAN"
				want.State = "ON"
			}
			name := fmt.Sprintf("%d/%+v", i, opt)
			got, err := Parse(Encode(want, opt))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			wantFields := want.Fields()
			if opt.Version == 1 {
				// Version 1 has no DCG: the country is not on the card.
				delete(wantFields, "issuing_country")
			}
			if !reflect.DeepEqual(got.Fields(), wantFields) {
				t.Errorf("%s:\n got %v\nwant %v", name, got.Fields(), wantFields)
			}
			kind := opt.Kind
			if kind == "" {
				kind = "DL"
			}
			if got.Kind != kind {
				t.Errorf("%s: kind %q, want %q", name, got.Kind, kind)
			}
			v := opt.Version
			if v == 0 {
				v = 10
			}
			if got.Header.Version != v || got.Header.IIN != "636000" {
				t.Errorf("%s: header %+v", name, got.Header)
			}
		}
	}
}

func TestParseCases(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    map[string]string
		err     error
	}{
		{
			name: "2020 sample with jurisdiction subfile",
			payload: "@\n\x1e\rANSI 636000100102DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCUJR\nDCAD\nDCBK\nDCDPH\n" +
				"DBD06062019\nDBB06061986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\n" +
				"DCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\rZVZVA01\r",
			want: map[string]string{"surname": "SAMPLE", "given_names": "MICHAEL JOHN", "date_of_birth": "1986-06-06", "date_of_expiry": "2024-12-10",
				"date_of_issue": "2019-06-06", "document_number": "T64235789", "sex": "M", "issuing_country": "USA",
				"address": "2300 WEST BROAD STREET, RICHMOND, VA 232690000"},
		},
		{
			name:    "version 1 header without jurisdiction version, DAA name, CCYYMMDD",
			payload: "@\n\x1e\rANSI 6360000101DL00290060DLDAQ123456789\nDAASMITH,JANE,Q\nDBB19700131\nDBA20300131\nDBCF\r",
			want: map[string]string{"surname": "SMITH", "given_names": "JANE Q", "date_of_birth": "1970-01-31", "date_of_expiry": "2030-01-31",
				"document_number": "123456789", "sex": "F"},
		},
		{
			name:    "Canadian dates",
			payload: "@\n\x1e\rANSI 636012080002DL00310051DLDAQA1234\nDCSROY\nDACMARIE\nDBB19881203\nDCGCAN\nDBC2\r",
			want:    map[string]string{"surname": "ROY", "given_names": "MARIE", "date_of_birth": "1988-12-03", "document_number": "A1234", "sex": "F", "issuing_country": "CAN"},
		},
		{
			name:    "scanner turned LF into CR, no RS",
			payload: "@\r\rANSI 636000090001DL00000000DLDAQX1\rDCSDOE\rDACJOHN\rDADNONE\rDBB01021990\rDBC9\r",
			want:    map[string]string{"surname": "DOE", "given_names": "JOHN", "date_of_birth": "1990-01-02", "document_number": "X1", "sex": "X"},
		},
		{
			name:    "invalid date left empty",
			payload: "@\n\x1e\rANSI 636000090001DL00310040DLDAQX1\nDCSDOE\nDBB13452000\r",
			want:    map[string]string{"surname": "DOE", "document_number": "X1"},
		},
		{name: "not AAMVA", payload: "https://example.com/x", err: ErrNotAAMVA},
		{name: "empty", payload: "", err: ErrNotAAMVA},
		{name: "header only", payload: "@\n\x1e\rANSI 636000100100", err: ErrNotAAMVA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.payload))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Fields(), tt.want) {
				t.Errorf("\n got %v\nwant %v", got.Fields(), tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, country, want string }{
		{"06061986", "USA", "1986-06-06"},
		{"19860606", "USA", "1986-06-06"}, // CCYYMMDD on a US card: still read
		{"19860606", "CAN", "1986-06-06"},
		{"12102024", "CAN", "2024-12-10"}, // MMDDCCYY on a Canadian card
		{"02302000", "USA", ""},           // 30 February
		{"0606198", "USA", ""},
		{"", "USA", ""},
		{"0606198A", "USA", ""},
	}
	for _, tt := range tests {
		if got := ParseDate(tt.in, tt.country); got != tt.want {
			t.Errorf("ParseDate(%q, %q) = %q, want %q", tt.in, tt.country, got, tt.want)
		}
	}
}

func TestNameTruncated(t *testing.T) {
	l := synthetic(2)
	l.NameTruncated = []string{"first_name", "surname"}
	got, err := Parse(Encode(l, EncodeOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.NameTruncated, []string{"first_name", "surname"}) {
		t.Errorf("NameTruncated = %v", got.NameTruncated)
	}
	if tf := got.TruncatedFields(); !reflect.DeepEqual(tf, map[string]bool{"surname": true, "given_names": true}) {
		t.Errorf("TruncatedFields = %v", tf)
	}
}

func FuzzParse(f *testing.F) {
	for i, opt := range []EncodeOptions{{}, {Version: 1}, {Version: 3, CRLF: true}, {WrongOffsets: true, JurisdictionSubfile: true}} {
		f.Add(Encode(synthetic(i), opt))
	}
	f.Add([]byte("@\n\x1e\rANSI 6360000102DL99999999"))
	f.Add([]byte("ANSI 636000100102DL00410278ZV03190008"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data)
		if err != nil {
			return
		}
		// Whatever parses must give well-formed dates.
		f := l.Fields()
		for _, k := range []string{"date_of_birth", "date_of_expiry", "date_of_issue"} {
			if v, ok := f[k]; ok && len(v) != 10 {
				t.Fatalf("%s = %q is not YYYY-MM-DD", k, v)
			}
		}
	})
}

func ExampleParse() {
	payload := "@\n\x1e\rANSI 636000100001DL00310110DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDADJOHN\nDBB06061986\nDBA12102030\nDBC1\nDCGUSA\r"
	l, err := Parse([]byte(payload))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Surname, "/", l.GivenNames, "/", l.DateOfBirth, "/", l.DateOfExpiry, "/", l.Sex)
	// Output: SAMPLE / MICHAEL JOHN / 1986-06-06 / 2030-12-10 / M
}
