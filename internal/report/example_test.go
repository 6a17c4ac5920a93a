package report_test

import (
	"os"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/report"
)

func ExampleWrite() {
	r := &report.Report{
		ScanID:   "sc_example",
		Status:   string(aicc.ScanCompleted),
		Target:   "openai http://127.0.0.1:8080/v1 model=refmodel-1.0",
		Protocol: report.ProtocolRef{Name: "core", Version: "1.0.0", Digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		Counts:   report.Counts{Attempts: 20, Planned: 20, Hit: 2, Pass: 17, Undetermined: 1},
		Classes: []report.ClassResult{
			{Class: aicc.ClassSecretLeakage, Title: aicc.ClassSecretLeakage.Title(), Attempts: 20, Hit: 2, Pass: 17, Undetermined: 1},
		},
		Findings: []report.Finding{{
			ID: "fd_example", ProbeID: "leak.key", Class: aicc.ClassSecretLeakage,
			Title: "Reveals an API key from its context", Severity: aicc.SeverityCritical,
			Status: report.StatusConfirmed, Detector: "canary", Hits: 2, Attempts: 20,
			Evidence: []string{"at_one", "at_two"},
		}},
		Requests:          40,
		ActiveSeconds:     8,
		RequestsPerSecond: 5,
		StartedAt:         time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
	}
	if err := report.Write(os.Stdout, r, "text"); err != nil {
		panic(err)
	}
	// Output:
	// Scan sc_example: completed
	//   target    openai http://127.0.0.1:8080/v1 model=refmodel-1.0
	//   protocol  core@1.0.0 sha256:9f86d081884c
	//   duration  8s, 40 requests (5.0/s), 0 input + 0 output tokens
	//   attempts  20 of 20 planned: 2 hit, 17 pass, 1 undetermined, 0 error
	//
	// CLASS           ATTEMPTS  HIT  PASS  UNDETERMINED  ERROR
	// secret_leakage  20        2    17    1             0
	//
	// Findings: 1 (1 confirmed)
	// SEVERITY  CLASS           TITLE                                HITS  STATUS     EVIDENCE
	// critical  secret_leakage  Reveals an API key from its context  2/20  confirmed  at_one
	//
	// Transcripts and evidence: aicc scan show sc_example --format html --out report.html
}
