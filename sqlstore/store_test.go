package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/envelope"
	"github.com/kycgate/kycgate/jobs"
	"github.com/kycgate/kycgate/sqlstore"
	"github.com/kycgate/kycgate/sqlstore/sqlstoretest"
)

type env struct {
	engine sqlstore.Engine
	dsn    string
	key    *envelope.Key
	st     *sqlstore.Store
}

// forEachEngine runs fn on a fresh store of every available engine, wired
// to an insert-only River client so jobs are really enqueued.
func forEachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			e := &env{engine: engine, dsn: sqlstoretest.DSN(t, engine)}
			var err error
			if e.key, err = envelope.GenerateKey(); err != nil {
				t.Fatal(err)
			}
			if e.st, err = sqlstore.Open(context.Background(), e.dsn, e.key); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e.st.Close() })
			if _, err := jobs.New(jobs.Config{Store: e.st, InsertOnly: true}); err != nil {
				t.Fatal(err)
			}
			fn(t, e)
		})
	}
}

// raw runs a query on a separate connection, bypassing the store, to see
// what is really on disk.
func (e *env) raw(t *testing.T, q string, args ...any) [][]byte {
	t.Helper()
	ctx := context.Background()
	var out [][]byte
	if e.engine == sqlstore.SQLite {
		db, err := sql.Open("sqlite", sqlstore.SQLitePath(e.dsn))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return out
	}
	conn, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for i := range args {
		q = replaceFirst(q, "?", fmt.Sprintf("$%d", i+1))
	}
	rows, err := conn.Query(ctx, q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func replaceFirst(s, old, new string) string {
	i := bytes.Index([]byte(s), []byte(old))
	if i < 0 {
		return s
	}
	return s[:i] + new + s[i+len(old):]
}

func code(err error) string {
	if err == nil {
		return ""
	}
	return kycgate.ErrorCode(err)
}

var declared = &kycgate.PersonalData{Surname: "SUN", GivenNames: "XIAOMING", NativeName: "孙晓明",
	DateOfBirth: "1960-06-28", Sex: "M", Nationality: "CHN", DocumentType: "id_card",
	DocumentNumber: "440305196006281497", IssuingCountry: "CHN"}

func l2Submission(applicantID string, steps ...kycgate.StepName) *kycgate.Submission {
	s := &kycgate.Submission{ApplicantID: applicantID, Steps: steps}
	for _, st := range steps {
		switch st {
		case kycgate.StepPersonalData:
			s.PersonalData = declared
		case kycgate.StepIDDocument:
			s.Files = append(s.Files, kycgate.File{Step: st, Kind: kycgate.FileDocumentFront, BlobKey: "0123456789abcdef0123456789abcdef",
				SHA256: "aa", Size: 10, ContentType: "image/jpeg"})
		case kycgate.StepSelfie:
			s.Files = append(s.Files, kycgate.File{Step: st, Kind: kycgate.FileSelfie, BlobKey: "fedcba9876543210fedcba9876543210",
				SHA256: "bb", Size: 20, ContentType: "image/jpeg"})
		}
	}
	return s
}

var allL2 = []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument, kycgate.StepSelfie}

func TestLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		st := e.st
		a := &kycgate.Applicant{ExternalUserID: "user-1", Level: kycgate.Level2, Email: "sun@example.test", Locale: "zh-CN"}
		if err := st.CreateApplicant(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Status != kycgate.StatusInit || !slices.Equal(a.RequiredSteps, allL2) {
			t.Fatalf("new applicant: %+v", a)
		}
		got, err := st.FindApplicant(ctx, a.ID)
		if err != nil || got.Email != "sun@example.test" || got.Locale != "zh-CN" || got.Level != kycgate.Level2 {
			t.Fatalf("FindApplicant = %+v, %v", got, err)
		}
		if _, err := st.FindApplicant(ctx, "nope"); code(err) != kycgate.ErrNotFound {
			t.Fatalf("unknown applicant: %v", err)
		}
		if err := st.CreateApplicant(ctx, &kycgate.Applicant{ExternalUserID: "u", Level: "L9"}); code(err) != kycgate.ErrInvalidInput {
			t.Fatalf("unknown level: %v", err)
		}

		// Bad submissions leave nothing behind.
		for _, bad := range []*kycgate.Submission{
			l2Submission(a.ID, kycgate.StepPersonalData),
			l2Submission(a.ID),
			{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepProofOfAddress}},
		} {
			if err := st.CreateSubmission(ctx, bad); code(err) != kycgate.ErrInvalidInput {
				t.Fatalf("bad submission %v: %v", bad.Steps, err)
			}
		}
		if subs, _ := st.ListSubmissions(ctx, a.ID, time.Time{}); len(subs) != 0 {
			t.Fatalf("refused submissions stored: %d", len(subs))
		}

		sub := l2Submission(a.ID, allL2...)
		sub.ChallengeID = "ch-1"
		if err := st.CreateSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateSubmission(ctx, l2Submission(a.ID, allL2...)); code(err) != kycgate.ErrConflict {
			t.Fatalf("submission while pending: %v", err)
		}
		gotSub, err := st.FindSubmission(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *gotSub.PersonalData != *declared || len(gotSub.Files) != 2 || gotSub.Files[1].BlobKey != sub.Files[1].BlobKey ||
			gotSub.ChallengeID != "ch-1" || !slices.Equal(gotSub.Steps, allL2) {
			t.Fatalf("FindSubmission = %+v", gotSub)
		}
		if pos, err := st.QueuePosition(ctx, sub.ID); err != nil || pos != 0 {
			t.Fatalf("QueuePosition = %d, %v", pos, err)
		}
		b := &kycgate.Applicant{ExternalUserID: "user-2", Level: kycgate.Level1}
		st.CreateApplicant(ctx, b)
		subB := l2Submission(b.ID, kycgate.StepPersonalData)
		if err := st.CreateSubmission(ctx, subB); err != nil {
			t.Fatal(err)
		}
		if pos, _ := st.QueuePosition(ctx, subB.ID); pos != 1 {
			t.Fatalf("second queued submission position %d, want 1", pos)
		}
		if n, _ := st.QueueDepth(ctx); n != 2 {
			t.Fatalf("QueueDepth = %d", n)
		}
		if a2, _ := st.FindApplicant(ctx, a.ID); a2.Status != kycgate.StatusPending {
			t.Fatalf("status after submit: %s", a2.Status)
		}

		// Personal data is not in clear on disk.
		for _, q := range []string{"SELECT personal_data_enc FROM submissions", "SELECT email_enc FROM applicants"} {
			for _, v := range e.raw(t, q) {
				if bytes.Contains(v, []byte("SUN")) || bytes.Contains(v, []byte("440305")) || bytes.Contains(v, []byte("example.test")) {
					t.Fatalf("%s: plaintext at rest", q)
				}
			}
		}

		// Rejected for the selfie only: personal data and document pass.
		d := &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.Rejected, RejectType: kycgate.Retry,
			Findings: []kycgate.Finding{{Code: kycgate.FaceNotFound, Step: kycgate.StepSelfie},
				{Code: kycgate.DataMismatch, Step: kycgate.StepSelfie, Fields: []string{"surname"}, DocumentValues: map[string]string{"surname": "SUM"}}}}
		m := &kycgate.Message{Subject: "Verification rejected", Body: "Take the selfie again, SUN."}
		if err := st.RecordDecision(ctx, d, m); err != nil {
			t.Fatal(err)
		}
		again := &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.Approved}
		if err := st.RecordDecision(ctx, again, &kycgate.Message{Subject: "x"}); err != nil {
			t.Fatalf("second decision: %v", err)
		}
		ds, _ := st.ListDecisions(ctx, a.ID)
		if len(ds) != 1 || ds[0].Outcome != kycgate.Rejected || len(ds[0].Findings) != 2 ||
			ds[0].Findings[1].DocumentValues["surname"] != "SUM" || !slices.Equal(ds[0].FailedSteps, []kycgate.StepName{kycgate.StepSelfie}) {
			t.Fatalf("decisions = %+v", ds)
		}
		msgs, _ := st.ListMessages(ctx, a.ID)
		if len(msgs) != 1 || msgs[0].Body != m.Body || msgs[0].DecisionID != d.ID || len(msgs[0].Findings) != 2 {
			t.Fatalf("messages = %+v", msgs)
		}
		for _, v := range e.raw(t, "SELECT findings_enc FROM decisions") {
			if bytes.Contains(v, []byte("SUM")) {
				t.Fatal("document values in clear")
			}
		}
		kinds := e.raw(t, "SELECT kind FROM river_job ORDER BY id")
		var ks []string
		for _, k := range kinds {
			ks = append(ks, string(k))
		}
		if !slices.Equal(ks, []string{"verify", "verify", "email", "webhook"}) {
			t.Fatalf("jobs = %v", ks)
		}
		a3, _ := st.FindApplicant(ctx, a.ID)
		if a3.Status != kycgate.StatusRetry || !slices.Equal(a3.RequiredSteps, []kycgate.StepName{kycgate.StepSelfie}) ||
			!slices.Equal(a3.PassedSteps, []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument}) {
			t.Fatalf("after RETRY: %+v", a3)
		}

		// Resubmit only the selfie; the declared data comes from before.
		if err := st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepIDDocument)); code(err) != kycgate.ErrInvalidInput {
			t.Fatalf("resubmission without the failed step: %v", err)
		}
		sub2 := l2Submission(a.ID, kycgate.StepSelfie)
		if err := st.CreateSubmission(ctx, sub2); err != nil {
			t.Fatal(err)
		}
		if pd, err := st.LatestPersonalData(ctx, a.ID); err != nil || pd == nil || pd.DocumentNumber != declared.DocumentNumber {
			t.Fatalf("LatestPersonalData = %+v, %v", pd, err)
		}
		if err := st.RecordDecision(ctx, &kycgate.Decision{SubmissionID: sub2.ID, Outcome: kycgate.Approved}, nil); err != nil {
			t.Fatal(err)
		}
		a4, _ := st.FindApplicant(ctx, a.ID)
		if a4.Status != kycgate.StatusApproved || len(a4.RequiredSteps) != 0 {
			t.Fatalf("after approval: %+v", a4)
		}
		if err := st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepSelfie)); code(err) != kycgate.ErrConflict {
			t.Fatalf("submission with nothing required: %v", err)
		}
		// Moving up keeps the passed steps.
		a5, err := st.SetLevel(ctx, a.ID, kycgate.Level3)
		if err != nil || !slices.Equal(a5.RequiredSteps, []kycgate.StepName{kycgate.StepProofOfAddress}) || len(a5.PassedSteps) != 3 {
			t.Fatalf("SetLevel = %+v, %v", a5, err)
		}
		subs, _ := st.ListSubmissions(ctx, a.ID, time.Time{})
		if len(subs) != 2 || subs[0].ID != sub2.ID {
			t.Fatalf("ListSubmissions newest first: %d", len(subs))
		}
		if subs, _ := st.ListSubmissions(ctx, a.ID, time.Now().Add(time.Hour)); len(subs) != 0 {
			t.Fatalf("ListSubmissions since the future: %d", len(subs))
		}
		if pos, _ := st.QueuePosition(ctx, "missing"); pos != 0 {
			t.Fatal("queue position of a missing submission")
		}
	})
}

func TestFinalLockAndReset(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		st := e.st
		a := &kycgate.Applicant{ExternalUserID: "user-f", Level: kycgate.Level1}
		st.CreateApplicant(ctx, a)
		until := time.Now().Add(24 * time.Hour).Truncate(time.Second)
		if err := st.LockApplicant(ctx, a.ID, &until); err != nil {
			t.Fatal(err)
		}
		err := st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepPersonalData))
		var ke *kycgate.Error
		if !errors.As(err, &ke) || ke.Code != string(kycgate.TooManyAttempts) || !ke.RetryAt.Equal(until) {
			t.Fatalf("locked submission: %v", err)
		}
		if got, _ := st.FindApplicant(ctx, a.ID); got.LockedUntil == nil || !got.LockedUntil.Equal(until) {
			t.Fatalf("LockedUntil = %v", got.LockedUntil)
		}
		if err := st.LockApplicant(ctx, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.LockApplicant(ctx, "missing", nil); code(err) != kycgate.ErrNotFound {
			t.Fatalf("lock missing: %v", err)
		}
		sub := l2Submission(a.ID, kycgate.StepPersonalData)
		if err := st.CreateSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ResetApplicant(ctx, a.ID); code(err) != kycgate.ErrConflict {
			t.Fatalf("reset while pending: %v", err)
		}
		st.RecordDecision(ctx, &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.Rejected, RejectType: kycgate.Final,
			Findings: []kycgate.Finding{{Code: kycgate.DocumentTypeNotAccepted, Step: kycgate.StepPersonalData}}}, nil)
		if err := st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepPersonalData)); code(err) != kycgate.ErrConflict {
			t.Fatalf("submission after FINAL: %v", err)
		}
		r, err := st.ResetApplicant(ctx, a.ID)
		if err != nil || r.Status != kycgate.StatusInit || len(r.PassedSteps) != 0 {
			t.Fatalf("reset: %+v %v", r, err)
		}
		if err := st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepPersonalData)); err != nil {
			t.Fatalf("submission after reset: %v", err)
		}
	})
}

// TestConcurrentSubmissions: a double click (or many) creates one
// submission; the others are refused and leave nothing behind.
func TestConcurrentSubmissions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := &kycgate.Applicant{ExternalUserID: "user-c", Level: kycgate.Level1}
		e.st.CreateApplicant(ctx, a)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = e.st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepPersonalData)) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch code(err) {
			case "":
				ok++
			case kycgate.ErrConflict:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		subs, _ := e.st.ListSubmissions(ctx, a.ID, time.Time{})
		jobsN := e.raw(t, "SELECT kind FROM river_job")
		if ok != 1 || len(subs) != 1 || len(jobsN) != 1 {
			t.Fatalf("%d accepted, %d stored, %d jobs; want 1 each", ok, len(subs), len(jobsN))
		}
	})
}

func TestChallengesKeysIdempotency(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		st := e.st
		a := &kycgate.Applicant{ExternalUserID: "user-x"}
		st.CreateApplicant(ctx, a)
		if a.Level != kycgate.Level1 {
			t.Fatalf("default level %s", a.Level)
		}
		c := &kycgate.Challenge{ApplicantID: a.ID, Actions: []string{"blink", "turn_left"}, Nonce: "n1", ExpiresAt: time.Now().Add(time.Minute)}
		if err := st.CreateChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
		const n = 6
		var wg sync.WaitGroup
		results := make([]error, n)
		for i := range n {
			wg.Go(func() {
				got, err := st.UseChallenge(ctx, c.ID, time.Now())
				if err == nil && (got.UsedAt == nil || !slices.Equal(got.Actions, c.Actions) || got.Nonce != "n1") {
					err = fmt.Errorf("bad challenge %+v", got)
				}
				results[i] = err
			})
		}
		wg.Wait()
		used := 0
		for _, err := range results {
			if err == nil {
				used++
			} else if code(err) != kycgate.ErrConflict {
				t.Fatalf("UseChallenge: %v", err)
			}
		}
		if used != 1 {
			t.Fatalf("challenge used %d times", used)
		}
		if _, err := st.UseChallenge(ctx, "missing", time.Now()); code(err) != kycgate.ErrNotFound {
			t.Fatalf("missing challenge: %v", err)
		}

		k := &kycgate.APIKey{Name: "ops", SecretHash: "abc123"}
		if err := st.CreateAPIKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateAPIKey(ctx, &kycgate.APIKey{Name: "dup", SecretHash: "abc123"}); code(err) != kycgate.ErrConflict {
			t.Fatalf("duplicate hash: %v", err)
		}
		got, err := st.FindAPIKeyByHash(ctx, "abc123")
		if err != nil || got.ID != k.ID || got.Name != "ops" || got.RevokedAt != nil {
			t.Fatalf("FindAPIKeyByHash = %+v, %v", got, err)
		}
		if _, err := st.FindAPIKeyByHash(ctx, "zzz"); code(err) != kycgate.ErrNotFound {
			t.Fatalf("unknown key: %v", err)
		}
		if err := st.RevokeAPIKey(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.FindAPIKeyByHash(ctx, "abc123"); got.RevokedAt == nil {
			t.Fatal("revocation not stored")
		}

		first := &kycgate.IdempotentResponse{Scope: "key1", Key: "k", RequestHash: "h1", StatusCode: 202, Body: []byte(`{"id":"s1"}`)}
		saved, err := st.SaveIdempotentResponse(ctx, first)
		if err != nil || saved.StatusCode != 202 || string(saved.Body) != `{"id":"s1"}` {
			t.Fatalf("save: %+v %v", saved, err)
		}
		second, err := st.SaveIdempotentResponse(ctx, &kycgate.IdempotentResponse{Scope: "key1", Key: "k", RequestHash: "h2", StatusCode: 500, Body: []byte("x")})
		if err != nil || second.RequestHash != "h1" || string(second.Body) != `{"id":"s1"}` {
			t.Fatalf("replay returned %+v %v", second, err)
		}
		if _, err := st.FindIdempotentResponse(ctx, "key2", "k"); code(err) != kycgate.ErrNotFound {
			t.Fatalf("other scope: %v", err)
		}
		if got, err := st.FindIdempotentResponse(ctx, "key1", "k"); err != nil || got.StatusCode != 202 {
			t.Fatalf("find: %+v %v", got, err)
		}
	})
}

// TestReopen: migrations are idempotent and data survives; a wrong master
// key cannot read personal data.
func TestReopen(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := &kycgate.Applicant{ExternalUserID: "user-r", Email: "r@example.test"}
		e.st.CreateApplicant(ctx, a)
		st2, err := sqlstore.Open(ctx, e.dsn, e.key)
		if err != nil {
			t.Fatal(err)
		}
		defer st2.Close()
		if got, err := st2.FindApplicant(ctx, a.ID); err != nil || got.Email != "r@example.test" {
			t.Fatalf("reopened: %+v %v", got, err)
		}
		other, _ := envelope.GenerateKey()
		st3, err := sqlstore.Open(ctx, e.dsn, other)
		if err != nil {
			t.Fatal(err)
		}
		defer st3.Close()
		if _, err := st3.FindApplicant(ctx, a.ID); !errors.Is(err, envelope.ErrDecrypt) {
			t.Fatalf("wrong key: %v", err)
		}
	})
}

func TestCustomLevels(t *testing.T) {
	ctx := context.Background()
	key, _ := envelope.GenerateKey()
	levels := []kycgate.Level{{Name: "basic", Steps: []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepSelfie}}}
	st, err := sqlstore.Open(ctx, "sqlite://"+t.TempDir()+"/x.db", key, sqlstore.WithLevels(levels))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &kycgate.Applicant{ExternalUserID: "u"}
	if err := st.CreateApplicant(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.Level != "basic" || !slices.Equal(a.RequiredSteps, levels[0].Steps) {
		t.Fatalf("custom level: %+v", a)
	}
	if err := st.CreateSubmission(ctx, l2Submission(a.ID, kycgate.StepPersonalData)); err == nil {
		t.Fatal("submission without job inserter accepted")
	}
}

func TestManualReview(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		st := e.st
		a := &kycgate.Applicant{ExternalUserID: "user-m", Level: kycgate.Level2}
		st.CreateApplicant(ctx, a)
		sub := l2Submission(a.ID, allL2...)
		if err := st.CreateSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		approve := &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.Approved}
		if err := st.RecordReview(ctx, approve, nil); code(err) != kycgate.ErrConflict {
			t.Fatalf("review before the automatic decision: %v", err)
		}
		if err := st.RecordDecision(ctx, &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.ManualReview,
			Findings: []kycgate.Finding{{Code: kycgate.FaceMismatch, Step: kycgate.StepSelfie, Review: true}}}, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.FindApplicant(ctx, a.ID); got.Status != kycgate.StatusManualReview {
			t.Fatalf("status %s", got.Status)
		}
		if err := st.RecordReview(ctx, &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.ManualReview}, nil); code(err) != kycgate.ErrInvalidInput {
			t.Fatalf("review to review: %v", err)
		}
		if err := st.RecordReview(ctx, &kycgate.Decision{SubmissionID: sub.ID, Outcome: kycgate.Rejected, RejectType: kycgate.Retry,
			Findings: []kycgate.Finding{{Code: kycgate.FaceMismatch, Step: kycgate.StepSelfie}}}, &kycgate.Message{Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
		if err := st.RecordReview(ctx, approve, nil); err != nil {
			t.Fatalf("second review: %v", err)
		}
		ds, _ := st.ListDecisions(ctx, a.ID)
		got, _ := st.FindApplicant(ctx, a.ID)
		if len(ds) != 2 || ds[0].Outcome != kycgate.Rejected || got.Status != kycgate.StatusRetry ||
			!slices.Equal(got.RequiredSteps, []kycgate.StepName{kycgate.StepSelfie}) {
			t.Fatalf("after review: %d decisions, newest %s, applicant %+v", len(ds), ds[0].Outcome, got)
		}
		if n := len(e.raw(t, "SELECT kind FROM river_job WHERE kind = 'webhook'")); n != 2 {
			t.Fatalf("%d webhook jobs, want one per decision", n)
		}
	})
}
