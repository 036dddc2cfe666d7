// Package testenv locates the files that tests of this module read from
// outside their own package directory: the repository root, the shared test
// data kept next to it (../shared/testdata) and the face model weights.
//
// These lookups used to be copy-pasted into the tests of every package that
// needed them, each copy drifting slightly (different skip messages, some
// skipping and some failing when go.mod was not found). Keeping one version
// here gives every package the same rules for where the data lives and when
// a test is skipped rather than failed.
//
// The package is only meant to be imported from _test.go files. It must not
// import any other package of this module: package face's own tests use it,
// so an import of face (or of anything importing face) here would be an
// import cycle.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RepoRoot returns the repository root: the nearest directory, walking up
// from the working directory (the test's package directory under go test),
// that holds go.mod. The test fails if there is none, since then the test is
// not running inside the module and no relative path below can be trusted.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// SharedTestdata returns filepath.Join(RepoRoot, "..", "shared", "testdata",
// sub...). The shared test data is a separate checkout that is not part of
// this repository and may not be present (in CI, or for a fresh clone), so
// the test is skipped, not failed, when that path does not exist. Passing the
// subfolder or file a test actually needs makes the skip precise: the test
// runs only if that part of the data is installed.
func SharedTestdata(t testing.TB, sub ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{RepoRoot(t), "..", "shared", "testdata"}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data not available at %s (check out shared/testdata next to the repository): %v", p, err)
	}
	return p
}

// ModelsDir returns the directory holding the face model weights:
// $KYCGATE_MODELS_DIR if set, otherwise <repo>/models (where scripts/models.sh
// installs them). It does not check that the directory exists or skip the
// test: loading the models is left to the caller (testenv cannot import
// package face), which decides whether missing weights mean skip or fail.
func ModelsDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("KYCGATE_MODELS_DIR"); dir != "" {
		return dir
	}
	return filepath.Join(RepoRoot(t), "models")
}

// BuildsForWebAssembly builds the package in the working directory (the
// test's own package directory under go test) for GOOS=js GOARCH=wasm
// without cgo, and fails the test if it does not build: the capture page
// runs such packages in the browser, and a cgo or OS-only import would
// break it silently. Only the package is built, not its tests, which may
// use files kept out of the browser build. Skipped in -short mode and when
// the go tool is not on PATH.
func BuildsForWebAssembly(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds for js/wasm; skipped in -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not on PATH: %v", err)
	}
	cmd := exec.Command(gobin, "build", "-o", os.DevNull, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go build: %v\n%s", err, out)
	}
}
