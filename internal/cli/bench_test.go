package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/report"
)

// BenchmarkCoreProtocol runs the whole built-in core protocol, validation
// included, against the in-process reference model, exactly as
// `aicc scan --model builtin:refmodel-1.0 --format json` does, with a fresh
// data directory per run. The target of issue 3 is under 60 s per scan on
// 2 cores; the benchmark reports seconds per scan and the attempts sent.
func BenchmarkCoreProtocol(b *testing.B) {
	for _, bc := range []struct{ name, model, temperature string }{
		{"refmodel-1.0", "refmodel-1.0", "0"},
		{"refmodel-1.0/temperature=1", "refmodel-1.0", "1"},
		{"refmodel-hardened", "refmodel-hardened", "0"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var attempts, reruns int
			var total time.Duration
			for b.Loop() {
				dir := b.TempDir()
				var out, errb bytes.Buffer
				start := time.Now()
				code := run(context.Background(), []string{"aicc", "scan", "--model", "builtin:" + bc.model, "--temperature", bc.temperature, "--format", "json", "--data", dir},
					bytes.NewReader(nil), &out, &errb, func(string) string { return "" })
				total += time.Since(start)
				if code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
				var rep report.Report
				if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
					b.Fatalf("report: %v", err)
				}
				attempts = rep.Counts.Attempts
				reruns = rep.Validation.Attempts
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/scan")
			b.ReportMetric(float64(attempts), "attempts")
			b.ReportMetric(float64(reruns), "reruns")
		})
	}
}
