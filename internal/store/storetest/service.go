package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/audit"
	"github.com/aicc-dev/aicc/internal/store"
)

// RunService runs the suite of the service repository. open must return a
// new, empty store each time; RunService closes it when the test ends.
func RunService(t *testing.T, open func(t *testing.T) store.Service) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, st store.Service)
	}{
		{"OrgRoundTrip", testOrgRoundTrip},
		{"OrgInvalid", testOrgInvalid},
		{"ListPages", testListPages},
		{"UserAndToken", testUserAndToken},
		{"TxRollback", testTxRollback},
		{"TxSeesOwnWrites", testTxSeesOwnWrites},
		{"SubmissionRoundTrip", testSubmissionRoundTrip},
		{"SubmissionFilter", testSubmissionFilter},
		{"Credential", testCredential},
		{"SealedValues", testSealedValues},
		{"Advisories", testAdvisories},
		{"TAXII", testTAXII},
		{"Idempotency", testIdempotency},
		{"AuditChain", testAuditChain},
		{"Findings", testFindings},
		{"RemediationAndRetest", testRemediationAndRetest},
		{"ScanLease", testScanLease},
		{"WebhookOutbox", testWebhookOutbox},
		{"DeleteSubmissionRecords", testDeleteSubmissionRecords},
		{"Designations", testDesignations},
		{"CoverageResults", testCoverageResults},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if c, ok := st.(interface{ Close() error }); ok {
					if err := c.Close(); err != nil {
						t.Errorf("Close: %v", err)
					}
				}
			})
			tt.run(t, st)
		})
	}
}

// inTx runs fn in a transaction and fails the test on error.
func inTx(t *testing.T, st store.Service, fn func(ctx context.Context, tx store.ServiceTx) error) {
	t.Helper()
	if err := st.Tx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func newOrg(id, name string, kind aicc.OrgKind, at time.Time) *aicc.Org {
	return &aicc.Org{ID: id, Name: name, Kind: kind, CreatedAt: at}
}

func mustKind(t *testing.T, err error, kind aicc.ErrorKind) {
	t.Helper()
	if err == nil || aicc.KindOf(err) != kind {
		t.Fatalf("error %v (kind %s), want kind %s", err, aicc.KindOf(err), kind)
	}
}

func testOrgRoundTrip(t *testing.T, st store.Service) {
	ctx := context.Background()
	o := newOrg("org_1", "Example AI — ünïcödé", aicc.OrgDeveloper, t0)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateOrg(ctx, o) })
	got, err := st.GetOrg(ctx, "org_1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Errorf("GetOrg = %+v, want %+v", got, o)
	}
	_, err = st.GetOrg(ctx, "org_2")
	if !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("GetOrg(missing) = %v, want not found", err)
	}
	// Names are unique: two organizations named alike would confuse people.
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.CreateOrg(ctx, newOrg("org_2", o.Name, aicc.OrgAgency, t0))
	})
	mustKind(t, err, aicc.KindConflict)
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.CreateOrg(ctx, newOrg("org_1", "other", aicc.OrgAgency, t0))
	})
	mustKind(t, err, aicc.KindConflict)
}

func testOrgInvalid(t *testing.T, st store.Service) {
	for _, o := range []*aicc.Org{
		newOrg("o", "", aicc.OrgDeveloper, t0),
		newOrg("o", "x", "vendor", t0),
		newOrg("", "x", aicc.OrgDeveloper, t0),
		newOrg("o", "x", aicc.OrgDeveloper, time.Time{}),
	} {
		err := st.Tx(context.Background(), func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateOrg(ctx, o) })
		mustKind(t, err, aicc.KindInvalid)
	}
}

func testListPages(t *testing.T, st store.Service) {
	ctx := context.Background()
	const n = 7
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		for i := range n {
			// Two share a creation time: the ID breaks the tie.
			at := t0.Add(time.Duration(i/2) * time.Second)
			if err := tx.CreateOrg(ctx, newOrg(fmt.Sprintf("org_%d", i), fmt.Sprintf("Org %d", i), aicc.OrgOSS, at)); err != nil {
				return err
			}
		}
		return nil
	})
	var ids []string
	cur := ""
	pages := 0
	for {
		orgs, next, err := st.ListOrgs(ctx, store.Page{Limit: 3, After: cur})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range orgs {
			ids = append(ids, o.ID)
		}
		if next == "" {
			break
		}
		if pages > n {
			t.Fatal("pagination does not end")
		}
		cur = next
	}
	want := []string{"org_0", "org_1", "org_2", "org_3", "org_4", "org_5", "org_6"}
	if !reflect.DeepEqual(ids, want) || pages != 3 {
		t.Errorf("pages %d, ids %v; want 3 pages of %v", pages, ids, want)
	}
	_, _, err := st.ListOrgs(ctx, store.Page{After: "not a cursor!"})
	mustKind(t, err, aicc.KindInvalid)
}

func testUserAndToken(t *testing.T, st store.Service) {
	ctx := context.Background()
	u := &aicc.User{ID: "usr_1", OrgID: "org_1", Name: "Dana", Email: "dana@example.test", Role: aicc.RoleDeveloper, CreatedAt: t0}
	tk := &aicc.Token{ID: "tok_1", UserID: "usr_1", Name: "ci", Hash: []byte("0123456789abcdef0123456789abcdef"), CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "Example AI", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.CreateToken(ctx, tk)
	})
	// A user of an organization that does not exist is refused.
	err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.CreateUser(ctx, &aicc.User{ID: "usr_2", OrgID: "org_x", Name: "X", Role: aicc.RoleViewer, CreatedAt: t0})
	})
	mustKind(t, err, aicc.KindInvalid)

	gotTk, gotU, gotO, err := st.TokenByHash(ctx, tk.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if gotTk.ID != "tok_1" || gotU.ID != "usr_1" || gotU.Role != aicc.RoleDeveloper || gotO.Kind != aicc.OrgDeveloper {
		t.Errorf("TokenByHash = %+v %+v %+v", gotTk, gotU, gotO)
	}
	if !gotTk.Active(t0.Add(time.Hour)) || gotTk.Active(t0.Add(25*time.Hour)) {
		t.Error("token activity does not follow its expiry")
	}
	if _, _, _, err := st.TokenByHash(ctx, []byte("no such hash, no such hash......")); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("TokenByHash(unknown) = %v, want not found", err)
	}

	used, revoked, later := t0.Add(time.Minute), t0.Add(2*time.Minute), t0.Add(3*time.Minute)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.TouchToken(ctx, "tok_1", used); err != nil {
			return err
		}
		if err := tx.RevokeToken(ctx, "tok_1", revoked); err != nil {
			return err
		}
		return tx.RevokeToken(ctx, "tok_1", later) // keeps the first revocation
	})
	toks, err := st.ListTokens(ctx, "usr_1")
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != 1 || toks[0].Hash != nil || toks[0].LastUsedAt == nil || !toks[0].LastUsedAt.Equal(used) ||
		toks[0].RevokedAt == nil || !toks[0].RevokedAt.Equal(revoked) || toks[0].Active(t0.Add(time.Hour)) {
		t.Errorf("ListTokens = %+v", toks)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.RevokeToken(ctx, "tok_x", later) })
	if !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("RevokeToken(missing) = %v, want not found", err)
	}

	u.Role, u.Disabled, u.Name = aicc.RoleViewer, true, "Dana R."
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.UpdateUser(ctx, u) })
	got, err := st.GetUser(ctx, "usr_1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, u) {
		t.Errorf("GetUser = %+v, want %+v", got, u)
	}
	users, _, err := st.ListUsers(ctx, "org_1", store.Page{})
	if err != nil || len(users) != 1 {
		t.Errorf("ListUsers(org_1) = %v, %v", users, err)
	}
	users, _, err = st.ListUsers(ctx, "org_other", store.Page{})
	if err != nil || len(users) != 0 {
		t.Errorf("ListUsers(org_other) = %v, %v", users, err)
	}
}

func testTxRollback(t *testing.T, st store.Service) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v, want the function's error", err)
	}
	if _, err := st.GetOrg(ctx, "org_1"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("a rolled-back org is visible: %v", err)
	}
}

func testTxSeesOwnWrites(t *testing.T, st store.Service) {
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		if _, err := tx.GetOrg(ctx, "org_1"); err != nil {
			return fmt.Errorf("the transaction does not see its own write: %w", err)
		}
		return nil
	})
}

func fullSubmission(id, org string, at time.Time) *aicc.Submission {
	return &aicc.Submission{
		ID: id, OrgID: org, Model: "example-chat", Version: "1.0",
		Facts: aicc.ModelFacts{
			Modalities:       []aicc.Modality{"text", "image"},
			Compute:          &aicc.ComputeEstimate{Operations: 3.2e25, Method: "6ND", Uncertainty: 0.3},
			OpenWeights:      true,
			DeveloperSize:    "large",
			AnnualRevenueUSD: 7.5e8,
			Capabilities:     map[string]float64{"cyber_capability": 0.25},
		},
		ReleaseDate:   time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		Endpoint:      aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9000/v1", Model: "refmodel-1.0"},
		Consent:       aicc.ConsentScope{Classes: []aicc.Class{aicc.ClassJailbreak}, MaxRequests: 10000, ShareWithAgencies: true},
		State:         aicc.ReviewSubmitted,
		HasCredential: true,
		SubmittedAt:   at,
		UpdatedAt:     at,
		CreatedBy:     "usr_1",
	}
}

func testSubmissionRoundTrip(t *testing.T, st store.Service) {
	ctx := context.Background()
	s := fullSubmission("sub_1", "org_1", t0)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		return tx.CreateSubmission(ctx, s)
	})
	got, err := st.GetSubmission(ctx, "sub_1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("GetSubmission =\n%+v\nwant\n%+v", got, s)
	}
	s.State = aicc.ReviewWithdrawn
	s.HasCredential = false
	s.ReleaseDate = s.ReleaseDate.AddDate(0, 0, 7)
	s.UpdatedAt, s.ClosedAt = t0.Add(time.Hour), t0.Add(time.Hour)
	s.Model = "renamed" // not mutable: UpdateSubmission leaves it
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.UpdateSubmission(ctx, s) })
	got, err = st.GetSubmission(ctx, "sub_1")
	if err != nil {
		t.Fatal(err)
	}
	s.Model = "example-chat"
	if !reflect.DeepEqual(got, s) {
		t.Errorf("after update =\n%+v\nwant\n%+v", got, s)
	}
	bad := fullSubmission("sub_2", "org_1", t0)
	bad.State = "approved"
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateSubmission(ctx, bad) })
	mustKind(t, err, aicc.KindInvalid)
}

func testSubmissionFilter(t *testing.T, st store.Service) {
	ctx := context.Background()
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		for _, o := range []string{"org_a", "org_b"} {
			if err := tx.CreateOrg(ctx, newOrg(o, o, aicc.OrgDeveloper, t0)); err != nil {
				return err
			}
		}
		for i, c := range []struct {
			org   string
			state aicc.ReviewState
		}{{"org_a", aicc.ReviewSubmitted}, {"org_a", aicc.ReviewWithdrawn}, {"org_b", aicc.ReviewScanning}, {"org_b", aicc.ReviewComplete}} {
			s := fullSubmission(fmt.Sprintf("sub_%d", i), c.org, t0.Add(time.Duration(i)*time.Second))
			s.State = c.state
			if err := tx.CreateSubmission(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range []struct {
		f    store.SubmissionFilter
		want []string
	}{
		{store.SubmissionFilter{}, []string{"sub_0", "sub_1", "sub_2", "sub_3"}},
		{store.SubmissionFilter{OrgID: "org_a"}, []string{"sub_0", "sub_1"}},
		{store.SubmissionFilter{Open: true}, []string{"sub_0", "sub_2"}},
		{store.SubmissionFilter{OrgID: "org_b", Open: true}, []string{"sub_2"}},
		{store.SubmissionFilter{State: aicc.ReviewComplete}, []string{"sub_3"}},
	} {
		subs, _, err := st.ListSubmissions(ctx, c.f, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range subs {
			ids = append(ids, s.ID)
		}
		if !reflect.DeepEqual(ids, c.want) {
			t.Errorf("ListSubmissions(%+v) = %v, want %v", c.f, ids, c.want)
		}
	}
}

func testCredential(t *testing.T, st store.Service) {
	ctx := context.Background()
	sealed := []byte{0x01, 0x00, 0xff, 0x80, 'k'}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		if err := tx.CreateSubmission(ctx, fullSubmission("sub_1", "org_1", t0)); err != nil {
			return err
		}
		if err := tx.PutCredential(ctx, "sub_1", []byte("old")); err != nil {
			return err
		}
		return tx.PutCredential(ctx, "sub_1", sealed) // replaces
	})
	got, err := st.Credential(ctx, "sub_1")
	if err != nil || string(got) != string(sealed) {
		t.Fatalf("Credential = %x, %v; want %x", got, err, sealed)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutCredential(ctx, "sub_x", sealed) })
	mustKind(t, err, aicc.KindInvalid)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.DeleteCredential(ctx, "sub_1"); err != nil {
			return err
		}
		return tx.DeleteCredential(ctx, "sub_1") // twice is fine
	})
	if _, err := st.Credential(ctx, "sub_1"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("a deleted credential is still there: %v", err)
	}
}

func testIdempotency(t *testing.T, st store.Service) {
	ctx := context.Background()
	r := &store.IdempotentResponse{UserID: "usr_1", Key: "k-1", RequestHash: []byte{1, 2, 3}, Status: 201, Body: []byte(`{"id":"org_1"}`), CreatedAt: t0}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutIdempotent(ctx, r) })
	got, err := st.Idempotent(ctx, "usr_1", "k-1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("Idempotent = %+v, want %+v", got, r)
	}
	// Keys are per user.
	if _, err := st.Idempotent(ctx, "usr_2", "k-1"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("another user's key matched: %v", err)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutIdempotent(ctx, r) })
	mustKind(t, err, aicc.KindConflict)
}

func testAuditChain(t *testing.T, st store.Service) {
	ctx := context.Background()
	var appended []audit.Entry
	for i := range 3 {
		inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
			head, err := tx.AuditHead(ctx)
			if err != nil {
				return err
			}
			if (head == nil) != (i == 0) || (head != nil && head.Seq != int64(i)) {
				return fmt.Errorf("head before entry %d: %+v", i+1, head)
			}
			d, err := audit.DetailOf(map[string]any{"n": i, "name": "ünï"})
			if err != nil {
				return err
			}
			e := audit.Next(head, audit.Entry{
				Time: t0.Add(time.Duration(i) * time.Second), ActorUserID: "usr_1", ActorOrgID: "org_1", TokenID: "tok_1",
				Action: "submission.create", ObjectKind: "submission", ObjectID: fmt.Sprintf("sub_%d", i), Detail: d,
			})
			if i == 2 {
				e.Detail = nil // entries without detail round-trip too
				e = audit.Next(head, e)
			}
			appended = append(appended, e)
			return tx.AppendAudit(ctx, &e)
		})
	}
	got, err := st.AuditEntries(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("AuditEntries = %d entries, want 3", len(got))
	}
	for i := range got {
		if !reflect.DeepEqual(normalizeEntry(got[i]), normalizeEntry(appended[i])) {
			t.Errorf("entry %d =\n%+v\nwant\n%+v", i+1, got[i], appended[i])
		}
	}
	if tail, err := st.AuditEntries(ctx, 1, 1); err != nil || len(tail) != 1 || tail[0].Seq != 2 {
		t.Errorf("AuditEntries(after 1, limit 1) = %+v, %v", tail, err)
	}
	// A second entry with a used Seq is refused: the log does not fork.
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		e := appended[2]
		return tx.AppendAudit(ctx, &e)
	})
	mustKind(t, err, aicc.KindConflict)
}

// normalizeEntry makes nil and empty byte fields alike.
func normalizeEntry(e audit.Entry) audit.Entry {
	if len(e.Detail) == 0 {
		e.Detail = nil
	}
	return e
}
