package reasons

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/kycgate/kycgate"
)

// Notice is a decision rendered for the applicant: the inbox message and the
// email say the same thing.
type Notice struct {
	Subject string
	Text    string
	HTML    string
}

// RenderNotice writes the notice of a decision in the locale. It lists every
// finding with its fix, so one resubmission can correct them all, and says
// which steps to submit again.
func RenderNotice(d *kycgate.Decision, locale string) Notice {
	zh := NormalizeLocale(locale) == Chinese
	var n Notice
	var intro string
	switch {
	case d.Outcome == kycgate.Approved && zh:
		n.Subject, intro = "身份认证已通过", "您的身份认证已通过，感谢您的配合。"
	case d.Outcome == kycgate.Approved:
		n.Subject, intro = "Your identity is verified", "Your identity verification was approved. Thank you."
	case d.Outcome == kycgate.ManualReview && zh:
		n.Subject, intro = "身份认证正在人工审核", "您的资料需要人工审核，审核完成后我们会通知您，无需重新提交。"
	case d.Outcome == kycgate.ManualReview:
		n.Subject, intro = "Your verification is being reviewed", "A reviewer is checking your submission; we will tell you the result. You do not need to submit again."
	case d.RejectType == kycgate.Final && zh:
		n.Subject, intro = "身份认证未通过", "很抱歉，您的身份认证未通过，且不能重新提交。如有疑问请联系客服。"
	case d.RejectType == kycgate.Final:
		n.Subject, intro = "Your verification was not successful", "We are sorry: your verification was declined and cannot be resubmitted. Please contact support if you have questions."
	case zh:
		n.Subject, intro = "身份认证需要修改后重新提交", "您的身份认证未通过，请按以下说明修改后重新提交。"
	default:
		n.Subject, intro = "Action needed: fix and resubmit your verification", "Your verification did not pass yet. Please fix the following and submit again."
	}
	var text, htm strings.Builder
	text.WriteString(intro + "\n")
	htm.WriteString("<p>" + html.EscapeString(intro) + "</p>\n")
	if len(d.Findings) > 0 {
		htm.WriteString("<ol>\n")
	}
	for i, f := range d.Findings {
		desc := Describe(f, locale)
		fmt.Fprintf(&text, "\n%d. %s\n   %s\n", i+1, desc.Message, desc.Fix)
		fmt.Fprintf(&htm, "<li><p><strong>%s</strong></p><p>%s</p></li>\n", html.EscapeString(desc.Message), html.EscapeString(desc.Fix))
	}
	if len(d.Findings) > 0 {
		htm.WriteString("</ol>\n")
	}
	if d.Outcome == kycgate.Rejected && d.RejectType == kycgate.Retry && len(d.FailedSteps) > 0 {
		names := make([]string, len(d.FailedSteps))
		for i, s := range d.FailedSteps {
			names[i] = StepName(s, locale)
		}
		var line string
		if zh {
			line = "只需重新提交：" + strings.Join(names, "、") + "。其他已通过的步骤无需重复。"
		} else {
			line = "Submit again only: " + strings.Join(names, ", ") + ". Steps that passed are kept."
		}
		text.WriteString("\n" + line + "\n")
		htm.WriteString("<p>" + html.EscapeString(line) + "</p>\n")
	}
	n.Text = text.String()
	n.HTML = htm.String()
	return n
}

// RenderMessage returns the inbox message of a decision for the applicant.
func RenderMessage(a *kycgate.Applicant, d *kycgate.Decision) *kycgate.Message {
	n := RenderNotice(d, a.Locale)
	return &kycgate.Message{ApplicantID: a.ID, DecisionID: d.ID, Subject: n.Subject, Body: n.Text,
		Findings: d.Findings, CreatedAt: d.CreatedAt}
}

var stepNames = map[kycgate.StepName][2]string{
	kycgate.StepPersonalData:   {"personal data", "个人信息"},
	kycgate.StepIDDocument:     {"identity document photos", "证件照片"},
	kycgate.StepSelfie:         {"selfie and liveness check", "自拍与活体检测"},
	kycgate.StepProofOfAddress: {"proof of address", "地址证明"},
}

// StepName returns a step's human name in the locale.
func StepName(s kycgate.StepName, locale string) string {
	n, ok := stepNames[s]
	if !ok {
		return string(s)
	}
	if NormalizeLocale(locale) == Chinese {
		return n[1]
	}
	return n[0]
}

// LockedText says until when an applicant is locked, in the locale and time
// zone of the reader.
func LockedText(until time.Time, locale string) string {
	if NormalizeLocale(locale) == Chinese {
		return "尝试次数过多，认证已锁定，解锁时间：" + until.Format("2006-01-02 15:04 MST") + "。"
	}
	return "Too many attempts: verification is locked until " + until.Format("2006-01-02 15:04 MST") + "."
}
