package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

// TestSendReminders moves the clock past the triage deadline of a review
// nobody triaged and checks that the overdue reminder is sent once, and
// that a closed review gets none.
func TestSendReminders(t *testing.T) {
	ctx := context.Background()
	ts := newTestService(t, nil)
	svc, admin, clock := ts.svc, ts.admin, ts.clock
	o, _ := svc.CreateOrg(ctx, admin, service.OrgInput{Name: "Example AI", Kind: aicc.OrgDeveloper})
	dev := aicc.Principal{UserID: "usr_dev", OrgID: o.ID, OrgKind: aicc.OrgDeveloper, Role: aicc.RoleDeveloper}
	submit := func() *aicc.Submission {
		sub, err := svc.CreateSubmission(ctx, dev, service.SubmissionInput{Model: "m", Version: "1", ReleaseDate: "2026-12-19",
			Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}})
		if err != nil {
			t.Fatal(err)
		}
		return sub
	}
	open, closed := submit(), submit()
	if _, err := svc.Withdraw(ctx, dev, closed.ID, "no"); err != nil {
		t.Fatal(err)
	}

	*clock = now.Add(3 * 24 * time.Hour) // triage was due two days after the window opened
	n, err := svc.SendReminders(ctx)
	if err != nil || n == 0 {
		t.Fatalf("SendReminders = %d, %v; want the overdue triage reminder", n, err)
	}
	rs, err := svc.ListReminders(ctx, admin, open.ID)
	if err != nil {
		t.Fatal(err)
	}
	overdue := false
	for _, r := range rs {
		overdue = overdue || r.Kind == "overdue" && r.To == string(aicc.OrgClearinghouse)
	}
	if !overdue {
		t.Errorf("reminders %+v: none says triage is overdue to the clearinghouse", rs)
	}
	if again, err := svc.SendReminders(ctx); err != nil || again != 0 {
		t.Errorf("a second run sent %d (%v), want none: each reminder is sent once", again, err)
	}
	if rs, _ := svc.ListReminders(ctx, admin, closed.ID); len(rs) != 0 {
		t.Errorf("a withdrawn review got reminders: %+v", rs)
	}
}

// TestPurgeExpired deletes a withdrawn review's records after the
// retention period, and not before; the audit log keeps the fact.
func TestPurgeExpired(t *testing.T) {
	ctx := context.Background()
	ts := newTestService(t, nil)
	svc, admin, clock := ts.svc, ts.admin, ts.clock
	o, _ := svc.CreateOrg(ctx, admin, service.OrgInput{Name: "Example AI", Kind: aicc.OrgDeveloper})
	dev := aicc.Principal{UserID: "usr_dev", OrgID: o.ID, OrgKind: aicc.OrgDeveloper, Role: aicc.RoleDeveloper}
	var subs []*aicc.Submission
	for range 2 {
		sub, err := svc.CreateSubmission(ctx, dev, service.SubmissionInput{Model: "m", Version: "1", ReleaseDate: "2026-12-19",
			Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}})
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	if _, err := svc.Withdraw(ctx, dev, subs[0].ID, "postponed"); err != nil {
		t.Fatal(err)
	}
	*clock = now.Add(89 * 24 * time.Hour)
	if n, err := svc.PurgeExpired(ctx); err != nil || n != 0 {
		t.Fatalf("before the retention period: purged %d, %v", n, err)
	}
	*clock = now.Add(91 * 24 * time.Hour)
	if n, err := svc.PurgeExpired(ctx); err != nil || n != 1 {
		t.Fatalf("after the retention period: purged %d, %v; want the withdrawn one", n, err)
	}
	if _, err := svc.GetSubmission(ctx, admin, subs[0].ID); aicc.KindOf(err) != aicc.KindNotFound {
		t.Errorf("the withdrawn submission is still there: %v", err)
	}
	if _, err := svc.GetSubmission(ctx, admin, subs[1].ID); err != nil {
		t.Errorf("an open submission was purged: %v", err)
	}
	entries, _ := svc.AuditEntries(ctx, admin, 0, 0)
	found := false
	for _, e := range entries {
		found = found || e.Action == "submission.purge_records" && e.ObjectID == subs[0].ID
	}
	if !found {
		t.Error("the audit log does not record the purge")
	}
	if rep, err := svc.VerifyAudit(ctx, admin, nil); err != nil || !rep.OK() {
		t.Errorf("audit chain after the purge: %v, %v", rep, err)
	}
}
