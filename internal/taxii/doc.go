// Package taxii serves STIX 2.1 objects to consumers over TAXII 2.1 (OASIS
// TAXII Version 2.1, sections 4 and 5), read side only.
//
// New returns an http.Handler for the Discovery, API Root, Collections,
// Objects, Manifest and Versions endpoints under /taxii2/. The handler owns
// the protocol: authentication through Config.Authenticate, content
// negotiation (application/taxii+json;version=2.1), filter and pagination
// parameters, envelopes, the X-TAXII-Date-Added-First and -Last headers and
// TAXII error messages. What it serves comes from a Source, which the
// clearinghouse implements over its store; this package never touches
// storage.
//
// Collections are read-only: can_write is false, and writes (POST objects,
// DELETE an object) are answered 405 with a TAXII error message. A collection
// that does not exist and one the caller may not read both answer 404, so a
// caller cannot learn that a hidden collection exists.
//
// # Pagination
//
// Object pages are keyset-paginated in (date_added, id, version) order, never
// by offset: the next token is an opaque, base64url-encoded Cursor naming the
// last object of the previous page, and the Source continues strictly after
// it, so page 100 of a large collection costs what page 1 costs. Clients may
// also page with added_after and the X-TAXII-Date-Added-Last header, as
// TAXII allows.
//
// # Timestamps
//
// Every timestamp is rendered in RFC 3339 UTC with millisecond precision
// ("2026-11-29T10:00:00.000Z"), and every timestamp a client sends is read at
// that precision: added_after=T excludes the objects added during T's
// millisecond, which were reported as T. Sources should store date_added at
// millisecond precision or compare as Query documents.
package taxii
