package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

const attemptColumns = `id, scan_id, probe_id, idx, repetition, phase, validation_of, class,
	outcome, reason, detector, evidence, transcript, transcript_raw, requests, input_tokens,
	output_tokens, started_at, finished_at`

// attemptColumnsBrief is attemptColumns without the transcript and evidence.
const attemptColumnsBrief = `id, scan_id, probe_id, idx, repetition, phase, validation_of, class,
	outcome, reason, detector, NULL::bytea, NULL::text, NULL::bytea, requests, input_tokens,
	output_tokens, started_at, finished_at`

// insertAttemptsSQL inserts a batch given as one array per column: one
// statement, so one round trip and one transaction whatever the batch's
// size. unnest keeps the arrays' order, so of two attempts with the same
// ID in a batch the first is kept.
const insertAttemptsSQL = `INSERT INTO attempts (` + attemptColumns + `)
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[],
		$6::text[], $7::text[], $8::text[], $9::text[], $10::bytea[], $11::text[], $12::bytea[],
		$13::text[], $14::bytea[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[],
		$19::bigint[])
	ON CONFLICT (id) DO NOTHING`

const attemptIDsSQL = `SELECT id FROM attempts WHERE scan_id = $1
	ORDER BY probe_id, idx, repetition, id`

const countOutcomesSQL = `SELECT probe_id, class, outcome, COUNT(*) FROM attempts
	WHERE scan_id = $1 GROUP BY probe_id, class, outcome`

const countPhaseOutcomesSQL = `SELECT probe_id, class, outcome, COUNT(*) FROM attempts
	WHERE scan_id = $1 AND phase = $2 GROUP BY probe_id, class, outcome`

// attemptBatch is a batch of attempts as one array per column.
type attemptBatch struct {
	id, scanID, probeID           []string
	index, repetition             []int64
	phase, validationOf, class    []string
	outcome                       []string
	reason                        [][]byte
	detector                      []string
	evidence                      [][]byte
	transcript                    []string
	transcriptRaw                 [][]byte
	requests, inputTok, outputTok []int64
	startedAt, finishedAt         []pgtype.Int8
}

func newAttemptBatch(attempts []*aicc.Attempt) (*attemptBatch, error) {
	n := len(attempts)
	b := &attemptBatch{
		id: make([]string, n), scanID: make([]string, n), probeID: make([]string, n),
		index: make([]int64, n), repetition: make([]int64, n),
		phase: make([]string, n), validationOf: make([]string, n), class: make([]string, n),
		outcome: make([]string, n), reason: make([][]byte, n), detector: make([]string, n),
		evidence: make([][]byte, n), transcript: make([]string, n), transcriptRaw: make([][]byte, n),
		requests: make([]int64, n), inputTok: make([]int64, n), outputTok: make([]int64, n),
		startedAt: make([]pgtype.Int8, n), finishedAt: make([]pgtype.Int8, n),
	}
	enc := newTranscriptEncoder()
	for i, a := range attempts {
		js, raw, err := enc.encode(a.Transcript)
		if err != nil {
			return nil, fmt.Errorf("transcript of %s: %w", a.ID, err)
		}
		b.id[i], b.scanID[i], b.probeID[i] = a.ID, a.ScanID, a.ProbeID
		b.index[i], b.repetition[i] = int64(a.Index), int64(a.Repetition)
		b.phase[i], b.validationOf[i], b.class[i] = string(a.Phase), a.ValidationOf, string(a.Class)
		b.outcome[i], b.reason[i], b.detector[i] = string(a.Outcome), textBytes(a.Reason), a.Detector
		b.evidence[i], b.transcript[i], b.transcriptRaw[i] = bytesValue(a.Evidence), js, raw
		b.requests[i], b.inputTok[i], b.outputTok[i] = int64(a.Requests), int64(a.InputTokens), int64(a.OutputTokens)
		b.startedAt[i], b.finishedAt[i] = timeValue(a.StartedAt), timeValue(a.FinishedAt)
	}
	return b, nil
}

func (b *attemptBatch) args() []any {
	return []any{b.id, b.scanID, b.probeID, b.index, b.repetition, b.phase, b.validationOf,
		b.class, b.outcome, b.reason, b.detector, b.evidence, b.transcript, b.transcriptRaw,
		b.requests, b.inputTok, b.outputTok, b.startedAt, b.finishedAt}
}

// InsertAttempts stores attempts in one transaction; those whose ID is
// already stored are left as they were.
func (db *DB) InsertAttempts(ctx context.Context, attempts []*aicc.Attempt) error {
	if len(attempts) == 0 {
		return nil
	}
	for _, a := range attempts {
		if err := checkAttempt(a); err != nil {
			return fmt.Errorf("insert attempts: %w", err)
		}
	}
	b, err := newAttemptBatch(attempts)
	if err != nil {
		return fmt.Errorf("insert attempts: %w", err)
	}
	if _, err := db.pool.Exec(ctx, insertAttemptsSQL, b.args()...); err != nil {
		return fmt.Errorf("insert attempts: %w", dbError(err, "attempt"))
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
	for _, f := range []struct{ name, value string }{
		{"id", a.ID}, {"scan id", a.ScanID}, {"probe id", a.ProbeID},
		{"validation of", a.ValidationOf}, {"class", string(a.Class)}, {"detector", a.Detector},
	} {
		if !storable(f.value) {
			return aicc.Errorf(aicc.KindInvalid, "attempt %q: %s %q is not UTF-8 text without NUL", a.ID, f.name, f.value)
		}
	}
	return nil
}

// AttemptIDs returns the IDs of every stored attempt of a scan, in
// ListAttempts order.
func (db *DB) AttemptIDs(ctx context.Context, scanID string) ([]string, error) {
	if !storable(scanID) {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, attemptIDsSQL, scanID)
	if err != nil {
		return nil, fmt.Errorf("attempt ids of %s: %w", scanID, dbError(err, "attempts"))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("attempt ids of %s: %w", scanID, dbError(err, "attempts"))
	}
	return ids, nil
}

// ListAttempts returns a scan's attempts matching f, ordered by probe ID,
// index, repetition. An empty f.IDs matches every ID.
func (db *DB) ListAttempts(ctx context.Context, scanID string, f store.AttemptFilter) ([]*aicc.Attempt, error) {
	q, args, ok := listAttemptsQuery(scanID, f)
	if !ok {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list attempts of %s: %w", scanID, dbError(err, "attempts"))
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
		return nil, fmt.Errorf("list attempts of %s: %w", scanID, dbError(err, "attempts"))
	}
	return attempts, nil
}

// listAttemptsQuery is the query of ListAttempts and its arguments; ok is
// false when f can match nothing stored, as when it names a value no TEXT
// column can hold.
func listAttemptsQuery(scanID string, f store.AttemptFilter) (q string, args []any, ok bool) {
	if !storable(scanID) || !storable(f.ProbeID) || !storable(f.ValidationOf) ||
		!storable(string(f.Outcome)) || !storable(string(f.Phase)) {
		return "", nil, false
	}
	var b strings.Builder
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	b.WriteString(`SELECT `)
	if f.OmitTranscripts {
		b.WriteString(attemptColumnsBrief)
	} else {
		b.WriteString(attemptColumns)
	}
	b.WriteString(` FROM attempts WHERE scan_id = ` + param(scanID))
	if len(f.IDs) > 0 {
		// One parameter however many IDs. IDs no TEXT can hold are
		// dropped: no attempt has them.
		ids := make([]string, 0, len(f.IDs))
		for _, id := range f.IDs {
			if storable(id) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return "", nil, false
		}
		b.WriteString(` AND id = ANY(` + param(ids) + `::text[])`)
	}
	for _, c := range []struct{ column, value string }{
		{"outcome", string(f.Outcome)}, {"probe_id", f.ProbeID},
		{"phase", string(f.Phase)}, {"validation_of", f.ValidationOf},
	} {
		if c.value == "" {
			continue
		}
		b.WriteString(` AND ` + c.column + ` = ` + param(c.value))
	}
	b.WriteString(` ORDER BY probe_id, idx, repetition, id`)
	if f.Limit > 0 {
		b.WriteString(` LIMIT ` + param(f.Limit))
	}
	return b.String(), args, true
}

// readAttempt reads one row of attemptColumns.
func readAttempt(rows pgx.Rows) (*aicc.Attempt, error) {
	var (
		a                         aicc.Attempt
		reason, evidence          []byte
		transcript, transcriptRaw []byte
		started, finished         pgtype.Int8
	)
	err := rows.Scan(&a.ID, &a.ScanID, &a.ProbeID, &a.Index, &a.Repetition, &a.Phase,
		&a.ValidationOf, &a.Class, &a.Outcome, &reason, &a.Detector, &evidence, &transcript,
		&transcriptRaw, &a.Requests, &a.InputTokens, &a.OutputTokens, &started, &finished)
	if err != nil {
		return nil, err
	}
	a.Reason = string(reason)
	if a.Transcript, err = decodeTranscript(transcript, transcriptRaw); err != nil {
		return nil, fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if evidence != nil {
		a.Evidence = evidence
	}
	a.StartedAt = timeFrom(started)
	a.FinishedAt = timeFrom(finished)
	return &a, nil
}

// CountOutcomes counts a scan's attempts of one phase (every phase when
// phase is empty) by outcome, by class and by probe.
func (db *DB) CountOutcomes(ctx context.Context, scanID string, phase aicc.Phase) (*store.OutcomeCounts, error) {
	c := &store.OutcomeCounts{
		ByOutcome: map[aicc.Outcome]int{},
		ByClass:   map[aicc.Class]map[aicc.Outcome]int{},
		ByProbe:   map[string]map[aicc.Outcome]int{},
	}
	if !storable(scanID) || !storable(string(phase)) {
		return c, nil
	}
	q, args := countOutcomesSQL, []any{scanID}
	if phase != "" {
		q, args = countPhaseOutcomesSQL, []any{scanID, string(phase)}
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count outcomes of %s: %w", scanID, dbError(err, "attempts"))
	}
	defer rows.Close()
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
		return nil, fmt.Errorf("count outcomes of %s: %w", scanID, dbError(err, "attempts"))
	}
	return c, nil
}
