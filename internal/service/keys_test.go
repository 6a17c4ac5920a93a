package service_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// TestResealMissingKey reseals with a keyring that lacks the key a stored
// credential was sealed with: the credential is reported, left as it was,
// and shown as sealed by a missing key.
func TestResealMissingKey(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "aicc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	open := func(kr *keyring.Keyring) *service.Service {
		svc, err := service.New(service.Config{Store: db, Keyring: kr, AuditKey: make([]byte, 32), Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	first, _ := keyring.NewEphemeral()
	svc := open(first)
	tk, _ := svc.Bootstrap(ctx, "Clearinghouse")
	admin, _ := svc.Authenticate(ctx, tk.Value.Reveal())
	o, _ := svc.CreateOrg(ctx, admin, service.OrgInput{Name: "Example AI", Kind: aicc.OrgDeveloper})
	dev := aicc.Principal{UserID: "usr_dev", OrgID: o.ID, OrgKind: aicc.OrgDeveloper, Role: aicc.RoleDeveloper}
	sub, err := svc.CreateSubmission(ctx, dev, service.SubmissionInput{Model: "m", Version: "1", ReleaseDate: "2026-12-19",
		Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}, Credential: aicc.NewSecret("sk-1")})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.Credential(ctx, sub.ID)

	other, _ := keyring.NewEphemeral()
	svc = open(other)
	r, err := svc.Reseal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Resealed != 0 || len(r.Failed) != 1 || r.Failed[0].ID != sub.ID || !strings.Contains(r.Failed[0].Error, first.PrimaryID()) {
		t.Fatalf("Reseal = %+v; want the credential reported as sealed by the missing key %s", r, first.PrimaryID())
	}
	if after, _ := db.Credential(ctx, sub.ID); string(after) != string(before) {
		t.Error("a credential that did not open was changed")
	}
	u, err := svc.KeyUsage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Keys) != 2 || u.Keys[1].ID != first.PrimaryID() || u.Keys[1].Loaded || u.Keys[1].Credentials != 1 {
		t.Errorf("KeyUsage = %+v; want the missing key listed as not loaded with one credential", u)
	}
}
