// Package csaf encodes advisories as CSAF 2.0 documents (OASIS Common
// Security Advisory Framework, errata 01) of the categories
// csaf_security_advisory and csaf_vex, for the CSAF provider directory
// (package provider lays the rendered documents out; package check
// validates them).
//
// [Encode] renders one advisory revision as one document:
//
//   - document: the title, publisher "coordinator", the TLP label of the
//     most restrictive tier rendered ([TLPLabel] maps TLP 2.0 to the TLP
//     version 1 labels CSAF 2.0 knows; AMBER+STRICT becomes AMBER with a
//     note and a distribution text saying that the stricter rule
//     applies), notes for the tiers given (summary; the details and the
//     exploit payload when present and not withheld), the developer's
//     statement, a withdrawal and a disclaimer, a self reference to the
//     advisory's page, and tracking with integer versions: a draft or
//     embargoed advisory is status draft, version 0; a published one is
//     final, its version the revision, its history the advisory's;
//   - product_tree: each model version on each surface, and each package's
//     affected range and fixed version (product.go says how they are
//     arranged and named);
//   - vulnerabilities: one, the technique, identified by the advisory ID
//     (system "AICC"), with its CWE, the product statuses, VEX
//     justification flags, impact threats, remediations, references to
//     CWE and MITRE ATLAS, and notes for the description, the
//     classification, the CVSS 4.0 score (CSAF 2.0 scores only CVSS v2 and
//     v3, so there is no scores entry) and the reproduction figures.
//
// Every document is meant to pass every mandatory test of section 6.1 of
// the specification, the profile tests included; the tests check each
// document they produce against the official schema and with check.Validate.
//
// The encoder is pure and deterministic: it renders only what it is given
// (the caller passes advisory.Visible's copy for an audience), reads no
// clock (dates come from the advisory, the generator date is the current
// release date), sorts every list that comes from products, and writes the
// keys of every object in alphabetical order. [Filename] names a document's
// file by section 5.1.
package csaf
