package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/storetest"
)

// envDSN names the variable that gives the tests a server.
const envDSN = "AICC_TEST_POSTGRES"

// testDSN returns the test server's URL, or skips the test without one.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(envDSN)
	if dsn == "" {
		t.Skip("PostgreSQL tests skipped: set " + envDSN + " to a database URL to run them, e.g. " +
			envDSN + "='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'")
	}
	return dsn
}

// testSchema returns the server's URL and the name of a schema of the
// test's own, which does not exist yet (Open creates it) and is dropped
// with everything in it when the test ends.
func testSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	dsn = testDSN(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema = "aicc_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+quoteIdent(schema)+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return dsn, schema
}

// openTest opens a store in a new schema, closed when the test ends.
func openTest(t testing.TB) *DB {
	t.Helper()
	dsn, schema := testSchema(t)
	return openSchema(t, dsn, schema)
}

func openSchema(t testing.TB, dsn, schema string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn, Options{Schema: schema})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}

func TestService(t *testing.T) {
	testDSN(t)
	storetest.RunService(t, func(t *testing.T) store.Service { return openTest(t) })
}

func testScan(id string) *aicc.Scan {
	return &aicc.Scan{ID: id, Status: aicc.ScanRunning, Target: "t", ProtocolName: "p",
		ProtocolVersion: "1", ProtocolDigest: "d", CreatedAt: time.Unix(1700000000, 0)}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dsn, schema := testSchema(t)
	db := openSchema(t, dsn, schema)
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	a := storetest.NewAttempt("sc_1", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomeHit)
	if err := db.InsertAttempts(ctx, []*aicc.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	versions := migrationRows(t, db)
	if versions < 2 { // goose's row for version 0, then one per migration
		t.Fatalf("%d migration rows recorded", versions)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	for range 2 {
		if err := Migrate(ctx, dsn, Options{Schema: schema}); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		db := openSchema(t, dsn, schema)
		if got := migrationRows(t, db); got != versions {
			t.Errorf("reopen recorded migrations again: %d rows, want %d", got, versions)
		}
		if _, err := db.GetScan(ctx, "sc_1"); err != nil {
			t.Errorf("GetScan after reopen: %v", err)
		}
		got, err := db.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
		if err != nil || len(got) != 1 || got[0].ID != a.ID {
			t.Errorf("ListAttempts after reopen = %v, %v", got, err)
		}
		db.Close()
	}
}

func migrationRows(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.pool.QueryRow(context.Background(), `SELECT COUNT(*) FROM goose_db_version`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSchemaIsolation checks that the tables, goose's included, are in the
// schema asked for and nowhere else.
func TestSchemaIsolation(t *testing.T) {
	ctx := context.Background()
	dsn, schema := testSchema(t)
	db := openSchema(t, dsn, schema)
	rows, err := db.pool.Query(ctx, `SELECT table_schema, table_name FROM information_schema.tables
		WHERE table_name IN ('scans', 'attempts', 'goose_db_version') AND table_schema = $1
		ORDER BY table_name`, schema)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s, name string
		if err := rows.Scan(&s, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "attempts goose_db_version scans"; strings.Join(got, " ") != want {
		t.Errorf("tables in %s: %v, want %s", schema, got, want)
	}

	// A second store in another schema sees none of the first's data.
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	other := openTest(t)
	if list, err := other.ListScans(ctx, 0); err != nil || len(list) != 0 {
		t.Errorf("another schema's ListScans = %d scans, %v; want none", len(list), err)
	}
}

// TestOpenConcurrently opens one new schema from several goroutines at
// once, as servers and workers starting together do: every Open must
// succeed, and the migrations run once.
func TestOpenConcurrently(t *testing.T) {
	for range 3 {
		dsn, schema := testSchema(t)
		var wg sync.WaitGroup
		dbs := make([]*DB, 4)
		for i := range dbs {
			wg.Go(func() {
				db, err := Open(context.Background(), dsn, Options{Schema: schema, MaxConns: 2})
				if err != nil {
					t.Error(err)
					return
				}
				dbs[i] = db
			})
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		files, err := fs.Glob(migrations, "migrations/*.sql")
		if err != nil {
			t.Fatal(err)
		}
		// goose records version 0, then each migration once.
		if got, want := migrationRows(t, dbs[0]), len(files)+1; got != want {
			t.Errorf("%d migration rows, want %d", got, want)
		}
		for _, db := range dbs {
			db.Close()
		}
	}
}

func TestMigrationsDownUp(t *testing.T) {
	ctx := context.Background()
	dsn, schema := testSchema(t)
	db := openSchema(t, dsn, schema)
	p := testProvider(t, dsn, schema)
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := db.pool.Exec(ctx, `SELECT 1 FROM scans`); err == nil {
		t.Fatal("scans still exists after migrating down")
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatalf("CreateScan after down and up: %v", err)
	}
}

// testProvider is goose on the test's schema.
func testProvider(t *testing.T, dsn, schema string) *goose.Provider {
	t.Helper()
	cfg, err := poolConfig(dsn, Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDB(*cfg.ConnConfig)
	t.Cleanup(func() { sqlDB.Close() })
	p, err := provider(sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpenErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tests := []struct {
		name string
		dsn  string
		opts Options
		kind aicc.ErrorKind
	}{
		{"empty", "", Options{}, aicc.KindInvalid},
		{"not a URL", "postgres://u:secret-pw@127.0.0.1/%zz", Options{}, aicc.KindInvalid},
		{"bad port", "host=127.0.0.1 password=secret-pw port=x", Options{}, aicc.KindInvalid},
		{"negative pool", "postgres://127.0.0.1:1/x", Options{MaxConns: -1}, aicc.KindInvalid},
		// Port 1 on loopback: nothing listens there.
		{"no server", "postgres://postgres:secret-pw@127.0.0.1:1/x?sslmode=disable&connect_timeout=5", Options{}, aicc.KindUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, tt.dsn, tt.opts)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if kind := aicc.KindOf(err); kind != tt.kind {
				t.Errorf("kind %q, want %q: %v", kind, tt.kind, err)
			}
			if strings.Contains(err.Error(), "secret-pw") {
				t.Errorf("error shows the password: %v", err)
			}
			if err := Migrate(ctx, tt.dsn, tt.opts); aicc.KindOf(err) != tt.kind {
				t.Errorf("Migrate: kind %q, want %q: %v", aicc.KindOf(err), tt.kind, err)
			}
		})
	}
}

func TestInsertAttemptsCancelled(t *testing.T) {
	db := openTest(t)
	if err := db.CreateScan(context.Background(), testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := storetest.NewAttempt("sc_1", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomeHit)
	if err := db.InsertAttempts(ctx, []*aicc.Attempt{a}); !errors.Is(err, context.Canceled) {
		t.Errorf("InsertAttempts with a cancelled context: %v, want context.Canceled", err)
	}
	ids, err := db.AttemptIDs(context.Background(), "sc_1")
	if err != nil || len(ids) != 0 {
		t.Errorf("AttemptIDs = %v, %v; want none", ids, err)
	}
	// The pool is still usable.
	if err := db.InsertAttempts(context.Background(), []*aicc.Attempt{a}); err != nil {
		t.Errorf("InsertAttempts after a cancelled one: %v", err)
	}
}

// BenchmarkInsertAttempts measures the engine's hot path: batches of 256
// attempts with ~1 KB transcripts, as the SQLite engine's benchmark does.
func BenchmarkInsertAttempts(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	if err := db.CreateScan(ctx, testScan("sc_bench")); err != nil {
		b.Fatal(err)
	}
	const size = 256
	batch := make([]*aicc.Attempt, size)
	for i := range batch {
		batch[i] = storetest.NewAttempt("sc_bench", "probe."+strconv.Itoa(i%16), i, 0, aicc.ClassPromptInjectionDirect, aicc.OutcomePass)
	}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for i, a := range batch {
			a.Repetition = n
			a.ID = "at_" + strconv.Itoa(n) + "_" + strconv.Itoa(i)
		}
		n++
		if err := db.InsertAttempts(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*size)/b.Elapsed().Seconds(), "attempts/s")
}
