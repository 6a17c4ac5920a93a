package service

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/csaf"
	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// The CSAF provider directory holds one csaf_security_advisory document per
// published advisory: its summary-level view (the public summary, products,
// statuses, remediations, severity and reproduction figures; never the
// details or the payload), in the folder of the summary's label. Details and
// payloads reach their audiences through exports and TAXII.

// emptyDirectoryDate dates the metadata of a directory that holds no
// document yet: a fixed date, so that it reads the same every time.
var emptyDirectoryDate = time.Unix(0, 0).UTC()

// csafTree is a built directory and what decides access to its files.
type csafTree struct {
	stamp string
	files map[string][]byte
	// byPath maps each document file (and its hash and signature files)
	// to the advisory it publishes.
	byPath map[string]*advisory.Advisory
}

type csafCache struct {
	mu   sync.Mutex
	tree *csafTree
}

// summaryView is what the directory publishes of a.
func summaryView(a *advisory.Advisory) *advisory.Advisory {
	c := *a
	c.Details, c.Payload = withheld(a.Details), withheld(a.Payload)
	for _, t := range []*advisory.Tier{&c.Summary, &c.Details, &c.Payload} {
		t.Audience = advisory.Audience{}
	}
	return &c
}

// csafDocuments renders the directory's documents.
func (s *Service) csafDocuments(ctx context.Context) ([]provider.Document, map[string]*advisory.Advisory, error) {
	as, err := s.st.ListPublished(ctx, 0)
	if err != nil {
		return nil, nil, err
	}
	docs := make([]provider.Document, 0, len(as))
	byFile := make(map[string]*advisory.Advisory, len(as))
	for _, a := range as {
		v := summaryView(a)
		b, err := csaf.Encode(v, s.publisher, csaf.SecurityAdvisory)
		if err != nil {
			return nil, nil, fmt.Errorf("CSAF document of %s: %w", a.ID, err)
		}
		d, err := provider.ParseDocument(b)
		if err != nil {
			return nil, nil, fmt.Errorf("CSAF document of %s: %w", a.ID, err)
		}
		docs = append(docs, d)
		byFile[provider.Filename(d.TrackingID)] = a
	}
	return docs, byFile, nil
}

// csafConfig is the directory's configuration.
func (s *Service) csafConfig() (provider.Config, error) {
	if s.csafSigner == nil {
		return provider.Config{}, aicc.Errorf(aicc.KindUnavailable, "this server has no CSAF signing key")
	}
	cfg := provider.Config{
		BaseURL: strings.TrimRight(s.publisher.BaseURL, "/") + "/.well-known/csaf",
		Publisher: provider.Publisher{Category: "coordinator", Name: s.publisher.Name, Namespace: s.publisher.Namespace,
			ContactDetails: s.publisher.ContactDetails, IssuingAuthority: s.publisher.IssuingAuthority},
		Role:   provider.RoleTrustedProvider,
		Signer: s.csafSigner,
	}
	if err := cfg.Validate(); err != nil {
		return provider.Config{}, aicc.Errorf(aicc.KindUnavailable,
			"the CSAF provider directory is not available: %v; start the server with --public-url https://… (CSAF requires TLS; plain http only on loopback)", err)
	}
	return cfg, nil
}

// WriteCSAFDirectory writes the complete provider directory (every folder,
// for the clearinghouse's own web server to serve, protecting amber/ and
// red/) into dir, replacing it, and returns how many documents it holds.
func (s *Service) WriteCSAFDirectory(ctx context.Context, dir string) (int, error) {
	cfg, err := s.csafConfig()
	if err != nil {
		return 0, err
	}
	docs, _, err := s.csafDocuments(ctx)
	if err != nil {
		return 0, err
	}
	if len(docs) == 0 {
		cfg.LastUpdated = emptyDirectoryDate
	}
	if err := provider.Write(ctx, dir, cfg, docs); err != nil {
		return 0, err
	}
	return len(docs), nil
}

// csafTreeNow returns the directory, built again when the published
// advisories changed.
func (s *Service) csafTreeNow(ctx context.Context) (*csafTree, error) {
	n, latest, err := s.st.PublishedStamp(ctx)
	if err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%d/%d", n, latest.UnixNano())
	s.csaf.mu.Lock()
	defer s.csaf.mu.Unlock()
	if t := s.csaf.tree; t != nil && t.stamp == stamp {
		return t, nil
	}
	cfg, err := s.csafConfig()
	if err != nil {
		return nil, err
	}
	docs, byFile, err := s.csafDocuments(ctx)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		cfg.LastUpdated = emptyDirectoryDate
	}
	files, err := provider.Build(ctx, cfg, docs)
	if err != nil {
		return nil, err
	}
	t := &csafTree{stamp: stamp, files: files, byPath: map[string]*advisory.Advisory{}}
	for p := range files {
		base := path.Base(p)
		for _, ext := range []string{".sha256", ".sha512", ".asc"} {
			base = strings.TrimSuffix(base, ext)
		}
		if a, ok := byFile[base]; ok && strings.Count(p, "/") == 2 {
			t.byPath[p] = a
		}
	}
	s.csaf.tree = t
	return t, nil
}

// CSAFFile returns a file of the provider directory as p may see it:
// public folders and metadata to anyone, TLP:GREEN to member
// organizations, a TLP:AMBER or TLP:RED document only to those who may read
// its advisory; a folder's feed, index.txt and changes.csv list only the
// documents p may read. Anything else is not found.
func (s *Service) CSAFFile(ctx context.Context, p aicc.Principal, name string) ([]byte, string, error) {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	notFound := &aicc.Error{Kind: aicc.KindNotFound, Message: "no file " + name + " in the CSAF provider directory"}
	if name == "" {
		notFound.Message = "the CSAF provider directory has no listing: start at provider-metadata.json"
	}
	t, err := s.csafTreeNow(ctx)
	if err != nil {
		return nil, "", err
	}
	b, ok := t.files[name]
	folder, _, _ := strings.Cut(name, "/")
	restricted := provider.Restricted(name)
	if restricted && p.Anonymous() {
		return nil, "", &aicc.Error{Kind: aicc.KindUnauthorized, Message: "the " + folder + " folder is for member organizations: send an API token"}
	}
	v := viewer(p)
	if !ok {
		// A folder: its listing (requirement 14), of what p may read.
		l := s.csafListing(t, name, p, v)
		if l == nil {
			return nil, "", notFound
		}
		return l, "text/html; charset=utf-8", nil
	}
	if !restricted {
		return b, contentType(name), nil
	}
	if a, ok := t.byPath[name]; ok {
		if advisory.Visible(a, v) == nil {
			return nil, "", notFound
		}
		return b, contentType(name), nil
	}
	// A folder's listings: only the documents p may read.
	visible := func(docPath string) bool {
		a, ok := t.byPath[docPath]
		return ok && advisory.Visible(a, v) != nil
	}
	switch base := path.Base(name); {
	case base == "index.txt" || base == "changes.csv":
		var out strings.Builder
		for line := range strings.SplitSeq(strings.TrimRight(string(b), "\n"), "\n") {
			p := line
			if base == "changes.csv" {
				p, _, _ = strings.Cut(strings.Trim(line, `"`), `","`)
			}
			if visible(folder + "/" + strings.TrimPrefix(p, folder+"/")) {
				out.WriteString(line + "\n")
			}
		}
		return []byte(out.String()), contentType(name), nil
	case strings.HasPrefix(base, "csaf-feed-tlp-"):
		f, err := filterROLIE(b, func(href string) bool {
			rel := strings.TrimPrefix(href, strings.TrimRight(s.publisher.BaseURL, "/")+"/.well-known/csaf/")
			return visible(rel)
		})
		if err != nil {
			return nil, "", err
		}
		return f, contentType(name), nil
	}
	return nil, "", notFound
}

// csafListing renders the listing of a folder of the tree as p may see
// it: its files and subfolders, with a restricted folder's documents only
// when p may read their advisory; nil when there is no such folder or
// nothing in it p may see.
func (s *Service) csafListing(t *csafTree, dir string, p aicc.Principal, v advisory.Viewer) []byte {
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	seen := map[string]bool{}
	var names []string
	for f := range t.files {
		rest, ok := strings.CutPrefix(f, prefix)
		if !ok || rest == "" {
			continue
		}
		if provider.Restricted(f) && p.Anonymous() {
			continue
		}
		if a, doc := t.byPath[f]; doc && advisory.Visible(a, v) == nil {
			continue
		}
		entry, _, isDir := strings.Cut(rest, "/")
		if isDir {
			entry += "/"
		}
		if !seen[entry] {
			seen[entry] = true
			names = append(names, entry)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	base := strings.TrimRight(s.publisher.BaseURL, "/") + "/.well-known/csaf/" + prefix
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of /.well-known/csaf/" + html.EscapeString(prefix) + "</title></head><body>\n<ul>\n")
	for _, n := range names {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(base+n), html.EscapeString(n))
	}
	b.WriteString("</ul>\n</body></html>\n")
	return []byte(b.String())
}

// filterROLIE keeps the entries of a ROLIE feed whose self link keep
// accepts.
func filterROLIE(feed []byte, keep func(href string) bool) ([]byte, error) {
	var f map[string]any
	if err := json.Unmarshal(feed, &f); err != nil {
		return nil, fmt.Errorf("ROLIE feed: %w", err)
	}
	inner, _ := f["feed"].(map[string]any)
	entries, _ := inner["entry"].([]any)
	var kept []any
	for _, e := range entries {
		em, _ := e.(map[string]any)
		links, _ := em["link"].([]any)
		for _, l := range links {
			lm, _ := l.(map[string]any)
			if lm["rel"] == "self" {
				if href, _ := lm["href"].(string); keep(href) {
					kept = append(kept, e)
				}
			}
		}
	}
	if inner != nil {
		inner["entry"] = kept
		if kept == nil {
			inner["entry"] = []any{}
		}
	}
	return json.MarshalIndent(f, "", "  ")
}

func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	case strings.HasSuffix(name, ".asc"):
		return "text/plain; charset=utf-8"
	case strings.HasSuffix(name, ".csv"):
		return "text/csv; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}
