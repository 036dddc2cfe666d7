package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
)

// multipartBody marks an endpoint whose body is multipart/form-data; the
// OpenAPI document describes its parts.
type multipartBody struct{}

// SubmissionResponse acknowledges an accepted submission: it is durable and
// its verification is queued.
type SubmissionResponse struct {
	ID                   string             `json:"id"`
	ApplicantID          string             `json:"applicant_id"`
	Steps                []kycgate.StepName `json:"steps"`
	Files                []kycgate.File     `json:"files"`
	Status               kycgate.Status     `json:"status"`
	QueuePosition        int                `json:"queue_position"`
	EstimatedWaitSeconds float64            `json:"estimated_wait_seconds"`
}

// stepOfKind says which step a file kind belongs to.
var stepOfKind = map[kycgate.FileKind]kycgate.StepName{
	kycgate.FileDocumentFront:  kycgate.StepIDDocument,
	kycgate.FileDocumentBack:   kycgate.StepIDDocument,
	kycgate.FileSelfie:         kycgate.StepSelfie,
	kycgate.FileLivenessFrame:  kycgate.StepSelfie,
	kycgate.FileProofOfAddress: kycgate.StepProofOfAddress,
}

// sniffBytes is how much of a file is kept to read its header: enough for
// a JPEG with a large EXIF block before its frame header.
const sniffBytes = 256 << 10

func (s *Server) createSubmission(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.Store.FindApplicant(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	switch a.Status {
	case kycgate.StatusPending:
		return kycgate.Errorf(kycgate.ErrConflict, "a submission is already being checked")
	case kycgate.StatusFinal:
		return kycgate.Errorf(kycgate.ErrConflict, "the applicant was rejected FINAL: uploads are refused until an operator resets the applicant")
	case kycgate.StatusManualReview:
		return kycgate.Errorf(kycgate.ErrConflict, "the applicant is waiting for manual review")
	case kycgate.StatusApproved:
		if len(a.RequiredSteps) == 0 {
			return kycgate.Errorf(kycgate.ErrConflict, "the applicant is already approved at level %s", a.Level)
		}
	}
	h, _, err := s.history(r, a)
	if err != nil {
		return err
	}
	if until, locked := s.Lock.LockedUntil(s.now(), h); locked {
		if a.LockedUntil == nil || !a.LockedUntil.Equal(until) {
			if err := s.Store.LockApplicant(ctx, a.ID, &until); err != nil {
				return err
			}
		}
		if s.Metrics != nil {
			s.Metrics.locked.Inc()
		}
		return &kycgate.Error{Code: string(kycgate.TooManyAttempts), RetryAt: until,
			Message: "too many attempts: verification is locked until " + until.UTC().Format("2006-01-02T15:04:05Z")}
	}

	sub := &kycgate.Submission{ApplicantID: a.ID}
	stored := false
	defer func() {
		if !stored { // nothing half-written is left behind
			for _, f := range sub.Files {
				_ = s.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey)
			}
		}
	}()
	if err := s.readSubmission(r, sub); err != nil {
		return err
	}
	if err := s.checkSteps(a, sub); err != nil {
		return err
	}
	if err := s.useChallenge(ctx, a, sub.ChallengeID); err != nil {
		return err
	}
	sub.CreatedAt = s.now()
	if err := s.Store.CreateSubmission(ctx, sub); err != nil {
		return err
	}
	stored = true
	if s.Metrics != nil {
		s.Metrics.submissions.Inc()
	}
	pos, err := s.Store.QueuePosition(ctx, sub.ID)
	if err != nil || pos < 0 {
		pos = 0
	}
	if sub.Files == nil {
		sub.Files = []kycgate.File{}
	}
	writeJSON(w, http.StatusAccepted, SubmissionResponse{ID: sub.ID, ApplicantID: a.ID, Steps: sub.Steps, Files: sub.Files,
		Status: kycgate.StatusPending, QueuePosition: pos, EstimatedWaitSeconds: float64(pos+1) * s.AvgCheckSeconds})
	return nil
}

// readSubmission streams the multipart body: the personal_data part (JSON),
// challenge_id and liveness_timestamps fields, and one part per file, each
// file straight into the blob store under its byte limit.
func (s *Server) readSubmission(r *http.Request, sub *kycgate.Submission) error {
	var timestamps []int64
	err := forEachPart(r, func(name string, part *multipart.Part) error {
		switch {
		case name == "personal_data":
			if sub.PersonalData != nil {
				return kycgate.Errorf(kycgate.ErrInvalidInput, "personal_data given twice")
			}
			var pd kycgate.PersonalData
			if err := decodeJSON(io.LimitReader(part, 64<<10), &pd); err != nil {
				return err
			}
			if s.ValidatePersonalData != nil {
				if fe := s.ValidatePersonalData(&pd, s.now()); len(fe) > 0 {
					return &ValidationError{fe}
				}
			}
			sub.PersonalData = &pd
		case name == "challenge_id":
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			sub.ChallengeID = strings.TrimSpace(string(b))
		case name == "liveness_timestamps":
			if err := decodeJSON(io.LimitReader(part, 64<<10), &timestamps); err != nil {
				return kycgate.Errorf(kycgate.ErrInvalidInput, "liveness_timestamps must be a JSON array of milliseconds: %v", err)
			}
		case stepOfKind[kycgate.FileKind(name)] != "":
			f, err := s.storeFile(r.Context(), kycgate.FileKind(name), part)
			if err != nil {
				return err
			}
			sub.Files = append(sub.Files, *f)
		default:
			return kycgate.Errorf(kycgate.ErrInvalidInput, "unknown part %q: expected personal_data, challenge_id, liveness_timestamps, document_front, document_back, selfie, liveness_frame or proof_of_address", name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	frames := 0
	for i := range sub.Files {
		if sub.Files[i].Kind == kycgate.FileLivenessFrame {
			if frames < len(timestamps) {
				sub.Files[i].CapturedAtMS = timestamps[frames]
			}
			frames++
		}
	}
	if len(timestamps) > 0 && len(timestamps) != frames {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "%d liveness_timestamps for %d liveness frames", len(timestamps), frames)
	}
	return nil
}

// forEachPart calls fn for every part of a multipart/form-data body, in
// order, stopping at fn's first error. A body that is not multipart, or is
// malformed, is refused with a code; one over the body limit keeps its
// *http.MaxBytesError.
func forEachPart(r *http.Request, fn func(name string, part *multipart.Part) error) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return kycgate.Errorf("UNSUPPORTED_MEDIA_TYPE", "the body must be multipart/form-data")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return err
			}
			return kycgate.Errorf(kycgate.ErrInvalidInput, "malformed multipart body: %v", err)
		}
		if err := fn(part.FormName(), part); err != nil {
			return err
		}
	}
}

// storeFile streams one file into the blob store and checks its header: a
// file that is not an image (or, for proof of address, a PDF) is refused
// with IMAGE_INVALID, one over the pixel limit with IMAGE_TOO_LARGE, before
// anything decodes it.
func (s *Server) storeFile(ctx context.Context, kind kycgate.FileKind, part io.Reader) (*kycgate.File, error) {
	head := &prefixBuffer{max: sniffBytes}
	key, size, sum, err := s.Blobs.Put(ctx, io.TeeReader(part, head), s.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	f := &kycgate.File{Step: stepOfKind[kind], Kind: kind, BlobKey: key, SHA256: sum, Size: size}
	fail := func(err error) (*kycgate.File, error) {
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), key)
		return nil, err
	}
	if size == 0 {
		return fail(kycgate.Errorf(string(kycgate.ImageInvalid), "%s is empty", kind))
	}
	if kind == kycgate.FileProofOfAddress && bytes.HasPrefix(head.Bytes(), []byte("%PDF-")) {
		f.ContentType = "application/pdf"
		return f, nil
	}
	format, err := imageio.Sniff(head.Bytes())
	if err != nil {
		return fail(err)
	}
	cfg, err := imageio.DecodeConfig(head.Bytes())
	if err != nil {
		return fail(err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(s.MaxPixels) {
		return fail(kycgate.Errorf(string(kycgate.ImageTooLarge), "%s is %d×%d pixels, more than the %d-pixel limit",
			kind, cfg.Width, cfg.Height, s.MaxPixels))
	}
	f.ContentType = "image/" + string(format)
	return f, nil
}

// checkSteps derives the submission's steps from its parts and checks them
// against what the applicant still has to submit: every required step, and
// nothing already passed.
func (s *Server) checkSteps(a *kycgate.Applicant, sub *kycgate.Submission) error {
	has := map[kycgate.StepName]bool{}
	if sub.PersonalData != nil {
		has[kycgate.StepPersonalData] = true
	}
	kinds := map[kycgate.FileKind]int{}
	for _, f := range sub.Files {
		has[f.Step] = true
		kinds[f.Kind]++
	}
	required := a.RequiredSteps
	var fe []FieldError
	for _, st := range required {
		if !has[st] {
			fe = append(fe, FieldError{string(st), kycgate.ErrInvalidInput, "this step is required: submit it"})
		}
	}
	for st := range has {
		if !slices.Contains(required, st) {
			fe = append(fe, FieldError{string(st), kycgate.ErrInvalidInput, "this step is not required now (already passed or not in the level)"})
		}
	}
	if has[kycgate.StepIDDocument] {
		if kinds[kycgate.FileDocumentFront] != 1 || kinds[kycgate.FileDocumentBack] > 1 {
			fe = append(fe, FieldError{"document_front", kycgate.ErrInvalidInput, "exactly one document_front (and at most one document_back) is required"})
		}
	}
	if has[kycgate.StepSelfie] && kinds[kycgate.FileSelfie] != 1 {
		fe = append(fe, FieldError{"selfie", kycgate.ErrInvalidInput, "exactly one selfie is required"})
	}
	if kinds[kycgate.FileLivenessFrame] > 0 && sub.ChallengeID == "" {
		fe = append(fe, FieldError{"challenge_id", kycgate.ErrInvalidInput, "liveness frames need the challenge_id they answer"})
	}
	if kinds[kycgate.FileLivenessFrame] > 120 {
		fe = append(fe, FieldError{"liveness_frame", kycgate.ErrInvalidInput, "at most 120 liveness frames"})
	}
	if len(fe) > 0 {
		slices.SortFunc(fe, func(x, y FieldError) int { return strings.Compare(x.Field, y.Field) })
		return &ValidationError{fe}
	}
	sub.Steps = append(sub.Steps, required...)
	return nil
}

// useChallenge spends the liveness challenge the frames answer, if any. It
// must be this applicant's, unused and unexpired; the answer comes now,
// while the applicant can still start a new one, not after the queue.
func (s *Server) useChallenge(ctx context.Context, a *kycgate.Applicant, id string) error {
	if id == "" {
		return nil
	}
	invalid := func(msg string) error {
		return &ValidationError{[]FieldError{{"challenge_id", string(kycgate.LivenessFailed), msg}}}
	}
	c, err := s.Store.UseChallenge(ctx, id, s.now())
	switch code := kycgate.ErrorCode(err); {
	case code == kycgate.ErrNotFound || (err == nil && c.ApplicantID != a.ID):
		return invalid("no such challenge for this applicant: start a new one")
	case code == kycgate.ErrConflict:
		return invalid("this challenge was already used: start a new one")
	case err != nil:
		return err
	case !s.now().Before(c.ExpiresAt):
		return invalid("the challenge expired: start a new one")
	}
	return nil
}

// prefixBuffer keeps the first max bytes written to it.
type prefixBuffer struct {
	bytes.Buffer
	max int
}

func (p *prefixBuffer) Write(b []byte) (int, error) {
	if room := p.max - p.Len(); room > 0 {
		if len(b) < room {
			room = len(b)
		}
		p.Buffer.Write(b[:room])
	}
	return len(b), nil
}

// PrecheckResult is the verdict on one photo, given while the applicant is
// still capturing: fix it now rather than after a rejection.
type PrecheckResult struct {
	// OK: no finding the applicant has to fix. A doubtful finding
	// (Finding.Review), which a person decides after submission, does not
	// hold the applicant back.
	OK       bool                     `json:"ok"`
	Findings []FindingView            `json:"findings"`
	Metrics  map[string]float64       `json:"metrics,omitempty"`
	Document *kycgate.DocumentReading `json:"document,omitempty"`
}

func (s *Server) precheck(w http.ResponseWriter, r *http.Request) error {
	if s.Precheck == nil {
		return kycgate.Errorf(kycgate.ErrConflict, "precheck is not configured")
	}
	kind := kycgate.FileDocumentFront
	var data []byte
	err := forEachPart(r, func(name string, part *multipart.Part) error {
		switch name {
		case "kind":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			kind = kycgate.FileKind(strings.TrimSpace(string(b)))
			if stepOfKind[kind] == "" {
				return kycgate.Errorf(kycgate.ErrInvalidInput, "unknown kind %q", kind)
			}
		case "file":
			var err error
			data, err = io.ReadAll(io.LimitReader(part, s.MaxFileBytes+1))
			if err != nil {
				return kycgate.Errorf(kycgate.ErrInvalidInput, "reading file: %v", err)
			}
			if int64(len(data)) > s.MaxFileBytes {
				return kycgate.Errorf(string(kycgate.ImageTooLarge), "the file is larger than %d bytes", s.MaxFileBytes)
			}
		default:
			return kycgate.Errorf(kycgate.ErrInvalidInput, "unknown part %q: expected kind and file", name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if data == nil {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "a file part is required")
	}
	findings, metrics, doc, err := s.Precheck(r.Context(), kind, data)
	if err != nil {
		return err
	}
	mustFix := slices.ContainsFunc(findings, func(f kycgate.Finding) bool { return !f.Review })
	writeJSON(w, http.StatusOK, PrecheckResult{OK: !mustFix, Findings: viewFindings(findings, r), Metrics: metrics, Document: doc})
	return nil
}
