package sqlstore

import (
	"context"
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// sealedTables says where each kind of sealed value lives.
var sealedTables = []struct {
	kind              store.SealedKind
	table, id, sealed string
}{
	{store.SealedCredential, "credentials", "submission_id", "sealed"},
	{store.SealedWebhookSecret, "webhook_subscriptions", "id", "secret_sealed"},
}

func (r reader) SealedValues(ctx context.Context) ([]store.Sealed, error) {
	var out []store.Sealed
	for _, t := range sealedTables {
		rows, err := r.q.QueryContext(ctx, `SELECT `+t.id+`, `+t.sealed+` FROM `+t.table+` ORDER BY `+t.id)
		if err != nil {
			return nil, fmt.Errorf("sealed values in %s: %w", t.table, err)
		}
		vs, err := collect(rows, func(rs rowScanner) (store.Sealed, error) {
			v := store.Sealed{Kind: t.kind}
			err := rs.Scan(&v.ID, &v.Value)
			return v, err
		})
		if err != nil {
			return nil, fmt.Errorf("sealed values in %s: %w", t.table, err)
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (t *tx) ReplaceSealed(ctx context.Context, s store.Sealed, next []byte) (bool, error) {
	if len(next) == 0 {
		return false, aicc.Errorf(aicc.KindInvalid, "replace sealed %s %s: empty value", s.Kind, s.ID)
	}
	for _, st := range sealedTables {
		if st.kind != s.Kind {
			continue
		}
		res, err := t.q.ExecContext(ctx, `UPDATE `+st.table+` SET `+st.sealed+` = ? WHERE `+st.id+` = ? AND `+st.sealed+` = ?`, next, s.ID, s.Value)
		if err != nil {
			return false, fmt.Errorf("replace sealed %s %s: %w", s.Kind, s.ID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, fmt.Errorf("replace sealed %s %s: %w", s.Kind, s.ID, err)
		}
		return n == 1, nil
	}
	return false, aicc.Errorf(aicc.KindInvalid, "replace sealed: unknown kind %q", s.Kind)
}
