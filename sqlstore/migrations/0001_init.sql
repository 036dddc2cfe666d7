-- kycgate schema, version 1. Written once for both engines: the only
-- dialect rewrite is BLOB -> BYTEA on PostgreSQL. Times are BIGINT unix
-- microseconds (UTC) so both engines compare and scan them the same way.
-- Columns ending in _enc hold envelope-sealed personal data.

CREATE TABLE applicants (
    id               TEXT PRIMARY KEY,
    external_user_id TEXT NOT NULL,
    level            TEXT NOT NULL,
    status           TEXT NOT NULL,
    passed_steps     TEXT NOT NULL DEFAULT '[]',
    failed_steps     TEXT NOT NULL DEFAULT '[]',
    locked_until     BIGINT,
    locale           TEXT NOT NULL,
    email_enc        BLOB,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX applicants_external_user_id ON applicants (external_user_id);

CREATE TABLE submissions (
    id                TEXT PRIMARY KEY,
    applicant_id      TEXT NOT NULL REFERENCES applicants (id),
    steps             TEXT NOT NULL,
    personal_data_enc BLOB,
    files             TEXT NOT NULL,
    challenge_id      TEXT NOT NULL DEFAULT '',
    verify_job_id     BIGINT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX submissions_applicant ON submissions (applicant_id, created_at);

CREATE TABLE decisions (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL UNIQUE REFERENCES submissions (id),
    applicant_id  TEXT NOT NULL REFERENCES applicants (id),
    outcome       TEXT NOT NULL,
    reject_type   TEXT NOT NULL DEFAULT '',
    findings_enc  BLOB NOT NULL,
    failed_steps  TEXT NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL
);
CREATE INDEX decisions_applicant ON decisions (applicant_id, created_at);

CREATE TABLE messages (
    id           TEXT PRIMARY KEY,
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    decision_id  TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL,
    body_enc     BLOB NOT NULL,
    findings_enc BLOB NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX messages_applicant ON messages (applicant_id, created_at);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE challenges (
    id           TEXT PRIMARY KEY,
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    actions      TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);

CREATE TABLE idempotent_responses (
    scope        TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  INTEGER NOT NULL,
    body_enc     BLOB NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
