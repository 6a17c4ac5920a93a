package audit

import (
	"bytes"
	"encoding/json"
	"regexp"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Entry is one record of the audit log.
//
// A store must keep every field exactly as Next returned it and give it
// back unchanged: Seq as a unique key; Time to the microsecond (Next
// truncates it, so nothing finer is lost); the strings byte for byte;
// Detail as the exact bytes (a text or blob column, not a JSON type that
// reorders keys, such as PostgreSQL's jsonb), nil and empty being the same;
// PrevHash and Hash as bytes. Any other change is, to Verify, tampering.
type Entry struct {
	Seq         int64     `json:"seq"`                     // 1, 2, 3, … without gaps
	Time        time.Time `json:"time"`                    // UTC, microsecond precision
	ActorUserID string    `json:"actor_user_id,omitempty"` // who acted ("" for the system)
	ActorOrgID  string    `json:"actor_org_id,omitempty"`  // the actor's organization
	TokenID     string    `json:"token_id,omitempty"`      // the API token used, if any
	// Action is "<object>.<verb>", e.g. "submission.create",
	// "evidence.read", "token.use".
	Action     string `json:"action"`
	ObjectKind string `json:"object_kind,omitempty"` // e.g. "submission"
	ObjectID   string `json:"object_id,omitempty"`
	// Detail is a small canonical JSON object (see CanonicalDetail) with
	// what else an auditor needs, e.g. the old and new state. Never secrets.
	Detail   json.RawMessage `json:"detail,omitempty"`
	PrevHash []byte          `json:"prev_hash"` // the previous entry's Hash; Genesis for entry 1
	Hash     []byte          `json:"hash"`      // over all the fields above
}

// MaxDetail is the largest Detail Validate accepts, in bytes.
const MaxDetail = 4096

var actionPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// Validate names the first field of e, as given to Next, that is wrong:
// an Action that is not "<object>.<verb>" in lower case, a zero Time, or a
// Detail that is not a small canonical JSON object. Next does not call it;
// the code that records an action does, before Next.
func (e *Entry) Validate() error {
	switch {
	case !actionPattern.MatchString(e.Action):
		return aicc.Errorf(aicc.KindInvalid, "audit action %q: must be <object>.<verb> in lower case, e.g. submission.create", e.Action)
	case e.Time.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "audit time: required")
	case len(e.Detail) > MaxDetail:
		return aicc.Errorf(aicc.KindInvalid, "audit detail: %d bytes, at most %d", len(e.Detail), MaxDetail)
	}
	d, err := CanonicalDetail(e.Detail)
	if err != nil {
		return err
	}
	if !bytes.Equal(d, e.Detail) && len(e.Detail) > 0 {
		return aicc.Errorf(aicc.KindInvalid, "audit detail: not canonical JSON (build it with DetailOf or CanonicalDetail)")
	}
	return nil
}
