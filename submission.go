package kycgate

import "time"

// PersonalData is what the applicant declares at level 1. It is personal
// data: encrypted at rest and never logged.
type PersonalData struct {
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	NativeName     string `json:"native_name,omitempty"`
	DateOfBirth    string `json:"date_of_birth"` // YYYY-MM-DD
	Sex            string `json:"sex,omitempty"` // M, F or X
	Nationality    string `json:"nationality"`   // ISO 3166-1 alpha-3
	DocumentType   string `json:"document_type"` // passport, id_card, driver_license
	DocumentNumber string `json:"document_number"`
	IssuingCountry string `json:"issuing_country,omitempty"`
	Address        string `json:"address,omitempty"`
}

// Accepted identity document types.
const (
	DocPassport      = "passport"
	DocIDCard        = "id_card"
	DocDriverLicense = "driver_license"
)

// FileKind says what a submitted file shows.
type FileKind string

// File kinds.
const (
	FileDocumentFront  FileKind = "document_front"
	FileDocumentBack   FileKind = "document_back"
	FileSelfie         FileKind = "selfie"
	FileLivenessFrame  FileKind = "liveness_frame"
	FileProofOfAddress FileKind = "proof_of_address"
)

// File is one uploaded file of a submission, stored encrypted in the blob
// store. Its hash makes the submission's content immutable and auditable.
type File struct {
	Step        StepName `json:"step"`
	Kind        FileKind `json:"kind"`
	BlobKey     string   `json:"-"`
	SHA256      string   `json:"sha256"`
	Size        int64    `json:"size"`
	ContentType string   `json:"content_type"`
	// CapturedAt is the client's capture time of a liveness frame, in
	// milliseconds since the challenge was issued.
	CapturedAtMS int64 `json:"captured_at_ms,omitempty"`
}

// Submission is one immutable attempt: the steps it covers, the declared data
// and the files. Checks run on it in a job; a decision closes it.
type Submission struct {
	ID           string        `json:"id"`
	ApplicantID  string        `json:"applicant_id"`
	Steps        []StepName    `json:"steps"`
	PersonalData *PersonalData `json:"-"`
	Files        []File        `json:"files"`
	// ChallengeID names the liveness challenge the frames answer.
	ChallengeID string    `json:"challenge_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Outcome is the result of a decision.
type Outcome string

// Decision outcomes.
const (
	Approved     Outcome = "APPROVED"
	Rejected     Outcome = "REJECTED"
	ManualReview Outcome = "MANUAL_REVIEW"
)

// RejectType says whether a rejected applicant may resubmit.
type RejectType string

// Reject types.
const (
	Retry RejectType = "RETRY" // fix the failed steps and resubmit
	Final RejectType = "FINAL" // no resubmission
)

// Decision closes a submission.
type Decision struct {
	ID           string     `json:"id"`
	SubmissionID string     `json:"submission_id"`
	ApplicantID  string     `json:"applicant_id"`
	Outcome      Outcome    `json:"outcome"`
	RejectType   RejectType `json:"reject_type,omitempty"`
	Findings     []Finding  `json:"findings"`
	// FailedSteps are the steps to submit again after a RETRY.
	FailedSteps []StepName `json:"failed_steps,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Status returns the applicant status a decision leads to.
func (d *Decision) Status() Status {
	switch d.Outcome {
	case Approved:
		return StatusApproved
	case ManualReview:
		return StatusManualReview
	}
	if d.RejectType == Final {
		return StatusFinal
	}
	return StatusRetry
}
