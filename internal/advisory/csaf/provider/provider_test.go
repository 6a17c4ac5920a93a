package provider_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

var update = flag.Bool("update", false, "rewrite testdata/tree.golden")

// base is the BaseURL of testConfig.
const base = "https://aicc.example/.well-known/csaf"

// TestGolden compares the whole tree of the sample documents, signatures
// included, with testdata/tree.golden: the output is the same in every run
// and on every machine.
func TestGolden(t *testing.T) {
	s, _ := testSigner(t)
	files := build(t, testConfig(s), sampleDocs(t))
	var got bytes.Buffer
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(&got, "-- %s --\n%s", name, files[name])
	}
	golden := filepath.Join("testdata", "tree.golden")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("tree differs from %s; if the change is intended, run go test -update and review the diff", golden)
	}
}

func TestLayout(t *testing.T) {
	s, _ := testSigner(t)
	files := build(t, testConfig(s), sampleDocs(t))
	_, fp := s.PublicKey()
	want := []string{
		"amber/2025/aicc-2025-0004.json",
		"amber/changes.csv",
		"amber/csaf-feed-tlp-amber.json",
		"amber/index.txt",
		"green/2024/aicc-2024-0002.json",
		"green/changes.csv",
		"green/csaf-feed-tlp-green.json",
		"green/index.txt",
		"openpgp/" + fp + ".asc",
		"provider-metadata.json",
		"red/2025/aicc-2025-0005.json",
		"red/changes.csv",
		"red/csaf-feed-tlp-red.json",
		"red/index.txt",
		"service.json",
		"white/2024/aicc-2024-0001.json",
		"white/2024/aicc-2025-0003.json", // 2025-01-01T00:30:00+01:00 is 2024 in UTC
		"white/2025/aicc_2025_0006_draft_.json",
		"white/changes.csv",
		"white/csaf-feed-tlp-white.json",
		"white/index.txt",
	}
	var doc []string
	for _, w := range want {
		if strings.HasSuffix(w, ".json") && strings.Count(w, "/") == 2 {
			doc = append(doc, w+".asc", w+".sha256", w+".sha512")
		}
	}
	want = append(want, doc...)
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, d := range sampleDocs(t) {
		p := samplePaths[d.TrackingID]
		if !bytes.Equal(files[p], d.JSON) {
			t.Errorf("%s does not hold the JSON of %s byte for byte", p, d.TrackingID)
		}
	}
}

// samplePaths is where each sample document goes.
var samplePaths = map[string]string{
	"AICC-2024-0001":         "white/2024/aicc-2024-0001.json",
	"AICC-2024-0002":         "green/2024/aicc-2024-0002.json",
	"AICC-2025-0003":         "white/2024/aicc-2025-0003.json",
	"AICC-2025-0004":         "amber/2025/aicc-2025-0004.json",
	"AICC-2025-0005":         "red/2025/aicc-2025-0005.json",
	"AICC 2025/0006 (Draft)": "white/2025/aicc_2025_0006_draft_.json",
}

// providerSchema compiles the official provider metadata schema with the
// CSAF schema it refers to for the publisher, and the CVSS schemas that one
// refers to; nothing is fetched. The schemas in testdata are copied
// unchanged from the OASIS CSAF 2.0 release (errata 01) and FIRST, as in
// internal/advisory/csaf/check.
func providerSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(noLoader{})
	for url, file := range map[string]string{
		"https://docs.oasis-open.org/csaf/csaf/v2.0/provider_json_schema.json": "provider_json_schema.json",
		"https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json":     "csaf_json_schema.json",
		"https://www.first.org/cvss/cvss-v2.0.json":                            "cvss-v2.0.json",
		"https://www.first.org/cvss/cvss-v3.0.json":                            "cvss-v3.0.json",
		"https://www.first.org/cvss/cvss-v3.1.json":                            "cvss-v3.1.json",
	} {
		f, err := os.Open(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("https://docs.oasis-open.org/csaf/csaf/v2.0/provider_json_schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not in testdata", url)
}

func validateMetadata(t *testing.T, sch *jsonschema.Schema, raw []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("provider-metadata.json is not valid: %v\n%s", err, raw)
	}
}

func TestProviderMetadata(t *testing.T) {
	sch := providerSchema(t)
	s, _ := testSigner(t)
	files := build(t, testConfig(s), sampleDocs(t))
	raw := files["provider-metadata.json"]
	validateMetadata(t, sch, raw)

	var pm struct {
		CanonicalURL  string `json:"canonical_url"`
		Distributions []struct {
			DirectoryURL string `json:"directory_url"`
			ROLIE        *struct {
				Feeds []struct {
					TLPLabel string `json:"tlp_label"`
					URL      string `json:"url"`
				} `json:"feeds"`
				Services []string `json:"services"`
			} `json:"rolie"`
		} `json:"distributions"`
		LastUpdated     string `json:"last_updated"`
		List            bool   `json:"list_on_CSAF_aggregators"`
		Mirror          bool   `json:"mirror_on_CSAF_aggregators"`
		MetadataVersion string `json:"metadata_version"`
		Keys            []struct {
			Fingerprint string `json:"fingerprint"`
			URL         string `json:"url"`
		} `json:"public_openpgp_keys"`
		Publisher provider.Publisher `json:"publisher"`
		Role      string             `json:"role"`
	}
	if err := json.Unmarshal(raw, &pm); err != nil {
		t.Fatal(err)
	}
	_, fp := s.PublicKey()
	if pm.CanonicalURL != base+"/provider-metadata.json" || pm.MetadataVersion != "2.0" || !pm.List || !pm.Mirror ||
		pm.Role != "csaf_trusted_provider" || pm.Publisher != testConfig(s).Publisher {
		t.Errorf("metadata: %s", raw)
	}
	if pm.LastUpdated != "2025-05-05T05:05:05Z" {
		t.Errorf("last_updated = %s, want the latest current_release_date 2025-05-05T05:05:05Z", pm.LastUpdated)
	}
	if len(pm.Keys) != 1 || pm.Keys[0].Fingerprint != fp || len(fp) != 40 || pm.Keys[0].URL != base+"/openpgp/"+fp+".asc" {
		t.Errorf("public_openpgp_keys = %+v, fingerprint %s", pm.Keys, fp)
	}
	rolie := pm.Distributions[0].ROLIE
	if rolie == nil {
		t.Fatalf("first distribution is not ROLIE: %s", raw)
	}
	var labels, dirs []string
	for _, f := range rolie.Feeds {
		labels = append(labels, f.TLPLabel)
		folder := strings.ToLower(f.TLPLabel)
		if f.URL != base+"/"+folder+"/csaf-feed-tlp-"+folder+".json" {
			t.Errorf("feed URL %s", f.URL)
		}
	}
	for _, d := range pm.Distributions[1:] {
		dirs = append(dirs, d.DirectoryURL)
	}
	if want := []string{"WHITE", "GREEN", "AMBER", "RED"}; !slices.Equal(labels, want) {
		t.Errorf("feeds %v, want %v", labels, want)
	}
	if want := []string{base + "/white"}; !slices.Equal(dirs, want) { // the public folder only
		t.Errorf("directory distributions %v, want %v", dirs, want)
	}
	if !slices.Equal(rolie.Services, []string{base + "/service.json"}) {
		t.Errorf("services %v", rolie.Services)
	}
	// Every URL points into the tree.
	for _, u := range append([]string{pm.Keys[0].URL, rolie.Services[0]}, feedURLs(rolie.Feeds)...) {
		if _, ok := files[strings.TrimPrefix(u, base+"/")]; !ok {
			t.Errorf("%s is not in the tree", u)
		}
	}
}

func feedURLs(feeds []struct {
	TLPLabel string `json:"tlp_label"`
	URL      string `json:"url"`
}) []string {
	var us []string
	for _, f := range feeds {
		us = append(us, f.URL)
	}
	return us
}

func TestIndexAndChanges(t *testing.T) {
	s, _ := testSigner(t)
	files := build(t, testConfig(s), sampleDocs(t))
	for name, want := range map[string]string{
		"white/index.txt": "2024/aicc-2024-0001.json\n2024/aicc-2025-0003.json\n2025/aicc_2025_0006_draft_.json\n",
		"white/changes.csv": `"2025/aicc_2025_0006_draft_.json","2025-05-05T05:05:05Z"` + "\n" +
			`"2024/aicc-2025-0003.json","2025-02-10T12:00:00.5Z"` + "\n" +
			`"2024/aicc-2024-0001.json","2025-01-15T08:00:00Z"` + "\n",
		"green/index.txt":   "2024/aicc-2024-0002.json\n",
		"green/changes.csv": `"2024/aicc-2024-0002.json","2024-06-01T09:00:00Z"` + "\n",
		"amber/index.txt":   "2025/aicc-2025-0004.json\n",
		"amber/changes.csv": `"2025/aicc-2025-0004.json","2025-03-02T00:00:00Z"` + "\n",
		"red/index.txt":     "2025/aicc-2025-0005.json\n",
		"red/changes.csv":   `"2025/aicc-2025-0005.json","2025-04-01T00:00:00Z"` + "\n",
	} {
		if got := string(files[name]); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
		}
	}
	// changes.csv is CSV that tools read, with the times gocsaf parses.
	r := csv.NewReader(bytes.NewReader(files["white/changes.csv"]))
	r.FieldsPerRecord = 2
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if _, err := time.Parse(time.RFC3339, rec[1]); err != nil {
			t.Error(err)
		}
		if _, ok := files["white/"+rec[0]]; !ok {
			t.Errorf("changes.csv lists %s, which is not in the tree", rec[0])
		}
	}
}

type feedLink struct {
	Rel  string `json:"rel"`
	HRef string `json:"href"`
}

type feedDoc struct {
	Feed struct {
		ID       string     `json:"id"`
		Title    string     `json:"title"`
		Link     []feedLink `json:"link"`
		Category []struct {
			Scheme string `json:"scheme"`
			Term   string `json:"term"`
		} `json:"category"`
		Updated string `json:"updated"`
		Entry   []struct {
			ID        string     `json:"id"`
			Title     string     `json:"title"`
			Link      []feedLink `json:"link"`
			Published string     `json:"published"`
			Updated   string     `json:"updated"`
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
		} `json:"entry"`
	} `json:"feed"`
}

func TestROLIEFeeds(t *testing.T) {
	s, _ := testSigner(t)
	docs := sampleDocs(t)
	files := build(t, testConfig(s), docs)
	byID := map[string]provider.Document{}
	for _, d := range docs {
		byID[d.TrackingID] = d
	}
	for _, tlp := range []string{"WHITE", "GREEN", "AMBER", "RED"} {
		folder := strings.ToLower(tlp)
		name := folder + "/csaf-feed-tlp-" + folder + ".json"
		t.Run(tlp, func(t *testing.T) {
			var f feedDoc
			if err := json.Unmarshal(files[name], &f); err != nil {
				t.Fatal(err)
			}
			if f.Feed.ID != "csaf-feed-tlp-"+folder || f.Feed.Title != "AICC Clearinghouse CSAF feed (TLP:"+tlp+")" {
				t.Errorf("feed id %q title %q", f.Feed.ID, f.Feed.Title)
			}
			if len(f.Feed.Link) == 0 || f.Feed.Link[0] != (feedLink{"self", base + "/" + name}) {
				t.Errorf("feed links %v", f.Feed.Link)
			}
			if len(f.Feed.Category) != 1 || f.Feed.Category[0].Scheme != "urn:ietf:params:rolie:category:information-type" || f.Feed.Category[0].Term != "csaf" {
				t.Errorf("feed category %v", f.Feed.Category)
			}
			var ids, want []string
			for _, d := range docs {
				if d.TLP == tlp {
					want = append(want, d.TrackingID)
				}
			}
			var prev time.Time
			for i, e := range f.Feed.Entry {
				ids = append(ids, e.ID)
				d := byID[e.ID]
				u := base + "/" + samplePaths[e.ID]
				wantLinks := []feedLink{{"self", u}, {"hash", u + ".sha256"}, {"hash", u + ".sha512"}, {"signature", u + ".asc"}}
				if !slices.Equal(e.Link, wantLinks) {
					t.Errorf("%s links %v, want %v", e.ID, e.Link, wantLinks)
				}
				for _, l := range e.Link {
					if _, ok := files[strings.TrimPrefix(l.HRef, base+"/")]; !ok {
						t.Errorf("%s links %s, which is not in the tree", e.ID, l.HRef)
					}
				}
				updated, err1 := time.Parse(time.RFC3339, e.Updated)
				published, err2 := time.Parse(time.RFC3339, e.Published)
				if err1 != nil || err2 != nil || !updated.Equal(d.CurrentReleaseDate) || !published.Equal(d.InitialReleaseDate) {
					t.Errorf("%s published %s updated %s", e.ID, e.Published, e.Updated)
				}
				if i > 0 && updated.After(prev) {
					t.Errorf("entry %s is newer than the one before it", e.ID)
				}
				prev = updated
				if i == 0 && e.Updated != f.Feed.Updated {
					t.Errorf("feed updated %s, newest entry %s", f.Feed.Updated, e.Updated)
				}
				if e.Title != d.Title || e.Summary.Content != d.Title || e.Content.Type != "application/json" || e.Content.Src != u ||
					e.Format.Schema != "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json" || e.Format.Version != "2.0" {
					t.Errorf("entry %+v", e)
				}
			}
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("feed lists %v, want %v", ids, want)
			}
		})
	}

	var svc struct {
		Service struct {
			Workspace []struct {
				Collection []struct {
					HRef string `json:"href"`
				} `json:"collection"`
			} `json:"workspace"`
		} `json:"service"`
	}
	if err := json.Unmarshal(files["service.json"], &svc); err != nil {
		t.Fatal(err)
	}
	var hrefs []string
	for _, c := range svc.Service.Workspace[0].Collection {
		hrefs = append(hrefs, c.HRef)
	}
	if want := []string{base + "/white/csaf-feed-tlp-white.json", base + "/green/csaf-feed-tlp-green.json", base + "/amber/csaf-feed-tlp-amber.json", base + "/red/csaf-feed-tlp-red.json"}; !slices.Equal(hrefs, want) {
		t.Errorf("service document lists %v, want %v", hrefs, want)
	}
}

func TestHashes(t *testing.T) {
	s, _ := testSigner(t)
	files := build(t, testConfig(s), sampleDocs(t))
	n := 0
	for name, content := range files {
		var sum []byte
		switch {
		case strings.HasSuffix(name, ".sha512"):
			h := sha512.Sum512(files[strings.TrimSuffix(name, ".sha512")])
			sum = h[:]
		case strings.HasSuffix(name, ".sha256"):
			h := sha256.Sum256(files[strings.TrimSuffix(name, ".sha256")])
			sum = h[:]
		default:
			continue
		}
		n++
		doc := path.Base(name[:strings.LastIndexByte(name, '.')])
		if want := hex.EncodeToString(sum) + "  " + doc + "\n"; string(content) != want {
			t.Errorf("%s = %q, want %q", name, content, want)
		}
	}
	if n != 2*len(sampleDocs(t)) {
		t.Errorf("%d hash files, want %d", n, 2*len(sampleDocs(t)))
	}
}

// verifyAt is the time the tests verify signatures at, after every sample
// document, whatever the clock says.
var verifyAt = &packet.Config{Time: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}

func TestSignatures(t *testing.T) {
	s, _ := testSigner(t)
	docs := sampleDocs(t)
	files := build(t, testConfig(s), docs)
	_, fp := s.PublicKey()
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(files["openpgp/"+fp+".asc"]))
	if err != nil {
		t.Fatalf("published key: %v", err)
	}
	if got := fmt.Sprintf("%X", keyring[0].PrimaryKey.Fingerprint); got != fp {
		t.Errorf("published key has fingerprint %s, metadata says %s", got, fp)
	}
	for _, d := range docs {
		p := samplePaths[d.TrackingID]
		asc := files[p+".asc"]
		if _, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(files[p]), bytes.NewReader(asc), verifyAt); err != nil {
			t.Errorf("%s.asc does not verify: %v", p, err)
		}
		tampered := append(bytes.Clone(files[p]), ' ')
		if _, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(tampered), bytes.NewReader(asc), verifyAt); err == nil {
			t.Errorf("%s.asc verifies a changed document", p)
		}
		if got, want := signatureTime(t, asc), d.CurrentReleaseDate.Truncate(time.Second); !got.Equal(want) {
			t.Errorf("%s.asc made at %v, want the current_release_date %v", p, got, want)
		}
	}
}

// signatureTime returns the creation time of an armored signature.
func signatureTime(t *testing.T, asc []byte) time.Time {
	t.Helper()
	block, err := armor.Decode(bytes.NewReader(asc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := packet.Read(block.Body)
	if err != nil {
		t.Fatal(err)
	}
	sig, ok := p.(*packet.Signature)
	if !ok {
		t.Fatalf("packet %T, want a signature", p)
	}
	if len(sig.Notations) != 0 {
		t.Errorf("signature has notations %v (a random salt?)", sig.Notations)
	}
	return sig.CreationTime
}

func TestSignatureNotBeforeKey(t *testing.T) {
	created := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s, _, err := provider.GenerateSignerFrom("AICC", "csaf@aicc.example", created, rand.NewChaCha8([32]byte{1}))
	if err != nil {
		t.Fatal(err)
	}
	d := mkdoc(t, "AICC-OLD", "WHITE", "2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z", "Older than the key")
	files := build(t, testConfig(s), []provider.Document{d})
	asc := files["white/2023/aicc-old.json.asc"]
	if got := signatureTime(t, asc); !got.Equal(created) {
		t.Errorf("signature made at %v, want the key's creation %v", got, created)
	}
	pub, _ := s.PublicKey()
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(pub))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(d.JSON), bytes.NewReader(asc), verifyAt); err != nil {
		t.Errorf("signature does not verify: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	s, priv := testSigner(t)
	first := build(t, testConfig(s), sampleDocs(t))

	// The same inputs in another order, with the key read anew.
	s2, err := provider.NewSigner(priv, nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := sampleDocs(t)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	for range 3 {
		again := build(t, testConfig(s2), docs)
		if !maps.EqualFunc(first, again, bytes.Equal) {
			for name := range first {
				if !bytes.Equal(first[name], again[name]) {
					t.Errorf("%s differs between builds", name)
				}
			}
			t.Fatalf("builds differ")
		}
		slices.Reverse(docs)
	}
}

func TestBuildErrors(t *testing.T) {
	s, _ := testSigner(t)
	docs := sampleDocs(t)
	purple := mkdoc(t, "AICC-9", "WHITE", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "x")
	purple.TLP = "PURPLE"
	for name, tc := range map[string]struct {
		cfg  provider.Config
		docs []provider.Document
		want string
	}{
		"unknown TLP": {testConfig(s), append(slices.Clone(docs), purple), `document "AICC-9": unknown TLP "PURPLE"`},
		"same file name": {testConfig(s), []provider.Document{
			mkdoc(t, "AICC:1", "WHITE", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "x"),
			mkdoc(t, "aicc/1", "RED", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "x"),
		}, `documents "AICC:1" and "aicc/1" both get the file name aicc_1.json`},
		"same document twice":    {testConfig(s), append(slices.Clone(docs), docs[0]), `"AICC-2024-0001" and "AICC-2024-0001"`},
		"trusted without signer": {testConfig(nil), docs, "role csaf_trusted_provider requires OpenPGP signatures"},
		"unknown role":           {func() provider.Config { c := testConfig(s); c.Role = "csaf_aggregator"; return c }(), docs, `role "csaf_aggregator"`},
		"http": {func() provider.Config {
			c := testConfig(s)
			c.BaseURL = "http://aicc.example/.well-known/csaf"
			return c
		}(), docs, "is not an https URL"},
		"no base":         {func() provider.Config { c := testConfig(s); c.BaseURL = ""; return c }(), docs, "BaseURL"},
		"publisher":       {func() provider.Config { c := testConfig(s); c.Publisher.Category = "cert"; return c }(), docs, `publisher category "cert"`},
		"namespace":       {func() provider.Config { c := testConfig(s); c.Publisher.Namespace = "aicc"; return c }(), docs, "namespace"},
		"nothing to date": {testConfig(s), nil, "no documents and no Config.LastUpdated"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := provider.Build(t.Context(), tc.cfg, tc.docs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if cerr := tc.cfg.Validate(); (cerr != nil) != strings.HasPrefix(err.Error(), "provider config:") {
				t.Errorf("Config.Validate() = %v for Build error %v", cerr, err)
			}
		})
	}
}

func TestProviderWithoutSigner(t *testing.T) {
	cfg := testConfig(nil)
	cfg.Role = provider.RoleProvider
	files := build(t, cfg, sampleDocs(t))
	for name := range files {
		if strings.HasSuffix(name, ".asc") {
			t.Errorf("%s written without a signer", name)
		}
	}
	validateMetadata(t, providerSchema(t), files["provider-metadata.json"])
	if bytes.Contains(files["provider-metadata.json"], []byte("public_openpgp_keys")) {
		t.Error("metadata lists a key")
	}
	if bytes.Contains(files["white/csaf-feed-tlp-white.json"], []byte(`"signature"`)) {
		t.Error("feed links a signature")
	}
}

func TestOnlyRestrictedDocuments(t *testing.T) {
	s, _ := testSigner(t)
	d := mkdoc(t, "AICC-7", "RED", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "x")
	cfg := testConfig(s)
	cfg.LastUpdated = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC) // e.g. a new key
	files := build(t, cfg, []provider.Document{d})
	// A public feed exists all the same (requirement 15), empty.
	var f feedDoc
	if err := json.Unmarshal(files["white/csaf-feed-tlp-white.json"], &f); err != nil {
		t.Fatal(err)
	}
	if f.Feed.Updated != "2025-07-01T00:00:00Z" || f.Feed.Entry == nil || len(f.Feed.Entry) != 0 {
		t.Errorf("empty white feed: %s", files["white/csaf-feed-tlp-white.json"])
	}
	if !bytes.Contains(files["white/csaf-feed-tlp-white.json"], []byte(`"entry": []`)) {
		t.Error(`empty feed has no "entry": []`)
	}
	if len(files["white/index.txt"]) != 0 || len(files["white/changes.csv"]) != 0 {
		t.Error("empty white folder lists documents")
	}
	if !bytes.Contains(files["provider-metadata.json"], []byte(`"last_updated": "2025-07-01T00:00:00Z"`)) {
		t.Errorf("Config.LastUpdated later than the documents is not last_updated:\n%s", files["provider-metadata.json"])
	}
	validateMetadata(t, providerSchema(t), files["provider-metadata.json"])
	if _, ok := files["green/index.txt"]; ok {
		t.Error("green folder without green documents")
	}
}

func TestRestricted(t *testing.T) {
	for name, want := range map[string]bool{
		"amber/2025/x.json":              true,
		"red/csaf-feed-tlp-red.json":     true,
		"/red/index.txt":                 true,
		"red":                            true,
		"white/2025/x.json":              false,
		"green/changes.csv":              true,
		"provider-metadata.json":         false,
		"service.json":                   false,
		"openpgp/ABC.asc":                false,
		"redacted/x":                     false,
		"white/csaf-feed-tlp-white.json": false,
	} {
		if got := provider.Restricted(name); got != want {
			t.Errorf("Restricted(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestBuildCancelled(t *testing.T) {
	s, _ := testSigner(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := provider.Build(ctx, testConfig(s), sampleDocs(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
