package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

// Config configures the API.
type Config struct {
	Service *service.Service
	Logger  *slog.Logger
}

// Server serves the API.
type Server struct {
	svc  *service.Service
	log  *slog.Logger
	mux  *http.ServeMux
	idem idempotency
}

// New returns the API's handler.
func New(cfg Config) *Server {
	s := &Server{svc: cfg.Service, log: cfg.Logger, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.routes()
	return s
}

// handlerFunc is a handler that returns its error, rendered by serve.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p aicc.Principal) error

// handle registers a route whose handler returns an error.
func (s *Server) handle(pattern string, h handlerFunc) {
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r, principalOf(r.Context())); err != nil {
			writeError(w, r, s.log, err)
		}
	}))
}

// routes is the API's sitemap. Every route is in openapi.yaml, and a test
// checks that both agree.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})

	s.handle("POST /v1/orgs", s.idempotent(s.createOrg))
	s.handle("GET /v1/orgs", s.listOrgs)
	s.handle("GET /v1/orgs/{org_id}", s.getOrg)

	s.handle("POST /v1/users", s.idempotent(s.createUser))
	s.handle("GET /v1/users", s.listUsers)
	s.handle("POST /v1/users/{user_id}/disable", s.disableUser)
	s.handle("POST /v1/users/{user_id}/tokens", s.idempotent(s.createToken))
	s.handle("GET /v1/users/{user_id}/tokens", s.listTokens)
	s.handle("DELETE /v1/users/{user_id}/tokens/{token_id}", s.revokeToken)

	s.handle("POST /v1/submissions", s.idempotent(s.createSubmission))
	s.handle("GET /v1/submissions", s.listSubmissions)
	s.handle("GET /v1/submissions/{submission_id}", s.getSubmission)
	s.handle("POST /v1/submissions/{submission_id}/release-date", s.moveRelease)
	s.handle("POST /v1/submissions/{submission_id}/withdraw", s.withdraw)
	s.handle("POST /v1/submissions/{submission_id}/released", s.markReleased)
	s.handle("GET /v1/submissions/{submission_id}/reminders", s.listReminders)
	s.handle("POST /v1/submissions/{submission_id}/advance", s.advance)

	s.handle("GET /v1/submissions/{submission_id}/coverage", s.getCoverage)
	s.handle("POST /v1/submissions/{submission_id}/coverage", s.evaluateCoverage)
	s.handle("POST /v1/designations", s.idempotent(s.createDesignation))
	s.handle("GET /v1/designations", s.listDesignations)
	s.handle("POST /v1/designations/{designation_id}/revoke", s.revokeDesignation)
	s.handle("GET /v1/policies", s.listPolicies)

	s.handle("POST /v1/submissions/{submission_id}/scans", s.idempotent(s.startScan))
	s.handle("GET /v1/submissions/{submission_id}/scans", s.listScans)
	s.handle("GET /v1/submissions/{submission_id}/findings", s.listFindings)
	s.handle("GET /v1/findings/{finding_id}", s.getFinding)
	s.handle("GET /v1/findings/{finding_id}/evidence", s.findingEvidence)
	s.handle("POST /v1/findings/{finding_id}/confirm", s.findingAction(s.svc.ConfirmFinding))
	s.handle("POST /v1/findings/{finding_id}/reject", s.findingAction(s.svc.RejectFinding))
	s.handle("POST /v1/findings/{finding_id}/dispute", s.findingAction(s.svc.DisputeFinding))
	s.handle("POST /v1/findings/{finding_id}/comments", s.findingAction(s.svc.CommentFinding))
	s.handle("POST /v1/findings/{finding_id}/remediations", s.idempotent(s.createRemediation))
	s.handle("POST /v1/findings/{finding_id}/retests", s.idempotent(s.createRetest))
	s.handle("GET /v1/retests/{retest_id}", s.getRetest)

	s.handle("POST /v1/webhooks", s.idempotent(s.createWebhook))
	s.handle("GET /v1/webhooks", s.listWebhooks)
	s.handle("DELETE /v1/webhooks/{webhook_id}", s.deleteWebhook)
	s.handle("GET /v1/webhooks/{webhook_id}/deliveries", s.listDeliveries)

	s.handle("POST /v1/advisories", s.idempotent(s.createAdvisory))
	s.handle("GET /v1/advisories", s.listAdvisories)
	s.handle("GET /v1/advisories/{advisory_id}", s.getAdvisory)
	s.handle("PATCH /v1/advisories/{advisory_id}", s.updateAdvisory)
	s.handle("GET /v1/advisories/{advisory_id}/revisions/{revision}", s.getAdvisoryRevision)
	s.handle("POST /v1/advisories/{advisory_id}/publish", s.publishAdvisory)
	s.handle("POST /v1/advisories/{advisory_id}/embargo", s.moveEmbargo)
	s.handle("POST /v1/advisories/{advisory_id}/statement", s.attachStatement)
	s.handle("POST /v1/advisories/{advisory_id}/withdraw", s.withdrawAdvisory)
	s.handle("GET /v1/advisories/{advisory_id}/export", s.exportAdvisory)
	s.handle("POST /v1/advisory-subscriptions", s.idempotent(s.createAdvisorySubscription))
	s.handle("GET /v1/advisory-subscriptions", s.listAdvisorySubscriptions)
	s.handle("DELETE /v1/advisory-subscriptions/{subscription_id}", s.deleteAdvisorySubscription)

	// Feeds of published advisories (standard formats, outside /v1).
	s.handle("GET /feeds/advisories.json", s.feed("json", "application/feed+json"))
	s.handle("GET /feeds/advisories.atom", s.feed("atom", "application/atom+xml"))

	// The CSAF 2.0 provider directory.
	s.handle("GET /.well-known/csaf/{path...}", s.csafFile)
	s.handle("GET /.well-known/security.txt", s.securityTxt)

	// The TAXII 2.1 server (its own protocol, media types and errors).
	if h, err := s.taxiiHandler(); err != nil {
		s.log.Error("the TAXII server is not available", "err", err)
	} else {
		s.mux.Handle("/taxii2/", h)
	}

	s.handle("GET /v1/audit", s.listAudit)
	s.handle("POST /v1/audit/verify", s.verifyAudit)
}

// ServeHTTP authenticates the request and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody+1)
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		raw, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			// TAXII clients often speak Basic: the API token is the password.
			if _, pw, basic := r.BasicAuth(); basic {
				raw, ok = pw, true
			}
		}
		if !ok {
			writeError(w, r, s.log, aicc.Errorf(aicc.KindUnauthorized, "Authorization: use the Bearer scheme with an API token (or Basic, with the token as the password)"))
			return
		}
		p, err := s.svc.Authenticate(r.Context(), raw)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		writeError(w, r, s.log, aicc.Errorf(aicc.KindNotFound, "no operation %s %s; see /openapi.json", r.Method, r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

type principalKey struct{}

func principalOf(ctx context.Context) aicc.Principal {
	p, _ := ctx.Value(principalKey{}).(aicc.Principal)
	return p
}
