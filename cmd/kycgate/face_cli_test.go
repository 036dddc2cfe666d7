package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
)

// TestFaceCommands holds `kycgate face`, `match` and `liveness` to the CLI
// contract on real photos and clips of the shared test data.
func TestFaceCommands(t *testing.T) {
	if _, err := os.Stat(modelsDir()); err != nil {
		t.Skipf("face models not fetched (%v): run scripts/models.sh", err)
	}
	td := testenv.SharedTestdata(t)
	id := func(who string, n int) string {
		return filepath.Join(td, "faces", "face-api-js", "identities", who, who+string(rune('0'+n))+".png")
	}
	blink, _ := filepath.Glob(filepath.Join(td, "liveness", "liveportrait_d0_smile_blink", "*.jpg"))
	tests := []struct {
		name string
		args []string
		exit int
		want string // in stdout
	}{
		{"same person matches", []string{"match", "--json", id("sheldon", 1), id("sheldon", 3)}, 0, `"band":"match"`},
		{"another person is a mismatch", []string{"match", "--json", id("sheldon", 1), id("penny", 2)}, 1, `"FACE_MISMATCH"`},
		{"dark selfie", []string{"face", "--json", filepath.Join(td, "lighting", "dark_phone_photos", "dark_16_image29.jpg")}, 1, `"FACE_TOO_DARK"`},
		{"no face", []string{"face", "--json", filepath.Join(td, "faces", "face-api-js", "test_images", "white.png")}, 1, `"FACE_NOT_FOUND"`},
		{"blink clip answers a blink", append([]string{"liveness", "--json", "--fps", "25", "--challenge", "blink"}, blink...), 0, `"ok":true`},
		{"the same clip lacks a head turn", append([]string{"liveness", "--json", "--fps", "25", "--challenge", "turn_left,blink"}, blink...), 1, `turn_left:missing`},
		{"liveness needs a challenge", append([]string{"liveness", "--fps", "25"}, blink...), 2, ""},
		{"match needs two images", []string{"match", id("sheldon", 1)}, 2, ""},
		{"missing selfie file", []string{"face", "--json", filepath.Join(td, "nope.jpg")}, 2, `"error"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{tt.args[0], "--models-dir", modelsDir()}, tt.args[1:]...)
			if code := run(context.Background(), args, &out, &errb); code != tt.exit {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.exit, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output lacks %s:\n%s", tt.want, out.String())
			}
			if strings.Contains(strings.Join(tt.args, " "), "--json") && tt.exit != 2 {
				var v map[string]any
				if err := json.Unmarshal([]byte(strings.SplitN(out.String(), "\n", 2)[0]), &v); err != nil {
					t.Errorf("not JSON Lines: %v", err)
				}
			}
		})
	}
}
