package docclass

import (
	"fmt"
	"testing"

	"github.com/kycgate/kycgate"
)

// The texts are Tesseract 5.3 (chi_sim) readings of the top band of
// generated documents, misreadings included (户口短 for 户口簿, "Sumame").
func TestClassify(t *testing.T) {
	cases := []struct {
		name string
		in   Input
		want Kind
	}{
		{"passport by MRZ", Input{MRZFormat: "TD3", MRZDocumentCode: "P", Text: "Sumame/ Nom"}, Passport},
		{"passport by title", Input{Text: "PASSEPORT DEUTSCHLAND\nTpe1TWpe Code /code Passport No. / N* du passeport"}, Passport},
		{"TD1 card by MRZ", Input{MRZFormat: "TD1", MRZDocumentCode: "I"}, IDCard},
		{"TD1 card front", Input{Text: "IDENTITY CARD UNITED STATES\nSurname Document No-\nNAKAMURA TF8161603"}, IDCard},
		{"cn front", Input{Text: "姓名 ” 何 婷 婷\n性 虽 女 民族 莫 十"}, CNIDFront},
		{"cn front full", Input{Text: "姓名 何婷婷\n性别 女 民族 蒙古\n出生 1962 年 12 月 5 日\n住址 上海市徐汇区长江路147号\n公民身份号码 310104196212050001"}, CNIDFront},
		{"cn back", Input{Text: "中 华人 民 共 和 国\n居民 身份 证\n签发 机 关 成 都 市 公安 局 锦江 区 分 局\n有 效 期 限 2021.06.10- 长 期"}, CNIDBack},
		{"cn back title only", Input{Text: "6( 屿 中 华人 民 共和 国\n居民 身份 证"}, CNIDBack},
		{"driver licence", Input{Text: "GEORGIA DRIVER LICENSE\nUSA\n24pNY4906420\n1 RAR 人"}, DriverLicense},
		{"driver licence by barcode", Input{Barcode: true}, DriverLicense},
		{"household register misread", Input{Text: "居民 户口 短\n常住 人 口 登 记 卡\n姓名\n户主 或 与 户主 关 和"}, HouseholdRegister},
		{"household register full", Input{Text: "居民户口簿 常住人口登记卡 姓名 吴丽 户主或与户主关系 户主 性别 女 民族 汉 公民身份号码 440305199606066866 住址 广东省深圳市南山区"}, HouseholdRegister},
		{"student card", Input{Text: "[ 方 理工 大 学 和\n人 学 生 证\nNORTHERN INSTITUTE OF TECHNOLOGY"}, StudentCard},
		{"social security card", Input{Text: "中 华人 民 共 和 国 SOCIAL SECURITY CARD\n社会 保障 卡"}, SocialSecurityCard},
		{"bank card by name", Input{Text: "星河 银行 ”GALAxy BANK"}, BankCard},
		{"bank card by number", Input{Text: "6222 0212 3456 7894\nVALID THRU 09/29"}, BankCard},
		{"nothing", Input{Text: "lorem ipsum dolor"}, Other},
		{"empty", Input{}, Other},
		{"visa", Input{MRZFormat: "MRVA", MRZDocumentCode: "V"}, Other},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Classify(c.in)
			if got.Kind != c.want {
				t.Errorf("kind %s (score %.1f, evidence %v), want %s", got.Kind, got.Score, got.Evidence, c.want)
			}
		})
	}
}

func TestFindings(t *testing.T) {
	f := Findings(Result{Kind: HouseholdRegister, Score: 8}, "id_card")
	if len(f) != 1 || f[0].Code != kycgate.DocumentTypeNotAccepted || f[0].Step != kycgate.StepIDDocument ||
		f[0].Detail != "household_register" {
		t.Errorf("refusal %+v", f)
	}
	f = Findings(Result{Kind: IDCard}, "passport")
	if len(f) != 1 || f[0].Detail != "id_card" || f[0].DocumentValues["document_type"] != "id_card" {
		t.Errorf("type mismatch %+v", f)
	}
	for _, k := range []Kind{CNIDFront, CNIDBack, IDCard} {
		if f := Findings(Result{Kind: k}, "id_card"); len(f) != 0 {
			t.Errorf("%s declared id_card: %+v", k, f)
		}
	}
	if f := Findings(Result{Kind: DriverLicense}, ""); len(f) != 0 {
		t.Errorf("no declaration: %+v", f)
	}
}

func TestLuhn(t *testing.T) {
	for s, want := range map[string]bool{"4111111111111111": true, "4111111111111112": false, "6222021234567894": true, "": false, "12a4": false} {
		if Luhn(s) != want {
			t.Errorf("Luhn(%q) != %v", s, want)
		}
	}
}

func TestContainsFuzzy(t *testing.T) {
	cases := []struct {
		text, kw string
		want     bool
	}{
		{"居民户口短", "居民户口簿", true},   // one substitution in 5
		{"户口", "户口簿", false},       // too short to tolerate a miss
		{"XX民户口簿", "居民户口簿", false}, // first character must match
		{"DRIVERLICENSF", "DRIVERLICENSE", true},
		{"DRAVERLICFNSF", "DRIVERLICENSE", false},
	}
	for _, c := range cases {
		if got := containsFuzzy(c.text, c.kw); got != c.want {
			t.Errorf("containsFuzzy(%q, %q) = %v", c.text, c.kw, got)
		}
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("居民户口簿 6222021234567894", "TD3")
	f.Fuzz(func(t *testing.T, text, mrz string) {
		r := Classify(Input{Text: text, MRZFormat: mrz})
		if kindIndex(r.Kind) == len(Kinds) {
			t.Fatalf("unknown kind %q", r.Kind)
		}
	})
}

func ExampleClassify() {
	r := Classify(Input{Text: "居民户口簿\n常住人口登记卡"})
	fmt.Println(r.Kind, Accepted(r.Kind))
	fmt.Println(Findings(r, "id_card")[0].Detail)
	// Output:
	// household_register false
	// household_register
}

func TestAspectAloneIsNoEvidence(t *testing.T) {
	if r := Classify(Input{Aspect: 1.33}); r.Kind != Other || r.Score != 0 {
		t.Errorf("blank squarish page: %+v", r)
	}
	if f := Findings(Result{Kind: Other, Score: 1}, ""); len(f) != 1 || f[0].Detail != "other" {
		t.Errorf("other: %+v", f)
	}
}
