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
	after := int64(-1 << 63)
	if !q.AfterAdded.IsZero() {
		after = q.AfterAdded.UnixNano()
	}
	sq := `SELECT collection, id, modified, added, type, spec_version, json FROM taxii_objects o
		WHERE collection = ? AND (added, id) > (?, ?)`
	args := []any{q.Collection, after, q.AfterID}
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
	switch {
	case len(q.VersionsAt) > 0:
		sq += ` AND modified IN (?` + strings.Repeat(`, ?`, len(q.VersionsAt)-1) + `)`
		for _, t := range q.VersionsAt {
			args = append(args, t.UnixNano())
		}
	case q.Versions == "" || q.Versions == "last":
		sq += ` AND NOT EXISTS (SELECT 1 FROM taxii_objects n WHERE n.collection = o.collection AND n.id = o.id AND n.modified > o.modified)`
	case q.Versions == "first":
		sq += ` AND NOT EXISTS (SELECT 1 FROM taxii_objects n WHERE n.collection = o.collection AND n.id = o.id AND n.modified < o.modified)`
	case q.Versions == "all":
	default:
		return nil, aicc.Errorf(aicc.KindInvalid, "taxii versions %q: want last, first or all", q.Versions)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := r.q.QueryContext(ctx, sq+` ORDER BY added, id LIMIT ?`, append(args, limit)...)
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
