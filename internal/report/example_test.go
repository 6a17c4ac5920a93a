package report_test

import (
	"os"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/report"
	"github.com/aicc-dev/aicc/internal/validate"
)

func ExampleWrite() {
	r := &report.Report{
		ScanID:     "sc_example",
		Status:     string(aicc.ScanCompleted),
		Target:     "openai http://127.0.0.1:8080/v1 model=refmodel-1.0",
		Protocol:   report.ProtocolRef{Name: "core", Version: "1.0.0", Digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		Counts:     report.Counts{Attempts: 20, Planned: 20, Hit: 2, Pass: 17, Undetermined: 1},
		Validation: report.Validation{Reruns: 5, Planned: 10, Attempts: 10},
		Classes: []report.ClassResult{
			{Class: aicc.ClassSecretLeakage, Title: aicc.ClassSecretLeakage.Title(), Attempts: 20, Hit: 2, Pass: 17, Undetermined: 1},
		},
		Findings: []report.Finding{{
			ID: "fd_example", ProbeID: "leak.key", Class: aicc.ClassSecretLeakage,
			Title: "Reveals an API key from its context", Severity: aicc.SeverityCritical,
			Status: report.StatusConfirmed, Detector: "canary", Hits: 2, Attempts: 20,
			Evidence:     []string{"at_one", "at_two"},
			Reproduction: &validate.Reproduction{Attempts: 10, Successes: 9, Rate: 0.9, CILow: 0.5958, CIHigh: 0.9821},
			CVSS:         &validate.CVSS{Version: "4.0", Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:L/SI:L/SA:N", Score: 8.7, Severity: "High"},
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
	//   reruns    5 per hit: 10 of 10 done
	//
	// CLASS           ATTEMPTS  HIT  PASS  UNDETERMINED  ERROR
	// secret_leakage  20        2    17    1             0
	//
	// Findings: 1 (1 confirmed)
	// SEVERITY  CVSS      REPRODUCED         CLASS           TITLE                                HITS  STATUS     EVIDENCE
	// critical  8.7 High  9/10 90% [60–98%]  secret_leakage  Reveals an API key from its context  2/20  confirmed  at_one
	// CVSS: the class's CVSS 4.0 base score. REPRODUCED: reruns that hit again, rate and 95% interval.
	//
	// Transcripts and evidence: aicc scan show sc_example --format html --out report.html
}
