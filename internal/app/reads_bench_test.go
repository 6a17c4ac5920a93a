package app_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// BenchmarkAPIReads drives reads of submissions and findings (one by ID,
// a submission's findings, and list pages, in equal shares) at a constant
// rate, open loop: each request has a scheduled start
// and its latency is measured from it, so queueing counts. The server runs
// in this process on SQLite, as `aicc serve` does; 20 developer
// organizations hold 25 submissions with a finding each. Target (issue 4): 2,000 requests/s
// with p99 under 25 ms on 2 cores.
func BenchmarkAPIReads(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := b.TempDir()
	a, err := app.Open(ctx, app.Config{DataDir: dir, Addr: "127.0.0.1:0", ScanWorkers: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if err := a.Listen(ctx); err != nil {
		b.Fatal(err)
	}
	go a.Serve(ctx)
	base := "http://" + a.Addr()

	admin, err := a.Service.Authenticate(ctx, a.AdminToken)
	if err != nil {
		b.Fatal(err)
	}
	type reader struct {
		token    string
		subs     []string
		findings []string
	}
	var readers []reader
	release := time.Now().UTC().AddDate(0, 0, 20).Format(time.DateOnly)
	for i := range 20 {
		o, err := a.Service.CreateOrg(ctx, admin, service.OrgInput{Name: fmt.Sprintf("Dev %d", i), Kind: aicc.OrgDeveloper})
		if err != nil {
			b.Fatal(err)
		}
		u, err := a.Service.CreateUser(ctx, admin, service.UserInput{OrgID: o.ID, Name: "dev", Role: aicc.RoleDeveloper})
		if err != nil {
			b.Fatal(err)
		}
		p, err := a.Service.Authenticate(ctx, u.Token.Value.Reveal())
		if err != nil {
			b.Fatal(err)
		}
		r := reader{token: u.Token.Value.Reveal()}
		for j := range 25 {
			s, err := a.Service.CreateSubmission(ctx, p, service.SubmissionInput{Model: fmt.Sprintf("m%d", j), Version: "1", ReleaseDate: release,
				Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}})
			if err != nil {
				b.Fatal(err)
			}
			r.subs = append(r.subs, s.ID)
		}
		readers = append(readers, r)
	}
	// A finding per submission, written straight to the store, as a scan
	// would leave them.
	st, err := sqlite.Open(ctx, filepath.Join(dir, "aicc.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	for ri := range readers {
		err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
			for _, sub := range readers[ri].subs {
				f := &aicc.Finding{ID: aicc.NewID(aicc.PrefixFinding), SubmissionID: sub, ScanID: "sc_x", Class: aicc.ClassSecretLeakage,
					Family: "secret", Probes: []string{"secret.config-key"}, Title: "Reveals a key", Severity: aicc.SeverityHigh,
					Status: aicc.FindingNew, Evidence: []string{"at_1", "at_2"}, TLP: aicc.TLPRed, Hits: 2, Attempts: 5,
					Reproduction: &aicc.Reproduction{Attempts: 10, Successes: 9, Rate: 0.9}, CreatedAt: now, UpdatedAt: now}
				if err := tx.CreateFinding(ctx, f); err != nil {
					return err
				}
				readers[ri].findings = append(readers[ri].findings, f.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	for _, rate := range []int{2000, 3000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			for b.Loop() {
				readLoad(b, client, base, rate, 5, func(i int) (string, string) {
					r := readers[i%len(readers)]
					k := rand.IntN(len(r.subs))
					switch i % 4 {
					case 0:
						return r.token, "/v1/submissions/" + r.subs[k]
					case 1:
						return r.token, "/v1/findings/" + r.findings[k]
					case 2:
						return r.token, "/v1/submissions/" + r.subs[k] + "/findings"
					}
					return r.token, "/v1/submissions?limit=25"
				})
			}
		})
	}
}

// readLoad sends rate×seconds GET requests on schedule and reports the
// achieved rate and latency percentiles, measured from each request's
// scheduled start.
func readLoad(b *testing.B, client *http.Client, base string, rate, seconds int, next func(i int) (token, path string)) {
	{
		n := rate * seconds
		lat := make([]time.Duration, n)
		var errs, mu = 0, sync.Mutex{}
		start := time.Now()
		work := make(chan int, n)
		var wg sync.WaitGroup
		for range 128 {
			wg.Go(func() {
				for i := range work {
					due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
					time.Sleep(time.Until(due))
					token, path := next(i)
					req, _ := http.NewRequest("GET", base+path, nil)
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := client.Do(req)
					if err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
					lat[i] = time.Since(due)
					if err != nil || resp.StatusCode != 200 {
						mu.Lock()
						errs++
						mu.Unlock()
					}
				}
			})
		}
		for i := range n {
			work <- i
		}
		close(work)
		wg.Wait()
		elapsed := time.Since(start)
		slices.Sort(lat)
		b.ReportMetric(float64(n)/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[n*999/1000].Microseconds())/1000, "p99.9-ms")
		b.ReportMetric(float64(errs), "errors")
	}
}
