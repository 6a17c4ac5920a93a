package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

const attemptColumns = `id, scan_id, probe_id, idx, repetition, phase, validation_of, class,
	outcome, reason, detector, evidence, transcript, requests, input_tokens, output_tokens,
	started_at, finished_at`

// attemptColumnsBrief is attemptColumns without the transcript and evidence.
const attemptColumnsBrief = `id, scan_id, probe_id, idx, repetition, phase, validation_of, class,
	outcome, reason, detector, NULL, NULL, requests, input_tokens, output_tokens,
	started_at, finished_at`

const insertAttemptSQL = `INSERT INTO attempts (` + attemptColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO NOTHING`

const attemptIDsSQL = `SELECT id FROM attempts WHERE scan_id = ?
	ORDER BY probe_id, idx, repetition, id`

const countOutcomesSQL = `SELECT probe_id, class, outcome, COUNT(*) FROM attempts
	WHERE scan_id = ? GROUP BY probe_id, class, outcome`

const countPhaseOutcomesSQL = `SELECT probe_id, class, outcome, COUNT(*) FROM attempts
	WHERE scan_id = ? AND phase = ? GROUP BY probe_id, class, outcome`

// InsertAttempts stores attempts in one transaction; those whose ID is
// already stored are left as they were.
func (db *DB) InsertAttempts(ctx context.Context, attempts []*aicc.Attempt) (err error) {
	if len(attempts) == 0 {
		return nil
	}
	for _, a := range attempts {
		if err := checkAttempt(a); err != nil {
			return fmt.Errorf("insert attempts: %w", err)
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("insert attempts: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	stmt := tx.StmtContext(ctx, db.insertAttempt)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // transcripts are full of <, > and &
	for _, a := range attempts {
		buf.Reset()
		if err := enc.Encode(a.Transcript); err != nil {
			return fmt.Errorf("insert attempts: transcript of %s: %w", a.ID, err)
		}
		transcript := bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
		_, err := stmt.ExecContext(ctx, a.ID, a.ScanID, a.ProbeID, a.Index, a.Repetition,
			string(a.Phase), a.ValidationOf, string(a.Class), string(a.Outcome), a.Reason,
			a.Detector, textValue(a.Evidence),
			string(transcript), a.Requests, a.InputTokens, a.OutputTokens,
			timeValue(a.StartedAt), timeValue(a.FinishedAt))
		if err != nil {
			return fmt.Errorf("insert attempts: %s: %w", a.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("insert attempts: %w", err)
	}
	return nil
}

func checkAttempt(a *aicc.Attempt) error {
	switch {
	case a == nil:
		return aicc.Errorf(aicc.KindInvalid, "nil attempt")
	case a.ID == "":
		return aicc.Errorf(aicc.KindInvalid, "attempt has no id")
	case a.ScanID == "":
		return aicc.Errorf(aicc.KindInvalid, "attempt %s has no scan id", a.ID)
	case !a.Outcome.Valid():
		return aicc.Errorf(aicc.KindInvalid, "attempt %s has invalid outcome %q", a.ID, a.Outcome)
	case !a.Phase.Valid():
		return aicc.Errorf(aicc.KindInvalid, "attempt %s has invalid phase %q", a.ID, a.Phase)
	case a.Phase == aicc.PhaseValidation && a.ValidationOf == "":
		return aicc.Errorf(aicc.KindInvalid, "validation attempt %s does not name the hit it validates", a.ID)
	case a.Phase == aicc.PhaseDiscovery && a.ValidationOf != "":
		return aicc.Errorf(aicc.KindInvalid, "discovery attempt %s names a hit it validates", a.ID)
	}
	return nil
}

// AttemptIDs returns the IDs of every stored attempt of a scan, in
// ListAttempts order.
func (db *DB) AttemptIDs(ctx context.Context, scanID string) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, attemptIDsSQL, scanID)
	if err != nil {
		return nil, fmt.Errorf("attempt ids of %s: %w", scanID, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("attempt ids of %s: %w", scanID, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("attempt ids of %s: %w", scanID, err)
	}
	return ids, nil
}

// ListAttempts returns a scan's attempts matching f, ordered by probe ID,
// index, repetition. An empty f.IDs matches every ID.
func (db *DB) ListAttempts(ctx context.Context, scanID string, f store.AttemptFilter) ([]*aicc.Attempt, error) {
	q, args, err := listAttemptsQuery(scanID, f)
	if err != nil {
		return nil, fmt.Errorf("list attempts of %s: %w", scanID, err)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list attempts of %s: %w", scanID, err)
	}
	defer rows.Close()
	var attempts []*aicc.Attempt
	for rows.Next() {
		a, err := readAttempt(rows)
		if err != nil {
			return nil, fmt.Errorf("list attempts of %s: %w", scanID, err)
		}
		attempts = append(attempts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list attempts of %s: %w", scanID, err)
	}
	return attempts, nil
}

// listAttemptsQuery is the query of ListAttempts and its arguments.
func listAttemptsQuery(scanID string, f store.AttemptFilter) (string, []any, error) {
	var (
		q    strings.Builder
		args []any
	)
	q.WriteString(`SELECT `)
	if f.OmitTranscripts {
		q.WriteString(attemptColumnsBrief)
	} else {
		q.WriteString(attemptColumns)
	}
	q.WriteString(` FROM attempts WHERE `)
	if len(f.IDs) > 0 {
		// One parameter however many IDs: a JSON array, expanded by
		// json_each (PostgreSQL: id = ANY($n) with a text[]). The unary +
		// keeps SQLite from scanning the scan's index: it looks the IDs up
		// by primary key instead, which is far faster for a few IDs.
		ids, err := json.Marshal(f.IDs)
		if err != nil {
			return "", nil, err
		}
		q.WriteString(`id IN (SELECT value FROM json_each(?)) AND +scan_id = ?`)
		args = append(args, string(ids), scanID)
	} else {
		q.WriteString(`scan_id = ?`)
		args = append(args, scanID)
	}
	if f.Outcome != "" {
		q.WriteString(` AND outcome = ?`)
		args = append(args, string(f.Outcome))
	}
	if f.ProbeID != "" {
		q.WriteString(` AND probe_id = ?`)
		args = append(args, f.ProbeID)
	}
	if f.Phase != "" {
		q.WriteString(` AND phase = ?`)
		args = append(args, string(f.Phase))
	}
	if f.ValidationOf != "" {
		q.WriteString(` AND validation_of = ?`)
		args = append(args, f.ValidationOf)
	}
	q.WriteString(` ORDER BY probe_id, idx, repetition, id`)
	if f.Limit > 0 {
		q.WriteString(` LIMIT ?`)
		args = append(args, f.Limit)
	}
	return q.String(), args, nil
}

// readAttempt reads one row of attemptColumns.
func readAttempt(rows *sql.Rows) (*aicc.Attempt, error) {
	var (
		a                 aicc.Attempt
		evidence          []byte
		transcript        sql.RawBytes // decoded before the next row
		started, finished sql.NullInt64
	)
	err := rows.Scan(&a.ID, &a.ScanID, &a.ProbeID, &a.Index, &a.Repetition, &a.Phase,
		&a.ValidationOf, &a.Class, &a.Outcome, &a.Reason, &a.Detector, &evidence, &transcript,
		&a.Requests, &a.InputTokens, &a.OutputTokens, &started, &finished)
	if err != nil {
		return nil, err
	}
	if transcript != nil { // NULL when the listing omits transcripts
		if err := json.Unmarshal(transcript, &a.Transcript); err != nil {
			return nil, fmt.Errorf("transcript of %s: %w", a.ID, err)
		}
	}
	if evidence != nil {
		a.Evidence = json.RawMessage(evidence)
	}
	a.StartedAt = timeFrom(started)
	a.FinishedAt = timeFrom(finished)
	return &a, nil
}

// CountOutcomes counts a scan's attempts of one phase (every phase when
// phase is empty) by outcome, by class and by probe.
func (db *DB) CountOutcomes(ctx context.Context, scanID string, phase aicc.Phase) (*store.OutcomeCounts, error) {
	q, args := countOutcomesSQL, []any{scanID}
	if phase != "" {
		q, args = countPhaseOutcomesSQL, []any{scanID, string(phase)}
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count outcomes of %s: %w", scanID, err)
	}
	defer rows.Close()
	c := &store.OutcomeCounts{
		ByOutcome: map[aicc.Outcome]int{},
		ByClass:   map[aicc.Class]map[aicc.Outcome]int{},
		ByProbe:   map[string]map[aicc.Outcome]int{},
	}
	for rows.Next() {
		var (
			probe   string
			class   aicc.Class
			outcome aicc.Outcome
			n       int
		)
		if err := rows.Scan(&probe, &class, &outcome, &n); err != nil {
			return nil, fmt.Errorf("count outcomes of %s: %w", scanID, err)
		}
		c.Total += n
		c.ByOutcome[outcome] += n
		if c.ByProbe[probe] == nil {
			c.ByProbe[probe] = map[aicc.Outcome]int{}
		}
		c.ByProbe[probe][outcome] += n
		if c.ByClass[class] == nil {
			c.ByClass[class] = map[aicc.Outcome]int{}
		}
		c.ByClass[class][outcome] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count outcomes of %s: %w", scanID, err)
	}
	return c, nil
}
