package taxii_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/taxii"
)

// BenchmarkObjectsPage measures the handler's own cost for a default-size
// page (1000 objects) of a 100,000-object collection, requested with a next
// token deep in the collection. The fake Source binary-searches a sorted
// slice, so the figure is the server's: parameters, cursor, contract
// checks, JSON validation and the envelope. It reports the p99 of the
// per-request durations as p99-ms.
func BenchmarkObjectsPage(b *testing.B) {
	const n = 100_000
	src := &fakeSource{}
	src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	objs := make([]taxii.Object, n)
	for i := range objs {
		objs[i] = benchObject(i)
	}
	src.add("vulns", objs...)
	h, err := taxii.New(taxii.Config{Source: src, Authenticate: authenticate})
	if err != nil {
		b.Fatal(err)
	}
	// Tokens for positions in the second half, each followed by a full page.
	sorted := src.collections[0].objects
	var tokens []string
	for i := n / 2; i < n-1001; i += 97 {
		tokens = append(tokens, taxii.CursorOf(sorted[i]).String())
	}
	rng := rand.New(rand.NewPCG(1, 2))

	var durations []time.Duration
	var bytes int64
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, objectsPath+"?next="+tokens[rng.IntN(len(tokens))], nil)
		req.Header.Set("Authorization", "Bearer alice")
		req.Header.Set("Accept", taxii.MediaTypeTAXII)
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, req)
		durations = append(durations, time.Since(start))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		bytes += int64(w.Body.Len())
	}
	slices.Sort(durations)
	p99 := durations[(len(durations)*99+99)/100-1]
	b.ReportMetric(float64(p99)/float64(time.Millisecond), "p99-ms")
	b.ReportMetric(float64(bytes)/float64(len(durations)), "B/page")
}

// benchObject is a vulnerability of a realistic size (about 900 bytes).
func benchObject(i int) taxii.Object {
	id := fmt.Sprintf("vulnerability--%08x-5b2c-4e1a-9f3d-%012x", i*2654435761%(1<<32), i)
	added := t0.Add(time.Duration(i/4) * time.Millisecond)
	modified := added.Add(-time.Hour)
	return taxii.Object{
		ID: id, Type: "vulnerability", Version: modified, Added: added, SpecVersion: "2.1",
		JSON: fmt.Appendf(nil, `{"type":"vulnerability","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z","modified":%q,`+
			`"created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"AICC-2026-%05d",`+
			`"description":"The model endpoint follows instructions injected through retrieved documents and discloses its system prompt and tool credentials to an unauthenticated user. Reproduced in 9 of 10 reruns under protocol prompt-injection/indirect v3.",`+
			`"external_references":[{"source_name":"aicc","external_id":"AICC-2026-%05d","url":"https://aicc.example.org/advisories/AICC-2026-%05d"},{"source_name":"cwe","external_id":"CWE-1427"}],`+
			`"object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],"labels":["prompt-injection","credential-disclosure"]}`,
			id, modified.Format("2006-01-02T15:04:05.000Z"), i, i, i),
	}
}
