package cnid

import (
	"context"
	"image"
	"math/rand"
	"testing"

	"github.com/kycgate/kycgate/ocr"
	"github.com/kycgate/kycgate/synth"
)

// Texts as Tesseract 5.3 chi_sim read generated cards (stray quotes,
// spaces between characters, "#" for 年 included).
func TestParseFront(t *testing.T) {
	cases := []struct {
		text string
		want Front
	}{
		{"姓名 ” 何 婷 婷\n性 别 “ 女 民族 ”蒙古\n出 生 “1962 年 12 月 5 日\n住址 ”上海 市 徐汇 区 长 江 路 147 号\n公民 身份 号 码 310104196212050001",
			Front{Name: "何婷婷", Sex: "F", Ethnicity: "蒙古", BirthDate: "1962-12-05", Address: "上海市徐汇区长江路147号", Number: "310104196212050001"}},
		// A stray stroke before the address reads as 一.
		{"姓名 孙晓明\n性别 男 民族 汉\n出生 1960 年 6 月 28 日\n住址 一广东省深圳市南山区文三路204号",
			Front{Name: "孙晓明", Sex: "M", Ethnicity: "汉", BirthDate: "1960-06-28", Address: "广东省深圳市南山区文三路204号"}},
		{"姓名 孙晓明\n性别 男 民族 汉\n出生 1960 # 6 月 28 日\n住址 广东省深圳市南山区科技园\n路1号8栋302室\n公民身份号码 44030519600628149X",
			Front{Name: "孙晓明", Sex: "M", Ethnicity: "汉", BirthDate: "1960-06-28", Address: "广东省深圳市南山区科技园路1号8栋302室", Number: "44030519600628149X"}},
		// 民族 label misread, ethnicity one character off.
		{"姓 名 王伟\n性 虽 男 民 放 维吾乐\n出 生 1999 年 1 月 10 日\n住 址 北京市东城区和平里3号", Front{Name: "王伟", Sex: "M", Ethnicity: "维吾尔", BirthDate: "1999-01-10", Address: "北京市东城区和平里3号"}},
	}
	for _, c := range cases {
		if got := ParseFront(c.text); got != c.want {
			t.Errorf("ParseFront(%q)\n got %+v\nwant %+v", c.text, got, c.want)
		}
	}
}

func TestParseBack(t *testing.T) {
	cases := []struct {
		text string
		want Back
	}{
		{"签发 机 关 成 都 市 公安 局 锦江 区 分 局\n有 效 期 限 2021.06.10- 长 期", Back{Authority: "成都市公安局锦江区分局", ValidFrom: "2021-06-10", NoExpiry: true}},
		{"签发机关 深圳市公安局南山分局\n有效期限 2015.03.01-2035.03.01", Back{Authority: "深圳市公安局南山分局", ValidFrom: "2015-03-01", ValidUntil: "2035-03-01"}},
		{"", Back{}},
	}
	for _, c := range cases {
		if got := ParseBack(c.text); got != c.want {
			t.Errorf("ParseBack(%q) = %+v, want %+v", c.text, got, c.want)
		}
	}
}

func TestInconsistencies(t *testing.T) {
	f := Front{Number: "440308199901101512", BirthDate: "1999-01-10", Sex: "M"}
	if got := f.Inconsistencies(); len(got) != 0 {
		t.Errorf("consistent card: %v", got)
	}
	f.BirthDate, f.Sex = "1999-01-11", "F"
	if got := f.Inconsistencies(); len(got) != 2 {
		t.Errorf("inconsistent card: %v", got)
	}
}

// Reads generated cards (flat renders, the layout synth draws from the
// GA 450 proportions) end to end with Tesseract.
func TestReadGeneratedCards(t *testing.T) {
	eng, err := ocr.Default()
	if err != nil {
		t.Skipf("Tesseract not available: %v", err)
	}
	rng := rand.New(rand.NewSource(7))
	n := 3
	if testing.Short() {
		n = 1
	}
	for i := 0; i < n; i++ {
		id := synth.RandomIdentity(rng, synth.CNIDFront)
		front, err := synth.Render(synth.CNIDFront, id, synth.Options{})
		if err != nil {
			t.Skipf("synth: %v", err)
		}
		f, conf, err := ReadFront(context.Background(), eng, front.Image)
		if err != nil {
			t.Fatal(err)
		}
		want := Front{Name: id.NativeName, Sex: id.Sex, Ethnicity: id.Ethnicity, BirthDate: id.DateOfBirth, Address: id.Address, Number: id.DocumentNumber}
		if f != want {
			t.Errorf("front %d (conf %.0f)\n got %+v\nwant %+v", i, conf, f, want)
		}
		if inc := f.Inconsistencies(); len(inc) != 0 {
			t.Errorf("generated card inconsistent: %v", inc)
		}
		back, err := synth.Render(synth.CNIDBack, id, synth.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := ReadBack(context.Background(), eng, back.Image)
		if err != nil {
			t.Fatal(err)
		}
		wantB := Back{Authority: id.Authority, ValidFrom: id.DateOfIssue, ValidUntil: id.DateOfExpiry}
		if id.DateOfExpiry == NoExpiry {
			wantB.ValidUntil, wantB.NoExpiry = "", true
		}
		if b != wantB {
			t.Errorf("back %d\n got %+v\nwant %+v", i, b, wantB)
		}
	}
}

// The card parsers take arbitrary OCR text: they must never panic, and
// what they return must be well-formed.
func FuzzParseCard(f *testing.F) {
	f.Add("姓名 孙晓明\n性别 男 民族 汉\n出生 1960 # 6 月 28 日\n住址 广东省深圳市\n公民身份号码 44030519600628149X")
	f.Add("签发机关 深圳市公安局南山分局\n有效期限 2015.03.01-长期")
	f.Add("性别男民族\n出生9999年99月99日")
	f.Fuzz(func(t *testing.T, text string) {
		fr := ParseFront(text)
		if fr.Sex != "" && fr.Sex != "M" && fr.Sex != "F" {
			t.Fatalf("sex %q", fr.Sex)
		}
		if fr.BirthDate != "" && len(fr.BirthDate) != 10 {
			t.Fatalf("birth %q", fr.BirthDate)
		}
		_ = fr.Inconsistencies()
		bk := ParseBack(text)
		if bk.NoExpiry && bk.ValidUntil != "" {
			t.Fatalf("both no expiry and %q", bk.ValidUntil)
		}
	})
}

// fakeOCR answers each kind of recognition ReadFront asks for with a fixed
// text: the block, the number (digit whitelist), the ethnicity re-read
// (ethnicity whitelist).
type fakeOCR struct{ block, number, ethnicity string }

func (f fakeOCR) Recognize(_ context.Context, _ image.Image, opt ocr.Options) (ocr.Text, error) {
	switch {
	case opt.Whitelist == ethnicityChars:
		return ocr.Text{Text: f.ethnicity, Confidence: 90}, nil
	case opt.Whitelist != "":
		return ocr.Text{Text: f.number, Confidence: 90}, nil
	}
	return ocr.Text{Text: f.block, Confidence: 90}, nil
}

// An ethnicity read as a look-alike that names no group (藏 → 茂) is read
// again restricted to the names' characters; a re-read that names no group
// either leaves the first reading.
func TestReadFrontRereadsEthnicity(t *testing.T) {
	card := image.NewGray(image.Rect(0, 0, 1012, 638))
	block := "姓名 王伟\n性别 男 民族 茂\n出生 1999 年 1 月 10 日\n住址 北京市东城区和平里3号"
	for _, c := range []struct{ reread, want string }{{"藏", "藏"}, {"", "茂"}, {"白族", "白"}} {
		f, _, err := ReadFront(context.Background(), fakeOCR{block, "110101199901101512", c.reread}, card)
		if err != nil {
			t.Fatal(err)
		}
		if f.Ethnicity != c.want {
			t.Errorf("re-read %q: ethnicity %q, want %q", c.reread, f.Ethnicity, c.want)
		}
	}
}
