package webhook

import (
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// maxEventLen bounds event names and patterns.
const maxEventLen = 100

// ValidEvent reports an error unless name is an event type as Standard
// Webhooks recommends: full-stop delimited segments of [a-zA-Z0-9_], for
// example "finding.confirmed".
func ValidEvent(name string) error {
	if len(name) == 0 || len(name) > maxEventLen {
		return aicc.Errorf(aicc.KindInvalid, "event %q: must be 1 to %d characters", name, maxEventLen)
	}
	for seg := range strings.SplitSeq(name, ".") {
		if !validSegment(seg) {
			return aicc.Errorf(aicc.KindInvalid, "event %q: must be dot-separated names of letters, digits and underscores, e.g. finding.confirmed", name)
		}
	}
	return nil
}

// ValidEventPattern reports an error unless p is an event filter: "*" for
// every event, an event name, or an event name prefix followed by ".*"
// ("finding.*" matches "finding.confirmed" and "finding.shared.late").
func ValidEventPattern(p string) error {
	if p == "*" {
		return nil
	}
	if prefix, ok := strings.CutSuffix(p, ".*"); ok {
		if err := ValidEvent(prefix); err != nil {
			return aicc.Errorf(aicc.KindInvalid, "event filter %q: the part before .* must be an event name prefix", p)
		}
		return nil
	}
	if err := ValidEvent(p); err != nil {
		return aicc.Errorf(aicc.KindInvalid, "event filter %q: must be *, an event name, or a prefix followed by .*", p)
	}
	return nil
}

// MatchEvent reports whether the filter pattern selects event. A pattern
// that is not valid matches nothing, and nothing matches an event that is
// not valid.
func MatchEvent(pattern, event string) bool {
	if ValidEventPattern(pattern) != nil || ValidEvent(event) != nil {
		return false
	}
	if pattern == "*" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, ".*"); ok {
		rest, ok := strings.CutPrefix(event, prefix)
		return ok && len(rest) > 1 && rest[0] == '.'
	}
	return pattern == event
}

func validSegment(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
