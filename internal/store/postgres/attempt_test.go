package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/storetest"
)

// TestHostileText stores what a hostile model endpoint can put in an
// attempt, and what an error can put in a scan's stop reason: NUL bytes,
// invalid UTF-8, text that looks like the escapes used to store it. It all
// comes back byte for byte.
func TestHostileText(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	hostile := []string{
		"NUL \x00 in the middle",
		"invalid UTF-8 \xff\xfe and a lone continuation \x80",
		"truncated ☃: \xe2\x98",
		"a UTF-8-encoded surrogate \xed\xa0\x80",
		"valid U+FFFD \ufffd beside invalid \xff",
		`a literal \ufffd escape, \\ufffd, \u0000`,
		"\x00",
		"",
	}
	var attempts []*aicc.Attempt
	for i, s := range hostile {
		a := storetest.NewAttempt("sc_1", "p", i, 0, aicc.ClassJailbreak, aicc.OutcomeHit)
		a.Transcript[1].Content = s
		a.Transcript[2].ToolCalls[1].Arguments = s
		a.Transcript[3].Name = s
		a.Transcript = append(a.Transcript, aicc.Message{Role: aicc.RoleAssistant, Content: s})
		a.Reason = "detector quotes: " + s
		// Raw evidence bytes are kept as they are, JSON or not.
		a.Evidence = json.RawMessage(`{"excerpt":"` + s + `"}`)
		attempts = append(attempts, a)
	}
	if err := db.InsertAttempts(ctx, attempts); err != nil {
		t.Fatalf("InsertAttempts: %v", err)
	}
	got, err := db.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatalf("ListAttempts: %v", err)
	}
	if len(got) != len(attempts) {
		t.Fatalf("ListAttempts: %d attempts, want %d", len(got), len(attempts))
	}
	for i, want := range attempts {
		g := got[i]
		if g.Reason != want.Reason {
			t.Errorf("attempt %d: Reason = %q, want %q", i, g.Reason, want.Reason)
		}
		if string(g.Evidence) != string(want.Evidence) {
			t.Errorf("attempt %d: Evidence = %q, want %q", i, g.Evidence, want.Evidence)
		}
		if !reflect.DeepEqual(g.Transcript, want.Transcript) {
			t.Errorf("attempt %d: Transcript = %q, want %q", i, g.Transcript, want.Transcript)
		}
	}

	for _, s := range hostile {
		sc := testScan("sc_1")
		sc.StopReason = "target: " + s
		if err := db.UpdateScan(ctx, sc); err != nil {
			t.Fatalf("UpdateScan: %v", err)
		}
		got, err := db.GetScan(ctx, "sc_1")
		if err != nil {
			t.Fatalf("GetScan: %v", err)
		}
		if got.StopReason != sc.StopReason {
			t.Errorf("StopReason = %q, want %q", got.StopReason, sc.StopReason)
		}
	}
}

// TestTranscriptColumns checks what SQL sees: the JSON of every transcript,
// and the exact copy only where the JSON lost bytes.
func TestTranscriptColumns(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	clean := storetest.NewAttempt("sc_1", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomePass)
	dirty := storetest.NewAttempt("sc_1", "p", 1, 0, aicc.ClassJailbreak, aicc.OutcomePass)
	dirty.Transcript[1].Content = "bad \xff byte"
	for _, a := range []*aicc.Attempt{clean, dirty} {
		a.Transcript = a.Transcript[:4] // the last message holds a NUL, which jsonb cannot
	}
	if err := db.InsertAttempts(ctx, []*aicc.Attempt{clean, dirty}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a       *aicc.Attempt
		wantRaw bool
	}{{clean, false}, {dirty, true}} {
		var content string
		var hasRaw bool
		err := db.pool.QueryRow(ctx, `SELECT transcript::jsonb -> 1 ->> 'content', transcript_raw IS NOT NULL
			FROM attempts WHERE id = $1`, tt.a.ID).Scan(&content, &hasRaw)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.ToValidUTF8(tt.a.Transcript[1].Content, "\ufffd"); content != want {
			t.Errorf("%s: JSON content %q, want %q", tt.a.ID, content, want)
		}
		if hasRaw != tt.wantRaw {
			t.Errorf("%s: transcript_raw stored: %v, want %v", tt.a.ID, hasRaw, tt.wantRaw)
		}
	}
}

// TestUnstorableIdentifiers: an identifier no TEXT column can hold fails a
// write as invalid input, and a lookup by one finds nothing.
func TestUnstorableIdentifiers(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	good := storetest.NewAttempt("sc_1", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomePass)
	if err := db.InsertAttempts(ctx, []*aicc.Attempt{good}); err != nil {
		t.Fatal(err)
	}

	writes := []struct {
		name string
		do   func() error
	}{
		{"scan id", func() error { return db.CreateScan(ctx, testScan("sc_\x00")) }},
		{"scan target", func() error {
			s := testScan("sc_2")
			s.Target = "\xff"
			return db.CreateScan(ctx, s)
		}},
		{"scan status", func() error {
			s := testScan("sc_1")
			s.Status = "running\x00"
			return db.UpdateScan(ctx, s)
		}},
		{"probe id", func() error {
			return db.InsertAttempts(ctx, []*aicc.Attempt{
				storetest.NewAttempt("sc_1", "p", 1, 0, aicc.ClassJailbreak, aicc.OutcomePass),
				storetest.NewAttempt("sc_1", "p\x00", 2, 0, aicc.ClassJailbreak, aicc.OutcomePass),
			})
		}},
		{"detector", func() error {
			a := storetest.NewAttempt("sc_1", "p", 3, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			a.Detector = "\xc0"
			return db.InsertAttempts(ctx, []*aicc.Attempt{a})
		}},
	}
	for _, tt := range writes {
		if err := tt.do(); aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("%s: error %v, want kind %s", tt.name, err, aicc.KindInvalid)
		}
	}
	if ids, err := db.AttemptIDs(ctx, "sc_1"); err != nil || len(ids) != 1 {
		t.Errorf("after failed writes AttemptIDs = %v, %v; want only %s", ids, err, good.ID)
	}

	if _, err := db.GetScan(ctx, "sc_1\x00"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("GetScan: %v, want not found", err)
	}
	if err := db.UpdateScan(ctx, testScan("sc_\xff")); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("UpdateScan: %v, want not found", err)
	}
	if ids, err := db.AttemptIDs(ctx, "sc_1\xff"); err != nil || len(ids) != 0 {
		t.Errorf("AttemptIDs = %v, %v; want none", ids, err)
	}
	if c, err := db.CountOutcomes(ctx, "sc_1", "discovery\x00"); err != nil || c.Total != 0 {
		t.Errorf("CountOutcomes = %+v, %v; want none", c, err)
	}
	for _, f := range []store.AttemptFilter{
		{ProbeID: "p\x00"},
		{ValidationOf: "\xff"},
		{Outcome: "pass\x00"},
		{IDs: []string{"\xff", "\x00"}},
	} {
		if got, err := db.ListAttempts(ctx, "sc_1", f); err != nil || len(got) != 0 {
			t.Errorf("ListAttempts(%+v) = %d attempts, %v; want none", f, len(got), err)
		}
	}
	// Unstorable IDs beside a stored one do not hide it.
	got, err := db.ListAttempts(ctx, "sc_1", store.AttemptFilter{IDs: []string{"\xff", good.ID}})
	if err != nil || len(got) != 1 {
		t.Errorf("ListAttempts by IDs = %d attempts, %v; want 1", len(got), err)
	}
}

// TestInsertAttemptsDuplicateInBatch: of two attempts with one ID in a
// batch, the first is kept, as a replay of them one by one would.
func TestInsertAttemptsDuplicateInBatch(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.CreateScan(ctx, testScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	first := storetest.NewAttempt("sc_1", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomeHit)
	second := *first
	second.Outcome, second.Reason = aicc.OutcomePass, "second"
	if err := db.InsertAttempts(ctx, []*aicc.Attempt{first, &second}); err != nil {
		t.Fatalf("InsertAttempts: %v", err)
	}
	got, err := db.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Outcome != first.Outcome || got[0].Reason != first.Reason {
		t.Errorf("stored %d attempts, first %+v; want only the first of the batch", len(got), got[0])
	}
}

func TestInsertAttemptsUnknownScanIsInvalid(t *testing.T) {
	db := openTest(t)
	a := storetest.NewAttempt("sc_missing", "p", 0, 0, aicc.ClassJailbreak, aicc.OutcomeHit)
	err := db.InsertAttempts(context.Background(), []*aicc.Attempt{a})
	if kind := aicc.KindOf(err); kind != aicc.KindInvalid {
		t.Errorf("kind %q, want %q: %v", kind, aicc.KindInvalid, err)
	}
}

// TestQueryPlansUseIndexes keeps every query off full table scans, and the
// unfiltered attempt listings off sorting. Sequential scans and sorts are
// disabled, so a plan still containing one has no index to do without it.
func TestQueryPlansUseIndexes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SET LOCAL enable_sort = off`); err != nil {
		t.Fatal(err)
	}

	type query struct {
		name   string
		sql    string
		args   []any
		want   string // in the plan
		noSort bool
	}
	tests := []query{
		{"count outcomes", countOutcomesSQL, []any{"sc_1"}, "attempts_scan_", false},
		{"count outcomes of a phase", countPhaseOutcomesSQL, []any{"sc_1", "validation"}, "attempts_scan_", false},
		{"attempt ids", attemptIDsSQL, []any{"sc_1"}, "attempts_scan_probe", true},
		{"list scans", listScansSQL + " LIMIT 10", nil, "scans_created_at", true},
		{"get scan", `SELECT ` + scanColumns + ` FROM scans WHERE id = $1`, []any{"sc_1"}, "scans_pkey", true},
	}
	for _, f := range []struct {
		name   string
		filter store.AttemptFilter
		want   string
		noSort bool
	}{
		{"list attempts", store.AttemptFilter{}, "attempts_scan_probe", true},
		{"list attempts by probe", store.AttemptFilter{ProbeID: "p", Limit: 5}, "attempts_scan_probe", true},
		{"list attempts by outcome", store.AttemptFilter{Outcome: aicc.OutcomeHit}, "attempts_scan_", false},
		{"list hits of a phase", store.AttemptFilter{Outcome: aicc.OutcomeHit, Phase: aicc.PhaseDiscovery, OmitTranscripts: true}, "attempts_scan_", false},
		{"list reruns of a hit", store.AttemptFilter{ValidationOf: "at_x"}, "attempts_scan_validation", true},
		{"list attempts by id", store.AttemptFilter{IDs: []string{"a", "b"}, Outcome: aicc.OutcomeHit}, "attempts_", false},
	} {
		q, args, ok := listAttemptsQuery("sc_1", f.filter)
		if !ok {
			t.Fatalf("%s: no query", f.name)
		}
		tests = append(tests, query{f.name, q, args, f.want, f.noSort})
	}
	for _, tt := range tests {
		rows, err := tx.Query(ctx, "EXPLAIN "+tt.sql, tt.args...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, tt.want) {
			t.Errorf("%s: plan does not use %s:\n%s", tt.name, tt.want, text)
		}
		if strings.Contains(text, "Seq Scan") {
			t.Errorf("%s: full table scan:\n%s", tt.name, text)
		}
		if tt.noSort && strings.Contains(text, "Sort") {
			t.Errorf("%s: plan sorts:\n%s", tt.name, text)
		}
	}
}
