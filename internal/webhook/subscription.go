package webhook

import (
	"net/url"
	"slices"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Limits of a subscription.
const (
	maxURLLen = 2048
	maxEvents = 50
)

// Subscription is an organization's request to be told of events at a URL.
// Secret is shown to the subscriber once, when the subscription is created;
// it marshals as "[redacted]" everywhere else.
type Subscription struct {
	ID        string      `json:"id"`
	OrgID     string      `json:"org_id"`
	URL       string      `json:"url"`
	Secret    aicc.Secret `json:"secret"`
	Events    []string    `json:"events"` // filters: "*", "finding.confirmed", "finding.*"
	Active    bool        `json:"active"`
	CreatedAt time.Time   `json:"created_at"`
}

// NewSubscription returns an active subscription with a new ID and a new
// secret, validated.
func NewSubscription(orgID, rawURL string, events []string, now time.Time) (*Subscription, error) {
	s := &Subscription{
		ID:        aicc.NewID(aicc.PrefixWebhook),
		OrgID:     orgID,
		URL:       rawURL,
		Secret:    GenerateSecret(),
		Events:    slices.Clone(events),
		Active:    true,
		CreatedAt: now.UTC(),
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Validate names the first field of s that is wrong. It does not resolve
// the URL's host: the dispatcher checks the address it dials on every
// delivery (see Config.AllowPrivate).
func (s *Subscription) Validate() error {
	switch {
	case !aicc.HasPrefix(s.ID, aicc.PrefixWebhook):
		return aicc.Errorf(aicc.KindInvalid, "subscription id %q: must look like %s followed by 16 characters", s.ID, aicc.PrefixWebhook)
	case !aicc.HasPrefix(s.OrgID, aicc.PrefixOrg):
		return aicc.Errorf(aicc.KindInvalid, "subscription org_id %q: must be an organization ID", s.OrgID)
	case s.CreatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "subscription created_at: must be set")
	}
	if err := ValidURL(s.URL); err != nil {
		return err
	}
	if _, err := secretKey(s.Secret); err != nil {
		return err // names the field and never contains the secret
	}
	if len(s.Events) == 0 || len(s.Events) > maxEvents {
		return aicc.Errorf(aicc.KindInvalid, "subscription events: must list 1 to %d filters (\"*\" for every event)", maxEvents)
	}
	for _, p := range s.Events {
		if err := ValidEventPattern(p); err != nil {
			return err
		}
	}
	return nil
}

// Wants reports whether s is active and one of its filters selects event.
func (s *Subscription) Wants(event string) bool {
	if !s.Active {
		return false
	}
	return slices.ContainsFunc(s.Events, func(p string) bool { return MatchEvent(p, event) })
}

// ValidURL reports an error unless raw is an absolute http or https URL
// with a host, no user name or password, and no fragment. HTTPS is
// recommended; plain HTTP is allowed for on-premises receivers.
func ValidURL(raw string) error {
	if raw == "" || len(raw) > maxURLLen {
		return aicc.Errorf(aicc.KindInvalid, "subscription url: must be 1 to %d characters", maxURLLen)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return aicc.Errorf(aicc.KindInvalid, "subscription url: not a URL") // the parse error would echo a password
	case u.Scheme != "https" && u.Scheme != "http":
		return aicc.Errorf(aicc.KindInvalid, "subscription url %q: scheme must be https (or http)", raw)
	case u.Hostname() == "":
		return aicc.Errorf(aicc.KindInvalid, "subscription url %q: must name a host", raw)
	case u.User != nil:
		return aicc.Errorf(aicc.KindInvalid, "subscription url: must not contain a user name or password; the signature authenticates the sender")
	case u.Fragment != "" || u.RawFragment != "":
		return aicc.Errorf(aicc.KindInvalid, "subscription url %q: must not contain a fragment (#...)", raw)
	}
	return nil
}
