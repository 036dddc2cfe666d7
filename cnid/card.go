package cnid

import (
	"context"
	"fmt"
	"image"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kycgate/kycgate/ocr"
	"github.com/kycgate/kycgate/ocr/prep"
)

// Zones of the card, as fractions of the rectified card (85.6 × 54 mm),
// from the layout of GA 450-2013: labels and values in a column left of the
// portrait on the front, the number on the bottom line; authority and
// validity on the two bottom lines of the back. The zones are generous (a
// line height of margin) so that a rectification a few percent off still
// contains the text; the parsers then find fields by their labels.
var (
	FrontTextZone   = [4]float64{0.03, 0.06, 0.645, 0.78} // 姓名 … 住址
	FrontNumberZone = [4]float64{0.28, 0.78, 0.975, 0.95} // 公民身份号码 value
	BackTextZone    = [4]float64{0.14, 0.64, 0.98, 0.95}  // 签发机关, 有效期限
	// EthnicityZone is the 民族 value, right of its label on the sex line.
	EthnicityZone = [4]float64{0.415, 0.22, 0.66, 0.34}
	PortraitZone  = [4]float64{0.63, 0.10, 0.95, 0.70}
)

// NoExpiry is how the card prints a validity without end.
const NoExpiry = "长期"

// Front holds the fields printed on the portrait side. Dates are
// YYYY-MM-DD, Sex "M" or "F"; empty when not read.
type Front struct {
	Name, Sex, Ethnicity, BirthDate, Address, Number string
}

// Back holds the fields of the emblem side. ValidUntil is empty and
// NoExpiry true for a card valid for life (长期).
type Back struct {
	Authority             string
	ValidFrom, ValidUntil string
	NoExpiry              bool
}

// ethnicities are the 56 officially recognised ethnic groups, as printed
// (without 族); OCR readings are snapped to the nearest.
var ethnicities = strings.Fields("汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺")

var (
	dateRe     = regexp.MustCompile(`(\d{4})\D{0,3}?(\d{1,2})\D{0,3}?(\d{1,2})`)
	numberRe   = regexp.MustCompile(`\d{17}[\dX]`)
	validityRe = regexp.MustCompile(`(\d{4})\D?(\d{2})\D?(\d{2})\D{0,3}?(?:(\d{4})\D?(\d{2})\D?(\d{2})|(长期|长|期))`)
)

// compact removes spaces and the stray quotes Tesseract's chi_sim emits
// between Chinese characters, after NFKC (full-width digits to half-width).
func compact(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || strings.ContainsRune("\"'”“‘’|`_", r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// han keeps only Chinese characters (names, ethnicity).
func han(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// afterLabel returns what follows the first occurrence of label in line, or
// of label with one character misread (the labels are printed in light blue
// and letter-spaced), and whether the label was found.
func afterLabel(line, label string) (string, bool) {
	if i := strings.Index(line, label); i >= 0 {
		return line[i+len(label):], true
	}
	l := []rune(label)
	r := []rune(line)
	if len(l) >= 2 {
		for i := 0; i+len(l) <= len(r) && i < 3; i++ {
			miss := 0
			for j := range l {
				if r[i+j] != l[j] {
					miss++
				}
			}
			if miss <= len(l)/4 || (len(l) == 2 && miss == 1 && i == 0) {
				return string(r[i+len(l):]), true
			}
		}
	}
	return line, false
}

// ParseFront extracts the front fields from OCR text of the front's text
// zone (and, optionally, the number zone appended). Labels locate the
// fields; when a label is misread, the line order of the fixed layout
// (name, sex/ethnicity, birth, address…) is used instead.
func ParseFront(text string) Front {
	var f Front
	var addr []string
	inAddress := false
	for i, raw := range strings.Split(text, "\n") {
		l := compact(raw)
		if l == "" {
			continue
		}
		if m := numberRe.FindString(strings.ToUpper(l)); m != "" {
			if f.Number == "" {
				f.Number = m
			}
			inAddress = false
			continue
		}
		switch {
		case strings.Contains(l, "身份号码"):
			inAddress = false
		case f.Name == "" && (strings.Contains(l, "姓名") || i == 0):
			rest, _ := afterLabel(l, "姓名")
			f.Name = han(rest)
		case f.Sex == "" && (strings.Contains(l, "性别") || strings.Contains(l, "民族") || strings.ContainsAny(l, "男女")) && !inAddress:
			rest, _ := afterLabel(l, "性别")
			if j := strings.Index(rest, "民族"); j >= 0 {
				f.Ethnicity = snapEthnicity(han(rest[j+len("民族"):]))
				rest = rest[:j]
			} else if k := strings.IndexAny(rest, "男女"); k >= 0 {
				// 民族 misread: the ethnicity is the Chinese text after the
				// sex word, with a possibly garbled label in between.
				f.Ethnicity = snapEthnicity(lastEthnicity(han(rest[k+len("男"):])))
				rest = rest[:k+len("男")]
			}
			switch {
			case strings.Contains(rest, "男"):
				f.Sex = "M"
			case strings.Contains(rest, "女"):
				f.Sex = "F"
			}
		case f.BirthDate == "" && !inAddress && !strings.Contains(l, "住址") && dateRe.MatchString(digitLookalikes.Replace(l)):
			m := dateRe.FindStringSubmatch(digitLookalikes.Replace(l))
			f.BirthDate = isoDate(m[1], m[2], m[3])
		case strings.Contains(l, "住址") || inAddress || f.BirthDate != "":
			if !inAddress {
				l, _ = afterLabel(l, "住址")
				inAddress = true
			}
			addr = append(addr, l)
		}
	}
	f.Address = fixHao(cleanAddress(strings.Join(addr, "")))
	return f
}

// digitLookalikes maps what chi_sim reads for a lone digit in the birth
// line (a "1" between 年 and 月 often comes out as 工 or l).
var digitLookalikes = strings.NewReplacer("工", "1", "l", "1", "I", "1", "|", "1", "]", "1", "O", "0", "o", "0", "〇", "0", "S", "5", "B", "8", "Z", "2")

// ethnicityChars are the characters of the 56 names, plus 族.
var ethnicityChars = func() string {
	seen := map[rune]bool{'族': true}
	out := []rune{'族'}
	for _, e := range ethnicities {
		for _, r := range e {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return string(out)
}()

func knownEthnicity(s string) bool {
	for _, e := range ethnicities {
		if s == e {
			return true
		}
	}
	return false
}

// lastEthnicity returns the longest ethnicity name ending tail, or tail.
func lastEthnicity(tail string) string {
	best := ""
	for _, e := range ethnicities {
		if strings.HasSuffix(tail, e) && len(e) > len(best) {
			best = e
		}
	}
	if best != "" {
		return best
	}
	return tail
}

// snapEthnicity maps an OCR reading to the ethnic group it names: an exact
// name, a name followed by 族, or a reading one character off a name of two
// or more characters. Unknown readings are kept as read.
func snapEthnicity(s string) string {
	s = strings.TrimSuffix(s, "族")
	for _, e := range ethnicities {
		if s == e {
			return e
		}
	}
	r := []rune(s)
	// The reading may carry a garbled 民族 label in front: compare the
	// name with the end of the reading, allowing one wrong character in
	// names of two or more characters.
	best, bestMiss := "", 2
	for _, e := range ethnicities {
		er := []rune(e)
		if len(er) > len(r) {
			continue
		}
		tail := r[len(r)-len(er):]
		miss := 0
		for i := range er {
			if er[i] != tail[i] {
				miss++
			}
		}
		allowed := 0
		if len(er) >= 2 {
			allowed = 1
		}
		if miss <= allowed && (miss < bestMiss || (miss == bestMiss && len(er) > len([]rune(best)))) {
			best, bestMiss = e, miss
		}
	}
	if best != "" {
		return best
	}
	return s
}

// cleanAddress keeps Chinese characters, digits, Latin letters and the
// punctuation addresses use; OCR noise from the guilloché (stray marks,
// quotes) goes.
func cleanAddress(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || strings.ContainsRune("-()（）·", r) {
			b.WriteRune(r)
		}
	}
	// The address begins with a province-level name, none of which starts
	// with 一 or punctuation: there they are a stray stroke (the label's
	// edge, a guilloché line) that chi_sim reads as 一 or a dash.
	return strings.TrimLeft(b.String(), "一-()（）·")
}

// haoRe finds a character after a house number that chi_sim commonly reads
// in place of 号 (写, 弓, 导, 亏, 兮, 丐).
var haoRe = regexp.MustCompile(`(\d)[写弓导亏兮丐]`)

// fixHao restores 号 after a house number: Chinese addresses number
// buildings as "N号", and the look-alikes never follow a number there.
func fixHao(s string) string { return haoRe.ReplaceAllString(s, "${1}号") }

// ParseBack extracts the back fields from OCR text of the back's text zone.
func ParseBack(text string) Back {
	var bk Back
	for _, raw := range strings.Split(text, "\n") {
		l := compact(raw)
		if l == "" {
			continue
		}
		if rest, ok := afterLabel(l, "签发机关"); ok && bk.Authority == "" {
			bk.Authority = han(rest)
			continue
		}
		if m := validityRe.FindStringSubmatch(l); m != nil && bk.ValidFrom == "" {
			bk.ValidFrom = isoDate(m[1], m[2], m[3])
			if m[4] != "" {
				bk.ValidUntil = isoDate(m[4], m[5], m[6])
			} else {
				bk.NoExpiry = true
			}
		}
	}
	return bk
}

func isoDate(y, m, d string) string {
	var yi, mi, di int
	fmt.Sscanf(y, "%d", &yi)
	fmt.Sscanf(m, "%d", &mi)
	fmt.Sscanf(d, "%d", &di)
	if yi < 1800 || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

// Inconsistencies compares what the number encodes with what the front
// prints: birth date and sex. It returns the names of the fields that
// disagree (date_of_birth, sex); fields not read are not compared.
func (f Front) Inconsistencies() []string {
	n, err := Parse(f.Number)
	if err != nil && n.BirthDate == "" {
		return nil
	}
	var out []string
	if f.BirthDate != "" && n.BirthDate != "" && f.BirthDate != n.BirthDate {
		out = append(out, "date_of_birth")
	}
	if f.Sex != "" && n.Sex != "" && f.Sex != n.Sex {
		out = append(out, "sex")
	}
	return out
}

// zoneImage crops a zone and prepares it for OCR, assuming text lines of
// lineFrac × the card height.
func zoneImage(card image.Image, z [4]float64, lineFrac float64) *image.Gray {
	crop := prep.Crop(card, z[0], z[1], z[2], z[3])
	return prep.ForOCR(crop, lineFrac*float64(card.Bounds().Dy()))
}

// ReadFront reads the front of a rectified card (any resolution; about
// 1000 px wide is plenty) with eng (the number, digits only) and chi_sim.
func ReadFront(ctx context.Context, eng ocr.Engine, card image.Image) (Front, float64, error) {
	txt, err := eng.Recognize(ctx, zoneImage(card, FrontTextZone, 0.055), ocr.Options{Lang: ocr.LangChinese, PSM: ocr.PSMSingleBlock})
	if err != nil {
		return Front{}, 0, fmt.Errorf("cnid: front text: %w", err)
	}
	f := ParseFront(txt.Text)
	if !knownEthnicity(f.Ethnicity) {
		// One re-read of the value alone, restricted to the characters of
		// the 56 names: a complex glyph read as a look-alike outside them
		// (藏 → 茂) then comes out as the name it is.
		eth, err := eng.Recognize(ctx, zoneImage(card, EthnicityZone, 0.055), ocr.Options{Lang: ocr.LangChinese, PSM: ocr.PSMSingleLine, Whitelist: ethnicityChars})
		if err != nil {
			return f, txt.Confidence, fmt.Errorf("cnid: front ethnicity: %w", err)
		}
		if e := snapEthnicity(han(eth.Text)); knownEthnicity(e) {
			f.Ethnicity = e
		}
	}
	num, err := eng.Recognize(ctx, zoneImage(card, FrontNumberZone, 0.06), ocr.Options{Lang: ocr.LangEnglish, PSM: ocr.PSMSingleLine, Whitelist: "0123456789X"})
	if err != nil {
		return f, txt.Confidence, fmt.Errorf("cnid: front number: %w", err)
	}
	if m := numberRe.FindString(compact(num.Text)); m != "" {
		f.Number = m
	} else if c := compact(num.Text); len(c) >= 15 && f.Number == "" {
		f.Number = c // kept for the DOCUMENT_NUMBER_INVALID finding
	}
	return f, (txt.Confidence + num.Confidence) / 2, nil
}

// ReadBack reads the back of a rectified card with chi_sim.
func ReadBack(ctx context.Context, eng ocr.Engine, card image.Image) (Back, float64, error) {
	txt, err := eng.Recognize(ctx, zoneImage(card, BackTextZone, 0.05), ocr.Options{Lang: ocr.LangChinese, PSM: ocr.PSMSingleBlock})
	if err != nil {
		return Back{}, 0, fmt.Errorf("cnid: back text: %w", err)
	}
	return ParseBack(txt.Text), txt.Confidence, nil
}
