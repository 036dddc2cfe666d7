//go:build unix

package quality

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time. Benchmarks report it
// per operation because wall time on a shared machine measures the other
// tenants as much as this code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
