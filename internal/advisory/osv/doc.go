// Package osv encodes an advisory that affects software packages as an
// OSV record (schema 1.7.5), for osv.dev-style consumers and scanners.
//
// An OSV record is about packages in an ecosystem, so only advisories with
// at least one Package have one (Applies says whether a does). Each
// package becomes an affected entry with an ECOSYSTEM range from its
// introduced version to its fixed one; its ecosystem must be one OSV
// defines (ecosystems.json, copied from ossf/osv-schema at 51b8156b, is
// embedded), optionally with a ":suffix". The model versions, the class,
// the taxonomy IDs, the severity label and the reproduction figures,
// which OSV has no field for, go in the record's database_specific.
//
// The record's id is the advisory's ID behind the "x_" prefix that OSV
// reserves for databases not (yet) registered with it: the schema accepts
// no other unregistered prefix. modified is the current revision's date
// (the withdrawal's, when later), published the first release, and a
// withdrawn advisory's record has withdrawn, with the reason in its
// summary.
//
// OSV is summary-level: details is the summary tier's text and the
// developer's statement, never the restricted tiers'. The encoder is pure
// and deterministic: packages and model versions are sorted, timestamps
// come from the advisory, in UTC to the second.
package osv
