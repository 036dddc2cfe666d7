package httpapi_test

import (
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/kycgate/kycgate/lockout"
)

// BenchmarkStatusUnderLoad sends status requests at a fixed 1,000 per
// second from 32 concurrent clients for b.N×(1/1000) s and reports the
// latency percentiles (target: p99 < 10 ms).
func BenchmarkStatusUnderLoad(b *testing.B) {
	e := newEnv(b, lockout.DefaultPolicy())
	id := e.createApplicant("L2")
	const rate = 1000
	const clients = 32
	n := max(b.N, 2000)
	lat := make([]time.Duration, n)
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	hc := &http.Client{Transport: tr}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				req, _ := http.NewRequest("GET", e.srv.URL+"/v1/applicants/"+id, nil)
				req.Header.Set("Authorization", "Bearer "+e.apiKey)
				t0 := time.Now()
				res, err := hc.Do(req)
				if err != nil || res.StatusCode != 200 {
					b.Errorf("status request: %v %v", err, res)
					return
				}
				res.Body.Close()
				lat[i] = time.Since(t0)
			}
		}()
	}
	for i := 0; i < n; i++ {
		// Pace the load: request i goes out at start + i/rate.
		if d := time.Until(start.Add(time.Duration(i) * time.Second / rate)); d > 0 {
			time.Sleep(d)
		}
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(n-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(n)/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}
