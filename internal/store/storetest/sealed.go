package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/webhook"
)

// testSealedValues lists the sealed values of both kinds and replaces them
// with compare-and-swap, as a reseal after a key rotation does.
func testSealedValues(t *testing.T, st store.Service) {
	ctx := context.Background()
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		for _, id := range []string{"sub_2", "sub_1"} {
			if err := tx.CreateSubmission(ctx, fullSubmission(id, "org_1", t0)); err != nil {
				return err
			}
			if err := tx.PutCredential(ctx, id, []byte("cred-"+id)); err != nil {
				return err
			}
		}
		sub := &webhook.Subscription{ID: "wh_1", OrgID: "org_1", URL: "https://hooks.example/x", Events: []string{"*"}, Active: true, CreatedAt: t0}
		return tx.CreateWebhook(ctx, sub, []byte("secret-wh_1"))
	})
	got, err := st.SealedValues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Sealed{
		{Kind: store.SealedCredential, ID: "sub_1", Value: []byte("cred-sub_1")},
		{Kind: store.SealedCredential, ID: "sub_2", Value: []byte("cred-sub_2")},
		{Kind: store.SealedWebhookSecret, ID: "wh_1", Value: []byte("secret-wh_1")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SealedValues = %q, want %q", got, want)
	}
	var swapped []bool
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		for _, c := range []struct {
			s    store.Sealed
			next string
		}{
			{want[0], "new-sub_1"},
			{store.Sealed{Kind: store.SealedCredential, ID: "sub_2", Value: []byte("stale")}, "new-sub_2"}, // changed since read
			{want[2], "new-wh_1"},
			{store.Sealed{Kind: store.SealedCredential, ID: "sub_9", Value: []byte("x")}, "y"}, // gone
		} {
			ok, err := tx.ReplaceSealed(ctx, c.s, []byte(c.next))
			if err != nil {
				return err
			}
			swapped = append(swapped, ok)
		}
		return nil
	})
	if !reflect.DeepEqual(swapped, []bool{true, false, true, false}) {
		t.Errorf("ReplaceSealed swapped %v, want [true false true false]", swapped)
	}
	if c, _ := st.Credential(ctx, "sub_1"); string(c) != "new-sub_1" {
		t.Errorf("credential of sub_1 = %q after replace", c)
	}
	if c, _ := st.Credential(ctx, "sub_2"); string(c) != "cred-sub_2" {
		t.Errorf("credential of sub_2 = %q; a stale compare must leave it alone", c)
	}
	if _, s, _ := st.GetWebhook(ctx, "wh_1"); string(s) != "new-wh_1" {
		t.Errorf("webhook secret = %q after replace", s)
	}
	err = st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		_, err := tx.ReplaceSealed(ctx, store.Sealed{Kind: "password", ID: "x", Value: []byte("a")}, []byte("b"))
		return err
	})
	mustKind(t, err, aicc.KindInvalid)
}
