package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// draftAdvisory is Example() as a new draft with the given ID.
func draftAdvisory(id string, created time.Time) *advisory.Advisory {
	a := advisorytest.Example()
	a.ID, a.Revision, a.State, a.History = id, 1, advisory.StateDraft, nil
	a.PublishedAt, a.RevisedAt = time.Time{}, time.Time{}
	a.CreatedAt, a.UpdatedAt = created, created
	return a
}

func sameAdvisory(t *testing.T, what string, got, want *advisory.Advisory) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func testAdvisories(t *testing.T, st store.Service) {
	ctx := context.Background()
	var seqs []int
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		for _, y := range []int{2026, 2026, 2027, 2026} {
			n, err := tx.NextAdvisorySeq(ctx, y)
			if err != nil {
				return err
			}
			seqs = append(seqs, n)
		}
		return nil
	})
	if !reflect.DeepEqual(seqs, []int{1, 2, 1, 3}) {
		t.Fatalf("NextAdvisorySeq gave %v, want [1 2 1 3]", seqs)
	}
	a1 := draftAdvisory("AICC-2026-0001", t0)
	a2 := draftAdvisory("AICC-2026-0002", t0.Add(time.Second))
	a2.DeveloperOrgID, a2.SubmissionID = "org_other", "sub_other"
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateAdvisory(ctx, a1); err != nil {
			return err
		}
		return tx.CreateAdvisory(ctx, a2)
	})
	got, err := st.GetAdvisory(ctx, a1.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameAdvisory(t, "GetAdvisory", got, a1)
	if _, err := st.GetAdvisory(ctx, "AICC-2026-0099"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("missing advisory: %v", err)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateAdvisory(ctx, a1) })
	mustKind(t, err, aicc.KindConflict)
	bad := draftAdvisory("AICC-2026-0003", t0)
	bad.Products = nil
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateAdvisory(ctx, bad) })
	mustKind(t, err, aicc.KindInvalid)

	list := func(f store.AdvisoryFilter, p store.Page) ([]string, string) {
		t.Helper()
		as, next, err := st.ListAdvisories(ctx, f, p)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range as {
			ids = append(ids, a.ID)
		}
		return ids, next
	}
	if ids, next := list(store.AdvisoryFilter{}, store.Page{Limit: 1}); !reflect.DeepEqual(ids, []string{a1.ID}) || next == "" {
		t.Errorf("first page %v %q", ids, next)
	} else if ids, next := list(store.AdvisoryFilter{}, store.Page{Limit: 1, After: next}); !reflect.DeepEqual(ids, []string{a2.ID}) || next != "" {
		t.Errorf("second page %v %q", ids, next)
	}
	if ids, _ := list(store.AdvisoryFilter{DeveloperOrgID: "org_other"}, store.Page{}); !reflect.DeepEqual(ids, []string{a2.ID}) {
		t.Errorf("by developer: %v", ids)
	}
	if ids, _ := list(store.AdvisoryFilter{SubmissionID: a1.SubmissionID}, store.Page{}); !reflect.DeepEqual(ids, []string{a1.ID}) {
		t.Errorf("by submission: %v", ids)
	}
	if ids, _ := list(store.AdvisoryFilter{States: []advisory.State{advisory.StatePublished, advisory.StateEmbargoed}}, store.Page{}); len(ids) != 0 {
		t.Errorf("by state: %v", ids)
	}

	// a1 is scheduled behind its embargo; a2 is published at once.
	a1.State, a1.UpdatedAt = advisory.StateEmbargoed, t0.Add(time.Minute)
	a1.Embargo = advisory.Embargo{Basis: advisory.BasisAgreed, Until: t0.Add(48 * time.Hour), LastContact: t0, FallbackDays: -1}
	pub := t0.Add(time.Hour)
	a2.State, a2.PublishedAt, a2.RevisedAt, a2.UpdatedAt = advisory.StatePublished, pub, pub, pub
	a2.History = []advisory.Revision{{Number: 1, Date: pub, Summary: "Initial public release."}}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.UpdateAdvisory(ctx, a1); err != nil {
			return err
		}
		if err := tx.UpdateAdvisory(ctx, a2); err != nil {
			return err
		}
		return tx.PutAdvisoryRevision(ctx, a2)
	})
	if due, err := st.DueAdvisories(ctx, t0.Add(47*time.Hour)); err != nil || len(due) != 0 {
		t.Errorf("DueAdvisories before the lift = %v, %v", due, err)
	}
	if due, err := st.DueAdvisories(ctx, t0.Add(48*time.Hour)); err != nil || !reflect.DeepEqual(due, []string{a1.ID}) {
		t.Errorf("DueAdvisories at the lift = %v, %v", due, err)
	}
	if ids, _ := list(store.AdvisoryFilter{States: []advisory.State{advisory.StatePublished, advisory.StateEmbargoed}}, store.Page{}); len(ids) != 2 {
		t.Errorf("by states: %v", ids)
	}
	if n, latest, err := st.PublishedStamp(ctx); err != nil || n != 1 || !latest.Equal(pub) {
		t.Errorf("PublishedStamp = %d, %v, %v; want 1, %v", n, latest, err, pub)
	}
	pubs, err := st.ListPublished(ctx, 0)
	if err != nil || len(pubs) != 1 || pubs[0].ID != a2.ID {
		t.Fatalf("ListPublished = %v, %v", pubs, err)
	}
	// Revision 2 of a2; revision 1 stays as it was published.
	r1 := *a2
	a2.Revision, a2.State = 2, advisory.StateUpdated
	a2.RevisedAt = pub.Add(time.Hour)
	a2.Title = "Revised title"
	a2.History = append(append([]advisory.Revision(nil), a2.History...), advisory.Revision{Number: 2, Date: a2.RevisedAt, Summary: "Retitled."})
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.UpdateAdvisory(ctx, a2); err != nil {
			return err
		}
		return tx.PutAdvisoryRevision(ctx, a2)
	})
	if got, err := st.AdvisoryRevision(ctx, a2.ID, 1); err != nil {
		t.Fatal(err)
	} else {
		sameAdvisory(t, "revision 1", got, &r1)
	}
	if got, _ := st.AdvisoryRevision(ctx, a2.ID, 2); got == nil || got.Title != "Revised title" {
		t.Errorf("revision 2 = %+v", got)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutAdvisoryRevision(ctx, a2) })
	mustKind(t, err, aicc.KindConflict)
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutAdvisoryRevision(ctx, a1) })
	mustKind(t, err, aicc.KindInvalid)
	if _, err := st.AdvisoryRevision(ctx, a1.ID, 1); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("an unpublished revision is kept: %v", err)
	}

	// Subscriptions.
	s := &advisory.Subscription{ID: "asub_1", OrgID: "org_1", Filter: advisory.Filter{Classes: []aicc.Class{"system_prompt_extraction"}, MinSeverity: aicc.SeverityHigh, TLP: []aicc.TLP{aicc.TLPClear}}, CreatedAt: t0}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "Grid", aicc.OrgOperator, t0)); err != nil {
			return err
		}
		return tx.CreateAdvisorySubscription(ctx, s)
	})
	if got, err := st.GetAdvisorySubscription(ctx, "asub_1"); err != nil || !reflect.DeepEqual(got, s) {
		t.Errorf("GetAdvisorySubscription = %+v, %v", got, err)
	}
	if subs, err := st.ListAdvisorySubscriptions(ctx, "org_1"); err != nil || len(subs) != 1 {
		t.Errorf("ListAdvisorySubscriptions = %v, %v", subs, err)
	}
	if subs, _ := st.ListAdvisorySubscriptions(ctx, "org_x"); len(subs) != 0 {
		t.Errorf("another org's subscriptions: %v", subs)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.CreateAdvisorySubscription(ctx, &advisory.Subscription{ID: "asub_2", OrgID: "org_1", Filter: advisory.Filter{MinSeverity: "dire"}, CreatedAt: t0})
	})
	mustKind(t, err, aicc.KindInvalid)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.DeleteAdvisorySubscription(ctx, "asub_1")
	})
	if _, err := st.GetAdvisorySubscription(ctx, "asub_1"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("deleted subscription: %v", err)
	}
}
