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

// day is t0's date at UTC midnight: designations take effect on a day.
var day = time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, time.UTC)

func designation(id, model, authorityOrg string, created time.Time) *aicc.Designation {
	return &aicc.Designation{
		ID: id, Model: model, AuthorityOrgID: authorityOrg, Authority: "NSA",
		Kind: aicc.DesignationCoveredFrontierModel, Reference: "Designation notice 2025-01",
		Date: day, CreatedAt: created, CreatedBy: "usr_1",
	}
}

func testDesignations(t *testing.T, st store.Service) {
	ctx := context.Background()
	full := designation("des_1", "example-chat", "org_nsa", t0)
	full.Version, full.DeveloperOrgID, full.Note = "1.0", "org_dev", "ünïcödé — per the benchmark of 2025-03"
	every := designation("des_2", "example-chat", "org_ec", t0.Add(time.Second))
	every.Authority, every.Kind = "European Commission", aicc.DesignationSystemicRisk
	other := designation("des_3", "other-model", "org_nsa", t0.Add(time.Second)) // same time as des_2: the ID breaks the tie
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		for _, o := range []*aicc.Org{
			newOrg("org_dev", "Example AI", aicc.OrgDeveloper, t0),
			newOrg("org_nsa", "NSA", aicc.OrgAgency, t0),
			newOrg("org_ec", "European Commission", aicc.OrgAgency, t0),
		} {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
		}
		for _, d := range []*aicc.Designation{full, every, other} {
			if err := tx.CreateDesignation(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	for _, want := range []*aicc.Designation{full, every} {
		got, err := st.GetDesignation(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GetDesignation(%s) =\n%+v\nwant\n%+v", want.ID, got, want)
		}
	}
	if _, err := st.GetDesignation(ctx, "des_x"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("GetDesignation(missing) = %v, want not found", err)
	}

	for _, c := range []struct {
		name string
		d    func() *aicc.Designation
		kind aicc.ErrorKind
	}{
		{"used ID", func() *aicc.Designation { return designation("des_1", "m", "org_nsa", t0) }, aicc.KindConflict},
		{"unknown kind", func() *aicc.Designation {
			d := designation("des_9", "m", "org_nsa", t0)
			d.Kind = "licensed"
			return d
		}, aicc.KindInvalid},
		{"no date", func() *aicc.Designation {
			d := designation("des_9", "m", "org_nsa", t0)
			d.Date = time.Time{}
			return d
		}, aicc.KindInvalid},
		{"unknown authority organization", func() *aicc.Designation { return designation("des_9", "m", "org_x", t0) }, aicc.KindInvalid},
		{"unknown developer organization", func() *aicc.Designation {
			d := designation("des_9", "m", "org_nsa", t0)
			d.DeveloperOrgID = "org_x"
			return d
		}, aicc.KindInvalid},
		{"already revoked", func() *aicc.Designation {
			d := designation("des_9", "m", "org_nsa", t0)
			at := t0
			d.RevokedAt = &at
			return d
		}, aicc.KindInvalid},
	} {
		err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateDesignation(ctx, c.d()) })
		if err == nil || aicc.KindOf(err) != c.kind {
			t.Errorf("%s: CreateDesignation = %v (kind %s), want kind %s", c.name, err, aicc.KindOf(err), c.kind)
		}
	}

	revoked := t0.Add(time.Hour)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.RevokeDesignation(ctx, "des_1", revoked, "usr_2", "superseded by des_2")
	})
	err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.RevokeDesignation(ctx, "des_1", revoked.Add(time.Hour), "usr_3", "again")
	})
	mustKind(t, err, aicc.KindConflict)
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.RevokeDesignation(ctx, "des_x", revoked, "usr_2", "")
	})
	if !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("RevokeDesignation(missing) = %v, want not found", err)
	}
	full.RevokedAt, full.RevokedBy, full.RevocationNote = &revoked, "usr_2", "superseded by des_2"
	if got, err := st.GetDesignation(ctx, "des_1"); err != nil || !reflect.DeepEqual(got, full) {
		t.Errorf("after revocation GetDesignation = %+v, %v; want the first revocation\n%+v", got, err, full)
	}

	for _, c := range []struct {
		f    store.DesignationFilter
		want []string
	}{
		{store.DesignationFilter{}, []string{"des_2", "des_3"}},
		{store.DesignationFilter{IncludeRevoked: true}, []string{"des_1", "des_2", "des_3"}},
		{store.DesignationFilter{Model: "example-chat", IncludeRevoked: true}, []string{"des_1", "des_2"}},
		{store.DesignationFilter{Model: "Example-Chat", IncludeRevoked: true}, nil},
		{store.DesignationFilter{AuthorityOrgID: "org_nsa"}, []string{"des_3"}},
		{store.DesignationFilter{AuthorityOrgID: "org_nsa", Model: "example-chat"}, nil},
	} {
		var ids []string
		cur := ""
		for pages := 0; ; pages++ {
			ds, next, err := st.ListDesignations(ctx, c.f, store.Page{Limit: 1, After: cur})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			if next == "" {
				break
			}
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			cur = next
		}
		if !reflect.DeepEqual(ids, c.want) {
			t.Errorf("ListDesignations(%+v) = %v, want %v", c.f, ids, c.want)
		}
	}
	_, _, err = st.ListDesignations(ctx, store.DesignationFilter{}, store.Page{After: "not a cursor!"})
	mustKind(t, err, aicc.KindInvalid)
}

func coverageRecord(sub, policy string, outcome aicc.CoverageOutcome, at time.Time) store.CoverageRecord {
	return store.CoverageRecord{
		SubmissionID: sub, EvaluatedAt: at, PolicyID: policy, PolicyVersion: "1.0.0",
		PolicyDigest: "sha256:00ff", Outcome: outcome,
		Result: []byte(`{"policy_id":"` + policy + `","outcome":"` + string(outcome) + `","matched":[{"reason":"ünï"}]}`),
	}
}

func testCoverageResults(t *testing.T, st store.Service) {
	ctx := context.Background()
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		for _, id := range []string{"sub_1", "sub_2"} {
			if err := tx.CreateSubmission(ctx, fullSubmission(id, "org_1", t0)); err != nil {
				return err
			}
		}
		return nil
	})
	latest := func(sub string) []store.CoverageRecord {
		t.Helper()
		recs, err := st.CoverageResults(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	if recs := latest("sub_1"); len(recs) != 0 {
		t.Errorf("a submission never evaluated has results %+v", recs)
	}
	put := func(recs ...store.CoverageRecord) {
		t.Helper()
		inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutCoverageResults(ctx, "sub_1", recs) })
	}
	first := []store.CoverageRecord{
		coverageRecord("sub_1", "clearinghouse", aicc.CoverageIndeterminate, t0),
		coverageRecord("sub_1", "eu-ai-act-art51", aicc.CoveragePresumedCovered, t0),
	}
	put(first...)
	if got := latest("sub_1"); !reflect.DeepEqual(got, first) {
		t.Errorf("CoverageResults =\n%+v\nwant\n%+v", got, first)
	}
	// A later evaluation replaces the latest, in the order it was put; an
	// evaluation at the same instant (a clock that does not move) still
	// counts as the later one.
	second := []store.CoverageRecord{
		coverageRecord("sub_1", "eu-ai-act-art51", aicc.CoverageCovered, t0.Add(time.Hour)),
		coverageRecord("sub_1", "clearinghouse", aicc.CoverageCovered, t0.Add(time.Hour)),
	}
	put(second...)
	if got := latest("sub_1"); !reflect.DeepEqual(got, second) {
		t.Errorf("after a second evaluation CoverageResults =\n%+v\nwant\n%+v", got, second)
	}
	third := []store.CoverageRecord{coverageRecord("sub_1", "clearinghouse", aicc.CoverageNotCovered, t0.Add(time.Hour))}
	put(third...)
	if got := latest("sub_1"); !reflect.DeepEqual(got, third) {
		t.Errorf("after a third evaluation at the same instant CoverageResults =\n%+v\nwant\n%+v", got, third)
	}
	put() // an empty evaluation records nothing
	if got := latest("sub_1"); !reflect.DeepEqual(got, third) {
		t.Errorf("after an empty evaluation CoverageResults = %+v, want %+v", got, third)
	}
	if recs := latest("sub_2"); len(recs) != 0 {
		t.Errorf("another submission's results leaked: %+v", recs)
	}

	for _, c := range []struct {
		name string
		sub  string
		rec  store.CoverageRecord
	}{
		{"another submission's record", "sub_2", coverageRecord("sub_1", "p", aicc.CoverageCovered, t0)},
		{"unknown outcome", "sub_1", coverageRecord("sub_1", "p", "approved", t0)},
		{"no evaluation time", "sub_1", coverageRecord("sub_1", "p", aicc.CoverageCovered, time.Time{})},
		{"unknown submission", "sub_x", coverageRecord("sub_x", "p", aicc.CoverageCovered, t0)},
	} {
		err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
			return tx.PutCoverageResults(ctx, c.sub, []store.CoverageRecord{c.rec})
		})
		if aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("%s: PutCoverageResults = %v, want kind invalid", c.name, err)
		}
	}
	if got := latest("sub_1"); !reflect.DeepEqual(got, third) {
		t.Errorf("a refused evaluation changed the latest: %+v", got)
	}
}
