package stix

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// Namespace is the UUIDv5 namespace of every ID this package derives. It
// was drawn at random once and must never change: the IDs of published
// objects depend on it.
var Namespace = uuid.MustParse("f1b79a26-11b3-427c-a5e4-25789c0c9a19")

const specVersion = "2.1"

// Object is one STIX object as the TAXII server serves it: byte for byte,
// keyed by ID and Modified (for a marking-definition, which has no
// modified, its created).
type Object struct {
	ID       string
	Type     string
	Modified time.Time
	JSON     json.RawMessage
}

// Objects returns the STIX objects for one advisory as p publishes it,
// sorted by type then ID, with the marking-definitions they use.
func Objects(a *advisory.Advisory, p advisory.Publisher) ([]Object, error) {
	if a == nil {
		return nil, errors.New("stix objects: no advisory")
	}
	objs, err := build(a, p)
	if err != nil {
		return nil, fmt.Errorf("stix objects for %s: %w", a.ID, err)
	}
	sortObjects(objs)
	return objs, nil
}

// Bundle returns a STIX bundle with the objects of every advisory, each
// object once (an identical object shared by several advisories, such as
// the publisher's identity, is kept once), sorted by type then ID. The
// bundle's ID derives from its objects' IDs and modified times, so the
// same objects give the same bundle, in whatever order advs come.
func Bundle(advs []*advisory.Advisory, p advisory.Publisher) ([]byte, error) {
	seen := map[string]Object{}
	for _, a := range advs {
		objs, err := Objects(a, p)
		if err != nil {
			return nil, fmt.Errorf("stix bundle: %w", err)
		}
		for _, o := range objs {
			k := o.ID + "|" + formatTime(o.Modified)
			if prev, ok := seen[k]; ok && !bytes.Equal(prev.JSON, o.JSON) {
				return nil, fmt.Errorf("stix bundle: two different versions of %s modified at %s", o.ID, formatTime(o.Modified))
			}
			seen[k] = o
		}
	}
	objs := make([]Object, 0, len(seen))
	keys := make([]string, 0, len(seen))
	for k, o := range seen {
		objs, keys = append(objs, o), append(keys, k)
	}
	sortObjects(objs)
	slices.Sort(keys)
	raw := make([]json.RawMessage, len(objs))
	for i, o := range objs {
		raw[i] = o.JSON
	}
	doc := struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects,omitempty"`
	}{"bundle", newID("bundle", strings.Join(keys, "\n")), raw}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("stix bundle: %w", err)
	}
	return buf.Bytes(), nil
}

func sortObjects(objs []Object) {
	slices.SortFunc(objs, func(x, y Object) int {
		return cmp.Or(strings.Compare(x.Type, y.Type), strings.Compare(x.ID, y.ID), x.Modified.Compare(y.Modified))
	})
}

// newID returns the STIX ID of an object of type typ named name: a UUIDv5
// under Namespace over "typ|name".
func newID(typ, name string) string {
	return typ + "--" + uuid.NewSHA1(Namespace, []byte(typ+"|"+name)).String()
}

// timestamp is a STIX timestamp: RFC 3339 in UTC, to the millisecond.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + formatTime(time.Time(t)) + `"`), nil
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// millis is t in UTC, truncated to what a STIX timestamp shows.
func millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// marshal encodes v compactly, without HTML escaping: the text of an
// advisory is not HTML.
func marshal(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
