package mrzocr

import (
	"os"
	"path/filepath"
	"testing"
)

// testdataDir returns ../shared/testdata relative to the repository root, or
// skips when it is absent.
func testdataDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
	td := filepath.Join(dir, "..", "shared", "testdata")
	if _, err := os.Stat(filepath.Join(td, "mrz")); err != nil {
		t.Skipf("shared test data not available at %s", td)
	}
	return td
}
