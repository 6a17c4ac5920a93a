package stix_test

import (
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/stix"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// oasisTLP is the TLP 2.0 marking-definitions as OASIS publishes them in
// cti-stix-common-objects, extension-definition-specifications/tlp-2.0
// (the extension's schema and examples/tlp-*.json).
var oasisTLP = map[aicc.TLP]struct{ id, value string }{
	aicc.TLPClear:       {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"},
	aicc.TLPGreen:       {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"},
	aicc.TLPAmber:       {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"},
	aicc.TLPAmberStrict: {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"},
	aicc.TLPRed:         {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"},
}

const oasisTLPExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

func TestMarkingDefinitionsAreOASIS(t *testing.T) {
	// One advisory per label, so that every marking-definition is written.
	var advs []*advisory.Advisory
	for _, label := range aicc.TLPs {
		a := advisorytest.Example()
		a.Summary.TLP, a.Details.TLP, a.Payload.TLP = label, label, label
		a.Details.Audience, a.Payload.Audience = advisory.Audience{}, advisory.Audience{}
		advs = append(advs, a)
	}
	for _, a := range advs {
		_, objs := bundle(t, a)
		label := a.Summary.TLP
		want := oasisTLP[label]
		var found bool
		for _, m := range ofType(objs, "marking-definition") {
			if m.str("id") != want.id {
				continue
			}
			found = true
			ext, _ := m["extensions"].(map[string]any)[oasisTLPExtension].(map[string]any)
			if m.str("name") != string(label) || m.str("created") != "2022-10-01T00:00:00.000Z" || m.str("spec_version") != "2.1" ||
				ext["extension_type"] != "property-extension" || ext["tlp_2_0"] != want.value || len(m) != 6 || len(ext) != 2 {
				t.Errorf("%s marking-definition differs from OASIS's: %v", label, m)
			}
		}
		if !found {
			t.Errorf("no %s marking-definition (%s) in the bundle", label, want.id)
		}
		if id, err := stix.MarkingID(label); err != nil || id != want.id {
			t.Errorf("MarkingID(%s) = %s, %v; want %s", label, id, err, want.id)
		}
	}
	if _, err := stix.MarkingID("TLP:WHITE"); err == nil {
		t.Error("MarkingID accepted TLP:WHITE, a TLP 1.0 label")
	}
}

func TestMarkingsFollowTiers(t *testing.T) {
	for name, a := range map[string]*advisory.Advisory{"example": advisorytest.Example(), "tiered": tiered()} {
		t.Run(name, func(t *testing.T) {
			_, objs := bundle(t, a)
			want := func(o obj) aicc.TLP {
				switch o.str("type") {
				case "identity", "extension-definition":
					return aicc.TLPClear // about the publisher, not the advisory
				case "note":
					switch o.str("content") {
					case a.Details.Text:
						return a.Details.TLP
					case a.Payload.Text:
						return a.Payload.TLP
					}
				}
				return a.Summary.TLP
			}
			referenced := map[string]bool{}
			for _, o := range objs {
				if o.str("type") == "marking-definition" {
					continue
				}
				refs, ok := o["object_marking_refs"].([]any)
				if !ok || len(refs) != 1 {
					t.Errorf("%s %s: object_marking_refs %v, want exactly one TLP marking", o.str("type"), o.str("id"), o["object_marking_refs"])
					continue
				}
				if got, w := refs[0], oasisTLP[want(o)].id; got != w {
					t.Errorf("%s %s is marked %v, want %s (%s)", o.str("type"), o.str("id"), got, w, want(o))
				}
				referenced[refs[0].(string)] = true
			}
			defined := map[string]bool{}
			for _, m := range ofType(objs, "marking-definition") {
				defined[m.str("id")] = true
				if !referenced[m.str("id")] {
					t.Errorf("marking-definition %s is in the bundle but marks nothing", m.str("name"))
				}
			}
			for id := range referenced {
				if !defined[id] {
					t.Errorf("%s marks objects but is not in the bundle", id)
				}
			}
		})
	}
}
