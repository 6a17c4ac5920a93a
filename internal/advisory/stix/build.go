package stix

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// builder collects the objects of one advisory.
type builder struct {
	a                 *advisory.Advisory
	p                 advisory.Publisher
	created, modified time.Time
	identity, ext     string // IDs of the publisher's identity and the extension-definition
	vuln, attack      string // IDs of the vulnerability and the attack-pattern
	labels            []aicc.TLP
	objs              []Object
}

func build(a *advisory.Advisory, p advisory.Publisher) ([]Object, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.Name) == "" || strings.TrimSpace(p.Namespace) == "" {
		return nil, errors.New("the publisher's name and namespace are required")
	}
	created := firstSet(a.CreatedAt, a.PublishedAt, a.UpdatedAt)
	if created.IsZero() {
		return nil, errors.New("the advisory has no creation date")
	}
	modified := firstSet(a.RevisedAt, a.PublishedAt, a.UpdatedAt, created)
	if modified.Before(created) {
		modified = created
	}
	b := &builder{a: a, p: p, created: millis(created), modified: millis(modified),
		identity: newID("identity", p.Namespace), ext: newID("extension-definition", p.Namespace+"|advisory|"+extensionVersion),
		vuln: newID("vulnerability", a.ID), attack: newID("attack-pattern", a.ID)}
	for _, step := range []func() error{b.addIdentity, b.addExtensionDefinition, b.addVulnerability, b.addAttackPattern,
		b.addCoursesOfAction, b.addNotes, b.addMarkings} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return b.objs, nil
}

func firstSet(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// add encodes v as the object id, in its version modified; the type is
// the ID's prefix.
func (b *builder) add(id string, modified time.Time, v any) error {
	raw, err := marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", id, err)
	}
	typ, _, _ := strings.Cut(id, "--")
	b.objs = append(b.objs, Object{ID: id, Type: typ, Modified: millis(modified), JSON: raw})
	return nil
}

// mark returns the object_marking_refs for content labelled label and
// records that the label's marking-definition is needed.
func (b *builder) mark(label aicc.TLP) ([]string, error) {
	id, err := MarkingID(label)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(b.labels, label) {
		b.labels = append(b.labels, label)
	}
	return []string{id}, nil
}

// sdo returns the common properties of an object of the advisory's
// current revision whose content is labelled label.
func (b *builder) sdo(id string, label aicc.TLP, created time.Time) (common, error) {
	refs, err := b.mark(label)
	if err != nil {
		return common{}, err
	}
	typ, _, _ := strings.Cut(id, "--")
	created = millis(created)
	if created.After(b.modified) {
		created = b.modified
	}
	return common{Type: typ, SpecVersion: specVersion, ID: id, CreatedByRef: b.identity,
		Created: timestamp(created), Modified: timestamp(b.modified), ObjectMarkingRefs: refs}, nil
}

func (b *builder) addIdentity() error {
	refs, err := b.mark(aicc.TLPClear)
	if err != nil {
		return err
	}
	return b.add(b.identity, definedAt, identity{
		common: common{Type: "identity", SpecVersion: specVersion, ID: b.identity,
			Created: timestamp(definedAt), Modified: timestamp(definedAt), ObjectMarkingRefs: refs},
		Name: b.p.Name, Description: b.p.IssuingAuthority, IdentityClass: "organization", ContactInformation: b.p.ContactDetails,
	})
}

// relate adds the relationship "source typ target", labelled label.
func (b *builder) relate(source, typ, target string, label aicc.TLP) error {
	id := newID("relationship", source+"|"+typ+"|"+target)
	c, err := b.sdo(id, label, b.created)
	if err != nil {
		return err
	}
	return b.add(id, b.modified, relationship{common: c, RelationshipType: typ, SourceRef: source, TargetRef: target})
}

func (b *builder) addMarkings() error {
	for _, label := range b.labels {
		o, err := markingObject(label)
		if err != nil {
			return err
		}
		b.objs = append(b.objs, o)
	}
	return nil
}
