package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/envelope"
)

// TestMigrationUpgrade: a database at version 1 with a decision in it
// upgrades to the latest schema without losing the decision.
func TestMigrationUpgrade(t *testing.T) {
	ctx := context.Background()
	key, _ := envelope.GenerateKey()
	s := &Store{key: key, levels: kycgate.DefaultLevels(), clock: kycgate.SystemClock{}}
	if err := s.openSQLite(ctx, filepath.Join(t.TempDir(), "old.db")); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.migrate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w := s.writer()
	for _, q := range []string{
		`INSERT INTO applicants (id, external_user_id, level, status, locale, created_at, updated_at) VALUES ('a1', 'u', 'L1', 'approved', 'en', 1, 1)`,
		`INSERT INTO submissions (id, applicant_id, steps, files, created_at) VALUES ('s1', 'a1', '["personal_data"]', '[]', 1)`,
	} {
		if _, err := w.exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	enc, _ := s.seal([]byte(`[]`), "decisions", "findings", "d1")
	if _, err := w.exec(ctx, `INSERT INTO decisions (id, submission_id, applicant_id, outcome, findings_enc, created_at) VALUES ('d1', 's1', 'a1', 'APPROVED', ?, 1)`, enc); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := s.ListDecisions(ctx, "a1")
	if err != nil || len(ds) != 1 || ds[0].ID != "d1" || ds[0].Outcome != kycgate.Approved {
		t.Fatalf("after upgrade: %+v, %v", ds, err)
	}
	var kind string
	if err := s.reader().queryRow(ctx, `SELECT kind FROM decisions WHERE id = 'd1'`).Scan(&kind); err != nil || kind != "auto" {
		t.Fatalf("kind %q, %v", kind, err)
	}
	if _, err := w.exec(ctx, `INSERT INTO decisions (id, submission_id, kind, applicant_id, outcome, findings_enc, created_at) VALUES ('d2', 's1', 'auto', 'a1', 'APPROVED', ?, 2)`, enc); err == nil {
		t.Fatal("second automatic decision for one submission accepted")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
}

func TestRebindAndSplit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"VALUES (?, ?, ?)", "VALUES ($1, $2, $3)"},
	}
	for _, tc := range tests {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q", tc.in, got)
		}
	}
	got := splitStatements("-- c; x\nCREATE TABLE a (x BLOB);\n\nCREATE INDEX i ON a (x); -- tail\n")
	if len(got) != 2 || got[0] != "CREATE TABLE a (x BLOB)" || got[1] != "CREATE INDEX i ON a (x)" {
		t.Fatalf("split = %q", got)
	}
	if rewriteDDL(Postgres, got[0]) != "CREATE TABLE a (x BYTEA)" || rewriteDDL(SQLite, got[0]) != got[0] {
		t.Fatal("rewriteDDL")
	}
}
