package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// channelAdvisory is one advisory of the channel test: its labels,
// audiences and state, and unique markers in each tier's text.
type channelAdvisory struct {
	id               string
	state            advisory.State
	summary, details aicc.TLP
	payload          aicc.TLP
	detailsTo        advisory.Audience
	payloadTo        advisory.Audience
	summaryTo        advisory.Audience
}

func (c channelAdvisory) marker(tier string) string { return "MARK-" + tier + "-" + c.id }

// reader is one organization reading the channels.
type reader struct {
	name, org, token string
	kind             aicc.OrgKind
}

// mayRead is the expectation, written from docs/advisories.md and not
// computed by the code: whether r may read a tier labelled tlp with
// audience to, of an advisory about devOrg's model in state.
func mayRead(r reader, devOrg string, state advisory.State, tlp aicc.TLP, to advisory.Audience) bool {
	if r.kind == aicc.OrgClearinghouse || r.org != "" && r.org == devOrg {
		return true
	}
	if state == advisory.StateDraft || state == advisory.StateEmbargoed {
		return false
	}
	switch tlp {
	case aicc.TLPClear:
		return true
	case aicc.TLPGreen:
		return r.kind != ""
	case aicc.TLPAmber, aicc.TLPAmberStrict:
		return r.kind != "" && (slices.Contains(to.Kinds, r.kind) || slices.Contains(to.Orgs, r.org))
	case aicc.TLPRed:
		return r.kind != "" && slices.Contains(to.Orgs, r.org)
	}
	return false
}

// channelWorld publishes a mix of advisories under every label and state
// and returns them with the readers.
func channelWorld(t *testing.T, engine string) (*bundle, []channelAdvisory, []reader, string) {
	b := setupOn(t, engine)
	ctx := context.Background()
	devOrg, devTok := b.party("Example AI", "developer", "developer")
	opOrg, opTok := b.party("Grid", "operator", "admin")
	op2Org, op2Tok := b.party("Water", "operator", "viewer")
	ossOrg, ossTok := b.party("Open Project", "oss", "admin")
	agOrg, agTok := b.party("Cyber Agency", "agency", "analyst")
	otherDevOrg, otherDevTok := b.party("Other AI", "developer", "developer")
	readers := []reader{
		{"clearinghouse", "", b.admin, aicc.OrgClearinghouse},
		{"developer", devOrg, devTok, aicc.OrgDeveloper},
		{"operator", opOrg, opTok, aicc.OrgOperator},
		{"operator 2", op2Org, op2Tok, aicc.OrgOperator},
		{"oss", ossOrg, ossTok, aicc.OrgOSS},
		{"agency", agOrg, agTok, aicc.OrgAgency},
		{"other developer", otherDevOrg, otherDevTok, aicc.OrgDeveloper},
		{"anonymous", "", "", ""},
	}
	// Every organization listens for advisory webhooks and subscribes to
	// every advisory (an empty filter).
	for _, r := range readers {
		if r.token == "" {
			continue
		}
		tok := r.token
		if r.kind != aicc.OrgClearinghouse {
			var u struct{ Token string }
			b.do(b.admin, "POST", "/v1/users", map[string]any{"org_id": r.org, "name": "admin", "role": "admin"}).decode(t, &u)
			tok = u.Token
		}
		b.want(b.do(tok, "POST", "/v1/webhooks", map[string]any{"url": "https://hooks.example/" + strings.ReplaceAll(r.name, " ", "-"), "events": []string{"advisory.*"}}), http.StatusCreated)
		b.want(b.do(tok, "POST", "/v1/advisory-subscriptions", map[string]any{"filter": map[string]any{}}), http.StatusCreated)
	}
	toOps := advisory.Audience{Kinds: []aicc.OrgKind{aicc.OrgOperator}}
	toOp := advisory.Audience{Orgs: []string{opOrg}}
	toAgency := advisory.Audience{Orgs: []string{agOrg}}
	var advs []channelAdvisory
	n := 0
	for _, state := range []advisory.State{advisory.StateDraft, advisory.StateEmbargoed, advisory.StatePublished, advisory.StateUpdated, advisory.StateWithdrawn} {
		for _, c := range []channelAdvisory{
			{summary: aicc.TLPClear, details: aicc.TLPAmber, detailsTo: toOps, payload: aicc.TLPRed, payloadTo: toAgency},
			{summary: aicc.TLPGreen, details: aicc.TLPAmberStrict, detailsTo: toOp, payload: aicc.TLPRed},
			{summary: aicc.TLPAmber, summaryTo: toOps, details: aicc.TLPAmber, detailsTo: toOps, payload: aicc.TLPRed, payloadTo: toOp},
			{summary: aicc.TLPAmberStrict, summaryTo: toAgency, details: aicc.TLPRed, detailsTo: toAgency, payload: aicc.TLPRed, payloadTo: toAgency},
			{summary: aicc.TLPRed, summaryTo: toOp, details: aicc.TLPRed, detailsTo: toOp, payload: aicc.TLPRed, payloadTo: toOp},
		} {
			n++
			c.id, c.state = fmt.Sprintf("AICC-2026-%04d", n), state
			a := advisorytest.Example()
			a.ID, a.DeveloperOrgID, a.State, a.Revision, a.History = c.id, devOrg, advisory.StateDraft, 1, nil
			a.PublishedAt, a.RevisedAt = time.Time{}, time.Time{}
			a.Title = c.marker("title")
			a.Summary = advisory.Tier{TLP: c.summary, Audience: c.summaryTo, Text: c.marker("summary")}
			a.Details = advisory.Tier{TLP: c.details, Audience: c.detailsTo, Text: c.marker("details")}
			a.Payload = advisory.Tier{TLP: c.payload, Audience: c.payloadTo, Text: c.marker("payload")}
			a.Statement = nil
			a.Embargo = advisory.Embargo{Basis: advisory.BasisNone, LastContact: b.now}
			if state == advisory.StateEmbargoed {
				a.Embargo = advisory.Embargo{Basis: advisory.BasisAgreed, Until: b.now.AddDate(0, 1, 0), LastContact: b.now}
			}
			if err := b.db.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateAdvisory(ctx, a) }); err != nil {
				t.Fatal(err)
			}
			if state != advisory.StateDraft {
				b.want(b.do(b.admin, "POST", "/v1/advisories/"+c.id+"/publish", nil), http.StatusOK)
			}
			switch state {
			case advisory.StateUpdated:
				b.want(b.do(b.admin, "PATCH", "/v1/advisories/"+c.id, map[string]any{"title": "Revised " + c.marker("title"), "revision_summary": "retitled"}), http.StatusOK)
			case advisory.StateWithdrawn:
				b.want(b.do(b.admin, "POST", "/v1/advisories/"+c.id+"/withdraw", map[string]any{"reason": "duplicate"}), http.StatusOK)
			}
			advs = append(advs, c)
		}
	}
	return b, advs, readers, devOrg
}

// get fetches a non-API resource (TAXII, feeds, CSAF) as r.
func (b *bundle) get(r reader, path string, header ...string) (int, []byte) {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// webhookTexts claims every message of the outbox and returns, per
// reader name (the hook URL's last segment), everything sent to it.
func webhookTexts(t *testing.T, b *bundle) map[string]string {
	t.Helper()
	ctx := context.Background()
	hooks, err := b.db.ListWebhooks(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, h := range hooks {
		names[h.ID] = strings.ReplaceAll(strings.TrimPrefix(h.URL, "https://hooks.example/"), "-", " ")
	}
	msgs, err := b.db.Claim(ctx, "channels", b.now.Add(time.Hour), time.Hour, 100000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	n := 0
	for _, m := range msgs {
		if strings.HasPrefix(m.Event, "advisory.") {
			out[names[m.SubscriptionID]] += string(m.Payload)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no advisory webhooks were sent")
	}
	return out
}

// csafText walks the CSAF provider directory as r, as a mirroring tool
// does: the metadata, then each TLP folder's ROLIE feed, index.txt and
// changes.csv, and every document they list; it returns all of it.
func csafText(b *bundle, r reader) string {
	b.t.Helper()
	const base = "https://aicc.invalid"
	var all strings.Builder
	all.WriteString(fetch(b, r, "/.well-known/csaf/provider-metadata.json"))
	for _, tlp := range []string{"white", "green", "amber", "red"} {
		folder := "/.well-known/csaf/" + tlp + "/"
		status, body := b.get(r, folder+"csaf-feed-tlp-"+tlp+".json")
		switch {
		case status == http.StatusNotFound:
			continue // no document of this label
		case status == http.StatusUnauthorized && r.token == "" && tlp != "white":
			continue // members only
		case status != http.StatusOK:
			b.t.Fatalf("%s: %s feed: %d %s", r.name, tlp, status, body)
		}
		all.Write(body)
		var feed struct {
			Feed struct {
				Entry []struct {
					Link []struct{ Rel, Href string } `json:"link"`
				} `json:"entry"`
			} `json:"feed"`
		}
		if err := json.Unmarshal(body, &feed); err != nil {
			b.t.Fatal(err)
		}
		listed := 0
		for _, e := range feed.Feed.Entry {
			for _, l := range e.Link {
				if l.Rel == "self" {
					all.WriteString(fetch(b, r, strings.TrimPrefix(l.Href, base)))
					listed++
				}
			}
		}
		// The year folder's listing names exactly the documents the feed does.
		if st, listing := b.get(r, folder+"2026/"); st == http.StatusOK {
			if n := strings.Count(string(listing), ".json\">"); n != listed {
				b.t.Errorf("%s: %s2026/ lists %d documents, the feed %d", r.name, folder, n, listed)
			}
		} else if listed > 0 {
			b.t.Errorf("%s: %s2026/: %d", r.name, folder, st)
		}
		for _, f := range []string{"index.txt", "changes.csv"} {
			text := fetch(b, r, folder+f)
			if lines := strings.Count(text, "\n"); lines != listed {
				b.t.Errorf("%s: %s%s lists %d documents, the feed %d", r.name, folder, f, lines, listed)
			}
			for line := range strings.SplitSeq(strings.TrimSpace(text), "\n") {
				if p, _, _ := strings.Cut(strings.Trim(line, `"`), `","`); p != "" {
					all.WriteString(fetch(b, r, folder+p))
				}
			}
		}
	}
	return all.String()
}

// fetch reads one resource as r and fails on anything but 200.
func fetch(b *bundle, r reader, path string) string {
	b.t.Helper()
	status, body := b.get(r, path)
	if status != http.StatusOK {
		b.t.Fatalf("%s: %s: %d %s", r.name, path, status, body)
	}
	return string(body)
}

// taxiiText reads every object of every collection r may read, following
// next, and returns them as one text.
func taxiiText(b *bundle, r reader) string {
	b.t.Helper()
	const accept = "application/taxii+json;version=2.1"
	status, body := b.get(r, "/taxii2/aicc/collections/", "Accept", accept)
	if status != http.StatusOK {
		b.t.Fatalf("%s: collections: %d %s", r.name, status, body)
	}
	var cs struct {
		Collections []struct{ ID string } `json:"collections"`
	}
	if err := json.Unmarshal(body, &cs); err != nil {
		b.t.Fatal(err)
	}
	var all strings.Builder
	for _, c := range cs.Collections {
		next := ""
		for range 1000 {
			path := "/taxii2/aicc/collections/" + c.ID + "/objects/?limit=50&match[version]=all"
			if next != "" {
				path += "&next=" + next
			}
			status, body := b.get(r, path, "Accept", accept)
			if status != http.StatusOK {
				b.t.Fatalf("%s: objects of %s: %d %s", r.name, c.ID, status, body)
			}
			var env struct {
				More    bool              `json:"more"`
				Next    string            `json:"next"`
				Objects []json.RawMessage `json:"objects"`
			}
			if err := json.Unmarshal(body, &env); err != nil {
				b.t.Fatal(err)
			}
			for _, o := range env.Objects {
				all.Write(o)
			}
			if !env.More {
				break
			}
			next = env.Next
		}
	}
	return all.String()
}

// TestChannelsShowOnlyWhatOrganizationsMaySee publishes advisories under
// every label and state and reads every channel as every kind of
// organization: no tier appears where its reader may not see it, and every
// tier a reader may see appears in the channels that carry that tier.
func TestChannelsShowOnlyWhatOrganizationsMaySee(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) { testChannels(t, engine) })
	}
}

func testChannels(t *testing.T, engine string) {
	b, advs, readers, devOrg := channelWorld(t, engine)
	type channel struct {
		name  string
		tiers []string // the tiers the channel carries
		read  func(r reader) string
	}
	// The webhooks every organization was sent, as one text per organization.
	hooks := webhookTexts(t, b)
	channels := []channel{
		{"webhooks", []string{"summary"}, func(r reader) string { return hooks[r.name] }},
		{"TAXII", []string{"summary", "details", "payload"}, func(r reader) string { return taxiiText(b, r) }},
		{"JSON Feed", []string{"summary"}, func(r reader) string { return fetch(b, r, "/feeds/advisories.json") }},
		{"Atom", []string{"summary"}, func(r reader) string { return fetch(b, r, "/feeds/advisories.atom") }},
		{"CSAF directory", []string{"summary"}, func(r reader) string { return csafText(b, r) }},
	}
	for _, ch := range channels {
		for _, r := range readers {
			if ch.name == "webhooks" && r.token == "" {
				continue // nobody's organization has no webhooks
			}
			text := ch.read(r)
			for _, c := range advs {
				// The title goes with the summary, in every channel.
				for _, tier := range []string{"title", "summary", "details", "payload"} {
					tlp, to := map[string]aicc.TLP{"title": c.summary, "summary": c.summary, "details": c.details, "payload": c.payload}[tier],
						map[string]advisory.Audience{"title": c.summaryTo, "summary": c.summaryTo, "details": c.detailsTo, "payload": c.payloadTo}[tier]
					// A tier is seen only with the summary: an advisory whose
					// summary a reader may not see is not shown at all.
					want := mayRead(r, devOrg, c.state, tlp, to) && mayRead(r, devOrg, c.state, c.summary, c.summaryTo) &&
						(tier == "title" || slices.Contains(ch.tiers, tier))
					// Channels publish only what was published: drafts and
					// embargoed advisories appear in none of them.
					if c.state == advisory.StateDraft || c.state == advisory.StateEmbargoed {
						want = false
					}
					got := strings.Contains(text, c.marker(tier))
					if got != want {
						t.Errorf("%s as %s: %s of %s (%s, %s) present=%v, want %v", ch.name, r.name, tier, c.id, c.state, tlp, got, want)
					}
				}
			}
		}
	}
}

// TestSecurityTxt points CSAF tooling at the provider metadata.
func TestSecurityTxt(t *testing.T) {
	b := setup(t)
	status, body := b.get(reader{}, "/.well-known/security.txt")
	text := string(body)
	if status != http.StatusOK || !strings.Contains(text, "\nCSAF: https://aicc.invalid/.well-known/csaf/provider-metadata.json\n") ||
		!strings.HasPrefix(text, "Contact: ") || !strings.Contains(text, "\nExpires: ") {
		t.Errorf("security.txt: %d\n%s", status, text)
	}
	if status, _ := b.get(reader{}, "/.well-known/csaf/provider-metadata.json"); status != http.StatusOK {
		t.Errorf("provider metadata: %d", status)
	}
}

// TestDocumentsRevalidate: feeds and directory files carry an ETag, and a
// mirror asking If-None-Match with it gets 304 and no body.
func TestDocumentsRevalidate(t *testing.T) {
	b := setup(t)
	for _, path := range []string{"/feeds/advisories.json", "/.well-known/csaf/provider-metadata.json"} {
		resp, err := http.Get(b.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || etag == "" {
			t.Fatalf("%s: %d, ETag %q", path, resp.StatusCode, etag)
		}
		status, body := b.get(reader{}, path, "If-None-Match", etag)
		if status != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s with If-None-Match: %d, %d bytes", path, status, len(body))
		}
		if status, _ := b.get(reader{}, path, "If-None-Match", `"other"`); status != http.StatusOK {
			t.Errorf("%s with another ETag: %d", path, status)
		}
	}
}
