package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// reviewFixture creates an organization, a submission and a scan.
func reviewFixture(t *testing.T, st store.Service) {
	t.Helper()
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		return tx.CreateSubmission(ctx, fullSubmission("sub_1", "org_1", t0))
	})
	if s, ok := st.(store.Store); ok {
		if err := s.CreateScan(context.Background(), minimalScan("sc_1", t0)); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Skip("the engine does not store scans")
	}
}

func fullFinding(id string, at time.Time) *aicc.Finding {
	return &aicc.Finding{
		ID: id, SubmissionID: "sub_1", ScanID: "sc_1", Class: aicc.ClassSecretLeakage, Family: "secret",
		Probes: []string{"secret.config-key", "secret.injected-request"}, Title: "Reveals a key — ünï", Severity: aicc.SeverityHigh,
		Taxonomy: aicc.Taxonomy{OWASP: []string{"LLM02:2025"}, CWE: []string{"CWE-200"}}, Status: aicc.FindingNew, Verified: true,
		Detector: "canary", Hits: 3, Attempts: 5,
		Reproduction: &aicc.Reproduction{Attempts: 15, Successes: 12, Rate: 0.8, CILow: 0.548, CIHigh: 0.93},
		CVSSVector:   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", CVSSScore: 8.7,
		Evidence: []string{"at_1", "at_2"}, TLP: aicc.TLPRed, CreatedAt: at, UpdatedAt: at,
	}
}

func testFindings(t *testing.T, st store.Service) {
	ctx := context.Background()
	reviewFixture(t, st)
	f := fullFinding("fnd_1", t0)
	rs := &aicc.ReviewScan{ScanID: "sc_1", SubmissionID: "sub_1", Kind: "review", RequestedBy: "usr_1", CreatedAt: t0}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateReviewScan(ctx, rs); err != nil {
			return err
		}
		return tx.CreateFinding(ctx, f)
	})
	got, err := st.GetFinding(ctx, "fnd_1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("GetFinding =\n%+v\nwant\n%+v", got, f)
	}
	// One finding per submission, class and family.
	dup := fullFinding("fnd_2", t0)
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateFinding(ctx, dup) })
	mustKind(t, err, aicc.KindConflict)

	f.Status, f.Reproduction, f.Evidence, f.UpdatedAt = aicc.FindingConfirmed, nil, []string{"at_3"}, t0.Add(time.Hour)
	f.Class = aicc.ClassJailbreak // identifies the finding: not changed by an update
	note := &aicc.FindingNote{ID: "cmt_1", FindingID: "fnd_1", UserID: "usr_1", OrgID: "org_c", Action: "confirm", Status: aicc.FindingConfirmed, Text: "reproduced 5/5", CreatedAt: t0.Add(time.Hour)}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.UpdateFinding(ctx, f); err != nil {
			return err
		}
		if err := tx.FinishReviewScan(ctx, "sc_1", t0.Add(time.Minute)); err != nil {
			return err
		}
		return tx.AddFindingNote(ctx, note)
	})
	got, _ = st.GetFinding(ctx, "fnd_1")
	f.Class = aicc.ClassSecretLeakage
	if !reflect.DeepEqual(got, f) {
		t.Errorf("after update =\n%+v\nwant\n%+v", got, f)
	}
	notes, err := st.ListFindingNotes(ctx, "fnd_1")
	if err != nil || len(notes) != 1 || !reflect.DeepEqual(notes[0], note) {
		t.Errorf("ListFindingNotes = %+v, %v", notes, err)
	}
	scans, err := st.ListReviewScans(ctx, "sub_1")
	if err != nil || len(scans) != 1 || !scans[0].FinishedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("ListReviewScans = %+v, %v", scans, err)
	}
	if _, err := st.GetReviewScan(ctx, "sc_x"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("GetReviewScan(missing) = %v", err)
	}
	list, _, err := st.ListFindings(ctx, store.FindingFilter{SubmissionID: "sub_1", Status: aicc.FindingConfirmed}, store.Page{})
	if err != nil || len(list) != 1 {
		t.Errorf("ListFindings(confirmed) = %v, %v", list, err)
	}
	list, _, _ = st.ListFindings(ctx, store.FindingFilter{Status: aicc.FindingRejected}, store.Page{})
	if len(list) != 0 {
		t.Errorf("ListFindings(rejected) = %v", list)
	}
	bad := fullFinding("fnd_3", t0)
	bad.Family, bad.TLP = "other", "TLP:BLUE"
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateFinding(ctx, bad) })
	mustKind(t, err, aicc.KindInvalid)
}

func testRemediationAndRetest(t *testing.T, st store.Service) {
	ctx := context.Background()
	reviewFixture(t, st)
	rm := &aicc.Remediation{ID: "rem_1", FindingID: "fnd_1", SubmissionID: "sub_1", Type: aicc.RemediationGuardrail, Version: "1.1", EndpointModel: "refmodel-1.1", Note: "classifier", CreatedBy: "usr_1", CreatedAt: t0}
	rt := &aicc.Retest{ID: "rt_1", FindingID: "fnd_1", RemediationID: "rem_1", ScanID: "sc_1", Status: aicc.RetestRunning, CreatedBy: "usr_1", CreatedAt: t0}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateFinding(ctx, fullFinding("fnd_1", t0)); err != nil {
			return err
		}
		if err := tx.CreateRemediation(ctx, rm); err != nil {
			return err
		}
		return tx.CreateRetest(ctx, rt)
	})
	if got, err := st.GetRemediation(ctx, "rem_1"); err != nil || !reflect.DeepEqual(got, rm) {
		t.Errorf("GetRemediation = %+v, %v", got, err)
	}
	if l, err := st.ListRemediations(ctx, "fnd_1"); err != nil || len(l) != 1 {
		t.Errorf("ListRemediations = %v, %v", l, err)
	}
	rt.Status, rt.Verdict, rt.PValue, rt.Reason, rt.FinishedAt = aicc.RetestDone, "fixed", 0.0004, "0/15 after 12/15", t0.Add(time.Hour)
	rt.Before = &aicc.Reproduction{Attempts: 15, Successes: 12, Rate: 0.8}
	rt.After = &aicc.Reproduction{Attempts: 15}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.UpdateRetest(ctx, rt) })
	got, err := st.GetRetest(ctx, "rt_1")
	if err != nil || !reflect.DeepEqual(got, rt) {
		t.Errorf("GetRetest =\n%+v, %v\nwant\n%+v", got, err, rt)
	}
	if l, err := st.ListRetests(ctx, "fnd_1"); err != nil || len(l) != 1 {
		t.Errorf("ListRetests = %v, %v", l, err)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.CreateRemediation(ctx, &aicc.Remediation{ID: "rem_2", FindingID: "fnd_1", SubmissionID: "sub_1", Type: "prayer", Version: "2", CreatedAt: t0})
	})
	mustKind(t, err, aicc.KindInvalid)
}

func testScanLease(t *testing.T, st store.Service) {
	lease := func(owner string, now time.Time) bool {
		t.Helper()
		var ok bool
		inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
			var err error
			ok, err = tx.AcquireScanLease(ctx, "sc_1", owner, now, now.Add(time.Minute))
			return err
		})
		return ok
	}
	if !lease("w1", t0) {
		t.Fatal("w1 could not take a free lease")
	}
	if lease("w2", t0.Add(30*time.Second)) {
		t.Fatal("w2 took a live lease of w1")
	}
	if !lease("w1", t0.Add(50*time.Second)) {
		t.Fatal("w1 could not renew its lease")
	}
	if lease("w2", t0.Add(100*time.Second)) {
		t.Fatal("w2 took w1's renewed lease before it expired")
	}
	if !lease("w2", t0.Add(111*time.Second)) {
		t.Fatal("w2 could not take an expired lease")
	}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.ReleaseScanLease(ctx, "sc_1", "w1"); err != nil { // not w1's any more: no effect
			return err
		}
		return nil
	})
	if lease("w1", t0.Add(112*time.Second)) {
		t.Fatal("a release by a former owner freed w2's lease")
	}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.ReleaseScanLease(ctx, "sc_1", "w2") })
	if !lease("w1", t0.Add(113*time.Second)) {
		t.Fatal("a released lease could not be taken")
	}
}

func testDeleteSubmissionRecords(t *testing.T, st store.Service) {
	ctx := context.Background()
	reviewFixture(t, st)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateReviewScan(ctx, &aicc.ReviewScan{ScanID: "sc_1", SubmissionID: "sub_1", Kind: "review", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateFinding(ctx, fullFinding("fnd_1", t0)); err != nil {
			return err
		}
		if err := tx.AddFindingNote(ctx, &aicc.FindingNote{ID: "cmt_1", FindingID: "fnd_1", Action: "comment", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateRemediation(ctx, &aicc.Remediation{ID: "rem_1", FindingID: "fnd_1", SubmissionID: "sub_1", Type: aicc.RemediationGuardrail, Version: "2", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.PutCredential(ctx, "sub_1", []byte("sealed"))
	})
	var scans []string
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		var err error
		scans, err = tx.DeleteSubmissionRecords(ctx, "sub_1")
		return err
	})
	if len(scans) != 1 || scans[0] != "sc_1" {
		t.Errorf("DeleteSubmissionRecords returned scans %v, want [sc_1]", scans)
	}
	for _, err := range []error{
		func() error { _, err := st.GetSubmission(ctx, "sub_1"); return err }(),
		func() error { _, err := st.GetFinding(ctx, "fnd_1"); return err }(),
		func() error { _, err := st.GetRemediation(ctx, "rem_1"); return err }(),
		func() error { _, err := st.Credential(ctx, "sub_1"); return err }(),
		func() error { _, err := st.GetReviewScan(ctx, "sc_1"); return err }(),
	} {
		if !errors.Is(err, aicc.ErrNotFound) {
			t.Errorf("a record survived: %v", err)
		}
	}
	s := st.(store.Store)
	if err := s.DeleteScan(ctx, "sc_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetScan(ctx, "sc_1"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("the scan survived DeleteScan: %v", err)
	}
}
