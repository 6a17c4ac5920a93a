// Package stix encodes advisories as STIX 2.1 objects and bundles, for the
// TAXII server and for bundle downloads.
//
// One advisory becomes:
//
//   - an identity for the publisher (the created_by_ref of everything else);
//   - a vulnerability named by the advisory ID, described by the summary,
//     with references to the advisory's page and its CWE entries;
//   - an attack-pattern for the technique, with references to MITRE ATLAS
//     and the OWASP Top 10 lists, and a relationship "attack-pattern
//     targets vulnerability";
//   - a course-of-action for each model version with a fix or a mitigation,
//     each with a relationship "course-of-action mitigates vulnerability";
//   - a note for each of the restricted tiers that is present (details,
//     payload) and for the developer's statement;
//   - an extension-definition for the x_aicc_ properties that carry what
//     STIX has no property for (model versions and their status, severity,
//     packages, remediation types);
//   - the TLP 2.0 marking-definitions used, as published by OASIS in
//     cti-stix-common-objects (extension-definition--60a3c5c5-…).
//
// Every object but the marking-definitions carries object_marking_refs with
// the TLP label of the tier its content comes from: the summary's for the
// vulnerability, the attack-pattern, the courses of action, the
// relationships and the statement; the details' and the payload's for their
// notes. The identity and the extension-definition say nothing about any
// advisory and are TLP:CLEAR, so that one publisher has one identity in a
// bundle whatever its advisories' labels.
//
// The encoder is pure and deterministic. It renders what it is given (the
// caller passes advisory.Visible's copy): a tier that is withheld or empty
// has no note. IDs are UUIDv5 under Namespace over stable names such as
// "vulnerability|AICC-2026-0042", so a revision replaces the objects of the
// one before it; created is the advisory's creation, modified its current
// revision's date, both in UTC to the millisecond. A withdrawn advisory's
// vulnerability and attack-pattern are revoked.
package stix
