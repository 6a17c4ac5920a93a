package store

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// AdvisoryFilter narrows ListAdvisories. Zero values match everything.
type AdvisoryFilter struct {
	DeveloperOrgID string           // only this developer's
	States         []advisory.State // only in one of these states
	SubmissionID   string           // only from this submission's review
}

// AdvisoryReader reads advisories, their published revisions and
// consumers' subscriptions.
type AdvisoryReader interface {
	GetAdvisory(ctx context.Context, id string) (*advisory.Advisory, error)
	// ListAdvisories lists advisories in the order they were created.
	ListAdvisories(ctx context.Context, f AdvisoryFilter, p Page) ([]*advisory.Advisory, string, error)
	// AdvisoryRevision returns a published revision as it was published.
	AdvisoryRevision(ctx context.Context, id string, revision int) (*advisory.Advisory, error)
	// ListPublished returns the current revision of every advisory in a
	// public state, latest revision first, at most limit (0: all), for
	// feeds and exports.
	ListPublished(ctx context.Context, limit int) ([]*advisory.Advisory, error)
	// PublishedStamp changes whenever the set of published advisories or
	// any of their revisions does: how many there are, and the latest
	// revision date. Caches of published documents key on it.
	PublishedStamp(ctx context.Context) (n int, latest time.Time, err error)
	// DueAdvisories returns the IDs of embargoed advisories whose embargo
	// lifts at or before now.
	DueAdvisories(ctx context.Context, now time.Time) ([]string, error)

	GetAdvisorySubscription(ctx context.Context, id string) (*advisory.Subscription, error)
	// ListAdvisorySubscriptions lists an organization's subscriptions ("" for all).
	ListAdvisorySubscriptions(ctx context.Context, orgID string) ([]*advisory.Subscription, error)
}

// AdvisoryWriter writes them inside a ServiceTx.
type AdvisoryWriter interface {
	// NextAdvisorySeq reserves the next sequence number of a year's
	// advisory IDs: 1, 2, 3, … without reuse.
	NextAdvisorySeq(ctx context.Context, year int) (int, error)
	CreateAdvisory(ctx context.Context, a *advisory.Advisory) error
	// UpdateAdvisory replaces an advisory's current state.
	UpdateAdvisory(ctx context.Context, a *advisory.Advisory) error
	// PutAdvisoryRevision keeps a published revision as published; a
	// revision once kept is never changed.
	PutAdvisoryRevision(ctx context.Context, a *advisory.Advisory) error

	CreateAdvisorySubscription(ctx context.Context, s *advisory.Subscription) error
	DeleteAdvisorySubscription(ctx context.Context, id string) error
}
