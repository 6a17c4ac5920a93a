package review

import (
	"errors"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// release is the planned release of most tests: a date, midnight UTC.
var release = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)

func days(n float64) time.Duration { return time.Duration(n * float64(24*time.Hour)) }

func rules(t *testing.T, cfg Config) *Rules {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return r
}

func submission(state aicc.ReviewState, submittedAt, releaseDate time.Time) *aicc.Submission {
	return &aicc.Submission{
		ID: "sub_aaaaaaaaaaaaaaaa", OrgID: "org_bbbbbbbbbbbbbbbb", Model: "example-chat", Version: "1.0",
		State: state, SubmittedAt: submittedAt, ReleaseDate: releaseDate, UpdatedAt: submittedAt,
	}
}

// wantKind fails unless err is an *aicc.Error of kind want (or nil when
// want is "").
func wantKind(t *testing.T, err error, want aicc.ErrorKind) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var e *aicc.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v: want an *aicc.Error of kind %s", err, want)
	}
	if e.Kind != want {
		t.Fatalf("error %q has kind %s, want %s", err, e.Kind, want)
	}
}
