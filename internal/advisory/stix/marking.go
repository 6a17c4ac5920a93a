package stix

import (
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// The TLP 2.0 marking-definitions are fixed objects that OASIS published in
// cti-stix-common-objects, extension-definition-specifications/tlp-2.0:
// STIX 2.1 itself predefines only TLP 1.0 (TLP:WHITE and friends), whose
// IDs must not be used for TLP 2.0 labels.
const (
	tlpExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
	tlpCreated   = "2022-10-01T00:00:00.000Z"
)

// tlpMarkings maps each label to its marking-definition's ID and the value
// of its tlp_2_0 property.
var tlpMarkings = map[aicc.TLP]struct{ id, value string }{
	aicc.TLPClear:       {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"},
	aicc.TLPGreen:       {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"},
	aicc.TLPAmber:       {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"},
	aicc.TLPAmberStrict: {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"},
	aicc.TLPRed:         {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"},
}

// MarkingID returns the ID of the TLP 2.0 marking-definition for label.
func MarkingID(label aicc.TLP) (string, error) {
	m, ok := tlpMarkings[label]
	if !ok {
		return "", fmt.Errorf("no TLP 2.0 marking-definition for %q", label)
	}
	return m.id, nil
}

type markingDefinition struct {
	Type        string                    `json:"type"`
	SpecVersion string                    `json:"spec_version"`
	ID          string                    `json:"id"`
	Created     string                    `json:"created"`
	Name        string                    `json:"name"`
	Extensions  map[string]tlpExtensionV2 `json:"extensions"`
}

type tlpExtensionV2 struct {
	ExtensionType string `json:"extension_type"`
	TLP           string `json:"tlp_2_0"`
}

// markingObject returns the marking-definition for label as an Object.
func markingObject(label aicc.TLP) (Object, error) {
	m, ok := tlpMarkings[label]
	if !ok {
		return Object{}, fmt.Errorf("no TLP 2.0 marking-definition for %q", label)
	}
	raw, err := marshal(markingDefinition{
		Type: "marking-definition", SpecVersion: specVersion, ID: m.id, Created: tlpCreated, Name: string(label),
		Extensions: map[string]tlpExtensionV2{tlpExtension: {ExtensionType: "property-extension", TLP: m.value}},
	})
	if err != nil {
		return Object{}, fmt.Errorf("marking-definition %s: %w", label, err)
	}
	created, err := time.Parse(time.RFC3339, tlpCreated)
	if err != nil {
		return Object{}, fmt.Errorf("marking-definition %s: %w", label, err)
	}
	return Object{ID: m.id, Type: "marking-definition", Modified: created, JSON: raw}, nil
}
