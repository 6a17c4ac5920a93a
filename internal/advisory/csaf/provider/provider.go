package provider

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The roles of section 7.2 that a provider-metadata.json can claim.
const (
	RolePublisher       = "csaf_publisher"
	RoleProvider        = "csaf_provider"
	RoleTrustedProvider = "csaf_trusted_provider"
)

// Publisher is the publisher object of provider-metadata.json; it should
// match /document/publisher of the documents.
type Publisher struct {
	Category         string `json:"category"` // coordinator, discoverer, other, translator, user or vendor
	ContactDetails   string `json:"contact_details,omitempty"`
	IssuingAuthority string `json:"issuing_authority,omitempty"`
	Name             string `json:"name"`
	Namespace        string `json:"namespace"` // an absolute URL
}

// Validate names the first missing or invalid field.
func (p Publisher) Validate() error {
	switch p.Category {
	case "coordinator", "discoverer", "other", "translator", "user", "vendor":
	default:
		return fmt.Errorf("publisher category %q is not one of coordinator, discoverer, other, translator, user, vendor", p.Category)
	}
	if p.Name == "" {
		return errors.New("publisher name is required")
	}
	if u, err := url.Parse(p.Namespace); err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("publisher namespace %q is not an absolute URL", p.Namespace)
	}
	return nil
}

// Config describes the provider.
type Config struct {
	// BaseURL is the https URL under which the tree is served, normally
	// https://<domain>/.well-known/csaf (requirement 9). Every URL in the
	// metadata and feeds starts with it; canonical_url is
	// BaseURL/provider-metadata.json.
	BaseURL string
	// Publisher is the publisher object of provider-metadata.json.
	Publisher Publisher
	// Role is one of the Role constants; empty means RoleTrustedProvider,
	// which requires a Signer.
	Role string
	// Signer signs every document. Nil writes no .asc files and no key,
	// which only the publisher and provider roles allow.
	Signer *Signer
	// LastUpdated is last_updated of provider-metadata.json when it is later
	// than every document's current_release_date, e.g. after a change of
	// key or publisher; zero means the latest current_release_date. Without
	// documents it is required.
	LastUpdated time.Time
}

// Validate reports the first invalid field, as Build would.
func (c Config) Validate() error {
	_, err := c.normalized()
	return err
}

// normalized validates c and returns it with defaults applied and the base
// URL without a trailing slash.
func (c Config) normalized() (Config, error) {
	c.Role = cmp.Or(c.Role, RoleTrustedProvider)
	switch c.Role {
	case RolePublisher, RoleProvider:
	case RoleTrustedProvider:
		if c.Signer == nil {
			return c, errors.New("provider config: role csaf_trusted_provider requires OpenPGP signatures (requirements 19, 20): set Signer, or choose role csaf_provider")
		}
	default:
		return c, fmt.Errorf("provider config: role %q is not one of %s, %s, %s", c.Role, RolePublisher, RoleProvider, RoleTrustedProvider)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || !(u.Scheme == "https" || u.Scheme == "http" && loopback(u.Hostname())) || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return c, fmt.Errorf("provider config: BaseURL %q is not an https URL without query or fragment (requirements 3, 9), e.g. https://aicc.example/.well-known/csaf; plain http is accepted for loopback addresses only, for trials", c.BaseURL)
	}
	if err := c.Publisher.Validate(); err != nil {
		return c, fmt.Errorf("provider config: %w", err)
	}
	return c, nil
}

// Restricted reports whether a path of the tree (as returned by Build)
// belongs to TLP:GREEN, TLP:AMBER or TLP:RED documents, which must not be
// served to the public: AMBER and RED only to authenticated recipients
// (requirement 5), and GREEN, which TLP forbids sharing "via publicly
// accessible channels", only to the community. Everything else is public.
func Restricted(name string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(name, "/"), "/")
	return first == "green" || first == "amber" || first == "red"
}

// entry is a document with everything derived from it.
type entry struct {
	doc            *Document
	path           string // <tlp>/<year>/<file>.json
	sha256, sha512 []byte // the hash files
	signature      []byte // the .asc file, nil without a signer
}

// Build returns the provider directory for docs as file path → contents,
// paths relative to the served directory with "/" separators (see the
// package documentation). The .json files share the documents' JSON slices.
// It fails on an invalid configuration, on the first invalid document
// (naming it) and on two documents that would get the same file name.
func Build(ctx context.Context, cfg Config, docs []Document) (map[string][]byte, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	entries := make([]entry, len(docs))
	err = parallel(ctx, len(docs), func(i int) error {
		e, err := newEntry(&docs[i], cfg.Signer)
		entries[i] = e
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("build CSAF provider directory: %w", err)
	}
	owner := make(map[string]string, len(entries)) // file name → tracking ID
	for _, e := range entries {
		name := path.Base(e.path)
		if other, ok := owner[name]; ok {
			return nil, fmt.Errorf("build CSAF provider directory: documents %q and %q both get the file name %s", other, e.doc.TrackingID, name)
		}
		owner[name] = e.doc.TrackingID
	}

	last := cfg.LastUpdated
	for _, e := range entries {
		if e.doc.CurrentReleaseDate.After(last) {
			last = e.doc.CurrentReleaseDate
		}
	}
	if last.IsZero() {
		return nil, errors.New("build CSAF provider directory: no documents and no Config.LastUpdated to date the metadata")
	}

	files := make(map[string][]byte, 4*len(entries)+16)
	byTLP := map[string][]entry{"white": nil} // white always exists (requirement 15)
	for _, e := range entries {
		files[e.path] = e.doc.JSON
		files[e.path+".sha256"] = e.sha256
		files[e.path+".sha512"] = e.sha512
		if e.signature != nil {
			files[e.path+".asc"] = e.signature
		}
		folder := folderOf(e.doc.TLP)
		byTLP[folder] = append(byTLP[folder], e)
	}
	var feeds []feedInfo
	for _, t := range tlpFolders {
		es, ok := byTLP[t.folder]
		if !ok {
			continue
		}
		f := feedInfo{label: t.label, folder: t.folder, name: "csaf-feed-tlp-" + t.folder + ".json"}
		feeds = append(feeds, f)
		if err := writeFolder(files, cfg, f, es, last); err != nil {
			return nil, fmt.Errorf("build CSAF provider directory: %w", err)
		}
	}
	if err := writeTop(files, cfg, feeds, last); err != nil {
		return nil, fmt.Errorf("build CSAF provider directory: %w", err)
	}
	return files, nil
}

// newEntry validates d, places it and makes its hash and signature files.
func newEntry(d *Document, s *Signer) (entry, error) {
	year, err := d.check()
	if err != nil {
		return entry{}, err
	}
	name := Filename(d.TrackingID)
	e := entry{doc: d, path: fmt.Sprintf("%s/%04d/%s", folderOf(d.TLP), year, name)}
	s256 := sha256.Sum256(d.JSON)
	s512 := sha512.Sum512(d.JSON)
	e.sha256 = hashFile(s256[:], name)
	e.sha512 = hashFile(s512[:], name)
	if s != nil {
		if e.signature, err = s.sign(d.JSON, d.CurrentReleaseDate); err != nil {
			return entry{}, fmt.Errorf("document %q: %w", d.TrackingID, err)
		}
	}
	return e, nil
}

// hashFile formats a hash file like sha256sum and sha512sum do (requirement 18).
func hashFile(sum []byte, name string) []byte {
	b := make([]byte, 0, 2*len(sum)+2+len(name)+1)
	b = hex.AppendEncode(b, sum)
	b = append(b, "  "...)
	b = append(b, name...)
	return append(b, '\n')
}

// writeFolder adds the index.txt, changes.csv and ROLIE feed of one TLP.
func writeFolder(files map[string][]byte, cfg Config, f feedInfo, es []entry, last time.Time) error {
	rel := func(e entry) string { return strings.TrimPrefix(e.path, f.folder+"/") }

	paths := make([]string, len(es))
	for i, e := range es {
		paths[i] = rel(e)
	}
	slices.Sort(paths)
	var index bytes.Buffer
	for _, p := range paths {
		index.WriteString(p)
		index.WriteByte('\n')
	}
	files[f.folder+"/index.txt"] = index.Bytes()

	// Newest first; ties in a fixed order.
	slices.SortFunc(es, func(a, b entry) int {
		return cmp.Or(b.doc.CurrentReleaseDate.Compare(a.doc.CurrentReleaseDate), strings.Compare(a.path, b.path))
	})
	var changes bytes.Buffer
	for _, e := range es {
		changes.WriteString(csvQuote(rel(e)))
		changes.WriteByte(',')
		changes.WriteString(csvQuote(stamp(e.doc.CurrentReleaseDate)))
		changes.WriteByte('\n')
	}
	files[f.folder+"/changes.csv"] = changes.Bytes()

	updated := last
	if len(es) > 0 {
		updated = es[0].doc.CurrentReleaseDate
	}
	feed, err := marshal(newFeed(cfg, f, es, updated))
	if err != nil {
		return fmt.Errorf("ROLIE feed %s: %w", f.name, err)
	}
	files[f.folder+"/"+f.name] = feed
	return nil
}

// csvQuote quotes a field as changes.csv does: always, doubling quotes.
func csvQuote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// writeTop adds provider-metadata.json, service.json and the public key.
func writeTop(files map[string][]byte, cfg Config, feeds []feedInfo, last time.Time) error {
	service, err := marshal(newService(cfg, feeds))
	if err != nil {
		return fmt.Errorf("ROLIE service document: %w", err)
	}
	files[serviceName] = service
	pm := newProviderMetadata(cfg, feeds, last)
	if cfg.Signer != nil {
		key, fp := cfg.Signer.PublicKey()
		files["openpgp/"+fp+".asc"] = key
	}
	meta, err := marshal(pm)
	if err != nil {
		return fmt.Errorf("provider-metadata.json: %w", err)
	}
	files[metadataName] = meta
	return nil
}

// parallel calls fn for 0..n-1 on GOMAXPROCS goroutines and returns the
// error of the lowest index, or ctx's error.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				errs[i] = fn(i)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// loopback reports whether host is a loopback name or address, where a
// trial server may run without TLS.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
