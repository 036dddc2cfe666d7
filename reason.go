package kycgate

// ReasonCode is a stable code naming why a check failed. The set is a
// contract shared by the API, the CLI, webhooks, notices and tests; codes are
// added, never changed in meaning.
type ReasonCode string

// The reason codes of ../shared/design.md.
const (
	DataMismatch                ReasonCode = "DATA_MISMATCH"
	DocumentNumberInvalid       ReasonCode = "DOCUMENT_NUMBER_INVALID"
	DocumentUnreadable          ReasonCode = "DOCUMENT_UNREADABLE"
	ImageBlurry                 ReasonCode = "IMAGE_BLURRY"
	ImageGlare                  ReasonCode = "IMAGE_GLARE"
	ImageOverexposed            ReasonCode = "IMAGE_OVEREXPOSED"
	ImageUnderexposed           ReasonCode = "IMAGE_UNDEREXPOSED"
	ImageLowResolution          ReasonCode = "IMAGE_LOW_RESOLUTION"
	DocumentNotFound            ReasonCode = "DOCUMENT_NOT_FOUND"
	DocumentCornersMissing      ReasonCode = "DOCUMENT_CORNERS_MISSING"
	DocumentExpired             ReasonCode = "DOCUMENT_EXPIRED"
	FaceNotFound                ReasonCode = "FACE_NOT_FOUND"
	FaceMultiple                ReasonCode = "FACE_MULTIPLE"
	FaceTooDark                 ReasonCode = "FACE_TOO_DARK"
	FaceOccluded                ReasonCode = "FACE_OCCLUDED"
	LivenessFailed              ReasonCode = "LIVENESS_FAILED"
	FaceMismatch                ReasonCode = "FACE_MISMATCH"
	DocumentTypeNotAccepted     ReasonCode = "DOCUMENT_TYPE_NOT_ACCEPTED"
	AddressProofTypeNotAccepted ReasonCode = "ADDRESS_PROOF_TYPE_NOT_ACCEPTED"
	AddressProofTooOld          ReasonCode = "ADDRESS_PROOF_TOO_OLD"
	AddressProofNameMismatch    ReasonCode = "ADDRESS_PROOF_NAME_MISMATCH"
	TooManyAttempts             ReasonCode = "TOO_MANY_ATTEMPTS"
	ImageInvalid                ReasonCode = "IMAGE_INVALID"
	ImageTooLarge               ReasonCode = "IMAGE_TOO_LARGE"
)

// Finding is one thing a check found wrong (or doubtful) in a submission.
// Every finding of a submission is reported to the applicant, not only the
// first, so one resubmission can fix them all.
type Finding struct {
	Code ReasonCode `json:"code"`
	// Step is the step the finding belongs to; resubmission asks for it again.
	Step StepName `json:"step"`
	// Fields names the declared fields that differ (DATA_MISMATCH) or are
	// invalid (DOCUMENT_NUMBER_INVALID).
	Fields []string `json:"fields,omitempty"`
	// DocumentValues holds, per field in Fields, what the document says, so
	// the applicant sees what to correct.
	DocumentValues map[string]string `json:"document_values,omitempty"`
	// Detail narrows the code: "sunglasses" for FACE_OCCLUDED, "blink:too_fast"
	// for LIVENESS_FAILED, the recognised kind for DOCUMENT_TYPE_NOT_ACCEPTED.
	Detail string `json:"detail,omitempty"`
	// Metrics are the measurements behind the finding, with their thresholds.
	Metrics map[string]float64 `json:"metrics,omitempty"`
	// Review marks a finding that is doubtful rather than failed: it sends the
	// submission to manual review instead of rejecting it.
	Review bool `json:"review,omitempty"`
}

// ReasonCodes returns every reason code of the design, in the design's order.
func ReasonCodes() []ReasonCode {
	return []ReasonCode{
		DataMismatch, DocumentNumberInvalid, DocumentUnreadable, ImageBlurry, ImageGlare,
		ImageOverexposed, ImageUnderexposed, ImageLowResolution, DocumentNotFound,
		DocumentCornersMissing, DocumentExpired, FaceNotFound, FaceMultiple, FaceTooDark,
		FaceOccluded, LivenessFailed, FaceMismatch, DocumentTypeNotAccepted,
		AddressProofTypeNotAccepted, AddressProofTooOld, AddressProofNameMismatch,
		TooManyAttempts, ImageInvalid, ImageTooLarge,
	}
}
