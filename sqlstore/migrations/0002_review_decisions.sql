-- A reviewer's decision closes a MANUAL_REVIEW submission, so a submission
-- may now have two decisions: kind 'auto' (the pipeline) and kind 'review'.
-- The table is rebuilt (SQLite cannot drop a UNIQUE column constraint);
-- the statements are plain SQL that both engines run unchanged.

CREATE TABLE decisions_v2 (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    kind          TEXT NOT NULL DEFAULT 'auto',
    applicant_id  TEXT NOT NULL REFERENCES applicants (id),
    outcome       TEXT NOT NULL,
    reject_type   TEXT NOT NULL DEFAULT '',
    findings_enc  BLOB NOT NULL,
    failed_steps  TEXT NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL
);

INSERT INTO decisions_v2 (id, submission_id, kind, applicant_id, outcome, reject_type, findings_enc, failed_steps, created_at)
    SELECT id, submission_id, 'auto', applicant_id, outcome, reject_type, findings_enc, failed_steps, created_at FROM decisions;

DROP TABLE decisions;

ALTER TABLE decisions_v2 RENAME TO decisions;

CREATE UNIQUE INDEX decisions_submission_kind ON decisions (submission_id, kind);

CREATE INDEX decisions_applicant ON decisions (applicant_id, created_at);
