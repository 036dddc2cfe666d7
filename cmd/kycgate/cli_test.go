package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycgate/kycgate/face"
)

// TestCheckCommand runs `kycgate check` on the walkthrough's files and
// holds it to the CLI contract: JSON Lines with findings, metrics and the
// document; exit status 0 accepted, 1 findings, 2 usage or I/O error.
func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"demo", dir}, &out, &errb); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errb.String())
	}
	f := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name     string
		args     []string
		exit     int
		codes    []string // finding codes expected in the first JSON line
		contains string
	}{
		{"declared data matches", []string{"check", "--json", "--declared", f("declared.json"), f("passport.jpg")}, 0, nil, `"type":"passport"`},
		{"typo names the field", []string{"check", "--json", "--declared", f("declared-typo.json"), f("passport.jpg")}, 1, []string{"DATA_MISMATCH"}, `"surname"`},
		{"blurred photo: the blur, not a wrong document", []string{"check", "--json", f("passport-blurry.jpg")}, 1, []string{"IMAGE_BLURRY"}, ""},
		{"human summary says how to fix", []string{"check", "--declared", f("declared-typo.json"), f("passport.jpg")}, 1, nil, "Correct the fields"},
		{"chinese summary", []string{"check", "--lang", "zh-CN", "--declared", f("declared-typo.json"), f("passport.jpg")}, 1, nil, "证件上为"},
		{"type alone compares no data", []string{"check", "--json", "--type", "passport", f("passport.jpg")}, 0, nil, `"type":"passport"`},
		{"declared type differs", []string{"check", "--json", "--type", "id_card", f("passport.jpg")}, 1, []string{"DOCUMENT_TYPE_NOT_ACCEPTED"}, `"detail":"passport"`},
		{"missing file", []string{"check", "--json", f("nope.jpg")}, 2, nil, `"error"`},
		{"not an image", []string{"check", "--json", f("declared.json")}, 1, []string{"IMAGE_INVALID"}, ""},
		{"no arguments", []string{"check"}, 2, nil, ""},
		{"bad type", []string{"check", "--type", "library_card", f("passport.jpg")}, 2, nil, ""},
		{"unknown command", []string{"frobnicate"}, 2, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errb)
			if code != tt.exit {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.exit, out.String(), errb.String())
			}
			if tt.contains != "" && !strings.Contains(out.String(), tt.contains) {
				t.Errorf("output lacks %q:\n%s", tt.contains, out.String())
			}
			if tt.codes == nil {
				return
			}
			var res checkResult
			if err := json.Unmarshal([]byte(strings.SplitN(out.String(), "\n", 2)[0]), &res); err != nil {
				t.Fatalf("not JSON Lines: %v\n%s", err, out.String())
			}
			got := map[string]bool{}
			for _, f := range res.Findings {
				got[string(f.Code)] = true
				if f.Message == "" || f.Fix == "" {
					t.Errorf("finding %s without message or fix", f.Code)
				}
			}
			for _, c := range tt.codes {
				if !got[c] {
					t.Errorf("findings %v lack %s", res.Findings, c)
				}
			}
			if len(got) != len(tt.codes) {
				t.Errorf("findings %v, want only %v", res.Findings, tt.codes)
			}
		})
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kycgate.yaml")
	os.WriteFile(file, []byte("listen: 127.0.0.1:9000\nlock: {max_submissions: 3, window: 5m}\npolicy: {overrides: {DOCUMENT_TYPE_NOT_ACCEPTED: FINAL}}\nface_match: {match_below: 0.42, mismatch_from: 0.6}\n"), 0o600)
	t.Setenv("KYCGATE_CONFIG", file)
	t.Setenv("KYCGATE_DATA_DIR", dir)
	fs := newFlagSet()
	cfg, err := loadConfig(fs, []string{"-listen", "127.0.0.1:9001"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9001" {
		t.Errorf("flag should win: %s", cfg.Listen)
	}
	if cfg.Lock.MaxSubmissions != 3 || cfg.Lock.Window.Minutes() != 5 || cfg.Lock.LockFor.Hours() != 24 {
		t.Errorf("lock from file: %+v", cfg.Lock)
	}
	if cfg.FaceMatch != (face.Bands{MatchBelow: 0.42, MismatchFrom: 0.6}) {
		t.Errorf("face match bands from file: %+v", cfg.FaceMatch)
	}
	if cfg.DatabaseURL != "sqlite://"+filepath.Join(dir, "kycgate.db") {
		t.Errorf("database in the data dir: %s", cfg.DatabaseURL)
	}
	for _, bad := range []string{"lisen: x\n", "policy: {overrides: {IMAGE_BLURRY: MAYBE}}\n", "levels: [{name: L1, steps: []}]\n",
		"face_match: {match_below: 0.7, mismatch_from: 0.6}\n"} {
		os.WriteFile(file, []byte(bad), 0o600)
		if _, err := loadConfig(newFlagSet(), nil); err == nil {
			t.Errorf("config %q accepted", bad)
		}
	}
}
