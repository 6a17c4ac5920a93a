package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

const orgColumns = `id, name, kind, created_at`

func (t *tx) CreateOrg(ctx context.Context, o *aicc.Org) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("create org: %w", err)
	}
	if o.ID == "" || o.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "create org: id and created_at are required")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO orgs (`+orgColumns+`) VALUES (?, ?, ?, ?)`,
		o.ID, o.Name, string(o.Kind), o.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create org: %w", conflictOrErr(err, fmt.Sprintf("an organization named %q", o.Name)))
	}
	return nil
}

func readOrg(r rowScanner) (*aicc.Org, error) {
	var o aicc.Org
	var kind string
	var created int64
	if err := r.Scan(&o.ID, &o.Name, &kind, &created); err != nil {
		return nil, err
	}
	o.Kind = aicc.OrgKind(kind)
	o.CreatedAt = time.Unix(0, created).UTC()
	return &o, nil
}

func (r reader) GetOrg(ctx context.Context, id string) (*aicc.Org, error) {
	o, err := readOrg(r.q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("organization", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get org %s: %w", id, err)
	}
	return o, nil
}

func (r reader) ListOrgs(ctx context.Context, p store.Page) ([]*aicc.Org, string, error) {
	at, id, err := parseCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs
		WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`, at, id, p.Size()+1)
	if err != nil {
		return nil, "", fmt.Errorf("list orgs: %w", err)
	}
	out, err := collect(rows, readOrg)
	if err != nil {
		return nil, "", fmt.Errorf("list orgs: %w", err)
	}
	return page(out, p.Size(), func(o *aicc.Org) string { return cursor(o.CreatedAt, o.ID) })
}

const userColumns = `id, org_id, name, email, role, disabled, created_at`

func (t *tx) CreateUser(ctx context.Context, u *aicc.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if u.ID == "" || u.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "create user: id and created_at are required")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.OrgID, u.Name, u.Email, string(u.Role), boolInt(u.Disabled), u.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create user: %w", conflictOrErr(err, "user "+u.ID))
	}
	return nil
}

func (t *tx) UpdateUser(ctx context.Context, u *aicc.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE users SET name = ?, email = ?, role = ?, disabled = ? WHERE id = ?`,
		u.Name, u.Email, string(u.Role), boolInt(u.Disabled), u.ID)
	return affected(res, err, "user", u.ID)
}

func readUser(r rowScanner) (*aicc.User, error) {
	var u aicc.User
	var role string
	var disabled int
	var created int64
	if err := r.Scan(&u.ID, &u.OrgID, &u.Name, &u.Email, &role, &disabled, &created); err != nil {
		return nil, err
	}
	u.Role = aicc.MemberRole(role)
	u.Disabled = disabled != 0
	u.CreatedAt = time.Unix(0, created).UTC()
	return &u, nil
}

func (r reader) GetUser(ctx context.Context, id string) (*aicc.User, error) {
	u, err := readUser(r.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get user %s: %w", id, err)
	}
	return u, nil
}

func (r reader) ListUsers(ctx context.Context, orgID string, p store.Page) ([]*aicc.User, string, error) {
	at, id, err := parseCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE (created_at, id) > (?, ?)`
	args := []any{at, id}
	if orgID != "" {
		q += ` AND org_id = ?`
		args = append(args, orgID)
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY created_at, id LIMIT ?`, append(args, p.Size()+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list users: %w", err)
	}
	out, err := collect(rows, readUser)
	if err != nil {
		return nil, "", fmt.Errorf("list users: %w", err)
	}
	return page(out, p.Size(), func(u *aicc.User) string { return cursor(u.CreatedAt, u.ID) })
}

const tokenColumns = `id, user_id, name, created_at, expires_at, revoked_at, last_used_at`

func (t *tx) CreateToken(ctx context.Context, tk *aicc.Token) error {
	switch {
	case tk.ID == "" || tk.UserID == "" || tk.CreatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "create token: id, user and created_at are required")
	case len(tk.Hash) < 16:
		return aicc.Errorf(aicc.KindInvalid, "create token: hash is missing or too short")
	case !tk.ExpiresAt.After(tk.CreatedAt):
		return aicc.Errorf(aicc.KindInvalid, "create token: it must expire after it is created")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO tokens (id, user_id, name, hash, created_at, expires_at, revoked_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
		tk.ID, tk.UserID, tk.Name, tk.Hash, tk.CreatedAt.UnixNano(), tk.ExpiresAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create token: %w", conflictOrErr(err, "token "+tk.ID))
	}
	return nil
}

func (t *tx) RevokeToken(ctx context.Context, id string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, at.UnixNano(), id)
	return affected(res, err, "token", id)
}

func (t *tx) TouchToken(ctx context.Context, id string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, at.UnixNano(), id)
	return affected(res, err, "token", id)
}

func readToken(r rowScanner) (*aicc.Token, error) {
	var tk aicc.Token
	var created, expires int64
	var revoked, used sql.NullInt64
	if err := r.Scan(&tk.ID, &tk.UserID, &tk.Name, &created, &expires, &revoked, &used); err != nil {
		return nil, err
	}
	tk.CreatedAt = time.Unix(0, created).UTC()
	tk.ExpiresAt = time.Unix(0, expires).UTC()
	if revoked.Valid {
		t := timeFrom(revoked)
		tk.RevokedAt = &t
	}
	if used.Valid {
		t := timeFrom(used)
		tk.LastUsedAt = &t
	}
	return &tk, nil
}

func (r reader) TokenByHash(ctx context.Context, hash []byte) (*aicc.Token, *aicc.User, *aicc.Org, error) {
	row := r.q.QueryRowContext(ctx, `SELECT t.id, t.user_id, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
			u.id, u.org_id, u.name, u.email, u.role, u.disabled, u.created_at,
			o.id, o.name, o.kind, o.created_at
		FROM tokens t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id
		WHERE t.hash = ?`, hash)
	var (
		tk      aicc.Token
		u       aicc.User
		o       aicc.Org
		tc, te  int64
		tr, tu  sql.NullInt64
		role    string
		dis     int
		uc, oc  int64
		orgKind string
	)
	err := row.Scan(&tk.ID, &tk.UserID, &tk.Name, &tc, &te, &tr, &tu,
		&u.ID, &u.OrgID, &u.Name, &u.Email, &role, &dis, &uc,
		&o.ID, &o.Name, &orgKind, &oc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, &aicc.Error{Kind: aicc.KindNotFound, Message: "token not found"}
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("token by hash: %w", err)
	}
	tk.Hash = hash
	tk.CreatedAt, tk.ExpiresAt = time.Unix(0, tc).UTC(), time.Unix(0, te).UTC()
	if tr.Valid {
		t := timeFrom(tr)
		tk.RevokedAt = &t
	}
	if tu.Valid {
		t := timeFrom(tu)
		tk.LastUsedAt = &t
	}
	u.Role, u.Disabled, u.CreatedAt = aicc.MemberRole(role), dis != 0, time.Unix(0, uc).UTC()
	o.Kind, o.CreatedAt = aicc.OrgKind(orgKind), time.Unix(0, oc).UTC()
	return &tk, &u, &o, nil
}

func (r reader) ListTokens(ctx context.Context, userID string) ([]*aicc.Token, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	out, err := collect(rows, readToken)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// collect reads every row with read and closes rows.
func collect[T any](rows *sql.Rows, read func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := read(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// page cuts a list read with one extra row to size and returns the cursor
// of the next page, "" when there is none.
func page[T any](items []T, size int, cur func(T) string) ([]T, string, error) {
	if len(items) <= size {
		return items, "", nil
	}
	items = items[:size]
	return items, cur(items[size-1]), nil
}

// affected turns an UPDATE's result into not-found when it touched no row.
func affected(res sql.Result, err error, kind, id string) error {
	if err != nil {
		return fmt.Errorf("update %s %s: %w", kind, id, conflictOrErr(err, kind+" "+id))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update %s %s: %w", kind, id, err)
	}
	if n == 0 {
		return notFound(kind, id)
	}
	return nil
}
