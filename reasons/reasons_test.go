package reasons

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/kycgate/kycgate"
)

func TestCatalogueCoversEveryCodeInBothLocales(t *testing.T) {
	for _, code := range kycgate.ReasonCodes() {
		e, ok := Lookup(code)
		if !ok {
			t.Errorf("%s: not in the catalogue", code)
			continue
		}
		for _, loc := range []string{English, Chinese} {
			txt := e.Text[loc]
			if txt.Message == "" || txt.Fix == "" {
				t.Errorf("%s/%s: empty message or fix", code, loc)
			}
			minRunes := 40 // Chinese says as much in about a third of the characters
			if loc == Chinese {
				minRunes = 15
			}
			if len([]rune(txt.Fix)) < minRunes {
				t.Errorf("%s/%s: fix %q is too short to guide anyone", code, loc, txt.Fix)
			}
		}
		if e.RejectType == "" && e.HTTPStatus == 0 {
			t.Errorf("%s: neither a reject type nor an HTTP status", code)
		}
	}
	if got, want := len(Codes()), len(kycgate.ReasonCodes()); got != want {
		t.Errorf("catalogue has %d codes, the domain %d", got, want)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name    string
		finding kycgate.Finding
		locale  string
		want    []string
		// not are words the text must not hold: a fix for one occluder
		// that names the others leaves the applicant guessing.
		not []string
	}{
		{"mismatch names field and document value", kycgate.Finding{Code: kycgate.DataMismatch,
			Fields: []string{"date_of_birth"}, DocumentValues: map[string]string{"date_of_birth": "1960-06-28"}},
			"en", []string{"Date of birth", `"1960-06-28"`, "Correct the fields"}, nil},
		{"chinese mismatch", kycgate.Finding{Code: kycgate.DataMismatch,
			Fields: []string{"native_name"}, DocumentValues: map[string]string{"native_name": "孙晓明"}},
			"zh-CN", []string{"中文姓名", "「孙晓明」"}, nil},
		{"occlusion detail", kycgate.Finding{Code: kycgate.FaceOccluded, Detail: "sunglasses"}, "en", []string{"sunglasses"}, nil},
		{"liveness pair", kycgate.Finding{Code: kycgate.LivenessFailed, Detail: "blink:too_fast"}, "zh", []string{"眨眼：动作过快"}, nil},
		{"blur on the document", kycgate.Finding{Code: kycgate.ImageBlurry, Step: kycgate.StepIDDocument, Detail: "defocus"},
			"en", []string{"photo of your document is blurry", "out of focus"}, nil},
		{"blur on the selfie names the selfie", kycgate.Finding{Code: kycgate.ImageBlurry, Step: kycgate.StepSelfie, Detail: "defocus"},
			"en", []string{"Your selfie is blurry", "Wipe the camera lens", "out of focus"}, nil},
		{"a selfie too small for any face is a resolution problem", kycgate.Finding{Code: kycgate.ImageLowResolution, Step: kycgate.StepSelfie},
			"en", []string{"Your selfie has too few pixels", "not a thumbnail"}, nil},
		{"a document too small keeps its own wording", kycgate.Finding{Code: kycgate.ImageLowResolution, Step: kycgate.StepIDDocument},
			"zh-CN", []string{"证件太小"}, nil},
		{"chinese blur on the selfie", kycgate.Finding{Code: kycgate.ImageBlurry, Step: kycgate.StepSelfie},
			"zh-CN", []string{"自拍照模糊", "擦拭镜头"}, nil},
		{"unknown code still says something", kycgate.Finding{Code: "SANCTIONS_HIT"}, "en", []string{"SANCTIONS_HIT"}, nil},
		{"a mask alone is named in the fix", kycgate.Finding{Code: kycgate.FaceOccluded, Detail: "mask"},
			"en", []string{"Take off your face mask"}, []string{"sunglasses", "hat"}},
		{"chinese sunglasses fix", kycgate.Finding{Code: kycgate.FaceOccluded, Detail: "sunglasses"},
			"zh-CN", []string{"请摘下墨镜", "普通透明眼镜可以佩戴"}, []string{"口罩", "帽子"}},
		{"backlight says where the light goes", kycgate.Finding{Code: kycgate.FaceTooDark, Detail: "backlight"},
			"en", []string{"in front of you, not behind you"}, nil},
		{"too fast says slow down", kycgate.Finding{Code: kycgate.LivenessFailed, Detail: "blink:too_fast"},
			"en", []string{"more slowly"}, []string{"as soon as"}},
		{"too slow says do not wait", kycgate.Finding{Code: kycgate.LivenessFailed, Detail: "nod:too_slow"},
			"zh-CN", []string{"点头：动作过慢", "立即"}, nil},
		{"a refused kind is named in the applicant's language", kycgate.Finding{Code: kycgate.DocumentTypeNotAccepted, Detail: "household_register"},
			"zh-CN", []string{"详情：居民户口簿", "请上传身份证、护照或驾驶证"}, nil},
		{"a doubtful hat is a condition, not a verdict", kycgate.Finding{Code: kycgate.FaceOccluded, Detail: "hat", Review: true},
			"en", []string{"may be covered", "Detail: a hat or cap", "If you are wearing a hat or cap, take it off"}, []string{"mask", "sunglasses"}},
		{"a doubtful mask in chinese", kycgate.Finding{Code: kycgate.FaceOccluded, Detail: "mask", Review: true},
			"zh-CN", []string{"脸部可能有遮挡", "详情：口罩", "如果您戴着口罩"}, []string{"墨镜", "帽子"}},
		{"a sure mask is a verdict", kycgate.Finding{Code: kycgate.FaceOccluded, Detail: "mask"},
			"en", []string{"Something covers part of your face", "Take off your face mask"}, []string{"If you"}},
		{"a doubtful finding without a conditional wording keeps its own", kycgate.Finding{Code: kycgate.DocumentExpired, Detail: "expires_soon", Review: true},
			"en", []string{"Detail: the document expires soon"}, nil},
		{"a detail without its own fix keeps the general one", kycgate.Finding{Code: kycgate.LivenessFailed, Detail: "fps"},
			"en", []string{"Start a new check and do each action when asked"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Describe(tt.finding, tt.locale)
			all := d.Message + " " + d.Fix
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q lacks %q", all, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(d.Fix, w) {
					t.Errorf("fix %q names %q", d.Fix, w)
				}
			}
		})
	}
}

func ExampleDescribe() {
	f := kycgate.Finding{Code: kycgate.FaceOccluded, Step: kycgate.StepSelfie, Detail: "hat"}
	d := Describe(f, "en")
	fmt.Println(d.Message)
	fmt.Println(d.Fix)
	// Output:
	// Something covers part of your face. Detail: a hat or cap.
	// Take off your hat or cap so your forehead shows, and keep hair away from your eyes and eyebrows.
}

// A finding the check was not sure of is worded as a condition.
func ExampleDescribe_doubtful() {
	f := kycgate.Finding{Code: kycgate.FaceOccluded, Step: kycgate.StepSelfie, Detail: "hat", Review: true}
	d := Describe(f, "en")
	fmt.Println(d.Message)
	fmt.Println(d.Fix)
	// Output:
	// Part of your face may be covered. Detail: a hat or cap.
	// If you are wearing a hat or cap, take it off so your forehead shows, and keep hair away from your eyes and eyebrows.
}

func TestRenderNotice(t *testing.T) {
	d := &kycgate.Decision{Outcome: kycgate.Rejected, RejectType: kycgate.Retry,
		FailedSteps: []kycgate.StepName{kycgate.StepIDDocument, kycgate.StepPersonalData},
		Findings: []kycgate.Finding{
			{Code: kycgate.ImageGlare, Step: kycgate.StepIDDocument},
			{Code: kycgate.DataMismatch, Step: kycgate.StepPersonalData, Fields: []string{"surname"},
				DocumentValues: map[string]string{"surname": "<script>SUN</script>"}},
		}}
	en := RenderNotice(d, "en")
	for _, w := range []string{"glare", "Surname", "Submit again only: identity document photos, personal data"} {
		if !strings.Contains(en.Text, w) {
			t.Errorf("english notice lacks %q:\n%s", w, en.Text)
		}
	}
	if strings.Contains(en.HTML, "<script>") {
		t.Errorf("HTML notice does not escape document values: %s", en.HTML)
	}
	zh := RenderNotice(d, "zh-CN")
	for _, w := range []string{"反光", "只需重新提交：证件照片、个人信息"} {
		if !strings.Contains(zh.Text, w) {
			t.Errorf("chinese notice lacks %q:\n%s", w, zh.Text)
		}
	}
	// A face framed too close goes back to the applicant; the hat the
	// check doubts is listed as a condition, not an order.
	closeUp := RenderNotice(&kycgate.Decision{Outcome: kycgate.Rejected, RejectType: kycgate.Retry,
		FailedSteps: []kycgate.StepName{kycgate.StepSelfie},
		Findings: []kycgate.Finding{
			{Code: kycgate.FaceNotFound, Step: kycgate.StepSelfie, Detail: "cut_off"},
			{Code: kycgate.FaceOccluded, Step: kycgate.StepSelfie, Detail: "hat", Review: true},
		}}, "en")
	for _, w := range []string{"whole face", "If you are wearing a hat or cap, take it off"} {
		if !strings.Contains(closeUp.Text, w) {
			t.Errorf("notice for a face cut off with a doubtful hat lacks %q:\n%s", w, closeUp.Text)
		}
	}
	if strings.Contains(closeUp.Text, "Take off your hat") {
		t.Errorf("notice orders a doubtful hat off:\n%s", closeUp.Text)
	}
	ok := RenderNotice(&kycgate.Decision{Outcome: kycgate.Approved}, "en")
	if !strings.Contains(ok.Subject, "verified") || strings.Contains(ok.Text, "Submit again") {
		t.Errorf("approval notice: %+v", ok)
	}
}

// TestEveryDetailIsWorded keeps the details the checks emit readable in
// both languages: a raw identifier in a notice is a defect.
func TestEveryDetailIsWorded(t *testing.T) {
	for _, d := range []string{"sunglasses", "mask", "hat", "too_small", "cut_off", "defocus", "motion", "dark", "noisy",
		"backlight", "expired", "expires_soon", "document_portrait", "challenge_used", "no_challenge", "timestamps",
		"reordered_frames", "no_face", "multiple_faces", "frames", "fps", "order", "face_changed", "still_photo",
		"replayed_frames", "too_dark", "blink:too_fast", "turn_left:missing", "nod:too_slow", "open_mouth:missing",
		"household_register", "student_card", "social_security_card", "bank_card", "other", "passport", "id_card", "driver_license",
		"no_text", "no_document", "check_digit", "readings_disagree", "issue_date_not_found", "issued:2026-07-01"} {
		for _, loc := range []string{English, Chinese} {
			if got := DetailText(d, loc); strings.Contains(got, "_") || (loc == Chinese && got == d) {
				t.Errorf("%s/%s: %q is not worded", d, loc, got)
			}
		}
	}
}

// TestDetailFixesInBothLocales keeps every detail-specific fix written in
// both languages and long enough to guide.
func TestDetailFixesInBothLocales(t *testing.T) {
	fixes := maps.Clone(detailFixes)
	for cd, texts := range doubtfulTexts {
		fixes[codeDetail{cd.code, cd.detail + " (doubtful)"}] = map[string]string{English: texts[English].Fix, Chinese: texts[Chinese].Fix}
		for loc, txt := range texts {
			if txt.Message == "" {
				t.Errorf("%s/%s/%s: doubtful wording without a message", cd.code, cd.detail, loc)
			}
		}
	}
	for cd, fix := range fixes {
		if _, ok := Lookup(cd.code); !ok {
			t.Errorf("%s/%s: code not in the catalogue", cd.code, cd.detail)
		}
		for loc, minRunes := range map[string]int{English: 40, Chinese: 15} {
			if len([]rune(fix[loc])) < minRunes {
				t.Errorf("%s/%s/%s: fix %q is too short to guide anyone", cd.code, cd.detail, loc, fix[loc])
			}
		}
	}
}
