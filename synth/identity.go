// Package synth generates synthetic identity documents and synthetic phone
// photographs of them, deterministically from a seed.
//
// It exists so that every image-analysis package in kycgate (localisation,
// photo quality, MRZ reading, classification, field comparison) can be
// evaluated on thousands of labelled images whose ground truth is known
// exactly: the identity drawn, the MRZ lines, the zone of every field and the
// four corners of the document in the photograph. Only synthetic identities
// are produced; nothing here describes a real person.
//
// Rendering is pure Go (golang.org/x/image); fonts are read at run time from
// the Debian packages fonts-ocr-b, fonts-noto-cjk and fonts-dejavu-core.
package synth

import (
	"fmt"
	"math/rand"
	"strings"
	"time"
)

// Kind names a document layout that Render can draw.
type Kind string

// Document kinds. The first four families are accepted identity documents;
// the last four are the "wrong file" kinds that kycgate must refuse.
const (
	Passport           Kind = "passport"             // ICAO TD3 passport data page
	IDCard             Kind = "id_card"              // ICAO TD1 card: front with portrait, back with a 3-line MRZ
	CNIDFront          Kind = "cn_id_front"          // Chinese resident ID card, portrait side
	CNIDBack           Kind = "cn_id_back"           // Chinese resident ID card, emblem side (authority, validity)
	DriverLicense      Kind = "driver_license"       // US-style licence; the back carries a caller-supplied barcode
	HouseholdRegister  Kind = "household_register"   // 居民户口簿 registration page
	StudentCard        Kind = "student_card"         // 学生证
	SocialSecurityCard Kind = "social_security_card" // 社会保障卡
	BankCard           Kind = "bank_card"            // payment card with a 16-digit number
)

// Kinds lists every kind Render supports, in a stable order.
var Kinds = []Kind{Passport, IDCard, CNIDFront, CNIDBack, DriverLicense,
	HouseholdRegister, StudentCard, SocialSecurityCard, BankCard}

// Identity is the data printed on a document. Dates are YYYY-MM-DD; for the
// Chinese resident ID DateOfExpiry may be "长期" (no expiry). Sex is "M", "F"
// or "X". Countries are ICAO 9303 three-letter codes.
type Identity struct {
	Surname        string
	GivenNames     string
	NativeName     string // name in the document's own script (Chinese kinds)
	DateOfBirth    string
	Sex            string
	Nationality    string
	DocumentNumber string
	IssuingCountry string
	DateOfIssue    string
	DateOfExpiry   string
	Address        string
	Ethnicity      string // 民族 on the Chinese resident ID
	Authority      string // issuing authority (签发机关 on the Chinese resident ID)
}

// NoExpiry is how the Chinese resident ID prints a validity without end.
const NoExpiry = "长期"

type cnName struct{ han, pinyin string }

var (
	latinSurnames = []string{"ERIKSSON", "MUSTERMANN", "MARTIN", "ROSSI", "GARCIA LOPEZ", "SMITH-JONES",
		"VAN DER BERG", "NOWAK", "DUBOIS", "OKAFOR", "HANSEN", "SILVA", "KOWALSKI", "O'NEILL", "PETROV",
		"NAKAMURA", "KIM", "NGUYEN", "SCHMIDT", "BERNARD", "FISCHER", "JANSEN", "MORENO", "LINDQVIST"}
	latinGiven = []string{"ANNA MARIA", "JOHN", "LUCAS", "SOFIA", "ERIKA", "MARC ANTOINE", "EMMA", "NOAH",
		"OLIVIA", "JAN", "MEI", "CHIDI", "LAURA", "PIETRO", "INGRID", "YUKI", "HANNAH", "MATEO", "ZOE", "ELIAS"}
	latinCountries = []string{"UTO", "D", "FRA", "NLD", "ITA", "ESP", "GBR", "USA", "CAN", "SWE", "POL", "AUS"}
	cnSurnames     = []cnName{{"王", "WANG"}, {"李", "LI"}, {"张", "ZHANG"}, {"刘", "LIU"}, {"陈", "CHEN"},
		{"杨", "YANG"}, {"黄", "HUANG"}, {"赵", "ZHAO"}, {"周", "ZHOU"}, {"吴", "WU"}, {"孙", "SUN"},
		{"欧阳", "OUYANG"}, {"郭", "GUO"}, {"林", "LIN"}, {"何", "HE"}, {"高", "GAO"}}
	cnGivenMale   = []cnName{{"晓明", "XIAOMING"}, {"伟", "WEI"}, {"志强", "ZHIQIANG"}, {"建华", "JIANHUA"}, {"磊", "LEI"}, {"子轩", "ZIXUAN"}, {"浩然", "HAORAN"}, {"国栋", "GUODONG"}}
	cnGivenFemale = []cnName{{"芳", "FANG"}, {"静", "JING"}, {"秀英", "XIUYING"}, {"丽", "LI"}, {"海燕", "HAIYAN"}, {"子涵", "ZIHAN"}, {"雨桐", "YUTONG"}, {"婷婷", "TINGTING"}}
	cnEthnic      = []string{"汉", "汉", "汉", "汉", "汉", "汉", "回", "满", "壮", "蒙古", "维吾尔", "藏", "苗"}
	// cnRegions pairs a real county-level division code with a matching
	// address prefix and police authority, so that the ID number's region
	// agrees with the printed address as on a genuine card.
	cnRegions = []struct{ code, addr, authority string }{
		{"110101", "北京市东城区", "北京市公安局东城分局"},
		{"310104", "上海市徐汇区", "上海市公安局徐汇分局"},
		{"440305", "广东省深圳市南山区", "深圳市公安局南山分局"},
		{"510104", "四川省成都市锦江区", "成都市公安局锦江区分局"},
		{"330106", "浙江省杭州市西湖区", "杭州市公安局西湖区分局"},
		{"420106", "湖北省武汉市武昌区", "武汉市公安局武昌区分局"},
		{"320102", "江苏省南京市玄武区", "南京市公安局玄武分局"},
		{"370102", "山东省济南市历下区", "济南市公安局历下区分局"},
	}
	cnStreets = []string{"科技园路", "人民路", "中山路", "解放大道", "文三路", "长江路", "建设街", "和平里"}
	usStates  = []struct{ name, code string }{{"CALIFORNIA", "CA"}, {"TEXAS", "TX"}, {"NEW YORK", "NY"},
		{"FLORIDA", "FL"}, {"ILLINOIS", "IL"}, {"WASHINGTON", "WA"}, {"OHIO", "OH"}, {"GEORGIA", "GA"}}
	usStreets = []string{"MAIN ST", "OAK AVE", "PINE RD", "MAPLE DR", "ELM ST", "CEDAR LN", "LAKE BLVD"}
	usCities  = []string{"ANYTOWN", "SPRINGFIELD", "RIVERSIDE", "FAIRVIEW", "GREENVILLE", "MADISON"}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.Intn(len(xs))] }

// randomDate returns a date uniformly between from and to (inclusive years).
func randomDate(rng *rand.Rand, fromYear, toYear int) time.Time {
	start := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(toYear, 12, 31, 0, 0, 0, 0, time.UTC)
	days := int(end.Sub(start).Hours() / 24)
	return start.AddDate(0, 0, rng.Intn(days+1))
}

const isoDate = "2006-01-02"

// RandomIdentity draws a synthetic identity suited to kind: Chinese names,
// addresses and a GB 11643 ID number for the Chinese kinds, Latin names and a
// 9-character document number (valid as an MRZ field) for passports and TD1
// cards, a Luhn-valid 16-digit number for bank cards. Documents are valid
// (not expired) on 2026-12-01 so that callers choose expiry explicitly when
// they need an expired one.
func RandomIdentity(rng *rand.Rand, kind Kind) Identity {
	var id Identity
	dob := randomDate(rng, 1950, 2006)
	id.DateOfBirth = dob.Format(isoDate)
	if rng.Intn(2) == 0 {
		id.Sex = "M"
	} else {
		id.Sex = "F"
	}
	switch kind {
	case CNIDFront, CNIDBack, HouseholdRegister, StudentCard, SocialSecurityCard:
		sn := pick(rng, cnSurnames)
		gn := pick(rng, cnGivenMale)
		if id.Sex == "F" {
			gn = pick(rng, cnGivenFemale)
		}
		if kind == StudentCard {
			dob = randomDate(rng, 2000, 2007)
			id.DateOfBirth = dob.Format(isoDate)
		}
		id.Surname, id.GivenNames, id.NativeName = sn.pinyin, gn.pinyin, sn.han+gn.han
		id.Nationality, id.IssuingCountry = "CHN", "CHN"
		region := pick(rng, cnRegions)
		id.Address = fmt.Sprintf("%s%s%d号", region.addr, pick(rng, cnStreets), 1+rng.Intn(299))
		if rng.Intn(2) == 0 {
			id.Address += fmt.Sprintf("%d栋%d室", 1+rng.Intn(30), 101+rng.Intn(20)*100+rng.Intn(8))
		}
		id.Ethnicity = pick(rng, cnEthnic)
		id.Authority = region.authority
		id.DocumentNumber = CNIDNumber(region.code, dob, id.Sex, rng.Intn(500))
		issue := randomDate(rng, 2012, 2025)
		if issue.Before(dob.AddDate(16, 0, 0)) {
			issue = dob.AddDate(16, 1, rng.Intn(200))
		}
		// A card that would have expired was renewed: move the issue date
		// forward by whole validity periods.
		for e := cnExpiry(dob, issue); e != NoExpiry && e <= "2026-12-01"; e = cnExpiry(dob, issue) {
			issue, _ = time.Parse(isoDate, e)
		}
		id.DateOfIssue = issue.Format(isoDate)
		id.DateOfExpiry = cnExpiry(dob, issue)
		if kind == StudentCard {
			id.DocumentNumber = fmt.Sprintf("%04d%06d", 2019+rng.Intn(6), rng.Intn(1000000))
		}
		if kind == SocialSecurityCard {
			id.Authority = strings.TrimSuffix(region.addr, "区") + "人力资源和社会保障局"
		}
	default:
		id.Surname = pick(rng, latinSurnames)
		id.GivenNames = pick(rng, latinGiven)
		country := pick(rng, latinCountries)
		id.Nationality, id.IssuingCountry = country, country
		issue := randomDate(rng, 2017, 2025)
		years := 10
		if kind == DriverLicense {
			years = 5 + rng.Intn(4)
			for issue.AddDate(years, 0, 0).Before(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) {
				issue = issue.AddDate(1, 0, 0)
			}
		}
		for issue.AddDate(years, 0, -1).Before(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) {
			issue = issue.AddDate(1, 0, 0)
		}
		id.DateOfIssue = issue.Format(isoDate)
		id.DateOfExpiry = issue.AddDate(years, 0, -1).Format(isoDate)
		id.Authority = "MINISTRY OF INTERIOR"
		switch kind {
		case DriverLicense:
			st := pick(rng, usStates)
			id.Nationality, id.IssuingCountry = "USA", "USA"
			id.DocumentNumber = fmt.Sprintf("%c%07d", 'A'+rune(rng.Intn(26)), rng.Intn(10000000))
			id.Address = fmt.Sprintf("%d %s, %s, %s %05d", 10+rng.Intn(9000), pick(rng, usStreets),
				pick(rng, usCities), st.code, 10000+rng.Intn(89999))
			id.Authority = st.name
		case BankCard:
			id.DocumentNumber = luhnNumber(rng, pick(rng, []string{"62", "4", "5"}), 16)
			id.DateOfIssue = ""
		default:
			id.DocumentNumber = randomDocNumber(rng)
		}
	}
	if kind == BankCard && id.IssuingCountry == "CHN" {
		id.DocumentNumber = luhnNumber(rng, "62", 16)
	}
	return id
}

// cnExpiry applies the validity periods of the Resident Identity Card Law
// (art. 5): 5 years under 16, 10 years 16–25, 20 years 26–45, and long-term
// from 46.
func cnExpiry(dob, issue time.Time) string {
	age := issue.Year() - dob.Year()
	if issue.YearDay() < dob.YearDay() {
		age--
	}
	switch {
	case age < 16:
		return issue.AddDate(5, 0, 0).Format(isoDate)
	case age <= 25:
		return issue.AddDate(10, 0, 0).Format(isoDate)
	case age <= 45:
		return issue.AddDate(20, 0, 0).Format(isoDate)
	}
	return NoExpiry
}

func randomDocNumber(rng *rand.Rand) string {
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	var b strings.Builder
	for i := 0; i < 2; i++ {
		b.WriteByte(letters[rng.Intn(len(letters))])
	}
	// Some numbers use letters in positions where OCR confuses them with
	// digits (C/0, 1/I); that is deliberate for MRZ recogniser testing.
	for i := 0; i < 7; i++ {
		if rng.Intn(6) == 0 {
			b.WriteByte(letters[rng.Intn(len(letters))])
		} else {
			b.WriteByte(byte('0' + rng.Intn(10)))
		}
	}
	return b.String()
}

// CNIDNumber builds an 18-character GB 11643-1999 citizen identity number:
// region code, birth date, a sequence number whose parity encodes sex (odd
// for male), and the ISO 7064 MOD 11-2 check character.
func CNIDNumber(region string, dob time.Time, sex string, seq int) string {
	seq = seq % 500 * 2
	if sex == "M" {
		seq++
	}
	body := fmt.Sprintf("%s%s%03d", region, dob.Format("20060102"), seq%1000)
	return body + string(CNIDCheck(body))
}

// CNIDCheck returns the GB 11643 check character for the first 17 digits.
func CNIDCheck(body17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17 && i < len(body17); i++ {
		sum += int(body17[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

func luhnNumber(rng *rand.Rand, prefix string, n int) string {
	b := []byte(prefix)
	for len(b) < n-1 {
		b = append(b, byte('0'+rng.Intn(10)))
	}
	sum := 0
	for i := len(b) - 1; i >= 0; i-- {
		d := int(b[i] - '0')
		if (len(b)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return string(append(b, byte('0'+(10-sum%10)%10)))
}

// LuhnValid reports whether a digit string passes the Luhn check.
func LuhnValid(s string) bool {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return len(s) > 1 && sum%10 == 0
}
