package taxii

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Query is what one page request asks a Source for (TAXII 2.1 section
// 3.5): a starting point, a page size and filters. Empty filters match
// everything.
type Query struct {
	// AddedAfter is added_after at millisecond precision; zero means none.
	// It is exclusive at that precision: an object is eligible only if its
	// Added, truncated to the millisecond, is after AddedAfter (in SQL,
	// date_added >= AddedAfter + 1 ms).
	AddedAfter time.Time

	// After is the next token's position; zero means from the start. Only
	// objects strictly after it in page order are eligible.
	After Cursor

	// Limit is the page size, at least 1. The Source returns at most
	// Limit+1 objects; the extra one tells the server that more remain.
	Limit int

	IDs          []string     // match[id]
	Types        []string     // match[type]
	Versions     VersionMatch // match[version]; the server defaults it to Last
	SpecVersions []string     // match[spec_version]
}

// VersionMatch is match[version]: which versions of each object qualify.
// A version qualifies if any set field admits it.
type VersionMatch struct {
	All   bool        // "all": every version
	First bool        // "first": the earliest version of the object in the collection
	Last  bool        // "last": the latest version of the object in the collection
	At    []time.Time // timestamps: the versions modified at these instants, compared at millisecond precision
}

// Follows reports whether o is eligible for q's page by position: after
// the cursor and added after AddedAfter. It is monotone in Compare order,
// so a Source holding a sorted slice can binary-search for the first
// object it holds for.
func (q Query) Follows(o Object) bool {
	if !q.AddedAfter.IsZero() && !o.Added.Truncate(time.Millisecond).After(q.AddedAfter) {
		return false
	}
	return q.After.Precedes(o)
}

// Matches reports whether o passes q's match filters, given the first and
// last versions of o.ID in the collection.
func (q Query) Matches(o Object, first, last time.Time) bool {
	return (len(q.IDs) == 0 || slices.Contains(q.IDs, o.ID)) &&
		(len(q.Types) == 0 || slices.Contains(q.Types, o.Type)) &&
		(len(q.SpecVersions) == 0 || slices.Contains(q.SpecVersions, o.specVersion())) &&
		q.Versions.Matches(o.Version, first, last)
}

// Matches reports whether version qualifies, given the first and last
// versions of its object in the collection.
func (v VersionMatch) Matches(version, first, last time.Time) bool {
	switch {
	case v.All:
		return true
	case v.First && version.Equal(first), v.Last && version.Equal(last):
		return true
	}
	ms := version.Truncate(time.Millisecond)
	return slices.ContainsFunc(v.At, ms.Equal)
}

// params is the set of filter parameters an endpoint accepts besides
// added_after, limit and next; others are ignored.
type params uint8

const (
	matchID params = 1 << iota
	matchType
	matchVersion
	matchSpecVersion
)

var specVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// parseQuery reads an endpoint's URL parameters into a Query.
func (s *server) parseQuery(v url.Values, accepts params) (Query, error) {
	q := Query{Limit: s.maxPageSize, Versions: VersionMatch{Last: true}}
	if v.Has("limit") {
		n, err := strconv.Atoi(v.Get("limit"))
		if err != nil || n < 1 {
			return Query{}, badRequest("limit %q is not a positive integer; this server returns at most %d objects a page.", v.Get("limit"), s.maxPageSize)
		}
		q.Limit = min(n, s.maxPageSize)
	}
	if v.Has("added_after") {
		t, err := parseTime(v.Get("added_after"))
		if err != nil {
			return Query{}, badRequest("added_after %q is not an RFC 3339 timestamp such as \"2026-11-29T10:00:00.000Z\".", v.Get("added_after"))
		}
		q.AddedAfter = t
	}
	if v.Has("next") {
		c, err := ParseCursor(v.Get("next"))
		if err != nil {
			return Query{}, badRequest("next %q is %v; pass the next value of a previous response unchanged, or start again without next.", v.Get("next"), err)
		}
		q.After = c
	}
	var err error
	if accepts&matchID != 0 {
		if q.IDs, err = list(v, "match[id]"); err != nil {
			return Query{}, err
		}
	}
	if accepts&matchType != 0 {
		if q.Types, err = list(v, "match[type]"); err != nil {
			return Query{}, err
		}
	}
	if accepts&matchSpecVersion != 0 {
		if q.SpecVersions, err = list(v, "match[spec_version]"); err != nil {
			return Query{}, err
		}
		for _, sv := range q.SpecVersions {
			if !specVersion.MatchString(sv) {
				return Query{}, badRequest("match[spec_version] value %q is not a STIX version such as \"2.1\".", sv)
			}
		}
	}
	if accepts&matchVersion != 0 && v.Has("match[version]") {
		if q.Versions, err = parseVersions(v); err != nil {
			return Query{}, err
		}
	}
	return q, nil
}

// parseVersions reads match[version].
func parseVersions(v url.Values) (VersionMatch, error) {
	values, err := list(v, "match[version]")
	if err != nil {
		return VersionMatch{}, err
	}
	var m VersionMatch
	for _, value := range values {
		switch value {
		case "all":
			m.All = true
		case "first":
			m.First = true
		case "last":
			m.Last = true
		default:
			t, err := parseTime(value)
			if err != nil {
				return VersionMatch{}, badRequest("match[version] value %q is not \"all\", \"first\", \"last\" or an RFC 3339 timestamp.", value)
			}
			m.At = append(m.At, t)
		}
	}
	return m, nil
}

// list reads a comma-separated, possibly repeated, filter parameter.
func list(v url.Values, name string) ([]string, error) {
	if !v.Has(name) {
		return nil, nil
	}
	var out []string
	for _, value := range v[name] {
		for item := range strings.SplitSeq(value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	if len(out) == 0 {
		return nil, badRequest("%s is empty; give one or more comma-separated values, or leave it out.", name)
	}
	return out, nil
}
