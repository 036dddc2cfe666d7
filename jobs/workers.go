package jobs

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/riverqueue/river"

	"github.com/kycgate/kycgate"
)

type verifyWorker struct {
	river.WorkerDefaults[VerifyArgs]
	r *Runner
}

// Work verifies one submission and records exactly one decision for it.
func (w *verifyWorker) Work(ctx context.Context, job *river.Job[VerifyArgs]) error {
	r := w.r
	st := r.cfg.Store
	sub, err := st.FindSubmission(ctx, job.Args.SubmissionID)
	if kycgate.ErrorCode(err) == kycgate.ErrNotFound {
		return river.JobCancel(err) // nothing to verify; retrying cannot help
	}
	if err != nil {
		return err
	}
	// A rerun after a crash between RecordDecision and the job's completion
	// finds the decision and stops here; RecordDecision would also ignore
	// a second decision, this just saves the work.
	decided, err := decisionOf(ctx, st, sub)
	if err != nil {
		return err
	}
	if decided != nil {
		return nil
	}
	a, err := st.FindApplicant(ctx, sub.ApplicantID)
	if err != nil {
		return err
	}
	d, err := r.verify(ctx, a, sub)
	if err != nil {
		if job.Attempt < job.MaxAttempts {
			r.log.Warn("verification failed; will retry", "submission", sub.ID, "attempt", job.Attempt, "err", err)
			return err
		}
		// Out of attempts: a person looks at it rather than the submission
		// waiting forever.
		r.log.Error("verification failed on last attempt; sending to manual review", "submission", sub.ID, "err", err)
		d = &kycgate.Decision{Outcome: kycgate.ManualReview, Findings: []kycgate.Finding{}}
	}
	d.SubmissionID, d.ApplicantID = sub.ID, a.ID
	var m *kycgate.Message
	if r.cfg.Render != nil {
		m = r.cfg.Render(a, d)
	}
	if err := st.RecordDecision(ctx, d, m); err != nil {
		return fmt.Errorf("jobs: recording decision: %w", err)
	}
	r.log.Info("decision recorded", "submission", sub.ID, "applicant", a.ID, "outcome", d.Outcome, "findings", len(d.Findings))
	if r.cfg.OnDecision != nil {
		r.cfg.OnDecision(d)
	}
	return nil
}

func decisionOf(ctx context.Context, st interface {
	ListDecisions(context.Context, string) ([]*kycgate.Decision, error)
}, sub *kycgate.Submission) (*kycgate.Decision, error) {
	ds, err := st.ListDecisions(ctx, sub.ApplicantID)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.SubmissionID == sub.ID {
			return d, nil
		}
	}
	return nil, nil
}

// verify builds the evidence, runs the checks and asks the policy.
func (r *Runner) verify(ctx context.Context, a *kycgate.Applicant, sub *kycgate.Submission) (*kycgate.Decision, error) {
	ev := &kycgate.Evidence{
		Applicant:  a,
		Submission: sub,
		Declared:   sub.PersonalData,
		Now:        r.cfg.Clock.Now(),
		Metrics:    map[string]float64{},
	}
	if ev.Declared == nil {
		pd, err := r.cfg.Store.LatestPersonalData(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		ev.Declared = pd
	}
	files, err := r.evidenceFiles(ctx, sub)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := r.readBlob(ctx, f.BlobKey)
		if err != nil {
			return nil, fmt.Errorf("jobs: reading %s file: %w", f.Kind, err)
		}
		ev.Files = append(ev.Files, kycgate.EvidenceFile{File: f, Data: data})
	}
	var findings []kycgate.Finding
	for _, c := range r.cfg.Checks {
		start := time.Now()
		fs, err := c.Run(ctx, ev)
		if r.cfg.OnCheck != nil {
			r.cfg.OnCheck(c.Name(), time.Since(start), err)
		}
		if err != nil {
			return nil, fmt.Errorf("jobs: check %s: %w", c.Name(), err)
		}
		findings = append(findings, fs...)
		ev.Findings = findings
	}
	d := r.cfg.Decide(ev, findings)
	if d == nil {
		return nil, fmt.Errorf("jobs: policy returned no decision")
	}
	return d, nil
}

// carriedKinds are the files a resubmission without them takes from the
// applicant's earlier submissions: the checks that compare across steps
// need them (declared data against the document, selfie against the
// document's portrait). Liveness frames answer one challenge and are never
// carried.
var carriedKinds = []kycgate.FileKind{kycgate.FileDocumentFront, kycgate.FileDocumentBack, kycgate.FileSelfie}

// evidenceFiles returns the submission's files plus, for each carried kind
// it lacks, the newest earlier file of that kind: after a RETRY the
// applicant resubmits only the failed steps, and the passed ones still
// stand as evidence.
func (r *Runner) evidenceFiles(ctx context.Context, sub *kycgate.Submission) ([]kycgate.File, error) {
	files := append([]kycgate.File(nil), sub.Files...)
	has := map[kycgate.FileKind]bool{}
	for _, f := range files {
		has[f.Kind] = true
	}
	need := false
	for _, k := range carriedKinds {
		need = need || !has[k]
	}
	if !need {
		return files, nil
	}
	earlier, err := r.cfg.Store.ListSubmissions(ctx, sub.ApplicantID, time.Time{})
	if err != nil {
		return nil, err
	}
	for _, k := range carriedKinds {
		if has[k] {
			continue
		}
		for _, e := range earlier { // newest first
			if e.ID == sub.ID || e.CreatedAt.After(sub.CreatedAt) {
				continue
			}
			found := false
			for _, f := range e.Files {
				if f.Kind == k {
					files = append(files, f)
					found = true
				}
			}
			if found {
				break
			}
		}
	}
	return files, nil
}

func (r *Runner) readBlob(ctx context.Context, key string) ([]byte, error) {
	rc, err := r.cfg.Blobs.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// findDecision loads a decision by id through the applicant's list. A
// notice whose applicant or decision no longer exists cannot ever be sent, so
// that case cancels the job instead of retrying it.
func (r *Runner) findDecision(ctx context.Context, applicantID, decisionID string) (*kycgate.Applicant, *kycgate.Decision, error) {
	a, d, err := r.lookupDecision(ctx, applicantID, decisionID)
	if kycgate.ErrorCode(err) == kycgate.ErrNotFound {
		return nil, nil, river.JobCancel(err)
	}
	return a, d, err
}

func (r *Runner) lookupDecision(ctx context.Context, applicantID, decisionID string) (*kycgate.Applicant, *kycgate.Decision, error) {
	a, err := r.cfg.Store.FindApplicant(ctx, applicantID)
	if err != nil {
		return nil, nil, err
	}
	ds, err := r.cfg.Store.ListDecisions(ctx, applicantID)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range ds {
		if d.ID == decisionID {
			return a, d, nil
		}
	}
	return nil, nil, kycgate.Errorf(kycgate.ErrNotFound, "decision %s not found", decisionID)
}

type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	r *Runner
}

// Work sends the e-mail notice; an SMTP failure retries with backoff.
func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	r := w.r
	if r.cfg.Mailer == nil {
		return nil
	}
	a, d, err := r.findDecision(ctx, job.Args.ApplicantID, job.Args.DecisionID)
	if err != nil {
		return err
	}
	if a.Email == "" {
		return nil
	}
	msgs, err := r.cfg.Store.ListMessages(ctx, a.ID)
	if err != nil {
		return err
	}
	var m *kycgate.Message
	for _, x := range msgs {
		if x.DecisionID == d.ID {
			m = x
			break
		}
	}
	if err := r.cfg.Mailer.SendDecision(ctx, a, d, m); err != nil {
		r.log.Warn("e-mail notice failed; will retry", "applicant", a.ID, "attempt", job.Attempt, "err", err)
		return err
	}
	return nil
}

type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	r *Runner
}

// Work delivers the webhook; a failed delivery retries with backoff.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	r := w.r
	if r.cfg.Webhook == nil {
		return nil
	}
	a, d, err := r.findDecision(ctx, job.Args.ApplicantID, job.Args.DecisionID)
	if err != nil {
		return err
	}
	if err := r.cfg.Webhook.DeliverDecision(ctx, a, d); err != nil {
		r.log.Warn("webhook delivery failed; will retry", "applicant", a.ID, "attempt", job.Attempt, "err", err)
		return err
	}
	return nil
}
