// Package jobs runs kycgate's background work on River, a transactional job
// queue living in the same database as the store: verification of a
// submission, e-mail notices and webhook deliveries.
//
// The queue is transactional on purpose. sqlstore inserts the verification
// job in the transaction that stores the submission, and the notification
// jobs in the transaction that stores the decision, so nothing accepted is
// ever lost and nothing is announced that was not decided. A worker killed
// mid-job leaves its job "running"; River's rescuer puts it back after
// RescueAfter, and the store's one-decision-per-submission rule makes the
// rerun harmless.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/sqlstore"
)

// VerifyArgs asks for the verification of one submission.
type VerifyArgs struct {
	SubmissionID string `json:"submission_id"`
}

// Kind is the River job kind.
func (VerifyArgs) Kind() string { return sqlstore.VerifyJobKind }

// InsertOpts gives verification a queue of its own, so a backlog of
// notifications never delays decisions, and more attempts than notices:
// a check that cannot run (OCR engine down) retries for about a day.
func (VerifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueVerify, MaxAttempts: 12}
}

// EmailArgs asks for the e-mail notice of a decision.
type EmailArgs struct {
	ApplicantID string `json:"applicant_id"`
	DecisionID  string `json:"decision_id"`
}

// Kind is the River job kind.
func (EmailArgs) Kind() string { return "email" }

// InsertOpts puts notices on the notify queue.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: 20}
}

// WebhookArgs asks for the webhook delivery of a decision.
type WebhookArgs struct {
	ApplicantID string `json:"applicant_id"`
	DecisionID  string `json:"decision_id"`
}

// Kind is the River job kind.
func (WebhookArgs) Kind() string { return "webhook" }

// InsertOpts puts deliveries on the notify queue; 20 attempts with River's
// attempt⁴-second backoff span about two days, enough to ride out an
// operator's outage.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: 20}
}

// Queue names.
const (
	QueueVerify = "verify"
	QueueNotify = "notify"
)

// Mailer sends the e-mail notice of a decision (package notify).
type Mailer interface {
	SendDecision(ctx context.Context, a *kycgate.Applicant, d *kycgate.Decision, m *kycgate.Message) error
}

// WebhookSender delivers the signed webhook of a decision (package notify).
type WebhookSender interface {
	DeliverDecision(ctx context.Context, a *kycgate.Applicant, d *kycgate.Decision) error
}

// Config wires the runner.
type Config struct {
	Store *sqlstore.Store
	Blobs kycgate.BlobStore
	// Checks run in order on every submission.
	Checks []kycgate.Check
	// Decide turns the findings into a decision (package policy).
	Decide func(ev *kycgate.Evidence, findings []kycgate.Finding) *kycgate.Decision
	// Render writes the inbox message of a decision in the applicant's
	// locale; nil means no inbox message.
	Render func(a *kycgate.Applicant, d *kycgate.Decision) *kycgate.Message
	// Mailer and Webhook may be nil: their jobs then complete without
	// sending (the deployment has no SMTP server or no webhook URL).
	Mailer  Mailer
	Webhook WebhookSender
	Clock   kycgate.Clock
	Logger  *slog.Logger

	// VerifyWorkers is how many submissions are verified at once
	// (default 2: checks are CPU-bound). NotifyWorkers likewise (default 4).
	VerifyWorkers, NotifyWorkers int
	// InsertOnly builds a client that only inserts jobs (an API-only
	// process); Start then does nothing.
	InsertOnly bool
	// JobTimeout bounds one run of a job (default 5 min). RescueAfter is
	// how long a job may stay running before it is considered abandoned by
	// a dead worker and retried (default JobTimeout + 1 min).
	JobTimeout, RescueAfter time.Duration
	// PollInterval is how often idle workers look for jobs (default 1 s;
	// inserts also wake them directly).
	PollInterval time.Duration
	// Backoff is the wait before retry n (1-based) of a failed job; nil
	// keeps River's default (n⁴ seconds with jitter).
	Backoff func(attempt int) time.Duration
	// OnDecision is called after a decision is recorded (metrics).
	OnDecision func(d *kycgate.Decision)
	// OnCheck is called after every check run (metrics: latency by check).
	OnCheck func(name string, took time.Duration, err error)
}

// client hides River's transaction type parameter (*sql.Tx for SQLite,
// pgx.Tx for PostgreSQL) behind one interface.
type client interface {
	insertTx(ctx context.Context, tx any, args river.JobArgs) (*rivertype.JobInsertResult, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

type typedClient[TTx any] struct{ *river.Client[TTx] }

func (c typedClient[TTx]) insertTx(ctx context.Context, tx any, args river.JobArgs) (*rivertype.JobInsertResult, error) {
	t, ok := tx.(TTx)
	if !ok {
		return nil, fmt.Errorf("jobs: transaction is %T, want %T", tx, *new(TTx))
	}
	return c.InsertTx(ctx, t, args, nil)
}

// Runner owns the River client. It implements sqlstore.JobInserter.
type Runner struct {
	cfg    Config
	client client
	log    *slog.Logger
}

var _ sqlstore.JobInserter = (*Runner)(nil)

// New builds the River client on the store's database and wires itself into
// the store as its job inserter.
func New(cfg Config) (*Runner, error) {
	if cfg.Store == nil {
		return nil, errors.New("jobs: Config.Store is required")
	}
	if !cfg.InsertOnly && (cfg.Blobs == nil || cfg.Decide == nil) {
		return nil, errors.New("jobs: Config.Blobs and Config.Decide are required to work jobs")
	}
	if cfg.Clock == nil {
		cfg.Clock = kycgate.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.VerifyWorkers <= 0 {
		cfg.VerifyWorkers = 2
	}
	if cfg.NotifyWorkers <= 0 {
		cfg.NotifyWorkers = 4
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 5 * time.Minute
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		cfg.RescueAfter = cfg.JobTimeout + time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	r := &Runner{cfg: cfg, log: cfg.Logger}
	rc := &river.Config{
		Logger:               slog.New(warnOnly{cfg.Logger.Handler()}),
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(100*time.Millisecond, cfg.PollInterval),
	}
	if cfg.Backoff != nil {
		rc.RetryPolicy = backoffPolicy(cfg.Backoff)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &verifyWorker{r: r})
	river.AddWorker(workers, &emailWorker{r: r})
	river.AddWorker(workers, &webhookWorker{r: r})
	rc.Workers = workers
	if !cfg.InsertOnly {
		rc.Queues = map[string]river.QueueConfig{
			QueueVerify: {MaxWorkers: cfg.VerifyWorkers},
			QueueNotify: {MaxWorkers: cfg.NotifyWorkers},
		}
	}
	switch cfg.Store.Engine() {
	case sqlstore.SQLite:
		c, err := river.NewClient(riversqlite.New(cfg.Store.SQLiteDB()), rc)
		if err != nil {
			return nil, fmt.Errorf("jobs: river client: %w", err)
		}
		r.client = typedClient[*sql.Tx]{c}
	case sqlstore.Postgres:
		c, err := river.NewClient(riverpgxv5.New(cfg.Store.PgxPool()), rc)
		if err != nil {
			return nil, fmt.Errorf("jobs: river client: %w", err)
		}
		r.client = typedClient[pgx.Tx]{c}
	default:
		return nil, fmt.Errorf("jobs: unknown engine %q", cfg.Store.Engine())
	}
	cfg.Store.SetJobInserter(r)
	return r, nil
}

// Start starts working jobs until Stop (no-op for an insert-only runner).
func (r *Runner) Start(ctx context.Context) error {
	if r.cfg.InsertOnly {
		return nil
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (bounded by ctx) and stops.
func (r *Runner) Stop(ctx context.Context) error {
	if r.cfg.InsertOnly {
		return nil
	}
	return r.client.Stop(ctx)
}

// QueueDepth returns the number of verification jobs waiting, for metrics.
func (r *Runner) QueueDepth(ctx context.Context) (int, error) { return r.cfg.Store.QueueDepth(ctx) }

// InsertVerifyTx implements sqlstore.JobInserter.
func (r *Runner) InsertVerifyTx(ctx context.Context, tx any, submissionID string) (int64, error) {
	res, err := r.client.insertTx(ctx, tx, VerifyArgs{SubmissionID: submissionID})
	if err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}

// InsertNotificationsTx implements sqlstore.JobInserter.
func (r *Runner) InsertNotificationsTx(ctx context.Context, tx any, ns []kycgate.Notification) error {
	for _, n := range ns {
		var args river.JobArgs
		switch n.Kind {
		case "email":
			args = EmailArgs{ApplicantID: n.ApplicantID, DecisionID: n.DecisionID}
		case "webhook":
			args = WebhookArgs{ApplicantID: n.ApplicantID, DecisionID: n.DecisionID}
		default:
			return fmt.Errorf("jobs: unknown notification kind %q", n.Kind)
		}
		if _, err := r.client.insertTx(ctx, tx, args); err != nil {
			return err
		}
	}
	return nil
}

// backoffPolicy adapts a delay function to River's retry policy.
type backoffPolicy func(attempt int) time.Duration

func (b backoffPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b(job.Attempt))
}

// warnOnly passes on River's warnings and errors only: at INFO it logs
// every producer tick, which drowns the service's own log.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnOnly{h.Handler.WithAttrs(attrs)}
}

func (h warnOnly) WithGroup(name string) slog.Handler { return warnOnly{h.Handler.WithGroup(name)} }
