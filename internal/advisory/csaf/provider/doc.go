// Package provider lays out rendered CSAF 2.0 documents as a CSAF (trusted)
// provider directory, the distribution of section 7 of the CSAF 2.0
// specification, so that standard CSAF tooling (csaf_downloader,
// csaf_aggregator, Secvisogram) can find and mirror them. It owns the file
// names, folders, indexes, ROLIE feeds, hashes, OpenPGP signatures and the
// provider-metadata.json; it never renders or changes a CSAF document, whose
// bytes are published exactly as given.
//
// [Build] returns the tree as path → bytes and [Write] puts it on disk. Paths
// are relative to the directory served at /.well-known/csaf/ (requirement 9):
//
//	provider-metadata.json            requirement 7, validated by the tests against the official schema
//	service.json                      ROLIE service document listing every feed (requirement 16)
//	openpgp/<FINGERPRINT>.asc         the public signing key (requirement 20)
//	<tlp>/csaf-feed-tlp-<tlp>.json    ROLIE feed of that TLP, newest first (requirement 15)
//	<tlp>/index.txt                   every document path, sorted (requirement 12)
//	<tlp>/changes.csv                 "path","current_release_date", newest first (requirement 13)
//	<tlp>/<YYYY>/<file>.json          the document; YYYY is the UTC year of initial_release_date (requirements 2, 11)
//	<tlp>/<YYYY>/<file>.json.sha256   "HEX  <file>.json", like sha256sum (requirement 18)
//	<tlp>/<YYYY>/<file>.json.sha512   the same with SHA-512
//	<tlp>/<YYYY>/<file>.json.asc      detached ASCII-armored OpenPGP signature (requirement 19)
//
// <tlp> is white, green, amber or red. A folder exists for each TLP that has
// documents, and white always exists, so that a public feed is there even
// before the first TLP:WHITE advisory (requirement 15). Everything under
// amber/ and red/ must be served only to authenticated recipients
// (requirement 5): [Restricted] tells a server which paths those are. TLS
// (requirement 3), directory listings (14), security.txt (8) and the DNS path
// (10) are the server's business; ROLIE category documents (17, optional) are
// not written.
//
// The output is deterministic: the same documents, in any order, with the
// same configuration and key give byte-identical files. Nothing reads the
// clock: last_updated and the feeds' updated stamps come from the documents'
// current_release_date, and every signature is made with an Ed25519 (or RSA)
// key, without the random salt notation go-crypto adds by default, at the
// document's current_release_date (or the signing key's creation time, when
// that is later, since no verifier accepts a signature older than its key).
package provider
