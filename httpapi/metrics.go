package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kycgate/kycgate"
)

// Metrics are kycgate's Prometheus metrics. Labels never carry personal
// data: routes are patterns, not paths.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.HistogramVec
	applicants  prometheus.Counter
	submissions prometheus.Counter
	locked      prometheus.Counter
	decisions   *prometheus.CounterVec
	findings    *prometheus.CounterVec
	checks      *prometheus.HistogramVec
}

// NewMetrics registers the metrics. queueDepth, if not nil, is read at
// every scrape.
func NewMetrics(queueDepth func() float64) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kycgate_http_request_duration_seconds",
		Help: "HTTP request latency by route and status.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)},
		[]string{"route", "status"})
	m.applicants = prometheus.NewCounter(prometheus.CounterOpts{Name: "kycgate_applicants_created_total", Help: "Applicants created."})
	m.submissions = prometheus.NewCounter(prometheus.CounterOpts{Name: "kycgate_submissions_accepted_total", Help: "Submissions accepted."})
	m.locked = prometheus.NewCounter(prometheus.CounterOpts{Name: "kycgate_submissions_locked_total", Help: "Submissions refused with TOO_MANY_ATTEMPTS."})
	m.decisions = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kycgate_decisions_total", Help: "Decisions by outcome and reject type."}, []string{"outcome", "reject_type"})
	m.findings = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kycgate_findings_total", Help: "Findings in decisions by reason code."}, []string{"code"})
	m.checks = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kycgate_check_duration_seconds",
		Help: "Latency of each check.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, []string{"check"})
	m.reg.MustRegister(m.requests, m.applicants, m.submissions, m.locked, m.decisions, m.findings, m.checks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if queueDepth != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kycgate_queue_depth",
			Help: "Verification jobs waiting to run."}, queueDepth))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}

// ObserveDecision counts a decision and its findings.
func (m *Metrics) ObserveDecision(d *kycgate.Decision) {
	m.decisions.WithLabelValues(string(d.Outcome), string(d.RejectType)).Inc()
	for _, f := range d.Findings {
		m.findings.WithLabelValues(string(f.Code)).Inc()
	}
}

// ObserveCheck records how long a check took.
func (m *Metrics) ObserveCheck(name string, d time.Duration) {
	m.checks.WithLabelValues(name).Observe(d.Seconds())
}
