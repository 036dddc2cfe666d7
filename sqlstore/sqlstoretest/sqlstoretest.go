// Package sqlstoretest opens throwaway stores on every available engine, so
// one test suite runs against SQLite always and PostgreSQL when
// KYCGATE_TEST_POSTGRES_URL is set.
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kycgate/kycgate/sqlstore"
)

// EnvPostgres names the variable holding a PostgreSQL URL for tests.
const EnvPostgres = "KYCGATE_TEST_POSTGRES_URL"

// Engines returns SQLite, plus PostgreSQL when EnvPostgres is set.
func Engines() []sqlstore.Engine {
	e := []sqlstore.Engine{sqlstore.SQLite}
	if os.Getenv(EnvPostgres) != "" {
		e = append(e, sqlstore.Postgres)
	}
	return e
}

// DSN returns a fresh, empty database for one test: a new SQLite file in
// t.TempDir(), or a new PostgreSQL schema (random name, dropped at cleanup)
// selected through search_path, so parallel runs never share tables.
func DSN(t testing.TB, e sqlstore.Engine) string {
	t.Helper()
	if e == sqlstore.SQLite {
		return filepath.Join(t.TempDir(), "kycgate.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("%s not set", EnvPostgres)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "kyctest_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to %s: %v", EnvPostgres, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
