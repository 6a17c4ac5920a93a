package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/config"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// TestKeyringRotation rotates the key of a deployment holding a credential
// and a webhook secret, reseals, retires the old key, and opens both values
// with the new key file alone.
func TestKeyringRotation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := app.Open(ctx, app.Config{DataDir: dir, ScanWorkers: -1, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := a.Service.Authenticate(ctx, a.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Service.CreateOrg(ctx, admin, service.OrgInput{Name: "Example AI", Kind: aicc.OrgDeveloper})
	if err != nil {
		t.Fatal(err)
	}
	dev := aicc.Principal{UserID: "usr_dev", OrgID: o.ID, OrgKind: aicc.OrgDeveloper, Role: aicc.RoleDeveloper}
	sub, err := a.Service.CreateSubmission(ctx, dev, service.SubmissionInput{Model: "m", Version: "1", ReleaseDate: "2026-12-19",
		Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}, Credential: aicc.NewSecret("sk-unreleased")})
	if err != nil {
		t.Fatal(err)
	}
	wh, err := a.Service.CreateWebhook(ctx, admin, service.WebhookInput{URL: "https://hooks.example/aicc", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	whSecret := wh.Secret
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	oldKR, err := keyring.LoadFile(filepath.Join(dir, "keyring"))
	if err != nil {
		t.Fatal(err)
	}
	oldID := oldKR.PrimaryID()

	status := func() service.KeyUse {
		t.Helper()
		r := runCLI(t, env, "keyring", "status", "--data", dir, "--format", "json")
		if r.code != 0 {
			t.Fatalf("keyring status: %d %s", r.code, r.stderr)
		}
		var u service.KeyUse
		if err := json.Unmarshal([]byte(r.stdout), &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	if u := status(); len(u.Keys) != 1 || u.Keys[0].ID != oldID || u.Keys[0].Credentials != 1 || u.Keys[0].WebhookSecrets != 1 {
		t.Fatalf("status before rotation: %+v", u)
	}

	r := runCLI(t, env, "keyring", "rotate", "--data", dir, "--format", "json")
	if r.code != 0 {
		t.Fatalf("keyring rotate: %d %s", r.code, r.stderr)
	}
	var rot struct {
		Primary string   `json:"primary"`
		Keys    []string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rot); err != nil || rot.Primary == oldID || len(rot.Keys) != 2 || rot.Keys[1] != oldID {
		t.Fatalf("rotate printed %s (%v)", r.stdout, err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "keyring")); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v after rotation", fi.Mode().Perm())
	}
	// The old key still seals both values, so it cannot be retired yet.
	if r := runCLI(t, env, "keyring", "retire", oldID, "--data", dir); r.code != ExitError || !strings.Contains(r.stderr, "reseal") {
		t.Fatalf("retire before reseal: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, env, "keyring", "retire", rot.Primary, "--data", dir); r.code != ExitError || !strings.Contains(r.stderr, "primary") {
		t.Fatalf("retire of the primary key: %d %s", r.code, r.stderr)
	}
	r = runCLI(t, env, "keyring", "reseal", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "resealed 2 values under key "+rot.Primary) {
		t.Fatalf("keyring reseal: %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, env, "keyring", "reseal", "--data", dir); r.code != 0 || !strings.Contains(r.stdout, "resealed 0 values") || !strings.Contains(r.stdout, "(2 already under it)") {
		t.Fatalf("second reseal: %d %q", r.code, r.stdout)
	}
	u := status()
	if u.Primary != rot.Primary || u.Keys[0].Total() != 2 || u.Keys[1].ID != oldID || u.Keys[1].Total() != 0 {
		t.Fatalf("status after reseal: %+v", u)
	}
	if r := runCLI(t, env, "keyring", "retire", oldID, "--data", dir); r.code != 0 {
		t.Fatalf("retire: %d %s", r.code, r.stderr)
	}

	// The new key file alone opens both values, as they were.
	kr, err := keyring.LoadFile(filepath.Join(dir, "keyring"))
	if err != nil || len(kr.IDs()) != 1 || kr.PrimaryID() != rot.Primary {
		t.Fatalf("key file after retire: %v %v", kr, err)
	}
	db, err := sqlite.Open(ctx, config.DBPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sealed, err := db.Credential(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := kr.OpenSecret(sealed, keyring.AAD("submission", sub.ID, "credential")); err != nil || c.Reveal() != "sk-unreleased" {
		t.Errorf("credential after rotation: %v", err)
	}
	_, sealed, err = db.GetWebhook(ctx, wh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := kr.OpenSecret(sealed, keyring.AAD("webhook", wh.ID, "secret")); err != nil || s.Reveal() != whSecret {
		t.Errorf("webhook secret after rotation: %v", err)
	}
	if _, err := oldKR.Open(sealed, keyring.AAD("webhook", wh.ID, "secret")); err == nil {
		t.Error("the retired key still opens the resealed secret")
	}
	// The audit log records the rotation, the reseals and the retirement.
	entries, err := db.AuditEntries(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "keyring.") {
			actions = append(actions, e.Action+" "+e.ObjectID)
		}
	}
	want := []string{"keyring.rotate " + rot.Primary, "keyring.reseal " + rot.Primary, "keyring.retire " + oldID}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit entries %q, want %q", actions, want)
	}
}

// TestKeyringFromEnvironment refuses to rotate a keyring that lives in an
// environment variable, and says what to do instead.
func TestKeyringFromEnvironment(t *testing.T) {
	env := map[string]string{keyring.EnvVar: "k1:" + strings.Repeat("A", 43) + "="}
	r := runCLI(t, env, "keyring", "rotate", "--data", t.TempDir())
	if r.code != ExitUsage || !strings.Contains(r.stderr, keyring.EnvVar) {
		t.Fatalf("rotate with %s set: %d %s", keyring.EnvVar, r.code, r.stderr)
	}
}
