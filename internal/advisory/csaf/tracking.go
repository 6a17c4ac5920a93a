package csaf

import (
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// The tracking JSON, keys in alphabetical order.
type tracking struct {
	CurrentReleaseDate string     `json:"current_release_date"`
	Generator          generator  `json:"generator"`
	ID                 string     `json:"id"`
	InitialReleaseDate string     `json:"initial_release_date"`
	RevisionHistory    []revision `json:"revision_history"`
	Status             string     `json:"status"`
	Version            string     `json:"version"`
}

type generator struct {
	Date   string `json:"date"`
	Engine engine `json:"engine"`
}

type engine struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type revision struct {
	Date    string `json:"date"`
	Number  string `json:"number"`
	Summary string `json:"summary"`
}

// newTracking derives /document/tracking from the advisory's state and
// history, with integer versioning (section 3.1.11.1):
//
//   - an advisory not yet published (draft or embargoed) is status draft,
//     version 0, with one revision 0: it was created at CreatedAt and its
//     current release date is its last change;
//   - a published one is final, its version the advisory's revision, its
//     revision history the advisory's, from PublishedAt to RevisedAt;
//   - a withdrawal is a change of the document and so a new version
//     (rule 1): unless the history already has an entry as late as
//     WithdrawnAt, the document adds one, numbered after the last
//     revision, and is current as of WithdrawnAt.
//
// This satisfies the mandatory tests 6.1.14 and 6.1.16 to 6.1.22.
func newTracking(a *advisory.Advisory) (tracking, error) {
	t := tracking{ID: a.ID, Status: "final"}
	var current time.Time
	if !a.State.Public() {
		if a.CreatedAt.IsZero() {
			return tracking{}, aicc.Errorf(aicc.KindInvalid, "created_at: a draft needs its creation time")
		}
		current = a.UpdatedAt
		if current.Before(a.CreatedAt) {
			current = a.CreatedAt
		}
		summary := "Draft, not released."
		if a.State == advisory.StateEmbargoed {
			summary = "Draft awaiting release under embargo, not released."
		}
		t.Status, t.Version = "draft", "0"
		t.InitialReleaseDate = formatTime(a.CreatedAt)
		t.RevisionHistory = []revision{{Date: formatTime(current), Number: "0", Summary: summary}}
	} else {
		last := a.History[len(a.History)-1]
		current = a.RevisedAt
		if current.IsZero() {
			current = last.Date
		}
		t.Version = strconv.Itoa(a.Revision)
		t.InitialReleaseDate = formatTime(a.PublishedAt)
		for _, r := range a.History {
			s := strings.TrimSpace(r.Summary)
			if s == "" {
				s = "Revision " + strconv.Itoa(r.Number) + "."
			}
			t.RevisionHistory = append(t.RevisionHistory, revision{Date: formatTime(r.Date), Number: strconv.Itoa(r.Number), Summary: s})
		}
		if n, ok := withdrawalRevision(a); ok {
			current = a.WithdrawnAt
			t.Version = strconv.Itoa(n)
			t.RevisionHistory = append(t.RevisionHistory, revision{Date: formatTime(current), Number: t.Version, Summary: withdrawalText(a, n)})
		}
	}
	t.CurrentReleaseDate = formatTime(current)
	t.Generator = generator{Date: t.CurrentReleaseDate, Engine: engine{Name: EngineName, Version: EngineVersion}}
	return t, nil
}

// withdrawalRevision reports whether the document must add a revision for
// a's withdrawal, and its number: when a is withdrawn at a time later than
// its last revision.
func withdrawalRevision(a *advisory.Advisory) (int, bool) {
	if a.State != advisory.StateWithdrawn || a.WithdrawnAt.IsZero() || len(a.History) == 0 {
		return 0, false
	}
	last := a.History[len(a.History)-1]
	if !a.WithdrawnAt.After(last.Date) {
		return 0, false
	}
	return last.Number + 1, true
}

// withdrawalText says that a was withdrawn, when, in which revision and
// why.
func withdrawalText(a *advisory.Advisory, rev int) string {
	s := "Withdrawn"
	if !a.WithdrawnAt.IsZero() {
		s += " on " + a.WithdrawnAt.UTC().Format(time.DateOnly)
	}
	s += " in revision " + strconv.Itoa(rev)
	r := strings.TrimSpace(a.WithdrawReason)
	if r == "" {
		return s + "."
	}
	if !strings.HasSuffix(r, ".") {
		r += "."
	}
	return s + ": " + r
}
