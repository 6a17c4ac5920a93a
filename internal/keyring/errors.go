package keyring

import (
	"errors"
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// ErrOpen is returned, unwrapped and unchanged, for every sealed value that
// does not open: a wrong key, wrong associated data, altered, truncated or
// malformed data. It does not say which, so that a failed open tells an
// attacker nothing. Its kind is aicc.KindInvalid.
var ErrOpen error = &aicc.Error{
	Kind:    aicc.KindInvalid,
	Message: "keyring: cannot open sealed value: wrong key, wrong associated data, or damaged data",
}

// ErrUnknownKey is matched by errors.Is for every *UnknownKeyError.
var ErrUnknownKey = errors.New("keyring: unknown key ID")

// UnknownKeyError reports a sealed value whose key the keyring lacks: the
// key was removed from the key file, or this process has not loaded a key
// that another one added. Key IDs are not secret. aicc.KindOf reports it as
// aicc.KindInternal: the fault is in the configuration, not the caller.
type UnknownKeyError struct {
	ID     string // the ID recorded in the sealed value
	Source string // where the keyring came from, e.g. "key file /etc/aicc/keys"
}

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("keyring: value was sealed with key %q, but %s lacks that key; "+
		"restore the key from a backup of the key file (see docs/keys.md)", e.ID, e.Source)
}

// Is makes errors.Is(err, ErrUnknownKey) true.
func (e *UnknownKeyError) Is(target error) bool { return target == ErrUnknownKey }
