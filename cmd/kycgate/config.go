package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/face"
	"github.com/kycgate/kycgate/lockout"
)

// Config is kycgate's configuration. Each setting has a flag, a KYCGATE_*
// environment variable and a safe default; the config file (YAML or JSON)
// holds the structured settings: levels, lock policy, notifications.
type Config struct {
	Listen      string `yaml:"listen"`
	DataDir     string `yaml:"data_dir"`
	DatabaseURL string `yaml:"database_url"`
	ModelsDir   string `yaml:"models_dir"`
	// Workers is how many verification jobs run at once.
	Workers int `yaml:"workers"`

	Levels []kycgate.Level `yaml:"levels"`
	Lock   lockout.Policy  `yaml:"lock"`
	Policy struct {
		// Overrides sets a reason code's reject type: RETRY or FINAL.
		Overrides map[kycgate.ReasonCode]kycgate.RejectType `yaml:"overrides"`
		// Review lists codes that go to manual review rather than rejection.
		Review []kycgate.ReasonCode `yaml:"review"`
	} `yaml:"policy"`
	Limits struct {
		MaxFileBytes int64 `yaml:"max_file_bytes"`
		MaxPixels    int   `yaml:"max_pixels"`
	} `yaml:"limits"`
	SMTP struct {
		// Addr is host:port of the SMTP server; empty disables email.
		Addr     string `yaml:"addr"`
		From     string `yaml:"from"`
		Username string `yaml:"username"`
		Password string `yaml:"password"`
		// TLS is starttls (default), tls (implicit, port 465) or none.
		TLS string `yaml:"tls"`
	} `yaml:"smtp"`
	Webhook struct {
		// URL receives signed decision events; empty disables webhooks.
		URL    string `yaml:"url"`
		Secret string `yaml:"secret"`
	} `yaml:"webhook"`
	// AddressProofMaxAgeMonths is how many calendar months old a proof of
	// address may be (default 3).
	AddressProofMaxAgeMonths int `yaml:"address_proof_max_age_months"`
	// FaceMatch sets the selfie-vs-portrait distance bands: below
	// match_below is a match, from mismatch_from on FACE_MISMATCH, in
	// between manual review (docs/face.md explains the defaults).
	FaceMatch face.Bands `yaml:"face_match"`
}

// defaultConfig makes `kycgate serve` work in an empty folder.
func defaultConfig() Config {
	c := Config{Listen: "127.0.0.1:8080", DataDir: "./kycgate-data", ModelsDir: "./models", Workers: 2,
		Levels: kycgate.DefaultLevels(), Lock: lockout.DefaultPolicy(), AddressProofMaxAgeMonths: 3,
		FaceMatch: face.DefaultBands}
	c.Limits.MaxFileBytes = 20 << 20
	c.Limits.MaxPixels = 50_000_000
	c.SMTP.From = "kycgate <no-reply@localhost>"
	return c
}

// loadConfig reads, in order of precedence: flags, KYCGATE_* variables, the
// config file (flag -config or KYCGATE_CONFIG), defaults.
func loadConfig(fs *flag.FlagSet, args []string) (*Config, error) {
	c := defaultConfig()
	file := fs.String("config", os.Getenv("KYCGATE_CONFIG"), "YAML or JSON config file (KYCGATE_CONFIG)")
	listen := fs.String("listen", "", "HTTP listen address (KYCGATE_LISTEN, default 127.0.0.1:8080)")
	dataDir := fs.String("data-dir", "", "data directory: SQLite database, blobs, master key (KYCGATE_DATA_DIR, default ./kycgate-data)")
	dbURL := fs.String("database-url", "", "postgres://… selects PostgreSQL (KYCGATE_DATABASE_URL, default SQLite in the data dir)")
	models := fs.String("models-dir", "", "pretrained model weights (KYCGATE_MODELS_DIR, default ./models)")
	workers := fs.Int("workers", 0, "concurrent verification jobs (KYCGATE_WORKERS, default 2)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return nil, fmt.Errorf("reading config: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("config %s: %w", *file, err)
		}
	}
	pick := func(dst *string, flagVal, env string) {
		if v := os.Getenv(env); v != "" {
			*dst = v
		}
		if flagVal != "" {
			*dst = flagVal
		}
	}
	pick(&c.Listen, *listen, "KYCGATE_LISTEN")
	pick(&c.DataDir, *dataDir, "KYCGATE_DATA_DIR")
	pick(&c.DatabaseURL, *dbURL, "KYCGATE_DATABASE_URL")
	pick(&c.ModelsDir, *models, "KYCGATE_MODELS_DIR")
	pick(&c.SMTP.Addr, "", "KYCGATE_SMTP_ADDR")
	pick(&c.SMTP.From, "", "KYCGATE_SMTP_FROM")
	pick(&c.SMTP.TLS, "", "KYCGATE_SMTP_TLS")
	pick(&c.Webhook.URL, "", "KYCGATE_WEBHOOK_URL")
	pick(&c.Webhook.Secret, "", "KYCGATE_WEBHOOK_SECRET")
	if v := os.Getenv("KYCGATE_WORKERS"); v != "" {
		if _, err := fmt.Sscan(v, &c.Workers); err != nil {
			return nil, fmt.Errorf("KYCGATE_WORKERS: %w", err)
		}
	}
	if *workers > 0 {
		c.Workers = *workers
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://" + filepath.Join(c.DataDir, "kycgate.db")
	}
	return &c, c.validate()
}

func (c *Config) validate() error {
	if len(c.Levels) == 0 {
		return fmt.Errorf("config: no levels")
	}
	for _, l := range c.Levels {
		if len(l.Steps) == 0 {
			return fmt.Errorf("config: level %s has no steps", l.Name)
		}
	}
	if err := c.FaceMatch.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.Lock.LockFor < 0 || c.Lock.Window < 0 {
		return fmt.Errorf("config: negative lock durations")
	}
	if c.Lock.LockFor == 0 && (c.Lock.MaxSubmissions > 0 || c.Lock.MaxConsecutiveFailures > 0) {
		c.Lock.LockFor = 24 * time.Hour
	}
	for code, rt := range c.Policy.Overrides {
		if rt != kycgate.Retry && rt != kycgate.Final {
			return fmt.Errorf("config: policy override for %s must be RETRY or FINAL, not %q", code, rt)
		}
	}
	return nil
}

func newFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("kycgate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}
