package service_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/service"
)

// TestTokenUsesAllCounted authenticates with two tokens many times over a
// few minutes and checks that the `token.use` entries of the audit log add
// up to every use, although they are written at most once a minute.
func TestTokenUsesAllCounted(t *testing.T) {
	ctx := context.Background()
	ts := newTestService(t, nil)
	svc, admin := ts.svc, ts.admin
	other, err := svc.CreateToken(ctx, admin, service.TokenInput{UserID: admin.UserID, Name: "second"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{admin.TokenID: 1, other.ID: 0}
	for i := range 500 {
		*ts.clock = ts.clock.Add(997 * time.Millisecond) // 500 uses over about 8 minutes
		raw, id := ts.adminToken, admin.TokenID
		if i%3 == 0 {
			raw, id = other.Value.Reveal(), other.ID
		}
		if _, err := svc.Authenticate(ctx, raw); err != nil {
			t.Fatal(err)
		}
		want[id]++
	}
	entries := func() (map[string]int, int) {
		es, err := svc.AuditEntries(ctx, admin, 0, 10000)
		if err != nil {
			t.Fatal(err)
		}
		got, n := map[string]int{}, 0
		for _, e := range es {
			if e.Action != "token.use" {
				continue
			}
			var d struct {
				Uses     int       `json:"uses"`
				FirstUse time.Time `json:"first_use"`
				LastUse  time.Time `json:"last_use"`
			}
			if err := json.Unmarshal(e.Detail, &d); err != nil {
				t.Fatal(err)
			}
			if d.Uses < 1 || d.LastUse.Before(d.FirstUse) {
				t.Errorf("entry %d: %s", e.Seq, e.Detail)
			}
			got[e.ObjectID] += d.Uses
			n++
		}
		return got, n
	}
	got, n := entries()
	if n > 2*9+2 {
		t.Errorf("%d token.use entries for 8 minutes of two tokens; want at most one a minute each", n)
	}
	if got[admin.TokenID] >= want[admin.TokenID] {
		t.Errorf("before the flush, entries count %d uses of the admin token; the latest ones should still be pending", got[admin.TokenID])
	}
	// The audit read itself is not an authentication; flushing writes the rest.
	if err := svc.FlushTokenUses(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = entries()
	for id, w := range want {
		if got[id] != w {
			t.Errorf("token %s: token.use entries count %d uses, want %d", id, got[id], w)
		}
	}
	if err := svc.FlushTokenUses(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := entries(); again[admin.TokenID] != want[admin.TokenID] {
		t.Errorf("a second flush counted uses again: %d, want %d", again[admin.TokenID], want[admin.TokenID])
	}
}
