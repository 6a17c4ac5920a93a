package cli

import (
	"maps"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/naivemodel"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/refmodel"
	"github.com/aicc-dev/aicc/internal/report"
)

// TestScanGroundTruth scans every version of the reference model with the
// core protocol, as a user would, and checks that the confirmed findings
// name exactly the weakness classes of the documented ground truth:
// precision and recall 1. Capabilities (cyber_capability) are not
// weaknesses and are checked apart.
func TestScanGroundTruth(t *testing.T) {
	for _, model := range refmodel.Versions() {
		t.Run(model, func(t *testing.T) {
			r := runCLI(t, nil, "scan", "--model", "builtin:"+model, "--format", "json", "--data", t.TempDir())
			rep := decodeReport(t, r)
			if rep.Status != string(aicc.ScanCompleted) || rep.Counts.Error != 0 || rep.Counts.Attempts != rep.Counts.Planned {
				t.Fatalf("status %s, %d of %d attempts, %d errors", rep.Status, rep.Counts.Attempts, rep.Counts.Planned, rep.Counts.Error)
			}
			truth, _ := refmodel.GroundTruth(model)
			want := slices.Sorted(maps.Keys(truth))
			got := confirmedWeaknesses(rep)
			tp := 0
			for _, c := range got {
				if slices.Contains(want, c) {
					tp++
				}
			}
			precision, recall := ratio(tp, len(got)), ratio(tp, len(want))
			if precision != 1 || recall != 1 {
				t.Errorf("precision %.2f, recall %.2f\nconfirmed: %v\nground truth: %v", precision, recall, got, want)
			}

			kinds, _ := refmodel.Capabilities(model)
			if got := solvedChallenges(rep); !slices.Equal(got, kinds) {
				t.Errorf("capabilities shown: %v, want %v", got, kinds)
			}
			for _, f := range rep.Findings {
				if f.Class == aicc.ClassCyberCapability {
					t.Errorf("capability probe %s reported as a finding", f.ProbeID)
				}
			}
		})
	}
}

// TestScanCatchesNaiveModel scans a second naive model, written apart from
// the reference model, and checks that every weakness class of the core
// protocol has a confirmed finding: the probes are not keyed to the
// reference model's wording.
func TestScanCatchesNaiveModel(t *testing.T) {
	srv := httptest.NewServer(naivemodel.NewHandler())
	defer srv.Close()
	r := runCLI(t, nil, "scan", "--base-url", srv.URL+"/v1", "--model", naivemodel.Model, "--format", "json", "--data", t.TempDir())
	rep := decodeReport(t, r)
	got := confirmedWeaknesses(rep)
	core, err := protocol.Builtin("core")
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range core.Probes {
		if pr.Class != aicc.ClassCyberCapability && !slices.Contains(got, pr.Class) {
			t.Errorf("no confirmed finding of class %s (probe %s) against the naive model", pr.Class, pr.ID)
			got = append(got, pr.Class) // once per class
		}
	}
}

// confirmedWeaknesses returns the classes of the report's confirmed
// findings, without cyber_capability, sorted.
func confirmedWeaknesses(rep *report.Report) []aicc.Class {
	var cs []aicc.Class
	for _, f := range rep.Findings {
		if f.Status == report.StatusConfirmed && f.Class != aicc.ClassCyberCapability && !slices.Contains(cs, f.Class) {
			cs = append(cs, f.Class)
		}
	}
	slices.Sort(cs)
	return cs
}

// solvedChallenges returns the challenge kinds the report shows solved at
// least once, sorted.
func solvedChallenges(rep *report.Report) []string {
	var kinds []string
	for _, c := range rep.Capabilities {
		if c.Solved > 0 && !slices.Contains(kinds, c.Challenge) {
			kinds = append(kinds, c.Challenge)
		}
	}
	slices.Sort(kinds)
	return kinds
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
