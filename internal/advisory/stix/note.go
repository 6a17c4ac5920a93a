package stix

import (
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// addNotes adds a note for each restricted tier that is present, marked
// with that tier's label, and one for the developer's statement, marked
// with the summary's.
func (b *builder) addNotes() error {
	a := b.a
	tiers := []struct {
		name     string
		tier     advisory.Tier
		abstract string
	}{
		{"details", a.Details, "How to reproduce " + a.ID},
		{"payload", a.Payload, "The exploit payload of " + a.ID},
	}
	for _, t := range tiers {
		if t.tier.Withheld || strings.TrimSpace(t.tier.Text) == "" {
			continue
		}
		if err := b.addNote(t.name, t.tier, t.abstract, t.tier.Text, b.p.Name, b.created); err != nil {
			return err
		}
	}
	if s := a.Statement; s != nil && strings.TrimSpace(s.Text) != "" {
		return b.addNote("statement", a.Summary, "Statement by "+a.Developer+" on "+a.ID, s.Text, a.Developer, s.AddedAt)
	}
	return nil
}

// addNote adds the note named name on the vulnerability and the
// attack-pattern, labelled as tier is, created at created (or with the
// advisory).
func (b *builder) addNote(name string, tier advisory.Tier, abstract, content, author string, created time.Time) error {
	id := newID("note", b.a.ID+"|"+name)
	c, err := b.sdo(id, tier.TLP, firstSet(created, b.created))
	if err != nil {
		return err
	}
	return b.add(id, b.modified, note{common: c, Abstract: abstract, Content: content,
		Authors: []string{author}, ObjectRefs: []string{b.vuln, b.attack}})
}
