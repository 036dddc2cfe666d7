package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/blob"
	"github.com/kycgate/kycgate/envelope"
	"github.com/kycgate/kycgate/httpapi"
	"github.com/kycgate/kycgate/jobs"
	"github.com/kycgate/kycgate/policy"
	"github.com/kycgate/kycgate/reasons"
	"github.com/kycgate/kycgate/sqlstore"
)

// service is kycgate's parts, wired.
type service struct {
	cfg     *Config
	log     *slog.Logger
	key     *envelope.Key
	store   *sqlstore.Store
	blobs   *blob.FS
	runner  *jobs.Runner
	metrics *httpapi.Metrics
	engine  *engine
}

// openService opens the data directory, the database (migrating it) and
// the blob store, loads the models and builds the job runner.
func openService(ctx context.Context, cfg *Config, log *slog.Logger, workers bool) (*service, error) {
	key, store, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.NewFS(filepath.Join(cfg.DataDir, "blobs"), key)
	if err != nil {
		store.Close()
		return nil, err
	}
	s := &service{cfg: cfg, log: log, key: key, store: store, blobs: blobs}
	s.engine, err = newEngine(cfg, store)
	if err != nil {
		store.Close()
		return nil, err
	}
	s.metrics = httpapi.NewMetrics(func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := store.QueueDepth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	pol := &policy.Policy{Overrides: cfg.Policy.Overrides, ReviewCodes: map[kycgate.ReasonCode]bool{}}
	for _, c := range cfg.Policy.Review {
		pol.ReviewCodes[c] = true
	}
	mailer, hook := notifiers(cfg, log)
	s.runner, err = jobs.New(jobs.Config{
		Store: store, Blobs: blobs, Checks: s.engine.checks(),
		Decide:        func(_ *kycgate.Evidence, f []kycgate.Finding) *kycgate.Decision { return pol.Decide(f) },
		Render:        reasons.RenderMessage,
		Mailer:        mailer,
		Webhook:       hook,
		Logger:        log,
		VerifyWorkers: cfg.Workers,
		InsertOnly:    !workers,
		OnDecision:    s.metrics.ObserveDecision,
		OnCheck:       func(name string, took time.Duration, _ error) { s.metrics.ObserveCheck(name, took) },
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	return s, nil
}

func (s *service) Close() error { return s.store.Close() }

// openStore creates the data directory and the master key on first run
// and opens (migrating) the database.
func openStore(ctx context.Context, cfg *Config) (*envelope.Key, *sqlstore.Store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("data directory: %w", err)
	}
	key, err := envelope.LoadOrCreateMasterKey(filepath.Join(cfg.DataDir, "master.key"))
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL, key, sqlstore.WithLevels(cfg.Levels))
	if err != nil {
		return nil, nil, err
	}
	return key, store, nil
}

// api builds the HTTP API on the service.
func (s *service) api() (*httpapi.Server, error) {
	tokenKey, err := loadOrCreateSecret(filepath.Join(s.cfg.DataDir, "token.key"))
	if err != nil {
		return nil, err
	}
	return &httpapi.Server{
		Store: s.store, Blobs: s.blobs, Levels: s.cfg.Levels, Lock: s.cfg.Lock, TokenKey: tokenKey,
		ValidatePersonalData: s.engine.validatePersonalData,
		Precheck:             s.engine.precheck,
		NewChallenge:         s.engine.newChallenge,
		Ready:                func(ctx context.Context) error { _, err := s.store.QueueDepth(ctx); return err },
		MaxFileBytes:         s.cfg.Limits.MaxFileBytes,
		MaxPixels:            s.cfg.Limits.MaxPixels,
		Logger:               s.log,
		Metrics:              s.metrics,
	}, nil
}

// loadOrCreateSecret reads 32 random bytes from path, creating the file
// (mode 0600) on first run.
func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) != 32 {
			return nil, fmt.Errorf("%s: want 32 bytes, have %d", path, len(b))
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	b = make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, err
	}
	return b, f.Close()
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func runServe(ctx context.Context, args []string, _, stderr io.Writer) error {
	return serve(ctx, "serve", args, stderr, true)
}

func runWorker(ctx context.Context, args []string, _, stderr io.Writer) error {
	return serve(ctx, "worker", args, stderr, false)
}

// serve runs the workers and, unless workersOnly, the API until ctx ends,
// then stops gracefully: running jobs finish or are retried later.
func serve(ctx context.Context, name string, args []string, stderr io.Writer, withAPI bool) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return usageError("%v", err)
	}
	log := newLogger(stderr)
	svc, err := openService(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.runner.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = svc.runner.Stop(stopCtx)
	}()
	if !withAPI {
		log.Info("worker started", "database", engineName(cfg.DatabaseURL))
		<-ctx.Done()
		return nil
	}
	api, err := svc.api()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute}
	log.Info("kycgate listening", "addr", "http://"+ln.Addr().String(), "database", engineName(cfg.DatabaseURL), "data_dir", cfg.DataDir)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

func engineName(url string) string {
	if len(url) > 8 && (url[:9] == "postgres:" || (len(url) > 10 && url[:11] == "postgresql:")) {
		return "postgresql"
	}
	return "sqlite"
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return usageError("%v", err)
	}
	_, store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintln(stdout, "migrations applied:", engineName(cfg.DatabaseURL))
	return nil
}

func runAPIKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError("usage: kycgate apikey create -name NAME")
	}
	fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "default", "a name to recognise the key by")
	cfg, err := loadConfig(fs, args[1:])
	if err != nil {
		return usageError("%v", err)
	}
	_, store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	secret, k := httpapi.NewAPIKey(*name, time.Now())
	if err := store.CreateAPIKey(ctx, k); err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	fmt.Fprintln(stderr, "kycgate: API key", k.ID, "created; the secret above is shown once and stored only as a hash")
	return nil
}
