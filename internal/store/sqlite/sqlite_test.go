package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/storetest"
)

// openTest opens a new database in a temporary directory, closed when the
// test ends.
func openTest(t testing.TB, path string) *DB {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "aicc.db")
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t, "") })
}

func TestService(t *testing.T) {
	storetest.RunService(t, func(t *testing.T) store.Service { return openTest(t, "") })
}

func testScan(id string) *aicc.Scan {
	return &aicc.Scan{ID: id, Status: aicc.ScanRunning, Target: "t", ProtocolName: "p",
		ProtocolVersion: "1", ProtocolDigest: "d", CreatedAt: time.Unix(1700000000, 0)}
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions on Windows")
	}
	root := t.TempDir()
	path := filepath.Join(root, "a", "b", "aicc.db")
	db := openTest(t, path)
	if err := db.CreateScan(context.Background(), testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		mode fs.FileMode
	}{
		{filepath.Join(root, "a"), fs.ModeDir | 0o700},
		{filepath.Join(root, "a", "b"), fs.ModeDir | 0o700},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	}
	for _, tt := range tests {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != tt.mode {
			t.Errorf("%s: mode %v, want %v", tt.path, fi.Mode(), tt.mode)
		}
	}
}

func TestOpenPathCharacters(t *testing.T) {
	for _, name := range []string{"with space", "q?x=1", "hash#frag", "pct%20", "ünï"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, name, name+".db")
			db := openTest(t, path)
			if err := db.CreateScan(context.Background(), testScan("sc_1")); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			// The data is in path and nowhere else.
			var files []string
			err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					files = append(files, p)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 1 || files[0] != path {
				t.Fatalf("files %q, want only %q", files, path)
			}
			if _, err := openTest(t, path).GetScan(context.Background(), "sc_1"); err != nil {
				t.Errorf("reopened: %v", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", filepath.Join(file, "aicc.db"), notDB} {
		if db, err := Open(context.Background(), path); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "aicc.db")
	db := openTest(t, path)
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	a := storetest.NewAttempt("sc_1", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomeHit)
	if err := db.InsertAttempts(ctx, []*aicc.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	versions := migrationRows(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	for range 2 {
		db := openTest(t, path)
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

// TestOpenConcurrently opens one new database from several goroutines at
// once, as two processes starting together do: every Open must succeed.
func TestOpenConcurrently(t *testing.T) {
	for range 3 {
		path := filepath.Join(t.TempDir(), "aicc.db")
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				db, err := Open(context.Background(), path)
				if err != nil {
					t.Error(err)
					return
				}
				if err := db.Close(); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
}

func migrationRows(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.r.QueryRow(`SELECT COUNT(*) FROM goose_db_version`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrationsDownUp(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, "")
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db.w, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	db.insertAttempt.Close() // holds the schema; reprepared below
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if db.insertAttempt, err = db.w.PrepareContext(ctx, insertAttemptSQL); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatalf("CreateScan after down and up: %v", err)
	}
}

func TestPragmas(t *testing.T) {
	db := openTest(t, "")
	tests := []struct {
		pragma string
		w, r   string
	}{
		{"journal_mode", "wal", "wal"},
		{"foreign_keys", "1", "1"},
		{"synchronous", "1", "1"}, // NORMAL
		{"busy_timeout", strconv.Itoa(busyTimeoutMS), strconv.Itoa(busyTimeoutMS)},
		{"query_only", "0", "1"},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			name string
			db   interface {
				QueryRow(string, ...any) *sql.Row
			}
			want string
		}{{"writer", db.w, tt.w}, {"reader", db.r, tt.r}} {
			var got string
			if err := c.db.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", c.name, tt.pragma, err)
			}
			if got != c.want {
				t.Errorf("%s: PRAGMA %s = %s, want %s", c.name, tt.pragma, got, c.want)
			}
		}
	}
}

// TestQueryPlansUseIndexes keeps every query off full table scans, and the
// unfiltered attempt listings off sorting.
func TestQueryPlansUseIndexes(t *testing.T) {
	db := openTest(t, "")
	list := func(f store.AttemptFilter) (string, []any) {
		q, args, err := listAttemptsQuery("sc_1", f)
		if err != nil {
			t.Fatal(err)
		}
		return q, args
	}
	type query struct {
		name   string
		sql    string
		args   []any
		want   string // in the plan
		noSort bool
	}
	tests := []query{
		{"count outcomes", countOutcomesSQL, []any{"sc_1"}, "COVERING INDEX attempts_scan_outcome", false},
		{"count outcomes of a phase", countPhaseOutcomesSQL, []any{"sc_1", "validation"}, "COVERING INDEX attempts_scan_outcome", false},
		{"attempt ids", attemptIDsSQL, []any{"sc_1"}, "COVERING INDEX attempts_scan_probe", true},
		{"list scans", listScansSQL + " LIMIT 10", nil, "INDEX scans_created_at", true},
	}
	for _, f := range []struct {
		name   string
		filter store.AttemptFilter
		want   string
		noSort bool
	}{
		{"list attempts", store.AttemptFilter{}, "INDEX attempts_scan_probe", true},
		{"list attempts by probe", store.AttemptFilter{ProbeID: "p", Limit: 5}, "INDEX attempts_scan_probe", true},
		{"list attempts by outcome", store.AttemptFilter{Outcome: aicc.OutcomeHit}, "INDEX attempts_scan_", false},
		{"list hits of a phase", store.AttemptFilter{Outcome: aicc.OutcomeHit, Phase: aicc.PhaseDiscovery, OmitTranscripts: true}, "INDEX attempts_scan_", false},
		{"list reruns of a hit", store.AttemptFilter{ValidationOf: "at_x"}, "INDEX attempts_scan_validation", true},
		{"list attempts by id", store.AttemptFilter{IDs: []string{"a", "b"}, Outcome: aicc.OutcomeHit}, "INDEX sqlite_autoindex_attempts_1 (id=?)", false},
	} {
		q, args := list(f.filter)
		tests = append(tests, query{f.name, q, args, f.want, f.noSort})
	}
	for _, tt := range tests {
		rows, err := db.r.Query("EXPLAIN QUERY PLAN "+tt.sql, tt.args...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, tt.want) {
			t.Errorf("%s: plan does not use %s:\n%s", tt.name, tt.want, text)
		}
		if tt.noSort && strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("%s: plan sorts:\n%s", tt.name, text)
		}
		for _, step := range plan {
			if (strings.HasPrefix(step, "SCAN attempts") || strings.HasPrefix(step, "SCAN scans")) && !strings.Contains(step, "INDEX") {
				t.Errorf("%s: full table scan:\n%s", tt.name, text)
			}
		}
	}
}

func TestInsertAttemptsCancelled(t *testing.T) {
	db := openTest(t, "")
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
	// The writer connection is still usable.
	if err := db.InsertAttempts(context.Background(), []*aicc.Attempt{a}); err != nil {
		t.Errorf("InsertAttempts after a cancelled one: %v", err)
	}
}

// BenchmarkInsertAttempts measures the engine's hot path: batches of 256
// attempts with ~1 KB transcripts.
func BenchmarkInsertAttempts(b *testing.B) {
	ctx := context.Background()
	db := openTest(b, "")
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
