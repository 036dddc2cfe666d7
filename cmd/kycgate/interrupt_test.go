package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// TestRunCommandInterrupt checks what an interrupt does: an offline tool
// that does not watch ctx is not waited for (exit 130 at once), a graceful
// command is waited for and its own status kept, and a command that ends
// by itself keeps its status.
func TestRunCommandInterrupt(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	// blocked ignores ctx, as a long evaluation does, until the test ends.
	blocked := func(context.Context, []string, io.Writer, io.Writer) error {
		<-release
		return nil
	}
	// drains stops when ctx is cancelled, as the server does.
	drains := func(ctx context.Context, _ []string, _, _ io.Writer) error {
		<-ctx.Done()
		return &exitError{code: 3}
	}
	finishes := func(context.Context, []string, io.Writer, io.Writer) error { return &exitError{code: 1} }
	for _, tc := range []struct {
		name      string
		c         command
		interrupt bool
		want      int
	}{
		{"offline tool interrupted", command{name: "eval", run: blocked}, true, exitInterrupted},
		{"graceful command interrupted", command{name: "serve", run: drains, graceful: true}, true, 3},
		{"offline tool finishing", command{name: "check", run: finishes}, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.interrupt {
				time.AfterFunc(20*time.Millisecond, cancel)
			}
			var stderr bytes.Buffer
			got := make(chan int, 1)
			go func() { got <- runCommand(ctx, tc.c, nil, io.Discard, &stderr) }()
			select {
			case code := <-got:
				if code != tc.want {
					t.Errorf("exit %d, want %d (stderr %q)", code, tc.want, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("runCommand did not return after the interrupt")
			}
		})
	}
}
