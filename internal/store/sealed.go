package store

import "context"

// SealedKind names a kind of value the store keeps sealed by the keyring.
type SealedKind string

// The values sealed at rest.
const (
	SealedCredential    SealedKind = "credential"     // a submission's endpoint credential; ID is the submission's
	SealedWebhookSecret SealedKind = "webhook_secret" // a subscription's signing secret; ID is the subscription's
)

// Sealed is one value sealed at rest, as stored: the store never sees it in
// clear.
type Sealed struct {
	Kind  SealedKind
	ID    string
	Value []byte
}

// SealedReader lists the sealed values, so that they can be moved to a new
// key after a rotation.
type SealedReader interface {
	// SealedValues returns every sealed value, ordered by kind and ID.
	SealedValues(ctx context.Context) ([]Sealed, error)
}

// SealedWriter replaces sealed values.
type SealedWriter interface {
	// ReplaceSealed writes next in place of s.Value, only if the stored
	// value still is s.Value: it reports false when the value has changed
	// or gone since it was read, and leaves it alone.
	ReplaceSealed(ctx context.Context, s Sealed, next []byte) (bool, error)
}
