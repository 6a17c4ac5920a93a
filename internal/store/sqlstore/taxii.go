package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func (r reader) TAXIICollections(ctx context.Context) ([]string, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT name FROM taxii_collections ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("taxii collections: %w", err)
	}
	return collect(rows, func(rs rowScanner) (string, error) {
		var n string
		err := rs.Scan(&n)
		return n, err
	})
}

func (r reader) TAXIIObjects(ctx context.Context, q store.TAXIIQuery) ([]store.TAXIIObject, error) {
	sq := `SELECT collection, id, modified, added, type, spec_version, json FROM taxii_objects o WHERE collection = ?`
	args := []any{q.Collection}
	if !q.AfterAdded.IsZero() || q.AfterID != "" || !q.AfterModified.IsZero() {
		sq += ` AND (added, id, modified) > (?, ?, ?)`
		args = append(args, q.AfterAdded.UnixNano(), q.AfterID, q.AfterModified.UnixNano())
	}
	if !q.AddedAfter.IsZero() {
		sq += ` AND added >= ?`
		args = append(args, q.AddedAfter.Truncate(time.Millisecond).Add(time.Millisecond).UnixNano())
	}
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		sq += ` AND ` + col + ` IN (?` + strings.Repeat(`, ?`, len(vals)-1) + `)`
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("id", q.IDs)
	in("type", q.Types)
	if !q.AllVersions {
		var or []string
		if q.LastVersion || !q.FirstVersion && len(q.VersionsAt) == 0 {
			or = append(or, `NOT EXISTS (SELECT 1 FROM taxii_objects n WHERE n.collection = o.collection AND n.id = o.id AND n.modified > o.modified)`)
		}
		if q.FirstVersion {
			or = append(or, `NOT EXISTS (SELECT 1 FROM taxii_objects n WHERE n.collection = o.collection AND n.id = o.id AND n.modified < o.modified)`)
		}
		for _, at := range q.VersionsAt {
			ms := at.Truncate(time.Millisecond)
			or = append(or, `(modified >= ? AND modified < ?)`)
			args = append(args, ms.UnixNano(), ms.Add(time.Millisecond).UnixNano())
		}
		sq += ` AND (` + strings.Join(or, ` OR `) + `)`
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := r.q.QueryContext(ctx, sq+` ORDER BY added, id, modified LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("taxii objects of %s: %w", q.Collection, err)
	}
	return collect(rows, func(rs rowScanner) (store.TAXIIObject, error) {
		var o store.TAXIIObject
		var modified, added int64
		var js string
		if err := rs.Scan(&o.Collection, &o.ID, &modified, &added, &o.Type, &o.SpecVersion, &js); err != nil {
			return o, err
		}
		o.Modified, o.Added, o.JSON = time.Unix(0, modified).UTC(), time.Unix(0, added).UTC(), []byte(js)
		return o, nil
	})
}

func (t *tx) PutTAXIIObjects(ctx context.Context, objs []store.TAXIIObject) error {
	seen := map[string]bool{}
	for _, o := range objs {
		if o.Collection == "" || o.ID == "" || o.Type == "" || o.Modified.IsZero() || o.Added.IsZero() || len(o.JSON) == 0 {
			return aicc.Errorf(aicc.KindInvalid, "taxii object %q: collection, id, type, modified, added and JSON are required", o.ID)
		}
		if !seen[o.Collection] {
			seen[o.Collection] = true
			if _, err := t.q.ExecContext(ctx, `INSERT INTO taxii_collections (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
				o.Collection, o.Added.UnixNano()); err != nil {
				return fmt.Errorf("taxii collection %s: %w", o.Collection, err)
			}
		}
		_, err := t.q.ExecContext(ctx, `INSERT INTO taxii_objects (collection, id, modified, added, type, spec_version, json)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (collection, id, modified) DO NOTHING`,
			o.Collection, o.ID, o.Modified.UnixNano(), o.Added.UnixNano(), o.Type, o.SpecVersion, string(o.JSON))
		if err != nil {
			return fmt.Errorf("taxii object %s in %s: %w", o.ID, o.Collection, err)
		}
	}
	return nil
}
