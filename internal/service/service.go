package service

import (
	"cmp"
	"context"
	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
	"log/slog"
	"net/http"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/audit"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/coverage"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/target"
)

// Config configures a Service.
type Config struct {
	Store   store.Service
	Keyring *keyring.Keyring
	// AuditKey, when set, keys the audit chain (HMAC), so that someone who
	// can write to the database but lacks the key cannot rewrite history.
	AuditKey []byte
	// TokenTTL is how long a new API token lives unless asked otherwise
	// (default 90 days).
	TokenTTL time.Duration
	// Scans stores the scans of reviews and their attempts; nil for a
	// service that runs none.
	Scans store.Store
	// Queue runs scans as jobs; it may also be set later, with SetQueue.
	Queue Queue
	// HTTPClient reaches model endpoints (default target.NewHTTPClient()).
	HTTPClient *http.Client
	// ScanConcurrency is the most requests in flight per scan (default 16).
	ScanConcurrency int
	// ScanLeaseTTL is how long a dead worker's scan stays claimed before
	// another worker may resume it (default 15 s; at least 1 s).
	ScanLeaseTTL time.Duration
	// ScanSlice is how long one run of a scan job lasts before it pauses
	// (in-flight requests finish) and is put back on the queue (default 1
	// minute).
	ScanSlice time.Duration
	// Review holds the review's schedule and rules; nil for the defaults.
	Review *review.Rules
	// Policies are the coverage policies evaluated on every submission
	// (valid ones: from coverage.Builtin, LoadDir or Merge); nil for the
	// built-in ones.
	Policies []*coverage.Policy
	// AdvisoryFallbackDays is how long a developer may stay silent before
	// an advisory's embargo lifts anyway (0: 45 days; negative: never).
	AdvisoryFallbackDays int
	// Publisher is the clearinghouse as the issuer of advisories.
	Publisher advisory.Publisher
	// CSAFSigner signs the CSAF provider directory (nil: no directory).
	CSAFSigner *provider.Signer
	Logger     *slog.Logger
	Now        func() time.Time
}

// Service runs the clearinghouse's operations.
type Service struct {
	st       store.Service
	keys     *keyring.Keyring
	chain    *audit.Chain
	auditKey []byte
	tokenTTL time.Duration
	log      *slog.Logger
	now      func() time.Time
	touches  touches
	rules    *review.Rules
	policies []*coverage.Policy

	fallbackDays int
	publisher    advisory.Publisher
	csafSigner   *provider.Signer
	csaf         csafCache

	scans           store.Store
	queue           Queue
	httpClient      *http.Client
	scanConcurrency int
	workerID        string
	leaseTTL        time.Duration
	slice           time.Duration
}

// SetQueue sets the queue scans are enqueued on (the queue's workers call
// back into the service, so it is often built after it).
func (s *Service) SetQueue(q Queue) { s.queue = q }

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Keyring == nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "service: a store and a keyring are required")
	}
	chain, err := audit.NewChain(cfg.AuditKey)
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	rules := cfg.Review
	if rules == nil {
		if rules, err = review.New(review.Config{}); err != nil {
			return nil, err
		}
	}
	policies, err := policiesOf(cfg.Policies)
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = target.NewHTTPClient()
	}
	return &Service{
		fallbackDays:    cfg.AdvisoryFallbackDays,
		publisher:       publisherOr(cfg.Publisher),
		csafSigner:      cfg.CSAFSigner,
		scans:           cfg.Scans,
		queue:           cfg.Queue,
		httpClient:      hc,
		scanConcurrency: cmp.Or(cfg.ScanConcurrency, 16),
		workerID:        newWorkerID(),
		leaseTTL:        max(cmp.Or(cfg.ScanLeaseTTL, defaultLeaseTTL), time.Second),
		slice:           cmp.Or(cfg.ScanSlice, time.Minute),
		policies:        policies,
		rules:           rules,
		st:              cfg.Store,
		keys:            cfg.Keyring,
		chain:           chain,
		auditKey:        cfg.AuditKey,
		tokenTTL:        cmp.Or(cfg.TokenTTL, 90*24*time.Hour),
		log:             cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		now:             cfg.Now,
	}, nil
}

func (s *Service) clock() time.Time { return s.now().UTC() }

// check asks authz and returns its error as is.
func check(p aicc.Principal, a authz.Action, r authz.Resource) error {
	return authz.Check(p, a, r)
}

// tx runs fn in a store transaction.
func (s *Service) tx(ctx context.Context, fn func(ctx context.Context, tx store.ServiceTx) error) error {
	return s.st.Tx(ctx, fn)
}

// Publisher is the clearinghouse as the issuer of advisories.
func (s *Service) Publisher() advisory.Publisher { return s.publisher }

// publisherOr fills in what a publisher lacks: a service built without one
// (in tests) still renders valid documents.
func publisherOr(p advisory.Publisher) advisory.Publisher {
	p.Name = cmp.Or(p.Name, "AI Cybersecurity Clearinghouse")
	p.Namespace = cmp.Or(p.Namespace, p.BaseURL, "https://aicc.invalid")
	p.BaseURL = cmp.Or(p.BaseURL, p.Namespace)
	p.ContactDetails = cmp.Or(p.ContactDetails, "see "+p.BaseURL)
	p.IssuingAuthority = cmp.Or(p.IssuingAuthority, "Advisories of the voluntary pre-release review; advisory only: nothing in them approves, denies or blocks a release.")
	return p
}
