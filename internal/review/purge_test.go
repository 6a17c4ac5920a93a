package review

import (
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// brief is "data op offset" for each step: offset is the days after the
// closing, or "-" for keep.
func planBrief(p Plan) []string {
	var out []string
	for _, s := range p.Steps {
		when := "-"
		if s.Op != OpKeep {
			when = s.At.Sub(p.ClosedAt).String()
		}
		out = append(out, string(s.Data)+" "+string(s.Op)+" "+when)
	}
	return out
}

func TestPurgePlan(t *testing.T) {
	withdrawn := time.Date(2025, 3, 15, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		cfg   Config
		state aicc.ReviewState
		held  []string
		want  []string
		kept  []string
	}{
		{"nothing held", Config{}, aicc.ReviewScanning, nil, []string{
			"endpoint_credential delete 0s", "scan_jobs cancel 0s", "reminders cancel 0s", "endpoint delete 0s",
			"evidence delete 0s", "records delete 2160h0m0s", "audit_log keep -",
		}, nil},
		{"evidence held by an advisory", Config{}, aicc.ReviewRemediation, []string{"at_b", "at_a", "at_b"}, []string{
			"endpoint_credential delete 0s", "scan_jobs cancel 0s", "reminders cancel 0s", "endpoint delete 0s",
			"evidence delete 0s", "evidence keep -", "records delete 2160h0m0s", "audit_log keep -",
		}, []string{"at_a", "at_b"}},
		{"state already withdrawn, 30-day retention", Config{RecordRetentionDays: 30}, aicc.ReviewWithdrawn, nil, []string{
			"endpoint_credential delete 0s", "scan_jobs cancel 0s", "reminders cancel 0s", "endpoint delete 0s",
			"evidence delete 0s", "records delete 720h0m0s", "audit_log keep -",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := submission(tt.state, withdrawn.Add(-days(10)), release)
			p, err := rules(t, tt.cfg).PurgePlan(sub, withdrawn, tt.held)
			if err != nil {
				t.Fatal(err)
			}
			if got := planBrief(p); !slices.Equal(got, tt.want) {
				t.Fatalf("plan\n%q\nwant\n%q", got, tt.want)
			}
			if p.SubmissionID != sub.ID || !p.ClosedAt.Equal(withdrawn) || p.State != aicc.ReviewWithdrawn {
				t.Errorf("plan header %s %v %s", p.SubmissionID, p.ClosedAt, p.State)
			}
			for _, s := range p.Steps {
				if s.Data == DataEvidence && !slices.Equal(s.IDs, tt.kept) {
					t.Errorf("evidence %s names %q, want %q", s.Op, s.IDs, tt.kept)
				}
				if s.Reason == "" {
					t.Errorf("step %s %s has no reason", s.Data, s.Op)
				}
			}
			// At once: everything but the records; after the retention:
			// the records too; the audit log and held evidence never.
			now := p.Due(withdrawn)
			later := p.Due(withdrawn.AddDate(1, 0, 0))
			if len(now) != len(later)-1 || later[len(later)-1].Data != DataRecords {
				t.Errorf("due at once %d steps, a year later %d: want the records one more", len(now), len(later))
			}
			for _, s := range later {
				if s.Op == OpKeep || s.Data == DataAuditLog {
					t.Errorf("step %s %s is due: the audit log and held evidence are kept", s.Data, s.Op)
				}
			}
		})
	}
}

func TestPurgePlanRefused(t *testing.T) {
	r := rules(t, Config{})
	at := release.Add(-days(3))
	for _, s := range []aicc.ReviewState{aicc.ReviewComplete, aicc.ReviewReleased} {
		_, err := r.PurgePlan(submission(s, at, release), at, nil)
		wantKind(t, err, aicc.KindConflict)
	}
	_, err := r.PurgePlan(submission(aicc.ReviewScanning, at, release), time.Time{}, nil)
	wantKind(t, err, aicc.KindInvalid)
}

func TestClosePlan(t *testing.T) {
	r := rules(t, Config{})
	closed := release.Add(time.Hour)
	for _, s := range []aicc.ReviewState{aicc.ReviewComplete, aicc.ReviewReleased} {
		p, err := r.ClosePlan(submission(s, release.Add(-days(20)), release), closed)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"endpoint_credential delete 0s", "scan_jobs cancel 0s", "reminders cancel 0s", "audit_log keep -"}
		if got := planBrief(p); !slices.Equal(got, want) || p.State != s {
			t.Errorf("%s: plan %q in state %s, want %q", s, got, p.State, want)
		}
	}
	for _, s := range []aicc.ReviewState{aicc.ReviewWithdrawn, aicc.ReviewScanning} {
		_, err := r.ClosePlan(submission(s, release.Add(-days(20)), release), closed)
		wantKind(t, err, aicc.KindConflict)
	}
	_, err := r.ClosePlan(submission(aicc.ReviewComplete, release.Add(-days(20)), release), time.Time{})
	wantKind(t, err, aicc.KindInvalid)
}
