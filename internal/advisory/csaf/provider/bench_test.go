package provider_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

// benchDocs returns n documents of about 4 KiB each, spread over four
// years and the four TLPs.
func benchDocs(b *testing.B, n int) []provider.Document {
	b.Helper()
	tlps := []string{"WHITE", "WHITE", "GREEN", "AMBER", "RED"}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]provider.Document, n)
	for i := range docs {
		initial := start.Add(time.Duration(i) * 3 * time.Hour)
		current := initial.Add(time.Duration(i%50) * 24 * time.Hour)
		raw := csafJSON(b, fmt.Sprintf("AICC-%d-%05d", initial.Year(), i), tlps[i%len(tlps)],
			initial.Format(time.RFC3339), current.Format(time.RFC3339), fmt.Sprintf("Synthetic advisory %d", i), 3500)
		d, err := provider.ParseDocument(raw)
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = d
	}
	return docs
}

// BenchmarkBuild10k builds and writes a complete provider directory for
// 10,000 signed documents of about 4 KiB (the product target: under 20 s
// on 2 cores).
func BenchmarkBuild10k(b *testing.B) {
	docs := benchDocs(b, 10_000)
	s, _ := testSigner(b)
	cfg := testConfig(s)
	var size int
	for _, d := range docs {
		size += len(d.JSON)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		if err := provider.Write(b.Context(), filepath.Join(b.TempDir(), "csaf"), cfg, docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(docs)), "µs/doc")
}

// BenchmarkBuild10kInMemory is BenchmarkBuild10k without the disk: parsing,
// hashing, signing and the indexes only.
func BenchmarkBuild10kInMemory(b *testing.B) {
	docs := benchDocs(b, 10_000)
	s, _ := testSigner(b)
	cfg := testConfig(s)
	b.ResetTimer()
	for b.Loop() {
		if _, err := provider.Build(b.Context(), cfg, docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(docs)), "µs/doc")
}
