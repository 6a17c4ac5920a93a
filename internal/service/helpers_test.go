package service_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// testService is a service on a fresh SQLite store, on a clock the test
// moves (starting at now), with its first admin.
type testService struct {
	db         *sqlite.DB
	svc        *service.Service
	clock      *time.Time
	admin      aicc.Principal
	adminToken string
}

// newTestService opens one; edit, when given, changes the configuration
// before the service is built.
func newTestService(t testing.TB, edit func(*service.Config)) *testService {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "aicc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kr, err := keyring.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	clock := now
	ts := &testService{db: db, clock: &clock}
	cfg := service.Config{Store: db, Scans: db, Keyring: kr, Now: func() time.Time { return *ts.clock }}
	if edit != nil {
		edit(&cfg)
	}
	if ts.svc, err = service.New(cfg); err != nil {
		t.Fatal(err)
	}
	tk, err := ts.svc.Bootstrap(ctx, "Clearinghouse")
	if err != nil {
		t.Fatal(err)
	}
	ts.adminToken = tk.Value.Reveal()
	if ts.admin, err = ts.svc.Authenticate(ctx, ts.adminToken); err != nil {
		t.Fatal(err)
	}
	return ts
}
