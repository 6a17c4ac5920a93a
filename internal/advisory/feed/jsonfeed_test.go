package feed_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/feed"
)

// jsonFeed is a decoded JSON Feed, as generic as the format allows: its
// checks below are JSON Feed 1.1's rules (https://jsonfeed.org/version/1.1).
type jsonFeed map[string]any

func decodeJSON(t *testing.T, advs []*advisory.Advisory, f feed.Feed) (jsonFeed, []map[string]any) {
	t.Helper()
	b, err := feed.JSON(advs, f)
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var d jsonFeed
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	raw, ok := d["items"].([]any)
	if !ok {
		t.Fatalf("items is %T, want an array", d["items"])
	}
	items := make([]map[string]any, len(raw))
	for i, it := range raw {
		items[i] = it.(map[string]any)
	}
	return d, items
}

// checkJSONFeed applies JSON Feed 1.1's requirements.
func checkJSONFeed(t *testing.T, d jsonFeed, items []map[string]any) {
	t.Helper()
	if d["version"] != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version %v", d["version"])
	}
	if s, _ := d["title"].(string); s == "" {
		t.Error("no title")
	}
	for _, k := range []string{"home_page_url", "feed_url"} {
		if s, ok := d[k].(string); ok && !absolute(s) {
			t.Errorf("%s %q is not an absolute URL", k, s)
		}
	}
	ids := map[string]bool{}
	for i, it := range items {
		id, _ := it["id"].(string)
		if id == "" || ids[id] {
			t.Errorf("item %d: id %q missing or repeated", i, id)
		}
		ids[id] = true
		_, text := it["content_text"].(string)
		_, html := it["content_html"].(string)
		if !text && !html {
			t.Errorf("item %s has neither content_text nor content_html", id)
		}
		for _, k := range []string{"date_published", "date_modified"} {
			if s, ok := it[k].(string); ok {
				if _, err := time.Parse(time.RFC3339, s); err != nil {
					t.Errorf("item %s: %s %q is not RFC 3339", id, k, s)
				}
			}
		}
		if s, _ := it["url"].(string); !absolute(s) {
			t.Errorf("item %s: url %q", id, s)
		}
		for k := range it {
			if !slices.Contains(itemKeys, k) && !strings.HasPrefix(k, "_") {
				t.Errorf("item %s: %q is not a JSON Feed 1.1 item field", id, k)
			}
		}
	}
}

var itemKeys = []string{"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image",
	"date_published", "date_modified", "authors", "tags", "language", "attachments"}

func absolute(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && u.Host != ""
}

func TestJSONFeed(t *testing.T) {
	d, items := decodeJSON(t, all(), exampleFeed)
	checkJSONFeed(t, d, items)
	var ids, titles, modified []string
	for _, it := range items {
		ids = append(ids, it["id"].(string))
		titles = append(titles, it["title"].(string))
		modified = append(modified, it["date_modified"].(string))
	}
	wantIDs := []string{"https://aicc.example/advisories/AICC-2026-0051", "https://aicc.example/advisories/AICC-2026-0007",
		"https://aicc.example/advisories/AICC-2026-0042"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("ids %v, want newest revision first %v", ids, wantIDs)
	}
	if !slices.Equal(modified, []string{"2026-12-03T10:00:00Z", "2026-11-28T09:00:00Z", "2026-11-25T14:00:00Z"}) {
		t.Errorf("date_modified %v", modified)
	}
	if titles[1] != "[WITHDRAWN] AICC-2026-0007: System prompt extraction through role-play in example-chat" {
		t.Errorf("withdrawn title %q", titles[1])
	}
	if titles[2] != "AICC-2026-0042: System prompt extraction through role-play in example-chat" {
		t.Errorf("title %q", titles[2])
	}
	ex := items[2]
	if ex["date_published"] != "2026-11-20T00:00:00Z" || ex["summary"] != advisorytest.Example().Summary.Text {
		t.Errorf("date_published %v summary %v", ex["date_published"], ex["summary"])
	}
	var tags []string
	for _, v := range ex["tags"].([]any) {
		tags = append(tags, v.(string))
	}
	if want := []string{"system_prompt_extraction", "LLM07:2025", "AML.T0051.000", "AML.T0056", "CWE-200"}; !slices.Equal(tags, want) {
		t.Errorf("tags %v, want %v", tags, want)
	}
	content := ex["content_text"].(string)
	for _, want := range []string{
		"Severity: high, CVSS 4.0 score 8.7 (CVSS:4.0/AV:N/",
		"- example-chat 1.0 (API): affected. Until 1.1 is deployed",
		"- example-chat 1.0 (open weights): affected",
		"- example-chat 1.1 (API): fixed (guardrail)",
		"- example-chat-mini 1.0 (API): not affected (component_not_present)",
		"- example-chat 1.2-preview (hosted app): under investigation",
		"- PyPI example-agent-kit: affected from 0.4.0, fixed in 0.9.2",
		"Statement from Example AI: Fixed in 1.1; we thank the clearinghouse.",
		"Revision 2 (2026-11-25): example-chat 1.1 fixed",
	} {
		if !strings.Contains(content, want) {
			t.Errorf("content_text lacks %q:\n%s", want, content)
		}
	}
	if !strings.HasPrefix(items[1]["content_text"].(string), "Withdrawn on 2026-11-28: The behaviour is documented") {
		t.Errorf("withdrawn content_text does not start with the withdrawal:\n%s", items[1]["content_text"])
	}
	ext := ex["_aicc"].(map[string]any)
	if ext["revision"] != 2.0 || ext["tlp"] != "TLP:CLEAR" || ext["state"] != "updated" {
		t.Errorf("_aicc %v", ext)
	}
}

func TestJSONFeedTies(t *testing.T) {
	x, y := second(), second()
	y.ID = "AICC-2026-0050"
	_, items := decodeJSON(t, []*advisory.Advisory{x, y}, exampleFeed)
	if items[0]["id"] != "https://aicc.example/advisories/AICC-2026-0050" {
		t.Errorf("same date: %v first, want the lower ID", items[0]["id"])
	}
}

func TestJSONFeedEmpty(t *testing.T) {
	d, items := decodeJSON(t, nil, exampleFeed)
	checkJSONFeed(t, d, items)
	if len(items) != 0 {
		t.Errorf("%d items", len(items))
	}
}
