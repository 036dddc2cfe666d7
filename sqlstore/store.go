package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kycgate/kycgate"
)

// newID returns a time-ordered UUIDv7, so ids sort roughly by creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func optMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func fromOptMicros(v *int64) *time.Time {
	if v == nil {
		return nil
	}
	t := fromMicros(*v)
	return &t
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: marshalling %T: %v", v, err)) // only plain structs and slices are marshalled
	}
	return string(b)
}

// seal encrypts a personal-data column; aad binds it to table, column and row.
func (s *Store) seal(v []byte, table, column, id string) ([]byte, error) {
	return s.key.Seal(v, []byte(table+"/"+column+"/"+id))
}

func (s *Store) open(v []byte, table, column, id string) ([]byte, error) {
	pt, err := s.key.Open(v, []byte(table+"/"+column+"/"+id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: decrypting %s.%s of %s: %w", table, column, id, err)
	}
	return pt, nil
}

func notFound(what, id string) error {
	return kycgate.Errorf(kycgate.ErrNotFound, "%s %s not found", what, id)
}

func (s *Store) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Store) level(name kycgate.LevelName) (kycgate.Level, bool) {
	for _, l := range s.levels {
		if l.Name == name {
			return l, true
		}
	}
	return kycgate.Level{}, false
}

// requiredSteps is the level's steps that are not passed yet, in level order.
func (s *Store) requiredSteps(level kycgate.LevelName, passed []kycgate.StepName) []kycgate.StepName {
	l, _ := s.level(level)
	out := []kycgate.StepName{}
	for _, st := range l.Steps {
		if !slices.Contains(passed, st) {
			out = append(out, st)
		}
	}
	return out
}

// ---- applicants ----

const applicantCols = `id, external_user_id, level, status, passed_steps, locked_until, locale, email_enc, created_at, updated_at`

func (s *Store) scanApplicant(r row) (*kycgate.Applicant, error) {
	var (
		a                  kycgate.Applicant
		passed             string
		locked             *int64
		email              []byte
		created, updated   int64
		level, status, loc string
	)
	if err := r.Scan(&a.ID, &a.ExternalUserID, &level, &status, &passed, &locked, &loc, &email, &created, &updated); err != nil {
		return nil, err
	}
	a.Level, a.Status, a.Locale = kycgate.LevelName(level), kycgate.Status(status), loc
	if err := json.Unmarshal([]byte(passed), &a.PassedSteps); err != nil {
		return nil, fmt.Errorf("sqlstore: applicant %s passed_steps: %w", a.ID, err)
	}
	a.LockedUntil = fromOptMicros(locked)
	if len(email) > 0 {
		pt, err := s.open(email, "applicants", "email", a.ID)
		if err != nil {
			return nil, err
		}
		a.Email = string(pt)
	}
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	a.RequiredSteps = s.requiredSteps(a.Level, a.PassedSteps)
	return &a, nil
}

// CreateApplicant stores a new applicant in status init. It fills ID,
// Status, PassedSteps, RequiredSteps and the times; Level defaults to the
// first configured level and Locale to "en".
func (s *Store) CreateApplicant(ctx context.Context, a *kycgate.Applicant) error {
	if a.ExternalUserID == "" {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "external_user_id is required")
	}
	if a.Level == "" {
		a.Level = s.levels[0].Name
	}
	if _, ok := s.level(a.Level); !ok {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "unknown level %q", a.Level)
	}
	if a.ID == "" {
		a.ID = newID()
	}
	if a.Locale == "" {
		a.Locale = "en"
	}
	now := s.now()
	a.Status, a.CreatedAt, a.UpdatedAt = kycgate.StatusInit, now, now
	if a.PassedSteps == nil {
		a.PassedSteps = []kycgate.StepName{}
	}
	a.RequiredSteps = s.requiredSteps(a.Level, a.PassedSteps)
	var email []byte
	if a.Email != "" {
		var err error
		if email, err = s.seal([]byte(a.Email), "applicants", "email", a.ID); err != nil {
			return err
		}
	}
	n, err := s.writer().exec(ctx, `INSERT INTO applicants (`+applicantCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`,
		a.ID, a.ExternalUserID, string(a.Level), string(a.Status), mustJSON(a.PassedSteps), optMicros(a.LockedUntil),
		a.Locale, email, micros(now), micros(now))
	if err != nil {
		return fmt.Errorf("sqlstore: create applicant: %w", err)
	}
	if n == 0 {
		return kycgate.Errorf(kycgate.ErrConflict, "applicant %s exists", a.ID)
	}
	return nil
}

// FindApplicant returns the applicant or NOT_FOUND.
func (s *Store) FindApplicant(ctx context.Context, id string) (*kycgate.Applicant, error) {
	return s.findApplicant(ctx, s.reader(), id)
}

func (s *Store) findApplicant(ctx context.Context, q querier, id string) (*kycgate.Applicant, error) {
	a, err := s.scanApplicant(q.queryRow(ctx, `SELECT `+applicantCols+` FROM applicants WHERE id = ?`, id))
	if isNoRows(err) {
		return nil, notFound("applicant", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find applicant: %w", err)
	}
	return a, nil
}

// FindApplicantsByExternalUserID returns the operator's applicants for one
// of its users, oldest first.
func (s *Store) FindApplicantsByExternalUserID(ctx context.Context, externalUserID string) ([]*kycgate.Applicant, error) {
	rs, err := s.reader().query(ctx, `SELECT `+applicantCols+` FROM applicants WHERE external_user_id = ? ORDER BY created_at, id`, externalUserID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find applicants: %w", err)
	}
	defer rs.Close()
	var out []*kycgate.Applicant
	for rs.Next() {
		a, err := s.scanApplicant(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rs.Err()
}

// ResetApplicant returns a FINAL applicant to init and clears the steps it
// had passed: a final rejection casts doubt on everything submitted.
func (s *Store) ResetApplicant(ctx context.Context, id string) (*kycgate.Applicant, error) {
	var out *kycgate.Applicant
	err := s.inTx(ctx, func(q querier, _ any) error {
		a, err := s.findApplicant(ctx, q, id)
		if err != nil {
			return err
		}
		if err := kycgate.Transition(a.Status, kycgate.StatusInit); err != nil {
			return err
		}
		if _, err := q.exec(ctx, `UPDATE applicants SET status = ?, passed_steps = '[]', failed_steps = '[]', updated_at = ? WHERE id = ?`,
			string(kycgate.StatusInit), micros(s.now()), id); err != nil {
			return err
		}
		out, err = s.findApplicant(ctx, q, id)
		return err
	})
	return out, err
}

// SetLevel moves the applicant to another level. Passed steps are kept, so
// moving up asks only for the new level's remaining steps.
func (s *Store) SetLevel(ctx context.Context, id string, level kycgate.LevelName) (*kycgate.Applicant, error) {
	if _, ok := s.level(level); !ok {
		return nil, kycgate.Errorf(kycgate.ErrInvalidInput, "unknown level %q", level)
	}
	var out *kycgate.Applicant
	err := s.inTx(ctx, func(q querier, _ any) error {
		n, err := q.exec(ctx, `UPDATE applicants SET level = ?, updated_at = ? WHERE id = ?`, string(level), micros(s.now()), id)
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("applicant", id)
		}
		out, err = s.findApplicant(ctx, q, id)
		return err
	})
	return out, err
}

// LockApplicant sets or, with nil, clears the lock.
func (s *Store) LockApplicant(ctx context.Context, id string, until *time.Time) error {
	n, err := s.writer().exec(ctx, `UPDATE applicants SET locked_until = ?, updated_at = ? WHERE id = ?`,
		optMicros(until), micros(s.now()), id)
	if err != nil {
		return fmt.Errorf("sqlstore: lock applicant: %w", err)
	}
	if n == 0 {
		return notFound("applicant", id)
	}
	return nil
}

// ---- submissions ----

// storedFile is File as stored: unlike the API form it keeps the blob key.
type storedFile struct {
	kycgate.File
	BlobKey string `json:"blob_key"`
}

// CreateSubmission stores s, moves the applicant to pending and enqueues the
// verification job in one transaction. It refuses (CONFLICT) an applicant
// whose status does not allow a new submission (pending, approved at the
// top, or FINAL), one that is locked (TOO_MANY_ATTEMPTS with RetryAt), and
// (INVALID_INPUT) steps outside the level or a submission missing a
// required step. Two concurrent submissions of one applicant: one wins.
func (s *Store) CreateSubmission(ctx context.Context, sub *kycgate.Submission) error {
	if s.jobs == nil {
		return fmt.Errorf("sqlstore: no job inserter configured (jobs.New wires it)")
	}
	if sub.ID == "" {
		sub.ID = newID()
	}
	now := s.now()
	sub.CreatedAt = now
	if len(sub.Steps) == 0 {
		return kycgate.Errorf(kycgate.ErrInvalidInput, "a submission needs at least one step")
	}
	var pd []byte
	if sub.PersonalData != nil {
		b, err := json.Marshal(sub.PersonalData)
		if err != nil {
			return fmt.Errorf("sqlstore: personal data: %w", err)
		}
		if pd, err = s.seal(b, "submissions", "personal_data", sub.ID); err != nil {
			return err
		}
	}
	files := make([]storedFile, len(sub.Files))
	for i, f := range sub.Files {
		files[i] = storedFile{File: f, BlobKey: f.BlobKey}
	}
	return s.inTx(ctx, func(q querier, raw any) error {
		a, err := s.findApplicant(ctx, q, sub.ApplicantID)
		if err != nil {
			return err
		}
		if a.LockedUntil != nil && a.LockedUntil.After(now) {
			return &kycgate.Error{Code: string(kycgate.TooManyAttempts), Message: "too many attempts", RetryAt: *a.LockedUntil}
		}
		if err := kycgate.Transition(a.Status, kycgate.StatusPending); err != nil {
			return err
		}
		if a.Status == kycgate.StatusApproved && len(a.RequiredSteps) == 0 {
			return kycgate.Errorf(kycgate.ErrConflict, "applicant %s has passed every step of level %s", a.ID, a.Level)
		}
		lvl, _ := s.level(a.Level)
		for _, st := range sub.Steps {
			if !slices.Contains(lvl.Steps, st) {
				return kycgate.Errorf(kycgate.ErrInvalidInput, "step %s is not part of level %s", st, a.Level)
			}
		}
		var missing []string
		for _, st := range a.RequiredSteps {
			if !slices.Contains(sub.Steps, st) {
				missing = append(missing, string(st))
			}
		}
		if len(missing) > 0 {
			return kycgate.Errorf(kycgate.ErrInvalidInput, "missing steps: %s", strings.Join(missing, ", "))
		}
		// The status condition makes a concurrent submission that read the
		// same status lose here rather than both becoming pending.
		n, err := q.exec(ctx, `UPDATE applicants SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
			string(kycgate.StatusPending), micros(now), a.ID, string(a.Status))
		if err != nil {
			return err
		}
		if n == 0 {
			return kycgate.Errorf(kycgate.ErrConflict, "applicant %s changed status concurrently", a.ID)
		}
		if _, err := q.exec(ctx, `INSERT INTO submissions (id, applicant_id, steps, personal_data_enc, files, challenge_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sub.ID, sub.ApplicantID, mustJSON(sub.Steps), pd, mustJSON(files), sub.ChallengeID, micros(now)); err != nil {
			return fmt.Errorf("sqlstore: insert submission: %w", err)
		}
		jobID, err := s.jobs.InsertVerifyTx(ctx, raw, sub.ID)
		if err != nil {
			return fmt.Errorf("sqlstore: enqueue verification: %w", err)
		}
		_, err = q.exec(ctx, `UPDATE submissions SET verify_job_id = ? WHERE id = ?`, jobID, sub.ID)
		return err
	})
}

const submissionCols = `id, applicant_id, steps, personal_data_enc, files, challenge_id, created_at`

func (s *Store) scanSubmission(r row) (*kycgate.Submission, error) {
	var (
		sub          kycgate.Submission
		steps, files string
		pd           []byte
		created      int64
	)
	if err := r.Scan(&sub.ID, &sub.ApplicantID, &steps, &pd, &files, &sub.ChallengeID, &created); err != nil {
		return nil, err
	}
	sub.CreatedAt = fromMicros(created)
	if err := json.Unmarshal([]byte(steps), &sub.Steps); err != nil {
		return nil, fmt.Errorf("sqlstore: submission %s steps: %w", sub.ID, err)
	}
	var sf []storedFile
	if err := json.Unmarshal([]byte(files), &sf); err != nil {
		return nil, fmt.Errorf("sqlstore: submission %s files: %w", sub.ID, err)
	}
	sub.Files = make([]kycgate.File, len(sf))
	for i, f := range sf {
		sub.Files[i] = f.File
		sub.Files[i].BlobKey = f.BlobKey
	}
	if len(pd) > 0 {
		pt, err := s.open(pd, "submissions", "personal_data", sub.ID)
		if err != nil {
			return nil, err
		}
		sub.PersonalData = new(kycgate.PersonalData)
		if err := json.Unmarshal(pt, sub.PersonalData); err != nil {
			return nil, fmt.Errorf("sqlstore: submission %s personal data: %w", sub.ID, err)
		}
	}
	return &sub, nil
}

// FindSubmission returns the submission (with its decrypted personal data
// and blob keys) or NOT_FOUND.
func (s *Store) FindSubmission(ctx context.Context, id string) (*kycgate.Submission, error) {
	sub, err := s.scanSubmission(s.reader().queryRow(ctx, `SELECT `+submissionCols+` FROM submissions WHERE id = ?`, id))
	if isNoRows(err) {
		return nil, notFound("submission", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find submission: %w", err)
	}
	return sub, nil
}

// ListSubmissions returns the applicant's submissions created at or after
// since, newest first.
func (s *Store) ListSubmissions(ctx context.Context, applicantID string, since time.Time) ([]*kycgate.Submission, error) {
	rs, err := s.reader().query(ctx, `SELECT `+submissionCols+` FROM submissions WHERE applicant_id = ? AND created_at >= ?
		ORDER BY created_at DESC, id DESC`, applicantID, micros(since))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list submissions: %w", err)
	}
	defer rs.Close()
	var out []*kycgate.Submission
	for rs.Next() {
		sub, err := s.scanSubmission(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rs.Err()
}

// LatestPersonalData returns the newest declared data, or nil.
func (s *Store) LatestPersonalData(ctx context.Context, applicantID string) (*kycgate.PersonalData, error) {
	sub, err := s.scanSubmission(s.reader().queryRow(ctx, `SELECT `+submissionCols+` FROM submissions
		WHERE applicant_id = ? AND personal_data_enc IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1`, applicantID))
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: latest personal data: %w", err)
	}
	return sub.PersonalData, nil
}

// QueuePosition returns how many verification jobs are waiting ahead of the
// submission's, or -1 once its job is running or done (or was cleaned up).
func (s *Store) QueuePosition(ctx context.Context, submissionID string) (int, error) {
	q := s.reader()
	var jobID *int64
	err := q.queryRow(ctx, `SELECT verify_job_id FROM submissions WHERE id = ?`, submissionID).Scan(&jobID)
	if isNoRows(err) {
		return 0, notFound("submission", submissionID)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: queue position: %w", err)
	}
	if jobID == nil {
		return -1, nil
	}
	var state string
	err = q.queryRow(ctx, `SELECT state FROM river_job WHERE id = ?`, *jobID).Scan(&state)
	if isNoRows(err) {
		return -1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: queue position: %w", err)
	}
	switch state {
	case "available", "scheduled", "retryable", "pending":
	default:
		return -1, nil
	}
	var n int
	if err := q.queryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = ? AND state = 'available' AND id < ?`,
		VerifyJobKind, *jobID).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: queue position: %w", err)
	}
	return n, nil
}

// QueueDepth returns the number of verification jobs waiting to run, for
// /metrics.
func (s *Store) QueueDepth(ctx context.Context) (int, error) {
	var n int
	err := s.reader().queryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = ? AND state IN ('available', 'retryable', 'scheduled')`,
		VerifyJobKind).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: queue depth: %w", err)
	}
	return n, nil
}
