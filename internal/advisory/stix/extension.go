package stix

import (
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// The extension-definition of the x_aicc_ properties. Its version and date
// change only when this package changes what the properties mean; the
// publisher's identity shares the date.
const extensionVersion = "1.0.0"

var definedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// extensionProperties lists the top-level properties the extension adds.
var extensionProperties = []string{
	"x_aicc_title", "x_aicc_revision", "x_aicc_severity", "x_aicc_products", "x_aicc_packages",
	"x_aicc_withdraw_reason", "x_aicc_product", "x_aicc_remediation",
}

// extensionSchema is the extension's normative definition, in the plain
// text that STIX allows instead of a URL.
var extensionSchema = strings.Join([]string{
	"Top-level properties of an AI model advisory (all optional unless said):",
	"on vulnerability: x_aicc_title (string, required), the advisory's title;",
	"x_aicc_revision (integer, required), its revision number;",
	"x_aicc_severity (object: cvss_v4_vector string, cvss_v4_score number 0-10, rating one of info, low, medium, high, critical);",
	"x_aicc_products (list of objects: model, version, surface (api, hosted_app, open_weights), status (affected, fixed, not_affected, under_investigation), remediation, justification, note), the model versions and their status;",
	"x_aicc_packages (list of objects: ecosystem, name, purl, introduced, fixed), affected software packages in OSV terms;",
	"x_aicc_withdraw_reason (string), why a revoked advisory was withdrawn.",
	"On course-of-action: x_aicc_product (string, required), the model version as model@version/surface;",
	"x_aicc_remediation (string, required), one of weights_retrained, guardrail, system_prompt, tool_permission, serving_mitigation.",
}, " ")

// withExtension is the extensions entry of an object that uses the
// x_aicc_ properties.
func (b *builder) withExtension() map[string]extension {
	return map[string]extension{b.ext: {ExtensionType: "toplevel-property-extension"}}
}

func (b *builder) addExtensionDefinition() error {
	refs, err := b.mark(aicc.TLPClear)
	if err != nil {
		return err
	}
	return b.add(b.ext, definedAt, extensionDefinition{
		common: common{Type: "extension-definition", SpecVersion: specVersion, ID: b.ext, CreatedByRef: b.identity,
			Created: timestamp(definedAt), Modified: timestamp(definedAt), ObjectMarkingRefs: refs},
		Name:                "aicc advisory properties",
		Description:         "What an AI Cybersecurity Clearinghouse advisory says that STIX has no property for: the model versions and their status, the severity, affected packages, and remediation types.",
		Schema:              extensionSchema,
		Version:             extensionVersion,
		ExtensionTypes:      []string{"toplevel-property-extension"},
		ExtensionProperties: extensionProperties,
	})
}
