// Package audit owns the clearinghouse's append-only audit log: the Entry
// every change, evidence read, export and token use becomes, the hash chain
// that links entries, and Verify, which checks a log read back from any
// store and names the first entry that was edited, removed, reordered,
// inserted or cut off.
//
// Each entry's Hash is SHA-256 (or, with a key, HMAC-SHA256) over an
// unambiguous, length-prefixed encoding of every other field, PrevHash
// included; PrevHash is the previous entry's Hash, and Genesis for entry 1.
// Changing any byte of any entry therefore breaks its own hash or the link
// from the entry after it. A chain alone cannot show that entries were cut
// off its end: a Checkpoint (a head recorded elsewhere) can.
//
// The package does no I/O. Stores persist entries exactly as Next returns
// them (see Entry) and hand them back in Seq order (see Reader). Appends
// must be serialised: a store reads the head and inserts the entry Next
// builds from it in one transaction that holds the log's lock, so two
// writers never chain to the same head.
//
// docs/audit.md says what is logged, and what Verify proves and cannot.
package audit
