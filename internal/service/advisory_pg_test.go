package service_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/postgres"
)

// TestLiftEmbargoesConcurrently runs the embargo ticker of two servers at
// once on one PostgreSQL database: every due advisory is published exactly
// once, and neither server reports an error.
func TestLiftEmbargoesConcurrently(t *testing.T) {
	dsn := os.Getenv("AICC_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PostgreSQL not tested: set AICC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	ctx := context.Background()
	var rb [8]byte
	_, _ = rand.Read(rb[:])
	schema := "aicc_svc_" + hex.EncodeToString(rb[:])
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
			t.Error(err)
		}
	})
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, dsn, postgres.Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbs := []*postgres.DB{open(), open()}
	kr, _ := keyring.NewEphemeral()
	auditKey := make([]byte, 32)
	clock := now
	var svcs []*service.Service
	for _, db := range dbs {
		svc, err := service.New(service.Config{Store: db, Keyring: kr, AuditKey: auditKey, Now: func() time.Time { return clock }})
		if err != nil {
			t.Fatal(err)
		}
		svcs = append(svcs, svc)
	}
	tk, err := svcs[0].Bootstrap(ctx, "Clearinghouse")
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := svcs[0].Authenticate(ctx, tk.Value.Reveal())
	o, _ := svcs[0].CreateOrg(ctx, admin, service.OrgInput{Name: "Example AI", Kind: aicc.OrgDeveloper})
	dev := aicc.Principal{UserID: "usr_dev", OrgID: o.ID, OrgKind: aicc.OrgDeveloper, Role: aicc.RoleDeveloper}
	sub, err := svcs[0].CreateSubmission(ctx, dev, service.SubmissionInput{Model: "m", Version: "1", ReleaseDate: "2026-12-19",
		Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := range n {
		f := &aicc.Finding{ID: aicc.NewID(aicc.PrefixFinding), SubmissionID: sub.ID, ScanID: "sc_1", Class: aicc.ClassJailbreak,
			Family: string(rune('a' + i)), Probes: []string{"p"}, Title: "t", Severity: aicc.SeverityHigh, Status: aicc.FindingConfirmed,
			Evidence: []string{}, TLP: aicc.TLPRed, CreatedAt: now, UpdatedAt: now}
		if err := dbs[0].Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateFinding(ctx, f) }); err != nil {
			t.Fatal(err)
		}
		a, err := svcs[0].CreateAdvisory(ctx, admin, service.AdvisoryInput{FindingID: f.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = svcs[0].PublishAdvisory(ctx, admin, a.ID); err != nil || a.State != advisory.StateEmbargoed {
			t.Fatalf("publish: %v %v", a, err)
		}
	}
	clock = sub.ReleaseDate.Add(time.Minute)
	var wg sync.WaitGroup
	counts := make([]int, 2)
	errs := make([]error, 2)
	for i, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = svc.LiftEmbargoes(ctx)
		}()
	}
	wg.Wait()
	t.Logf("published by each server: %v", counts)
	if errs[0] != nil || errs[1] != nil || counts[0]+counts[1] != n {
		t.Fatalf("LiftEmbargoes: %v published, errors %v; want %d in all and no error", counts, errs, n)
	}
	as, _, err := svcs[1].ListAdvisories(ctx, admin, store.AdvisoryFilter{}, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.State != advisory.StatePublished || a.Revision != 1 || len(a.History) != 1 {
			t.Errorf("%s: %s r%d, %d history entries", a.ID, a.State, a.Revision, len(a.History))
		}
	}
	es, _ := svcs[0].AuditEntries(ctx, admin, 0, 0)
	published := 0
	for _, e := range es {
		if e.Action == "advisory.publish" {
			published++
		}
	}
	if published != n {
		t.Errorf("%d advisory.publish entries, want %d", published, n)
	}
}
