package provider

import (
	"bytes"
	"encoding/json"
	"time"
)

// Names of the files at the top of the tree.
const (
	metadataName = "provider-metadata.json"
	serviceName  = "service.json"
)

// The values every feed and entry carries (requirement 15).
const (
	informationTypeScheme = "urn:ietf:params:rolie:category:information-type"
	csafSchemaURL         = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
)

// feedInfo names the ROLIE feed of one TLP.
type feedInfo struct {
	label  string // WHITE
	folder string // white
	name   string // csaf-feed-tlp-white.json
}

func (f feedInfo) url(cfg Config) string { return cfg.BaseURL + "/" + f.folder + "/" + f.name }

func (f feedInfo) title(cfg Config) string {
	return cfg.Publisher.Name + " CSAF feed (TLP:" + f.label + ")"
}

// providerMetadata is provider-metadata.json (requirement 7), in the order
// of the properties of the provider schema.
type providerMetadata struct {
	CanonicalURL            string         `json:"canonical_url"`
	Distributions           []distribution `json:"distributions"`
	LastUpdated             string         `json:"last_updated"`
	ListOnCSAFAggregators   bool           `json:"list_on_CSAF_aggregators"`
	MetadataVersion         string         `json:"metadata_version"`
	MirrorOnCSAFAggregators bool           `json:"mirror_on_CSAF_aggregators"`
	PublicOpenPGPKeys       []openPGPKey   `json:"public_openpgp_keys,omitempty"`
	Publisher               Publisher      `json:"publisher"`
	Role                    string         `json:"role"`
}

type distribution struct {
	DirectoryURL string             `json:"directory_url,omitempty"`
	ROLIE        *rolieDistribution `json:"rolie,omitempty"`
}

type rolieDistribution struct {
	Feeds    []feedRef `json:"feeds"`
	Services []string  `json:"services,omitempty"`
}

type feedRef struct {
	Summary  string `json:"summary"`
	TLPLabel string `json:"tlp_label"`
	URL      string `json:"url"`
}

type openPGPKey struct {
	Fingerprint string `json:"fingerprint"`
	URL         string `json:"url"`
}

// newProviderMetadata lists every ROLIE feed and the service document, then
// each public TLP folder (white) as a directory distribution (requirements
// 11 to 13). The green, amber and red folders are left out there:
// anonymous readers of the metadata could not read them, and gocsaf's
// csaf_checker counts their index.txt and changes.csv, answered 401, as
// errors. Their feeds, which
// carry the TLP label, lead authenticated consumers to them (section 7.3.2
// prefers ROLIE anyway).
func newProviderMetadata(cfg Config, feeds []feedInfo, last time.Time) providerMetadata {
	rolie := &rolieDistribution{Services: []string{cfg.BaseURL + "/" + serviceName}}
	dists := []distribution{{ROLIE: rolie}}
	for _, f := range feeds {
		rolie.Feeds = append(rolie.Feeds, feedRef{
			Summary:  "All TLP:" + f.label + " advisories of " + cfg.Publisher.Name + ".",
			TLPLabel: f.label,
			URL:      f.url(cfg),
		})
		if !Restricted(f.folder) {
			dists = append(dists, distribution{DirectoryURL: cfg.BaseURL + "/" + f.folder})
		}
	}
	pm := providerMetadata{
		CanonicalURL:            cfg.BaseURL + "/" + metadataName,
		Distributions:           dists,
		LastUpdated:             stamp(last),
		ListOnCSAFAggregators:   true,
		MetadataVersion:         "2.0",
		MirrorOnCSAFAggregators: true,
		Publisher:               cfg.Publisher,
		Role:                    cfg.Role,
	}
	if cfg.Signer != nil {
		_, fp := cfg.Signer.PublicKey()
		pm.PublicOpenPGPKeys = []openPGPKey{{Fingerprint: fp, URL: cfg.BaseURL + "/openpgp/" + fp + ".asc"}}
	}
	return pm
}

// rolieFeed is a ROLIE feed in its JSON form (RFC 8322, requirement 15).
type rolieFeed struct {
	Feed struct {
		ID       string          `json:"id"`
		Title    string          `json:"title"`
		Link     []rolieLink     `json:"link"`
		Category []rolieCategory `json:"category"`
		Updated  string          `json:"updated"`
		Entry    []rolieEntry    `json:"entry"`
	} `json:"feed"`
}

type rolieLink struct {
	Rel  string `json:"rel"`
	HRef string `json:"href"`
}

type rolieCategory struct {
	Scheme string `json:"scheme"`
	Term   string `json:"term"`
}

type rolieEntry struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Link      []rolieLink `json:"link"`
	Published string      `json:"published"`
	Updated   string      `json:"updated"`
	Summary   struct {
		Content string `json:"content"`
	} `json:"summary"`
	Content struct {
		Type string `json:"type"`
		Src  string `json:"src"`
	} `json:"content"`
	Format struct {
		Schema  string `json:"schema"`
		Version string `json:"version"`
	} `json:"format"`
}

// newFeed lists es, already sorted newest first. Atom requires a summary
// when the content is linked; the title serves as one.
func newFeed(cfg Config, f feedInfo, es []entry, updated time.Time) rolieFeed {
	var r rolieFeed
	r.Feed.ID = "csaf-feed-tlp-" + f.folder
	r.Feed.Title = f.title(cfg)
	r.Feed.Link = []rolieLink{
		{Rel: "self", HRef: f.url(cfg)},
		{Rel: "service", HRef: cfg.BaseURL + "/" + serviceName},
	}
	r.Feed.Category = []rolieCategory{{Scheme: informationTypeScheme, Term: "csaf"}}
	r.Feed.Updated = stamp(updated)
	r.Feed.Entry = make([]rolieEntry, 0, len(es))
	for _, e := range es {
		u := cfg.BaseURL + "/" + e.path
		var x rolieEntry
		x.ID = e.doc.TrackingID
		x.Title = e.doc.Title
		x.Link = []rolieLink{{Rel: "self", HRef: u}, {Rel: "hash", HRef: u + ".sha256"}, {Rel: "hash", HRef: u + ".sha512"}}
		if e.signature != nil {
			x.Link = append(x.Link, rolieLink{Rel: "signature", HRef: u + ".asc"})
		}
		x.Published = stamp(e.doc.InitialReleaseDate)
		x.Updated = stamp(e.doc.CurrentReleaseDate)
		x.Summary.Content = e.doc.Title
		x.Content.Type = "application/json"
		x.Content.Src = u
		x.Format.Schema = csafSchemaURL
		x.Format.Version = "2.0"
		r.Feed.Entry = append(r.Feed.Entry, x)
	}
	return r
}

// rolieService is the ROLIE service document (requirement 16).
type rolieService struct {
	Service struct {
		Workspace []rolieWorkspace `json:"workspace"`
	} `json:"service"`
}

type rolieWorkspace struct {
	Title      string            `json:"title"`
	Collection []rolieCollection `json:"collection"`
}

type rolieCollection struct {
	Title      string `json:"title"`
	HRef       string `json:"href"`
	Categories struct {
		Category []rolieCategory `json:"category"`
	} `json:"categories"`
}

func newService(cfg Config, feeds []feedInfo) rolieService {
	w := rolieWorkspace{Title: cfg.Publisher.Name + " CSAF feeds"}
	for _, f := range feeds {
		c := rolieCollection{Title: f.title(cfg), HRef: f.url(cfg)}
		c.Categories.Category = []rolieCategory{{Scheme: informationTypeScheme, Term: "csaf"}}
		w.Collection = append(w.Collection, c)
	}
	var s rolieService
	s.Service.Workspace = []rolieWorkspace{w}
	return s
}

// marshal encodes v as indented JSON with a final newline, leaving <, >
// and & as they are.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
