package identity

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/kycgate/kycgate"
)

func declared() *kycgate.PersonalData {
	return &kycgate.PersonalData{
		Surname: "MÜLLER", GivenNames: "Anna Maria", NativeName: "", DateOfBirth: "1990-01-02",
		Sex: "F", Nationality: "DEU", DocumentType: "passport", DocumentNumber: "C01X00T47",
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name            string
		field           string
		declared, doc   string
		src             Source
		truncated, want bool
	}{
		{"same", "surname", "SMITH", "SMITH", SourceVisual, false, true},
		{"Latin case", "surname", "Smith", "SMITH", SourceVisual, false, true},
		{"full-width letters", "surname", "ＳＭＩＴＨ", "SMITH", SourceVisual, false, true},
		{"ideographic space", "given_names", "JOHN\u3000PAUL", "JOHN PAUL", SourceVisual, false, true},
		{"collapsed spaces", "given_names", "  JOHN   PAUL ", "JOHN PAUL", SourceVisual, false, true},
		{"other spelling", "given_names", "JON", "JOHN", SourceVisual, false, false},
		{"one letter more", "surname", "SMITHE", "SMITH", SourceVisual, false, false},
		{"punctuation counts", "surname", "O'NEILL", "ONEILL", SourceVisual, false, false},
		{"hyphen counts", "surname", "NGUYEN-TRAN", "NGUYEN TRAN", SourceVisual, false, false},
		{"diacritic counts outside MRZ", "surname", "MUELLER", "MÜLLER", SourceVisual, false, false},
		{"composed vs decomposed", "surname", "MU\u0308LLER", "MÜLLER", SourceVisual, false, true},
		{"Cyrillic A homoglyph", "surname", "\u0410NNA", "ANNA", SourceVisual, false, false},
		{"Cyrillic A homoglyph in MRZ", "surname", "\u0410NNA", "ANNA", SourceMRZ, false, false},
		{"Greek omicron homoglyph", "surname", "R\u039fSS", "ROSS", SourceVisual, false, false},
		{"zero-width space", "surname", "SMI\u200bTH", "SMITH", SourceVisual, false, false},
		{"zero-width joiner in MRZ", "surname", "SMI\u200dTH", "SMITH", SourceMRZ, false, false},
		{"RTL override", "surname", "\u202eHTIMS", "SMITH", SourceVisual, false, false},
		{"SQL injection", "surname", "SMITH'; DROP TABLE applicants;--", "SMITH", SourceVisual, false, false},
		{"script injection", "surname", "<script>alert(1)</script>", "SMITH", SourceVisual, false, false},
		{"MRZ filler in injection", "surname", "SMITH<<ADMIN", "SMITH", SourceMRZ, false, false},
		{"empty declared", "surname", "", "SMITH", SourceVisual, false, false},

		{"MRZ Ü as UE", "surname", "Müller", "MUELLER", SourceMRZ, false, true},
		{"MRZ Ü as U", "surname", "Müller", "MULLER", SourceMRZ, false, true},
		{"MRZ Ü wrong", "surname", "Müller", "MILLER", SourceMRZ, false, false},
		{"MRZ ß as SS", "surname", "Strauß", "STRAUSS", SourceMRZ, false, true},
		{"MRZ Å as AA", "surname", "Ångström", "AANGSTROEM", SourceMRZ, false, true},
		{"MRZ Ø as OE", "surname", "Søren", "SOEREN", SourceMRZ, false, true},
		{"MRZ Ø not O", "surname", "Søren", "SOREN", SourceMRZ, false, false},
		{"MRZ É as E", "given_names", "José Émile", "JOSE<EMILE", SourceMRZ, false, true},
		{"MRZ Ñ as NXX", "surname", "Muñoz", "MUNXXOZ", SourceMRZ, false, true},
		{"MRZ apostrophe dropped", "surname", "O'Neill", "ONEILL", SourceMRZ, false, true},
		{"MRZ apostrophe as filler", "surname", "O'Neill", "O<NEILL", SourceMRZ, false, true},
		{"MRZ fillers", "given_names", "ANNA MARIA", "ANNA<MARIA<<<<<<", SourceMRZ, false, true},
		{"MRZ given name missing", "given_names", "ANNA MARIA", "ANNA", SourceMRZ, false, false},
		{"MRZ truncated", "given_names", "Alexandra Maria Konstantina", "ALEXANDRA<MARIA<KONS", SourceMRZ, true, true},
		{"MRZ truncated in a multi-letter spelling", "surname", "Schönemann", "SCHO", SourceMRZ, true, true},
		{"MRZ truncated but different", "given_names", "Alexandra Maria Konstantina", "ALEXANDRA<MARIE<KONS", SourceMRZ, true, false},
		{"MRZ not truncated", "given_names", "Alexandra Maria Konstantina", "ALEXANDRA<MARIA<KONS", SourceMRZ, false, false},
		{"MRZ longer than declared", "surname", "SMITH", "SMITHSON", SourceMRZ, true, false},
		{"barcode truncated", "given_names", "CHRISTOPHER", "CHRISTOPH", SourceBarcode, true, true},

		{"native name spacing", "native_name", "孙 晓明", "孙晓明", SourceVisual, false, true},
		{"traditional vs simplified", "native_name", "孫曉明", "孙晓明", SourceVisual, false, false},
		{"middle dot variants", "native_name", "阿依古丽・买买提", "阿依古丽·买买提", SourceVisual, false, true},

		{"ISO date vs compact", "date_of_birth", "1990-01-02", "19900102", SourceVisual, false, true},
		{"ISO date vs dotted", "date_of_birth", "1990-01-02", "02.01.1990", SourceVisual, false, true},
		{"ISO date vs Chinese", "date_of_birth", "1990-01-02", "1990年1月2日", SourceVisual, false, true},
		{"full-width date", "date_of_birth", "１９９０-０１-０２", "1990-01-02", SourceVisual, false, true},
		{"MRZ YYMMDD", "date_of_birth", "1990-01-02", "900102", SourceMRZ, false, true},
		{"day and month swapped", "date_of_birth", "1990-01-02", "1990-02-01", SourceVisual, false, false},
		{"ambiguous slash date", "date_of_birth", "1990-01-02", "02/01/1990", SourceVisual, false, false},
		{"invalid declared date", "date_of_birth", "1990-02-30", "1990-02-30", SourceVisual, false, false},

		{"number spacing", "document_number", "E 1234 5678", "E12345678", SourceVisual, false, true},
		{"number case", "document_number", "c01x00t47", "C01X00T47", SourceVisual, false, true},
		{"number full-width", "document_number", "Ｅ１２３４５６７８", "E12345678", SourceVisual, false, true},
		{"number MRZ filler", "document_number", "D2345678", "D2345678<", SourceMRZ, false, true},
		{"number digit off", "document_number", "E12345678", "E12345679", SourceVisual, false, false},
		{"number O vs 0", "document_number", "E1234567O", "E12345670", SourceVisual, false, false},
		{"number hyphen counts", "document_number", "A-123", "A123", SourceVisual, false, false},

		{"sex Chinese", "sex", "M", "男", SourceVisual, false, true},
		{"sex differs", "sex", "M", "F", SourceVisual, false, false},
		{"sex unspecified MRZ", "sex", "X", "<", SourceMRZ, false, true},
		{"sex F vs unspecified", "sex", "F", "<", SourceMRZ, false, false},
		{"nationality D", "nationality", "DEU", "D<<", SourceMRZ, false, true},
		{"nationality differs", "nationality", "AUT", "DEU", SourceVisual, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(tt.field, tt.declared, tt.doc, tt.src, tt.truncated); got != tt.want {
				t.Errorf("Match(%s, %q, %q, %s, %v) = %v, want %v", tt.field, tt.declared, tt.doc, tt.src, tt.truncated, got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	mrz := map[string]Source{"surname": SourceMRZ, "given_names": SourceMRZ, "date_of_birth": SourceMRZ,
		"document_number": SourceMRZ, "nationality": SourceMRZ, "sex": SourceMRZ}
	tests := []struct {
		name       string
		doc        Document
		wantFields []string
		wantValues map[string]string
	}{
		{
			name: "passport MRZ all match",
			doc: Document{Fields: map[string]string{"surname": "MUELLER", "given_names": "ANNA<MARIA", "date_of_birth": "900102",
				"document_number": "C01X00T47", "nationality": "D", "sex": "F"}, Sources: mrz},
		},
		{
			name: "every differing field listed with the document's value",
			doc: Document{Fields: map[string]string{"surname": "MUELLER", "given_names": "ANNE<MARIA", "date_of_birth": "900201",
				"document_number": "C01X00T48", "nationality": "AUT", "sex": "M"}, Sources: mrz},
			wantFields: []string{"given_names", "date_of_birth", "document_number", "nationality", "sex"},
			wantValues: map[string]string{"given_names": "ANNE MARIA", "date_of_birth": "900201", "document_number": "C01X00T48", "nationality": "AUT", "sex": "M"},
		},
		{
			name:       "visual zone keeps diacritics strict",
			doc:        Document{Fields: map[string]string{"surname": "MUELLER", "given_names": "ANNA MARIA"}},
			wantFields: []string{"surname"},
			wantValues: map[string]string{"surname": "MUELLER"},
		},
		{
			name: "fields absent from the document are not compared",
			doc:  Document{Fields: map[string]string{"surname": "MÜLLER", "date_of_birth": "", "nationality": "  "}},
		},
		{
			name: "optional fields not declared are not compared",
			doc:  Document{Fields: map[string]string{"surname": "MÜLLER", "native_name": "ミュラー", "sex": "F"}},
		},
		{
			name: "truncated MRZ name",
			doc: Document{Fields: map[string]string{"surname": "MUELLER", "given_names": "ANNA<MAR"}, Sources: mrz,
				Truncated: map[string]bool{"given_names": true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Compare(declared(), tt.doc)
			if tt.wantFields == nil {
				if f != nil {
					t.Fatalf("want no finding, got %+v", f)
				}
				return
			}
			if f == nil {
				t.Fatalf("want fields %v, got no finding", tt.wantFields)
			}
			if f.Code != kycgate.DataMismatch || f.Step != kycgate.StepPersonalData {
				t.Errorf("code/step = %s/%s", f.Code, f.Step)
			}
			if !reflect.DeepEqual(f.Fields, tt.wantFields) {
				t.Errorf("fields = %v, want %v", f.Fields, tt.wantFields)
			}
			if !reflect.DeepEqual(f.DocumentValues, tt.wantValues) {
				t.Errorf("values = %v, want %v", f.DocumentValues, tt.wantValues)
			}
		})
	}
	noSex := declared()
	noSex.Sex = ""
	if f := Compare(noSex, Document{Fields: map[string]string{"sex": "M"}}); f != nil {
		t.Errorf("undeclared sex compared: %+v", f)
	}
	mononym := declared()
	mononym.GivenNames = ""
	if f := Compare(mononym, Document{Fields: map[string]string{"given_names": "ANNA"}}); f == nil || f.Fields[0] != "given_names" {
		t.Errorf("declared mononym vs given names on the document: %+v", f)
	}
	if Compare(nil, Document{Fields: map[string]string{"surname": "X"}}) != nil {
		t.Error("nil declared data: want nil")
	}
}

func TestCrossCheck(t *testing.T) {
	viz := Document{Fields: map[string]string{"surname": "MÜLLER", "given_names": "ANNA", "date_of_birth": "02.01.1990", "sex": "F",
		"date_of_expiry": "2031-05-06"}}
	mrz := Document{Fields: map[string]string{"surname": "MUELLER", "given_names": "ANNA", "date_of_birth": "900201", "sex": "M",
		"date_of_expiry": "2031-05-07"},
		Sources: map[string]Source{"surname": SourceMRZ, "given_names": SourceMRZ, "date_of_birth": SourceMRZ, "sex": SourceMRZ,
			"date_of_expiry": SourceMRZ}}
	// The printed date is in a layout declared data never uses; CrossCheck
	// must still read it as a date. The expiry, not a declared field, is
	// cross-checked too.
	got := CrossCheck(viz, mrz)
	if !reflect.DeepEqual(got, []string{"date_of_birth", "sex", "date_of_expiry"}) {
		t.Errorf("CrossCheck = %v", got)
	}
}

func ExampleCompare() {
	declared := &kycgate.PersonalData{Surname: "Müller", GivenNames: "Anna", DateOfBirth: "1990-01-02", Nationality: "DEU"}
	doc := Document{
		Fields:  map[string]string{"surname": "MUELLER", "given_names": "ANNE", "date_of_birth": "900102", "nationality": "D"},
		Sources: map[string]Source{"surname": SourceMRZ, "given_names": SourceMRZ, "date_of_birth": SourceMRZ, "nationality": SourceMRZ},
	}
	f := Compare(declared, doc)
	fmt.Println(f.Code, f.Fields, f.DocumentValues)
	// Output: DATA_MISMATCH [given_names] map[given_names:ANNE]
}

func FuzzMatch(f *testing.F) {
	f.Add("surname", "Müller", "MUELLER<<", "mrz", true)
	f.Add("date_of_birth", "1990-01-02", "1990年1月2日", "viz", false)
	f.Add("given_names", "ÅÄÖ ß", "AAAEOESS", "mrz", false)
	f.Fuzz(func(t *testing.T, field, declared, document, src string, truncated bool) {
		// Must not panic, and a value always matches itself outside the MRZ.
		Match(field, declared, document, Source(src), truncated)
		if Normalize(declared, SourceVisual) != "" && field != "date_of_birth" && field != "sex" && field != "nationality" {
			if !Match(field, declared, declared, SourceVisual, false) {
				t.Fatalf("%q does not match itself", declared)
			}
		}
	})
}
