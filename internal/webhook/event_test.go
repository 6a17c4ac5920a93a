package webhook_test

import (
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/webhook"
)

func TestMatchEvent(t *testing.T) {
	tests := []struct {
		pattern, event string
		want           bool
	}{
		{"*", "finding.confirmed", true},
		{"*", "advisory.published", true},
		{"finding.confirmed", "finding.confirmed", true},
		{"finding.confirmed", "finding.rejected", false},
		{"finding.*", "finding.confirmed", true},
		{"finding.*", "finding.retest.completed", true},
		{"finding.*", "finding", false},
		{"finding.*", "findings.confirmed", false},
		{"finding.*", "advisory.published", false},
		{"review.state.*", "review.state.changed", true},
		{"review.state.*", "review.started", false},
		{"finding", "finding.confirmed", false},
		{"", "finding.confirmed", false},
		{"*", "", false},
		{"finding.*.*", "finding.a.b", false}, // not a valid pattern
		{"fin*", "finding.confirmed", false},  // wildcards stand for whole segments
		{".*", "x.y", false},
	}
	for _, tt := range tests {
		if got := webhook.MatchEvent(tt.pattern, tt.event); got != tt.want {
			t.Errorf("MatchEvent(%q, %q) = %v, want %v", tt.pattern, tt.event, got, tt.want)
		}
	}
}

func TestValidEventPattern(t *testing.T) {
	valid := []string{"*", "finding.*", "finding.confirmed", "a_b.C9", "review.state.*"}
	invalid := []string{"", "**", "finding.", ".finding", "finding..confirmed", "finding.**", "finding*", "finding-confirmed",
		"finding.confirmed ", "*.confirmed", "finding.*.x", strings.Repeat("a", 101)}
	for _, p := range valid {
		if err := webhook.ValidEventPattern(p); err != nil {
			t.Errorf("ValidEventPattern(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range invalid {
		if err := webhook.ValidEventPattern(p); err == nil {
			t.Errorf("ValidEventPattern(%q) = nil, want an error", p)
		}
	}
}

// FuzzEventPattern checks filters from API bodies: validation never
// panics, and a valid pattern without a wildcard matches exactly itself.
func FuzzEventPattern(f *testing.F) {
	for _, s := range []string{"*", "finding.*", "finding.confirmed", "a..b", ".*", "x.*.*"} {
		f.Add(s, "finding.confirmed")
	}
	f.Fuzz(func(t *testing.T, pattern, event string) {
		valid := webhook.ValidEventPattern(pattern) == nil
		if !valid && webhook.MatchEvent(pattern, event) {
			t.Fatalf("invalid pattern %q matches %q", pattern, event)
		}
		if valid && !strings.Contains(pattern, "*") {
			if !webhook.MatchEvent(pattern, pattern) {
				t.Fatalf("pattern %q does not match itself", pattern)
			}
			if webhook.MatchEvent(pattern, event) != (pattern == event) {
				t.Fatalf("exact pattern %q vs %q", pattern, event)
			}
		}
		if webhook.MatchEvent(pattern, event) && webhook.ValidEvent(event) != nil {
			t.Fatalf("pattern %q matches invalid event %q", pattern, event)
		}
	})
}
