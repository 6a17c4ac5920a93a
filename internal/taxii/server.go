package taxii

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Config configures the TAXII server.
type Config struct {
	// Source serves every API root that does not name its own.
	Source Source

	// Title, Description and Contact describe the server in the Discovery
	// resource. Title defaults to "aicc TAXII server".
	Title, Description, Contact string

	// APIRoots are served at /taxii2/{Name}/; the first is the default root.
	// Empty means one root named "aicc".
	APIRoots []APIRoot

	// BaseURL is the absolute URL the server is reached at, such as
	// "https://cti.example.org", used to build the Discovery resource's
	// links. Empty derives it from each request's Host and TLS state; set it
	// behind a proxy.
	BaseURL string

	// Authenticate identifies the caller of every request: it returns a
	// context carrying the caller, derived from r.Context(), which the Source
	// receives. An error is answered 401 with a WWW-Authenticate challenge.
	// Required; an open server passes a function returning r.Context().
	Authenticate func(r *http.Request) (context.Context, error)

	// Challenge is the WWW-Authenticate value sent with 401s; default
	// `Basic realm="aicc"`.
	Challenge string

	// MaxPageSize caps the limit parameter and is the page size when limit
	// is absent; default 1000.
	MaxPageSize int

	// Logger receives failures; default discards.
	Logger *slog.Logger
}

// APIRoot is one TAXII API root.
type APIRoot struct {
	Name             string // the path segment under /taxii2/; letters, digits, '-', '_', '.', '~'
	Title            string // default Name
	Description      string
	MaxContentLength int64  // advertised max_content_length; default 10 MiB (the server accepts no writes)
	Source           Source // default Config.Source
}

const (
	defaultMaxPageSize      = 1000
	defaultMaxContentLength = 10 << 20
)

// rootName is what an API root's name may look like: one unreserved URL
// path segment.
var rootName = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)

// server holds the validated configuration the handlers read.
type server struct {
	title, description, contact string
	baseURL                     string
	roots                       []APIRoot
	authenticate                func(*http.Request) (context.Context, error)
	challenge                   string
	maxPageSize                 int
	log                         *slog.Logger
}

// New returns the TAXII 2.1 handler described by cfg, or an error naming the
// field that is wrong.
func New(cfg Config) (http.Handler, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	s.routes(mux)
	return s.authenticated(s.negotiate(mux)), nil
}

func newServer(cfg Config) (*server, error) {
	s := &server{
		title:        cmp.Or(cfg.Title, "aicc TAXII server"),
		description:  cfg.Description,
		contact:      cfg.Contact,
		baseURL:      strings.TrimSuffix(cfg.BaseURL, "/"),
		authenticate: cfg.Authenticate,
		challenge:    cmp.Or(cfg.Challenge, `Basic realm="aicc"`),
		maxPageSize:  cmp.Or(cfg.MaxPageSize, defaultMaxPageSize),
		log:          cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
	}
	if s.authenticate == nil {
		return nil, errors.New("taxii: Config.Authenticate is nil: pass a function that identifies the caller (one returning r.Context() serves everyone)")
	}
	if s.maxPageSize < 1 {
		return nil, fmt.Errorf("taxii: Config.MaxPageSize is %d: it must be positive, or zero for %d", cfg.MaxPageSize, defaultMaxPageSize)
	}
	if s.baseURL != "" {
		u, err := url.Parse(s.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("taxii: Config.BaseURL %q is not an absolute http(s) URL", cfg.BaseURL)
		}
	}
	roots := cfg.APIRoots
	if len(roots) == 0 {
		roots = []APIRoot{{Name: "aicc"}}
	}
	seen := make(map[string]bool)
	for i, root := range roots {
		if !rootName.MatchString(root.Name) {
			return nil, fmt.Errorf("taxii: Config.APIRoots[%d].Name %q must be one URL path segment of letters, digits, '-', '_', '.' or '~'", i, root.Name)
		}
		if seen[root.Name] {
			return nil, fmt.Errorf("taxii: Config.APIRoots[%d].Name %q is used twice", i, root.Name)
		}
		seen[root.Name] = true
		root.Title = cmp.Or(root.Title, root.Name)
		root.MaxContentLength = cmp.Or(root.MaxContentLength, defaultMaxContentLength)
		root.Source = cmp.Or[Source](root.Source, cfg.Source)
		if root.Source == nil {
			return nil, fmt.Errorf("taxii: Config.Source is nil and Config.APIRoots[%d] (%q) names no Source of its own", i, root.Name)
		}
		if root.MaxContentLength < 0 {
			return nil, fmt.Errorf("taxii: Config.APIRoots[%d].MaxContentLength is negative", i)
		}
		s.roots = append(s.roots, root)
	}
	return s, nil
}

// root is the API root the request names, or a 404.
func (s *server) root(r *http.Request) (*APIRoot, error) {
	name := r.PathValue("root")
	for i := range s.roots {
		if s.roots[i].Name == name {
			return &s.roots[i], nil
		}
	}
	return nil, notFound("There is no API root %q; GET /taxii2/ lists them.", name)
}
