// Package sqlstore implements kycgate.Store on SQLite (embedded, the default)
// and PostgreSQL, with one schema and one set of queries.
//
// Personal data (declared identity data, applicant e-mail, findings with
// document values, inbox bodies, replayed responses) is sealed with package
// envelope before it reaches the database; ids, statuses and times stay in
// clear so they can be indexed.
//
// Jobs (package jobs, on River) share the database: CreateSubmission and
// RecordDecision insert their jobs through a JobInserter inside the same
// transaction, so an accepted submission and its verification job are
// committed together or not at all.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/envelope"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// VerifyJobKind is the River kind of verification jobs. QueuePosition
// counts jobs of this kind; package jobs registers its worker under it.
const VerifyJobKind = "verify"

// JobInserter inserts jobs inside the store's transactions. tx is a *sql.Tx
// on SQLite and a pgx.Tx on PostgreSQL (see Store.Engine). Package jobs
// implements it on River.
type JobInserter interface {
	// InsertVerifyTx enqueues the verification of a submission and returns
	// the job's id.
	InsertVerifyTx(ctx context.Context, tx any, submissionID string) (jobID int64, err error)
	// InsertNotificationsTx enqueues e-mail and webhook deliveries.
	InsertNotificationsTx(ctx context.Context, tx any, n []kycgate.Notification) error
}

// Store is a kycgate.Store on SQLite or PostgreSQL.
type Store struct {
	engine Engine
	key    *envelope.Key
	levels []kycgate.Level
	clock  kycgate.Clock
	jobs   JobInserter

	// SQLite: one writer connection (SQLite allows one writer; a single
	// connection turns contention into queueing instead of SQLITE_BUSY) and
	// a pool of readers, which WAL lets run beside the writer.
	wdb, rdb *sql.DB
	// PostgreSQL.
	pool *pgxpool.Pool
}

var _ kycgate.Store = (*Store)(nil)

// Option configures Open.
type Option func(*Store)

// WithLevels replaces the default levels (kycgate.DefaultLevels).
func WithLevels(levels []kycgate.Level) Option {
	return func(s *Store) { s.levels = levels }
}

// WithClock replaces the system clock (tests).
func WithClock(c kycgate.Clock) Option { return func(s *Store) { s.clock = c } }

// WithJobInserter sets the job inserter; see also SetJobInserter.
func WithJobInserter(j JobInserter) Option { return func(s *Store) { s.jobs = j } }

// Open connects to the database named by dsn and applies pending
// migrations (kycgate's and River's). dsn is "postgres://…" or
// "postgresql://…" for PostgreSQL, "sqlite:///abs/path.db",
// "sqlite://rel/path.db" or a plain file path for SQLite. key seals personal
// data and must be the same on every process sharing the database.
func Open(ctx context.Context, dsn string, key *envelope.Key, opts ...Option) (*Store, error) {
	if key == nil {
		return nil, errors.New("sqlstore: nil master key")
	}
	s := &Store{key: key, levels: kycgate.DefaultLevels(), clock: kycgate.SystemClock{}}
	for _, o := range opts {
		o(s)
	}
	if len(s.levels) == 0 {
		return nil, errors.New("sqlstore: no levels configured")
	}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		err = s.openPostgres(ctx, dsn)
	} else {
		err = s.openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// SQLitePath returns the file path of a SQLite dsn as Open understands it.
func SQLitePath(dsn string) string {
	switch {
	case strings.HasPrefix(dsn, "sqlite://"):
		return strings.TrimPrefix(dsn, "sqlite://")
	case strings.HasPrefix(dsn, "sqlite:"):
		return strings.TrimPrefix(dsn, "sqlite:")
	case strings.HasPrefix(dsn, "file:"):
		p := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		return p
	}
	return dsn
}

func (s *Store) openSQLite(ctx context.Context, dsn string) error {
	path := SQLitePath(dsn)
	if path == "" {
		return errors.New("sqlstore: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("sqlstore: creating %s: %w", dir, err)
		}
	}
	// busy_timeout: other processes (a separate worker) wait for the lock
	// instead of failing. _txlock=immediate takes the write lock at BEGIN,
	// so a transaction never fails upgrading a read lock to a write lock.
	// synchronous(FULL) fsyncs the WAL at every commit: an accepted
	// submission survives a power cut, not only a process kill.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	u := "file:" + path + "?" + q.Encode()
	var err error
	if s.wdb, err = sql.Open("sqlite", u); err != nil {
		return fmt.Errorf("sqlstore: opening %s: %w", path, err)
	}
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetConnMaxIdleTime(0)
	if err := s.wdb.PingContext(ctx); err != nil {
		s.wdb.Close()
		return fmt.Errorf("sqlstore: opening %s: %w", path, err)
	}
	q.Set("_txlock", "deferred")
	q.Add("_pragma", "query_only(1)")
	if s.rdb, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode()); err != nil {
		s.wdb.Close()
		return fmt.Errorf("sqlstore: opening %s: %w", path, err)
	}
	s.rdb.SetMaxOpenConns(8)
	s.engine = SQLite
	return nil
}

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("sqlstore: parsing PostgreSQL URL: %w", err)
	}
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return fmt.Errorf("sqlstore: connecting to PostgreSQL: %w", err)
	}
	if err := s.pool.Ping(ctx); err != nil {
		s.pool.Close()
		return fmt.Errorf("sqlstore: connecting to PostgreSQL: %w", err)
	}
	s.engine = Postgres
	return nil
}

// Close releases the connections.
func (s *Store) Close() error {
	if s.pool != nil {
		s.pool.Close()
	}
	var errs []error
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

// Engine says which database the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// SQLiteDB returns the single-connection writer pool (SQLite only), which
// River must share so that job inserts join the store's transactions.
func (s *Store) SQLiteDB() *sql.DB { return s.wdb }

// PgxPool returns the PostgreSQL pool (PostgreSQL only).
func (s *Store) PgxPool() *pgxpool.Pool { return s.pool }

// Levels returns the configured levels.
func (s *Store) Levels() []kycgate.Level { return s.levels }

// SetJobInserter wires the job queue in after Open (package jobs needs the
// open store to build its River client).
func (s *Store) SetJobInserter(j JobInserter) { s.jobs = j }

// reader returns the querier for reads outside transactions.
func (s *Store) reader() querier {
	if s.engine == Postgres {
		return pgQ{s.pool}
	}
	return sqlQ{s.rdb}
}

// writer returns the querier for single-statement writes.
func (s *Store) writer() querier {
	if s.engine == Postgres {
		return pgQ{s.pool}
	}
	return sqlQ{s.wdb}
}

// inTx runs fn in a transaction and commits when fn returns nil. raw is the
// engine's transaction (*sql.Tx or pgx.Tx) for the job inserter.
func (s *Store) inTx(ctx context.Context, fn func(q querier, raw any) error) error {
	if s.engine == Postgres {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("sqlstore: begin: %w", err)
		}
		defer tx.Rollback(ctx)
		if err := fn(pgQ{tx}, tx); err != nil {
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("sqlstore: commit: %w", err)
		}
		return nil
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(sqlQ{tx}, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// migration is one embedded schema file, numbered by its name's prefix.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("sqlstore: migration %s: name must start with a number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies River's migrations, then kycgate's pending ones, each
// kycgate migration in its own transaction together with its version row.
// It is safe to run from several processes at once: SQLite serialises the
// transactions and PostgreSQL takes an advisory lock.
func (s *Store) Migrate(ctx context.Context) error { return s.migrate(ctx, 0) }

// migrate applies migrations up to version upTo (0: all).
func (s *Store) migrate(ctx context.Context, upTo int) error {
	if s.engine == Postgres {
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", err)
		}
		defer conn.Release()
		const lockID = 0x6b796367 // "kycg"
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
			return fmt.Errorf("sqlstore: migrate lock: %w", err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockID)
		m, err := rivermigrate.New(riverpgxv5.New(s.pool), nil)
		if err != nil {
			return fmt.Errorf("sqlstore: river migrations: %w", err)
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("sqlstore: river migrations: %w", err)
		}
	} else {
		m, err := rivermigrate.New(riversqlite.New(s.wdb), nil)
		if err != nil {
			return fmt.Errorf("sqlstore: river migrations: %w", err)
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("sqlstore: river migrations: %w", err)
		}
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.writer().exec(ctx, `CREATE TABLE IF NOT EXISTS kycgate_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	for _, m := range ms {
		if upTo > 0 && m.version > upTo {
			break
		}
		err := s.inTx(ctx, func(q querier, _ any) error {
			var n int
			if err := q.queryRow(ctx, `SELECT count(*) FROM kycgate_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(rewriteDDL(s.engine, m.sql)) {
				if _, err := q.exec(ctx, stmt); err != nil {
					return fmt.Errorf("%w in %q", err, firstLine(stmt))
				}
			}
			_, err := q.exec(ctx, `INSERT INTO kycgate_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
	}
	return nil
}

// splitStatements splits a schema file on semicolons at line ends, after
// dropping -- comments. Schema files contain no semicolons in literals.
func splitStatements(sqlText string) []string {
	var b strings.Builder
	for _, line := range strings.Split(sqlText, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	var out []string
	for _, st := range strings.Split(b.String(), ";") {
		if st = strings.TrimSpace(st); st != "" {
			out = append(out, st)
		}
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
