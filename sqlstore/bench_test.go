package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/blob"
	"github.com/kycgate/kycgate/envelope"
	"github.com/kycgate/kycgate/jobs"
	"github.com/kycgate/kycgate/sqlstore"
	"github.com/kycgate/kycgate/sqlstore/sqlstoretest"
)

// BenchmarkAcceptedSubmissions measures what the submission endpoint does
// before it answers 202: stream 2 MB of files (a 1 MB document photo and a
// 1 MB selfie) into the encrypted blob store with fsync, then store the
// submission and its verification job in one transaction. It runs 8
// submitters at once, as concurrent HTTP requests would.
//
//	go test ./sqlstore -run '^$' -bench AcceptedSubmissions -benchtime 400x
func BenchmarkAcceptedSubmissions(b *testing.B) {
	for _, engine := range sqlstoretest.Engines() {
		b.Run(string(engine), func(b *testing.B) { benchSubmissions(b, engine, 1<<20) })
		b.Run(string(engine)+"/no-files", func(b *testing.B) { benchSubmissions(b, engine, 0) })
	}
}

func benchSubmissions(b *testing.B, engine sqlstore.Engine, fileSize int) {
	{
		{
			ctx := context.Background()
			key, _ := envelope.GenerateKey()
			st, err := sqlstore.Open(ctx, sqlstoretest.DSN(b, engine), key)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if _, err := jobs.New(jobs.Config{Store: st, InsertOnly: true}); err != nil {
				b.Fatal(err)
			}
			blobs, err := blob.NewFS(filepath.Join(b.TempDir(), "blobs"), key)
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]string, b.N)
			for i := range ids {
				a := &kycgate.Applicant{ExternalUserID: "bench", Level: kycgate.Level2, Email: "b@example.test"}
				if err := st.CreateApplicant(ctx, a); err != nil {
					b.Fatal(err)
				}
				ids[i] = a.ID
			}
			doc, selfie := make([]byte, fileSize), make([]byte, fileSize)
			rand.Read(doc)
			rand.Read(selfie)
			var next atomic.Int64
			b.SetParallelism(4)
			b.SetBytes(int64(len(doc) + len(selfie)))
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id := ids[next.Add(1)-1]
					sub := &kycgate.Submission{ApplicantID: id, Steps: []kycgate.StepName{kycgate.StepPersonalData, kycgate.StepIDDocument, kycgate.StepSelfie},
						PersonalData: declared}
					for _, f := range []struct {
						step kycgate.StepName
						kind kycgate.FileKind
						data []byte
					}{{kycgate.StepIDDocument, kycgate.FileDocumentFront, doc}, {kycgate.StepSelfie, kycgate.FileSelfie, selfie}} {
						if fileSize == 0 {
							sub.Files = append(sub.Files, kycgate.File{Step: f.step, Kind: f.kind, BlobKey: "0123456789abcdef0123456789abcdef"})
							continue
						}
						k, n, sum, err := blobs.Put(ctx, bytes.NewReader(f.data), 10<<20)
						if err != nil {
							b.Fatal(err)
						}
						sub.Files = append(sub.Files, kycgate.File{Step: f.step, Kind: f.kind, BlobKey: k, Size: n, SHA256: sum, ContentType: "image/jpeg"})
					}
					if err := st.CreateSubmission(ctx, sub); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
		}
	}
}

// BenchmarkStatusReads measures the store side of a status request
// (applicant, latest submission, queue position) with 8 concurrent readers
// while the queue holds 200 waiting jobs, and reports latency percentiles.
//
//	go test ./sqlstore -run '^$' -bench StatusReads -benchtime 2000x
func BenchmarkStatusReads(b *testing.B) {
	for _, engine := range sqlstoretest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			key, _ := envelope.GenerateKey()
			st, err := sqlstore.Open(ctx, sqlstoretest.DSN(b, engine), key)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if _, err := jobs.New(jobs.Config{Store: st, InsertOnly: true}); err != nil {
				b.Fatal(err)
			}
			const applicants = 200
			ids := make([]string, applicants)
			for i := range ids {
				a := &kycgate.Applicant{ExternalUserID: "bench", Level: kycgate.Level1, Email: "b@example.test"}
				st.CreateApplicant(ctx, a)
				if err := st.CreateSubmission(ctx, &kycgate.Submission{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepPersonalData}, PersonalData: declared}); err != nil {
					b.Fatal(err)
				}
				ids[i] = a.ID
			}
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) - 1
					t0 := time.Now()
					id := ids[i%applicants]
					if _, err := st.FindApplicant(ctx, id); err != nil {
						b.Fatal(err)
					}
					subs, err := st.ListSubmissions(ctx, id, time.Time{})
					if err != nil || len(subs) != 1 {
						b.Fatal(err)
					}
					if _, err := st.QueuePosition(ctx, subs[0].ID); err != nil {
						b.Fatal(err)
					}
					lat[i] = time.Since(t0)
				}
			})
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
