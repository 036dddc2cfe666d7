// Command kycgate runs the kycgate identity-verification service and its
// offline tools.
//
//	kycgate serve      API and workers in one process (the default)
//	kycgate worker     workers only
//	kycgate migrate    apply database migrations
//	kycgate apikey create -name NAME
//	kycgate check [--json] [--declared FILE.json] [--type auto|passport|id_card|driver_license] IMAGE...
//	kycgate face [--json] SELFIE
//	kycgate match [--json] DOCUMENT_IMAGE SELFIE
//	kycgate liveness [--json] --challenge blink,turn_left FRAME...
//	kycgate eval       accuracy of every detector on labelled images
//	kycgate demo [DIR] sample files for the README's walkthrough
//	kycgate version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/kycgate/kycgate/ocr"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// exitError carries a process exit status: 1 for findings, 2 for usage or
// I/O errors, as the CLI contract says.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	// graceful commands stop by themselves when ctx is cancelled (the
	// server drains its requests and jobs); the others are offline tools
	// that do not watch ctx, so an interrupt ends them at once.
	graceful bool
}

func commands() []command {
	return []command{
		{"serve", "run the API and the workers (default)", runServe, true},
		{"worker", "run the workers only", runWorker, true},
		{"migrate", "apply database migrations and exit", runMigrate, true},
		{"apikey", "manage operator API keys: apikey create -name NAME", runAPIKey, true},
		{"check", "check document photos offline", runCheck, false},
		{"face", "check a selfie offline", runFace, false},
		{"match", "match a document portrait with a selfie", runMatch, false},
		{"liveness", "check a liveness frame sequence offline", runLiveness, false},
		{"eval", "evaluate every detector on labelled images", runEval, false},
		{"demo", "write the walkthrough's sample files: demo [DIR]", runDemo, false},
		{"version", "print the version", func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "kycgate", version)
			return nil
		}, false},
	}
}

func main() {
	// Tesseract's OpenMP threads only compete with the OCR pool: restart
	// with one thread each unless the environment already says (see
	// ocr.LimitOpenMP). On failure the process simply goes on unrestricted.
	_ = ocr.LimitOpenMP()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name == name {
			return runCommand(ctx, c, args, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kycgate: unknown command %q\n\ncommands:\n", name)
	for _, c := range commands() {
		fmt.Fprintf(stderr, "  %-9s %s\n", c.name, c.summary)
	}
	return 2
}

// exitInterrupted is the status of a command ended by an interrupt: 128 +
// SIGINT, as shells report it.
const exitInterrupted = 130

// runCommand runs c and turns its error into the exit status. An offline
// tool does not watch ctx, so when ctx is cancelled (Ctrl-C, or the SIGTERM
// of a timeout) it is not waited for: a long `kycgate eval` stops at once
// rather than ignoring the signal it caught.
func runCommand(ctx context.Context, c command, args []string, stdout, stderr io.Writer) int {
	done := make(chan error, 1)
	go func() { done <- c.run(ctx, args, stdout, stderr) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		if !c.graceful {
			fmt.Fprintln(stderr, "kycgate: interrupted")
			return exitInterrupted
		}
		err = <-done
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "kycgate:", ee.err)
		}
		return ee.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	fmt.Fprintln(stderr, "kycgate:", err)
	return 2
}
