package service

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// tokenPrefix starts every API token, so that secret scanners (and people)
// recognise one.
const tokenPrefix = "aicc_"

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newToken returns a new API token (256 random bits) and its hash.
func newToken() (aicc.Secret, []byte) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	raw := tokenPrefix + tokenEncoding.EncodeToString(b[:])
	return aicc.NewSecret(raw), hashToken(raw)
}

// hashToken is what the store keeps of a token. A token has 256 random
// bits, so a fast hash is enough: there is nothing to guess.
func hashToken(raw string) []byte {
	h := sha256.Sum256([]byte(raw))
	return h[:]
}

// errBadToken is the one answer to every token that does not authenticate,
// whatever the reason, so that the answer reveals nothing.
var errBadToken = &aicc.Error{Kind: aicc.KindUnauthorized, Message: "the API token is not valid: it is unknown, expired or revoked, or its user is disabled; ask an admin of your organization for a new one"}

// touchEvery is how often a token's use is written down: at its first use
// after start-up and then at most once per interval, so that reads do not
// each cost a write. Uses in between are counted, not dropped: the next
// `token.use` entry, or FlushTokenUses, records how many there were, so the
// audit log accounts for every authenticated request.
const touchEvery = time.Minute

// Authenticate returns the principal an API token stands for.
func (s *Service) Authenticate(ctx context.Context, raw string) (aicc.Principal, error) {
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, tokenPrefix) || len(raw) > 200 {
		return aicc.Principal{}, errBadToken
	}
	tk, u, o, err := s.st.TokenByHash(ctx, hashToken(raw))
	if errors.Is(err, aicc.ErrNotFound) {
		return aicc.Principal{}, errBadToken
	}
	if err != nil {
		return aicc.Principal{}, err
	}
	now := s.clock()
	if !tk.Active(now) || u.Disabled {
		return aicc.Principal{}, errBadToken
	}
	p := aicc.Principal{UserID: u.ID, OrgID: o.ID, OrgKind: o.Kind, Role: u.Role, TokenID: tk.ID}
	if use, ok := s.touches.use(p, now); ok {
		if err := s.writeTokenUse(ctx, use); err != nil {
			s.touches.restore(use)
			return aicc.Principal{}, err
		}
	}
	return p, nil
}

// FlushTokenUses writes down the uses of tokens counted since their last
// `token.use` entry. The server calls it every minute and when it stops.
func (s *Service) FlushTokenUses(ctx context.Context) error {
	var errs []error
	for _, use := range s.touches.pending() {
		if err := s.writeTokenUse(ctx, use); err != nil {
			s.touches.restore(use)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Service) writeTokenUse(ctx context.Context, u tokenUse) error {
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.TouchToken(ctx, u.p.TokenID, u.last); err != nil {
			return err
		}
		return s.record(ctx, tx, u.p, "token.use", "token", u.p.TokenID,
			map[string]any{"uses": u.uses, "first_use": u.first, "last_use": u.last})
	})
}

// tokenUse is a count of a token's uses not yet written down.
type tokenUse struct {
	p           aicc.Principal
	uses        int
	first, last time.Time
}

// touches counts each token's uses between `token.use` entries.
type touches struct {
	mu   sync.Mutex
	toks map[string]*tokenTouch
}

type tokenTouch struct {
	written time.Time // when the last entry was written
	open    tokenUse  // uses since then
}

// use counts one use of p's token at now. It returns the uses to write down
// when an entry is due: at the token's first use since start-up, and at
// the first use touchEvery after the last entry.
func (t *touches) use(p aicc.Principal, now time.Time) (tokenUse, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.toks == nil {
		t.toks = map[string]*tokenTouch{}
	}
	tt, seen := t.toks[p.TokenID]
	if !seen {
		tt = &tokenTouch{}
		t.toks[p.TokenID] = tt
	}
	if tt.open.uses == 0 {
		tt.open.first = now
	}
	tt.open.p, tt.open.last = p, now
	tt.open.uses++
	if seen && now.Sub(tt.written) < touchEvery {
		return tokenUse{}, false
	}
	u := tt.open
	tt.open, tt.written = tokenUse{}, now
	return u, true
}

// pending takes every count not yet written down.
func (t *touches) pending() []tokenUse {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []tokenUse
	for _, tt := range t.toks {
		if tt.open.uses > 0 {
			out = append(out, tt.open)
			tt.open, tt.written = tokenUse{}, tt.open.last
		}
	}
	return out
}

// restore puts back uses whose entry could not be written, so that the next
// entry counts them.
func (t *touches) restore(u tokenUse) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tt := t.toks[u.p.TokenID]
	if tt == nil {
		tt = &tokenTouch{}
		t.toks[u.p.TokenID] = tt
	}
	tt.open.uses += u.uses
	if tt.open.first.IsZero() || u.first.Before(tt.open.first) {
		tt.open.first = u.first
	}
	if u.last.After(tt.open.last) {
		tt.open.p, tt.open.last = u.p, u.last
	}
	tt.written = time.Time{}
}

// TokenInput asks for a new API token.
type TokenInput struct {
	UserID string        `json:"user_id"`
	Name   string        `json:"name"`
	TTL    time.Duration `json:"-"` // 0: the service's default; at most 1 year
}

// NewToken is a token as created: the only time its value is shown.
type NewToken struct {
	aicc.Token
	Value aicc.Secret `json:"-"`
}

// CreateToken creates an API token for a user.
func (s *Service) CreateToken(ctx context.Context, p aicc.Principal, in TokenInput) (*NewToken, error) {
	if in.TTL < 0 || in.TTL > 366*24*time.Hour {
		return nil, aicc.Errorf(aicc.KindInvalid, "token lifetime: must be between 1 second and 1 year")
	}
	var out *NewToken
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		u, err := tx.GetUser(ctx, in.UserID)
		if err != nil {
			return err
		}
		if err := check(p, authz.TokenCreate, authz.Resource{Kind: authz.KindToken, OwnerOrg: u.OrgID, OwnerUser: u.ID}); err != nil {
			return err
		}
		out, err = s.createToken(ctx, tx, p, u, in.Name, in.TTL)
		return err
	})
	return out, err
}

func (s *Service) createToken(ctx context.Context, tx store.ServiceTx, p aicc.Principal, u *aicc.User, name string, ttl time.Duration) (*NewToken, error) {
	if u.Disabled {
		return nil, aicc.Errorf(aicc.KindConflict, "user %s is disabled", u.ID)
	}
	if len(name) > 200 {
		return nil, aicc.Errorf(aicc.KindInvalid, "token name: at most 200 characters")
	}
	value, hash := newToken()
	now := s.clock()
	tk := aicc.Token{ID: aicc.NewID(aicc.PrefixToken), UserID: u.ID, Name: name, Hash: hash, CreatedAt: now, ExpiresAt: now.Add(cmp.Or(ttl, s.tokenTTL))}
	if err := tx.CreateToken(ctx, &tk); err != nil {
		return nil, err
	}
	tk.Hash = nil
	if err := s.record(ctx, tx, p, "token.create", "token", tk.ID, map[string]any{"user_id": u.ID, "expires_at": tk.ExpiresAt}); err != nil {
		return nil, err
	}
	return &NewToken{Token: tk, Value: value}, nil
}

// RevokeToken revokes a token at once.
func (s *Service) RevokeToken(ctx context.Context, p aicc.Principal, userID, tokenID string) error {
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		u, err := tx.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		if err := check(p, authz.TokenRevoke, authz.Resource{Kind: authz.KindToken, OwnerOrg: u.OrgID, OwnerUser: u.ID}); err != nil {
			return err
		}
		toks, err := tx.ListTokens(ctx, userID)
		if err != nil {
			return err
		}
		found := false
		for _, t := range toks {
			found = found || t.ID == tokenID
		}
		if !found {
			return &aicc.Error{Kind: aicc.KindNotFound, Message: "token " + tokenID + " of user " + userID + " not found"}
		}
		if err := tx.RevokeToken(ctx, tokenID, s.clock()); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "token.revoke", "token", tokenID, nil)
	})
}

// ListTokens lists a user's tokens, without their values.
func (s *Service) ListTokens(ctx context.Context, p aicc.Principal, userID string) ([]*aicc.Token, error) {
	u, err := s.st.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.TokenList, authz.Resource{Kind: authz.KindToken, OwnerOrg: u.OrgID, OwnerUser: u.ID}); err != nil {
		return nil, err
	}
	return s.st.ListTokens(ctx, userID)
}

// Idempotent returns the stored answer to an earlier create made by the
// principal with the same idempotency key.
func (s *Service) Idempotent(ctx context.Context, p aicc.Principal, key string) (*store.IdempotentResponse, error) {
	return s.st.Idempotent(ctx, p.UserID, key)
}

// RememberIdempotent stores the answer to a create made with an
// idempotency key.
func (s *Service) RememberIdempotent(ctx context.Context, p aicc.Principal, r *store.IdempotentResponse) error {
	r.UserID = p.UserID
	r.CreatedAt = s.clock()
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutIdempotent(ctx, r) })
}
