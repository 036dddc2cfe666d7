package cnid

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

type vector struct {
	ID            string  `json:"id"`
	ExpectedValid *bool   `json:"expected_valid"`
	Reason        string  `json:"reason"`
	CheckChar     *string `json:"computed_iso7064_mod11_2_check_char"`
	Info          *struct {
		Birthday string `json:"birthdayCode"`
		Sex      int    `json:"sex"`
		CheckBit string `json:"checkBit"`
		Length   int    `json:"length"`
	} `json:"expected_info"`
}

func TestParseSharedVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.SharedTestdata(t, "cn_id"), "cn_id_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Items   []vector `json:"items"`
		Upgrade []struct{ Input, Expected string }
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Items) < 20 {
		t.Fatalf("only %d vectors", len(file.Items))
	}
	for _, v := range file.Items {
		n, err := Parse(v.ID)
		if v.ExpectedValid != nil && (err == nil) != *v.ExpectedValid {
			t.Errorf("%s (%s): err=%v, want valid=%v", v.ID, v.Reason, err, *v.ExpectedValid)
		}
		if v.CheckChar != nil && len(v.ID) == 18 {
			if got := CheckChar(v.ID); string(got) != *v.CheckChar {
				t.Errorf("%s: check char %c, want %s", v.ID, got, *v.CheckChar)
			}
		}
		if v.Info != nil {
			if n.BirthDate != v.Info.Birthday {
				t.Errorf("%s: birth %q, want %q", v.ID, n.BirthDate, v.Info.Birthday)
			}
			if want := map[int]string{1: "M", 0: "F"}[v.Info.Sex]; n.Sex != want {
				t.Errorf("%s: sex %q, want %q", v.ID, n.Sex, want)
			}
			if n.Legacy != (v.Info.Length == 15) {
				t.Errorf("%s: legacy=%v", v.ID, n.Legacy)
			}
		}
	}
	for _, u := range file.Upgrade {
		n, err := Parse(u.Input)
		if err != nil || n.Value != u.Expected {
			t.Errorf("upgrade %s = %q, %v; want %s", u.Input, n.Value, err, u.Expected)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{"44030819990110", ErrLength},
		{"", ErrLength},
		{"44030819990110151A", ErrCharacters},
		{"4403081999011015X2", ErrCharacters},
		{"990308199901101512", ErrRegion},
		{"440308199902301512", ErrBirthDate},
		{"440308199901101513", ErrCheck},
		{"11010119900307867X", ErrCheck},
	}
	for _, c := range cases {
		if _, err := Parse(c.in); !errors.Is(err, c.want) {
			t.Errorf("Parse(%q) = %v, want %v", c.in, err, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"44040119580101000x":    "44040119580101000X",
		"４４０４０１ 1958 0101 000Ｘ": "44040119580101000X",
		"440401-19580101-000X":  "44040119580101000X",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
		if !Valid(in) {
			t.Errorf("Valid(%q) = false", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"440308199901101512", "44040119580101000X", "610104620927690", "TES12345678901 j", "４４", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if len(n.Value) != 18 || CheckChar(n.Value) != n.Value[17] {
			t.Fatalf("accepted %q as %q", s, n.Value)
		}
		again, err := Parse(n.Value)
		if err != nil || again.Value != n.Value || again.BirthDate != n.BirthDate || again.Sex != n.Sex {
			t.Fatalf("round trip of %q: %+v, %v", n.Value, again, err)
		}
	})
}

func ExampleParse() {
	n, err := Parse("44040119580101000X")
	fmt.Println(n.Province, n.BirthDate, n.Sex, err)
	_, err = Parse("440308199901101513")
	fmt.Println(errors.Is(err, ErrCheck))
	// Output:
	// 广东省 1958-01-01 F <nil>
	// true
}
