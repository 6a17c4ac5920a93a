// Package openvex encodes an advisory as an OpenVEX 0.2.0 document: one
// statement per model version and per affected software package, so that
// scanners and inventories can match what they run against the advisory.
//
// The document's @id is the advisory's address followed by "/openvex": it
// stays the same across revisions, and its version is the advisory's
// revision, as the specification's example of an updated document does.
// Its timestamp is the current revision's date (for a withdrawn advisory,
// the withdrawal's, when later).
//
// A model version is identified by advisory.ModelPURL, a generic package URL
// naming the developer, the model, the version and the surface it is
// offered on. A package is identified by its purl: the affected statement
// names the first affected version (or no version when every earlier one
// is affected) and states the range in its notes; a fixed statement names
// the fixed version. A package without a purl whose ecosystem has no purl
// type known here is left out (its OSV record carries it).
//
// OpenVEX is summary-level: the encoder uses the title, statuses,
// remediation notes, justifications and reproduction figures, never the
// text of a tier (not even the summary's), so what the details or the
// payload say cannot leak into it. Statements are sorted by product, so
// the same revision gives the same bytes whatever the order of its
// products.
package openvex
