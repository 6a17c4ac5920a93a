package app_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/config"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
	"github.com/aicc-dev/aicc/internal/taxii"
)

// BenchmarkTAXIIPages serves pages of a TAXII collection of 100,000 STIX
// objects (about 900 bytes each) from SQLite through `aicc serve`'s
// handler, each page starting at a random position deep in the collection
// (a next token), and reports the p99 latency of a page of 100 and of
// 1,000 objects. Target (issue 5): p99 under 50 ms.
func BenchmarkTAXIIPages(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := b.TempDir()
	const n = 100_000
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	objs := make([]store.TAXIIObject, n)
	for i := range objs {
		id := fmt.Sprintf("vulnerability--%08x-0000-5000-8000-%012x", i, i)
		added := base.Add(time.Duration(i) * time.Millisecond)
		objs[i] = store.TAXIIObject{Collection: "public", ID: id, Type: "vulnerability", SpecVersion: "2.1", Modified: base, Added: added,
			JSON: fmt.Appendf(nil, `{"type":"vulnerability","spec_version":"2.1","id":%q,"created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","name":"AICC-2026-%04d","description":"%s","external_references":[{"source_name":"aicc","external_id":"AICC-2026-%04d","url":"https://aicc.example/advisories/AICC-2026-%04d"}],"object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]}`,
				id, i, filler, i, i)}
	}
	func() {
		db, err := sqlite.Open(ctx, config.DBPath(dir))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for i := 0; i < n; i += 5000 {
			if err := db.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutTAXIIObjects(ctx, objs[i:i+5000]) }); err != nil {
				b.Fatal(err)
			}
		}
	}()
	a, err := app.Open(ctx, app.Config{DataDir: dir, Addr: "127.0.0.1:0", ScanWorkers: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if err := a.Listen(ctx); err != nil {
		b.Fatal(err)
	}
	go a.Serve(ctx)
	url := "http://" + a.Addr() + "/taxii2/aicc/collections/public/objects/"
	client := &http.Client{}
	page := func(limit int) time.Duration {
		o := objs[rand.IntN(n-limit)]
		next := taxii.Cursor{Added: o.Added, ID: o.ID, Version: o.Modified}.String()
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s?limit=%d&next=%s", url, limit, next), nil)
		req.Header.Set("Accept", "application/taxii+json;version=2.1")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != http.StatusOK || len(body) < limit*800 {
			b.Fatalf("page: %d, %d bytes", resp.StatusCode, len(body))
		}
		return d
	}
	for _, limit := range []int{100, 1000} {
		page(limit) // warm up
	}
	b.ResetTimer()
	for _, limit := range []int{100, 1000} {
		var ds []time.Duration
		for range max(b.N, 200) {
			ds = append(ds, page(limit))
		}
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, fmt.Sprintf("p99-ms/page-of-%d", limit))
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, fmt.Sprintf("p50-ms/page-of-%d", limit))
	}
}

const filler = "A system prompt extraction technique in an AI model's API: the model discloses its instructions when asked to role-play as its developer. Deployments that keep secrets in system prompts expose them. Upgrade to the fixed version or remove secrets from prompts. This text pads the object to a realistic size for an advisory's vulnerability object, as published by the clearinghouse to its consumers."
