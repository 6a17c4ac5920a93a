package taxii

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// MediaTypeTAXII is the media type of every response the server sends.
	MediaTypeTAXII = "application/taxii+json;version=2.1"
	// MediaTypeSTIX is the media type of the STIX objects inside envelopes.
	MediaTypeSTIX = "application/stix+json;version=2.1"
)

// timeLayout is TAXII's timestamp format: RFC 3339, UTC, milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// formatTime renders t as TAXII requires.
func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// parseTime reads an RFC 3339 timestamp at the millisecond precision the
// server renders timestamps with.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC().Truncate(time.Millisecond), nil
}

// negotiate answers 406 unless the request's Accept header admits TAXII 2.1
// JSON, the only representation the server has.
func (s *server) negotiate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !acceptable(r.Header.Values("Accept")) {
			s.fail(w, r, &problem{http.StatusNotAcceptable,
				"Accept must allow " + MediaTypeTAXII + "; this server speaks TAXII 2.1 only."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// acceptable reports whether Accept header values admit
// application/taxii+json;version=2.1. A missing header admits anything
// (RFC 9110 section 12.5.1); a range with q=0 admits nothing.
func acceptable(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if acceptableRange(part) {
				return true
			}
		}
	}
	return false
}

// acceptableRange reports whether one media range of an Accept header admits
// TAXII 2.1 JSON.
func acceptableRange(part string) bool {
	fields := strings.Split(part, ";")
	mediaType := strings.ToLower(strings.TrimSpace(fields[0]))
	version, weight := "", 1.0
	for _, p := range fields[1:] {
		k, v, _ := strings.Cut(p, "=")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "version":
			version = v
		case "q":
			w, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return false
			}
			weight = w
		}
	}
	if weight <= 0 {
		return false
	}
	switch mediaType {
	case "*/*", "application/*":
		return true
	case "application/taxii+json":
		return version == "" || version == "2.1"
	}
	return false
}
