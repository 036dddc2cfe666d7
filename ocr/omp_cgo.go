//go:build cgo && unix

package ocr

import (
	"os"
	"syscall"
)

// LimitOpenMP re-executes the running program with OMP_THREAD_LIMIT=1 when
// that variable is not set, and returns only if it is already set or the
// re-execution failed. Call it first thing in main (and in TestMain).
//
// Debian's libtesseract is built with OpenMP and its LSTM layers ask for
// four threads per recognition. On a server that runs one recognition per
// core from the pool, those threads only compete: measured here, a Chinese
// ID front took 1.3 s of CPU with them and 0.43 s without. libgomp reads
// the limit from the environment when it is loaded, before any Go code
// runs, and has no API to lower it afterwards, so the environment must
// carry it from the start: set it in the service's environment, or let
// this function restart the process with it.
func LimitOpenMP() error {
	if os.Getenv("OMP_THREAD_LIMIT") != "" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return syscall.Exec(exe, os.Args, append(os.Environ(), "OMP_THREAD_LIMIT=1"))
}
