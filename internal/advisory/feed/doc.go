// Package feed renders published advisories as a JSON Feed 1.1 and as an
// Atom 1.0 feed, the public channels that readers and chat integrations
// poll.
//
// A feed is built for one audience: the caller chooses the advisories and
// passes, for each, the copy that audience may see (advisory.Visible).
// Feeds are public channels all the same, so the encoders refuse an
// advisory that has not been published (draft or embargoed), and they
// carry summary-level content only: the title, the summary tier's text,
// the severity, the status of each model version and package, the
// developer's statement and the note of the current revision; never the
// text of the details or the payload tier, whatever the copy holds.
//
// Items come newest revision first (ties by ID). An item's id is the
// advisory's address, stable across revisions; its date_modified (Atom:
// updated) is the current revision's date, or the withdrawal's for a
// withdrawn advisory, whose title is prefixed "[WITHDRAWN]". Tags (Atom:
// categories) are the class and the taxonomy IDs. Every date comes from
// the advisories or from Feed.Updated, never from the clock, so the same
// advisories give the same bytes.
package feed
