package openvex_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/openvex"
	"github.com/aicc-dev/aicc/internal/aicc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var pub = advisory.ExamplePublisher

// doc is a decoded OpenVEX document.
type doc struct {
	ID          string `json:"@id"`
	Author      string `json:"author"`
	Timestamp   string `json:"timestamp"`
	LastUpdated string `json:"last_updated"`
	Version     int    `json:"version"`
	Statements  []struct {
		Vulnerability struct {
			ID          string `json:"@id"`
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"vulnerability"`
		Products []struct {
			ID          string            `json:"@id"`
			Identifiers map[string]string `json:"identifiers"`
		} `json:"products"`
		Status          string `json:"status"`
		Justification   string `json:"justification"`
		ImpactStatement string `json:"impact_statement"`
		ActionStatement string `json:"action_statement"`
		StatusNotes     string `json:"status_notes"`
	} `json:"statements"`
}

func encode(t *testing.T, a *advisory.Advisory) ([]byte, doc) {
	t.Helper()
	b, err := openvex.Encode(a, pub)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return b, d
}

// status returns the status of the statement about product purl.
func (d doc) status(purl string) string {
	for _, s := range d.Statements {
		for _, p := range s.Products {
			if p.ID == purl {
				return s.Status
			}
		}
	}
	return ""
}

func withdrawn() *advisory.Advisory {
	a := advisorytest.Example()
	a.State = advisory.StateWithdrawn
	a.WithdrawnAt = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	a.WithdrawReason = "The behaviour is documented and intended"
	return a
}

func draft() *advisory.Advisory {
	a := advisorytest.Example()
	a.State, a.Revision, a.History = advisory.StateDraft, 1, nil
	a.PublishedAt, a.RevisedAt = time.Time{}, time.Time{}
	return a
}

// variants are advisories the encoder must turn into valid documents.
func variants() map[string]*advisory.Advisory {
	noPURL := advisorytest.Example()
	noPURL.Packages = []advisory.Package{
		{Ecosystem: "npm", Name: "@example/agent", Introduced: "0"},
		{Ecosystem: "Debian:12", Name: "example-serving", Introduced: "1.0-1"}, // no purl type: left out
		{Ecosystem: "Go", Name: "example.com/agent", PURL: "pkg:golang/example.com/agent@v1.2.0", Introduced: "1.2.0", Fixed: "1.3.0"},
	}
	return map[string]*advisory.Advisory{
		"example":   advisorytest.Example(),
		"anonymous": advisory.Visible(advisorytest.Example(), advisory.Anonymous),
		"withdrawn": withdrawn(),
		"draft":     draft(),
		"packages":  noPURL,
	}
}

func TestValidOpenVEX(t *testing.T) {
	for name, a := range variants() {
		t.Run(name, func(t *testing.T) {
			b, _ := encode(t, a)
			validate(t, b)
		})
	}
}

func TestGolden(t *testing.T) {
	b, _ := encode(t, advisorytest.Example())
	const golden = "testdata/example.openvex.json"
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", golden, b)
	}
}

func TestDeterministic(t *testing.T) {
	first, _ := encode(t, advisorytest.Example())
	again, _ := encode(t, advisorytest.Example())
	if !bytes.Equal(first, again) {
		t.Fatal("two encodings of the same advisory differ")
	}
	shuffled := advisorytest.Example()
	slices.Reverse(shuffled.Products)
	shuffled.Packages = append(shuffled.Packages, advisory.Package{Ecosystem: "npm", Name: "example-agent", Introduced: "1.0.0", Fixed: "1.0.5"})
	reordered := advisorytest.Example()
	reordered.Packages = append([]advisory.Package{{Ecosystem: "npm", Name: "example-agent", Introduced: "1.0.0", Fixed: "1.0.5"}}, reordered.Packages...)
	x, _ := encode(t, shuffled)
	y, _ := encode(t, reordered)
	if !bytes.Equal(x, y) {
		t.Errorf("the order of products and packages changes the output:\n%s\n---\n%s", x, y)
	}
}

func TestDocument(t *testing.T) {
	a := advisorytest.Example()
	_, d := encode(t, a)
	if d.ID != "https://aicc.example/advisories/AICC-2026-0042/openvex" {
		t.Errorf("@id %q", d.ID)
	}
	if d.Author != pub.Name || d.Version != 2 {
		t.Errorf("author %q version %d, want %q and 2", d.Author, d.Version, pub.Name)
	}
	if d.Timestamp != "2026-11-25T14:00:00Z" || d.LastUpdated != d.Timestamp {
		t.Errorf("timestamp %q last_updated %q, want the revision date 2026-11-25T14:00:00Z", d.Timestamp, d.LastUpdated)
	}
	// 5 model versions; the package affected from 0.4.0, fixed in 0.9.2.
	if len(d.Statements) != 7 {
		t.Errorf("%d statements, want 7", len(d.Statements))
	}
	for _, s := range d.Statements {
		if s.Vulnerability.Name != a.ID || s.Vulnerability.ID != pub.URL(a.ID) || s.Vulnerability.Description != a.Title {
			t.Errorf("vulnerability %+v", s.Vulnerability)
		}
		if len(s.Products) != 1 || s.Products[0].Identifiers["purl"] != s.Products[0].ID {
			t.Errorf("products %+v: want one, with its purl as @id and identifier", s.Products)
		}
	}
	for purl, want := range map[string]string{
		"pkg:generic/example-ai/example-chat@1.0?surface=api":                "affected",
		"pkg:generic/example-ai/example-chat@1.0?surface=open_weights":       "affected",
		"pkg:generic/example-ai/example-chat@1.1?surface=api":                "fixed",
		"pkg:generic/example-ai/example-chat-mini@1.0?surface=api":           "not_affected",
		"pkg:generic/example-ai/example-chat@1.2-preview?surface=hosted_app": "under_investigation",
		"pkg:pypi/example-agent-kit@0.4.0":                                   "affected",
		"pkg:pypi/example-agent-kit@0.9.2":                                   "fixed",
	} {
		if got := d.status(purl); got != want {
			t.Errorf("%s: status %q, want %q", purl, got, want)
		}
	}
}

func TestStatementRequirements(t *testing.T) {
	for name, a := range variants() {
		t.Run(name, func(t *testing.T) {
			_, d := encode(t, a)
			for _, s := range d.Statements {
				switch s.Status {
				case "affected":
					if s.ActionStatement == "" {
						t.Errorf("%s is affected without an action_statement", s.Products[0].ID)
					}
				case "not_affected":
					if s.Justification == "" {
						t.Errorf("%s is not affected without a justification", s.Products[0].ID)
					}
				}
			}
		})
	}
	_, d := encode(t, advisorytest.Example())
	for _, s := range d.Statements {
		switch s.Products[0].ID {
		case "pkg:generic/example-ai/example-chat@1.0?surface=api":
			if !strings.Contains(s.ActionStatement, "do not put secrets in system prompts") {
				t.Errorf("action_statement %q does not carry the remediation note", s.ActionStatement)
			}
			if !strings.Contains(s.StatusNotes, "17 of 20") {
				t.Errorf("status_notes %q lack the reproduction figures", s.StatusNotes)
			}
		case "pkg:generic/example-ai/example-chat-mini@1.0?surface=api":
			if s.Justification != string(advisory.JustComponentNotPresent) || s.ImpactStatement != "Served without a system prompt." {
				t.Errorf("not_affected statement: justification %q impact %q", s.Justification, s.ImpactStatement)
			}
		case "pkg:pypi/example-agent-kit@0.4.0":
			if !strings.Contains(s.ActionStatement, "0.9.2") || !strings.Contains(s.StatusNotes, "from 0.4.0") {
				t.Errorf("package statement: action %q notes %q", s.ActionStatement, s.StatusNotes)
			}
		}
	}
}

func TestNoTierText(t *testing.T) {
	a := advisorytest.Example() // every tier present, nothing withheld
	b, _ := encode(t, a)
	// The audience's copy, with the restricted tiers withheld, gives the
	// same bytes: nothing in the document depends on them.
	if anon, _ := encode(t, advisory.Visible(a, advisory.Anonymous)); !bytes.Equal(anon, b) {
		t.Errorf("the anonymous copy gives a different document:\n%s\n---\n%s", anon, b)
	}
	for name, text := range map[string]string{"details": a.Details.Text, "payload": a.Payload.Text} {
		if text == "" {
			t.Fatalf("the example has no %s text", name)
		}
		if bytes.Contains(b, []byte(text)) {
			t.Errorf("the %s text is in the document", name)
		}
		// Not even a telling fragment of it.
		if frag := text[:min(len(text), 40)]; bytes.Contains(b, []byte(frag)) {
			t.Errorf("part of the %s text (%q) is in the document", name, frag)
		}
	}
}

func TestWithdrawn(t *testing.T) {
	_, d := encode(t, withdrawn())
	if d.Timestamp != "2026-12-01T08:00:00Z" {
		t.Errorf("timestamp %q, want the withdrawal 2026-12-01T08:00:00Z", d.Timestamp)
	}
	for _, s := range d.Statements {
		if !strings.HasPrefix(s.Vulnerability.Description, "[WITHDRAWN] ") {
			t.Errorf("description %q is not marked withdrawn", s.Vulnerability.Description)
		}
		if !strings.Contains(s.StatusNotes, "withdrawn on 2026-12-01: The behaviour is documented and intended.") {
			t.Errorf("status_notes %q lack the withdrawal", s.StatusNotes)
		}
	}
}

func TestDraftDate(t *testing.T) {
	_, d := encode(t, draft())
	if d.Timestamp != "2026-11-25T14:00:00Z" || d.Version != 1 {
		t.Errorf("draft: timestamp %q version %d, want its last update and 1", d.Timestamp, d.Version)
	}
}

func TestErrors(t *testing.T) {
	invalid := advisorytest.Example()
	invalid.Products = nil
	for name, tc := range map[string]struct {
		a    *advisory.Advisory
		p    advisory.Publisher
		kind aicc.ErrorKind
	}{
		"no advisory":  {nil, pub, aicc.KindInternal},
		"invalid":      {invalid, pub, aicc.KindInvalid},
		"no publisher": {advisorytest.Example(), advisory.Publisher{}, aicc.KindInternal},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := openvex.Encode(tc.a, tc.p)
			if err == nil {
				t.Fatalf("no error; output %s", b)
			}
			if got := aicc.KindOf(err); got != tc.kind {
				t.Errorf("kind %s, want %s (%v)", got, tc.kind, err)
			}
		})
	}
}
