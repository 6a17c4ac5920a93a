package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/store"
)

// These operations serve the operator who holds the key file (`aicc
// keyring`), not API callers: they take no principal, and their audit
// entries have the system as actor.

// KeyUse is how many stored values each key seals.
type KeyUse struct {
	Primary string     `json:"primary"` // the key that seals new values
	Keys    []KeyCount `json:"keys"`
	// Malformed counts stored values that name no key at all (damaged).
	Malformed int `json:"malformed"`
}

// KeyCount is how many stored values one key seals.
type KeyCount struct {
	ID string `json:"id"`
	// Loaded is false for a key that values name but the keyring lacks:
	// those values cannot be opened until the key is restored.
	Loaded         bool `json:"loaded"`
	Credentials    int  `json:"credentials"`
	WebhookSecrets int  `json:"webhook_secrets"`
}

// Total is the number of values the key seals.
func (k KeyCount) Total() int { return k.Credentials + k.WebhookSecrets }

// KeyUsage counts the stored sealed values by the key that sealed them,
// listing every key of the keyring (the primary first) and every key a
// value names.
func (s *Service) KeyUsage(ctx context.Context) (*KeyUse, error) {
	vs, err := s.st.SealedValues(ctx)
	if err != nil {
		return nil, err
	}
	u := &KeyUse{Primary: s.keys.PrimaryID()}
	at := map[string]int{}
	for _, id := range s.keys.IDs() {
		at[id] = len(u.Keys)
		u.Keys = append(u.Keys, KeyCount{ID: id, Loaded: true})
	}
	for _, v := range vs {
		id, ok := keyring.SealedBy(v.Value)
		if !ok {
			u.Malformed++
			continue
		}
		i, seen := at[id]
		if !seen {
			i = len(u.Keys)
			at[id] = i
			u.Keys = append(u.Keys, KeyCount{ID: id})
		}
		switch v.Kind {
		case store.SealedCredential:
			u.Keys[i].Credentials++
		case store.SealedWebhookSecret:
			u.Keys[i].WebhookSecrets++
		}
	}
	return u, nil
}

// ResealReport says what Reseal did.
type ResealReport struct {
	Primary  string `json:"primary"`
	Resealed int    `json:"resealed"` // moved to the primary key
	Current  int    `json:"current"`  // already under it
	// Changed counts values written or deleted by someone else while the
	// reseal ran; they were left alone (a new value is sealed under the
	// primary key of the process that wrote it). Run again to be sure.
	Changed int             `json:"changed"`
	Failed  []ResealFailure `json:"failed,omitempty"`
}

// ResealFailure is a value that could not be resealed.
type ResealFailure struct {
	Kind  store.SealedKind `json:"kind"`
	ID    string           `json:"id"`
	Error string           `json:"error"`
}

// Reseal moves every stored sealed value (endpoint credentials, webhook
// secrets) to the keyring's primary key, so that older keys can be
// retired. A value that does not open (its key is missing, or it is
// damaged) is reported and left as it is; the others are resealed all the
// same. Each value is replaced only if it has not changed since it was
// read, and the run is recorded in the audit log as `keyring.reseal`.
func (s *Service) Reseal(ctx context.Context) (*ResealReport, error) {
	vs, err := s.st.SealedValues(ctx)
	if err != nil {
		return nil, err
	}
	r := &ResealReport{Primary: s.keys.PrimaryID()}
	type change struct {
		v    store.Sealed
		next []byte
	}
	var changes []change
	from := map[string]int{}
	for _, v := range vs {
		if !s.keys.NeedsReseal(v.Value) {
			r.Current++
			continue
		}
		next, err := s.keys.Reseal(v.Value, sealedAAD(v))
		if err != nil {
			r.Failed = append(r.Failed, ResealFailure{Kind: v.Kind, ID: v.ID, Error: err.Error()})
			continue
		}
		id, _ := keyring.SealedBy(v.Value)
		from[id]++
		changes = append(changes, change{v, next})
	}
	if len(changes) == 0 && len(r.Failed) == 0 {
		return r, nil
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		r.Resealed, r.Changed = 0, 0
		for _, c := range changes {
			ok, err := tx.ReplaceSealed(ctx, c.v, c.next)
			if err != nil {
				return err
			}
			if ok {
				r.Resealed++
			} else {
				r.Changed++
			}
		}
		failed := make([]string, 0, len(r.Failed))
		for _, f := range r.Failed {
			failed = append(failed, string(f.Kind)+" "+f.ID)
		}
		slices.Sort(failed)
		return s.record(ctx, tx, system, "keyring.reseal", "keyring", r.Primary,
			map[string]any{"resealed": r.Resealed, "from_keys": from, "changed": r.Changed, "failed": failed})
	})
	if err != nil {
		return nil, fmt.Errorf("reseal: %w", err)
	}
	return r, nil
}

// RecordKeyChange writes a change of the key file (`keyring.rotate`,
// `keyring.retire`) to the audit log: which key, and the key IDs the file
// holds now, the primary first.
func (s *Service) RecordKeyChange(ctx context.Context, action, keyID string, keys []string) error {
	if action != "keyring.rotate" && action != "keyring.retire" {
		return aicc.Errorf(aicc.KindInvalid, "record key change: unknown action %q", action)
	}
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return s.record(ctx, tx, system, action, "keyring", keyID,
			map[string]any{"keys": keys})
	})
}

// sealedAAD is the associated data a stored value was sealed with.
func sealedAAD(v store.Sealed) []byte {
	if v.Kind == store.SealedWebhookSecret {
		return webhookAAD(v.ID)
	}
	return credentialAAD(v.ID)
}
