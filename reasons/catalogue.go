package reasons

import (
	"net/http"

	"github.com/kycgate/kycgate"
)

func entry(code kycgate.ReasonCode, rt kycgate.RejectType, status int, enMsg, enFix, zhMsg, zhFix string) Entry {
	return Entry{Code: code, RejectType: rt, HTTPStatus: status, Text: map[string]Text{
		English: {Message: enMsg, Fix: enFix},
		Chinese: {Message: zhMsg, Fix: zhFix},
	}}
}

// catalogue holds every reason code of the design. A test checks that each
// code has both locales and a fix that is more than a restatement.
var catalogue = map[kycgate.ReasonCode]Entry{}

func init() {
	for _, e := range []Entry{
		entry(kycgate.DataMismatch, kycgate.Retry, 0,
			"The details you entered do not match your document.",
			"Correct the fields named above so they read exactly as printed on the document: same spelling, same order of names, same date of birth and document number, no extra spaces or punctuation. Then submit the personal-data step again.",
			"您填写的信息与证件不一致。",
			"请按证件上印刷的内容逐字修改上述字段：拼写、姓名顺序、出生日期和证件号码完全一致，不要多加空格或标点。然后重新提交个人信息。"),
		entry(kycgate.DocumentNumberInvalid, kycgate.Retry, 0,
			"The document number is not valid: its check digit does not add up.",
			"Copy the document number again character by character (0 and O, 1 and I, 8 and B are easy to confuse). For a Chinese resident ID it has 18 characters, the last may be X.",
			"证件号码无效：校验位不正确。",
			"请逐位重新核对证件号码（注意区分 0 与 O、1 与 I、8 与 B）。居民身份证号码为 18 位，最后一位可能是 X。"),
		entry(kycgate.DocumentUnreadable, kycgate.Retry, 0,
			"We found your document but could not read its details.",
			"Photograph the whole document flat on a dark, plain surface in even light, filling most of the frame; make sure the text and the code lines at the bottom are sharp and not covered by fingers or reflections.",
			"已找到证件，但无法读取证件上的信息。",
			"请将整张证件平放在深色纯色背景上，在均匀光线下拍摄，让证件占满画面的大部分；确保文字和底部的机读码清晰，没有被手指或反光遮挡。"),
		entry(kycgate.ImageBlurry, kycgate.Retry, 0,
			"The photo of your document is blurry.",
			"Hold the phone steady (rest your elbows on the table), tap the screen on the document to focus, and wait a moment before taking the photo. Keep 15–25 cm between camera and document.",
			"证件照片模糊。",
			"请稳住手机（手肘撑在桌面上），点击屏幕上的证件对焦，稍等片刻再拍。镜头与证件保持 15–25 厘米距离。"),
		entry(kycgate.ImageGlare, kycgate.Retry, 0,
			"A reflection (glare) hides part of your document.",
			"Turn off the flash and tilt the document or the phone slightly away from lamps and windows until no bright spot appears on the document.",
			"证件上有反光，遮住了部分内容。",
			"请关闭闪光灯，稍微倾斜证件或手机，避开灯光和窗户，直到证件上没有亮斑。"),
		entry(kycgate.ImageOverexposed, kycgate.Retry, 0,
			"The photo is too bright: parts of the document are washed out.",
			"Move out of direct sunlight or away from the lamp, turn off the flash, and take the photo in soft, even light.",
			"照片过亮，证件部分内容过曝。",
			"请避开阳光直射或强光，关闭闪光灯，在柔和均匀的光线下拍摄。"),
		entry(kycgate.ImageUnderexposed, kycgate.Retry, 0,
			"The photo is too dark to read the document.",
			"Switch on a light or move near a window; avoid shadows of your hand or phone on the document.",
			"照片太暗，无法看清证件。",
			"请打开灯或靠近窗户拍摄，避免手或手机的阴影落在证件上。"),
		entry(kycgate.ImageLowResolution, kycgate.Retry, 0,
			"The document is too small in the photo to read.",
			"Bring the camera closer so the document fills most of the frame, and upload the original photo rather than a screenshot or a compressed copy.",
			"照片中的证件太小，无法识别。",
			"请将镜头靠近，使证件占满画面的大部分，并上传原图，不要上传截图或压缩后的图片。"),
		entry(kycgate.DocumentNotFound, kycgate.Retry, 0,
			"We could not find a document in the photo.",
			"Photograph the identity document itself (not a photocopy or a screen), whole and flat, on a plain background that contrasts with it.",
			"照片中未找到证件。",
			"请拍摄证件原件（不要拍复印件或屏幕），证件完整平放，背景为与证件颜色反差明显的纯色。"),
		entry(kycgate.DocumentCornersMissing, kycgate.Retry, 0,
			"Part of your document is cut off: not all four corners are visible.",
			"Move the camera back until all four corners of the document are inside the frame with a small margin around them, and keep fingers off the edges.",
			"证件有部分被截断，四个角没有全部拍到。",
			"请将镜头后移，使证件四个角都在画面内并留出少许边距，手指不要压住证件边缘。"),
		entry(kycgate.DocumentExpired, kycgate.Retry, 0,
			"Your document has expired.",
			"Use an identity document that is still valid on today's date (check the expiry date printed on it), or renew your document first.",
			"您的证件已过期。",
			"请使用在今天仍有效的证件（核对证件上的有效期），或先办理证件换领。"),
		entry(kycgate.FaceNotFound, kycgate.Retry, 0,
			"We could not find a face in the photo.",
			"Look straight at the camera with your whole face inside the oval, about an arm's length away, in good light; take off sunglasses, masks and hats, which can hide a face completely.",
			"照片中未检测到人脸。",
			"请正对镜头，整张脸位于取景框内，距离约一臂远，光线充足；请摘下墨镜、口罩和帽子，它们可能完全遮挡人脸。"),
		entry(kycgate.FaceMultiple, kycgate.Retry, 0,
			"More than one face is in the photo.",
			"Make sure you are alone in the frame; no other people, posters or photos of faces behind you.",
			"照片中有多张人脸。",
			"请确保画面中只有您一人，身后没有其他人、海报或人像照片。"),
		entry(kycgate.FaceTooDark, kycgate.Retry, 0,
			"Your face is too dark in the photo.",
			"Face a window or a lamp so the light falls on your face, not behind you; avoid sitting with your back to a bright window.",
			"照片中人脸太暗。",
			"请面向窗户或灯光，让光线照在脸上而不是身后；不要背对明亮的窗户。"),
		entry(kycgate.FaceOccluded, kycgate.Retry, 0,
			"Something covers part of your face.",
			"Take off sunglasses, hats, caps and face masks, and keep hair and hands away from your face. Ordinary glasses may stay on if there is no reflection on them.",
			"脸部有遮挡。",
			"请摘下墨镜、帽子和口罩，头发和手不要遮挡脸部。普通眼镜可以佩戴，但镜片上不要有反光。"),
		entry(kycgate.LivenessFailed, kycgate.Retry, 0,
			"The liveness check did not pass.",
			"Start a new check and do each action when asked, in the order shown, at a natural pace (about one second each); keep your face in the frame throughout, in good light.",
			"活体检测未通过。",
			"请重新开始检测，按提示的顺序以自然的速度完成每个动作（每个约一秒），全程保持脸在画面内，光线充足。"),
		entry(kycgate.FaceMismatch, kycgate.Retry, 0,
			"The face in the selfie does not match the photo on the document.",
			"The selfie must be of the document's holder. Take it yourself, facing the camera without glasses or hat, in even light; if your appearance changed a lot since the document was issued, a reviewer will check it.",
			"自拍照与证件照片不是同一人。",
			"自拍必须是证件持有人本人。请本人正对镜头、不戴帽子和眼镜、在均匀光线下拍摄；如外貌与证件照差别较大，将由人工审核。"),
		entry(kycgate.DocumentTypeNotAccepted, kycgate.Retry, 0,
			"This kind of document is not accepted.",
			"Upload an identity card, a passport or a driver's licence. Household registers, student cards, social-security cards and bank cards cannot be used.",
			"不接受此类证件。",
			"请上传身份证、护照或驾驶证。户口簿、学生证、社会保障卡和银行卡不能用于认证。"),
		entry(kycgate.AddressProofTypeNotAccepted, kycgate.Retry, 0,
			"This document is not accepted as proof of address.",
			"Upload a bank statement or a utility bill (electricity, water, gas, internet, landline) that shows your name and address.",
			"此文件不能作为地址证明。",
			"请上传显示您姓名和地址的银行对账单或水、电、燃气、网络、固话等账单。"),
		entry(kycgate.AddressProofTooOld, kycgate.Retry, 0,
			"Your proof of address is more than 3 months old.",
			"Upload a bank statement or utility bill issued within the last 3 months; the issue date must be visible.",
			"地址证明的开具日期已超过 3 个月。",
			"请上传近 3 个月内开具的银行对账单或账单，且开具日期清晰可见。"),
		entry(kycgate.AddressProofNameMismatch, kycgate.Retry, 0,
			"The name on the proof of address is not yours.",
			"Upload a statement or bill addressed to you, with your name spelled as on your identity document.",
			"地址证明上的姓名不是您本人。",
			"请上传寄给您本人的对账单或账单，姓名与身份证件一致。"),
		entry(kycgate.TooManyAttempts, "", http.StatusTooManyRequests,
			"Too many attempts: verification is locked for now.",
			"Wait until the time shown, then read the reasons of your last rejection carefully and fix every one of them before submitting again.",
			"尝试次数过多，认证暂时被锁定。",
			"请等到显示的解锁时间后再试；重新提交前，请仔细阅读上次被拒的原因并逐一改正。"),
		entry(kycgate.ImageInvalid, "", http.StatusBadRequest,
			"The file is not an image we can read.",
			"Upload a JPEG, PNG or WebP photo taken with your camera (HEIC photos: choose 'Most compatible' in the camera settings or export as JPEG).",
			"文件不是可识别的图片。",
			"请上传用相机拍摄的 JPEG、PNG 或 WebP 照片（HEIC 格式请在相机设置中选择「兼容性最佳」或导出为 JPEG）。"),
		entry(kycgate.ImageTooLarge, "", http.StatusRequestEntityTooLarge,
			"The file is too large.",
			"Upload a photo under 20 MB and 50 megapixels; a normal phone photo fits.",
			"文件过大。",
			"请上传小于 20 MB、5000 万像素以内的照片；普通手机照片即可。"),
	} {
		catalogue[e.Code] = e
	}
}

// stepTexts replace a code's wording on one step where the general text
// would name the wrong thing: IMAGE_BLURRY is worded for the document, and
// the selfie step reports it too.
var stepTexts = map[stepCode]map[string]Text{
	{kycgate.ImageLowResolution, kycgate.StepSelfie}: {
		English: {Message: "Your selfie has too few pixels to check your face, however close you come.",
			Fix: "Take the selfie in the capture screen with your phone's front camera, and send that photo itself: not a thumbnail, a crop or a compressed copy."},
		Chinese: {Message: "自拍照像素太少，无论靠多近都无法检查人脸。",
			Fix: "请在拍摄页面用手机前置摄像头拍摄自拍，并直接上传这张照片，不要上传缩略图、裁剪或压缩后的图片。"},
	},
	{kycgate.ImageBlurry, kycgate.StepSelfie}: {
		English: {Message: "Your selfie is blurry: your eyes and features are not sharp.",
			Fix: "Wipe the camera lens, hold the phone steady at arm's length and tap your face on the screen to focus; wait a moment before taking the photo, in good light."},
		Chinese: {Message: "自拍照模糊：眼睛和五官不清晰。",
			Fix: "请擦拭镜头，手臂伸直稳住手机，点击屏幕上的人脸对焦；稍等片刻再拍，并保持光线充足。"},
	},
}

type stepCode struct {
	code kycgate.ReasonCode
	step kycgate.StepName
}

// detailFixes replace a code's general fix where the finding's detail says
// exactly what went wrong: "take off sunglasses, hats and masks" for a
// mask alone makes the applicant guess which one, and "do each action at a
// natural pace" does not say whether to hurry or to slow down. A liveness
// detail "action:problem" is looked up by its problem.
var detailFixes = map[codeDetail]map[string]string{
	{kycgate.FaceOccluded, "sunglasses"}: {
		English: "Take off your sunglasses so both eyes show clearly. Ordinary clear glasses may stay on if there is no reflection on the lenses.",
		Chinese: "请摘下墨镜，让双眼清晰可见。普通透明眼镜可以佩戴，但镜片上不要有反光。"},
	{kycgate.FaceOccluded, "mask"}: {
		English: "Take off your face mask so your nose, mouth and chin show; keep your hands away from your face.",
		Chinese: "请摘下口罩，露出鼻子、嘴巴和下巴；手不要遮挡脸部。"},
	{kycgate.FaceOccluded, "hat"}: {
		English: "Take off your hat or cap so your forehead shows, and keep hair away from your eyes and eyebrows.",
		Chinese: "请摘下帽子，露出额头；头发不要遮住眼睛和眉毛。"},
	{kycgate.FaceNotFound, "too_small"}: {
		English: "Come closer: hold the phone about an arm's length away so that your face fills the oval.",
		Chinese: "请靠近一些：手机距离约一臂远，让脸部填满取景框。"},
	{kycgate.FaceNotFound, "cut_off"}: {
		English: "Move so that your whole face, from hairline to chin, is inside the oval with a little space around it.",
		Chinese: "请调整位置，让整张脸（从发际线到下巴）都在取景框内，并留出少许边距。"},
	{kycgate.FaceTooDark, "backlight"}: {
		English: "Turn around so that the bright light (a window, a lamp) is in front of you, not behind you.",
		Chinese: "请转身，让明亮的光源（窗户、灯）在您前方，而不是身后。"},
	{kycgate.FaceTooDark, "dark"}: {
		English: "Move to a brighter place, or switch on a light in front of you, so that your face is clearly lit.",
		Chinese: "请到更明亮的地方，或打开面前的灯，让脸部光线充足。"},
	{kycgate.LivenessFailed, "too_fast"}: {
		English: "Start a new check and do each action more slowly: hold it for about a second, then look straight at the camera again.",
		Chinese: "请重新开始检测，放慢动作：每个动作保持约一秒，然后重新正视镜头。"},
	{kycgate.LivenessFailed, "too_slow"}: {
		English: "Start a new check and do each action as soon as it is asked, at a natural pace, without long pauses.",
		Chinese: "请重新开始检测，在提示后立即以自然的速度完成动作，不要长时间停顿。"},
	{kycgate.LivenessFailed, "missing"}: {
		English: "Start a new check and do every action the screen asks for, clearly: a full blink, a clear turn or nod, the mouth wide open; keep your face in the frame.",
		Chinese: "请重新开始检测，清楚地完成屏幕要求的每个动作：完整眨眼、明显转头或点头、张大嘴；全程保持脸在画面内。"},
	{kycgate.LivenessFailed, "order"}: {
		English: "Start a new check and do the actions one after the other, in the order shown on the screen.",
		Chinese: "请重新开始检测，按屏幕显示的顺序依次完成动作。"},
	{kycgate.LivenessFailed, "too_dark"}: {
		English: "Move to a brighter place, or switch on a light in front of you, then start a new check.",
		Chinese: "请到更明亮的地方，或打开面前的灯，然后重新开始检测。"},
	{kycgate.LivenessFailed, "still_photo"}: {
		English: "Take the check yourself, live, in front of the camera: photos, screens and recordings are not accepted.",
		Chinese: "请本人在镜头前实时完成检测：照片、屏幕和录像均不被接受。"},
	{kycgate.LivenessFailed, "face_changed"}: {
		English: "Stay alone in front of the camera for the whole check, and keep your face in the frame.",
		Chinese: "检测全程请只有您一人在镜头前，并保持脸在画面内。"},
}

type codeDetail struct {
	code   kycgate.ReasonCode
	detail string
}

// doubtfulTexts word a finding the check was not sure of (Finding.Review)
// as a question rather than a verdict. Such a finding goes to a reviewer
// when it is the only one; beside a finding the applicant must fix, the
// notice lists it too, so that an applicant it applies to fixes it in the
// same try. Said as a verdict, it would tell a bare face to take off a hat
// it does not wear; said as a condition, it guides the one and does not
// mislead the other. Keyed by code and detail; a doubtful finding with no
// entry keeps its usual wording.
var doubtfulTexts = map[codeDetail]map[string]Text{
	{kycgate.FaceOccluded, "sunglasses"}: {
		English: {Message: "Part of your face may be covered.",
			Fix: "If you are wearing sunglasses, take them off so both eyes show clearly. Ordinary clear glasses may stay on if there is no reflection on the lenses."},
		Chinese: {Message: "脸部可能有遮挡。",
			Fix: "如果您戴着墨镜，请摘下，让双眼清晰可见。普通透明眼镜可以佩戴，但镜片上不要有反光。"}},
	{kycgate.FaceOccluded, "mask"}: {
		English: {Message: "Part of your face may be covered.",
			Fix: "If you are wearing a face mask, take it off so your nose, mouth and chin show; keep your hands away from your face."},
		Chinese: {Message: "脸部可能有遮挡。",
			Fix: "如果您戴着口罩，请摘下，露出鼻子、嘴巴和下巴；手不要遮挡脸部。"}},
	{kycgate.FaceOccluded, "hat"}: {
		English: {Message: "Part of your face may be covered.",
			Fix: "If you are wearing a hat or cap, take it off so your forehead shows, and keep hair away from your eyes and eyebrows."},
		Chinese: {Message: "脸部可能有遮挡。",
			Fix: "如果您戴着帽子，请摘下，露出额头；头发不要遮住眼睛和眉毛。"}},
}
