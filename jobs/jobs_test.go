package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "image/jpeg"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/blob"
	"github.com/kycgate/kycgate/envelope"
	"github.com/kycgate/kycgate/jobs"
	"github.com/kycgate/kycgate/notify"
	"github.com/kycgate/kycgate/sqlstore"
	"github.com/kycgate/kycgate/sqlstore/sqlstoretest"
)

// decodeCheck is a real check: every file must decode as an image, else
// IMAGE_INVALID on the file's step.
type decodeCheck struct {
	mu   sync.Mutex
	runs int
}

func (*decodeCheck) Name() string { return "decode" }

func (c *decodeCheck) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	c.mu.Lock()
	c.runs++
	c.mu.Unlock()
	var out []kycgate.Finding
	for _, f := range ev.Files {
		if _, _, err := image.DecodeConfig(bytes.NewReader(f.Data)); err != nil {
			out = append(out, kycgate.Finding{Code: kycgate.ImageInvalid, Step: f.Step, Detail: string(f.Kind)})
		}
	}
	if ev.Declared == nil {
		out = append(out, kycgate.Finding{Code: kycgate.DataMismatch, Step: kycgate.StepPersonalData, Detail: "no declared data"})
	}
	return out, nil
}

func (c *decodeCheck) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs
}

func decide(ev *kycgate.Evidence, fs []kycgate.Finding) *kycgate.Decision {
	if len(fs) == 0 {
		return &kycgate.Decision{Outcome: kycgate.Approved}
	}
	return &kycgate.Decision{Outcome: kycgate.Rejected, RejectType: kycgate.Retry, Findings: fs}
}

func render(a *kycgate.Applicant, d *kycgate.Decision) *kycgate.Message {
	var codes []string
	for _, f := range d.Findings {
		codes = append(codes, string(f.Code))
	}
	return &kycgate.Message{Subject: "Verification " + string(d.Outcome), Body: "Findings: " + strings.Join(codes, ", ")}
}

// recorder stands in for SMTP and the operator's endpoint, failing the
// first fail calls to exercise retries.
type recorder struct {
	mu    sync.Mutex
	fail  int
	calls int
	got   []string // decision ids delivered
}

func (r *recorder) record(d *kycgate.Decision) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls <= r.fail {
		return errors.New("endpoint unavailable")
	}
	r.got = append(r.got, d.ID)
	return nil
}

func (r *recorder) SendDecision(ctx context.Context, a *kycgate.Applicant, d *kycgate.Decision, m *kycgate.Message) error {
	if m == nil || !strings.HasPrefix(m.Subject, "Verification") {
		return fmt.Errorf("no inbox message for decision %s", d.ID)
	}
	return r.record(d)
}

func (r *recorder) DeliverDecision(ctx context.Context, a *kycgate.Applicant, d *kycgate.Decision) error {
	return r.record(d)
}

func (r *recorder) delivered() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func pngBytes(t testing.TB) []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(1, 1, color.White)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type fixture struct {
	st    *sqlstore.Store
	blobs *blob.FS
	dsn   string
	dir   string
}

func newFixture(t *testing.T, engine sqlstore.Engine) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{dsn: sqlstoretest.DSN(t, engine), dir: t.TempDir()}
	key, err := envelope.LoadOrCreateMasterKey(filepath.Join(f.dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	if f.st, err = sqlstore.Open(ctx, f.dsn, key); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	if f.blobs, err = blob.NewFS(filepath.Join(f.dir, "blobs"), key); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) file(t *testing.T, step kycgate.StepName, kind kycgate.FileKind, data []byte) kycgate.File {
	key, size, sum, err := f.blobs.Put(context.Background(), bytes.NewReader(data), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return kycgate.File{Step: step, Kind: kind, BlobKey: key, SHA256: sum, Size: size, ContentType: "image/png"}
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func decisionsOf(t *testing.T, st *sqlstore.Store, applicantID, submissionID string) []*kycgate.Decision {
	ds, err := st.ListDecisions(context.Background(), applicantID)
	if err != nil {
		t.Fatal(err)
	}
	var out []*kycgate.Decision
	for _, d := range ds {
		if d.SubmissionID == submissionID {
			out = append(out, d)
		}
	}
	return out
}

// TestPipeline: submit with a corrupt selfie → rejected with IMAGE_INVALID
// on the selfie, inbox message, e-mail and webhook (after failures, with
// backoff) → resubmit only the selfie → approved.
func TestPipeline(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, engine)
			check := &decodeCheck{}
			smtpSrv, smtpAddr := startSMTP(t, 1)
			secret := []byte("whsec_pipeline")
			hookSrv, hookURL := startHook(t, secret, 2)
			mail := &notify.SMTP{Addr: smtpAddr, From: "kycgate <noreply@kycgate.example>", TLS: notify.TLSNone}
			hook := &notify.Webhook{URL: hookURL, Secret: secret}
			var decided []kycgate.Outcome
			var mu sync.Mutex
			r, err := jobs.New(jobs.Config{Store: f.st, Blobs: f.blobs, Checks: []kycgate.Check{check}, Decide: decide, Render: render,
				Mailer: mail, Webhook: hook, PollInterval: 100 * time.Millisecond,
				Backoff: func(int) time.Duration { return 50 * time.Millisecond },
				OnDecision: func(d *kycgate.Decision) {
					mu.Lock()
					decided = append(decided, d.Outcome)
					mu.Unlock()
				}})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer r.Stop(ctx)

			a := &kycgate.Applicant{ExternalUserID: "u-1", Level: kycgate.Level2, Email: "a@example.test"}
			if err := f.st.CreateApplicant(ctx, a); err != nil {
				t.Fatal(err)
			}
			sub := &kycgate.Submission{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument, kycgate.StepSelfie},
				PersonalData: &kycgate.PersonalData{Surname: "SUN", DateOfBirth: "1960-06-28", DocumentType: "id_card", DocumentNumber: "X1"},
				Files: []kycgate.File{
					f.file(t, kycgate.StepIDDocument, kycgate.FileDocumentFront, pngBytes(t)),
					f.file(t, kycgate.StepSelfie, kycgate.FileSelfie, []byte("this is not an image")),
				}}
			if err := f.st.CreateSubmission(ctx, sub); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 20*time.Second, "first decision", func() bool { return len(decisionsOf(t, f.st, a.ID, sub.ID)) == 1 })
			d := decisionsOf(t, f.st, a.ID, sub.ID)[0]
			if d.Outcome != kycgate.Rejected || len(d.Findings) != 1 || d.Findings[0].Code != kycgate.ImageInvalid ||
				d.Findings[0].Step != kycgate.StepSelfie || !slices.Equal(d.FailedSteps, []kycgate.StepName{kycgate.StepSelfie}) {
				t.Fatalf("decision = %+v", d)
			}
			msgs, _ := f.st.ListMessages(ctx, a.ID)
			if len(msgs) != 1 || msgs[0].Body != "Findings: IMAGE_INVALID" {
				t.Fatalf("inbox = %+v", msgs)
			}
			waitFor(t, 20*time.Second, "e-mail and webhook", func() bool {
				return smtpSrv.delivered() == 1 && len(hookSrv.delivered()) == 1
			})
			hookSrv.mu.Lock()
			if hookSrv.attempts != 3 || smtpSrv.attempts != 2 || hookSrv.bad != 0 {
				t.Fatalf("webhook attempts %d (want 3, %d badly signed), e-mail attempts %d (want 2)", hookSrv.attempts, hookSrv.bad, smtpSrv.attempts)
			}
			hookSrv.mu.Unlock()
			if ev := hookSrv.delivered()[0]; ev.Event != notify.EventReviewed || ev.ApplicantID != a.ID || ev.ExternalUserID != "u-1" ||
				ev.Outcome != kycgate.Rejected || len(ev.Findings) != 1 || ev.Findings[0].Code != kycgate.ImageInvalid {
				t.Fatalf("webhook event %+v", ev)
			}
			if smtpSrv.subjects[0] != "Verification REJECTED" || smtpSrv.rcpts[0] != "a@example.test" {
				t.Fatalf("e-mail %q to %q", smtpSrv.subjects[0], smtpSrv.rcpts[0])
			}
			if pos, _ := f.st.QueuePosition(ctx, sub.ID); pos != -1 {
				t.Fatalf("queue position of a decided submission: %d", pos)
			}

			// Only the selfie again; declared data comes from the first submission.
			a2, _ := f.st.FindApplicant(ctx, a.ID)
			if !slices.Equal(a2.RequiredSteps, []kycgate.StepName{kycgate.StepSelfie}) {
				t.Fatalf("required after RETRY: %v", a2.RequiredSteps)
			}
			sub2 := &kycgate.Submission{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepSelfie},
				Files: []kycgate.File{f.file(t, kycgate.StepSelfie, kycgate.FileSelfie, pngBytes(t))}}
			if err := f.st.CreateSubmission(ctx, sub2); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 20*time.Second, "second decision", func() bool { return len(decisionsOf(t, f.st, a.ID, sub2.ID)) == 1 })
			if d2 := decisionsOf(t, f.st, a.ID, sub2.ID)[0]; d2.Outcome != kycgate.Approved {
				t.Fatalf("resubmission: %+v", d2)
			}
			a3, _ := f.st.FindApplicant(ctx, a.ID)
			if a3.Status != kycgate.StatusApproved {
				t.Fatalf("status %s", a3.Status)
			}
			waitFor(t, 20*time.Second, "second webhook", func() bool { return len(hookSrv.delivered()) == 2 })
			if ev := hookSrv.delivered()[1]; ev.Outcome != kycgate.Approved || ev.Status != kycgate.StatusApproved {
				t.Fatalf("second event %+v", ev)
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(decided, []kycgate.Outcome{kycgate.Rejected, kycgate.Approved}) || check.count() != 2 {
				t.Fatalf("decisions %v, check runs %d", decided, check.count())
			}
		})
	}
}

// blockingCheck marks that the job started and blocks until cancelled, so
// the test can kill the worker mid-job.
type blockingCheck struct{ marker string }

func (blockingCheck) Name() string { return "block" }

func (c blockingCheck) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	os.WriteFile(c.marker, []byte("started"), 0o600)
	<-ctx.Done()
	return nil, ctx.Err()
}

const (
	envChild  = "KYCGATE_CRASH_CHILD"
	envDSN    = "KYCGATE_CRASH_DSN"
	envDir    = "KYCGATE_CRASH_DIR"
	envMarker = "KYCGATE_CRASH_MARKER"
)

// TestCrashChild is the worker process of TestCrashRecovery; it does
// nothing unless started by it.
func TestCrashChild(t *testing.T) {
	if os.Getenv(envChild) != "1" {
		t.Skip("only runs as the child of TestCrashRecovery")
	}
	ctx := context.Background()
	dir := os.Getenv(envDir)
	key, err := envelope.LoadOrCreateMasterKey(filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(ctx, os.Getenv(envDSN), key)
	if err != nil {
		t.Fatal(err)
	}
	blobs, _ := blob.NewFS(filepath.Join(dir, "blobs"), key)
	r, err := jobs.New(jobs.Config{Store: st, Blobs: blobs, Checks: []kycgate.Check{blockingCheck{os.Getenv(envMarker)}},
		Decide: decide, Render: render, PollInterval: 100 * time.Millisecond, JobTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {} // until killed
}

// TestCrashRecovery kills (SIGKILL) a worker process in the middle of a
// verification job, starts a new worker, and checks that the submission
// reaches exactly one decision and one notice of each kind.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for River's leader lease to expire (~20 s)")
	}
	for _, engine := range sqlstoretest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel() // most of the time is spent waiting for the lease
			ctx := context.Background()
			f := newFixture(t, engine)
			if _, err := jobs.New(jobs.Config{Store: f.st, InsertOnly: true}); err != nil {
				t.Fatal(err)
			}
			a := &kycgate.Applicant{ExternalUserID: "u-crash", Level: kycgate.Level2}
			f.st.CreateApplicant(ctx, a)
			sub := &kycgate.Submission{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument, kycgate.StepSelfie},
				PersonalData: &kycgate.PersonalData{Surname: "SUN"},
				Files: []kycgate.File{f.file(t, kycgate.StepIDDocument, kycgate.FileDocumentFront, pngBytes(t)),
					f.file(t, kycgate.StepSelfie, kycgate.FileSelfie, pngBytes(t))}}
			if err := f.st.CreateSubmission(ctx, sub); err != nil {
				t.Fatal(err)
			}

			marker := filepath.Join(f.dir, "started")
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), envChild+"=1", envDSN+"="+f.dsn, envDir+"="+f.dir, envMarker+"="+marker)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 30*time.Second, "the child to start the job", func() bool {
				_, err := os.Stat(marker)
				return err == nil
			})
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child did not die of SIGKILL: %v\n%s", err, out.String())
			}
			if ds := decisionsOf(t, f.st, a.ID, sub.ID); len(ds) != 0 {
				t.Fatal("decision recorded by the killed worker")
			}

			// Restart: a fresh worker with a real check.
			check := &decodeCheck{}
			hook, mail := &recorder{}, &recorder{}
			r, err := jobs.New(jobs.Config{Store: f.st, Blobs: f.blobs, Checks: []kycgate.Check{check}, Decide: decide, Render: render,
				Mailer: mail, Webhook: hook, PollInterval: 100 * time.Millisecond, JobTimeout: time.Second, RescueAfter: 2 * time.Second,
				Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer r.Stop(ctx)
			waitFor(t, 60*time.Second, "the decision after restart", func() bool { return len(decisionsOf(t, f.st, a.ID, sub.ID)) > 0 })
			waitFor(t, 10*time.Second, "the webhook", func() bool { return len(hook.delivered()) > 0 })
			time.Sleep(500 * time.Millisecond) // let any duplicate show up
			ds := decisionsOf(t, f.st, a.ID, sub.ID)
			if len(ds) != 1 || ds[0].Outcome != kycgate.Approved {
				t.Fatalf("decisions after restart: %+v", ds)
			}
			if len(hook.delivered()) != 1 || check.count() != 1 {
				t.Fatalf("webhooks %d, check runs %d; want 1 each", len(hook.delivered()), check.count())
			}
			if a2, _ := f.st.FindApplicant(ctx, a.ID); a2.Status != kycgate.StatusApproved {
				t.Fatalf("status %s", a2.Status)
			}
		})
	}
}

func ExampleNew() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "kycgate")
	defer os.RemoveAll(dir)
	key, _ := envelope.LoadOrCreateMasterKey(filepath.Join(dir, "master.key"))
	st, _ := sqlstore.Open(ctx, filepath.Join(dir, "kycgate.db"), key)
	defer st.Close()
	blobs, _ := blob.NewFS(filepath.Join(dir, "blobs"), key)
	r, err := jobs.New(jobs.Config{Store: st, Blobs: blobs, Checks: nil, Decide: decide, Render: render})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Start(ctx)
	defer r.Stop(ctx)
	depth, _ := r.QueueDepth(ctx)
	fmt.Println("queue depth", depth)
	// Output: queue depth 0
}

// failingCheck cannot run, like an OCR engine that is down.
type failingCheck struct{ runs atomicInt }

type atomicInt struct {
	mu sync.Mutex
	n  int
}

func (a *atomicInt) add() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	return a.n
}

func (*failingCheck) Name() string { return "broken" }

func (c *failingCheck) Run(ctx context.Context, ev *kycgate.Evidence) ([]kycgate.Finding, error) {
	c.runs.add()
	return nil, errors.New("engine unavailable")
}

// TestVerifyGivesUpToManualReview: a check that keeps failing is retried
// with backoff, and after the last attempt the submission goes to manual
// review instead of waiting for ever.
func TestVerifyGivesUpToManualReview(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sqlstore.SQLite)
	check := &failingCheck{}
	r, err := jobs.New(jobs.Config{Store: f.st, Blobs: f.blobs, Checks: []kycgate.Check{check}, Decide: decide, Render: render,
		PollInterval: 50 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(ctx)
	defer r.Stop(ctx)
	a := &kycgate.Applicant{ExternalUserID: "u-broken", Level: kycgate.Level1}
	f.st.CreateApplicant(ctx, a)
	sub := &kycgate.Submission{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepPersonalData}, PersonalData: &kycgate.PersonalData{Surname: "X"}}
	if err := f.st.CreateSubmission(ctx, sub); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 40*time.Second, "manual review", func() bool { return len(decisionsOf(t, f.st, a.ID, sub.ID)) == 1 })
	d := decisionsOf(t, f.st, a.ID, sub.ID)[0]
	if d.Outcome != kycgate.ManualReview {
		t.Fatalf("decision %+v", d)
	}
	maxAttempts := (jobs.VerifyArgs{}).InsertOpts().MaxAttempts
	if n := check.runs.add() - 1; n != maxAttempts {
		t.Fatalf("check ran %d times, want one per attempt (%d)", n, maxAttempts)
	}
	if a2, _ := f.st.FindApplicant(ctx, a.ID); a2.Status != kycgate.StatusManualReview {
		t.Fatalf("status %s", a2.Status)
	}
}
