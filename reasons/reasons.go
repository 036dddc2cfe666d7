// Package reasons is the catalogue of reason codes: for each code its
// default reject type and, in English and Simplified Chinese, a message that
// says what went wrong and a guide that says how to fix it.
//
// The guide is the heart of kycgate's promise that the second try passes:
// it tells the applicant what to check and how to take the photo again, not
// merely that something failed.
package reasons

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kycgate/kycgate"
)

// Locales kycgate writes notices in.
const (
	English = "en"
	Chinese = "zh-CN"
)

// Entry describes one reason code.
type Entry struct {
	Code kycgate.ReasonCode
	// RejectType is what the policy does with the finding by default.
	RejectType kycgate.RejectType
	// HTTPStatus is set for codes that are answered by the API rather than
	// decided (TOO_MANY_ATTEMPTS, IMAGE_INVALID, IMAGE_TOO_LARGE).
	HTTPStatus int
	Text       map[string]Text
}

// Text is an entry's wording in one locale.
type Text struct {
	// Message says what went wrong, in one sentence.
	Message string
	// Fix says how to get it right next time: concrete steps.
	Fix string
}

// Lookup returns the entry for code, and whether the code is known.
func Lookup(code kycgate.ReasonCode) (Entry, bool) {
	e, ok := catalogue[code]
	return e, ok
}

// Codes returns every code in the catalogue, sorted.
func Codes() []kycgate.ReasonCode {
	codes := make([]kycgate.ReasonCode, 0, len(catalogue))
	for c := range catalogue {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	return codes
}

// NormalizeLocale maps an Accept-Language style tag to a supported locale:
// any Chinese tag to zh-CN, anything else to English.
func NormalizeLocale(tag string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(tag)), "zh") {
		return Chinese
	}
	return English
}

// Describe returns the message and fix for a finding in the locale, with the
// finding's fields and detail woven in so the applicant knows exactly what
// to correct. A finding the check was not sure of (Finding.Review) is
// worded as a condition where the catalogue has such a wording
// (doubtfulTexts): "if you are wearing a hat, take it off".
func Describe(f kycgate.Finding, locale string) Text {
	locale = NormalizeLocale(locale)
	e, ok := catalogue[f.Code]
	if !ok {
		if locale == Chinese {
			return Text{Message: "检查未通过（" + string(f.Code) + "）。", Fix: "请按提示重新提交。"}
		}
		return Text{Message: "A check failed (" + string(f.Code) + ").", Fix: "Please follow the instructions and submit again."}
	}
	t := e.Text[locale]
	if st, ok := stepTexts[stepCode{f.Code, f.Step}]; ok {
		t = st[locale]
	}
	if fix := detailFix(f, locale); fix != "" {
		t.Fix = fix
	}
	if d, ok := doubtfulTexts[codeDetail{f.Code, f.Detail}]; ok && f.Review {
		t = d[locale]
	}
	if extra := specifics(f, locale); extra != "" {
		t.Message += " " + extra
	}
	return t
}

// detailFix is the fix for the finding's detail (detailFixes), or "".
func detailFix(f kycgate.Finding, locale string) string {
	if fix, ok := detailFixes[codeDetail{f.Code, f.Detail}]; ok {
		return fix[locale]
	}
	if _, problem, ok := strings.Cut(f.Detail, ":"); ok {
		return detailFixes[codeDetail{f.Code, problem}][locale]
	}
	return ""
}

// specifics renders the fields, document values and detail of a finding.
func specifics(f kycgate.Finding, locale string) string {
	var parts []string
	for _, field := range f.Fields {
		name := FieldName(field, locale)
		v, has := f.DocumentValues[field]
		switch {
		case has && locale == Chinese:
			parts = append(parts, fmt.Sprintf("%s：证件上为「%s」", name, v))
		case has:
			parts = append(parts, fmt.Sprintf("%s: the document says %q", name, v))
		default:
			parts = append(parts, name)
		}
	}
	if f.Detail != "" {
		d := DetailText(f.Detail, locale)
		if locale == Chinese {
			parts = append(parts, "详情："+d)
		} else {
			parts = append(parts, "Detail: "+d)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if locale == Chinese {
		return strings.Join(parts, "；") + "。"
	}
	return strings.Join(parts, "; ") + "."
}

var fieldNames = map[string][2]string{
	"surname":         {"Surname", "姓"},
	"given_names":     {"Given names", "名"},
	"native_name":     {"Name in native script", "中文姓名"},
	"date_of_birth":   {"Date of birth", "出生日期"},
	"document_number": {"Document number", "证件号码"},
	"nationality":     {"Nationality", "国籍"},
	"sex":             {"Sex", "性别"},
	"document_type":   {"Document type", "证件类型"},
	"issuing_country": {"Issuing country", "签发国家"},
	"date_of_expiry":  {"Date of expiry", "有效期至"},
	"address":         {"Address", "地址"},
}

// FieldName returns a declared field's human name in the locale.
func FieldName(field, locale string) string {
	n, ok := fieldNames[field]
	if !ok {
		return field
	}
	if NormalizeLocale(locale) == Chinese {
		return n[1]
	}
	return n[0]
}

var details = map[string][2]string{
	"sunglasses":           {"sunglasses", "墨镜"},
	"mask":                 {"a face mask", "口罩"},
	"hat":                  {"a hat or cap", "帽子"},
	"too_small":            {"the face is too small in the frame", "人脸在画面中太小"},
	"cut_off":              {"the face is cut off at the edge", "人脸被画面边缘截断"},
	"too_fast":             {"done too fast", "动作过快"},
	"too_slow":             {"done too slowly", "动作过慢"},
	"missing":              {"not seen", "未检测到"},
	"order":                {"the actions were done in the wrong order", "动作顺序不对"},
	"face_changed":         {"the face changed during the check", "检测过程中人脸发生变化"},
	"still_photo":          {"a still photo was shown instead of a live face", "检测到静态照片而非真人"},
	"replayed_frames":      {"the video was replayed from an earlier attempt", "视频为之前尝试的重放"},
	"expired":              {"the challenge expired; start a new one", "动作挑战已过期，请重新开始"},
	"fps":                  {"too few frames per second were captured", "采集帧率过低"},
	"too_dark":             {"too dark", "光线太暗"},
	"blink":                {"blink", "眨眼"},
	"turn_left":            {"turn your head left", "向左转头"},
	"turn_right":           {"turn your head right", "向右转头"},
	"nod":                  {"nod", "点头"},
	"open_mouth":           {"open your mouth", "张嘴"},
	"household_register":   {"household register (居民户口簿)", "居民户口簿"},
	"student_card":         {"student card (学生证)", "学生证"},
	"social_security_card": {"social-security card (社会保障卡)", "社会保障卡"},
	"bank_card":            {"bank card", "银行卡"},
	"other":                {"not recognised as an accepted identity document", "无法识别为可接受的身份证件"},
	"passport":             {"a passport", "护照"},
	"id_card":              {"an identity card", "身份证"},
	"driver_license":       {"a driver's licence", "驾驶证"},
	"defocus":              {"out of focus", "未对焦"},
	"motion":               {"the camera moved", "拍摄时手机晃动"},
	"dark":                 {"too dark", "太暗"},
	"noisy":                {"too dark and grainy", "太暗且噪点多"},
	"backlight":            {"a bright light behind you", "背光（身后光线太强）"},
	"expires_soon":         {"the document expires soon", "证件即将过期"},
	"document_portrait":    {"no face was found in the document's photo", "证件照片中未找到人脸"},
	"challenge_used":       {"the challenge was already used; start a new one", "该动作挑战已被使用，请重新开始"},
	"no_challenge":         {"no valid challenge; start a new one", "没有有效的动作挑战，请重新开始"},
	"timestamps":           {"the frames' times are out of order", "视频帧时间顺序错误"},
	"reordered_frames":     {"the frames are out of order", "视频帧顺序被打乱"},
	"no_face":              {"no face in the video", "视频中未检测到人脸"},
	"multiple_faces":       {"more than one face in the video", "视频中有多张人脸"},
	"frames":               {"too few frames", "视频帧数太少"},
	"no_text":              {"no text could be read", "无法读取任何文字"},
	"no_document":          {"no document could be found in the photo", "照片中未找到证件"},
	"check_digit":          {"a check digit does not match the number it checks", "校验位与号码不符"},
	"readings_disagree":    {"the document's printed details, machine-readable zone, barcode or ID number disagree", "证件的印刷信息、机读码、条码或证件号码互相矛盾"},
	"issue_date_not_found": {"the issue date could not be found", "未找到签发日期"},
	"issued":               {"issued on", "签发日期"},
}

// DetailText renders a finding's detail: known words are translated, and
// "action:problem" pairs such as "blink:too_fast" read as a phrase.
func DetailText(detail, locale string) string {
	zh := NormalizeLocale(locale) == Chinese
	word := func(w string) string {
		if d, ok := details[w]; ok {
			if zh {
				return d[1]
			}
			return d[0]
		}
		return w
	}
	if a, b, ok := strings.Cut(detail, ":"); ok {
		if zh {
			return word(a) + "：" + word(b)
		}
		return word(a) + ": " + word(b)
	}
	return word(detail)
}
